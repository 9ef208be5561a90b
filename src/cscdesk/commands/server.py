"""`cscdesk server setup|upgrade|grant`: IT's commands for a PostgreSQL server (team mode).

    cscdesk server setup URL [--print-sql]     the schema and the roles, once, as the owner
    cscdesk server upgrade URL [--print-sql]   this version's schema, once every PC has it
    cscdesk server grant LOGIN ROLE [URL]      give a login a role: officer, manager, auditor
    cscdesk server move-in FILE URL            copy a single PC's database file into an empty
                                               server database, checked (store.move_in)

The URL is a libpq URL without a password (`.pgpass` / `PGPASSFILE` holds it); `grant`
without one uses --db or $CSCDESK_DB. The work is in `store.server`; see docs/server.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cscdesk.errors import InputError
from cscdesk.store.location import ServerURL, is_server


def _url(text: str) -> ServerURL:
    if not is_server(text):
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a PostgreSQL URL: write postgresql://HOST/DATABASE (or "
            "postgresql:///DATABASE?service=NAME)")
    try:
        return ServerURL(text)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    server = subparsers.add_parser(
        "server", help="set up, upgrade or grant roles on a PostgreSQL server (for IT)",
        description="Team mode: one shared database on a PostgreSQL server. See docs/server.md.")
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    setup = actions.add_parser(
        "setup", help="create the schema and the roles on an empty database",
        description="Create cscdesk's tables (the same migrations as a database file) and the "
        "roles cscdesk_officer, cscdesk_manager and cscdesk_auditor, in one transaction. Run "
        "once, with a login that owns the database and may create roles.")
    setup.add_argument("url", type=_url, metavar="URL",
                       help="postgresql://HOST[:PORT]/DATABASE (no password: use .pgpass)")
    setup.add_argument("--print-sql", action="store_true",
                       help="print the SQL instead of running it (for IT to run with psql)")
    setup.set_defaults(handler=run_setup)

    upgrade = actions.add_parser(
        "upgrade", help="upgrade the schema to this version's",
        description="Upgrade a cscdesk server database to this version's schema (run once "
        "every PC has this version), and grant the roles on anything new.")
    upgrade.add_argument("url", type=_url, metavar="URL", help="the server database")
    upgrade.add_argument("--print-sql", action="store_true",
                         help="print the SQL instead of running it")
    upgrade.set_defaults(handler=run_upgrade)

    grant = actions.add_parser(
        "grant", help="give a login one of cscdesk's roles",
        description="Grant LOGIN (an existing login role) cscdesk_officer, cscdesk_manager or "
        "cscdesk_auditor.")
    grant.add_argument("login", metavar="LOGIN", help="the person's login on the server")
    grant.add_argument("role", metavar="ROLE", help="officer, manager or auditor")
    grant.add_argument("url", type=_url, metavar="URL", nargs="?",
                       help="the server database (default: --db or $CSCDESK_DB)")
    grant.add_argument("--print-sql", action="store_true",
                       help="print the SQL instead of running it")
    grant.set_defaults(handler=run_grant)

    move_in = actions.add_parser(
        "move-in", help="copy a single PC's database file into an empty server database",
        description="Copy every record, list, setting, narrative text, baseline figure, bin "
        "entry and the whole audit trail of a database file into an empty server database "
        "(set up with “cscdesk server setup”), in one transaction, then compare every table's "
        "rows and every year's appendix figures before committing. The file is only read. An "
        "encrypted file takes --passphrase-file FILE (before “server”).")
    move_in.add_argument("file", type=Path, metavar="FILE", help="the database file (.db)")
    move_in.add_argument("url", type=_url, metavar="URL", help="the empty server database")
    move_in.set_defaults(handler=run_move_in)


def run_setup(args: argparse.Namespace) -> int:
    from cscdesk.store import server

    if args.print_sql:
        sys.stdout.write(server.sql_for())
        return 0
    print(server.setup(args.url).sentence(args.url))
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    from cscdesk.store import server

    if args.print_sql:
        sys.stdout.write(server.upgrade_sql(args.url))
        return 0
    print(server.upgrade(args.url).sentence(args.url))
    return 0


def run_grant(args: argparse.Namespace) -> int:
    from cscdesk.store import server

    if args.print_sql:
        print(server.grant_sql(args.login, args.role) + ";")
        return 0
    url = args.url if args.url is not None else args.db_path
    if not isinstance(url, ServerURL):
        raise InputError("Name the server database: cscdesk server grant LOGIN ROLE URL "
                         "(or --db URL).")
    role = server.grant(url, args.login, args.role)
    print(f"Granted {role} to {args.login} on {url}.")
    return 0


def run_move_in(args: argparse.Namespace) -> int:
    from cscdesk.store.move_in import move_in

    print(move_in(args.file, args.url, passphrase=args.passphrase).sentence(args.file, args.url))
    return 0
