"""Writing a file so that it appears whole or not at all."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cscdesk.errors import UserFacingError

LEFTOVER_AGE_S = 120


def remove_leftovers(target: Path, *, older_than_s: float = LEFTOVER_AGE_S) -> None:
    """Remove temporary files that an earlier write of `target` left when its process died.

    They are named `.{target name}.XXXXXXXX.tmp`; one younger than `older_than_s` may belong to
    a write still running in another copy of the program, and is left alone.
    """
    target = Path(target)
    cutoff = time.time() - older_than_s
    with contextlib.suppress(OSError):
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                    leftover.unlink()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` when the block succeeds.

    A failure leaves `target` as it was and removes the temporary file. Problems with the folder
    or a locked target (a file open in another program on Windows) become a UserFacingError.
    """
    target = Path(target)
    remove_leftovers(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
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
