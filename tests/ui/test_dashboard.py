"""The dashboard: open counts, due soon, overdue, and this year against the last."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from ui_data import copied_database, fill

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import lists, records
from cscdesk.ui.dashboard import DashboardPane


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


def test_dashboard_shows_what_needs_doing(database, qtbot, qtmodeltester):
    fill(database)
    today = date.today()
    with database.transaction() as session:
        calendar = lists.working_calendar(session)
        # Received so that its 10th working day falls 2 working days from today: due soon.
        received = today
        while calendar.add_working_days(received, 10) > calendar.add_working_days(today, 2):
            received -= timedelta(days=1)
        records.save(session, ComplaintData("C-SOON", received, 1, "Adoption"))
    pane = DashboardPane(database)
    qtbot.addWidget(pane)
    pane.refresh()
    qtbot.waitUntil(lambda: pane.lists_ready, timeout=10000)
    assert pane.open_buttons[Kind.COMPLAINT].text() == "4 complaints"
    assert pane.open_buttons[Kind.ENQUIRY].text() == "1 enquiry"
    assert [item.reference for item in pane.overdue_model.items] == ["C-OLD"]
    assert [item.reference for item in pane.due_model.items] == ["C-SOON"]
    assert pane.overdue_label.text() == "&Overdue: 1"
    days = pane.due_model.HEADINGS.index("Working days")
    assert pane.due_model.headerData(days, Qt.Orientation.Horizontal) == "Working days"
    assert pane.due_model.index(0, days).data() == "2 left"  # deadlines' own days
    assert pane.overdue_model.index(0, days).data().endswith(" late")
    what = pane.due_model.HEADINGS.index("What is due")
    assert pane.due_model.index(0, what).data() == "response"
    qtmodeltester.check(pane.overdue_model, force_py=True)
    qtmodeltester.check(pane.due_model, force_py=True)
    # The year-to-date figures arrive from a background task.
    qtbot.waitUntil(lambda: pane.year_grid.rowCount() > 3 and "Working out" not in
                    pane.year_grid.itemAtPosition(1, 0).widget().text(), timeout=10000)
    assert pane.year_grid.itemAtPosition(1, 0).widget().text() == "Representations"


def test_activating_an_overdue_complaint_opens_it(database, qtbot):
    fill(database)
    pane = DashboardPane(database)
    qtbot.addWidget(pane)
    pane.refresh()
    qtbot.waitUntil(lambda: pane.lists_ready, timeout=10000)
    pane.show()
    pane.overdue_table.setFocus()
    pane.overdue_table.setCurrentIndex(pane.overdue_model.index(0, 0))
    with qtbot.waitSignal(pane.open_requested) as opened:
        qtbot.keyClick(pane.overdue_table, Qt.Key.Key_Return)
    assert opened.args == [Kind.COMPLAINT, "C-OLD"]
    qtbot.waitUntil(lambda: pane._task is not None and not pane._task.running, timeout=10000)


def test_counts_not_yet_known_show_a_quiet_placeholder_not_a_blank(database, qtbot):
    pane = DashboardPane(database)
    qtbot.addWidget(pane)
    assert [button.text() for button in pane.open_buttons.values()] == [
        "… complaints", "… initial feedback", "… enquiries", "… dispute resolution cases",
        "… actions"]
    assert pane.overdue_label.text() == "&Overdue: …"
    assert pane.actions_label.text() == "Overdue ac&tions: …"
