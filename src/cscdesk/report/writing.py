"""Writing a finished appendix file (PDF or Word) safely, whatever made it.

The file is made in memory first, then written into a temporary file in the target folder and
renamed over the target, so a failure never leaves half a file, and the temporary file exists
only for the moment of writing. A temporary file left by a process that died (a power cut) is
removed at the next write.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NoReturn

from cscdesk import atomic
from cscdesk.errors import UserFacingError


def write_safely(make: Callable[[BinaryIO], None], path: Path | str, *, viewer: str) -> Path:
    """Write what `make` writes to a stream to `path`; returns the path.

    Raises UserFacingError with a sentence when the folder or the file cannot be written
    (a missing folder, no permission, a file held open by `viewer`, e.g. "a PDF viewer", on
    Windows).
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise UserFacingError(f"Cannot write the appendix to {target}: the folder {folder} "
                              "does not exist.")
    if target.is_dir():
        raise UserFacingError(f"Cannot write the appendix to {target}: that is a folder.")
    made = io.BytesIO()
    make(made)  # the slow part, with nothing on disk yet
    try:
        with atomic.replacing(target) as temporary:
            temporary.write_bytes(made.getbuffer())
    except atomic.WriteFailed as failed:
        if failed.step == "temporary":
            error = failed.error
            raise UserFacingError(f"Cannot write the appendix in {folder}: "
                                  f"{error.strerror or error}. Choose another folder.") from error
        _cannot_write(target, failed.error, viewer)
    except OSError as error:
        _cannot_write(target, error, viewer)
    return target


def _cannot_write(target: Path, error: OSError, viewer: str) -> NoReturn:
    if isinstance(error, PermissionError):
        raise UserFacingError(
            f"Cannot replace {target}: it is open in another program (such as {viewer}) or "
            "you do not have permission. Close it, or choose another name, and try "
            "again.") from error
    raise UserFacingError(f"Cannot write the appendix to {target}: "
                          f"{error.strerror or error}.") from error
