"""Two PCs on one server database (two `Database`s, two windows' worth of connections): what
one officer saves shows on the other's screen within 2 s, the list keeping its search, selected
record and scroll position, the dashboard's counts changing, and an open form saying when its
record was changed or deleted elsewhere. Real server, real windows, real change notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from ui_data import shown_window

from cscdesk.domain.kinds import ComplaintData, ComplimentData, Kind
from cscdesk.store import records
from cscdesk.store.engine import open_database
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.forms.conflict import TAKE_THEIRS
from cscdesk.ui.live_updates import LiveUpdates

pytestmark = pytest.mark.postgresql

SHOWN_WITHIN_MS = 2000


@pytest.fixture
def two_pcs(server_url):
    """PC A and PC B: one server database, a connection pool each."""
    first, second = open_database(server_url), open_database(server_url)
    yield first, second
    from cscdesk.ui.workers import wait_for_background_work

    wait_for_background_work()
    first.close()
    second.close()


def complaint(reference: str, summary: str = "Late visit", *,
              complainant: str = "Ann Smith", days_ago: int = 10) -> ComplaintData:
    return ComplaintData(reference, date.today() - timedelta(days=days_ago), 1, "Fostering",
                         complainant=complainant, summary=summary)


def save(database, *saved, changing: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Save `saved` (new records, or with `changing` new values of existing ones)."""
    with database.transaction() as session:
        for record in saved:
            records.save(session, record,
                         original_reference=record.reference if changing else None)


def listening(window) -> LiveUpdates:  # type: ignore[no-untyped-def]
    live = window.live_updates
    assert live.feed is not None and live.feed.listening.wait(10)
    return live


def form(qtbot, window, database, reference: str, dialogs=None) -> RecordFormDialog:  # type: ignore[no-untyped-def]
    """A record form opened from `window`, as the window opens one (its child, shown)."""
    dialog = RecordFormDialog(window, database, Kind.COMPLAINT, reference,
                              dialogs or ScriptedDialogs())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_an_open_form_says_when_its_record_was_changed_elsewhere(two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-7"))
    window = shown_window(pc_a, qtbot)
    listening(window)
    opened = form(qtbot, window, pc_a, "C-7", ScriptedDialogs(TAKE_THEIRS))
    assert opened.changed_bar.isHidden()
    save(pc_b, complaint("C-7", "Late visit, and a missed call"), changing=True)
    qtbot.waitUntil(lambda: opened.changed_bar.isVisible(), timeout=SHOWN_WITHIN_MS)
    text = opened.changed_bar.text()
    assert text.startswith("“C-7” was changed by postgres at ")
    assert text.endswith(" since you opened it. Saving will show their values beside yours.")
    # a save is refused and shows theirs; taking theirs brings the form up to date: no bar
    assert not opened.save()
    assert opened.record().summary == "Late visit, and a missed call"
    assert opened.changed_bar.isHidden()


def test_an_open_form_says_when_its_record_was_deleted_elsewhere(two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-8"))
    window = shown_window(pc_a, qtbot)
    listening(window)
    opened = form(qtbot, window, pc_a, "C-8")
    with pc_b.transaction() as session:
        records.delete(session, Kind.COMPLAINT, "C-8")
    qtbot.waitUntil(lambda: opened.changed_bar.isVisible(), timeout=SHOWN_WITHIN_MS)
    assert opened.changed_bar.text().startswith("“C-8” was deleted by postgres at ")


def test_the_forms_own_save_brings_no_bar(two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-9"))
    window = shown_window(pc_a, qtbot)
    live = listening(window)
    opened = form(qtbot, window, pc_a, "C-9")
    summary = opened.view.editors["summary"].input
    summary.setFocus()
    qtbot.keyClick(summary, Qt.Key.Key_End)
    qtbot.keyClicks(summary, " and more")
    assert opened.save()
    checked = []
    original = live.check_form
    live.check_form = lambda dialog: (checked.append(dialog), original(dialog))  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: bool(checked), timeout=SHOWN_WITHIN_MS)  # its own notice came
    from cscdesk.ui.workers import wait_for_background_work

    wait_for_background_work()
    qtbot.wait(50)  # the answer is delivered in the GUI thread
    assert opened.changed_bar.isHidden()
    # and one of another officer's saves later, the bar does come
    save(pc_b, ComplimentData("CO-1", date.today(), "Adoption", "Thanks"))  # another table
    save(pc_b, complaint("C-9", "Changed by B"), changing=True)
    qtbot.waitUntil(lambda: opened.changed_bar.isVisible(), timeout=SHOWN_WITHIN_MS)


def references(pane) -> list[str]:  # type: ignore[no-untyped-def]
    return [pane.model.reference_at(row) for row in range(pane.model.rowCount())]


def current_reference(pane) -> str | None:  # type: ignore[no-untyped-def]
    index = pane.table.currentIndex()
    return pane.model.reference_at(index.row()) if index.isValid() else None


def test_a_list_shows_another_pcs_save_keeping_the_search_and_the_selected_record(
        two_pcs, qtbot):
    from PySide6.QtWidgets import QApplication

    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-1", complainant="Ann Smith", days_ago=30),
         complaint("C-2", complainant="Bob Jones", days_ago=20),
         complaint("C-3", complainant="Cy Smithson", days_ago=10))
    window = shown_window(pc_a, qtbot)
    live = listening(window)
    window.show_pane(Kind.COMPLAINT.name)
    pane = window.panes[Kind.COMPLAINT.name]
    pane.search.setFocus()
    qtbot.keyClicks(pane.search, "smith")
    qtbot.waitUntil(lambda: references(pane) == ["C-3", "C-1"], timeout=5000)
    pane.table.setCurrentIndex(pane.model.index(1, 2))  # C-1 selected; typing goes on in search
    pane.search.setFocus()
    focused = QApplication.focusWidget()
    save(pc_b, complaint("C-4", complainant="Di Smith", days_ago=1))
    qtbot.waitUntil(lambda: references(pane) == ["C-4", "C-3", "C-1"], timeout=SHOWN_WITHIN_MS)
    assert pane.search.text() == "smith"
    assert current_reference(pane) == "C-1" and pane.table.currentIndex().column() == 2
    assert [index.row() for index in pane.table.selectionModel().selectedRows()] == [2]
    assert QApplication.focusWidget() is focused
    assert pane.counts_label.text().startswith("3 complaints")
    # nothing more heard: nothing read again
    generation = pane.model._generation
    live.poll()
    assert pane.model._generation == generation


def test_a_long_list_keeps_its_scroll_position_and_loaded_rows(two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    save(pc_b, *(complaint(f"C-{number:03d}", days_ago=400 - number)
                 for number in range(260)))
    window = shown_window(pc_a, qtbot)
    listening(window)
    window.show_pane(Kind.COMPLAINT.name)
    pane = window.panes[Kind.COMPLAINT.name]
    table = pane.table
    while pane.model.rowCount() < 260 and pane.model.canFetchMore():
        pane.model.fetchMore()
    table.scrollTo(pane.model.index(230, 0), table.ScrollHint.PositionAtTop)
    table.setCurrentIndex(pane.model.index(235, 0))
    top_before = pane.model.reference_at(table.rowAt(0))
    selected = current_reference(pane)
    assert top_before is not None and selected is not None
    save(pc_b, complaint("C-NEW", days_ago=0))  # the newest: listed first, above the view
    qtbot.waitUntil(lambda: pane.model.reference_at(0) == "C-NEW", timeout=SHOWN_WITHIN_MS)
    assert pane.model.rowCount() >= 260  # the rows scrolled through are read again
    assert pane.model.reference_at(table.rowAt(0)) == top_before  # the same records in view
    assert current_reference(pane) == selected


def test_the_dashboard_counts_another_pcs_save(two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-1", days_ago=60))  # overdue
    window = shown_window(pc_a, qtbot)
    listening(window)
    window.show_pane("dashboard")
    dashboard = window.panes["dashboard"]
    button = dashboard.open_buttons[Kind.COMPLAINT]
    qtbot.waitUntil(lambda: button.text() == "1 complaint", timeout=10_000)
    qtbot.waitUntil(lambda: dashboard._figures_shown, timeout=10_000)
    assert dashboard.overdue_label.text() == "&Overdue: 1"
    dashboard.overdue_table.setCurrentIndex(dashboard.overdue_model.index(0, 0))
    save(pc_b, complaint("C-2", days_ago=50), complaint("C-3", days_ago=1))
    qtbot.waitUntil(lambda: button.text() == "3 complaints", timeout=SHOWN_WITHIN_MS)
    assert dashboard.overdue_label.text() == "&Overdue: 2"
    current = dashboard.overdue_table.currentIndex()
    assert dashboard.overdue_model.items[current.row()].reference == "C-1"  # still chosen


def test_panes_not_shown_are_read_again_when_next_shown(two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    window = shown_window(pc_a, qtbot)
    listening(window)
    window.show_pane(Kind.COMPLIMENT.name)
    window.show_pane("dashboard")
    save(pc_b, ComplimentData("CO-1", date.today(), "Adoption", "Thanks"))
    qtbot.waitUntil(lambda: Kind.COMPLIMENT.name in window._stale, timeout=SHOWN_WITHIN_MS)
    pane = window.panes[Kind.COMPLIMENT.name]
    assert references(pane) == []  # not read while out of sight
    window.show_pane(Kind.COMPLIMENT.name)
    assert references(pane) == ["CO-1"]


def test_a_window_on_a_file_listens_to_nothing(db_path, qtbot):
    database = open_database(db_path)
    try:
        window = shown_window(database, qtbot)
        assert window.live_updates.feed is None and not window.live_updates.timer.isActive()
        window.close()
    finally:
        database.close()


def test_switching_database_listens_to_the_new_one_only(server_url, db_path, qtbot):
    from cscdesk.ui.workers import wait_for_background_work

    window = shown_window(open_database(server_url), qtbot)
    first = listening(window).feed
    assert window.reopen_database(db_path)  # a file: nothing to listen to
    assert first is not None and first.closed and not first.listening.is_set()
    assert window.live_updates.feed is None and not window.live_updates.timer.isActive()
    assert window.reopen_database(server_url)
    assert listening(window).feed is not first
    window.close()
    assert window.live_updates.feed is None
    wait_for_background_work()
    window.database.close()


def test_the_teams_pane_shows_a_team_added_elsewhere_unless_a_name_is_being_edited(
        two_pcs, qtbot):
    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-1"))  # team Fostering
    window = shown_window(pc_a, qtbot)
    listening(window)
    teams = window.show_pane("teams")

    def names() -> list[str]:
        return [entry.name for entry in teams.model.entries]

    assert names() == ["Fostering"]
    save(pc_b, ComplimentData("CO-1", date.today(), "Adoption", "Thanks"))
    qtbot.waitUntil(lambda: names() == ["Adoption", "Fostering"], timeout=SHOWN_WITHIN_MS)
    teams.table.setCurrentIndex(teams.model.index(1, 0))
    teams.table.edit(teams.model.index(1, 0))  # renaming Fostering, in place
    assert teams.table.state() == teams.table.State.EditingState
    save(pc_b, ComplimentData("CO-2", date.today(), "Youth Justice", "Thanks"))
    qtbot.waitUntil(lambda: "teams" in window._stale, timeout=SHOWN_WITHIN_MS)
    assert names() == ["Adoption", "Fostering"]  # the editor left alone
    assert teams.table.state() == teams.table.State.EditingState


def test_notices_reach_a_form_the_window_opened_modally(two_pcs, qtbot):
    """The real path: File › open a record runs the form's own event loop (exec); the window's
    timer still takes the notices, and the list beneath is read again too."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    pc_a, pc_b = two_pcs
    save(pc_b, complaint("C-7"))
    window = shown_window(pc_a, qtbot)
    listening(window)
    window.show_pane(Kind.COMPLAINT.name)
    pane = window.panes[Kind.COMPLAINT.name]
    seen: dict[str, object] = {}

    def while_the_form_is_open() -> None:
        opened = QApplication.activeModalWidget()
        assert isinstance(opened, RecordFormDialog)
        try:
            save(pc_b, complaint("C-7", "Changed on PC B"), changing=True)
            save(pc_b, complaint("C-8", days_ago=1))
            qtbot.waitUntil(lambda: opened.changed_bar.isVisible()
                            and "C-8" in references(pane), timeout=SHOWN_WITHIN_MS)
            seen["bar"] = opened.changed_bar.text()
        finally:
            QDialog.reject(opened)  # closed whatever happened, so the test goes on

    QTimer.singleShot(0, while_the_form_is_open)
    window.open_record(Kind.COMPLAINT, "C-7")  # returns when the form closes
    assert str(seen.get("bar")).startswith("“C-7” was changed by postgres at ")


def test_a_save_made_before_the_window_listens_is_shown_once_it_does(two_pcs, qtbot,
                                                                    monkeypatch):
    """A change committed after the window's first read but before its LISTEN took effect
    sends a notice nobody hears: the window reads what it shows once more when it starts
    listening."""
    import time

    from cscdesk.store import change_feed

    pc_a, pc_b = two_pcs
    real_connect = change_feed._connect

    def late_connect(server):  # type: ignore[no-untyped-def]
        time.sleep(0.5)  # the window has read its list by now
        save(pc_b, complaint("C-9", complainant="Late Save", days_ago=1))
        return real_connect(server)

    monkeypatch.setattr(change_feed, "_connect", late_connect)
    window = shown_window(pc_a, qtbot)
    window.show_pane(Kind.COMPLAINT.name)
    pane = window.panes[Kind.COMPLAINT.name]
    assert "C-9" not in references(pane)
    listening(window)
    qtbot.waitUntil(lambda: "C-9" in references(pane), timeout=SHOWN_WITHIN_MS)
