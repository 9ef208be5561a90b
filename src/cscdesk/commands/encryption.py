"""`encrypt` and `decrypt`: set, change or remove the passphrase of the database and its backups."""

from __future__ import annotations

import argparse
from pathlib import Path

LOST_WARNING = (
    "Keep the passphrase safe: if it is lost, nobody can recover the records or the backups."
)
OTHER_FOLDERS_PLAIN = (
    "Backups made before encrypting with `cscdesk backup --to FOLDER` into another folder (a USB "
    "stick, a share) are not rewritten: they stay readable without any passphrase. Delete them, "
    "or replace them with new backups."
)
OTHER_FOLDERS_CHANGED = (
    "Backups made with `cscdesk backup --to FOLDER` into another folder are not rewritten: they "
    "still open with the old passphrase."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    encrypt = subparsers.add_parser(
        "encrypt", help="encrypt the database and its backups, or change the passphrase")
    encrypt.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                         help="the new passphrase (first line); without it, it is asked for")
    encrypt.add_argument("--backups", type=Path, metavar="FOLDER",
                         help="the backup folder (default: the database's setting)")
    encrypt.set_defaults(handler=run_encrypt)
    decrypt = subparsers.add_parser(
        "decrypt", help="remove the encryption of the database and its backups")
    decrypt.add_argument("--backups", type=Path, metavar="FOLDER",
                         help="the backup folder (default: the database's setting)")
    decrypt.set_defaults(handler=run_decrypt)


def run_encrypt(args: argparse.Namespace) -> int:
    from cscdesk.passphrase_input import new_passphrase
    from cscdesk.store.encryption import change_encryption

    new = new_passphrase(args.new_passphrase_file)
    change = change_encryption(args.db_path, args.passphrase, new, args.backups)
    if change.resumed:
        print(f"{args.db_path} was encrypted with this passphrase already; finished encrypting "
              f"{change.backups_rewritten} backup(s) still in plaintext (an earlier encrypt "
              "did not finish).")
    else:
        verb = "now uses the new passphrase" if args.passphrase else "is now encrypted"
        print(f"{args.db_path} {verb}; {change.backups_rewritten} backup(s) rewritten with it.")
    _report_left(change.backups_left)
    if args.passphrase and not change.resumed:
        print(OTHER_FOLDERS_CHANGED)
    else:
        print(OTHER_FOLDERS_PLAIN)
    print(LOST_WARNING)
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    from cscdesk.errors import InputError
    from cscdesk.store.encryption import change_encryption

    if args.passphrase is None:
        raise InputError(f"{args.db_path} is not encrypted, or its passphrase was not given "
                         "(--passphrase-file FILE).")
    change = change_encryption(args.db_path, args.passphrase, None, args.backups)
    print(f"{args.db_path} is no longer encrypted; {change.backups_rewritten} backup(s) "
          "rewritten without a passphrase.")
    _report_left(change.backups_left)
    return 0


def _report_left(left: tuple[Path, ...]) -> None:
    if left:
        print(f"{len(left)} older backup(s) use another passphrase and were left as they are:")
        for path in left:
            print(f"  {path}")
