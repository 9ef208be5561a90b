"""What the move-in tests compare: a file's bytes, and the rows of every table in a file and on
a server (the tables `store.move_in` counts)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from cscdesk.store.location import ServerURL


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def server_counts(url: ServerURL) -> dict[str, int]:
    import psycopg

    from cscdesk.store.move_in import counted_tables

    with psycopg.connect(str(url), autocommit=True) as connection:
        return {name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in counted_tables()}


def file_counts(path: Path) -> dict[str, int]:
    from cscdesk.store.move_in import counted_tables

    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in counted_tables()}
    finally:
        connection.close()
