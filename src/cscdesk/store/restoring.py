"""Putting a backup back: verified first, the current database backed up, swapped in whole.

Restoring verifies the chosen file (its checksum against the backup list, then the checks of
`soundness`), copies it beside the live database under a temporary name (`atomic`) and verifies
the copy, backs up the current database, then swaps the copy in with one rename. The copy keeps
the database's protection: over an encrypted database it is encrypted with the current
passphrase, whatever the backup was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cscdesk import atomic
from cscdesk.errors import DatabaseError
from cscdesk.store import cipher
from cscdesk.store.backup import backup_database
from cscdesk.store.backup_folder import BackupFolderError, folder_error, target_folder_for
from cscdesk.store.backup_list import (
    MANIFEST_NAME,
    BackupUnverified,
    manifest_entry,
    verify_checksum,
)
from cscdesk.store.lock import acquire_writer_lock
from cscdesk.store.soundness import DatabaseFacts, check_database, connect_read_only

log = logging.getLogger(__name__)


@dataclass
class PreparedRestore:
    """A verified copy of the backup beside the live database, ready to swap in."""

    live: Path
    source: Path
    staged: Path
    facts: DatabaseFacts
    safety_copy: Path | None = None
    safety_note: str = ""
    protection_note: str = ""  # whether the restored database is encrypted, and with what

    def discard(self) -> None:
        atomic.discard(self.staged)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def prepare_restore(
    backup_file: Path | str, live: Path | str, folder: Path | str | None = None,
    passphrase: str | None = None, *, unverified: bool = False,
) -> PreparedRestore:
    """Everything a restore does before touching the live file: verify the backup, copy it
    beside the live database and verify the copy, back up the current database.

    A listed backup must still match the checksum recorded when it was made (BackupChanged
    otherwise); a file no backup list names is refused (BackupUnverified) unless the officer
    accepted that it cannot be verified (`unverified`)."""
    backup_file, live = Path(backup_file), Path(live)
    if _same_file(backup_file, live):
        raise DatabaseError(f"{backup_file} is the live database itself; choose a backup.")
    try:
        if backup_file.is_file():
            entry = manifest_entry(backup_file)
            if entry is not None:
                verify_checksum(entry)
            elif not unverified:
                raise BackupUnverified(
                    f"{backup_file} is not in a backup list ({MANIFEST_NAME} beside it), so "
                    "cscdesk cannot verify that it is as it was made."
                )
        facts = check_database(backup_file, passphrase=passphrase)
        key, note = _restored_protection(backup_file, live, passphrase)
    except DatabaseError as error:
        raise type(error)(f"{error} Nothing was restored; {live} was not changed.") from error
    try:
        staged = atomic.new_temporary(live)
    except atomic.WriteFailed as failed:
        raise DatabaseError(
            f"Cannot copy {backup_file} beside the database at {live.parent} "
            f"({failed.error}); nothing was changed."
        ) from failed.error
    try:
        _stage_copy(backup_file, staged, facts, passphrase, key)
        prepared = PreparedRestore(live, backup_file, staged, facts, protection_note=note)
        if live.exists():
            _back_up_current(prepared, folder, passphrase)
    except BaseException:
        atomic.discard(staged)
        raise
    return prepared


def _restored_protection(backup_file: Path, live: Path, passphrase: str | None
                         ) -> tuple[str | None, str]:
    """The key the restored database gets, and the sentence that says so.

    Restoring never removes the database's protection: over an encrypted database the copy is
    encrypted with its current passphrase, whatever the backup was (a backup made before
    encrypting is plain). An encrypted backup stays encrypted."""
    backup_key = cipher.key_for(backup_file, passphrase)
    if live.exists() and cipher.looks_encrypted(live):
        if passphrase is None:
            raise cipher.PassphraseNeeded(
                f"{live} is encrypted: its passphrase is needed (--passphrase-file FILE, or "
                "typed when asked) so that the restored database is encrypted with it too. "
                "(If the database is not encrypted but unreadable, or its passphrase is lost, "
                "move it aside first and restore again.)"
            )
        if backup_key is None:
            return passphrase, ("The backup was not encrypted; the restored database is "
                                "encrypted with the database's current passphrase, as before.")
        return passphrase, "The restored database is encrypted with the current passphrase."
    if backup_key is not None:
        return backup_key, ("The restored database is encrypted, as the backup was: it opens "
                            "with the backup's passphrase.")
    return None, ""


def _stage_copy(backup_file: Path, staged: Path, facts: DatabaseFacts,
                passphrase: str | None, key: str | None) -> None:
    """Copy the backup to `staged` (an empty temporary file), keyed with `key` (None: plain),
    and verify the copy."""
    backup_key = cipher.key_for(backup_file, passphrase)
    try:
        if backup_key != key:  # a plain backup restored over an encrypted database
            cipher.rewrite(backup_file, staged, backup_key, key)
        else:
            source = connect_read_only(backup_file, backup_key)
            try:
                target = cipher.connect(staged, key, isolation_level=None)
                try:
                    source.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
            finally:
                source.close()
        atomic.fsync_file(staged)
    except cipher.db_errors(OSError) as error:
        raise DatabaseError(
            f"Cannot copy {backup_file} beside the database at {staged.parent} ({error}); "
            "nothing was changed."
        ) from error
    copied = check_database(staged, passphrase=key)
    if copied.counts != facts.counts:
        raise DatabaseError(f"The copy of {backup_file} does not match it; nothing was changed.")


def _back_up_current(prepared: PreparedRestore, folder: Path | str | None,
                     passphrase: str | None) -> None:
    """A verified backup of the database about to be replaced; if it is damaged or not a
    cscdesk database, a plain copy of it instead, so nothing is ever lost."""
    live = prepared.live
    try:
        # No pruning now: the file being restored must not be the one retention lets go.
        result = backup_database(live, folder, reason="before restore", apply_retention=False,
                                 passphrase=passphrase)
        assert result.backup is not None
        prepared.safety_copy = result.backup.path
        prepared.safety_note = f"The database as it was is backed up to {result.backup.path}."
    except BackupFolderError as error:
        raise BackupFolderError(
            f"Before restoring, cscdesk backs up the current database, and that failed: {error}"
        ) from error
    except DatabaseError as error:
        target = target_folder_for(live, folder, passphrase)
        stamp = datetime.now().strftime("%Y-%m-%dT%H%M%S")
        copy = target / f"{live.stem}-{stamp}-as-found.db.damaged"
        try:
            # Each file whole or not at all, readable by the officer only (`atomic`).
            for suffix in ("", "-wal", "-journal"):
                if suffix == "" or Path(f"{live}{suffix}").exists():
                    with atomic.replacing(Path(f"{copy}{suffix}")) as temporary:
                        shutil.copyfile(f"{live}{suffix}", temporary)
        except atomic.WriteFailed as failed:
            raise folder_error(target, failed.error) from failed.error
        except OSError as copy_error:
            raise folder_error(target, copy_error) from copy_error
        prepared.safety_copy = copy
        prepared.safety_note = (
            f"The database as it was could not be backed up normally ({error}); "
            f"an exact copy of it is kept at {copy}."
        )


def finish_restore(prepared: PreparedRestore, passphrase: str | None = None) -> None:
    """Swap the staged copy in: the live file is replaced in one step, never half-written.

    The caller holds the writer lock and has closed its own connections.
    """
    live = prepared.live
    if live.exists():
        with contextlib.suppress(*cipher.DB_ERRORS, DatabaseError):
            connection = cipher.connect(live, passphrase, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
    try:
        # A -wal or -journal left beside the new file would be replayed into it.
        for suffix in atomic.SQLITE_COMPANIONS:
            with contextlib.suppress(FileNotFoundError):
                Path(f"{live}{suffix}").unlink()
        atomic.put_in_place(prepared.staged, live)
    except (OSError, atomic.WriteFailed) as error:
        prepared.discard()
        cause = error.error if isinstance(error, atomic.WriteFailed) else error
        raise DatabaseError(
            f"Cannot replace {live} ({cause.strerror}); is another program using it? "
            f"{prepared.safety_note}"
        ) from error
    log.info("restored %s from %s", live, prepared.source)


def restore_database(
    backup_file: Path | str, live: Path | str, folder: Path | str | None = None,
    passphrase: str | None = None, *, unverified: bool = False,
) -> PreparedRestore:
    """Restore as a command does it: take the writer lock, prepare, swap."""
    live = Path(live)
    try:
        live.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(f"Cannot create the folder {live.parent}: {error.strerror}.") from error
    lock = acquire_writer_lock(live, "cscdesk restore")
    try:
        prepared = prepare_restore(backup_file, live, folder, passphrase,
                                   unverified=unverified)
        try:
            finish_restore(prepared, passphrase)
        finally:
            prepared.discard()
    finally:
        lock.release()
    return prepared
