"""File names for documents written out of the database (a subject access pack's folder):
safe on Windows, macOS and Linux, and unique within their folder."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 150  # characters: a folder path of a hundred or so still fits Windows' limit
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
             *(f"lpt{n}" for n in range(1, 10))}


def safe_file_name(text: str, fallback: str = "document") -> str:
    """`text` as a file name any system accepts: path separators and characters Windows
    refuses become "_", no trailing dots or spaces, not a reserved device name, at most
    MAX_LENGTH characters with the extension kept."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name).strip().rstrip(". ")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10 or " " in extension:
        stem, dot, extension = name, "", ""
    if stem.split(".")[0].strip().lower() in _RESERVED:
        stem = f"_{stem}"
    room = MAX_LENGTH - len(dot + extension)
    stem = stem[:room].rstrip(". ") or fallback
    return f"{stem}{dot}{extension}"


class UniqueNames:
    """Hands out names unique within one folder, compared as Windows and macOS do (without
    case): "letter.docx", then "letter (2).docx"."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, wanted: str) -> str:
        name = safe_file_name(wanted)
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, number = name, 1
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        self._taken.add(candidate.casefold())
        return candidate
