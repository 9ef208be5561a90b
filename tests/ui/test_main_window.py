"""The main window: title, navigation with Ctrl+1..9, remembered size and pane, Ctrl+F."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_data import copied_database, fill, shown_window

from cscdesk.domain.kinds import ComplimentData, Kind
from cscdesk.store import records
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.main_window import PANE_KEYS, MainWindow


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


@pytest.fixture
def window(database, qtbot):
    fill(database)
    return shown_window(database, qtbot)


def test_title_names_the_database_file(window, database):
    assert database.path.name in window.windowTitle()
    assert str(database.path.parent) in window.windowTitle()


def test_ctrl_numbers_switch_panes(window, qtbot):
    for number, key in enumerate(PANE_KEYS[:6], start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == key
        assert window.stack.currentWidget() is window.panes[key]
    assert window.navigation.currentItem().text() == "Dispute resolution"


def test_actions_are_ctrl_7_after_the_other_kinds_and_the_tenth_pane_is_ctrl_0(window, qtbot):
    window.activateWindow()  # the shortcuts of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    for number, key in ((7, Kind.ACTION.name), (8, "teams"), (9, "root_causes"),
                        (0, "settings")):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == key
    tips = [window.navigation.item(row).toolTip() for row in range(len(PANE_KEYS))]
    assert tips == [*(f"Ctrl+{number}" for number in range(1, 10)), "Ctrl+0",
                    *[""] * (len(PANE_KEYS) - 10)]
    assert window.navigation.item(PANE_KEYS.index(Kind.ACTION.name)).text() == "Actions"


def test_navigation_list_switches_panes(window):
    window.navigation.setCurrentRow(PANE_KEYS.index("teams"))
    assert window.stack.currentWidget() is window.panes["teams"]


def test_ctrl_f_goes_to_the_search_box(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    pane = window.panes[Kind.COMPLAINT.name]
    assert window.current_key() == Kind.COMPLAINT.name
    qtbot.waitUntil(pane.search.hasFocus, timeout=2000)


def test_size_and_last_pane_are_remembered(database, qtbot, cscdesk_home):
    first = MainWindow(database, ScriptedDialogs())
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 480)
    first.show_pane(Kind.ENQUIRY.name)
    size = (first.width(), first.height())
    assert size != (1280, 800)  # not the default size
    first.close()
    assert (cscdesk_home / "config" / "window.ini").exists()
    second = MainWindow(database, ScriptedDialogs())
    qtbot.addWidget(second)
    assert second.current_key() == Kind.ENQUIRY.name
    screen_width = second.screen().availableGeometry().width()  # 800 offscreen
    assert second.height() == size[1]
    assert abs(second.width() - min(size[0], screen_width)) <= 8  # kept on the screen


def test_data_changed_reloads_the_visible_list(window, database):
    pane = window.show_pane(Kind.COMPLIMENT.name)
    assert pane.model.rowCount() == 1
    with database.transaction() as session:
        records.save(session, ComplimentData("CO-2", date.today(), "Adoption"))
    window.data_changed.emit()
    assert pane.model.rowCount() == 2
    assert pane.counts_label.text() == "2 compliments"


def test_dashboard_count_opens_the_filtered_list(window):
    dashboard = window.show_pane("dashboard")
    dashboard.open_buttons[Kind.COMPLAINT].click()
    pane = window.panes[Kind.COMPLAINT.name]
    assert window.current_key() == Kind.COMPLAINT.name
    assert pane.counts_label.text() == "3 complaints, 3 open, 1 overdue"


def test_ctrl_n_opens_a_new_form_of_the_current_kind(window, qtbot, monkeypatch):
    from cscdesk.ui import forms

    opened = []
    monkeypatch.setattr(forms, "open_record_form",
                        lambda parent, db, kind, reference=None, **kw: opened.append(
                            (kind, reference)))
    window.show_pane(Kind.ENQUIRY.name)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [(Kind.ENQUIRY, None)]


def test_the_first_window_fits_the_screen(database, qtbot):
    window = MainWindow(database, ScriptedDialogs())
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()  # 800 × 600 offscreen: a small screen
    assert window.width() <= available.width() and window.height() <= available.height()
    assert available.contains(window.geometry())


def test_a_relative_database_path_shows_its_folder_in_the_title(tmp_path, qtbot, monkeypatch):
    from cscdesk.store.opening import open_database

    monkeypatch.chdir(tmp_path)
    database = open_database(Path("cases.db"))
    try:
        window = shown_window(database, qtbot)
        assert window.windowTitle() == f"cases.db ({tmp_path}) — cscdesk"
        window.close()
    finally:
        database.close()
