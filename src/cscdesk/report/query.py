"""Read-only SQL for the report: one small interface over an ORM session or a plain connection.

The figures are a handful of aggregate queries written as SQL text with `:name` parameters,
which SQLAlchemy's `text()` and Python's sqlite3 both accept unchanged. The desktop app passes
its `Session`; the `cscdesk report` command reads an up-to-date database through a plain sqlite3
connection, because importing SQLAlchemy's ORM alone costs about half a second and the whole
command must finish in 0.6 s. Any file that is not provably a current cscdesk database goes
through `open_database` instead, which gives the usual sentences (not a database, too new) and
upgrades an old schema.

Values come back as SQLite stores them: dates as `YYYY-MM-DD` text, booleans as 0/1.

A server database (PostgreSQL) is read through one SQLAlchemy Core connection of the store's
own engine (no ORM, no session), after the same check that its schema is this version's; its
values are turned into the same plain forms (dates as text, booleans as 0/1), so the figures
cannot tell the engines apart. `Query.dialect` names the engine, for the few statements whose
SQL differs ("sqlite" or "postgresql").
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cscdesk.errors import DatabaseError
from cscdesk.store.location import ServerURL
from cscdesk.store.revision import APPLICATION_ID, HEAD_REVISION, SQLITE_HEADER

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

_BUSY_SECONDS = 5.0


class Query(Protocol):
    """Runs one read-only statement and returns its rows as tuples."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        ...


def _plain(value: Any) -> Any:
    """A server's value as SQLite gives it: dates as ISO text, booleans as 0/1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date | datetime):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return value


def _plain_rows(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [tuple(_plain(value) for value in row) for row in rows]


class SessionQuery:
    """Runs SQL text inside the caller's session (so unflushed edits are seen)."""

    def __init__(self, session: Session) -> None:
        from sqlalchemy import text

        self._session = session
        self._text = text
        self.dialect = session.get_bind().dialect.name

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        found = self._session.execute(self._text(sql), dict(params or {})).all()
        return found if self.dialect == "sqlite" else _plain_rows(found)


class ServerQuery:
    """Runs SQL text on one Core connection to a server database (read-only transaction)."""

    def __init__(self, connection: Connection) -> None:
        from sqlalchemy import text

        self._connection = connection
        self._text = text
        self.dialect = connection.dialect.name

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        return _plain_rows(self._connection.execute(self._text(sql), dict(params or {})).all())


class ConnectionQuery:
    """Runs SQL on a plain sqlite3 connection."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        return self._connection.execute(sql, dict(params or {})).fetchall()


def query_for(source: Session | sqlite3.Connection | Query) -> Query:
    """The Query for a session, a sqlite3 connection, or a Query already made."""
    if isinstance(source, sqlite3.Connection):
        return ConnectionQuery(source)
    if isinstance(source, SessionQuery | ConnectionQuery | ServerQuery):
        return source
    return SessionQuery(source)  # type: ignore[arg-type]


def _current_database(path: Path) -> sqlite3.Connection | None:
    """A plain connection when `path` is a cscdesk database at this version's schema, else None.

    Only reads are issued on it. Anything unusual returns None so that the caller falls back to
    `open_database`, the one place that explains and repairs.
    """
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
        connection = sqlite3.connect(path, timeout=_BUSY_SECONDS)
    except (OSError, sqlite3.Error):
        return None
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if app_id == APPLICATION_ID and revision is not None and revision[0] == HEAD_REVISION:
            return connection
    except sqlite3.Error:
        pass
    connection.close()
    return None


def dialect_of(query: Query) -> str:
    """"sqlite" or "postgresql": the engine behind `query`."""
    return str(getattr(query, "dialect", "sqlite"))


@contextlib.contextmanager
def _reading_server(server: ServerURL) -> Iterator[Query]:
    """A read-only REPEATABLE READ transaction on one connection of the server database's
    engine: every figure of one report is read from one snapshot, even while officers save."""
    from sqlalchemy.exc import DBAPIError

    from cscdesk.store.engine import open_database, server_sentence

    database = open_database(server)  # refuses, with a sentence, a schema not this version's
    try:
        with database.engine.connect() as connection:
            connection.exec_driver_sql(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield ServerQuery(connection)
            connection.rollback()
    except DBAPIError as error:
        raise DatabaseError(server_sentence(server, error)) from error
    finally:
        database.close()


@contextlib.contextmanager
def reading(path: Path | ServerURL, passphrase: str | None = None) -> Iterator[Query]:
    """A Query over the database file at `path` (or the server database), for one report;
    closed afterwards.

    Raises DatabaseError (via `open_database`) when the file is missing or not usable; an
    encrypted file is read through `open_database` with its `passphrase`.
    """
    if isinstance(path, ServerURL):
        with _reading_server(path) as query:
            yield query
        return
    path = Path(path)
    connection = _current_database(path)
    if connection is not None:
        try:
            yield ConnectionQuery(connection)
        except sqlite3.Error as error:  # e.g. the file went away or its folder is read-only
            raise DatabaseError(f"{path} cannot be read: {error}.") from error
        finally:
            connection.close()
        return
    from cscdesk.store.opening import open_database

    # A reader, never the writer.
    database = open_database(path, create=False, lock=False, passphrase=passphrase)
    try:
        with database.session() as session:
            yield SessionQuery(session)
    finally:
        database.close()
