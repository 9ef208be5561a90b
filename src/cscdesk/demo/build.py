"""Writing the demo database: a new file built under a temporary name and renamed into place
(`atomic.replacing`, the one writer)."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from dataclasses import replace as replace_fields
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cscdesk import atomic, settings
from cscdesk.demo.casebook import Casebook
from cscdesk.demo.casework import add_casework, ombudsman_letters
from cscdesk.demo.designed import Y2, add_designed_years
from cscdesk.demo.documents import DEMO_OFFICER, add_documents
from cscdesk.demo.hand_entered import HAND_ENTERED
from cscdesk.demo.ordinary import FIRST_YEAR, add_ordinary_years
from cscdesk.demo.writer import store_records
from cscdesk.domain.kind_spec import spec
from cscdesk.domain.kinds import Kind, RecordData
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import DatabaseError
from cscdesk.report.baseline import save_baseline
from cscdesk.store import lists, records
from cscdesk.store.engine import open_database
from cscdesk.store.lock import acquire_writer_lock
from cscdesk.store.models import Complaint, OmbudsmanLetter

DEMO_COUNCIL_NAME = "Eastmere Borough Council (demo data)"
# An extra non-working day, so the settings screen has one and due dates around it move.
CLOSURE_DAY = (date(2023, 12, 27), "Council closure day")


@dataclass(frozen=True)
class DemoSummary:
    """What the demo database holds, for the command line and the app's quick start."""

    path: Path
    first_year: ReportingYear
    current_year: ReportingYear
    counts: dict[Kind, int]
    open_complaints: int
    overdue_complaints: int

    def lines(self) -> list[str]:
        total = sum(self.counts.values())
        kinds = ", ".join(f"{n} {spec(kind).noun(n)}" for kind, n in self.counts.items())
        return [
            f"Demo database created: {self.path}",
            f"{total} invented records from {self.first_year} to {self.current_year}: {kinds}.",
            f"Today {self.open_complaints} complaints are open, "
            f"{self.overdue_complaints} of them overdue.",
            "Its 2018/19 appendix shows the published example's figures "
            "(see docs/demo.md for the few that differ).",
        ]


def demo_records(today: date, calendar: WorkingCalendar) -> list[RecordData]:
    """Every invented record, referenced and in saving order (the same for the same day)."""
    earliest = ReportingYear(FIRST_YEAR + 1).start  # 2018/19's last cases have closed by then
    if today < earliest:
        raise ValueError(f"the demo needs a date after {earliest}")
    book = Casebook(calendar)
    add_designed_years(book)
    add_ordinary_years(book, today)
    records = book.finished()
    return [*records, *add_casework(records, calendar, today)]


def create_demo_database(path: Path | str, *, replace: bool = False,
                         today: date | None = None) -> DemoSummary:
    """Create a new database of invented cases at `path`.

    An existing file is refused unless `replace`; then the new database is built beside it and
    renamed over it, so the old file stays whole until the new one is complete.
    """
    path = Path(path)
    today = today or date.today()
    _check_target(path, replace)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(f"Cannot create the folder {path.parent}: {error.strerror}.") from error
    lock = acquire_writer_lock(path, "cscdesk demo")
    try:
        with atomic.replacing(path) as temporary:
            _check_target(path, replace)  # again, now that no other cscdesk can be writing it
            _check_closed(path)
            temporary.unlink()  # the store creates the new database under this name
            summary = _build(temporary, today)
            _check_closed(path)
            _remove_sqlite_files(path)  # a stale journal would apply to the new file
    except atomic.WriteFailed as failed:
        raise DatabaseError(
            f"Cannot write the demo database {path}: {failed.error.strerror}. Nothing was "
            "changed."
        ) from failed.error
    except OSError as error:
        raise DatabaseError(
            f"Cannot write the demo database {path}: {error.strerror}. Nothing was changed."
        ) from error
    finally:
        lock.release()
    return replace_fields(summary, path=path)


def _check_target(path: Path, replace: bool) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder; give a file name for the demo database.")
    if path.exists() and not replace:
        raise DatabaseError(
            f"{path} already exists, and the demo never overwrites a database. Give another "
            "file with --db, or add --force to replace it (everything in it will be lost)."
        )


def _check_closed(path: Path) -> None:
    """Refuse to replace a database that is open, in this program or another.

    The writer lock cannot tell (this process may hold it itself), but SQLite can: an open
    database keeps its -wal and -shm files, and the last connection to close removes them. A
    crash leaves them behind too, so they are first given the chance to go.
    """
    leftovers = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    if not path.exists() or not any(p.exists() for p in leftovers):
        return
    with contextlib.suppress(sqlite3.Error):
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA schema_version").fetchone()
        finally:
            connection.close()
    if any(p.exists() for p in leftovers):
        raise DatabaseError(
            f"{path} is open (in this program or another), so it cannot be replaced. Close it, "
            "then try again; nothing was changed."
        )


def _build(path: Path, today: date) -> DemoSummary:
    database = open_database(path)
    try:
        with database.transaction() as session:
            settings.put(session, settings.COUNCIL_NAME, DEMO_COUNCIL_NAME)
            lists.add_non_working_day(session, *CLOSURE_DAY)
            calendar = lists.working_calendar(session)
            store_records(session, demo_records(today, calendar), calendar)
            save_baseline(session, HAND_ENTERED)
            session.add_all(OmbudsmanLetter(**vars(letter)) for letter in ombudsman_letters(today))
            settings.put(session, settings.OFFICER_NAME, DEMO_OFFICER)
            add_documents(session, today)
            return _summary(session, path, today)
    finally:
        database.close()


def _summary(session: Session, path: Path, today: date) -> DemoSummary:
    counts = {
        kind: session.scalar(select(func.count()).select_from(model)) or 0
        for kind, model in records.MODEL_OF.items()
    }
    open_query = select(func.count()).where(Complaint.closed.is_(None))
    overdue_query = open_query.where(Complaint.responded.is_(None), Complaint.due < today)
    return DemoSummary(
        path=path,
        first_year=ReportingYear(Y2),
        current_year=ReportingYear.containing(today),
        counts=counts,
        open_complaints=session.scalar(open_query) or 0,
        overdue_complaints=session.scalar(overdue_query) or 0,
    )


def _remove_sqlite_files(path: Path) -> None:
    """What SQLite keeps beside the database file (never the file itself)."""
    for suffix in atomic.SQLITE_COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
