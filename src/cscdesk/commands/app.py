"""No command: open the desktop application."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def open_app(args: argparse.Namespace) -> int:
    """The database named by --db or $CSCDESK_DB, else the one last opened from the File
    menu, else this PC's own file."""
    from cscdesk.ui.app import run_app

    if args.db is not None or os.environ.get("CSCDESK_DB"):
        return run_app(args.db_path)
    from cscdesk.store.location import ServerURL
    from cscdesk.ui.last_database import remembered_location

    remembered = remembered_location()
    if remembered is None:
        return run_app(args.db_path)
    instead = args.db_path if isinstance(args.db_path, Path) else None
    return run_app(remembered, instead=instead if isinstance(remembered, ServerURL) else None)
