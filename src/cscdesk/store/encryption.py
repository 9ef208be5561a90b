"""Turning encryption on, changing the passphrase, turning it off — for the database and its
backups.

Each change is made on a verified copy that replaces the file in one step, after a backup of the
database as it was; backups listed for the database are rewritten with the new passphrase too,
so that no backup stays readable without it. The caller has closed its own connections.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from cscdesk import atomic
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.store import cipher
from cscdesk.store.backup import backup_database
from cscdesk.store.backup_folder import folder_lock, target_folder_for
from cscdesk.store.backup_list import read_manifest, sha256_of, write_manifest
from cscdesk.store.lock import acquire_writer_lock
from cscdesk.store.soundness import check_database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EncryptionChange:
    database: Path
    encrypted: bool
    backups_rewritten: int
    backups_left: tuple[Path, ...]  # made with another passphrase: left as they are
    safety_backup: Path | None
    resumed: bool = False  # the database had the passphrase already: only backups were done


def change_encryption(database: Path | str, old: str | None, new: str | None,
                      folder: Path | str | None = None) -> EncryptionChange:
    """Encrypt (`old` None), change the passphrase, or decrypt (`new` None) `database`.

    Raises DatabaseError with a sentence (wrong passphrase, damaged file, database in use)
    before anything is changed.
    """
    database = Path(database)
    if new is not None:
        cipher.check_passphrase(new)
        if old == new or (old is None and cipher.looks_encrypted(database)):
            return _resume(database, old, new, folder)
    if old == new:
        raise DatabaseError("The new passphrase is the same as the current one.")
    lock = acquire_writer_lock(database, "cscdesk encryption change")
    try:
        facts = check_database(database, passphrase=old)
        made = backup_database(database, folder, reason="before encryption change",
                               apply_retention=False, passphrase=old)
        _convert_file(database, old, new, facts.counts)
        rewritten, left = _convert_backups(database, old, new, folder)
    finally:
        lock.release()
    log.info("database %s is now %s", database, "encrypted" if new else "not encrypted")
    return EncryptionChange(database, new is not None, rewritten, tuple(left),
                            made.backup.path if made.backup else None)


def _resume(database: Path, old: str | None, new: str, folder: Path | str | None
            ) -> EncryptionChange:
    """The database already has the new passphrase (an encrypt or a change that was
    interrupted, or run twice): finish encrypting its listed backups still in plaintext."""
    lock = acquire_writer_lock(database, "cscdesk encryption change")
    try:
        try:
            check_database(database, passphrase=new)
        except cipher.WrongPassphrase:
            if old == new:
                raise
            raise cipher.PassphraseNeeded(
                f"{database} is encrypted already, and not with this new passphrase: give its "
                "current passphrase (--passphrase-file FILE) to change it; nothing was changed."
            ) from None
        rewritten, left = _convert_backups(database, None, new, folder, plain_only=True)
    finally:
        lock.release()
    if not rewritten and not left:
        raise DatabaseError(
            "The new passphrase is the same as the current one, and every backup listed for "
            f"{database} is encrypted already; nothing was changed."
        )
    log.info("finished encrypting %s backup(s) of %s", rewritten, database)
    return EncryptionChange(database, True, rewritten, tuple(left), None, resumed=True)


def _convert_file(path: Path, old: str | None, new: str | None, counts: dict[str, int]) -> None:
    """Rewrite one database file under a temporary name, verify it, swap it in."""
    try:
        temporary = atomic.new_temporary(path)
    except atomic.WriteFailed as failed:
        raise DatabaseError(f"Cannot replace {path}: {failed.error.strerror}.") from failed.error
    try:
        cipher.rewrite(path, temporary, cipher.key_for(path, old), new)
        copied = check_database(temporary, passphrase=new)
        if copied.counts != counts:
            raise DatabaseError(f"The converted copy of {path} does not match it; "
                                "nothing was changed.")
        for suffix in atomic.SQLITE_COMPANIONS:
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
        atomic.put_in_place(temporary, path)
    except atomic.WriteFailed as failed:
        raise DatabaseError(f"Cannot replace {path}: {failed.error.strerror}.") from failed.error
    except OSError as error:
        raise DatabaseError(f"Cannot replace {path}: {error.strerror}.") from error
    finally:
        atomic.discard(temporary)


def _convert_backups(database: Path, old: str | None, new: str | None,
                     folder: Path | str | None, *, plain_only: bool = False
                     ) -> tuple[int, list[Path]]:
    """Rewrite this database's listed backups with the new passphrase (`plain_only`: only those
    still in plaintext); returns how many, and the backups that another passphrase protects
    (left alone, named to the officer)."""
    target = target_folder_for(database, folder, new)
    rewritten, left = 0, []
    with folder_lock(target):
        entries = read_manifest(target)
        for index, entry in enumerate(entries):
            if entry.database != database.stem or not entry.path.is_file():
                continue
            if plain_only and cipher.looks_encrypted(entry.path):
                continue
            try:
                _convert_file(entry.path, old, new, entry.counts)
            except UserFacingError as error:
                log.warning("backup %s not rewritten: %s", entry.path, error)
                left.append(entry.path)
                continue
            entries[index] = dataclasses.replace(
                entry, size=entry.path.stat().st_size, sha256=sha256_of(entry.path))
            rewritten += 1
            # At once, not after the last one: an encrypt interrupted half-way must not leave
            # rewritten backups whose listed checksum no longer matches (never restored then).
            write_manifest(target, entries)
    return rewritten, left

