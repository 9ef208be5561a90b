"""Opening a database with the store's safeguards: the way the app and the commands open one.

The engine (`engine.open_database`) knows nothing of backups, so that the backups, which read
databases, need not be imported by what opens them. This is where the two meet: before a
schema upgrade a verified backup is made (a failed backup stops the upgrade), and a database
refused as damaged names the latest good backup to restore.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from cscdesk.store.backup import backup_before_migration
from cscdesk.store.backup_list import restore_hint
from cscdesk.store.engine import Database
from cscdesk.store.engine import open_database as open_engine
from cscdesk.store.location import DatabaseLocation


def open_database(
    path: DatabaseLocation | str,
    *,
    create: bool = True,
    before_migration: Callable[[Path], None] | None = None,
    lock: bool = True,
    passphrase: str | None = None,
    quick_check: bool = False,
) -> Database:
    """`engine.open_database`, with a verified backup before an upgrade (unless the caller
    hands in its own `before_migration`) and the latest good backup named when `quick_check`
    refuses a damaged file. Raises DatabaseError with a sentence when the file cannot be used.
    A server database (a `location.ServerURL`) is never upgraded or backed up here: the
    engine opens it only at this version's schema (see `engine.open_database`).
    """
    return open_engine(
        path, create=create, lock=lock, passphrase=passphrase, quick_check=quick_check,
        before_migration=(before_migration if before_migration is not None
                          else partial(backup_before_migration, passphrase=passphrase)),
        damage_hint=partial(restore_hint, passphrase=passphrase),
    )

