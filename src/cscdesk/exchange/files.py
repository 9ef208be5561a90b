"""Writing an .xlsx with XlsxWriter so that nothing is lost and nothing is left about.

`writing(target)` yields a `Scratch`: a temporary file beside the target (made 0600 by `atomic`, the
one writer), to hand to XlsxWriter, and a private folder beside it (0700) for XlsxWriter's own
temporary files (by default in the system's temp folder, where a killed export would leave the
shared strings in plain text). When the block succeeds the file is renamed over the target; whatever
happens, the folder and any leftover are removed. A later write of the same target removes what a
killed one left (its temporary file and folder, and the `.NAME.writing-PID.xlsx` of earlier
versions) once the process that made them has gone.

`close_workbook(book)` closes an XlsxWriter workbook and turns a failure (disk full, folder
gone) into one sentence, without the "Exception ignored in ZipFile.__del__" that a half-written
zip file otherwise prints when it is collected.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cscdesk import atomic
from cscdesk.errors import UserFacingError


class NotWritten(UserFacingError):
    """The workbook could not be written (one sentence says why); nothing was left behind."""


@dataclass(frozen=True)
class Scratch:
    file: Path  # XlsxWriter writes the workbook here
    folder: Path  # and its own temporary files here


def _more_leftovers(target: Path) -> tuple[str, ...]:
    """Besides the temporary files: XlsxWriter's folders, and `.STEM.writing-PID.xlsx` of
    earlier versions."""
    return (f".{glob.escape(target.name)}.*.tmpdir",
            f".{glob.escape(target.stem)}.writing-*.xlsx")


def remove_leftovers(target: Path) -> None:
    """What killed writes of `target` left: temporary files and folders, and the
    `.STEM.writing-PID.xlsx` of earlier versions."""
    atomic.remove_leftovers(target, more_patterns=_more_leftovers(target))


@contextlib.contextmanager
def writing(target: Path, error: type[UserFacingError] = NotWritten) -> Iterator[Scratch]:
    """A temporary file and folder beside `target`; the file replaces `target` when the block
    succeeds (`atomic.replacing`, the one writer). Problems with the folder become `error`
    (a sentence)."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    scratch_folder: Path | None = None
    try:
        with atomic.replacing(target, more_patterns=_more_leftovers(target)) as temporary:
            scratch_folder = Path(tempfile.mkdtemp(prefix=atomic.temporary_prefix(target),
                                                   suffix=".tmpdir", dir=folder))
            yield Scratch(temporary, scratch_folder)
    except atomic.WriteFailed as failed:
        problem = failed.error
        if failed.step == "temporary":
            raise cannot_start(folder, problem, error) from None
        if failed.step == "replace":
            raise error(
                f"Cannot replace {target}: {problem.strerror or problem}. If it is open in "
                "Excel or another program, close it and try again."
            ) from None
        raise error(f"Cannot write the workbook in the folder {folder}: "
                    f"{problem.strerror or problem}. Nothing was written; free some space or "
                    "choose another folder, and try again.") from None
    except OSError as problem:
        raise error(f"Cannot write the workbook in the folder {folder}: "
                    f"{problem.strerror or problem}. Nothing was written; free some space or "
                    "choose another folder, and try again.") from None
    finally:
        if scratch_folder is not None:
            shutil.rmtree(scratch_folder, ignore_errors=True)


def cannot_start(folder: Path, problem: OSError, error: type[UserFacingError] = NotWritten
                 ) -> UserFacingError:
    """What `writing` says when no temporary file can be made in `folder` (missing, or not
    writable)."""
    if not folder.is_dir():
        return error(f"The folder {folder} does not exist.")
    return error(f"Cannot write the workbook in the folder {folder}: "
                 f"{problem.strerror or problem}. Choose a folder where you can save files.")


def close_workbook(book: Any, folder: Path, error: type[UserFacingError] = NotWritten) -> None:
    """`book.close()`, or `error` with one sentence. The half-written zip file the failure
    leaves in XlsxWriter's frames is collected here, quietly, so that it cannot print
    "Exception ignored in ZipFile.__del__" (it tries to finish the file once more)."""
    reason = ""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        try:
            book.close()
        except Exception as problem:
            reason = _reason(problem)
            problem.__traceback__ = None
            if problem.__context__ is not None:
                problem.__context__.__traceback__ = None
            del problem
        gc.collect()
    finally:
        sys.unraisablehook = hook
    if reason:
        raise error(f"Cannot write the workbook in the folder {folder}: {reason}. Nothing was "
                    "written; free some space or choose another folder, and try again.")


def _reason(problem: BaseException) -> str:
    cause: Any = problem.args[0] if problem.args else problem
    if isinstance(problem, OSError):
        cause = problem
    text = getattr(cause, "strerror", None) or str(cause)
    return text.rstrip(".")
