"""Subcommands of `cscdesk`. Each module has `register(subparsers)`, which adds its
subcommands and sets `handler` on them; handlers take the parsed arguments (with `db_path`)
and return an exit status. Add a module here to add its commands.
"""

from cscdesk.commands import backup, demo, encryption, exchange, privacy, report, server

COMMAND_MODULES: tuple = (exchange, report, demo, backup, encryption, privacy, server)
