"""`cscdesk backup`, `cscdesk restore FILE` and `cscdesk check`: for scheduled jobs and support.

`backup` and `check` only read the database, so they work while the app has it open; `restore`
writes, so it needs the database closed everywhere else.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    make = subparsers.add_parser(
        "backup",
        help="make a verified backup of the database (safe while the app is open)",
        description="Back up the database with SQLite's online backup, verify the copy, add it "
        "to the backup folder's manifest and remove backups the retention rules no longer keep.",
    )
    make.add_argument("--to", type=Path, metavar="FOLDER",
                      help="backup folder (default: the one set in the app, else the user data "
                      "folder's backups; for a server database: the user data folder's "
                      "backups)")
    make.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="replace the database with a verified backup (the current one is backed up first); "
        "on a server (--db URL): restore an archive into an empty database",
    )
    restore.add_argument("file", type=Path, metavar="FILE",
                         help="the backup (or, for a server, the .pgdump archive) to restore")
    restore.add_argument("--backups", type=Path, metavar="FOLDER",
                         help="where to back up the current database first (default: as backup)")
    restore.add_argument("--unverified", action="store_true",
                         help="restore a file that no backup list names (its checksum cannot be "
                         "verified; it is still checked for damage)")
    restore.set_defaults(handler=run_restore)

    check = subparsers.add_parser(
        "check",
        help="check the database (or FILE) is a sound cscdesk database; exit 0 only when it is",
    )
    check.add_argument("file", type=Path, nargs="?", metavar="FILE",
                       help="a database or backup to check (default: the database)")
    check.set_defaults(handler=run_check)


def run_backup(args: argparse.Namespace) -> int:
    from cscdesk.store.location import ServerURL

    if isinstance(args.db_path, ServerURL):
        return _backup_server(args)
    from cscdesk.store.backup import backup_database
    from cscdesk.store.wording import describe_counts, human_size

    result = backup_database(args.db_path, args.to, reason="scheduled",
                             passphrase=args.passphrase)
    made = result.backup
    assert made is not None
    print(f"Backed up {args.db_path} to {made.path} ({human_size(made.size)}; "
          f"{describe_counts(made.counts)}; integrity check ok).")
    if result.removed:
        print(f"Removed {len(result.removed)} older backup(s) the retention rules no longer keep.")
    return 0


def _backup_server(args: argparse.Namespace) -> int:
    from cscdesk.store.server_backup import backup_server
    from cscdesk.store.wording import describe_counts, human_size

    result = backup_server(args.db_path, args.to, reason="scheduled")
    made = result.backup
    print(f"Backed up {args.db_path} to {made.path} ({human_size(made.size)}; "
          f"{describe_counts(made.counts)}; pg_restore reads it and its rows match the "
          f"server's; {result.seconds:.1f} s).")
    if result.removed:
        print(f"Removed {len(result.removed)} older backup(s) the retention rules no longer keep.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from cscdesk.store.backup_list import BackupUnverified
    from cscdesk.store.location import ServerURL

    if isinstance(args.db_path, ServerURL):
        return _restore_server(args)
    from cscdesk.store.restoring import restore_database
    from cscdesk.store.wording import describe_counts

    try:
        prepared = restore_database(args.file, args.db_path, args.backups,
                                    passphrase=args.passphrase, unverified=args.unverified)
    except BackupUnverified as error:
        raise BackupUnverified(
            f"{error} If you trust the file, restore it with --unverified."
        ) from error
    print(f"Restored {args.db_path} from {args.file} (schema {prepared.facts.revision}; "
          f"{describe_counts(prepared.facts.counts)}).")
    for note in (prepared.protection_note, prepared.safety_note):
        if note:
            print(note)
    return 0


def _restore_server(args: argparse.Namespace) -> int:
    from cscdesk.store.backup_list import BackupUnverified
    from cscdesk.store.server_backup import restore_archive
    from cscdesk.store.wording import describe_counts

    try:
        result = restore_archive(args.file, args.db_path, unverified=args.unverified)
    except BackupUnverified as error:
        raise BackupUnverified(
            f"{error} If you trust the file, restore it with --unverified."
        ) from error
    checked = ("rows match the backup list" if result.verified
               else "not in a backup list: its checksum and rows could not be compared")
    print(f"Restored {args.db_path} from {args.file} (schema {result.revision}; "
          f"{describe_counts(result.counts)}; {checked}).")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from cscdesk.errors import DatabaseError
    from cscdesk.store.server_backup import check_archive, is_archive

    if args.file is not None and is_archive(args.file):
        for line in check_archive(args.file):
            print(line)
        return 0
    from cscdesk.store.check_report import check_report

    report = check_report(args.db_path, args.file, args.passphrase)
    for line in report.lines:
        print(line)
    if report.problem:
        raise DatabaseError(report.problem)
    return 0
