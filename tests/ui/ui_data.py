"""Small real databases for the UI tests, built with the store's own save."""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Outcome,
)
from cscdesk.store import records
from cscdesk.store.engine import Database, open_database

_template: list[Path] = []


@contextlib.contextmanager
def copied_database(db_path: Path) -> Iterator[Database]:
    """A fresh real database at `db_path`, copied from one made once per test run: creating a
    database runs every migration, which is most of a small UI test's time."""
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="cscdesk-ui-template-"))
        atexit.register(shutil.rmtree, folder, True)
        open_database(folder / "template.db").close()
        _template.append(folder / "template.db")
    shutil.copyfile(_template[0], db_path)
    db = open_database(db_path)
    try:
        yield db
    finally:
        from cscdesk.ui.workers import wait_for_background_work

        wait_for_background_work()  # no work left running on a closed database
        db.close()


def fill(database, today: date | None = None) -> None:
    """Four complaints (one overdue, one closed), and one record of every other kind."""
    today = today or date.today()
    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C-OLD", today - timedelta(days=60), 1, "Fostering", complainant="Ann Smith",
            summary="Late visit"))
        records.save(session, ComplaintData(
            "C-NEW", today, 1, "Adoption", complainant="Bob Jones", summary="Letter lost"))
        records.save(session, ComplaintData(
            "C-DONE", today - timedelta(days=90), 2, "Fostering",
            responded=today - timedelta(days=50), closed=today - timedelta(days=40),
            outcome=Outcome.UPHELD, root_cause="Communication", summary="Closed case"))
        records.save(session, ComplaintData(
            "C-ANSWERED", today - timedelta(days=30), 1, "Adoption",
            responded=today - timedelta(days=20), summary="Answered, not closed"))
        records.save(session, InitialFeedbackData("IF-1", today, "Fostering", None, "Concern"))
        records.save(session, EnquiryData("EN-1", today, EnquirySource.MP, "Adoption",
                                          "Cllr Green", None, "Question"))
        records.save(session, ComplimentData("CO-1", today, "Adoption", "Thank you"))
        records.save(session, DisputeData("DR-1", today, "Fostering", None, "IRO dispute"))


def many_compliments(database, count: int) -> None:
    with database.transaction() as session:
        for number in range(count):
            records.save(session, ComplimentData(f"CO-{number:04d}", date(2024, 5, 1),
                                                 "Adoption", f"Thanks {number}"))


def shown_window(database: Database, qtbot):
    """The main window on `database` with scripted dialogs, shown and exposed; closed by
    pytest-qt at the end of the test."""
    from cscdesk.ui.dialog_service import ScriptedDialogs
    from cscdesk.ui.main_window import MainWindow

    window = MainWindow(database, ScriptedDialogs())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
