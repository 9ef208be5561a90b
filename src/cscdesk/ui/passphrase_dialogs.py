"""Asking for passphrases: at start-up, for a new one (typed twice), and the current one.

The passphrase is never stored; a lost one cannot be recovered, and every place that sets one
says so before it is used.
"""

from __future__ import annotations

import hmac
from pathlib import Path

from PySide6.QtWidgets import QWidget

from cscdesk.errors import UserFacingError
from cscdesk.store import cipher
from cscdesk.ui.dialog_service import UserDialogs

START_TRIES = 3
LOST_WARNING = "If the passphrase is lost, the records cannot be recovered by anyone."
# An SQLCipher file is whole pages; a shorter or ragged file is not one (say so plainly instead).
_PAGE = 512


class PassphraseCancelled(UserFacingError):
    """The officer chose not to give the passphrase."""


def may_be_encrypted(path: Path) -> bool:
    """True when `path` is not plain SQLite and could be an encrypted database (whole pages)."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return False
    return cipher.looks_encrypted(path) and size >= _PAGE and size % _PAGE == 0


def same_passphrase(typed: str, known: str | None) -> bool:
    """A comparison that takes as long whatever the typed text."""
    if known is None:
        return False
    return hmac.compare_digest(typed.encode("utf-8"), known.encode("utf-8"))


def ask_start_passphrase(path: Path, dialogs: UserDialogs, parent: QWidget | None = None,
                         tries: int = START_TRIES) -> str:
    """The passphrase that opens the encrypted database `path`, asked up to `tries` times.

    Raises PassphraseCancelled on Cancel and WrongPassphrase after the last wrong try.
    """
    from cscdesk.store.engine import read_revision

    for attempt in range(1, tries + 1):
        passphrase = dialogs.ask_passphrase(
            parent, "Encrypted database",
            f"{path.name} is encrypted. Type its passphrase to open it:",
        )
        if passphrase is None:
            raise PassphraseCancelled(f"No passphrase was given, so {path} was not opened.")
        try:
            read_revision(path, passphrase)
        except cipher.WrongPassphrase as error:
            if opens_newest_backup(path, passphrase):
                return passphrase  # right for its backups: the file itself is damaged
            if attempt < tries:
                dialogs.warn(parent, "Wrong passphrase",
                             f"{error} {tries - attempt} more {_tries(tries - attempt)}.")
            continue
        except UserFacingError:
            return passphrase  # right passphrase, damaged file: opening says so, offers a backup
        return passphrase
    raise cipher.WrongPassphrase(
        f"The passphrase was wrong {tries} times, so {path} was not opened. "
        "Passphrases are case-sensitive."
    )


def opens_newest_backup(path: Path, passphrase: str) -> bool:
    """Whether `passphrase` opens the newest encrypted backup of `path` (one key derivation):
    then a file it does not open is damaged, not guarded by another passphrase."""
    from cscdesk.store import backup_folder, backup_list

    try:
        listed = backup_list.list_backups(backup_folder.backup_folder_for(path), path.stem)
    except UserFacingError:
        return False
    for info in listed[:1]:
        if not cipher.looks_encrypted(info.path):
            return False
        try:
            cipher.connect(info.path, passphrase, read_only=True).close()
        except cipher.db_errors(UserFacingError):
            return False
        return True
    return False


def damaged_sentence(path: Path) -> str:
    return (f"{path} cannot be read with the passphrase that opens its newest backup, so the "
            "file is probably damaged.")


def _tries(count: int) -> str:
    return "try" if count == 1 else "tries"


def ask_new_passphrase(parent: QWidget | None, dialogs: UserDialogs, title: str) -> str | None:
    """A new passphrase, typed twice and meeting the rules; None when cancelled."""
    while True:
        first = dialogs.ask_passphrase(
            parent, title,
            f"New passphrase (at least 8 characters; a short sentence is easy to remember). "
            f"{LOST_WARNING}",
        )
        if first is None:
            return None
        try:
            cipher.check_passphrase(first)
        except UserFacingError as error:
            dialogs.warn(parent, title, str(error))
            continue
        second = dialogs.ask_passphrase(parent, title, "Type the new passphrase again:")
        if second is None:
            return None
        if not same_passphrase(second, first):
            dialogs.warn(parent, title, "The two passphrases are not the same. Try again.")
            continue
        return first


def ask_current_passphrase(parent: QWidget | None, dialogs: UserDialogs, title: str,
                           known: str | None) -> str | None:
    """The current passphrase, checked against the open database's; None when cancelled or
    wrong (a wrong one is a message)."""
    typed = dialogs.ask_passphrase(parent, title, "Current passphrase:")
    if typed is None:
        return None
    if not same_passphrase(typed, known):
        dialogs.warn(parent, title, "That is not the current passphrase. Passphrases are "
                                    "case-sensitive.")
        return None
    return known
