"""Temporary copies of stored files (a letter template, a record's document), written so the
system's own program can open them, and removed when the app closes.

Every copy goes under one private folder per session (`tempfile.mkdtemp(prefix="cscdesk-")`),
each in its own sub-folder so two copies of the same name never meet; `remove_all()` deletes
the folder (the app calls it on closing). A copy still open in Word when the app closes may
be locked on Windows: what cannot be removed is left to the system's temporary-file cleaning.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

_session_folder: Path | None = None
_count = 0

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_file_name(name: str) -> str:
    """`name` with the characters Windows refuses in a file name replaced by "_"."""
    cleaned = _UNSAFE.sub("_", name).strip().strip(".")
    return cleaned[:200] or "document"


def session_folder() -> Path:
    """The session's private temporary folder, made on first use."""
    global _session_folder
    if _session_folder is None or not _session_folder.is_dir():
        _session_folder = Path(tempfile.mkdtemp(prefix="cscdesk-"))
    return _session_folder


def write_temp_copy(name: str, data: bytes) -> Path:
    """Write `data` as a file named `name` in a fresh sub-folder of the session's folder."""
    global _count
    _count += 1
    folder = session_folder() / str(_count)
    folder.mkdir()
    path = folder / safe_file_name(name)
    path.write_bytes(data)
    return path


def remove_all() -> None:
    """Remove every temporary copy of this session (what is locked stays, silently)."""
    global _session_folder
    if _session_folder is not None:
        shutil.rmtree(_session_folder, ignore_errors=True)
        _session_folder = None
