"""Opening a cscdesk database: the one engine factory, the file checks and the migrations.

A database is a SQLite file (the single-PC default) or a PostgreSQL database on a server (team
mode, named by a `location.ServerURL`). This is the only module (with `soundness`, `cipher`
and the backups) that knows a file is SQLite. A file is used only when it is provably a
cscdesk database of a schema this version knows; anything else is refused with a sentence and
left untouched. A server database is used only when its schema is this version's: it is set
up and upgraded by IT, explicitly (`cscdesk server setup` / `upgrade`, `store.server`), never
by opening it; the file-only mechanisms (the writer lock file, SQLCipher, the write-ahead log,
file permissions, the backup before an upgrade) have no part in it.

The engine knows nothing of backups: what to do before an upgrade (a verified backup) and what
to add when a damaged file is refused (the latest good backup) are handed in by the caller —
`opening.open_database` hands in the store's own.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cscdesk import atomic
from cscdesk.errors import DatabaseError
from cscdesk.store import cipher, server_password
from cscdesk.store.location import DatabaseLocation, ServerURL
from cscdesk.store.lock import DatabaseInUse, WriterLock, acquire_writer_lock
from cscdesk.store.revision import APPLICATION_ID, HEAD_REVISION
from cscdesk.store.soundness import DatabaseDamaged, quick_check_problems, read_revision

__all__ = ["APPLICATION_ID", "Database", "make_engine", "make_server_engine", "open_database",
           "read_revision", "refuse_if_damaged"]

if TYPE_CHECKING:  # SQLAlchemy is imported when the engine is made (see Database)
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

    from cscdesk.store.capabilities import Capabilities

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# The advisory lock a server's import holds ("CSCD", then 1 for imports).
IMPORT_LOCK = (0x43534344, 1)


@dataclass
class Database:
    """An open cscdesk database: its file (or server URL), its engine and a factory of short
    sessions.

    The SQLAlchemy engine is made when first used (`engine`, `session()`, `transaction()`):
    opening a database checks the file and takes the writer lock without importing SQLAlchemy
    (a quarter of a second on a 2-core PC), so the app's window need not wait for it.
    """

    path: DatabaseLocation
    engine_factory: Callable[[], Engine] = field(repr=False)
    writer_lock: WriterLock | None = field(default=None, repr=False)
    # Kept in memory only while the database is open (backups are keyed with it).
    passphrase: str | None = field(default=None, repr=False)
    closed: bool = field(default=False, init=False)
    _engine: Engine | None = field(default=None, init=False, repr=False, compare=False)
    _sessions: sessionmaker[Session] | None = field(default=None, init=False, repr=False,
                                                     compare=False)
    _capabilities: Capabilities | None = field(default=None, init=False, repr=False,
                                               compare=False)
    # The first use may come from the GUI thread and a worker at once: one engine is made.
    _making: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                    compare=False)

    @property
    def engine(self) -> Engine:
        """The engine, made on first use."""
        engine = self._engine
        if engine is None:
            with self._making:
                if self._engine is None:
                    self._engine = self.engine_factory()
                engine = self._engine
        return engine

    def _session_factory(self) -> sessionmaker[Session]:
        sessions = self._sessions
        if sessions is None:
            from sqlalchemy.orm import sessionmaker

            engine = self.engine
            with self._making:
                if self._sessions is None:
                    self._sessions = sessionmaker(engine, expire_on_commit=False)
                sessions = self._sessions
        return sessions

    def session(self) -> Session:
        """A new session for one user action; the caller commits or rolls back."""
        return self._session_factory()()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or not at all."""
        with self._session_factory().begin() as session:
            yield session

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @property
    def on_server(self) -> bool:
        """A PostgreSQL database (team mode) rather than a SQLite file."""
        return isinstance(self.path, ServerURL)

    @property
    def capabilities(self) -> Capabilities:
        """What this login may do (everything, on a file); asked of a server once."""
        from cscdesk.store.capabilities import FILE, read_capabilities

        if not isinstance(self.path, ServerURL):
            return FILE
        if self._capabilities is None:
            with self.session() as session:
                self._capabilities = read_capabilities(session)
        return self._capabilities

    @contextlib.contextmanager
    def one_import_at_a_time(self) -> Iterator[None]:
        """On a server, one workbook import at a time: an advisory lock held on a connection
        of its own while the import runs (another raises DatabaseInUse at once). A file's
        writer lock already makes its one writer the only importer."""
        if not isinstance(self.path, ServerURL):
            yield
            return
        with self.engine.connect() as connection:
            got = connection.exec_driver_sql(
                f"SELECT pg_try_advisory_lock({IMPORT_LOCK[0]}, {IMPORT_LOCK[1]})").scalar()
            connection.commit()
            if not got:
                holder = connection.exec_driver_sql(
                    "SELECT a.usename, a.backend_start FROM pg_catalog.pg_locks l "
                    "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
                    f"AND l.classid = {IMPORT_LOCK[0]} AND l.objid = {IMPORT_LOCK[1]}").first()
                connection.rollback()
                who = (f"{holder[0]}'s import (connected since {holder[1]:%H:%M})"
                       if holder is not None and holder[0] else "Another import")
                raise DatabaseInUse(
                    f"{who} into {self.path} is running (on this or another PC), so "
                    "this one was not started; nothing was changed. Try again once it has "
                    "finished.")
            try:
                yield
            finally:
                connection.exec_driver_sql(
                    f"SELECT pg_advisory_unlock({IMPORT_LOCK[0]}, {IMPORT_LOCK[1]})")
                connection.commit()

    @property
    def file(self) -> Path:
        """The database's file, for what works on files (backups, encryption, the writer
        lock); a server database has none, which is said in a sentence."""
        if isinstance(self.path, ServerURL):
            raise DatabaseError(f"{self.path} is a server database: it has no file here to "
                                "back up, encrypt or lock (that is the server's).")
        return self.path

    def close(self) -> None:
        """Close every connection and give up the writer lock; safe to call twice."""
        self.closed = True
        if self._engine is not None:  # never used: there is nothing to close
            self._engine.dispose()
        if self.writer_lock is not None:
            self.writer_lock.release()
            self.writer_lock = None


def make_engine(path: Path, *, foreign_keys: bool = True, passphrase: str | None = None,
                read_only: bool = False, untouched: bool = False) -> Engine:
    """The engine factory: every connection gets the same pragmas.

    pysqlite's own transaction handling is switched off so that BEGIN is emitted by SQLAlchemy
    when a transaction starts (SQLAlchemy's documented recipe); this makes DDL transactional and
    lets pragmas run outside a transaction. With a passphrase (for an encrypted or a new file)
    the SQLCipher dialect keys each connection before anything else runs on it.

    Statement parameters are never shown in errors (`hide_parameters`): they are the records'
    text, and errors end up in the log. A `read_only` engine never changes the journal mode,
    and where the folder cannot be written it opens the file with SQLite's `mode=ro` (and
    `immutable=1` when no write-ahead log is pending, see `cipher.read_only_options`), so
    reading needs to create nothing beside the file. An `untouched` reader (moving a file to a
    server) opens it that way whenever anything is beside it (a write-ahead log left by a
    writer): its last connection then never copies that log into the file when it closes.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import URL
    from sqlalchemy.pool import QueuePool

    passphrase = cipher.key_for(path, passphrase)
    if read_only and (not os.access(path.parent, os.W_OK)
                      or (untouched and not cipher.alone(path))):
        # SQLite cannot make its -shm file here: open it read-only, or immutable
        database = path.resolve().as_uri()
        query = {"uri": "true", **cipher.read_only_options(path, passphrase)}
    else:
        # a reader in a folder it may write opens the file as before: SQLite then removes its
        # -wal and -shm files when it closes (a read-only connection would leave them behind)
        database, query = str(path), {}
    if passphrase is None:
        engine = create_engine(URL.create("sqlite", database=database, query=query),
                               hide_parameters=True)
    else:
        key = cipher.key_pragma_value(path, passphrase)
        url = URL.create("sqlite+pysqlcipher", password=key, database=database, query=query)
        # The SQLCipher dialect defaults to SingletonThreadPool, which closes connections still
        # in use once more threads than its size have asked for one (a crash in the C library);
        # a queue of connections, as for plain files, is safe across the app's worker threads.
        engine = create_engine(url, poolclass=QueuePool, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def make_server_engine(server: ServerURL) -> Engine:
    """The engine of a PostgreSQL database: psycopg 3, the URL handed to libpq whole.

    libpq reads every setting from the URL or the service it names (host, port, sslmode,
    service, options) and the password from `.pgpass` / `PGPASSFILE`; only a password the
    officer typed in the app (`server_password`) is handed to it, as a keyword. Parameters
    are never shown in errors (`hide_parameters`), as for files.
    """
    from sqlalchemy import create_engine, event

    engine = create_engine(
        "postgresql+psycopg://",
        connect_args={"application_name": "cscdesk",
                      "connect_timeout": SERVER_CONNECT_TIMEOUT_S},
        hide_parameters=True, pool_pre_ping=True,
    )

    @event.listens_for(engine, "do_connect")
    def _conninfo(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
                  ) -> None:
        cargs[:] = [server.url]  # the URL as libpq reads it (the dialect hands in "")
        password = server_password.password_for(server)  # one the officer typed, if any
        if password is not None:
            cparams["password"] = password

    return engine


SERVER_CONNECT_TIMEOUT_S = 10


def server_revision(connection: Connection) -> str | None:
    """The schema revision of a server database, or None when it has no cscdesk schema."""
    found = connection.exec_driver_sql(
        "SELECT to_regclass('alembic_version') IS NOT NULL").scalar()
    if not found:
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def server_sentence(server: ServerURL, error: BaseException) -> str:
    """What went wrong reaching a server, in a sentence (the driver's first line)."""
    cause = getattr(error, "orig", None) or error
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0].rstrip(".")
    if getattr(cause, "sqlstate", None) == "42501":  # insufficient privilege
        return (f"Your login may not do this on the server database {server} ({first}): IT "
                "grants a cscdesk role with “cscdesk server grant LOGIN ROLE”.")
    return f"Cannot use the server database {server}: {first}."


def connection_lost(error: BaseException) -> bool:
    """True when a server's connection went away under an action (it was rolled back)."""
    cause = getattr(error, "orig", None) or error
    if not type(cause).__module__.startswith("psycopg"):
        return False
    import psycopg

    return isinstance(cause, psycopg.OperationalError) or bool(
        getattr(error, "connection_invalidated", False))


def server_problem_sentence(error: BaseException) -> str | None:
    """What to tell the officer when a server refused an action the app did not foresee, or
    the connection went away mid-action (the transaction was rolled back either way); None
    for anything else (a bug)."""
    cause = getattr(error, "orig", None) or error
    module = type(cause).__module__
    if not module.startswith("psycopg"):
        return None
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0].rstrip(".")
    if getattr(cause, "sqlstate", None) == "42501":
        return (f"Your login may not do this on the server database ({first}), so nothing "
                "was changed. IT gives another role with “cscdesk server grant LOGIN ROLE”.")
    if connection_lost(error):
        return (f"The connection to the server database was lost ({first}), so nothing was "
                "changed. cscdesk connects again by itself: try again in a moment.")
    return None


def _open_server(server: ServerURL) -> Database:
    """A server database whose schema is this version's; anything else is refused untouched."""
    from sqlalchemy.exc import DBAPIError

    engine = make_server_engine(server)
    try:
        with engine.connect() as connection:
            revision = server_revision(connection)
            tables = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            ).scalar()
            connection.rollback()
    except DBAPIError as error:
        engine.dispose()
        raise DatabaseError(server_sentence(server, error)) from error
    except BaseException:
        engine.dispose()
        raise
    if revision != HEAD_REVISION:
        engine.dispose()
        raise DatabaseError(schema_sentence(server, revision, bool(tables)))
    return Database(server, lambda: engine)


def schema_sentence(server: ServerURL, revision: str | None, has_tables: bool) -> str:
    """Why a server database at `revision` cannot be used by this version."""
    from cscdesk.store.migrate import known_revisions

    if revision is None and not has_tables:
        return (f"The server database {server} has no cscdesk tables yet: IT sets it up once "
                f"with “cscdesk server setup URL” (docs/server.md); nothing was changed.")
    if revision is None:
        return (f"The server database {server} is not a cscdesk database (it has other tables "
                "and no cscdesk schema); nothing was changed.")
    if revision in known_revisions():
        return (f"The server database {server} has an older cscdesk schema ({revision}; this "
                f"version needs {HEAD_REVISION}): IT upgrades it with “cscdesk server upgrade "
                "URL” once every PC has this version; nothing was changed.")
    return (f"The server database {server} was upgraded by a newer version of cscdesk (schema "
            f"{revision}): install that version on this PC; nothing was changed.")


def open_database(
    path: DatabaseLocation | str,
    *,
    create: bool = True,
    before_migration: Callable[[Path], None] | None = None,
    lock: bool = True,
    passphrase: str | None = None,
    quick_check: bool = False,
    damage_hint: Callable[[Path], str] | None = None,
) -> Database:
    """Open (creating or upgrading as needed) the cscdesk database at `path`.

    Raises DatabaseError, with a sentence naming the file, when it cannot be used.
    `before_migration` is called with the path before an existing file's schema is upgraded
    (`opening.open_database` hands in a verified backup); if it raises, the upgrade is not done.
    Without it a file that needs upgrading is refused: the engine never upgrades a database nobody
    backed up. With `lock` (the default, for anything that writes) this process becomes the
    database's one writer until `Database.close()`; a second writer gets DatabaseInUse, and a file
    or folder that cannot be written is said to be read-only. Readers that never write (export,
    report, check) pass `lock=False`: their engine opens the file read-only and creates nothing
    beside it where the folder cannot be written.
    With `quick_check` (commands that write) an existing file must pass SQLite's
    `PRAGMA quick_check` first: a damaged database is refused (DatabaseDamaged), with what
    `damage_hint` adds (the latest good backup), before anything is written to it.
    An encrypted file needs its `passphrase` (PassphraseNeeded without one, WrongPassphrase
    when it does not fit); a new file is created encrypted when one is given.

    A `ServerURL` opens a PostgreSQL database whose schema is this version's; one with no
    schema, an older or a newer one is refused with a sentence and not touched (IT sets up and
    upgrades a server: `store.server`). Locking, checking, creating and passphrases are the
    server's business there, so those options are not used.
    """
    if isinstance(path, ServerURL):
        return _open_server(path)
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseError(f"There is no database at {path}.")
    else:
        read_revision(path, passphrase)  # refuse a foreign or damaged file before locking
        if lock:
            _refuse_read_only_file(path)
    if lock:
        _make_folder(path)
    writer_lock = _writer_lock(path) if lock else None
    try:
        if not path.exists():
            _create_new(path, passphrase)
        else:
            if quick_check:
                refuse_if_damaged(path, passphrase, damage_hint)
            revision = read_revision(path, passphrase)
            if revision != HEAD_REVISION:
                _check_known(path, revision)
                if before_migration is None:
                    raise DatabaseError(
                        f"{path} needs upgrading to this version's schema, and nothing was "
                        "given to back it up first; it was not upgraded or changed."
                    )
                before_migration(path)
                _migrate(path, passphrase=passphrase)
        key = cipher.key_for(path, passphrase)
        return Database(path, partial(make_engine, path, passphrase=key, read_only=not lock),
                        writer_lock, key)
    except BaseException:
        if writer_lock is not None:
            writer_lock.release()
        raise


_READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)


def _refuse_read_only_file(path: Path) -> None:
    """A database whose file cannot be written is said to be so before any work starts."""
    try:
        os.close(os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0)))
    except OSError as error:
        if error.errno in _READ_ONLY_ERRNOS:
            raise DatabaseError(
                f"{path} is read-only ({error.strerror}), so nothing can be changed in it; "
                "nothing was changed. Reading it (check, figures, report, export) still works."
            ) from error
        raise DatabaseError(f"{path} cannot be opened for writing: {error.strerror}.") from error


def _writer_lock(path: Path) -> WriterLock:
    """The writer lock; a folder that cannot be written is named as read-only."""
    try:
        return acquire_writer_lock(path)
    except DatabaseError as error:
        cause = error.__cause__
        if isinstance(cause, OSError) and cause.errno in _READ_ONLY_ERRNOS:
            raise DatabaseError(
                f"The folder {path.parent} is read-only ({cause.strerror}), so {path.name} "
                "cannot be changed; nothing was changed. Reading it (check, figures, report, "
                "export) still works."
            ) from error
        raise


def refuse_if_damaged(path: Path, passphrase: str | None = None,
                      hint: Callable[[Path], str] | None = None) -> None:
    """Raise DatabaseDamaged unless `path` passes quick_check; `hint(path)` ends the sentence
    (the latest good backup to restore)."""
    problems = quick_check_problems(path, passphrase)
    if problems:
        log.warning("%s failed its quick check (%d problem(s)); not written", path,
                    len(problems))
        raise DatabaseDamaged(
            f"{path} is damaged: SQLite's quick check found {len(problems)} problem(s), the "
            f"first being “{problems[0]}”. Nothing was written to it."
            f"{hint(path) if hint is not None else ''}"
        )


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(f"Cannot create the folder {path.parent}: {error.strerror}.") from error


def _check_known(path: Path, revision: str) -> None:
    from cscdesk.store.migrate import known_revisions

    if revision not in known_revisions():
        raise DatabaseError(
            f"{path} was made by a newer version of cscdesk (schema {revision}). "
            "Install the newer version to open it; this version has not changed the file."
        )


def _create_new(path: Path, passphrase: str | None = None) -> None:
    """Build the full schema under a temporary name, then rename: never half a database."""
    _make_folder(path)
    try:
        with atomic.replacing(path) as temporary:
            _migrate(temporary, stamp_application=True, passphrase=passphrase)
    except cipher.DB_ERRORS as error:
        raise DatabaseError(f"Cannot create the database {path}: {error}.") from error
    except atomic.WriteFailed as failed:
        raise DatabaseError(f"Cannot create the database {path}: {failed.error.strerror}.") \
            from failed.error
    except OSError as error:
        raise DatabaseError(f"Cannot create the database {path}: {error.strerror}.") from error
    log.info("created database %s", path)


def _migrate(path: Path, *, stamp_application: bool = False,
             passphrase: str | None = None) -> None:
    """Upgrade to the head revision with foreign keys off, then check them (batch-mode trap)."""
    from sqlalchemy.exc import OperationalError

    from cscdesk.store.migrate import upgrade_to_head

    engine = make_engine(path, foreign_keys=False, passphrase=passphrase)
    try:
        with engine.connect() as connection:
            upgrade_to_head(connection)
            connection.commit()
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.rollback()
            if problems:
                raise DatabaseError(
                    f"Upgrading {path} found {len(problems)} broken links between records; "
                    "the upgrade was not finished."
                )
            if stamp_application:
                connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                connection.commit()
    except OperationalError as error:
        raise DatabaseError(f"Cannot upgrade the database {path}: {error.orig}.") from error
    finally:
        engine.dispose()
    log.info("database %s is at schema %s", path, HEAD_REVISION)
