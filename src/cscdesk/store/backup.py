"""Backups the officer can trust: made, checked, listed, pruned and restored.

A backup is taken with SQLite's online backup API inside one read transaction (a consistent
snapshot even while the app is writing; a plain copy of a WAL database can miss everything in the
`-wal` file). It is written under a temporary name in the backup folder, switched to an ordinary
rollback journal (so it opens anywhere, network shares included), checked with
`PRAGMA integrity_check` and against the source's record counts, fsync'd and only then renamed
into place. A manifest (`cscdesk-backups.json`, also written atomically) records each backup's
time, size, sha256, app version, schema revision and counts.

Restoring verifies the chosen file, copies it beside the live database and verifies the copy,
backs up the current database, then swaps the copy in with one `os.replace`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cscdesk import __version__, paths, settings
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.store import cipher
from cscdesk.store.engine import read_revision
from cscdesk.store.lock import FileLock, acquire_writer_lock
from cscdesk.store.retention import RetentionPolicy, backups_to_keep
from cscdesk.store.revision import APPLICATION_ID, HEAD_REVISION

log = logging.getLogger(__name__)

MANIFEST_NAME = "cscdesk-backups.json"
_FOLDER_LOCK_NAME = ".cscdesk-backups.lock"
_NAME_PATTERN = re.compile(r"^(?P<stem>.+)-(?P<when>\d{4}-\d\d-\d\dT\d{6})(?:-\d+)?\.db$")
_TEMP_MARK = ".tmp-"
_STALE_TEMP_AGE = timedelta(hours=1)
_FOLDER_LOCK_WAIT_S = 30.0
REASONS = ("manual", "scheduled", "daily", "on exit", "before upgrade", "before restore")


class BackupFolderError(UserFacingError):
    """The backup folder cannot be used (missing, a file, not writable, full)."""


class DatabaseDamaged(DatabaseError):
    """The file is a cscdesk database but SQLite finds it damaged."""


class BackupChanged(DatabaseDamaged):
    """A listed backup whose file no longer matches the checksum recorded when it was made."""


class BackupUnverified(DatabaseError):
    """A file no backup list names: nothing proves it is as it was made."""


# ---------------------------------------------------------------------------------------------
# Facts about a database file


@dataclass(frozen=True)
class DatabaseFacts:
    """A verified cscdesk database: its schema revision and the rows in each table."""

    path: Path
    revision: str
    counts: dict[str, int]

    @property
    def records(self) -> int:
        from cscdesk.store.models import RECORD_MODELS

        return sum(self.counts.get(model.__tablename__, 0) for model in RECORD_MODELS)


def connect_read_only(path: Path, passphrase: str | None = None) -> Any:
    """A connection that cannot change the file (keyed when the file is encrypted); a plain one
    where SQLite needs to write the WAL index (an existing file only: it never creates one)."""
    if not path.is_file():
        raise DatabaseError(f"There is no file at {path}.")
    connection = cipher.connect(path, passphrase, read_only=True, isolation_level=None)
    connection.execute("PRAGMA schema_version").fetchone()
    return connection


def table_counts(connection: Any) -> dict[str, int]:
    """Rows in every table of the database (whatever tables a later version adds)."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def integrity_problems(connection: Any) -> list[str]:
    """What `PRAGMA integrity_check` reports; empty only when it says exactly "ok".

    A large page cache and memory-mapped reads make the check a third faster on big files.
    """
    connection.execute("PRAGMA cache_size = -131072")
    connection.execute("PRAGMA mmap_size = 1073741824")
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows or ["no answer from the integrity check"]


def broken_links(connection: Any) -> list[str]:
    """Rows that point at a missing row (`PRAGMA foreign_key_check`), as short phrases."""
    return [
        f"{table} row {rowid} points to a missing {parent}"
        for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check")
    ]


def _known_revision(revision: str) -> bool:
    if revision == HEAD_REVISION:
        return True
    from cscdesk.store.migrate import known_revisions

    return revision in known_revisions()


def check_database(path: Path | str, *, foreign_keys: bool = True,
                   passphrase: str | None = None) -> DatabaseFacts:
    """Prove `path` is a sound cscdesk database this version knows, or raise with a sentence.

    Checks: an SQLite file marked as cscdesk's, a known schema revision, `integrity_check`
    exactly "ok" and (with `foreign_keys`) no broken links. Never changes the file.
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"There is no file at {path}.")
    # header, application id, revision: a sentence on failure
    revision = read_revision(path, passphrase)
    if not _known_revision(revision):
        raise DatabaseError(
            f"{path} was made by a newer version of cscdesk (schema {revision}); "
            "this version cannot use it."
        )
    try:
        connection = connect_read_only(path, passphrase)
        try:
            problems = integrity_problems(connection)
            if problems:
                raise DatabaseDamaged(
                    f"{path} is damaged: SQLite's integrity check found {len(problems)} "
                    f"problem(s), the first being “{problems[0]}”."
                )
            links = broken_links(connection) if foreign_keys else []
            if links:
                raise DatabaseDamaged(
                    f"{path} has {len(links)} broken link(s) between records, the first being: "
                    f"{links[0]}."
                )
            counts = table_counts(connection)
        finally:
            connection.close()
    except cipher.DB_ERRORS as error:
        raise DatabaseDamaged(f"{path} is damaged: SQLite cannot read it ({error}).") from error
    return DatabaseFacts(path, revision, counts)


# ---------------------------------------------------------------------------------------------
# Backup records and the manifest


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what the manifest says about it (`listed` False: no entry)."""

    path: Path
    database: str
    created: datetime
    size: int
    sha256: str = ""
    app_version: str = ""
    schema_revision: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    reason: str = ""
    listed: bool = True
    source: str = ""

    @property
    def records(self) -> int:
        from cscdesk.store.models import RECORD_MODELS

        return sum(self.counts.get(model.__tablename__, 0) for model in RECORD_MODELS)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "database": self.database,
            "created": self.created.isoformat(timespec="seconds"),
            "size": self.size,
            "sha256": self.sha256,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "counts": self.counts,
            "reason": self.reason,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, folder: Path, entry: dict) -> BackupInfo:
        return cls(
            path=folder / str(entry["file"]),
            database=str(entry["database"]),
            created=datetime.fromisoformat(str(entry["created"])),
            size=int(entry["size"]),
            sha256=str(entry.get("sha256", "")),
            app_version=str(entry.get("app_version", "")),
            schema_revision=str(entry.get("schema_revision", "")),
            counts={str(k): int(v) for k, v in dict(entry.get("counts", {})).items()},
            reason=str(entry.get("reason", "")),
            source=str(entry.get("source", "")),
        )

    def size_matches(self) -> bool:
        """A cheap check for listings: the file is there with the size it had when verified."""
        try:
            return self.listed and self.path.stat().st_size == self.size
        except OSError:
            return False


def read_manifest(folder: Path) -> list[BackupInfo]:
    """The manifest's entries; an unreadable manifest counts as empty (nothing gets deleted)."""
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [BackupInfo.from_json(folder, entry) for entry in data["backups"]]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("ignoring unreadable backup manifest %s: %s", path, error)
        return []


def write_manifest(folder: Path, entries: list[BackupInfo]) -> None:
    data = {
        "format": 1,
        "written_by": f"cscdesk {__version__}",
        "backups": [entry.to_json() for entry in sorted(entries, key=lambda e: e.created)],
    }
    _write_atomically(folder / MANIFEST_NAME, json.dumps(data, indent=2).encode("utf-8"))


def list_backups(folder: Path, database: str | None = None) -> list[BackupInfo]:
    """Backups in `folder` (of the database named `database`, e.g. "cscdesk"), newest first.

    Files named like backups but not in the manifest are listed too, with `listed` False.
    """
    listed = [e for e in read_manifest(folder) if e.path.is_file()]
    names = {e.path.name for e in listed}
    found: list[BackupInfo] = list(listed)
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            match = _NAME_PATTERN.match(path.name)
            if match and path.name not in names and path.is_file():
                created = datetime.strptime(match["when"], "%Y-%m-%dT%H%M%S").astimezone()
                found.append(
                    BackupInfo(path, match["stem"], created, path.stat().st_size, listed=False)
                )
    if database is not None:
        found = [e for e in found if e.database == database]
    return sorted(found, key=lambda e: e.created, reverse=True)


def manifest_entry(path: Path | str) -> BackupInfo | None:
    """What the backup list beside `path` says about it; None when no list names it (or the
    entry has no checksum), so that nothing can prove the file is as it was made."""
    path = Path(path)
    for entry in read_manifest(path.parent):
        if entry.path.name == path.name and entry.sha256:
            return entry
    return None


def verify_checksum(info: BackupInfo) -> None:
    """Raise BackupChanged unless the file's sha256 is the one recorded when it was made."""
    try:
        digest = sha256_of(info.path)
    except OSError as error:
        raise DatabaseError(f"Cannot read {info.path} ({error.strerror}).") from error
    if digest != info.sha256:
        raise BackupChanged(
            f"The backup {info.path} has changed since it was made: its checksum differs from "
            f"the one in the backup list ({MANIFEST_NAME}), so it cannot be trusted."
        )


def verify_backup(info: BackupInfo, passphrase: str | None = None) -> DatabaseFacts:
    """Full check of one backup: unchanged since it was made (sha256) and a sound database."""
    if info.listed and info.sha256:
        verify_checksum(info)
    return check_database(info.path, passphrase=passphrase)


def plaintext_backups(database: Path, passphrase: str | None = None) -> list[Path]:
    """For an encrypted database: its backups in its backup folder that are not encrypted
    (made before encrypting, left by an interrupted `encrypt`) — anyone can read them."""
    if not cipher.looks_encrypted(database):
        return []
    try:
        folder = backup_folder_for(database, passphrase)
    except OSError:
        return []
    return [info.path for info in list_backups(folder, database.stem)
            if not cipher.looks_encrypted(info.path)]


def latest_good_backup(folder: Path | str, database: str | None = None,
                       passphrase: str | None = None) -> BackupInfo | None:
    """The newest listed backup in `folder` that passes `verify_backup`, or None (a file no
    backup list names cannot be verified, so it is never offered as "good")."""
    for info in list_backups(Path(folder), database):
        if not (info.listed and info.sha256):
            continue
        try:
            verify_backup(info, passphrase)
        except UserFacingError as error:
            log.warning("skipping backup %s: %s", info.path, error)
            continue
        return info
    return None


# ---------------------------------------------------------------------------------------------
# Files


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open folders and flushes renames itself)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}{_TEMP_MARK}{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    _fsync_folder(path.parent)


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _remove_stale_temporaries(folder: Path) -> None:
    """Leftovers of backups killed half-way (never under a backup's name): tidy old ones."""
    cutoff = time.time() - _STALE_TEMP_AGE.total_seconds()
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name.startswith(".") and _TEMP_MARK in path.name:
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()


# ---------------------------------------------------------------------------------------------
# Settings read straight from the file (the schema may be older than this version's models)


def _stored_settings(database: Path, passphrase: str | None = None) -> dict[str, str]:
    try:
        connection = connect_read_only(database, passphrase)
        try:
            return dict(connection.execute("SELECT key, value FROM setting").fetchall())
        finally:
            connection.close()
    except (*cipher.DB_ERRORS, DatabaseError):
        return {}


def _setting(stored: dict[str, str], option: settings.Option):  # type: ignore[no-untyped-def]
    return option.read(stored.get(option.key))


def backup_folder_for(database: Path, passphrase: str | None = None) -> Path:
    """The folder set in the database's settings, else the default in the user data folder."""
    stored = _stored_settings(database, passphrase)
    folder = str(_setting(stored, settings.BACKUP_FOLDER)).strip()
    return Path(folder) if folder else paths.default_backup_dir()


def target_folder_for(database: Path, folder: Path | str | None,
                      passphrase: str | None = None) -> Path:
    """The usable backup folder for `database`: `folder` if given, else its setting, else the
    default. Only the default is created when missing: a chosen folder that is missing is
    most likely a drive or share that is not connected."""
    chosen = Path(folder) if folder is not None else backup_folder_for(database, passphrase)
    return usable_backup_folder(chosen, create=chosen == paths.default_backup_dir())


def retention_policy_for(database: Path, passphrase: str | None = None) -> RetentionPolicy:
    stored = _stored_settings(database, passphrase)
    return RetentionPolicy(
        keep_all_days=max(0, int(_setting(stored, settings.KEEP_ALL_DAYS))),
        daily=max(0, int(_setting(stored, settings.KEEP_DAILY))),
        weekly=max(0, int(_setting(stored, settings.KEEP_WEEKLY))),
        monthly=max(0, int(_setting(stored, settings.KEEP_MONTHLY))),
    )


def old_data_note(database: Path, passphrase: str | None = None) -> str:
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


# ---------------------------------------------------------------------------------------------
# Making a backup


@dataclass(frozen=True)
class BackupResult:
    """`backup` is the new file; None when nothing changed since `unchanged_since`."""

    source: Path
    backup: BackupInfo | None
    unchanged_since: BackupInfo | None = None
    removed: tuple[Path, ...] = ()


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


def _folder_error(folder: Path, error: Exception) -> BackupFolderError:
    if not folder.is_dir():
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


def _snapshot(source: Path, temporary: Path, folder: Path, passphrase: str | None
              ) -> tuple[str, dict[str, int]]:
    """Copy `source` into `temporary` in one read transaction; returns its revision and counts."""
    try:
        with temporary.open("xb"):
            pass
    except OSError as error:
        raise _folder_error(folder, error) from error
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
            raise _folder_error(folder, error) from error
        try:
            connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        except cipher.OPERATIONAL_ERRORS as error:
            if "disk" in str(error) or "full" in str(error) or "write" in str(error):
                raise _folder_error(folder, error) from error
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
        raise _folder_error(temporary.parent, FileNotFoundError(temporary))
    try:
        copy = connect_read_only(temporary, cipher.key_for(source, passphrase))
        try:
            problems = integrity_problems(copy)
            app_id = copy.execute("PRAGMA application_id").fetchone()[0]
            copied = table_counts(copy)
        finally:
            copy.close()
    except (*cipher.DB_ERRORS, DatabaseError) as error:
        if not temporary.is_file():
            raise _folder_error(temporary.parent, error) from error
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
    temporary = target_folder / f".{stem}{_TEMP_MARK}{os.getpid()}-{time.monotonic_ns()}.db"
    try:
        revision, counts = _snapshot(source, temporary, target_folder, passphrase)
        _verify_copy(source, temporary, counts, passphrase)
        try:
            _fsync_file(temporary)
            digest = sha256_of(temporary)
        except OSError as error:
            raise _folder_error(target_folder, error) from error
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
                raise _folder_error(target_folder, error) from error
            info = BackupInfo(
                path=final, database=stem, created=now.replace(microsecond=0),
                size=size, sha256=digest, app_version=__version__,
                schema_revision=revision, counts=counts, reason=reason,
                source=str(source.resolve()),
            )
            try:
                os.replace(temporary, final)
                _fsync_folder(target_folder)
                entries.append(info)
                removed = (
                    _prune(entries, stem, now, retention_policy_for(source, passphrase))
                    if apply_retention else []
                )
                write_manifest(target_folder, [e for e in entries if e.path not in removed])
            except OSError as error:
                # A file the manifest does not list is no backup: do not leave it behind.
                with contextlib.suppress(OSError):
                    final.unlink()
                raise _folder_error(target_folder, error) from error
    finally:
        _remove_sqlite_files(temporary)
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    _remove_stale_temporaries(target_folder)
    log.info("backed up %s to %s (%s bytes, %s)", source, final, info.size, reason)
    return BackupResult(source, info, removed=tuple(removed))


def _prune(
    entries: list[BackupInfo], stem: str, now: datetime, policy: RetentionPolicy
) -> list[Path]:
    """The files of `stem`'s listed backups the policy no longer keeps (deleted by the caller
    after the manifest no longer lists them)."""
    mine = {e.path: e.created for e in entries if e.database == stem}
    keep = backups_to_keep(mine, now, policy)
    return sorted(path for path in mine if path not in keep)


def backup_before_migration(database: Path, passphrase: str | None = None) -> None:
    """The `before_migration` hook of open_database: a failed backup stops the upgrade."""
    try:
        backup_database(database, reason="before upgrade", apply_retention=False,
                        passphrase=passphrase)
    except UserFacingError as error:
        raise DatabaseError(
            f"Before upgrading {database}, cscdesk backs it up, and that failed: {error} "
            "The database was not upgraded or changed."
        ) from error


# ---------------------------------------------------------------------------------------------
# Restoring


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
        _remove_sqlite_files(self.staged)


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
    staged = live.with_name(f".{live.name}.restoring-{os.getpid()}")
    _remove_sqlite_files(staged)
    try:
        _stage_copy(backup_file, staged, facts, passphrase, key)
        prepared = PreparedRestore(live, backup_file, staged, facts, protection_note=note)
        if live.exists():
            _back_up_current(prepared, folder, passphrase)
    except BaseException:
        _remove_sqlite_files(staged)
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
    """Copy the backup to `staged`, keyed with `key` (None: plain), and verify the copy."""
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
        _fsync_file(staged)
    except (OSError, *cipher.DB_ERRORS) as error:
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
            shutil.copyfile(live, copy)
            for suffix in ("-wal", "-journal"):
                if Path(f"{live}{suffix}").exists():
                    shutil.copyfile(f"{live}{suffix}", f"{copy}{suffix}")
            _fsync_file(copy)
        except OSError as copy_error:
            raise _folder_error(target, copy_error) from copy_error
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
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{live}{suffix}").unlink()
        os.replace(prepared.staged, live)
    except OSError as error:
        prepared.discard()
        raise DatabaseError(
            f"Cannot replace {live} ({error.strerror}); is another program using it? "
            f"{prepared.safety_note}"
        ) from error
    _fsync_folder(live.parent)
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


# ---------------------------------------------------------------------------------------------
# Wording shared by the command line and the app

_RECORD_LABELS = {
    "complaint": ("complaint", "complaints"),
    "initial_feedback": ("initial feedback", "initial feedback"),
    "enquiry": ("enquiry", "enquiries"),
    "compliment": ("compliment", "compliments"),
    "dispute_resolution": ("dispute resolution", "dispute resolutions"),
}


def describe_counts(counts: dict[str, int]) -> str:
    """"12 complaints, 1 enquiry, ..." for the record tables (every kind, zeros included)."""
    return ", ".join(
        f"{counts.get(table, 0):,} {one if counts.get(table, 0) == 1 else many}"
        for table, (one, many) in _RECORD_LABELS.items()
    )


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
