"""The backup list: the manifest beside the backups, and what can be trusted from it.

The manifest (`cscdesk-backups.json`, written atomically) records each backup's time, size,
sha256, app version, schema revision, reason and counts when it was made and verified. A
listed backup whose file still has that checksum is as it was made; a file no list names
cannot be verified. Restoring, `check FILE` and the offer of "the latest good backup" all
decide trust here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cscdesk import __version__, atomic
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.store import cipher
from cscdesk.store.backup_folder import backup_folder_for
from cscdesk.store.retention import RetentionPolicy, backups_to_keep
from cscdesk.store.soundness import (
    DOCUMENT_BYTES,
    DOCUMENT_TABLE,
    DatabaseDamaged,
    DatabaseFacts,
    check_database,
)

log = logging.getLogger(__name__)

MANIFEST_NAME = "cscdesk-backups.json"
NAME_PATTERN = re.compile(r"^(?P<stem>.+)-(?P<when>\d{4}-\d\d-\d\dT\d{6})(?:-\d+)?\.db$")


class BackupChanged(DatabaseDamaged):
    """A listed backup whose file no longer matches the checksum recorded when it was made."""


class BackupUnverified(DatabaseError):
    """A file no backup list names: nothing proves it is as it was made."""


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

    @property
    def documents(self) -> int:
        """Documents in the backup, and (`document_bytes`) their total size, as counted."""
        return self.counts.get(DOCUMENT_TABLE, 0)

    @property
    def document_bytes(self) -> int:
        return self.counts.get(DOCUMENT_BYTES, 0)

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


def sha256_of(path: Path) -> str:
    """The file's checksum, as the manifest records it."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
    """Replace the manifest in one step (never half-written). Raises OSError on failure."""
    data = {
        "format": 1,
        "written_by": f"cscdesk {__version__}",
        "backups": [entry.to_json() for entry in sorted(entries, key=lambda e: e.created)],
    }
    target = folder / MANIFEST_NAME
    try:
        with atomic.replacing(target) as temporary:
            temporary.write_bytes(json.dumps(data, indent=2).encode("utf-8"))
    except atomic.WriteFailed as failed:
        raise failed.error from failed


def list_backups(folder: Path, database: str | None = None) -> list[BackupInfo]:
    """Backups in `folder` (of the database named `database`, e.g. "cscdesk"), newest first.

    Files named like backups but not in the manifest are listed too, with `listed` False.
    """
    listed = [e for e in read_manifest(folder) if e.path.is_file()]
    names = {e.path.name for e in listed}
    found: list[BackupInfo] = list(listed)
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            match = NAME_PATTERN.match(path.name)
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


def restore_hint(database: Path, passphrase: str | None = None) -> str:
    """" The latest good backup is …; restore it with: …" (or that there is none), for a
    sentence about a damaged database."""
    try:
        folder = backup_folder_for(database, passphrase)
        good = latest_good_backup(folder, database.stem, passphrase)
    except (OSError, DatabaseError):
        good = None
    if good is None:
        return " No good backup was found to restore."
    return (
        f" The latest good backup is {good.path} (made {good.created:%d %b %Y %H:%M}); "
        f'restore it with: cscdesk restore "{good.path}"'
    )


def pruned(entries: list[BackupInfo], stem: str, now: datetime,
           policy: RetentionPolicy) -> list[Path]:
    """The files of `stem`'s listed backups the policy no longer keeps (deleted by the caller
    after the manifest no longer lists them); file and server backups alike."""
    mine = {e.path: e.created for e in entries if e.database == stem}
    keep = backups_to_keep(mine, now, policy)
    return sorted(path for path in mine if path not in keep)
