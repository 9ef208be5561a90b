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
