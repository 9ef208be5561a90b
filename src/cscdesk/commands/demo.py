"""`cscdesk demo`: a new database of invented cases, to try the program without real data."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="create a new database of invented cases (2016/17 to this year)",
        description="Create a new database full of invented cases. Its 2018/19 appendix shows "
        "the published example's figures. An existing file is never overwritten unless --force "
        "is given.",
    )
    demo.add_argument("--db", dest="demo_db", type=Path, metavar="PATH",
                      help="the new database file (the same as cscdesk's own --db option)")
    demo.add_argument("--force", action="store_true",
                      help="replace the file if it exists (everything in it is lost)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from cscdesk.demo import create_demo_database

    path = args.demo_db if args.demo_db is not None else args.db_path
    summary = create_demo_database(path, replace=args.force)
    print("\n".join(summary.lines()))
    return 0
