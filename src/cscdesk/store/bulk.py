"""Writing many rows at once (the workbook import's transaction), for the database in use.

- `insert_many(session, table, rows)`: an executemany INSERT of plain dicts. SQLAlchemy turns
  each row into the driver's parameters one at a time, which took as long as SQLite's own
  work in a 50,000-row import; where the driver has no faster way to insert many rows than
  its executemany (SQLite), the same is done here once per statement: the statement compiled
  for the connection's dialect, each column's bind processor (dates to text and so on), and
  the rows as tuples in the statement's order. Other drivers (psycopg batches many rows into
  one INSERT) get SQLAlchemy's own executemany. No SQL of one database is written here.
- `bulk_writes(session)`: SQLite keeps a journal of each statement, so that a statement that
  fails can be undone alone (foreign keys and the search tables' triggers need it), in a
  temporary file by default; an import runs tens of thousands of statements, and with those
  journals in memory its inserts take half the time. The setting is put back afterwards, so
  that other work on the connection (an export's large sort) still spills to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from cscdesk.store.models import Base

# (dialect class, table, column keys) -> (SQL, the keys in its order, [(place, processor)])
_Prepared = tuple[str, list[str], list[tuple[int, Callable[[Any], Any]]]]
_PREPARED: dict[tuple[type, str, tuple[str, ...]], _Prepared | None] = {}


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (plain dicts, all with the same keys) in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    keys = tuple(rows[0])
    prepared = _prepared(connection.dialect, table, keys)
    if prepared is None:
        connection.execute(table.insert(), list(rows))
        return
    sql, order, processors = prepared
    get = itemgetter(*order)
    table_rows = [list(get(row)) for row in rows]
    for index, process in processors:
        _process_column(table_rows, index, process)
    connection.exec_driver_sql(sql, [tuple(values) for values in table_rows])


def _process_column(rows: list[list[Any]], index: int, process: Callable[[Any], Any]) -> None:
    """Apply a bind processor to one column of every row, once per distinct value (dates,
    flags and choices repeat; the rows of one write share their time stamps)."""
    done: dict[Any, Any] = {None: None}
    missing = object()
    processed: list[Any] = []
    try:
        for values in rows:
            value = values[index]
            found = done.get(value, missing)
            if found is missing:
                found = done[value] = process(value)
            processed.append(found)
    except TypeError:  # a value that cannot be a key: each one processed on its own
        processed = [None if (value := values[index]) is None else process(value)
                     for values in rows]
    for values, found in zip(rows, processed, strict=True):
        values[index] = found


def _prepared(dialect: Any, table: Table, keys: tuple[str, ...]) -> _Prepared | None:
    """The compiled INSERT and its parameters' processors, or None when SQLAlchemy's own
    executemany is the way (a driver that batches, named parameters, or a column whose value
    SQLAlchemy would work out per row)."""
    cache_key = (dialect.__class__, table.name, keys)
    if cache_key in _PREPARED:
        return _PREPARED[cache_key]
    prepared: _Prepared | None = None
    if dialect.positional and not dialect.use_insertmanyvalues_wo_returning:
        compiled = table.insert().compile(dialect=dialect, column_keys=list(keys))
        order = compiled.positiontup or []
        if (len(order) > 1 and not compiled.insert_prefetch and not compiled.postfetch
                and sorted(order) == sorted(keys)):
            processors: list[tuple[int, Callable[[Any], Any]]] = [
                (place, process) for place, key in enumerate(order)
                if (process := compiled.binds[key].type.dialect_impl(dialect)
                    .bind_processor(dialect)) is not None
            ]
            prepared = (str(compiled), list(order), processors)
    _PREPARED[cache_key] = prepared
    return prepared


def table_of(model: type[Base]) -> Table:
    """A model's table (SQLAlchemy's types know `__table__` only as a FROM clause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


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
