"""Making a backup the officer can trust: copied, checked, listed, and old ones pruned.

A backup is taken with SQLite's online backup API inside one read transaction (a consistent
snapshot even while the app is writing; a plain copy of a WAL database can miss everything in the
`-wal` file). It is written under a temporary name in the backup folder (`atomic`), switched to
an ordinary rollback journal (so it opens anywhere, network shares included), checked with
`PRAGMA integrity_check`, every document against its sha256, and against the source's
record counts (documents and their bytes included), fsync'd and only then renamed
into place and added to the backup list (`backup_list`). Retention (`retention`) then prunes.

Checking a database is `soundness`, the backup list and its trust `backup_list`, the folder and
the settings `backup_folder`, restoring `restoring`, the shared wording `wording`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cscdesk import __version__, atomic
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.store import cipher
from cscdesk.store.backup_folder import (
    folder_error,
    folder_lock,
    retention_policy_for,
    target_folder_for,
)
from cscdesk.store.backup_list import BackupInfo, pruned, read_manifest, sha256_of, write_manifest
from cscdesk.store.revision import APPLICATION_ID
from cscdesk.store.soundness import (
    DatabaseDamaged,
    connect_read_only,
    document_problems,
    integrity_problems,
    read_revision,
    table_counts,
)

log = logging.getLogger(__name__)

# A backup's temporary file may live for a while (copied, then checked): a leftover that names
# no live process is removed only once an hour old (on Windows, where processes are not asked).
_STALE_TEMP_AGE = timedelta(hours=1)
_OLD_TEMP_MARK = ".tmp-"  # temporary names of versions before the one atomic writer


@dataclass(frozen=True)
class BackupResult:
    """`backup` is the new file; None when nothing changed since `unchanged_since`."""

    source: Path
    backup: BackupInfo | None
    unchanged_since: BackupInfo | None = None
    removed: tuple[Path, ...] = ()


def _snapshot(source: Path, temporary: Path, folder: Path, passphrase: str | None
              ) -> tuple[str, dict[str, int]]:
    """Copy `source` into `temporary` in one read transaction; returns its revision and counts."""
    key = cipher.key_for(source, passphrase)  # the copy is encrypted just as the source is
    try:
        connection = connect_read_only(source, key)
    except cipher.DB_ERRORS as error:
        raise DatabaseDamaged(f"{source} cannot be opened ({error}).") from error
    try:
        try:
            connection.execute("BEGIN")
            revision = str(connection.execute("SELECT version_num FROM alembic_version")
                           .fetchone()[0])
            counts = table_counts(connection)
        except cipher.DB_ERRORS as error:
            raise DatabaseDamaged(f"{source} is damaged: SQLite cannot read it ({error}).") \
                from error
        try:
            target = cipher.connect(temporary, key, isolation_level=None)
        except cipher.DB_ERRORS as error:
            raise folder_error(folder, error) from error
        try:
            # The copy is written through to the disk once, whole, before it is renamed into
            # place (`atomic.fsync_file`): syncing each step as well only made it slower (by
            # half a second for 400 MB of documents); a copy cut off half-way is discarded.
            target.execute("PRAGMA synchronous = OFF")
            connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        except cipher.OPERATIONAL_ERRORS as error:
            if "disk" in str(error) or "full" in str(error) or "write" in str(error):
                raise folder_error(folder, error) from error
            raise DatabaseDamaged(f"{source} cannot be copied ({error}).") from error
        except cipher.DB_ERRORS as error:
            raise DatabaseDamaged(f"{source} is damaged: SQLite cannot read it ({error}).") \
                from error
        finally:
            target.close()
    finally:
        connection.close()
    return revision, counts


def _verify_copy(source: Path, temporary: Path, counts: dict[str, int],
                 passphrase: str | None) -> None:
    if not temporary.is_file():  # the folder went away: not the source's fault
        raise folder_error(temporary.parent, FileNotFoundError(temporary))
    try:
        copy = connect_read_only(temporary, cipher.key_for(source, passphrase))
        try:
            problems = integrity_problems(copy) or document_problems(copy)
            app_id = copy.execute("PRAGMA application_id").fetchone()[0]
            copied = table_counts(copy)
        finally:
            copy.close()
    except cipher.db_errors(DatabaseError) as error:
        if not temporary.is_file():
            raise folder_error(temporary.parent, error) from error
        problems, app_id, copied = [str(error)], APPLICATION_ID, counts
    if problems:
        raise DatabaseDamaged(
            f"{source} is damaged: the integrity check of its backup found {len(problems)} "
            f"problem(s), the first being “{problems[0]}”. The backup was not kept."
        )
    if app_id != APPLICATION_ID or copied != counts:
        raise DatabaseDamaged(
            f"The backup of {source} does not match it (records {copied} instead of {counts}); "
            "it was not kept."
        )


def _unused_name(folder: Path, stem: str, when: datetime) -> Path:
    base = f"{stem}-{when.strftime('%Y-%m-%dT%H%M%S')}"
    candidate = folder / f"{base}.db"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}.db"
        number += 1
    return candidate


def _remove_old_temporaries(folder: Path) -> None:
    """Leftovers of backups killed half-way by versions before the one atomic writer (named
    `.STEM.tmp-…`): tidy old ones. The writer tidies its own (`atomic.remove_leftovers`)."""
    cutoff = time.time() - _STALE_TEMP_AGE.total_seconds()
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name.startswith(".") and _OLD_TEMP_MARK in path.name:
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()


def backup_database(
    source: Path | str,
    folder: Path | str | None = None,
    *,
    reason: str = "manual",
    only_if_changed: bool = False,
    now: datetime | None = None,
    apply_retention: bool = True,
    passphrase: str | None = None,
) -> BackupResult:
    """Back up the cscdesk database `source` into `folder` (default: its setting) and prune.

    Raises DatabaseError (not cscdesk's, damaged: DatabaseDamaged) or BackupFolderError, in
    which case nothing was added or removed. `only_if_changed` skips the backup when it would
    be identical to the newest one of this database. An encrypted database (opened with
    `passphrase`) gives an encrypted backup, keyed with the same passphrase.
    """
    source = Path(source)
    read_revision(source, passphrase)  # a sentence for a missing, foreign or unreadable file
    target_folder = target_folder_for(source, folder, passphrase)
    now = (now or datetime.now()).astimezone()
    stem = source.stem
    try:
        # named after the backups of `stem` to come (the final name is chosen once verified)
        temporary = atomic.new_temporary(target_folder / f"{stem}.backup",
                                         older_than_s=_STALE_TEMP_AGE.total_seconds())
    except atomic.WriteFailed as failed:
        raise folder_error(target_folder, failed.error) from failed.error
    try:
        revision, counts = _snapshot(source, temporary, target_folder, passphrase)
        # The checksum is taken while the copy is checked (hashing and SQLite both leave
        # Python's lock, so the two share the cores): the check only reads the copy.
        with ThreadPoolExecutor(max_workers=1) as pool:
            checksum = pool.submit(sha256_of, temporary)
            try:
                _verify_copy(source, temporary, counts, passphrase)
            except DatabaseDamaged as damaged:
                # The folder went while the copy was read (the copy, or the hashing of it,
                # found nothing there): the folder's fault, not the database's.
                wait([checksum])
                gone = checksum.exception()
                if not temporary.is_file() or isinstance(gone, OSError):
                    raise folder_error(target_folder, gone if isinstance(gone, OSError)
                                       else FileNotFoundError(temporary)) from damaged
                raise
            finally:
                wait([checksum])
        try:
            digest = checksum.result()
            atomic.fsync_file(temporary)
        except OSError as error:
            raise folder_error(target_folder, error) from error
        with folder_lock(target_folder):
            entries = [e for e in read_manifest(target_folder) if e.path.is_file()]
            if only_if_changed:
                mine = sorted((e for e in entries if e.database == stem), key=lambda e: e.created)
                if mine and mine[-1].sha256 == digest:
                    return BackupResult(source, None, unchanged_since=mine[-1])
            try:
                final = _unused_name(target_folder, stem, now)
                size = temporary.stat().st_size
            except OSError as error:
                raise folder_error(target_folder, error) from error
            info = BackupInfo(
                path=final, database=stem, created=now.replace(microsecond=0),
                size=size, sha256=digest, app_version=__version__,
                schema_revision=revision, counts=counts, reason=reason,
                source=str(source.resolve()),
            )
            try:
                atomic.put_in_place(temporary, final)
                entries.append(info)
                removed = (
                    pruned(entries, stem, now, retention_policy_for(source, passphrase))
                    if apply_retention else []
                )
                write_manifest(target_folder, [e for e in entries if e.path not in removed])
            except (OSError, atomic.WriteFailed) as error:
                # A file the manifest does not list is no backup: do not leave it behind.
                with contextlib.suppress(OSError):
                    final.unlink()
                cause = error.error if isinstance(error, atomic.WriteFailed) else error
                raise folder_error(target_folder, cause) from error
    finally:
        atomic.discard(temporary)
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    _remove_old_temporaries(target_folder)
    log.info("backed up %s to %s (%s bytes, %s)", source, final, info.size, reason)
    return BackupResult(source, info, removed=tuple(removed))


def backup_before_migration(database: Path, passphrase: str | None = None) -> None:
    """What `opening` hands the engine to run before a schema upgrade: a verified backup, and
    a failed backup stops the upgrade."""
    try:
        backup_database(database, reason="before upgrade", apply_retention=False,
                        passphrase=passphrase)
    except UserFacingError as error:
        raise DatabaseError(
            f"Before upgrading {database}, cscdesk backs it up, and that failed: {error} "
            "The database was not upgraded or changed."
        ) from error

