"""Where a database is: a SQLite file (a path) or a PostgreSQL server (a libpq URL).

`--db` and `CSCDESK_DB` take either. A server is written as a libpq connection URL,
`postgresql://host:5432/cscdesk?sslmode=verify-full`, or names a libpq service
(`postgresql:///cscdesk?service=NAME`, the service's settings in `pg_service.conf`).
A password never belongs in it (it would show in the process list and the log): libpq finds
it in `.pgpass` / `PGPASSFILE`, or the server signs the user in (Kerberos, SSPI, peer).

No SQLAlchemy here: the command line reads a location before anything heavy is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from cscdesk.errors import InputError

SCHEMES = ("postgresql://", "postgres://")


def is_server(text: str | Path) -> bool:
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


@dataclass(frozen=True)
class ServerURL:
    """A PostgreSQL database named by a libpq URL without a password (checked when made)."""

    url: str

    def __post_init__(self) -> None:
        if not is_server(self.url):
            raise InputError(f"“{self.url}” is not a PostgreSQL URL (postgresql://…).")
        try:
            parts = urlsplit(self.url)
            password = parts.password
            query = dict(parse_qsl(parts.query))
        except ValueError as error:
            raise InputError(f"The server URL is not valid: {error}.") from None
        if password is not None or "password" in query:
            raise InputError(
                "A password does not belong in the server URL (others could read it in the "
                "process list or the log): remove it and put it in libpq's password file "
                "(~/.pgpass, %APPDATA%\\postgresql\\pgpass.conf, or the file PGPASSFILE names).")

    @property
    def database(self) -> str:
        """The database's name as written (or the service's, for a service)."""
        parts = urlsplit(self.url)
        query = dict(parse_qsl(parts.query))
        name = parts.path.lstrip("/") or query.get("dbname", "")
        if name:
            return name
        return f"service {query['service']}" if "service" in query else "(default)"

    @property
    def host(self) -> str:
        parts = urlsplit(self.url)
        query = dict(parse_qsl(parts.query))
        return parts.hostname or query.get("host") or (
            f"service {query['service']}" if "service" in query else "localhost")

    def __str__(self) -> str:
        return self.url


DatabaseLocation = Path | ServerURL


def parse_location(text: str | Path) -> DatabaseLocation:
    """A ServerURL for `postgresql://…`, else the path of a file."""
    if isinstance(text, str) and is_server(text):
        return ServerURL(text)
    return Path(text)
