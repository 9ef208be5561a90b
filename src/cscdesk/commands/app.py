"""No command: open the desktop application."""

from __future__ import annotations

import argparse


def open_app(args: argparse.Namespace) -> int:
    from cscdesk.ui.app import run_app

    return run_app(args.db_path)
