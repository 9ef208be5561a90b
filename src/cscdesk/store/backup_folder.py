"""Where a database's backups go, and how long they are kept: read from its settings.

The settings are read straight from the database file (its schema may be older than this
version's models, and a backup must work while the app has it open); a file that cannot be
read gives the defaults. A folder that cannot be used is a sentence (BackupFolderError), never
an OSError, and only the default folder is ever created.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cscdesk import paths, settings
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.store import cipher
from cscdesk.store.location import ServerURL
from cscdesk.store.lock import FileLock
from cscdesk.store.retention import RetentionPolicy
from cscdesk.store.soundness import connect_read_only

log = logging.getLogger(__name__)

_FOLDER_LOCK_NAME = ".cscdesk-backups.lock"
_FOLDER_LOCK_WAIT_S = 30.0


class BackupFolderError(UserFacingError):
    """The backup folder cannot be used (missing, a file, not writable, full)."""


def _stored(database: Path | ServerURL, passphrase: str | None,
            *options: settings.Option) -> list[Any]:
    """The values of `options` in `database`'s settings; the defaults when it cannot be read."""
    if isinstance(database, ServerURL):
        return _stored_on_server(database, *options)
    try:
        connection = connect_read_only(database, passphrase)
        try:
            return [settings.get(connection, option) for option in options]
        finally:
            connection.close()
    except cipher.db_errors(DatabaseError):
        return [option.default for option in options]


def _stored_on_server(database: ServerURL, *options: settings.Option) -> list[Any]:
    """The values of `options` in a server database's settings (its schema is this version's:
    the store opens no other)."""
    from cscdesk.store.opening import open_database

    db = open_database(database)
    try:
        with db.session() as session:
            return [settings.get(session, option) for option in options]
    finally:
        db.close()


def backup_folder_for(database: Path, passphrase: str | None = None) -> Path:
    """The folder set in the database's settings, else the default in the user data folder."""
    (folder,) = _stored(database, passphrase, settings.BACKUP_FOLDER)
    folder = str(folder).strip()
    return Path(folder) if folder else paths.default_backup_dir()


def target_folder_for(database: Path, folder: Path | str | None,
                      passphrase: str | None = None) -> Path:
    """The usable backup folder for `database`: `folder` if given, else its setting, else the
    default. Only the default is created when missing: a chosen folder that is missing is
    most likely a drive or share that is not connected."""
    chosen = Path(folder) if folder is not None else backup_folder_for(database, passphrase)
    return usable_backup_folder(chosen, create=chosen == paths.default_backup_dir())


def retention_policy_for(database: Path | ServerURL,
                         passphrase: str | None = None) -> RetentionPolicy:
    """The database's backup retention settings (negative numbers count as 0)."""
    keep_all_days, daily, weekly, monthly = _stored(
        database, passphrase, settings.KEEP_ALL_DAYS, settings.KEEP_DAILY, settings.KEEP_WEEKLY,
        settings.KEEP_MONTHLY)
    return RetentionPolicy(
        keep_all_days=max(0, int(keep_all_days)),
        daily=max(0, int(daily)),
        weekly=max(0, int(weekly)),
        monthly=max(0, int(monthly)),
    )


def old_data_note(database: Path | ServerURL, passphrase: str | None = None) -> str:
    """What anonymising or deleting for good does not reach: the backups made before, kept as
    long as the database's retention rules let them (the longest rule, in words)."""
    policy = retention_policy_for(database, passphrase)
    if policy.monthly:
        span = f"{policy.monthly} month{'s' if policy.monthly != 1 else ''}"
    elif policy.weekly:
        span = f"{policy.weekly} week{'s' if policy.weekly != 1 else ''}"
    else:
        days = max(policy.daily, policy.keep_all_days, 1)
        span = f"{days} day{'s' if days != 1 else ''}"
    return (
        "Backups made before still hold the data as it was: under the backup settings they are "
        f"kept for up to about {span} (longer when backups were not made every period), and "
        "copies of backups kept elsewhere until someone deletes them. Restoring such a backup "
        "brings the data back."
    )


def usable_backup_folder(folder: Path, *, create: bool) -> Path:
    """Check (or, for the default folder, create) the backup folder; a sentence if unusable."""
    if folder.exists() and not folder.is_dir():
        raise BackupFolderError(
            f"The backup folder {folder} is a file, not a folder. Choose another backup folder; "
            "nothing was backed up."
        )
    if not folder.exists():
        blocker = next((p for p in folder.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise BackupFolderError(
                f"The backup folder {folder} cannot be used: {blocker} is a file, not a folder. "
                "Nothing was backed up."
            )
        if not create:
            raise BackupFolderError(
                f"The backup folder {folder} does not exist (is the drive or network share "
                "connected?). Nothing was backed up."
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BackupFolderError(
                f"The backup folder {folder} cannot be created ({error.strerror}). "
                "Nothing was backed up."
            ) from error
    return folder


def folder_error(folder: Path, error: Exception) -> BackupFolderError:
    """The sentence for a backup folder that failed while a backup was being written. A file
    of ours not found there means the folder is going or gone (a stick being pulled out is
    emptied before its folder vanishes), whether or not the folder is still listed."""
    if not folder.is_dir() or isinstance(error, FileNotFoundError):
        return BackupFolderError(
            f"The backup folder {folder} disappeared while the backup was being made (was the "
            "drive or network share disconnected, or the folder removed?). Nothing was backed "
            "up, and nothing half-written was left."
        )
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return BackupFolderError(
        f"Cannot write a backup in {folder} ({reason}). Check that the folder can be written "
        "and has free space; nothing was backed up."
    )


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One backup at a time updates a folder's manifest (app and scheduled task may overlap)."""
    lock = FileLock(folder / _FOLDER_LOCK_NAME)
    deadline = time.monotonic() + _FOLDER_LOCK_WAIT_S
    try:
        while not lock.try_acquire("cscdesk backup"):
            if time.monotonic() > deadline:
                raise BackupFolderError(
                    f"Another backup into {folder} has not finished after "
                    f"{_FOLDER_LOCK_WAIT_S:.0f} seconds; nothing was backed up. Try again later."
                )
            time.sleep(0.1)
    except OSError as error:  # some network shares cannot lock: go on without it
        log.warning("cannot lock backup folder %s: %s", folder, error)
    try:
        yield
    finally:
        lock.release()
