"""Importing from the app: the plan first, then the import; a rejected workbook's bad cells in
a table that sorts and copies."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from ui_data import copied_database

from cscdesk.domain.kinds import Kind
from cscdesk.store import records
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.import_dialog import ImportDialog, ProblemsModel, export_workbook
from workbooks import COMPLAINT_HEADER, write_workbook

pytest.importorskip("cscdesk.exchange")


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


def complaint(reference: str, received: object, stage: object = 1, team: str = "Adoption"
              ) -> list[object]:
    row: list[object] = [None] * len(COMPLAINT_HEADER)
    row[:4] = [reference, received, stage, team]
    return row


def open_dialog(qtbot, database, path) -> ImportDialog:
    dialog = ImportDialog(database, ScriptedDialogs(), path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=15000)
    return dialog


def test_a_good_workbook_shows_the_plan_then_imports(database, qtbot, tmp_path):
    path = write_workbook(tmp_path / "cases.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-1", date(2024, 5, 1)),
                       complaint("C-2", date(2024, 5, 2))],
        "Compliments": [["Reference", "Received", "Team", "Summary"],
                        ["P-1", date(2024, 5, 3), "Fostering", "Thanks"]],
    })
    dialog = open_dialog(qtbot, database, path)
    assert dialog.pages.currentIndex() == 1
    assert "2 new" not in dialog.plan_label.text()  # the total is said once, below
    assert "3 new and 0 updated" in dialog.plan_label.text()
    rows = {dialog.plan_table.item(r, 0).text(): dialog.plan_table.item(r, 1).text()
            for r in range(dialog.plan_table.rowCount())}
    assert rows["Complaints"] == "2" and rows["Compliments"] == "1"
    with database.session() as session:  # nothing written yet
        assert records.load(session, Kind.COMPLAINT, "C-1") is None
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported, timeout=15000)
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-2") is not None


def test_a_workbook_already_imported_offers_only_close(database, qtbot, tmp_path):
    path = write_workbook(tmp_path / "cases.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-1", date(2024, 5, 1))]})
    first = open_dialog(qtbot, database, path)
    qtbot.mouseClick(first.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.imported, timeout=15000)
    again = open_dialog(qtbot, database, path)
    assert "holds nothing new" in again.plan_label.text()
    assert again.import_button.isHidden()
    assert again.close_button.text() == "Close" and again.close_button.isDefault()


@pytest.fixture
def kept() -> list[object]:
    """Widgets kept alive until after the fixtures listed later (qtmodeltester) end."""
    return []


def test_a_rejected_workbook_lists_every_bad_cell(kept, database, qtbot, tmp_path,
                                                  qtmodeltester):
    path = write_workbook(tmp_path / "bad.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-1", "31/02/2024"),
                       complaint("C-2", date(2024, 5, 2), stage=7),
                       complaint("C-3", date(2024, 5, 2))],
    })
    dialog = open_dialog(qtbot, database, path)
    kept.append(dialog)  # the model checker lets go of the model at its teardown
    assert dialog.pages.currentWidget() is dialog.problems
    model = dialog.problems.proxy.sourceModel()
    assert isinstance(model, ProblemsModel)
    qtmodeltester.check(model, force_py=True)
    cells = {(p.sheet, p.row, p.column) for p in model.problems}
    assert ("Complaints", 2, "Received") in cells
    assert ("Complaints", 3, "Stage") in cells
    assert "was not imported: 2 problems found" in dialog.problems.summary.text()

    table = dialog.problems.table
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert table.model().index(0, 1).data() == "3"
    table.selectRow(0)
    dialog.show()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == "Sheet\tRow\tColumn\tValue\tProblem"
    assert copied[1].startswith("Complaints\t3\tStage\t7\t")
    assert len(copied) == 2
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-3") is None


def test_bad_cells_and_unknown_escalations_are_listed_together(database, qtbot, tmp_path):
    escalated = complaint("C-2", date(2024, 6, 2), stage=2)
    escalated[COMPLAINT_HEADER.index("Escalated from")] = "NOT-THERE"
    path = write_workbook(tmp_path / "bad.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-1", "31/02/2024"), escalated],
    })
    dialog = open_dialog(qtbot, database, path)
    assert dialog.pages.currentWidget() is dialog.problems
    cells = {(p.row, p.column) for p in dialog.problems.proxy.sourceModel().problems}
    assert cells == {(2, "Received"), (3, "Escalated from")}


def test_a_file_that_is_not_a_workbook_is_one_sentence(database, qtbot, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    dialog = ImportDialog(database, ScriptedDialogs(), path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.dialogs.shown), timeout=15000)
    kind, _title, text = dialog.dialogs.shown[0]
    assert kind == "error" and "notes.xlsx" in text


def test_export_writes_the_workbook(database, qtbot, tmp_path, qapp):
    from ui_data import fill

    fill(database)
    target = tmp_path / "out.xlsx"
    dialogs = ScriptedDialogs(target)
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    task = export_workbook(parent, database, dialogs)
    assert task is not None
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "info", timeout=15000)
    assert target.exists()
    assert dialogs.shown[-1][2] == f"8 records were written to {target}."


def test_the_result_is_shown_in_a_window_its_size(database, qtbot, tmp_path):
    """Not a few lines in a window sized for the plan's table above them."""
    path = write_workbook(tmp_path / "cases.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-1", date(2024, 5, 1))]})
    dialog = open_dialog(qtbot, database, path)
    dialog.show()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported, timeout=15000)
    qtbot.wait(20)
    assert dialog.pages.currentWidget() is dialog.done_label
    assert dialog.height() < dialog.done_label.sizeHint().height() + 120
    assert dialog.done_label.geometry().top() < 30  # at the top, not floating mid-window
