"""Casework on screen: the dashboard's due lists saying what is due (Stage 3 steps), its
overdue actions (opened with Enter, read again on another PC's save), the Actions pane's
filters and Ctrl+N, and the Ombudsman's annual letter entered and read back."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from ui_data import copied_database, fill, shown_window

from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, Kind
from cscdesk.domain.years import ReportingYear
from cscdesk.store import ombudsman_letters, records
from cscdesk.store.capabilities import Capabilities
from cscdesk.store.engine import Database, open_database
from cscdesk.ui.dashboard import DashboardPane
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.forms.conflict import KEEP_MINE
from cscdesk.ui.ombudsman_letter_dialog import OmbudsmanLetterDialog

TODAY = date(2024, 6, 3)  # a Monday
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


def save(database: Database, *saved: object) -> None:
    with database.transaction() as session:
        for record in saved:
            records.save(session, record)  # type: ignore[arg-type]


def action(reference: str, kind: ActionKind, due: date, case: str = "S3-RESPONSE",
           team: str = "Fostering", done: date | None = None) -> ActionData:
    return ActionData(reference, due - timedelta(days=30), case, kind, team,
                      f"Do {reference}", due, done)


@pytest.fixture
def casework(database):
    save(database,
         # Panel held Fri 24 May 2024; its report due 5 working days on, over the bank
         # holiday of 27 May: Monday 3 June.
         ComplaintData("S3-REPORT", date(2024, 3, 1), 3, "Fostering", complainant="Ann",
                       panel_held=date(2024, 5, 24)),
         # Requested Fri 19 April 2024: the panel due 30 working days on, Tuesday 4 June.
         ComplaintData("S3-PANEL", date(2024, 4, 19), 3, "Adoption", complainant="Bob"),
         # Report received Thu 21 March 2024: the response due Monday 15 April (Easter).
         ComplaintData("S3-RESPONSE", date(2024, 1, 10), 3, "Fostering", complainant="Cy",
                       panel_held=date(2024, 2, 20), panel_report=date(2024, 3, 21)),
         # Stage 1, received Tue 21 May 2024: due Wednesday 5 June.
         ComplaintData("S1-SOON", date(2024, 5, 21), 1, "Adoption", complainant="Di"),
         action("A-LATE", ActionKind.OMBUDSMAN, date(2024, 5, 31)),
         action("A-OLDER", ActionKind.REMEDY, date(2024, 5, 20), team="Adoption"),
         action("A-FRIDAY", ActionKind.LEARNING, date(2024, 6, 7)),
         action("A-DONE", ActionKind.LEARNING, date(2024, 5, 1), done=date(2024, 5, 2)))
    return database


def ready_pane(database: Database, qtbot, today: date) -> DashboardPane:
    pane = DashboardPane(database)
    qtbot.addWidget(pane)
    pane.refresh(today=today)
    qtbot.waitUntil(lambda: pane.lists_ready, timeout=10_000)
    return pane


def rows(model) -> list[tuple[str, ...]]:
    return [tuple(model.index(row, column).data() for column in range(model.columnCount()))
            for row in range(model.rowCount())]


def finish(pane: DashboardPane, qtbot) -> None:
    """Let the year's figures, worked out after the lists, end before the test does."""
    qtbot.waitUntil(lambda: pane._task is not None and not pane._task.running, timeout=10_000)


def test_the_due_lists_say_what_is_due(casework, qtbot, qtmodeltester):
    pane = ready_pane(casework, qtbot, TODAY)
    headings = pane.due_model.HEADINGS
    assert headings == ("Reference", "Stage", "Team", "Complainant", "What is due", "Due",
                        "Working days")
    assert rows(pane.due_model) == [
        ("S3-REPORT", "3", "Fostering", "Ann", "panel report", "Mon 03/06/2024", "due today"),
        ("S3-PANEL", "3", "Adoption", "Bob", "panel", "Tue 04/06/2024", "1 left"),
        ("S1-SOON", "1", "Adoption", "Di", "response", "Wed 05/06/2024", "2 left"),
    ]
    # 15 April to 3 June 2024: 34 working days, less the bank holidays of 6 and 27 May.
    assert rows(pane.overdue_model) == [
        ("S3-RESPONSE", "3", "Fostering", "Cy", "response", "Mon 15/04/2024", "33 late")]
    assert pane.overdue_label.text() == "&Overdue: 1"
    qtmodeltester.check(pane.due_model, force_py=True)
    finish(pane, qtbot)


def test_overdue_actions_are_listed_with_the_working_days_they_are_late(casework, qtbot,
                                                                        qtmodeltester):
    pane = ready_pane(casework, qtbot, TODAY)
    assert pane.actions_model.HEADINGS == ("Reference", "Case", "Kind", "Team", "Due",
                                           "Working days")
    # 20 May to 3 June: 10 working days less 27 May; 31 May to 3 June: one.
    assert rows(pane.actions_model) == [
        ("A-OLDER", "S3-RESPONSE", "Remedy for the complainant", "Adoption",
         "Mon 20/05/2024", "9 late"),
        ("A-LATE", "S3-RESPONSE", "Ombudsman recommendation", "Fostering",
         "Fri 31/05/2024", "1 late"),
    ]
    assert pane.actions_label.text() == "Overdue ac&tions: 2"
    assert pane.actions_label.buddy() is pane.actions_table
    assert pane.actions_table.accessibleName() == "Overdue actions"
    qtmodeltester.check(pane.actions_model, force_py=True)
    finish(pane, qtbot)
    # On Saturday 8 June, A-FRIDAY (due Friday 7 June) is overdue, though no working day has
    # passed since.
    pane.refresh(today=date(2024, 6, 8))
    qtbot.waitUntil(lambda: pane.lists_ready, timeout=10_000)
    assert [row[0] for row in rows(pane.actions_model)] == ["A-OLDER", "A-LATE", "A-FRIDAY"]
    assert rows(pane.actions_model)[-1][-1] == "overdue"
    finish(pane, qtbot)


def test_enter_on_an_overdue_action_opens_it(casework, qtbot):
    pane = ready_pane(casework, qtbot, TODAY)
    pane.show()
    pane.actions_table.setFocus()
    pane.actions_table.setCurrentIndex(pane.actions_model.index(1, 0))
    with qtbot.waitSignal(pane.open_requested) as opened:
        qtbot.keyClick(pane.actions_table, Qt.Key.Key_Return)
    assert opened.args == [Kind.ACTION, "A-LATE"]
    finish(pane, qtbot)


# --- the Actions pane ------------------------------------------------------------------------


def on_next_modal(kind: type[QDialog], act: Callable[[QDialog], None],
                  seconds: float = 20) -> list[object]:
    """Run `act` on the next modal `kind` of dialog, inside its exec(); what was seen (or
    the failure) is in the list returned. A dialog left open is closed."""
    seen: list[object] = []
    deadline = time.monotonic() + seconds

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            if time.monotonic() < deadline:
                QTimer.singleShot(10, step)
            else:
                seen.append(AssertionError(f"no {kind.__name__} was shown"))
            return
        try:
            act(dialog)
            seen.append(dialog)
        except BaseException as error:  # the test raises it after exec()
            seen.append(error)
        if dialog.isVisible():
            dialog.done(0)

    QTimer.singleShot(0, step)
    return seen


def test_the_actions_pane_filters_by_kind_and_overdue_and_ctrl_n_adds_one(database, qtbot):
    fill(database)
    today = date.today()
    save(database,
         action("A-1", ActionKind.LEARNING, today - timedelta(days=10), case="C-OLD"),
         action("A-2", ActionKind.OMBUDSMAN, today - timedelta(days=3), case="C-DONE"),
         action("A-3", ActionKind.OMBUDSMAN, today + timedelta(days=20), case="C-DONE",
                team="Adoption"),
         action("A-4", ActionKind.LEARNING, today - timedelta(days=40), case="DR-1",
                done=today - timedelta(days=35)))
    window = shown_window(database, qtbot)
    window.activateWindow()  # its shortcuts work in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_7, CTRL)
    assert window.current_key() == Kind.ACTION.name
    pane = window.panes[Kind.ACTION.name]
    assert pane.counts_label.text() == "4 actions, 3 open, 2 overdue"
    headings = [column.label for column in pane.model.columns]
    assert headings[:8] == ["Reference", "Agreed", "Status", "Kind", "Team", "Case", "Due",
                            "Done"]

    kinds = pane.stage  # the kind filter sits where a complaint's stage filter does
    assert kinds.isVisible() and kinds.accessibleName() == "Kind"
    assert [kinds.itemText(number) for number in range(kinds.count())] == [
        "All kinds", *(kind.value for kind in ActionKind)]
    kinds.setCurrentIndex(kinds.findData(ActionKind.OMBUDSMAN.value))
    assert sorted(pane.model.reference_at(row) for row in range(pane.model.rowCount())) == [
        "A-2", "A-3"]
    assert pane.counts_label.text() == "2 actions, 2 open, 1 overdue"
    pane.status.setCurrentIndex(pane.status.findText("Overdue"))
    assert [pane.model.reference_at(row) for row in range(pane.model.rowCount())] == ["A-2"]
    status = [c.key for c in pane.model.columns].index("status")
    assert pane.model.index(0, status).data(Qt.ItemDataRole.ToolTipRole) == (
        "Overdue: the action is past its due date and not done.")
    # an action is Done, not Closed, in its list and its status filter
    kinds.setCurrentIndex(kinds.findData(ActionKind.LEARNING.value))
    pane.status.setCurrentIndex(pane.status.findText("Done"))
    assert [pane.model.reference_at(row) for row in range(pane.model.rowCount())] == ["A-4"]
    assert pane.model.index(0, status).data() == "Done"
    assert pane.status.findText("Closed") == -1

    seen = on_next_modal(RecordFormDialog, lambda form: None)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert isinstance(seen[0], RecordFormDialog), seen
    assert seen[0].kind is Kind.ACTION


# --- live: another PC's action -----------------------------------------------------------------


@pytest.mark.postgresql
def test_the_dashboard_shows_an_action_overdue_on_another_pc(server_url, qtbot):
    pc_a, pc_b = open_database(server_url), open_database(server_url)
    try:
        save(pc_b, ComplaintData("C-1", date.today() - timedelta(days=90), 1, "Fostering"))
        window = shown_window(pc_a, qtbot)
        live = window.live_updates
        assert live.feed is not None and live.feed.listening.wait(10)
        dashboard = window.show_pane("dashboard")
        qtbot.waitUntil(lambda: dashboard.lists_ready and dashboard._figures_shown,
                        timeout=10_000)
        assert dashboard.actions_label.text() == "Overdue ac&tions: 0"
        save(pc_b, action("A-1", ActionKind.REMEDY, date.today() - timedelta(days=7),
                          case="C-1"))
        qtbot.waitUntil(lambda: dashboard.actions_label.text() == "Overdue ac&tions: 1",
                        timeout=2000)
        assert dashboard.actions_model.items[0].reference == "A-1"
        qtbot.waitUntil(lambda: not dashboard._working(), timeout=10_000)
        window.close()
    finally:
        from cscdesk.ui.workers import wait_for_background_work

        wait_for_background_work()
        pc_a.close()
        pc_b.close()


# --- the Ombudsman's annual letter -------------------------------------------------------------

YEAR = ReportingYear(2023)


def letter_dialog(database: Database, qtbot, dialogs: ScriptedDialogs | None = None
                  ) -> OmbudsmanLetterDialog:
    dialog = OmbudsmanLetterDialog(database, dialogs or ScriptedDialogs(), YEAR)
    qtbot.addWidget(dialog)
    return dialog


def test_the_letter_is_entered_from_the_appendix_dialog_and_read_back(database, qtbot):
    from cscdesk.ui.appendix_dialog import AppendixDialog

    appendix = AppendixDialog(database, ScriptedDialogs(), today=date(2024, 6, 1))
    qtbot.addWidget(appendix)
    assert appendix.chosen_year() == YEAR
    assert appendix.letter_button.text() == "Ombudsman's &letter…"

    def enter(dialog: QDialog) -> None:
        assert isinstance(dialog, OmbudsmanLetterDialog)
        assert dialog.windowTitle() == "The Ombudsman's annual letter, 2023/24"
        names = [box.accessibleName() for box in dialog.boxes.values()]
        assert names == ["Complaints decided", "Complaints upheld (%)",
                         "Compliance with the Ombudsman's recommendations (%)",
                         "Satisfactory remedy provided by the council (%)",
                         "Average upheld for similar councils (%)"]
        for key, text in (("decided", "14"), ("upheld_percent", "57%"),
                          ("compliance_percent", "100"),
                          ("similar_upheld_percent", " 62 ")):
            dialog.boxes[key].setText(text)
        dialog.boxes["decided"].setFocus()
        qtbot.keyClick(dialog.boxes["decided"], Qt.Key.Key_Return)  # saves and closes

    seen = on_next_modal(OmbudsmanLetterDialog, enter)
    qtbot.mouseClick(appendix.letter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert isinstance(seen[0], OmbudsmanLetterDialog), seen
    assert seen[0].saved
    with database.session() as session:
        stored = ombudsman_letters.load(session, YEAR)
    assert stored == ombudsman_letters.Letter(2023, 14, 57, 100, None, 62)

    again = letter_dialog(database, qtbot)  # read back as entered; a figure emptied
    assert [box.text() for box in again.boxes.values()] == ["14", "57", "100", "", "62"]
    again.boxes["compliance_percent"].setText("")
    again.boxes["satisfactory_remedy_percent"].setText("80")
    assert again.save()
    with database.session() as session:
        assert ombudsman_letters.load(session, YEAR) == ombudsman_letters.Letter(
            2023, 14, 57, None, 80, 62)
        assert ombudsman_letters.load(session, ReportingYear(2022)) is None


@pytest.mark.parametrize(("key", "typed", "said"), [
    ("upheld_percent", "105", "Complaints upheld (%): 105 is not a percentage from 0 to 100."),
    ("compliance_percent", "9.5", "Compliance with the Ombudsman's recommendations (%): "
                                  "“9.5” is not a whole number."),
    ("decided", "-3", "Complaints decided: “-3” is not a whole number."),
    ("decided", "twelve", "Complaints decided: “twelve” is not a whole number."),
])
def test_a_figure_that_is_not_one_is_named_and_nothing_is_saved(database, qtbot, key, typed,
                                                                said):
    dialogs = ScriptedDialogs()
    dialog = letter_dialog(database, qtbot, dialogs)
    dialog.show()
    dialog.boxes["similar_upheld_percent"].setText("50")
    dialog.boxes[key].setText(typed)
    assert not dialog.save()
    assert dialogs.shown == [("warn", "The Ombudsman's annual letter",
                              f"The 2023/24 figures were not saved. {said}")]
    qtbot.waitUntil(dialog.boxes[key].hasFocus, timeout=2000)
    with database.session() as session:
        assert ombudsman_letters.load(session, YEAR) is None


def test_a_login_that_may_not_change_settings_reads_the_letter_only(database, qtbot,
                                                                    monkeypatch):
    with database.transaction() as session:
        ombudsman_letters.save(session, YEAR, {"decided": 9})
    manager = Capabilities(write_records=False, change_lists=False, change_settings=False,
                           role="manager", login="mgr")
    monkeypatch.setattr(Database, "capabilities", property(lambda _self: manager))
    dialog = letter_dialog(database, qtbot)
    assert dialog.boxes["decided"].text() == "9"
    assert not dialog.save_button.isEnabled()
    assert not any(box.isEnabled() for box in dialog.boxes.values())
    assert "may not change the settings" in dialog.save_button.toolTip()
    assert "can be read here, not changed" in dialog.status.text()


def test_a_figure_changed_on_another_pc_is_not_saved_over_unseen(database, qtbot):
    with database.transaction() as session:
        ombudsman_letters.save(session, YEAR, {"decided": 10, "upheld_percent": 40})
    dialogs = ScriptedDialogs("back", KEEP_MINE)
    dialog = letter_dialog(database, qtbot, dialogs)
    with database.transaction() as session:  # a colleague, meanwhile
        ombudsman_letters.save(session, YEAR, {"decided": 11, "upheld_percent": 40,
                                               "compliance_percent": 90})
    dialog.boxes["decided"].setText("12")
    assert not dialog.save()  # Back: nothing saved
    assert [(row.label, row.mine, row.theirs) for row in dialogs.conflict_rows] == [
        ("Complaints decided", "12", "11")]
    with database.session() as session:
        assert ombudsman_letters.load(session, YEAR).decided == 11
    assert dialog.save()  # Keep mine; the colleague's compliance figure stays
    with database.session() as session:
        assert ombudsman_letters.load(session, YEAR) == ombudsman_letters.Letter(
            2023, 12, 40, 90, None, None)
    assert [box.text() for box in dialog.boxes.values()] == ["12", "40", "90", "", ""]
