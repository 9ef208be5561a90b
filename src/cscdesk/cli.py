"""The `cscdesk` command: no command opens the desktop app; subcommands do headless work.

Errors the user can act on are printed to stderr as one sentence with exit status 1; anything
else is a bug, logged with its traceback and reported as such with exit status 2.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from cscdesk import __version__, paths
from cscdesk.commands import COMMAND_MODULES
from cscdesk.errors import UserFacingError
from cscdesk.logs import log_file, setup_logging
from cscdesk.passphrase_input import passphrase_for

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
        type=Path,
        metavar="PATH",
        help=f"database file (default: $CSCDESK_DB or {paths.default_database_path()})",
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


def database_path(args: argparse.Namespace) -> Path:
    """--db, else $CSCDESK_DB, else the user data folder."""
    return args.db if args.db is not None else paths.default_database_path()


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
    args.db_path = database_path(args)
    try:
        if args.command is None:  # the app asks for a passphrase in a window
            from cscdesk.commands.app import open_app

            load_app_modules()
            return open_app(args)
        args.passphrase = passphrase_for(args.passphrase_file, args.db_path,
                                         getattr(args, "file", None))
        return int(args.handler(args) or 0)
    except UserFacingError as error:
        log.warning("%s failed: %s", args.command or "app", error)
        print(f"cscdesk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cscdesk: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command or "app")
        print(
            "cscdesk: an unexpected error stopped the command; nothing half-done was kept. "
            f"Details are in {log_file()}.",
            file=sys.stderr,
        )
        return 2
