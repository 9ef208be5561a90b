"""Backups of a server database: `pg_dump` archives, verified, listed and pruned like file backups.

A backup reads the server in one REPEATABLE READ, READ ONLY transaction: it takes the schema
revision and the rows in every table, exports that transaction's snapshot
(`pg_export_snapshot`) and runs `pg_dump -Fc --snapshot=…`, so the archive holds exactly the
data that was counted. The archive is written into a temporary file beside its final name
(`atomic`: 0600, renamed into place whole). It is then verified: `pg_restore --list` must read
its table of contents, and `pg_restore --data-only` streams the archive's data back, whose
rows per table are counted and must equal the counts taken in the snapshot. Only then is it
fsync'd, checksummed (sha256), renamed into place and added to the backup folder's manifest
(`backup_list`); retention (`retention`, the server's own settings) then prunes that server
database's older archives.

Restoring (`restore_archive`) goes into an empty database only: the checksum is verified
against the manifest first (an archive no list names only with `unverified`), then
`pg_restore --single-transaction --exit-on-error` loads it (all or nothing) and the counts are
compared with the manifest's.

The programs are `pg_dump` / `pg_restore` in the folder `CSCDESK_PG_BIN` names, else on PATH.
The server is never named on their command line: its URL is turned into libpq's environment
variables (PGHOST, PGDATABASE, PGUSER, PGSSLMODE, …) for the child process only, and a
password comes from libpq's own password file (`.pgpass` / PGPASSFILE), or is the one the
officer typed in the app (`server_password`), handed over as PGPASSWORD in the environment.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cscdesk import __version__, atomic, paths, settings
from cscdesk.errors import DatabaseError
from cscdesk.store import server_password
from cscdesk.store.backup_folder import folder_error, folder_lock, usable_backup_folder
from cscdesk.store.backup_list import (
    BackupInfo,
    BackupUnverified,
    manifest_entry,
    pruned,
    read_manifest,
    sha256_of,
    verify_checksum,
    write_manifest,
)
from cscdesk.store.location import ServerURL
from cscdesk.store.retention import RetentionPolicy

log = logging.getLogger(__name__)

BIN_VARIABLE = "CSCDESK_PG_BIN"
SUFFIX = ".pgdump"
ARCHIVE_MAGIC = b"PGDMP"
_TOOL_TIMEOUT_S = 6 * 3600

# libpq's connection keywords and the environment variables that set them (libpq's docs,
# "Environment Variables"): the URL reaches pg_dump / pg_restore through these alone.
_ENVIRONMENT = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "dbname": "PGDATABASE",
    "user": "PGUSER", "passfile": "PGPASSFILE", "service": "PGSERVICE",
    "options": "PGOPTIONS", "application_name": "PGAPPNAME", "sslmode": "PGSSLMODE",
    "sslcompression": "PGSSLCOMPRESSION", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL", "sslcrldir": "PGSSLCRLDIR",
    "sslsni": "PGSSLSNI", "requirepeer": "PGREQUIREPEER",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION", "gssencmode": "PGGSSENCMODE",
    "krbsrvname": "PGKRBSRVNAME", "gsslib": "PGGSSLIB", "connect_timeout": "PGCONNECT_TIMEOUT",
    "client_encoding": "PGCLIENTENCODING", "target_session_attrs": "PGTARGETSESSIONATTRS",
    "load_balance_hosts": "PGLOADBALANCEHOSTS", "channel_binding": "PGCHANNELBINDING",
}
# What the calling process's environment may say that the URL must not be mixed with.
_CLEARED = tuple(_ENVIRONMENT.values())


@dataclass(frozen=True)
class ServerBackupResult:
    server: ServerURL
    backup: BackupInfo
    removed: tuple[Path, ...] = ()
    seconds: float = 0.0


# --- the programs and their environment ---------------------------------------------------


def tool(name: str) -> Path:
    """`pg_dump` or `pg_restore`: in the folder CSCDESK_PG_BIN names, else on PATH."""
    chosen = os.environ.get(BIN_VARIABLE, "").strip()
    if chosen:
        for candidate in (Path(chosen) / name, Path(chosen) / f"{name}.exe"):
            if candidate.is_file():
                return candidate
        raise DatabaseError(
            f"{name} is not in {chosen}, the folder {BIN_VARIABLE} names. Point "
            f"{BIN_VARIABLE} at the bin folder of PostgreSQL's client programs (the same major "
            "version as the server, or newer); nothing was done.")
    found = shutil.which(name)
    if found is None:
        raise DatabaseError(
            f"{name} (PostgreSQL's client programs) was not found on PATH. Install them "
            "(Debian/Ubuntu: postgresql-client; Windows: the PostgreSQL installer's command "
            f"line tools) or set {BIN_VARIABLE} to their folder; nothing was done.")
    return Path(found)


def libpq_environment(server: ServerURL) -> dict[str, str]:
    """The environment for a client program reaching `server`: the URL's settings as libpq's
    variables (nothing of it on the command line, where `ps` would show it)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        keywords = conninfo_to_dict(server.url)
    except Exception as error:  # psycopg.ProgrammingError: a URL libpq cannot read
        raise DatabaseError(f"The server URL cannot be read ({error}).") from None
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    for keyword, value in keywords.items():
        variable = _ENVIRONMENT.get(keyword)
        if variable is None:
            raise DatabaseError(
                f"The server URL's setting “{keyword}” cannot be handed to pg_dump/pg_restore "
                "(libpq has no environment variable for it); use a libpq service "
                "(postgresql:///?service=NAME) for it. Nothing was done.")
        env[variable] = str(value)
    env.setdefault("PGAPPNAME", "cscdesk backup")
    env["LC_MESSAGES"] = "C"
    env.update(server_password.child_environment(server))  # a password the officer typed
    return env


def _run(command: list[str], server: ServerURL, what: str, **options: Any
         ) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(command, env=libpq_environment(server), capture_output=True,
                              timeout=_TOOL_TIMEOUT_S, check=False, **options)
    except OSError as error:
        raise DatabaseError(f"{command[0]} could not be run ({error.strerror}); {what}.") \
            from error
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        hint = (" It needs a login that may read (or, restoring, create) everything in the "
                "database: use the database's owner login."
                if said and "permission denied" in said[0] else "")
        raise DatabaseError(
            f"{Path(command[0]).name} failed: {said[0] if said else 'no message'}"
            f"{' (and more)' if len(said) > 1 else ''}; {what}.{hint}")
    return done


# --- reading the server -----------------------------------------------------------------


def _connect(server: ServerURL) -> Any:
    import psycopg

    return psycopg.connect(server.url, autocommit=True, application_name="cscdesk backup",
                           **server_password.connection_keywords(server))


def _tables(connection: Any) -> list[str]:
    return [row[0] for row in connection.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname")]


def _counts(connection: Any) -> dict[str, int]:
    counts = {}
    for name in _tables(connection):
        quoted = '"' + name.replace('"', '""') + '"'
        counts[name] = int(connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])
    return counts


def _revision(connection: Any, server: ServerURL) -> str:
    if "alembic_version" not in _tables(connection):
        raise DatabaseError(f"{server} is not a cscdesk database (it has no schema revision); "
                            "nothing was backed up.")
    return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _policy(connection: Any) -> RetentionPolicy:
    class _Rows:  # settings.get reads through anything with `rows(sql, params)`
        def rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
            return list(connection.execute(sql.replace(":k", "%(k)s"), params))

    source = _Rows()
    values = [int(settings.get(source, option)) for option in (
        settings.KEEP_ALL_DAYS, settings.KEEP_DAILY, settings.KEEP_WEEKLY, settings.KEEP_MONTHLY)]
    keep_all_days, daily, weekly, monthly = (max(0, value) for value in values)
    return RetentionPolicy(keep_all_days=keep_all_days, daily=daily, weekly=weekly,
                           monthly=monthly)


def backup_stem(server: ServerURL) -> str:
    """The name a server database's archives start with: `DATABASE@HOST` in file-name letters
    (a Unix socket's folder counts as `local`), so that a file database's backups of the same
    name in the same folder are never pruned with them."""
    host = server.host
    host = "local" if host.startswith("/") else host
    return re.sub(r"[^A-Za-z0-9._@-]+", "_", f"{server.database}@{host}").strip("_") or "server"


def server_backup_folder() -> Path:
    """Where a server's archives go without --to: the user data folder's backups."""
    return paths.default_backup_dir()


# --- the archive --------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot(server: ServerURL) -> Iterator[tuple[str, str, dict[str, int], RetentionPolicy]]:
    """One REPEATABLE READ transaction held open: (snapshot id, revision, counts, policy)."""
    connection = _connect(server)
    try:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = str(connection.execute("SELECT pg_export_snapshot()").fetchone()[0])
        revision = _revision(connection, server)
        counts = _counts(connection)
        policy = _policy(connection)
        yield snapshot, revision, counts, policy
        connection.execute("COMMIT")
    finally:
        connection.close()


def archive_contents(archive: Path, server: ServerURL | None = None) -> list[str]:
    """`pg_restore --list`: the archive's table of contents (DatabaseError when it cannot be
    read: not an archive, cut short, damaged)."""
    with archive.open("rb") as handle:
        if handle.read(len(ARCHIVE_MAGIC)) != ARCHIVE_MAGIC:
            raise DatabaseError(f"{archive} is not a PostgreSQL archive (pg_dump -Fc).")
    done = _run([str(tool("pg_restore")), "--list", str(archive)], server or _NO_SERVER,
                f"{archive} cannot be read as a PostgreSQL archive")
    return done.stdout.decode("utf-8", "replace").splitlines()


_NO_SERVER = ServerURL("postgresql:///")
_COPY = re.compile(rb'^COPY (?:(?:"(?:[^"]|"")*"|[^ ."]+)\.)?("(?:[^"]|"")*"|[^ ("]+) ')


def archive_counts(archive: Path) -> dict[str, int]:
    """Rows per table in the archive's data, counted from `pg_restore --data-only`'s COPY
    blocks (text format: one line a row, newlines within values escaped)."""
    command = [str(tool("pg_restore")), "--data-only", "--file=-", str(archive)]
    counts: dict[str, int] = {}
    try:
        process = subprocess.Popen(command, env=libpq_environment(_NO_SERVER),
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
    except OSError as error:
        raise DatabaseError(f"{command[0]} could not be run ({error.strerror}); the archive "
                            "was not kept.") from error
    assert process.stdout is not None and process.stderr is not None
    table: str | None = None
    rows = 0
    finished = False
    try:
        for line in process.stdout:
            if table is not None:
                if line == b"\\.\n":
                    counts[table] = counts.get(table, 0) + rows
                    table = None
                else:
                    rows += 1
                continue
            match = _COPY.match(line)
            if match and line.rstrip().endswith(b"FROM stdin;"):
                name = match[1].decode("utf-8")
                table = name[1:-1].replace('""', '"') if name.startswith('"') else name
                rows = 0
        said = process.stderr.read().decode("utf-8", "replace").strip()
        finished = True
    finally:
        if not finished:  # interrupted: do not leave pg_restore running
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    if process.wait() != 0 or table is not None:
        raise DatabaseError(f"The data in {archive} cannot be read back "
                            f"({said.splitlines()[0] if said else 'cut short'}).")
    return counts


def _verify_archive(archive: Path, counts: dict[str, int], server: ServerURL) -> None:
    archive_contents(archive, server)
    found = archive_counts(archive)
    expected = {table: count for table, count in counts.items() if count}
    if {table: count for table, count in found.items() if count} != expected:
        differ = sorted(t for t in set(found) | set(counts)
                        if found.get(t, 0) != counts.get(t, 0))
        raise DatabaseError(
            f"The archive of {server} does not hold what the server had: the rows of "
            f"{', '.join(differ)} differ ({ {t: found.get(t, 0) for t in differ} } instead of "
            f"{ {t: counts.get(t, 0) for t in differ} }). It was not kept.")


def _unused_name(folder: Path, stem: str, when: datetime) -> Path:
    base = f"{stem}-{when.strftime('%Y-%m-%dT%H%M%S')}"
    candidate = folder / f"{base}{SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}{SUFFIX}"
        number += 1
    return candidate


def dump_command(snapshot: str, temporary: Path) -> list[str]:
    """pg_dump's command line: the program, the snapshot and the file; never the server."""
    return [str(tool("pg_dump")), "--format=custom", f"--snapshot={snapshot}",
            "--no-password", f"--file={temporary}"]


def backup_server(
    server: ServerURL,
    folder: Path | str | None = None,
    *,
    reason: str = "manual",
    now: datetime | None = None,
    apply_retention: bool = True,
) -> ServerBackupResult:
    """Archive `server` with pg_dump into `folder` (default: `server_backup_folder()`), verify
    it, list it in the manifest and prune. Raises a UserFacingError with a sentence; nothing is
    added or removed then."""
    began = time.perf_counter()
    chosen = Path(folder) if folder is not None else server_backup_folder()
    target_folder = usable_backup_folder(chosen, create=chosen == server_backup_folder())
    now = (now or datetime.now()).astimezone()
    stem = backup_stem(server)
    try:
        temporary = atomic.new_temporary(target_folder / f"{stem}{SUFFIX}",
                                         older_than_s=3600)
    except atomic.WriteFailed as failed:
        raise folder_error(target_folder, failed.error) from failed.error
    removed: list[Path] = []
    try:
        with _snapshot(server) as (snapshot, revision, counts, policy):
            _run(dump_command(snapshot, temporary), server,
                 f"nothing was backed up from {server}")
        _verify_archive(temporary, counts, server)
        try:
            atomic.fsync_file(temporary)
            digest = sha256_of(temporary)
            size = temporary.stat().st_size
        except OSError as error:
            raise folder_error(target_folder, error) from error
        with folder_lock(target_folder):
            entries = [e for e in read_manifest(target_folder) if e.path.is_file()]
            final = _unused_name(target_folder, stem, now)
            info = BackupInfo(
                path=final, database=stem, created=now.replace(microsecond=0), size=size,
                sha256=digest, app_version=__version__, schema_revision=revision,
                counts=counts, reason=reason, source=str(server),
            )
            try:
                atomic.put_in_place(temporary, final)
                entries.append(info)
                if apply_retention:
                    removed = pruned(entries, stem, now, policy)
                write_manifest(target_folder, [e for e in entries if e.path not in removed])
            except (OSError, atomic.WriteFailed) as error:
                with contextlib.suppress(OSError):
                    final.unlink()
                cause = error.error if isinstance(error, atomic.WriteFailed) else error
                raise folder_error(target_folder, cause) from error
    finally:
        atomic.discard(temporary)
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    log.info("backed up %s to %s (%s bytes, %s)", server, final, size, reason)
    return ServerBackupResult(server, info, tuple(removed), time.perf_counter() - began)


# --- restoring ----------------------------------------------------------------------------


def is_archive(path: Path) -> bool:
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(ARCHIVE_MAGIC)) == ARCHIVE_MAGIC
    except OSError:
        return False


def trusted_entry(archive: Path, *, unverified: bool = False) -> BackupInfo | None:
    """The manifest's entry for `archive`, its checksum verified (BackupChanged when the file
    changed); None for an archive no list names, allowed only when `unverified`."""
    if not archive.is_file():
        raise DatabaseError(f"There is no file {archive}.")
    entry = manifest_entry(archive)
    if entry is None:
        if not unverified:
            raise BackupUnverified(
                f"{archive} is not in the backup list beside it, so nothing proves it is the "
                "archive cscdesk made and verified.")
        return None
    verify_checksum(entry)
    return entry


@dataclass(frozen=True)
class RestoreResult:
    server: ServerURL
    archive: Path
    revision: str
    counts: dict[str, int]
    verified: bool


def _objects_in(connection: Any) -> int:
    """Tables, views, sequences and functions the database holds outside PostgreSQL's own."""
    return int(connection.execute(
        "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "        AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
        "        AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')) "
        "     + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')"
    ).fetchone()[0])


def restore_archive(archive: Path | str, server: ServerURL, *,
                    unverified: bool = False) -> RestoreResult:
    """Restore a cscdesk server archive into the empty database `server` (all or nothing),
    then compare its rows with the manifest's. Refused with a sentence when the archive's
    checksum does not match, it is not listed (unless `unverified`) or the database is not
    empty."""
    archive = Path(archive)
    entry = trusted_entry(archive, unverified=unverified)
    archive_contents(archive, server)
    with contextlib.closing(_connect(server)) as connection:
        objects = _objects_in(connection)
    if objects:
        raise DatabaseError(
            f"{server} is not empty (it holds {objects} table(s), sequence(s) or other "
            "objects), and an archive is restored only into an empty database, so that "
            "nothing in it is mixed with or overwritten by the archive. Ask IT for a new empty "
            "database (CREATE DATABASE … OWNER your login) and restore into that; nothing "
            "was changed.")
    _run([str(tool("pg_restore")), "--single-transaction", "--exit-on-error", "--no-owner",
          "--no-password", f"--dbname={_dbname_placeholder()}", str(archive)], server,
         f"nothing was restored into {server} (the restore is all or nothing)")
    with contextlib.closing(_connect(server)) as connection:
        revision = _revision(connection, server)
        counts = _counts(connection)
    if entry is not None and {t: c for t, c in counts.items() if c} != \
            {t: c for t, c in entry.counts.items() if c}:
        raise DatabaseError(
            f"{server} was restored from {archive} but its rows ({counts}) differ from those "
            f"the backup list records ({entry.counts}); check the database before using it.")
    return RestoreResult(server, archive, revision, counts, entry is not None)


def _dbname_placeholder() -> str:
    """pg_restore restores into a database only when given --dbname; an empty connection
    string leaves everything to the environment (PGDATABASE, PGHOST, …)."""
    return ""


def check_archive(archive: Path, *, unverified: bool = True) -> list[str]:
    """Lines for `cscdesk check ARCHIVE`: its checksum against the list, its contents read."""
    lines = []
    entry = trusted_entry(archive, unverified=unverified)
    lines.append(f"{archive}: checksum matches the backup list." if entry is not None else
                 f"{archive}: no backup list names it, so its checksum cannot be verified.")
    contents = archive_contents(archive)
    data = sum(1 for line in contents if " TABLE DATA " in line)
    lines.append(f"pg_restore reads its table of contents ({len(contents)} lines, "
                 f"data of {data} table(s)).")
    if entry is not None:
        lines.append(f"Made {entry.created:%d %b %Y %H:%M} from {entry.source}, schema "
                     f"{entry.schema_revision}, {entry.records:,} records.")
    return lines

