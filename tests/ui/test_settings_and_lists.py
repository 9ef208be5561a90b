"""The settings pane and the Teams / Root causes panes, against a real database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from ui_data import copied_database, fill

from cscdesk import settings
from cscdesk.domain.kinds import ComplaintData
from cscdesk.store import lists, records
from cscdesk.store.models import Complaint, RootCause, Team
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.lists_pane import EntryTableModel, ListsPane
from cscdesk.ui.settings_pane import SettingsPane


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


def test_settings_are_saved(database, qtbot, tmp_path):
    dialogs = ScriptedDialogs(tmp_path)  # the answer to "Choose…" for the report folder
    pane = SettingsPane(database, dialogs)
    qtbot.addWidget(pane)
    pane.refresh()
    council = pane.inputs[settings.COUNCIL_NAME.key]
    assert council.text() == "The Council" and council.accessibleName() == "Council name"
    council.clear()
    qtbot.keyClicks(council, "Northshire County Council")
    pane._choose_folder(settings.REPORT_FOLDER)
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        assert settings.get(session, settings.COUNCIL_NAME) == "Northshire County Council"
        assert settings.get(session, settings.REPORT_FOLDER) == str(tmp_path)
    assert pane.saved_label.text() == "Settings saved."


def test_an_empty_name_is_refused(database, qtbot):
    dialogs = ScriptedDialogs()
    pane = SettingsPane(database, dialogs)
    qtbot.addWidget(pane)
    pane.refresh()
    pane.inputs[settings.SERVICE_NAME.key].clear()
    pane.save()
    assert dialogs.shown[-1] == ("warn", "Settings", "Service name cannot be empty.")
    with database.session() as session:
        assert settings.get(session, settings.SERVICE_NAME) == "Children's Social Care"


def test_a_non_working_day_moves_open_due_dates(database, qtbot):
    with database.transaction() as session:
        # Received Friday 3 May 2024: due Monday 20 May 2024 (rules.md's example).
        records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Fostering"))
    pane = SettingsPane(database, ScriptedDialogs())
    qtbot.addWidget(pane)
    pane.refresh()
    pane.new_day.setDate(QDate(2024, 5, 10))
    qtbot.keyClicks(pane.new_description, "Office move")
    pane.add_day()
    assert pane.days_message.text() == "10/05/2024 added. 1 open complaint's due date changed."
    with database.session() as session:
        assert session.query(Complaint).one().due == date(2024, 5, 21)
    assert pane.days_list.count() == 1
    pane.days_list.setCurrentRow(0)
    pane.remove_day()
    assert pane.days_message.text().startswith("10/05/2024 removed. 1 open complaint")
    with database.session() as session:
        assert session.query(Complaint).one().due == date(2024, 5, 20)


@pytest.fixture
def teams_pane(database, qtbot):
    fill(database)
    with database.transaction() as session:
        lists.get_or_add(session, Team, "Unused")
    dialogs = ScriptedDialogs()
    pane = ListsPane(database, dialogs, Team)
    qtbot.addWidget(pane)
    pane.refresh()
    return pane


def row_of(pane: ListsPane, name: str) -> int:
    return [entry.name for entry in pane.model.entries].index(name)


def test_list_model_passes_the_model_tester(teams_pane, qtmodeltester):
    qtmodeltester.check(teams_pane.model, force_py=True)
    assert isinstance(teams_pane.model, EntryTableModel)


def test_add_rename_retire_restore(teams_pane, database, qtbot):
    qtbot.keyClicks(teams_pane.new_name, "Leaving Care")
    qtbot.keyClick(teams_pane.new_name, Qt.Key.Key_Return)
    assert "Leaving Care" in [e.name for e in teams_pane.model.entries]

    index = teams_pane.model.index(row_of(teams_pane, "Fostering"), 0)
    teams_pane.model.setData(index, "Fostering Service")
    qtbot.waitUntil(lambda: "Renamed" in teams_pane.message.text())  # once the editor closed
    with database.session() as session:
        assert {c.team.name for c in session.query(Complaint)} == {"Adoption",
                                                                  "Fostering Service"}
    assert teams_pane.message.text() == "Renamed to “Fostering Service” on every record."

    teams_pane.table.setCurrentIndex(teams_pane.model.index(row_of(teams_pane, "Adoption"), 0))
    teams_pane.toggle_retired()
    with database.session() as session:
        assert "Adoption" not in lists.active_names(session, Team)
    teams_pane.toggle_retired()
    with database.session() as session:
        assert "Adoption" in lists.active_names(session, Team)


def test_rename_to_an_existing_name_is_refused(teams_pane, qtbot):
    index = teams_pane.model.index(row_of(teams_pane, "Unused"), 0)
    teams_pane.model.setData(index, "adoption")
    qtbot.waitUntil(lambda: bool(teams_pane.dialogs.shown))
    assert teams_pane.dialogs.shown[-1][0] == "warn"
    assert "already in the list" in teams_pane.dialogs.shown[-1][2]


def test_delete_only_when_unused(teams_pane, database):
    teams_pane.table.setCurrentIndex(teams_pane.model.index(row_of(teams_pane, "Adoption"), 0))
    teams_pane.delete()
    kind, _title, text = teams_pane.dialogs.shown[-1]
    assert kind == "warn" and "is used by 4 records and cannot be deleted" in text
    teams_pane.table.setCurrentIndex(teams_pane.model.index(row_of(teams_pane, "Unused"), 0))
    teams_pane.delete()  # ScriptedDialogs confirms by default
    with database.session() as session:
        assert lists.find_by_name(session, Team, "Unused") is None
        assert lists.find_by_name(session, Team, "Adoption") is not None


def test_root_causes_pane(database, qtbot):
    fill(database)
    pane = ListsPane(database, ScriptedDialogs(), RootCause)
    qtbot.addWidget(pane)
    pane.refresh()
    assert [(e.name, e.used) for e in pane.model.entries] == [("Communication", 1)]


def test_renaming_in_the_list_with_f2_and_enter(teams_pane, database, qtbot, qtlog):
    teams_pane.show()
    teams_pane.activateWindow()
    qtbot.waitUntil(teams_pane.isActiveWindow)
    teams_pane.table.setFocus()
    teams_pane.table.setCurrentIndex(teams_pane.model.index(row_of(teams_pane, "Unused"), 0))
    qtbot.keyClick(teams_pane.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not teams_pane.table)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Youth Justice")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Renamed" in teams_pane.message.text())
    assert "Youth Justice" in [entry.name for entry in teams_pane.model.entries]
    assert not [r for r in qtlog.records if "commitData" in r.message]  # no editor left behind
