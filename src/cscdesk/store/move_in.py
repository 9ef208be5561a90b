"""Moving a single-PC database (a SQLite file, encrypted or not) to an empty server database.

`cscdesk server move-in FILE URL` (docs/server.md, "Moving in from a single PC"):

- the file is opened for reading only (`PRAGMA query_only`), in one read transaction, so what
  is copied is one consistent state of it; it is never changed;
- the server database must be at this version's schema (`cscdesk server setup`) and hold no
  rows at all, else it is refused with a sentence before anything is written;
- the audit trail and the bin keep their names (the server's triggers that write the login
  into each new event and bin entry are switched off for the move's own transaction);
- every table is copied with its ids (teams, root causes and escalations stay linked), in
  batches, in ONE transaction on the server; the search tables are filled by the server's own
  triggers; the audit trail's append-only triggers allow inserts;
- the records' documents and the council's letter templates are copied with their bytes, a few
  rows at a time (each may hold 25 MB), and keep who added them;
- before committing, the row count of every table and every appendix figure of every
  reporting year (`report.figures`, on both sides) are compared, and every document's bytes
  on the server are checked against the sha256 taken when it was added; any difference, or any row
  the server refuses, rolls everything back and is said in a sentence;
- the server's id sequences are moved past the highest id copied.

Everything is SQLAlchemy Core over the models' tables, except moving the sequences on
(PostgreSQL's `setval`, the only engine whose ids are sequences).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cscdesk.errors import DatabaseError
from cscdesk.store.location import ServerURL
from cscdesk.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

    from cscdesk.domain.years import ReportingYear

log = logging.getLogger(__name__)

BATCH = 5000
# The server's triggers writing the login into new audit events and bin entries (migration 0004)
LOGIN_TRIGGERS = (("audit_event", "audit_event_login"), ("bin_entry", "bin_entry_login"),
                  # and into who last changed a shared value (migration 0006), who added a
                  # document and who replaced a letter template (migration 0008)
                  *((table, f"{table}_changed_by_login")
                    for table in ("team", "root_cause", "setting", "narrative_text",
                                  "document", "letter_template")))
# Tables of files (up to 25 MB a row) are copied a few rows at a time, not BATCH.
BLOB_TABLES = {"document": 8, "letter_template": 8}
# The schema's own table: the server's is set up by `cscdesk server setup`.
_NOT_COPIED = ("alembic_version",)


@dataclass(frozen=True)
class MoveOutcome:
    """What was moved: rows per table (search tables included), the years compared."""

    counts: dict[str, int]
    years: tuple[ReportingYear, ...]
    seconds: float = field(default=0.0, compare=False)

    @property
    def records(self) -> int:
        from cscdesk.store.server import RECORD_TABLES

        return sum(self.counts.get(table, 0) for table in RECORD_TABLES)

    def sentence(self, file: Path, server: ServerURL) -> str:
        years = (f"{self.years[0].label} to {self.years[-1].label}" if len(self.years) > 1
                 else self.years[0].label if self.years else "none")
        return (f"Moved {file} into {server}: {self.records:,} records, "
                f"{self.counts.get('audit_event', 0):,} audit events, "
                f"{self.counts.get('bin_entry', 0):,} bin entries, and every list, setting, "
                f"narrative text and baseline figure, in {self.seconds:.1f} s. Checked: the rows "
                f"of all {len(self.counts)} tables and every appendix figure of the reporting "
                f"years ({years}) are the same on the server as in the file. The file was not "
                "changed; keep it until the team has worked on the server for a while.")


class MoveRefused(DatabaseError):
    """The move was not done (nothing was written to the server)."""


def copied_tables() -> list[Table]:
    """The tables copied, parents before children (the search tables are the triggers')."""
    from cscdesk.store.models import SEARCH_TABLES, Base

    search = {table.name for table in SEARCH_TABLES.values()}
    return [table for table in Base.metadata.sorted_tables
            if table.name not in search and table.name not in _NOT_COPIED]


def counted_tables() -> list[str]:
    """Every table whose rows are compared: the copied ones and the search tables."""
    from cscdesk.store.models import SEARCH_TABLES

    return ([table.name for table in copied_tables()]
            + [table.name for table in SEARCH_TABLES.values()])


def _count(connection: Connection, name: str) -> int:
    from sqlalchemy import func, select, table

    return int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())


def _counts(connection: Connection) -> dict[str, int]:
    return {name: _count(connection, name) for name in counted_tables()}


def _batches(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """The rows of `table` in id order (its primary key), BATCH at a time (a few, for the
    tables of files), as dicts."""
    from sqlalchemy import select

    size = BLOB_TABLES.get(table.name, BATCH)
    result = connection.execution_options(yield_per=size).execute(
        select(table).order_by(*table.primary_key.columns))
    for partition in result.mappings().partitions(size):
        yield [dict(row) for row in partition]


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    """Insert every row of `table`; a complaint escalated from a later one (a higher id) is
    inserted unlinked and linked once every complaint is in."""
    from sqlalchemy import bindparam, insert, update

    self_links = [column.name for column in table.columns
                  for key in column.foreign_keys if key.column.table is table]
    statement = insert(table)
    later: list[dict[str, Any]] = []
    copied = 0
    for rows in _batches(source, table):
        for row in rows:
            for column in self_links:
                if row[column] is not None and row[column] >= row["id"]:
                    later.append({"_id": row["id"], "_link": row[column], "_column": column})
                    row[column] = None
        target.execute(statement, rows)
        copied += len(rows)
    for column in self_links:
        links = [{"_id": item["_id"], "_link": item["_link"]}
                 for item in later if item["_column"] == column]
        if links:
            target.execute(update(table).where(table.c.id == bindparam("_id"))
                           .values({column: bindparam("_link")}), links)
    return copied


def _move_sequences_on(target: Connection) -> None:
    """Each serial id's sequence past the highest id copied (the next new row's id)."""
    if target.dialect.name != "postgresql":
        return
    from sqlalchemy import Integer

    for table in copied_tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) or \
                table.name == "baseline_year":
            continue
        name = keys[0].name
        sequence = target.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%(table)s, %(column)s)",
            {"table": table.name, "column": name}).scalar()
        if sequence is None:
            continue
        target.exec_driver_sql(
            f'SELECT setval(%(sequence)s, COALESCE((SELECT max("{name}") FROM "{table.name}"), '
            f'0) + 1, false)', {"sequence": sequence})


def reporting_years(connection: Connection) -> tuple[ReportingYear, ...]:
    """Every reporting year with a record date, a baseline figure or a narrative text in it,
    from the first to the last (the years between are compared too)."""
    from sqlalchemy import Date, func, select

    from cscdesk.domain.years import ReportingYear
    from cscdesk.store.models import RECORD_MODELS, BaselineTeamCount, BaselineYear, NarrativeText

    years: set[int] = set()
    for model in RECORD_MODELS:
        table = model.__table__
        for column in table.columns:
            if isinstance(column.type, Date):
                low, high = connection.execute(
                    select(func.min(column), func.max(column))).one()
                for day in (low, high):
                    if day is not None:
                        years.add(ReportingYear.containing(day).start_year)
    for year_column in (BaselineYear.year, BaselineTeamCount.year, NarrativeText.year):
        low, high = connection.execute(
            select(func.min(year_column), func.max(year_column))).one()
        years.update(year for year in (low, high) if year is not None)
    if not years:
        return ()
    return tuple(ReportingYear(year) for year in range(min(years), max(years) + 1))


def _first_difference(left: Any, right: Any, path: str = "") -> str:
    """Where two figures' dicts first differ, as `path: left ≠ right`."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            if left.get(key) != right.get(key):
                return _first_difference(left.get(key), right.get(key), f"{path}.{key}"
                                         if path else str(key))
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (one, other) in enumerate(zip(left, right, strict=True)):
            if one != other:
                return _first_difference(one, other, f"{path}[{index}]")
    return f"{path or 'the figures'}: {left!r} in the file, {right!r} on the server"


def verify(source: Connection, target: Connection) -> tuple[dict[str, int],
                                                            tuple[ReportingYear, ...]]:
    """The counts of every table and every year's appendix figures, the same on both sides;
    else MoveRefused saying what differed."""
    from cscdesk.report.figures import compute_figures
    from cscdesk.report.figures_text import as_dict
    from cscdesk.report.query import ServerQuery

    counts, copied = _counts(source), _counts(target)
    for name, count in counts.items():
        if copied[name] != count:
            raise MoveRefused(
                f"After the copy the server's table {name} had {copied[name]:,} rows where the "
                f"file has {count:,}, so the move was rolled back; nothing was written to the "
                "server.")
    _check_documents(target)
    years = reporting_years(source)
    file_query, server_query = ServerQuery(source), ServerQuery(target)
    for year in years:
        mine = as_dict(compute_figures(file_query, year))
        theirs = as_dict(compute_figures(server_query, year))
        if mine != theirs:
            raise MoveRefused(
                f"After the copy the appendix figures of {year.label} differ "
                f"({_first_difference(mine, theirs)}), so the move was rolled back; nothing was "
                "written to the server.")
    return counts, years


def _check_documents(target: Connection) -> None:
    """Every document on the server holds the bytes it was added with: its sha256, taken when
    it was added and copied with it, is that of the bytes the server now holds."""
    if target.dialect.name != "postgresql":
        return
    wrong = target.exec_driver_sql(
        "SELECT name, record_kind, record_reference FROM document "
        "WHERE encode(sha256(data), 'hex') <> sha256 ORDER BY id LIMIT 1").first()
    if wrong is not None:
        raise MoveRefused(
            f"After the copy the document “{wrong[0]}” of {wrong[1]} {wrong[2]} did not hold "
            "the bytes it was added with, so the move was rolled back; nothing was written to "
            "the server. Check the file (“cscdesk check”) and try again.")


def _refuse_unless_empty(target: Connection, server: ServerURL) -> None:
    from cscdesk.store.engine import schema_sentence, server_revision

    revision = server_revision(target)
    if revision != HEAD_REVISION:
        tables = target.exec_driver_sql(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
        ).scalar() if target.dialect.name == "postgresql" else 1
        raise MoveRefused(schema_sentence(server, revision, bool(tables)))
    holding = [(name, count) for name, count in _counts(target).items() if count]
    if holding:
        listed = ", ".join(f"{name} ({count:,})" for name, count in holding[:4])
        raise MoveRefused(
            f"The server database {server} is not empty (it has rows in {listed}"
            f"{', …' if len(holding) > 4 else ''}): a database file moves only into an empty "
            "one, set up with “cscdesk server setup URL”; nothing was written to it.")


def _open_file(file: Path, passphrase: str | None) -> Any:
    """The file's database, opened for reading only (no lock file, no upgrade)."""
    from cscdesk.store.engine import make_engine, open_database
    from cscdesk.store.soundness import read_revision

    if not file.is_file():
        raise MoveRefused(f"There is no database file at {file}; nothing was moved.")
    revision = read_revision(file, passphrase)
    if revision != HEAD_REVISION:
        raise MoveRefused(
            f"{file} has an older cscdesk schema ({revision}; the server has "
            f"{HEAD_REVISION}): open it once with this version of cscdesk on its PC (which "
            "upgrades it after a backup), then move it in; nothing was moved.")
    database = open_database(file, create=False, lock=False, passphrase=passphrase)
    # read-only, and never copying a write-ahead log left beside it into the file on closing
    database.engine_factory = partial(make_engine, file, passphrase=database.passphrase,
                                      read_only=True, untouched=True)
    return database


def move_in(file: Path, server: ServerURL, *, passphrase: str | None = None) -> MoveOutcome:
    """Copy the database file into the empty server database, verified, in one transaction.

    Raises MoveRefused (or DatabaseError) with a sentence; then nothing was written to the
    server. The file is only read.
    """
    from sqlalchemy.exc import DBAPIError

    from cscdesk.store.engine import make_server_engine, server_sentence
    from cscdesk.store.server import ADVISORY_LOCK

    began = time.perf_counter()
    database = _open_file(Path(file), passphrase)
    engine = make_server_engine(server)
    step = "reading the file"
    try:
        with database.engine.connect() as source:
            source.exec_driver_sql("PRAGMA query_only = 1")
            source.exec_driver_sql("SELECT 1")  # the read transaction: one state of the file
            step = "reaching the server"
            with engine.connect() as target:
                step = "checking the server database"
                # a setup or upgrade (store.server) and a move-in wait for each other
                target.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")
                _refuse_unless_empty(target, server)
                # nobody else writes while the move runs (readers may still read)
                names = ", ".join(f'"{table.name}"' for table in copied_tables())
                target.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE NOWAIT")
                # the file's history keeps its names: the server's own trigger, which writes
                # the login into each new audit event, is off for this transaction only (the
                # owner's right alone: no officer can switch it off)
                for written, trigger in LOGIN_TRIGGERS:
                    target.exec_driver_sql(f"ALTER TABLE {written} DISABLE TRIGGER {trigger}")
                for table in copied_tables():
                    step = f"copying the table {table.name}"
                    copied = _copy_table(source, target, table)
                    log.info("move-in: %s rows of %s", copied, table.name)
                for written, trigger in LOGIN_TRIGGERS:
                    target.exec_driver_sql(f"ALTER TABLE {written} ENABLE TRIGGER {trigger}")
                step = "moving the id sequences on"
                _move_sequences_on(target)
                step = "checking the copy"
                counts, years = verify(source, target)
                step = "committing"
                target.commit()
                source.rollback()
    except DBAPIError as error:
        cause = getattr(error, "orig", None) or error
        code = getattr(cause, "sqlstate", None)
        if code == "55P03":  # LOCK … NOWAIT: someone is writing
            raise MoveRefused(
                f"The server database {server} is being written to (an import or an app), so "
                "nothing was moved: let that finish, or close cscdesk on the other PCs, and "
                "try again.") from error
        if step == "reading the file":
            first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
            said = f"Cannot read {file}: {first.rstrip('.')}"
        elif code == "42501" or not step.startswith("copying"):
            said = server_sentence(server, error).removesuffix(".")
        else:
            first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
            said = f"The server refused a row ({first.rstrip('.')})"
        raise MoveRefused(f"{said}. The move stopped while {step}, so it was rolled back: "
                          "nothing was written to the server and the file was not changed."
                          ) from error
    finally:
        engine.dispose()
        database.close()
    outcome = MoveOutcome(counts, years, time.perf_counter() - began)
    log.info("moved a database file into %s: %s records", server, outcome.records)
    return outcome
