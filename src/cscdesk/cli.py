"""The `cscdesk` command: no command opens the desktop app; subcommands do headless work.

Errors the user can act on are printed to stderr as one sentence with exit status 1, and so are
a full disk, a read-only file or folder and a damaged database met while working
(`storage_sentence`); anything else is a bug, logged with its traceback (without values: see
`logs`) and reported as such with exit status 2. A reader that closes the pipe early
(`cscdesk retention | head`) is no error: exit status 0, nothing on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cscdesk import __version__, paths
from cscdesk.commands import COMMAND_MODULES
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.logs import log_file, setup_logging
from cscdesk.passphrase_input import passphrase_for
from cscdesk.store.location import DatabaseLocation, ServerURL, is_server, parse_location

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cscdesk",
        description="Complaints and representations for Children's Social Care. "
        "With no command, opens the desktop application.",
    )
    parser.add_argument("--version", action="version", version=f"cscdesk {__version__}")
    parser.add_argument(
        "--db",
        type=_location,
        metavar="PATH|URL",
        help=f"database file, or a PostgreSQL server's postgresql://HOST/DATABASE (default: "
        f"$CSCDESK_DB or {paths.default_database_path()})",
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="for an encrypted database: a file whose first line is its passphrase "
        "(without it, the passphrase is asked for)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def _location(text: str) -> DatabaseLocation:
    try:
        return parse_location(text)
    except UserFacingError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def database_path(args: argparse.Namespace) -> DatabaseLocation:
    """--db, else $CSCDESK_DB, else the user data folder (a file's path or a server's URL)."""
    if args.db is not None:
        return args.db
    named = os.environ.get("CSCDESK_DB")
    if named and is_server(named):
        return ServerURL(named)
    return paths.default_database_path()


# Commands that work on a server database (team mode); the others are about a file
# (encryption, checks, the demo) (docs/server.md). "app" is the desktop app.
SERVER_COMMANDS = frozenset({"app", "server", "figures", "report", "export", "import", "backup",
                             "restore", "subject-access", "retention", "hold", "anonymise",
                             "purge", "audit-export"})


def refuse_on_server(command: str, location: DatabaseLocation) -> None:
    if isinstance(location, ServerURL) and command not in SERVER_COMMANDS:
        commands = ", ".join(sorted(SERVER_COMMANDS - {"app"}))
        raise DatabaseError(
            f"cscdesk {command} works on a database file, not on a server database "
            f"({location}). On a server: the desktop app and {commands}.")


def _names_an_archive(command: str, args: argparse.Namespace) -> bool:
    """`check FILE` where FILE is a server backup (a pg_dump archive): no database is used."""
    file = getattr(args, "file", None)
    if command != "check" or file is None:
        return False
    try:
        with Path(file).open("rb") as handle:
            return handle.read(5) == b"PGDMP"
    except OSError:
        return False


def load_app_modules() -> None:
    """Import the desktop app's modules with the cycle collector paused, then freeze them.

    They make hundreds of thousands of objects (Qt's wrappers, SQLAlchemy and the mappings)
    that live as long as the process, and nothing collectable: left running, the collector
    walked them again and again while they were being imported, about 60 ms of the start
    before the window could be painted. Frozen, later collections skip them (as the app does
    with everything alive once its window is on screen).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        import cscdesk.ui.app
        import cscdesk.ui.main_window  # noqa: F401
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "app"
    try:
        args.db_path = database_path(args)
        if not _names_an_archive(command, args):  # `check ARCHIVE` reads only the file
            refuse_on_server(command, args.db_path)
        if args.command is None:  # the app asks for a passphrase in a window
            from cscdesk.commands.app import open_app

            load_app_modules()
            return open_app(args)
        on_file = args.db_path if isinstance(args.db_path, Path) else None
        args.passphrase = passphrase_for(args.passphrase_file, on_file,
                                         getattr(args, "file", None))
        status = int(args.handler(args) or 0)
        sys.stdout.flush()  # a reader that went away is found here, not at exit
        return status
    except BrokenPipeError:
        return closed_pipe()
    except UserFacingError as error:
        return said(command, error)
    except KeyboardInterrupt:
        print("cscdesk: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except Exception as error:
        sentence = storage_sentence(error, args)
        if sentence is not None:
            return said(command, sentence, type(error))
        log.exception("unexpected error in %s", command)
        print(
            "cscdesk: an unexpected error stopped the command; nothing half-done was kept. "
            f"Details are in {log_file()}.",
            file=sys.stderr,
        )
        return 2


def said(command: str, error: UserFacingError | str, kind: type | None = None) -> int:
    """Print the sentence (exit status 1). The log gets the kind of problem; a sentence about a
    file (DatabaseError) is logged whole, others may repeat a value (a cell, a name) and are
    not."""
    kind = kind or type(error)
    if isinstance(error, DatabaseError):
        log.warning("%s failed (%s): %s", command, kind.__name__, error)
    else:
        log.warning("%s failed (%s)", command, kind.__name__)
    with contextlib.suppress(OSError):
        print(f"cscdesk: {error}", file=sys.stderr)
    return 1


def closed_pipe() -> int:
    """`cscdesk retention | head -2`: the reader has what it wanted and closed the pipe. That
    is no error (the work was done): quietly stop writing, exit 0, no traceback at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 0


# What SQLite or the system said, as words to look for, and the sentence for it.
_FULL = ("database or disk is full", "disk i/o error", "no space left", "file too large",
         "disk quota")
_READ_ONLY = ("readonly database", "read-only file system", "permission denied")
_DAMAGED = ("malformed", "file is not a database", "database corrupt")


def storage_sentence(error: BaseException, args: argparse.Namespace) -> str | None:
    """A sentence for a database or file that failed under the command (disk full, read-only,
    damaged), or None for anything else (a bug, logged with its traceback).

    Every command's work is one transaction or a file written under a temporary name, so what
    failed left nothing behind; the sentence says so.
    """
    location = getattr(args, "db_path", None)
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    if type(cause).__module__.startswith("psycopg"):
        return _server_sentence(cause, location or "the server")
    database = location if isinstance(location, Path) else Path("the database")
    if isinstance(cause, OSError):
        where = f" {cause.filename}" if cause.filename else ""
        if cause.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return (f"The disk is full: could not write{where} ({cause.strerror}); nothing "
                    "half-done was kept. Free some space and try again.")
        if cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (f"Could not use{where}: {cause.strerror} (a read-only file or folder?); "
                    "nothing half-done was kept.")
        return None
    if not _is_database_error(cause):
        return None
    text = str(cause).lower()
    if any(words in text for words in _DAMAGED):
        from cscdesk.store.backup_list import restore_hint

        if getattr(args, "file", None) is not None:  # check FILE, restore FILE: which one?
            return (f"A database the command read is damaged: SQLite cannot read part of it "
                    f"({cause}); nothing was changed.")
        return (f"{database} is damaged: SQLite cannot read part of it ({cause}); nothing was "
                f"changed.{restore_hint(database, getattr(args, 'passphrase', None))}")
    if any(words in text for words in _FULL):
        return (f"Could not write {database}: the disk is full or failing ({cause}); nothing "
                "was changed. Free some space and try again.")
    if any(words in text for words in _READ_ONLY):
        return (f"{database} cannot be written: the file or its folder is read-only "
                f"({cause}); nothing was changed.")
    return None


def _server_sentence(cause: BaseException, server: object) -> str | None:
    """A sentence for a server that went away or refused the login's work, else None."""
    try:
        import psycopg
    except ImportError:
        return None
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0].rstrip(".")
    if isinstance(cause, psycopg.errors.InsufficientPrivilege):
        return (f"Your login may not do this on {server} ({first}); nothing was changed. "
                "IT grants the cscdesk role that may (docs/server.md).")
    if isinstance(cause, psycopg.OperationalError):
        return (f"The server database {server} could not be reached or stopped answering "
                f"({first}); nothing half-done was kept.")
    return None


def _is_database_error(error: BaseException) -> bool:
    return type(error).__module__.startswith(("sqlite3", "sqlcipher3"))
