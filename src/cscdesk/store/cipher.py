"""Encrypted databases (SQLCipher through the sqlcipher3 package).

With a passphrase the whole database file — and every backup made of it — is encrypted; without
one cscdesk uses plain SQLite. Only this module, `engine`, `soundness` and the backup modules
(`backup`, `restoring`) know the difference.
A lost passphrase cannot be recovered: nothing here stores it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cscdesk.errors import DatabaseError
from cscdesk.store.revision import APPLICATION_ID, SQLITE_HEADER

if TYPE_CHECKING:
    # Errors either driver raises (sqlcipher3's are not subclasses of sqlite3's); made on first
    # use by __getattr__ below.
    DB_ERRORS: tuple[type[Exception], ...]
    OPERATIONAL_ERRORS: tuple[type[Exception], ...]


def _sqlcipher() -> Any:
    """The sqlcipher3 module, imported when first needed: loading SQLCipher took 4-10 ms of
    every start, and a plain database never uses it."""
    import sqlcipher3

    return sqlcipher3


def __getattr__(name: str) -> Any:
    """DB_ERRORS and OPERATIONAL_ERRORS, the errors either driver raises (sqlcipher3's are not
    subclasses of sqlite3's), made when first asked for (an `except` clause evaluates them
    only when something was raised)."""
    if name == "DB_ERRORS":
        errors: tuple[type[Exception], ...] = (sqlite3.Error, _sqlcipher().Error)
    elif name == "OPERATIONAL_ERRORS":
        errors = (sqlite3.OperationalError, _sqlcipher().OperationalError)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = errors
    return errors


def db_errors(*more: type[Exception]) -> tuple[type[Exception], ...]:
    """DB_ERRORS and `more`, for an `except` clause: it calls this only once something was
    raised, so SQLCipher is still loaded only when needed (and the tuple is typed)."""
    errors: tuple[type[Exception], ...] = __getattr__("DB_ERRORS")
    return (*errors, *more)


# SQLCipher 4's key derivation: PBKDF2-HMAC-SHA512 over the file's 16-byte salt (its first
# bytes), 256,000 rounds, a 256-bit key. Deriving it once and giving SQLCipher the raw key
# spares every later connection the same 0.2 s of work.
KDF_ROUNDS = 256_000
SALT_BYTES = 16


class PassphraseNeeded(DatabaseError):
    """The file is not plain SQLite: it is encrypted (or not a database at all)."""


class WrongPassphrase(DatabaseError):
    """The passphrase given does not open the file."""


def looks_encrypted(path: Path) -> bool:
    """A non-empty file that does not start with SQLite's header (encrypted, or foreign)."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(header) and header != SQLITE_HEADER


def quote(passphrase: str) -> str:
    """A passphrase as an SQL string literal (for PRAGMA key and ATTACH … KEY)."""
    return "'" + passphrase.replace("'", "''") + "'"


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise DatabaseError("A passphrase needs at least 8 characters.")
    if passphrase != passphrase.strip():
        raise DatabaseError("A passphrase cannot start or end with a space.")


def key_for(path: Path, passphrase: str | None) -> str | None:
    """The passphrase to key `path` with: none for a plain SQLite file, whatever is given."""
    if passphrase is None:
        return None
    try:
        plain = Path(path).stat().st_size > 0 and not looks_encrypted(path)
    except OSError:
        plain = False  # a new file: created encrypted
    return None if plain else passphrase


def key_pragma_value(path: Path, passphrase: str) -> str:
    """What to give SQLCipher as the key of `path`: the raw key derived from `passphrase` and
    the file's salt when the file exists, else the passphrase itself (a new file)."""
    try:
        with Path(path).open("rb") as handle:
            salt = handle.read(SALT_BYTES)
    except OSError:
        salt = b""
    if len(salt) < SALT_BYTES:
        return passphrase
    return _raw_key(passphrase, salt)


@lru_cache(maxsize=8)
def _raw_key(passphrase: str, salt: bytes) -> str:
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, 32)
    return f"x'{key.hex()}{salt.hex()}'"


def connect(path: Path, passphrase: str | None = None, *, read_only: bool = False,
            **options: Any) -> Any:
    """A DB-API connection to `path`: plain sqlite3, or sqlcipher3 keyed with `passphrase`.

    Read-only connections never change the file and leave nothing beside it: a file with no
    -wal, -shm or -journal beside it in a folder that can be written is opened normally with
    `query_only` (SQLite removes its -wal and -shm when it closes); otherwise `mode=ro`, and
    where that cannot open it (a folder that cannot be written has no room for the
    shared-memory file) `immutable=1` when no write-ahead log is pending; failing both, an
    existing file is opened normally and only read. A wrong passphrase is WrongPassphrase.
    """
    return _connect(Path(path), passphrase, read_only, options)[0]


def read_only_options(path: Path, passphrase: str | None = None) -> dict[str, str]:
    """SQLite URI options that open `path` for reading only, as `connect` found them."""
    connection, query = _connect(Path(path), passphrase, True, {})
    connection.close()
    return dict(item.split("=") for item in query.split("&")) if query else {"mode": "ro"}


_READ_ONLY_QUERIES = ("mode=ro", "immutable=1&mode=ro")


def _connect(path: Path, passphrase: str | None, read_only: bool, options: dict[str, Any]
             ) -> tuple[Any, str]:
    """The connection, and the URI query it was opened with ("" for an ordinary open)."""
    passphrase = key_for(path, passphrase)
    module: Any = sqlite3 if passphrase is None else _sqlcipher()
    if read_only and _alone(path):
        # Nothing beside the file, in a folder that can be written: an ordinary connection
        # that refuses to write (query_only). SQLite then removes the -wal and -shm it makes
        # for a WAL database when the last connection closes; a `mode=ro` connection cannot,
        # and would leave them behind after `check` or a backup.
        connection = _opened(module, str(path), passphrase, path, **options)
        connection.execute("PRAGMA query_only = 1")
        return connection, ""
    if read_only:
        # as_uri() escapes "#", "?" and "%", which would otherwise cut the path short.
        uri = path.resolve().as_uri()
        for query in _READ_ONLY_QUERIES:
            if "immutable" in query and _wal_pending(path):
                continue  # pages a writer has not yet copied into the file: never ignore them
            try:
                return _opened(module, f"{uri}?{query}", passphrase, path, uri=True,
                               **options), query
            except module.OperationalError:
                if not path.is_file():
                    raise
    return _opened(module, str(path), passphrase, path, **options), ""


def _alone(path: Path) -> bool:
    """An existing file with no -wal, -shm or -journal beside it, in a folder this process may
    write: opening it ordinarily creates nothing that outlives the connection, and replays no
    log or journal into it (there is none)."""
    if not path.is_file() or not os.access(path.parent, os.W_OK):
        return False
    return not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal"))


def alone(path: Path) -> bool:
    """Nothing beside the file (no -wal, -shm or -journal) and its folder may be written."""
    return _alone(path)


def _wal_pending(path: Path) -> bool:
    """Does a write-ahead log beside `path` hold pages not yet in the file itself?"""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _opened(module: Any, target: str, passphrase: str | None, path: Path, **options: Any
            ) -> Any:
    connection = module.connect(target, **options)
    try:
        if passphrase is not None:
            connection.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our sentence
            key = key_pragma_value(path, passphrase)
            connection.execute(f'PRAGMA key = "{key}"' if key.startswith("x'")
                               else f"PRAGMA key = {quote(key)}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as error:
        connection.close()
        if passphrase is not None and "not a database" in str(error):
            raise WrongPassphrase(
                f"The passphrase does not open {path} (or it is not a cscdesk database). "
                "Passphrases are case-sensitive."
            ) from None
        raise
    return connection


def rewrite(source: Path, target: Path, old: str | None, new: str | None) -> None:
    """Copy the database `source` (opened with `old`) to a new file `target` keyed with `new`
    (None: plain), with SQLCipher's export; the caller verifies and renames it into place."""
    sqlcipher3 = _sqlcipher()
    connection = sqlcipher3.connect(str(source))
    try:
        if old is not None:
            connection.execute(f"PRAGMA key = {quote(old)}")
        connection.execute(
            f"ATTACH DATABASE {quote(str(target))} AS converted KEY {quote(new or '')}"
        )
        connection.execute("SELECT sqlcipher_export('converted')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA converted.user_version = {int(version)}")
        connection.execute(f"PRAGMA converted.application_id = {APPLICATION_ID}")
        connection.execute("DETACH DATABASE converted")
    except sqlcipher3.Error as error:
        with contextlib.suppress(FileNotFoundError):
            os.remove(target)
        raise DatabaseError(f"Cannot convert {source}: {error}.") from error
    finally:
        connection.close()
