"""Writing a file so that it appears whole or not at all."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cscdesk.errors import UserFacingError

LEFTOVER_AGE_S = 120
# A temporary name carries its process: `.NAME.p1234-xxxx.tmp` (or `.tmpdir`); workbook
# exports of earlier versions wrote `.STEM.writing-1234.xlsx`.
_PID = re.compile(r"\.p(\d+)-[^.]*\.tmp(?:dir)?$|\.writing-(\d+)\.xlsx$")


def temporary_prefix(target: Path) -> str:
    """The start of a temporary file's name beside `target`: hidden, naming this process."""
    return f".{Path(target).name}.p{os.getpid()}-"


def remove_leftovers(target: Path, *, more_patterns: tuple[str, ...] = (),
                     older_than_s: float = LEFTOVER_AGE_S) -> None:
    """Remove what killed writes of `target` left beside it (`.NAME.*.tmp` and any of
    `more_patterns`): those of a process no longer running, and those that name no process
    once older than `older_than_s` (younger, they may belong to a write going on now)."""
    target = Path(target)
    cutoff = time.time() - older_than_s
    patterns = (f".{glob.escape(target.name)}.*.tmp", *more_patterns)
    with contextlib.suppress(OSError):
        for pattern in patterns:
            for leftover in target.parent.glob(pattern):
                with contextlib.suppress(OSError):
                    match = _PID.search(leftover.name) if os.name != "nt" else None
                    if match:
                        pid = int(match[1] or match[2])
                        if pid != os.getpid() and _running(pid):
                            continue
                    elif leftover.lstat().st_mtime >= cutoff:
                        continue
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink()


def _running(pid: int) -> bool:
    """Whether process `pid` runs (POSIX only: on Windows os.kill would end it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # running, as another user
    return True


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` when the block succeeds.

    A failure leaves `target` as it was and removes the temporary file. Problems with the folder
    or a locked target (a file open in another program on Windows) become a UserFacingError.
    """
    target = Path(target)
    remove_leftovers(target)
    try:
        handle, name = tempfile.mkstemp(prefix=temporary_prefix(target), suffix=".tmp",
                                        dir=target.parent)
    except FileNotFoundError:
        raise UserFacingError(f"Cannot write {target}: the folder {target.parent} does not "
                              "exist.") from None
    except OSError as error:
        raise UserFacingError(f"Cannot write in {target.parent}: {error.strerror}.") from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            os.replace(temporary, target)
        except PermissionError:
            raise UserFacingError(
                f"Cannot replace {target}: it may be open in another program. "
                "Close it and try again."
            ) from None
        except OSError as error:
            raise UserFacingError(f"Cannot write {target}: {error.strerror}.") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
