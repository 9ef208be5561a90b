"""Settings of the database in use for one large write (the workbook import's transaction).

SQLite keeps a journal of each statement, so that a statement that fails can be undone alone
(foreign keys and the search tables' triggers need it), in a temporary file by default. An
import runs tens of thousands of statements; with those journals in memory its inserts take
half the time. The setting is put back afterwards, so that other work on the connection (an
export's large sort) still spills to disk. Other databases need nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def bulk_writes(session: Session) -> Iterator[None]:
    """Within the session's transaction, tune the connection for many small statements."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA temp_store").scalar() or 0)
    connection.exec_driver_sql("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA temp_store = {before}")
