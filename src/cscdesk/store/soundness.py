"""Is this file a sound cscdesk database? The checks `cscdesk check`, backups, restores and
opening share.

A file is sound when it is an SQLite file marked as cscdesk's, at a schema revision this
version knows, SQLite's `integrity_check` says exactly "ok", no row points at a missing
row and every document's bytes still have the sha256 taken when it was added (the integrity
check proves the file's structure, not what a document holds). None of these checks changes
the file or leaves anything beside it (see `cipher.connect`'s read-only connections). They live
below the engine and the backups so that both can use them without importing each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cscdesk.errors import DatabaseError
from cscdesk.store import cipher
from cscdesk.store.revision import APPLICATION_ID, HEAD_REVISION, SQLITE_HEADER

# The documents' total size in bytes, counted beside the rows of each table (`table_counts`)
# so that backups, restores and encryption compare it as they compare the rows; not a table.
DOCUMENT_BYTES = "document bytes"
DOCUMENT_TABLE = "document"


class DatabaseDamaged(DatabaseError):
    """The file is a cscdesk database but SQLite finds it damaged."""


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

    @property
    def documents(self) -> int:
        return self.counts.get(DOCUMENT_TABLE, 0)

    @property
    def document_bytes(self) -> int:
        return self.counts.get(DOCUMENT_BYTES, 0)


def read_revision(path: Path, passphrase: str | None = None) -> str:
    """The schema revision of an existing cscdesk file, without changing the file."""
    if _check_header(path) and passphrase is None:
        raise cipher.PassphraseNeeded(
            f"{path} is not an SQLite file: either it is not a cscdesk database, or it is an "
            "encrypted one and its passphrase is needed."
        )
    try:
        connection = cipher.connect(path, passphrase, read_only=True)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise DatabaseError(
                    f"{path} is an SQLite database of another program, not a cscdesk database."
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except cipher.DB_ERRORS as error:
        raise DatabaseError(
            f"{path} cannot be read as a cscdesk database ({error}). It may be damaged."
        ) from error
    if row is None:
        raise DatabaseError(f"{path} is a cscdesk database with no schema revision; it is damaged.")
    return str(row[0])


def _check_header(path: Path) -> bool:
    """Refuse what cannot be a database; True when the file is not plain SQLite (encrypted?)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except IsADirectoryError:
        raise DatabaseError(f"{path} is a folder, not a database file.") from None
    except OSError as error:
        raise DatabaseError(f"{path} cannot be read: {error.strerror}.") from error
    if not header:
        raise DatabaseError(f"{path} is an empty file, not a cscdesk database.")
    return header != SQLITE_HEADER


def known_revision(revision: str) -> bool:
    """Whether this version can open a database at `revision` (its own, or an older one)."""
    if revision == HEAD_REVISION:
        return True
    from cscdesk.store.migrate import known_revisions

    return revision in known_revisions()


def quick_check_problems(path: Path, passphrase: str | None = None) -> list[str]:
    """What SQLite's `PRAGMA quick_check` reports (empty when it says "ok"); never writes."""
    try:
        connection = cipher.connect(path, passphrase, read_only=True)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except cipher.DB_ERRORS as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows or ["no answer from the quick check"]


def connect_read_only(path: Path, passphrase: str | None = None) -> Any:
    """A connection that cannot change the file (keyed when the file is encrypted); it never
    creates a database where there is none."""
    if not path.is_file():
        raise DatabaseError(f"There is no file at {path}.")
    connection = cipher.connect(path, passphrase, read_only=True, isolation_level=None)
    connection.execute("PRAGMA schema_version").fetchone()
    return connection


def table_counts(connection: Any) -> dict[str, int]:
    """Rows in every table of the database (whatever tables a later version adds), and the
    documents' bytes (DOCUMENT_BYTES) when there are documents.

    `length()` of a blob is read from the row's header, so the total costs no reading of the
    documents themselves.
    """
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }
    if counts.get(DOCUMENT_TABLE):
        counts[DOCUMENT_BYTES] = connection.execute(
            f"SELECT coalesce(sum(length(data)), 0) FROM {DOCUMENT_TABLE}").fetchone()[0]
    return counts


def document_problems(connection: Any) -> list[str]:
    """Documents whose bytes are not those they were added with (their length or sha256
    differs from what was recorded), as short phrases; every document is read once."""
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if DOCUMENT_TABLE not in tables:
        return []
    problems = []
    rows = connection.execute(
        f"SELECT id, record_kind, record_reference, name, size, sha256, data "
        f"FROM {DOCUMENT_TABLE} ORDER BY id")
    for number, kind, reference, name, size, sha256, data in rows:
        data = bytes(data or b"")
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            problems.append(f"document {number} “{name}” of {kind} {reference} no longer "
                            "has the bytes it was added with")
    return problems


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


def check_database(path: Path | str, *, foreign_keys: bool = True,
                   passphrase: str | None = None) -> DatabaseFacts:
    """Prove `path` is a sound cscdesk database this version knows, or raise with a sentence.

    Checks: an SQLite file marked as cscdesk's, a known schema revision, `integrity_check`
    exactly "ok", (with `foreign_keys`) no broken links, and every document's bytes matching
    its sha256. Never changes the file.
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"There is no file at {path}.")
    # header, application id, revision: a sentence on failure
    revision = read_revision(path, passphrase)
    if not known_revision(revision):
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
            changed = document_problems(connection)
            if changed:
                raise DatabaseDamaged(
                    f"{path} is damaged: {len(changed)} document(s) do not match the checksum "
                    f"taken when they were added, the first being {changed[0]}."
                )
            counts = table_counts(connection)
        finally:
            connection.close()
    except cipher.DB_ERRORS as error:
        raise DatabaseDamaged(f"{path} is damaged: SQLite cannot read it ({error}).") from error
    return DatabaseFacts(path, revision, counts)
