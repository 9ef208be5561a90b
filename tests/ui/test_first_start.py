"""The first start on a new database asks for the council's and the service's names (Skip
allowed, asked once), so the first appendix does not say "The Council"; on real SQLite files."""

from __future__ import annotations

import sys
import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cscdesk import settings
from cscdesk.demo import create_demo_database
from cscdesk.domain.years import ReportingYear
from cscdesk.report.content import load_content
from cscdesk.store.engine import open_database
from cscdesk.ui.app import run_app
from cscdesk.ui.council_names import CouncilNamesDialog
from cscdesk.ui.dialog_service import ScriptedDialogs, UserDialogs
from cscdesk.ui.first_start import ask_names_at_first_start, names_wanted
from cscdesk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_timed_daily_backup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cscdesk.ui.backup_ui.DAILY_CHECK_DELAY_MS", 3_600_000)


def stored(database) -> tuple[str, str, bool, bool]:
    with database.session() as session:
        return (settings.get(session, settings.COUNCIL_NAME),
                settings.get(session, settings.SERVICE_NAME),
                settings.is_stored(session, settings.COUNCIL_NAME),
                settings.get(session, settings.NAMES_ASKED))


def when_the_question_is_up(act) -> list[CouncilNamesDialog]:
    """Run `act(dialog)` once the real dialog is shown."""
    seen: list[CouncilNamesDialog] = []

    def look() -> None:
        dialog = next((widget for widget in QApplication.topLevelWidgets()
                       if isinstance(widget, CouncilNamesDialog) and widget.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(20, look)
    return seen


def test_the_names_typed_are_saved_and_not_asked_again(qtbot, database) -> None:
    assert stored(database) == ("The Council", "Children's Social Care", False, False)

    def answer(dialog: CouncilNamesDialog) -> None:
        assert QApplication.focusWidget() is dialog.council
        assert dialog.council.accessibleName() == "Council name"
        assert dialog.service.text() == "Children's Social Care"  # the default, to keep
        QTest.keyClicks(dialog.council, "Northshire County Council")
        QTest.keyClick(dialog.council, Qt.Key.Key_Tab)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A,
                       Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(QApplication.focusWidget(), "Children's Services")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter: Save

    seen = when_the_question_is_up(answer)
    assert ask_names_at_first_start(None, database, UserDialogs()) is True
    assert seen and seen[0].windowTitle() == "Your council and service"
    assert stored(database) == ("Northshire County Council", "Children's Services", True, True)
    with database.session() as session:  # the appendix prints them
        content = load_content(session, ReportingYear(2024))
    assert (content.council_name, content.service_name) == (
        "Northshire County Council", "Children's Services")

    dialogs = ScriptedDialogs()
    assert ask_names_at_first_start(None, database, dialogs) is False
    assert dialogs.shown == []


def test_skip_is_remembered_and_keeps_the_defaults(qtbot, database) -> None:
    seen = when_the_question_is_up(lambda dialog: QTest.keyClick(dialog.council,
                                                                Qt.Key.Key_Escape))
    assert ask_names_at_first_start(None, database, UserDialogs()) is True
    assert seen
    assert stored(database) == ("The Council", "Children's Social Care", False, True)
    assert not names_wanted(database)

    seen = when_the_question_is_up(lambda dialog: dialog.skip_button.click())
    database.close()
    fresh = open_database(database.path.with_name("other.db"))
    try:
        assert ask_names_at_first_start(None, fresh, UserDialogs()) is True
        assert seen and stored(fresh)[2:] == (False, True)
    finally:
        fresh.close()


def test_a_blank_council_name_keeps_the_default(qtbot, database) -> None:
    dialogs = ScriptedDialogs(("  ", "Early Help"))
    assert ask_names_at_first_start(None, database, dialogs) is True
    assert dialogs.shown == [("ask_council_names", "", "Children's Social Care")]
    assert stored(database) == ("The Council", "Early Help", False, True)


def test_a_database_with_a_council_name_is_never_asked(qtbot, database, tmp_path) -> None:
    with database.transaction() as session:  # as the Settings pane's Save stores it
        settings.put(session, settings.COUNCIL_NAME, "The Council")
    assert not names_wanted(database)
    demo = tmp_path / "demo.db"
    create_demo_database(demo, today=date(2026, 11, 25))
    demo_database = open_database(demo)
    try:
        dialogs = ScriptedDialogs()
        assert ask_names_at_first_start(None, demo_database, dialogs) is False
        assert dialogs.shown == []
    finally:
        demo_database.close()


def test_a_main_window_built_on_its_own_does_not_ask(qtbot, database) -> None:
    dialogs = ScriptedDialogs()
    window = MainWindow(database, dialogs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert dialogs.shown == [] and names_wanted(database)


def test_the_app_asks_once_its_window_is_up_and_only_the_first_time(
        qapp, db_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs the crash hooks
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    open_database(db_path).close()  # a fresh install's database

    def close_when_asked(dialogs: ScriptedDialogs) -> None:
        def look() -> None:
            windows = [w for w in qapp.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()]
            if not windows or (dialogs.answers and dialogs.shown == []):
                QTimer.singleShot(20, look)
                return
            windows[0].close()

        QTimer.singleShot(200, look)  # time enough to ask, had it been going to

    dialogs = ScriptedDialogs(("Northshire County Council", "Children's Social Care"))
    close_when_asked(dialogs)
    assert run_app(db_path, dialogs=dialogs) == 0
    assert dialogs.shown == [("ask_council_names", "", "Children's Social Care")]
    database = open_database(db_path)
    try:
        assert stored(database)[0] == "Northshire County Council"
    finally:
        database.close()

    again = ScriptedDialogs()
    close_when_asked(again)
    assert run_app(db_path, dialogs=again) == 0
    assert again.shown == []


def test_the_question_s_boxes_are_announced_by_their_labels(qtbot) -> None:
    from test_accessible_names import assert_named, check_window

    dialog = CouncilNamesDialog(None, "", "Children's Social Care")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert_named(check_window(dialog, "Your council and service"))
    assert dialog.save_button.isDefault()


def test_the_question_never_stops_the_window_from_closing(qtbot, database) -> None:
    """Not modal: a close of the window (its close button, at once after start) is never
    held back by it; the question goes with the window and is asked again next time."""
    window = MainWindow(database, UserDialogs())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    blocking: list[object] = []

    def close_the_window(dialog: CouncilNamesDialog) -> None:
        blocking.append(QApplication.activeModalWidget())
        window.close()

    seen = when_the_question_is_up(close_the_window)
    assert ask_names_at_first_start(window, database, UserDialogs()) is False
    assert blocking == [None] and not window.isVisible() and not seen[0].isVisible()
    assert names_wanted(database)  # not taken as Skip
