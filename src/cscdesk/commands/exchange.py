"""`cscdesk import WORKBOOK` and `cscdesk export WORKBOOK`: the interchange workbook."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import",
        help="import an interchange workbook (all or nothing; existing references are updated)",
        description="Import every sheet of an interchange workbook (.xlsx) into the database. "
        "If any cell is bad nothing is imported and every bad cell is listed.",
    )
    importer.add_argument("workbook", type=Path, metavar="WORKBOOK")
    importer.set_defaults(handler=run_import)
    exporter = subparsers.add_parser(
        "export",
        help="export the database as an interchange workbook",
        description="Write every record (and any baseline figures and Ombudsman letters) to "
        "an interchange workbook (.xlsx) that can be imported again.",
    )
    exporter.add_argument("workbook", type=Path, metavar="WORKBOOK")
    exporter.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    """The whole command with the cycle collector paused: it would otherwise walk the read
    workbook's rows again and again while the database opens and the import runs."""
    from cscdesk.exchange.paused_collector import collector_paused

    with collector_paused():
        return _run_import(args)


def _run_import(args: argparse.Namespace) -> int:
    from cscdesk.exchange import WorkbookRejected, apply_import, read_workbook
    from cscdesk.exchange.importer import hidden_note, with_database_checks
    from cscdesk.exchange.problems import printable
    from cscdesk.store.opening import open_database

    # Read first: a file that is no workbook at all must not create an empty database.
    rejected: WorkbookRejected | None = None
    try:
        parsed = read_workbook(args.workbook)
    except WorkbookRejected as error:
        rejected = error
    if rejected is not None and isinstance(args.db_path, Path) and not args.db_path.exists():
        raise with_database_checks(None, rejected) from None
    db = open_database(args.db_path, passphrase=args.passphrase, quick_check=True)  # not damaged
    try:
        if rejected is not None:
            raise with_database_checks(db, rejected) from None
        with db.one_import_at_a_time():  # on a server; a file has its writer lock
            result = apply_import(db, parsed)
    finally:
        db.close()
    print(printable(f"Imported {args.workbook.name} into {args.db_path}:"))
    for sheet, counts in result.counts.items():
        print(f"  {sheet}: {counts}")
    if not result.counts:
        print("  the workbook has no sheets of records.")
    for label, names in (("Teams", result.teams_added), ("Root causes", result.root_causes_added)):
        if names:
            print(printable(f"  {label} added to the list: {', '.join(names)}"))
    if result.hidden_sheets:
        print(f"  {hidden_note(result.hidden_sheets)}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from cscdesk.exchange import export_workbook
    from cscdesk.store.opening import open_database

    # export only reads
    db = open_database(args.db_path, create=False, lock=False, passphrase=args.passphrase)
    try:
        result = export_workbook(db, args.workbook)
    finally:
        db.close()
    print(f"Exported {result.total} rows from {args.db_path} to {result.path}:")
    for sheet, count in result.counts.items():
        print(f"  {sheet}: {count}")
    return 0
