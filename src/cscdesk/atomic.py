"""Writing a file so that it appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cscdesk.errors import UserFacingError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` when the block succeeds.

    A failure leaves `target` as it was and removes the temporary file. Problems with the folder
    or a locked target (a file open in another program on Windows) become a UserFacingError.
    """
    target = Path(target)
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
