"""The officer's flows in the real widgets on a server database (team mode), against the
session's PostgreSQL server: a complaint typed in, found, changed and its history; the
dashboard; the appendix (the same PDF text as from a file with the same records); a workbook
imported and exported; the data protection panes (bin, legal hold, retention, subject access).
Where a flow can go wrong only on one engine, the same flow runs on a SQLite file too and the
two are compared."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from ui_data import copied_database, fill

from cscdesk.domain.kinds import ComplaintData, Kind, Outcome
from cscdesk.store import records
from cscdesk.store.engine import Database, open_database
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.history_dialog import HistoryDialog
from cscdesk.ui.workers import wait_for_background_work
from test_figures_dataset import load_dataset

pytestmark = pytest.mark.postgresql

CTRL = Qt.KeyboardModifier.ControlModifier
# Typed as an officer would paste them: markup characters, curly quotes, a dash, accents.
COMPLAINANT = "Zoë O’Brien & Sons <Ltd>"
SUMMARY = "“Late” visit – café & <b>façade</b> £5"
NOTES = "Rang Zoë: “sorry” & <promised> a call"


@pytest.fixture
def server(server_url) -> Iterator[Database]:
    """An open database on the session's PostgreSQL server, at this version's schema."""
    database = open_database(server_url)
    try:
        yield database
    finally:
        wait_for_background_work()  # no work left running on a closed database
        database.close()


@pytest.fixture
def file(db_path) -> Iterator[Database]:
    """A SQLite file, to compare the server's results with."""
    with copied_database(db_path) as database:
        yield database


# --- the keyboard and modal dialogs --------------------------------------------------------


@pytest.fixture(autouse=True)
def focus_return(qapp):
    """As in the app (run_app): the window under a closed dialog takes the keyboard back."""
    from cscdesk.ui.focus_return import FocusReturn

    FocusReturn.install()
    yield
    for helper in qapp.findChildren(FocusReturn):
        helper.setParent(None)
        helper.deleteLater()



def focused() -> QWidget:
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard"  # QTest would abort the process
    return widget


def back_in(window: QWidget, qtbot) -> None:
    """Wait until `window` has the keyboard again (a dialog over it closed)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window
                    and QApplication.focusWidget() is not None, timeout=5000)


def type_text(qtbot, text: str) -> None:
    """Type `text` into the focused widget, a key at a time; QTest types Latin-1 only (and
    aborts the process on anything else), so a curly quote or a dash is sent as a key event
    that carries the character, as a keyboard layout or the input method would send it."""
    for character in text:
        if ord(character) < 0x80:
            qtbot.keyClicks(focused(), character)
            continue
        for event_type in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(focused(), QKeyEvent(
                event_type, 0, Qt.KeyboardModifier.NoModifier, character))


def key(qtbot, pressed: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), pressed, modifier)


def tab(qtbot, times: int = 1) -> None:
    for _ in range(times):
        key(qtbot, Qt.Key.Key_Tab)


def at() -> str:
    return focused().accessibleName()


def when_shown(kind: type[QDialog], act: Callable[[QDialog], None], seconds: float = 20,
               ready: Callable[[QDialog], bool] = lambda _dialog: True
               ) -> list[BaseException]:
    """Run `act` on the next `kind` of modal dialog (that is `ready`), inside its exec() (as a
    person at the desk would, while the app waits for the dialog). What went wrong is added
    to the list returned, and a dialog left open by a failing `act` is closed, so that the
    test fails instead of hanging."""
    problems: list[BaseException] = []
    deadline = time.monotonic() + seconds

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible() or not ready(dialog):
            if time.monotonic() > deadline:
                problems.append(AssertionError(f"no {kind.__name__} was shown"))
                return
            QTimer.singleShot(10, step)
            return
        if QApplication.activeWindow() is not dialog or QApplication.focusWidget() is None:
            dialog.activateWindow()
            QTimer.singleShot(10, step)
            return
        try:
            act(dialog)
        except BaseException as error:  # re-raised after exec() returns
            problems.append(error)
        if dialog.isVisible():
            if not problems:
                problems.append(AssertionError(f"the {kind.__name__} stayed open"))
            dialog.done(0)

    QTimer.singleShot(0, step)
    return problems


@contextmanager
def acting_in(kind: type[QDialog], act: Callable[[QDialog], None], seconds: float = 20
              ) -> Iterator[None]:
    """`when_shown` for a dialog the block opens; what went wrong is raised after it."""
    problems = when_shown(kind, act, seconds)
    yield
    if problems:
        raise problems[0]


def active_window(database: Database, qtbot, dialogs: ScriptedDialogs):
    """The main window on `database`, shown and active (its shortcuts work); its dialogs
    (those of the pane it opens on too) are `dialogs`."""
    from cscdesk.ui.main_window import MainWindow

    window = MainWindow(database, dialogs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    return window


def close(window: QWidget, qtbot) -> None:
    """Close the window (File › Quit), as the officer does before opening another database."""
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)


def list_refs(pane) -> list[str]:
    return [pane.model.reference_at(row) for row in range(pane.model.rowCount())]


# --- 1. a complaint typed in, found, changed; its history ----------------------------------


def test_a_complaint_typed_in_is_found_changed_and_its_history_shows_both(server, qtbot):
    fill(server)
    dialogs = ScriptedDialogs()
    window = active_window(server, qtbot, dialogs)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)  # Complaints
    pane = window.panes[Kind.COMPLAINT.name]

    def enter_new(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog) and at() == "Reference"
        type_text(qtbot, "C-2025-117")  # replaces the suggested next reference
        tab(qtbot, 2)  # Stage 1 stays; "Escalated from" is skipped at Stage 1
        assert at() == "Received"
        type_text(qtbot, "2/9/2025")
        tab(qtbot)
        type_text(qtbot, "fost")  # type-ahead: Fostering
        tab(qtbot)
        assert at() == "Complainant"
        type_text(qtbot, COMPLAINANT)
        tab(qtbot, 2)
        assert at() == "Summary"
        type_text(qtbot, SUMMARY)
        assert form.errors() == {}
        key(qtbot, Qt.Key.Key_S, CTRL)

    with acting_in(RecordFormDialog, enter_new):
        qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    with server.session() as session:
        saved = records.load(session, Kind.COMPLAINT, "C-2025-117")
    assert saved is not None
    assert (saved.complainant, saved.summary, saved.team, saved.received) == (
        COMPLAINANT, SUMMARY, "Fostering", date(2025, 9, 2))
    assert dialogs.shown == []  # no new team to confirm, no error

    # Found again by the list's search box (Ctrl+F), by a word of the name with its curly
    # apostrophe, then opened with Enter.
    back_in(window, qtbot)
    key(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(pane.search.hasFocus, timeout=2000)
    type_text(qtbot, "o’brien")
    key(qtbot, Qt.Key.Key_Return)  # searches now and moves into the list
    assert list_refs(pane) == ["C-2025-117"]
    assert pane.counts_label.text() == "1 complaint, 1 open, 1 overdue"
    assert pane.table.hasFocus()

    def change(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        editors = form.view.editors
        assert editors["complainant"].snapshot() == COMPLAINANT
        assert editors["summary"].snapshot() == SUMMARY
        editors["responded"].input.setFocus()
        assert at() == "Responded"
        type_text(qtbot, "16/09/2025")
        tab(qtbot)
        assert at() == "Notes"
        type_text(qtbot, NOTES)
        assert form.isWindowModified()
        key(qtbot, Qt.Key.Key_S, CTRL)

    with acting_in(RecordFormDialog, change):
        key(qtbot, Qt.Key.Key_Return)
    with server.session() as session:
        changed = records.load(session, Kind.COMPLAINT, "C-2025-117")
    assert changed == ComplaintData(
        reference="C-2025-117", received=date(2025, 9, 2), stage=1, team="Fostering",
        responded=date(2025, 9, 16), complainant=COMPLAINANT, summary=SUMMARY, notes=NOTES)
    qtbot.waitUntil(lambda: list_refs(pane) == ["C-2025-117"], timeout=5000)
    assert pane.counts_label.text() == "1 complaint, 1 open, 0 overdue"  # responded in time

    # Its history, from the form's History… button: the creation and the change.
    shown: list[list[object]] = []

    def read_history(history: QDialog) -> None:
        assert isinstance(history, HistoryDialog)
        model = history.history.model
        shown.extend([model.index(row, column).data() for column in range(model.columnCount())]
                     for row in range(model.rowCount()))  # as shown
        history.reject()

    def look(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        with acting_in(HistoryDialog, read_history):
            form.history_button.click()
        back_in(form, qtbot)
        key(qtbot, Qt.Key.Key_Escape)  # nothing changed: closes without a question

    back_in(window, qtbot)
    pane.table.setFocus()
    with acting_in(RecordFormDialog, look):
        key(qtbot, Qt.Key.Key_Return)
    by_action: dict[str, dict[object, tuple[object, object]]] = {}
    for _when, _who, action, field, was, now in shown:
        by_action.setdefault(str(action), {})[field] = (was, now)
    assert list(by_action) == ["create", "update"]
    assert by_action["create"]["Complainant"] == ("", COMPLAINANT)
    assert by_action["create"]["Summary"] == ("", SUMMARY)
    assert by_action["update"] == {"Responded": ("", "2025-09-16"), "Notes": ("", NOTES)}
    when = shown[-1][0]  # as a file's history shows it: day first, to the minute, UTC
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", str(when)), when
    assert dialogs.shown == []


def test_a_complaint_is_escalated_twice_on_the_server(server, qtbot):
    """Stage 1 → Stage 2 with the form's Escalate button (the new form filled in from the
    old), then a Stage 3 complaint whose "Escalated from" is picked from the complaints
    listed as the officer types a curly-quoted name."""
    fill(server)
    with server.transaction() as session:
        records.save(session, ComplaintData("C-ZO", date(2025, 9, 2), 1, "Fostering",
                                            complainant=COMPLAINANT, summary=SUMMARY))
    dialogs = ScriptedDialogs()
    window = active_window(server, qtbot, dialogs)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    pane = window.panes[Kind.COMPLAINT.name]
    key(qtbot, Qt.Key.Key_F, CTRL)
    type_text(qtbot, "zoë")
    key(qtbot, Qt.Key.Key_Return)
    assert list_refs(pane) == ["C-ZO"]
    later: list[list[BaseException]] = []  # what went wrong in the form that follows

    def second_stage(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        editors = form.view.editors
        assert [editors[name].snapshot() for name in (
            "reference", "escalated_from", "team", "complainant")] == [
            "C-ZO-S2", "C-ZO", "Fostering", COMPLAINANT]
        editors["received"].input.setFocus()
        type_text(qtbot, "1/10/2025")
        key(qtbot, Qt.Key.Key_S, CTRL)

    def escalate(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        later.append(when_shown(RecordFormDialog, second_stage,
                                ready=lambda dialog: dialog is not form))
        form.escalate_button.click()

    with acting_in(RecordFormDialog, escalate):
        key(qtbot, Qt.Key.Key_Return)
    assert later, "the form was not escalated"
    if later[0]:
        raise later[0][0]

    def third_stage(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        type_text(qtbot, "C-ZO-S3")
        tab(qtbot)
        type_text(qtbot, "3")
        tab(qtbot)
        assert at() == "Escalated from"
        type_text(qtbot, "o’brien")
        rows = form.earlier_stage.list
        assert [rows.topLevelItem(row).text(0) for row in range(rows.topLevelItemCount())] == [
            "C-ZO-S2"]  # Stage 2 only
        key(qtbot, Qt.Key.Key_Down)
        key(qtbot, Qt.Key.Key_Return)  # takes it, and moves on
        assert at() == "Received"
        type_text(qtbot, "3/11/2025")
        tab(qtbot)
        type_text(qtbot, "fost")
        tab(qtbot)
        key(qtbot, Qt.Key.Key_S, CTRL)

    back_in(window, qtbot)
    with acting_in(RecordFormDialog, third_stage):
        qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    with server.session() as session:
        second = records.load(session, Kind.COMPLAINT, "C-ZO-S2")
        third = records.load(session, Kind.COMPLAINT, "C-ZO-S3")
    assert second is not None and (second.stage, second.escalated_from, second.received) == (
        2, "C-ZO", date(2025, 10, 1))
    assert third is not None and (third.stage, third.escalated_from, third.team) == (
        3, "C-ZO-S2", "Fostering")
    assert dialogs.shown == []


# --- 2. the dashboard --------------------------------------------------------------------


def dashboard_data(database: Database) -> None:
    """`fill`'s records, one complaint due soon and two more overdue (Stage 2, and Stage 1
    extended), so the lists have an order to keep."""
    fill(database)
    today = date.today()
    with database.transaction() as session:
        from cscdesk.store import lists

        calendar = lists.working_calendar(session)
        received = today  # its 10th working day falls 2 working days from today: due soon
        while calendar.add_working_days(received, 10) > calendar.add_working_days(today, 2):
            received -= timedelta(days=1)
        records.save(session, ComplaintData("C-SOON", received, 1, "Adoption",
                                            complainant="Cy Soon"))
        records.save(session, ComplaintData("C-TWO", today - timedelta(days=100), 2, "Fostering",
                                            complainant="Di Late"))
        records.save(session, ComplaintData("C-EXT", today - timedelta(days=70), 1, "Adoption",
                                            extended=True, complainant="Ed Ext"))


def dashboard_shown(database: Database, qtbot) -> tuple[QWidget, dict[str, object]]:
    """The window opened on its dashboard, and everything the dashboard says, once worked out."""
    window = active_window(database, qtbot, ScriptedDialogs())
    pane = window.show_pane("dashboard")
    qtbot.waitUntil(lambda: pane.lists_ready, timeout=10000)
    qtbot.waitUntil(lambda: pane.year_grid.rowCount() > 3 and "Working out" not in
                    pane.year_grid.itemAtPosition(1, 0).widget().text(), timeout=10000)

    def cells(model) -> list[list[str]]:
        return [[model.index(row, column).data() for column in range(model.columnCount())]
                for row in range(model.rowCount())]

    grid = pane.year_grid
    return window, {
        "open": {kind: button.text() for kind, button in pane.open_buttons.items()},
        "overdue": (pane.overdue_label.text(), cells(pane.overdue_model)),
        "due": (pane.due_label.text(), cells(pane.due_model)),
        "year": [[grid.itemAtPosition(row, column).widget().text() for column in range(3)]
                 for row in range(grid.rowCount())],
    }


def test_the_dashboard_counts_the_server_as_a_file_with_the_same_records(server, file, qtbot):
    dashboard_data(file)
    on_file_window, on_file = dashboard_shown(file, qtbot)
    close(on_file_window, qtbot)
    dashboard_data(server)
    window, on_server = dashboard_shown(server, qtbot)
    assert on_server["open"] == {Kind.COMPLAINT: "6 complaints",
                                 Kind.INITIAL_FEEDBACK: "1 initial feedback",
                                 Kind.ENQUIRY: "1 enquiry",
                                 Kind.DISPUTE: "1 dispute resolution case",
                                 Kind.ACTION: "0 actions"}
    overdue_label, overdue = on_server["overdue"]
    assert overdue_label == "&Overdue: 3"
    assert [row[0] for row in overdue] == ["C-TWO", "C-OLD", "C-EXT"]  # due longest ago first
    assert all(row[6].endswith(" late") for row in overdue)
    due_label, due = on_server["due"]
    assert due_label == "&Due in the next 5 working days: 1"
    assert [(row[0], row[6]) for row in due] == [("C-SOON", "2 left")]
    year = on_server["year"]
    assert year[1][0] == "Representations" and year[1][1] != "0"
    assert on_server == on_file

    # An overdue complaint opens with Enter, from the server.
    pane = window.show_pane("dashboard")
    pane.overdue_table.setFocus()
    pane.overdue_table.setCurrentIndex(pane.overdue_model.index(0, 0))

    def title(form: QDialog) -> None:
        assert form.windowTitle().startswith("Complaint C-TWO")
        key(qtbot, Qt.Key.Key_Escape)

    with acting_in(RecordFormDialog, title):
        key(qtbot, Qt.Key.Key_Return)


# --- 3. the appendix: the same PDF as from a file ------------------------------------------

OWN_WORDS = "Our own words about ADR & <mediation>: “agreed” by the café’s owner."


def appendix_from_window(database: Database, qtbot, folder: Path, *, fresh: bool = True
                         ) -> tuple[Path, list[str]]:
    """File › Annual appendix… in the window: the folder chosen, 2018/19 picked, the ADR
    paragraph's wording edited (`fresh`: the dataset saved first, and the wording typed in),
    Make PDF (Enter); the PDF written and its pages' text."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from cscdesk.ui.appendix_dialog import AppendixDialog

    if fresh:
        load_dataset(database)
    window = active_window(database, qtbot, ScriptedDialogs(folder))
    written: list[Path] = []

    def make(dialog: QDialog) -> None:
        assert isinstance(dialog, AppendixDialog)
        dialog.open_file = lambda path: written.append(path) or True
        dialog.folder_button.click()  # the folder chooser answers `folder`
        assert dialog.folder_label.toolTip() == str(folder)
        year = dialog.year.findData(2018)
        assert year >= 0, [dialog.year.itemText(i) for i in range(dialog.year.count())]
        dialog.year.setCurrentIndex(year)
        dialog.edit_toggle.setChecked(True)
        if fresh:
            dialog.text_edits["adr"].setPlainText(OWN_WORDS)
        assert dialog.text_edits["adr"].toPlainText() == OWN_WORDS
        dialog.year.setFocus()
        key(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
        assert dialog.status.text() == ("Written: Complaints appendix 2018-2019.pdf, in the "
                                        "folder above.")
        dialog.reject()

    with acting_in(AppendixDialog, make, seconds=40):
        window.make_appendix()
    assert written == [folder / "Complaints appendix 2018-2019.pdf"]
    assert window.dialogs.shown == [("choose_folder", "Report folder",
                                     str(window.dialogs.shown[0][2]))]
    close(window, qtbot)
    with pdfplumber.open(written[0]) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return written[0], pages


def test_the_appendix_made_on_the_server_reads_as_the_one_made_from_a_file(
        server, file, qtbot, tmp_path):
    from test_figures_dataset import AWKWARD_LEARNING, SECRET, SECRET_SUMMARY

    file_pdf, from_file = appendix_from_window(file, qtbot, tmp_path / "file reports")
    server_pdf, from_server = appendix_from_window(server, qtbot, tmp_path / "server reports")
    text = " ".join(" ".join(from_server).split())
    assert "2018/19" in text and " ".join(OWN_WORDS.split()) in text
    assert AWKWARD_LEARNING in text  # a learning text with <p>, &, curly quotes, £ and é
    assert SECRET not in text and SECRET_SUMMARY not in text
    assert from_server == from_file  # page by page, every figure and word the same
    with server.session() as session:  # the edited wording is kept on the server
        from cscdesk.domain.years import ReportingYear
        from cscdesk.report import narrative

        assert narrative.texts_for(session, ReportingYear(2018))["adr"].current == OWN_WORDS
    assert server_pdf.stat().st_size > 0 and file_pdf.read_bytes().startswith(b"%PDF")


def test_a_file_moved_onto_the_server_makes_the_same_appendix_there(file, postgres, qtbot,
                                                                    tmp_path):
    """The officer's file, its wording edited, moved in (`cscdesk server move-in`'s code):
    the server's appendix, with the wording that came with it, reads as the file's."""
    from cscdesk.store.location import ServerURL
    from cscdesk.store.move_in import move_in

    _pdf, from_file = appendix_from_window(file, qtbot, tmp_path / "file reports")
    name = postgres.new()
    try:
        url = ServerURL(postgres.server.url(name))
        move_in(file.path, url)
        moved = open_database(url)
        try:
            _pdf, from_server = appendix_from_window(moved, qtbot, tmp_path / "server reports",
                                                     fresh=False)
        finally:
            wait_for_background_work()
            moved.close()
    finally:
        postgres.drop(name)
    assert from_server == from_file


# --- 4. a workbook imported, and every record exported ------------------------------------

NEW_TEAM = "Équipe Café & <Co>"


def workbook_rows() -> dict[str, list[list[object]]]:
    from workbooks import COMPLAINT_HEADER

    def complaint(reference: str, received: date, stage: int, team: str, **cells: object
                  ) -> list[object]:
        row: list[object] = [None] * len(COMPLAINT_HEADER)
        row[:4] = [reference, received, stage, team]
        for header, value in cells.items():
            row[COMPLAINT_HEADER.index(header)] = value
        return row

    return {
        "Complaints": [
            COMPLAINT_HEADER,
            complaint("C-1", date(2024, 5, 1), 1, "Adoption", Complainant=COMPLAINANT,
                      Summary=SUMMARY, Responded=date(2024, 5, 9), Closed=date(2024, 5, 10),
                      Outcome="Upheld", **{"Root cause": "Communication",
                                           "Learning": "Ring back – “same day”"}),
            complaint("C-1-S2", date(2024, 6, 3), 2, NEW_TEAM, ADR="Yes",
                      **{"ADR saving": 1250.5, "Escalated from": "C-1"}),
            complaint("C-2", date(2024, 7, 1), 1, "fostering"),
        ],
        "Compliments": [["Reference", "Received", "Team", "Summary"],
                        ["P-1", date(2024, 5, 3), NEW_TEAM, "Merci – très bien"]],
    }


def import_and_export(database: Database, qtbot, folder: Path) -> tuple[list[str], dict]:
    """File › Import workbook… (a rejected workbook first, then the good one), then File ›
    Export workbook…; what the import dialog said, and the exported workbook's cells."""
    from cscdesk.ui.import_dialog import ImportDialog
    from workbooks import read_sheets, write_workbook

    folder.mkdir()
    good = write_workbook(folder / "cases.xlsx", workbook_rows())
    bad_rows = workbook_rows()
    bad_rows["Complaints"][3][1] = "31/02/2024"
    bad = write_workbook(folder / "bad.xlsx", bad_rows)
    exported = folder / "export.xlsx"
    dialogs = ScriptedDialogs(bad, good, exported)
    window = active_window(database, qtbot, dialogs)
    said: list[str] = []

    def rejected(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportDialog)
        qtbot.waitUntil(lambda: not dialog.task.running, timeout=15000)
        assert dialog.pages.currentWidget() is dialog.problems
        said.append(dialog.problems.summary.text())
        problems = dialog.problems.proxy.sourceModel().problems
        said.extend(f"{p.sheet} {p.row} {p.column}" for p in problems)
        key(qtbot, Qt.Key.Key_Escape)

    def imported(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportDialog)
        qtbot.waitUntil(lambda: not dialog.task.running, timeout=15000)
        assert dialog.import_button.isVisible(), dialog.problems.summary.text()
        said.extend([dialog.plan_label.text(), dialog.lists_label.text()])
        with database.session() as session:  # nothing written yet
            assert records.load(session, Kind.COMPLAINT, "C-1") is None
        key(qtbot, Qt.Key.Key_Return)  # Import is the default button
        qtbot.waitUntil(lambda: dialog.imported, timeout=15000)
        said.append(dialog.done_label.text())
        key(qtbot, Qt.Key.Key_Escape)

    with acting_in(ImportDialog, rejected):
        window.import_workbook()
    back_in(window, qtbot)
    with acting_in(ImportDialog, imported):
        window.import_workbook()
    back_in(window, qtbot)
    window.export_workbook()
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "info", timeout=15000)
    said.append(dialogs.shown[-1][2].replace(str(exported), "EXPORTED"))
    assert [kind for kind, _title, _text in dialogs.shown] == [
        "open_file", "open_file", "save_file", "info"]
    close(window, qtbot)
    return said, read_sheets(exported)


def test_a_workbook_imported_onto_the_server_exports_as_from_a_file(server, file, qtbot,
                                                                    tmp_path):
    said_file, sheets_file = import_and_export(file, qtbot, tmp_path / "file")
    said, sheets = import_and_export(server, qtbot, tmp_path / "server")
    assert said == [
        "bad.xlsx was not imported: 1 problem found, and nothing was changed. Correct the "
        "workbook and import it again.",
        "Complaints 4 Received",
        "cases.xlsx is ready to import: 4 new and 0 updated rows. Nothing has been changed yet.",
        f"New teams: Adoption, {NEW_TEAM}, fostering. New root causes: Communication.",
        "cases.xlsx was imported.\n\nComplaints: 3 new, 0 updated\nCompliments: 1 new, 0 updated",
        "4 records were written to EXPORTED.",
    ]
    assert said[-1] == "4 records were written to EXPORTED."
    with server.session() as session:
        escalated = records.load(session, Kind.COMPLAINT, "C-1-S2")
        first = records.load(session, Kind.COMPLAINT, "C-1")
    assert escalated is not None and escalated.team == NEW_TEAM
    assert escalated.escalated_from == "C-1" and escalated.adr_saving == Decimal("1250.50")
    assert first is not None and (first.complainant, first.summary) == (COMPLAINANT, SUMMARY)
    complaints = sheets["Complaints"]
    assert [row[0] for row in complaints[1:]] == ["C-1", "C-1-S2", "C-2"]
    assert said == said_file
    assert sheets == sheets_file  # every sheet, row and cell the same


# --- 5. data protection: bin, legal hold, retention review, subject access ----------------


def privacy_data(database: Database) -> None:
    from cscdesk.domain.kinds import EnquiryData, EnquirySource

    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C-OLD", date(2015, 5, 1), 1, "Adoption", closed=date(2015, 6, 1),
            outcome=Outcome.UPHELD, complainant=COMPLAINANT, summary=SUMMARY))
        records.save(session, ComplaintData(
            "C-KEEP", date(2015, 7, 1), 1, "Adoption", closed=date(2015, 8, 3),
            outcome=Outcome.NOT_UPHELD, complainant="Bea Held"))
        records.save(session, EnquiryData("E-1", date(2024, 1, 1), EnquirySource.MP, "MASH",
                                          enquirer=COMPLAINANT))
        records.save(session, EnquiryData("E-2", date(2024, 1, 2), EnquirySource.MP, "MASH",
                                          summary="To be deleted"))


def table_text(model) -> list[list[str]]:
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def protect(database: Database, qtbot, folder: Path) -> list[object]:
    """Delete E-2 from its form and restore it from the bin; place a legal hold on C-KEEP from
    its History; subject access for the complainant (workbook and PDF); the retention review
    refusing the held record and anonymising C-OLD. What the panes showed, in order."""
    from openpyxl import load_workbook

    privacy_data(database)
    folder.mkdir()
    pack, pack_pdf = folder / "pack.xlsx", folder / "pack.pdf"
    # Delete E-2? Where to (workbook, PDF)? Anonymise? (then Yes to every other question)
    dialogs = ScriptedDialogs(True, pack, pack_pdf, True)
    window = active_window(database, qtbot, dialogs)
    seen: list[object] = []

    def open_from_list(kind: Kind, reference: str, act: Callable[[QDialog], None]) -> None:
        pane = window.show_pane(kind.name)
        pane.focus_search()
        type_text(qtbot, reference)
        key(qtbot, Qt.Key.Key_Return)
        assert list_refs(pane) == [reference]
        with acting_in(RecordFormDialog, act):
            key(qtbot, Qt.Key.Key_Return)
        back_in(window, qtbot)

    def delete(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        form.delete_button.click()  # asked first; answered Yes

    open_from_list(Kind.ENQUIRY, "E-2", delete)
    enquiries = window.panes[Kind.ENQUIRY.name]
    enquiries.search.clear()
    enquiries.apply_filters()
    seen.append(list_refs(enquiries))

    privacy = window.show_pane("privacy")
    privacy.tabs.setCurrentWidget(privacy.bin)
    # Kind, reference, and when deleted as a file shows it (UTC, day first, to the minute)
    seen.append([[*row[:2], re.sub(r"\d", "9", row[2])] for row in table_text(privacy.bin.model)])
    privacy.bin.table.selectRow(0)
    privacy.bin.restore_button.click()
    seen.append(dialogs.shown[-1][2])
    seen.append(privacy.bin.summary.text())
    window.show_pane(Kind.ENQUIRY.name)
    seen.append(list_refs(enquiries))

    def hold(form: QDialog) -> None:
        def place(history: QDialog) -> None:
            assert isinstance(history, HistoryDialog)
            history.hold_button.click()
            seen.append(history.hold_label.text())
            seen.append(sorted({row[2] for row in table_text(history.history.model)}))
            history.reject()

        assert isinstance(form, RecordFormDialog)
        with acting_in(HistoryDialog, place):
            form.history_button.click()
        back_in(form, qtbot)
        key(qtbot, Qt.Key.Key_Escape)

    open_from_list(Kind.COMPLAINT, "C-KEEP", hold)

    privacy = window.show_pane("privacy")
    access = privacy.subject_access
    privacy.tabs.setCurrentWidget(access)
    access.name.setFocus()
    type_text(qtbot, "zoë o’brien")
    key(qtbot, Qt.Key.Key_Return)
    seen.extend([access.summary.text(), [row[:3] for row in table_text(access.model)]])
    access.export_button.click()
    seen.append(dialogs.shown[-1][2].replace(str(pack), "PACK"))
    seen.append(load_workbook(pack).sheetnames)
    access.pdf_button.click()
    seen.append(pack_pdf.read_bytes()[:5])

    retention = privacy.retention
    privacy.tabs.setCurrentWidget(retention)
    # who changed each last, and when, differ between a file and a server (the PC's user
    # name, the server's login): the first four columns are compared
    seen.extend([retention.summary.text(), [row[:4] for row in table_text(retention.model)]])
    held = [row[1] for row in table_text(retention.model)].index("C-KEEP")
    retention.table.selectRow(held)
    retention.anonymise_button.click()  # held: refused, with a sentence
    seen.append(dialogs.shown[-1][2])
    retention.table.selectRow(1 - held)
    retention.anonymise_button.click()  # asked first; answered Yes
    asked, _title, question = dialogs.shown[-1]
    seen.append((asked, question.split("\n")[0], "Backups made before still hold" in question))
    seen.extend([retention.summary.text(), [row[:4] for row in table_text(retention.model)]])
    with database.session() as session:
        old = records.load(session, Kind.COMPLAINT, "C-OLD")
    assert old is not None
    seen.append((old.complainant, old.summary, old.outcome))

    retention.table.selectRow(0)  # C-KEEP: its hold lifted here, then deleted for good
    retention.hold_button.click()
    seen.append(retention.summary.text())
    retention.table.selectRow(0)
    retention.delete_button.click()  # asked first; answered Yes
    seen.append(retention.summary.text())

    open_from_list(Kind.ENQUIRY, "E-2", delete)  # to the bin again, and the bin emptied
    privacy = window.show_pane("privacy")
    privacy.tabs.setCurrentWidget(privacy.bin)
    seen.append(privacy.bin.summary.text())
    privacy.bin.empty_button.click()  # asked first; answered Yes
    seen.append(privacy.bin.summary.text())
    with database.session() as session:
        seen.append([records.load(session, kind, reference) is None for kind, reference in (
            (Kind.COMPLAINT, "C-KEEP"), (Kind.ENQUIRY, "E-2"), (Kind.ENQUIRY, "E-1"))])
        from cscdesk.store import audit

        seen.append([entry.action for entry in audit.history(session, "Complaints", "C-KEEP")])
    close(window, qtbot)
    return seen


def test_the_data_protection_panes_work_on_the_server_as_on_a_file(server, file, qtbot,
                                                                  tmp_path):
    on_file = protect(file, qtbot, tmp_path / "file")
    on_server = protect(server, qtbot, tmp_path / "server")
    assert on_server == [
        ["E-1"],  # E-2 deleted from its form
        [["Enquiries", "E-2", "99/99/9999 99:99"]],  # in the bin
        "“E-2” is back.", "0 deleted records", ["E-2", "E-1"],  # restored, listed again
        "LEGAL HOLD: this record is kept whatever the retention period.",
        ["create", "legal hold"],  # the hold is in C-KEEP's history
        "2 record(s) mention “zoë o’brien”.",
        [["Complaints", "C-OLD", "01/05/2015"], ["Enquiries", "E-1", "01/01/2024"]],
        "Wrote PACK.", ["Complaints", "Enquiries", "History"], b"%PDF-",
        "2 records past the period (1 on hold)",
        [["Complaints", "C-OLD", "01/06/2015", ""],
         ["Complaints", "C-KEEP", "03/08/2015", "LEGAL HOLD"]],
        "Select records that are not on legal hold.",
        ("confirm", "Anonymise (names and summaries cleared; counts kept): 1 record(s)? A "
         "case's actions go with it. This cannot be undone.", True),
        "1 records past the period (1 on hold)",
        [["Complaints", "C-KEEP", "03/08/2015", "LEGAL HOLD"]],
        ("", "", Outcome.UPHELD),  # anonymised: the counts' fields kept
        "1 records past the period (0 on hold)",
        "0 records past the period (0 on hold)",
        "1 deleted record", "0 deleted records",
        [True, True, False],
        ["create", "legal hold", "legal hold", "delete"],
    ]
    assert on_server == on_file


# --- 6. the Teams pane --------------------------------------------------------------------


def teams_pane_flow(database: Database, qtbot) -> list[object]:
    """Ctrl+7 (Teams): a team added, the same name in other letters' case refused (an accented
    capital too), a rename onto another team's name refused, a rename, retire and restore."""
    fill(database)
    with database.transaction() as session:
        records.save(session, ComplaintData("C-É", date(2024, 5, 2), 1, "Équipe Café"))
    dialogs = ScriptedDialogs()
    window = active_window(database, qtbot, dialogs)
    qtbot.keyClick(window, Qt.Key.Key_8, CTRL)
    pane = window.panes["teams"]
    said: list[object] = []

    def names() -> list[tuple[str, bool]]:
        return [(entry.name, entry.retired) for entry in pane.model.entries]

    def add(name: str) -> None:
        pane.new_name.setFocus()
        type_text(qtbot, name)
        key(qtbot, Qt.Key.Key_Return)
        said.append(dialogs.shown[-1][2] if dialogs.shown else pane.message.text())
        pane.new_name.clear()
        dialogs.shown.clear()

    add("Leaving Care")
    add("leaving care")
    add("équipe café")  # “Équipe Café” in lower case: the same team
    said.append(sorted(names()))

    def row_of(name: str) -> int:
        return [entry.name for entry in pane.model.entries].index(name)

    pane.model.setData(pane.model.index(row_of("Leaving Care"), 0), "ÉQUIPE CAFÉ")
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=5000)
    said.append(dialogs.shown[-1][2])
    pane.model.setData(pane.model.index(row_of("Fostering"), 0), "Fostering Service")
    qtbot.waitUntil(lambda: "Renamed" in pane.message.text(), timeout=5000)
    said.append(pane.message.text())
    pane.table.setCurrentIndex(pane.model.index(row_of("Adoption"), 0))
    pane.toggle_retired()
    said.append(sorted(names()))
    pane.toggle_retired()
    with database.session() as session:
        said.append(sorted(c.team for c in (records.load(session, Kind.COMPLAINT, reference)
                                             for reference in ("C-OLD", "C-NEW", "C-É"))))
    close(window, qtbot)
    return said


def test_the_teams_pane_keeps_one_of_each_name_on_the_server_as_on_a_file(server, file,
                                                                           qtbot):
    on_file = teams_pane_flow(file, qtbot)
    on_server = teams_pane_flow(server, qtbot)
    assert on_server == [
        "Added “Leaving Care”.",
        "“Leaving Care” is already in the list.",
        "“Équipe Café” is already in the list.",
        [("Adoption", False), ("Fostering", False), ("Leaving Care", False),
         ("Équipe Café", False)],
        "“Équipe Café” is already in the list.",
        "Renamed to “Fostering Service” on every record.",
        [("Adoption", True), ("Fostering Service", False), ("Leaving Care", False),
         ("Équipe Café", False)],
        ["Adoption", "Fostering Service", "Équipe Café"],
    ]
    assert on_server == on_file


# --- a server database in a locale of its own ----------------------------------------------
# The session's server is made with `initdb --locale=C`; a council's server is made in its
# system's locale (en_GB.UTF-8 on most), and its databases compare and fold text as that says.


@contextmanager
def server_database_in(postgres, locale: str) -> Iterator[Database]:
    """A database set up by cscdesk on the session's server, created with `locale` (the SQL
    of CREATE DATABASE after TEMPLATE template0), dropped afterwards."""
    from cscdesk.store import server as store_server
    from cscdesk.store.location import ServerURL

    name = f"locale_{abs(hash(locale)) % 10**8}"
    try:
        postgres.admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 {locale}")
    except Exception as error:  # the locale is not installed here
        pytest.skip(f"the server cannot make a database with {locale}: {error}")
    try:
        url = ServerURL(postgres.server.url(name))
        store_server.setup(url)
        database = open_database(url)
        try:
            yield database
        finally:
            wait_for_background_work()
            database.close()
    finally:
        postgres.drop(name)


def accented(database: Database) -> None:
    with database.transaction() as session:
        for number, team in enumerate(["alpha team", "AT&T", "Béta Services", "Zeta",
                                       "Équipe Café", "beta", "Öhman House", "éclair"]):
            records.save(session, ComplaintData(
                f"C-{number}", date(2024, 5, 1 + number), 1, team,
                complainant=f"Zoë {team.split()[0].capitalize()}"))


def searched(database: Database, qtbot, words: list[str]) -> dict[str, list[str]]:
    from cscdesk.ui.record_table import RecordListPane

    accented(database)
    pane = RecordListPane(database, Kind.COMPLAINT)
    qtbot.addWidget(pane)
    pane.refresh()
    found = {}
    for word in words:
        pane.search.setText(word)
        pane.apply_filters()
        found[word] = sorted(list_refs(pane))
    return found


def test_the_search_box_finds_the_same_records_on_a_utf8_server_as_on_a_file(
        postgres, file, qtbot):
    words = ["équipe", "ÉQUIPE", "ZOË", "öhman", "zoë"]
    on_file = searched(file, qtbot, words)
    with server_database_in(postgres, "LOCALE 'C.UTF-8'") as server:
        on_server = searched(server, qtbot, words)
    assert on_file["ÉQUIPE"] == on_server["ÉQUIPE"] == ["C-4"]  # as typed: found on both
    assert on_server == on_file


def test_a_list_sorted_by_team_is_in_the_same_order_on_an_en_gb_server_as_on_a_file(
        postgres, file, qtbot):
    from cscdesk.ui.record_table import RecordListPane

    def sorted_by_team(database: Database) -> tuple[list[str], list[str]]:
        accented(database)
        pane = RecordListPane(database, Kind.COMPLAINT)
        qtbot.addWidget(pane)
        pane.refresh()
        column = [c.key for c in pane.model.columns].index("team")
        pane.table.horizontalHeader().setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        return ([pane.model.index(row, column).data() for row in range(pane.model.rowCount())],
                [pane.team.itemText(index) for index in range(pane.team.count())])

    on_file = sorted_by_team(file)
    with server_database_in(postgres, "LOCALE_PROVIDER icu ICU_LOCALE 'en-GB' "
                                      "LOCALE 'C.UTF-8'") as server:
        on_server = sorted_by_team(server)
    assert sorted(on_server[0]) == sorted(on_file[0])  # the same records
    assert on_server == on_file
