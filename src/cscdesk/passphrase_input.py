"""Where the command line gets a passphrase: a file (for scheduled jobs) or a prompt — never an
argument, which other users of the PC could see in the process list."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from cscdesk.errors import InputError
from cscdesk.store.revision import SQLITE_HEADER


def read_passphrase_file(path: Path) -> str:
    """The first line of `path` (its line ending removed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"Cannot read the passphrase file {path}: {error.strerror}.") from error
    except UnicodeDecodeError:
        raise InputError(f"The passphrase file {path} is not UTF-8 text.") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InputError(f"The passphrase file {path} is empty.")
    return lines[0]


def _encrypted(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(header) and header != SQLITE_HEADER


def passphrase_for(passphrase_file: Path | None, *files: Path | None) -> str | None:
    """The passphrase from `passphrase_file`; else, when one of `files` is encrypted and a person
    is at the keyboard, asked for; else None (an encrypted file then gets its own sentence)."""
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    if any(_encrypted(f) for f in files) and sys.stdin.isatty():
        return getpass.getpass("Passphrase of the database: ")
    return None


def new_passphrase(passphrase_file: Path | None) -> str:
    """A new passphrase: from a file, or typed twice at a prompt."""
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    if not sys.stdin.isatty():
        raise InputError("Give the new passphrase with --new-passphrase-file FILE.")
    first = getpass.getpass("New passphrase (at least 8 characters): ")
    if getpass.getpass("The same again: ") != first:
        raise InputError("The two passphrases differ; nothing was changed.")
    return first
