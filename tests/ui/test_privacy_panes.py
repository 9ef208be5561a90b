"""The data protection panes: bin, retention review, subject access, history."""

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Kind, Outcome
from cscdesk.store import records
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.history_view import HistoryView
from cscdesk.ui.privacy_pane import PrivacyPane


def fill(database) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C-OLD", date(2015, 5, 1), 1, "Adoption", closed=date(2015, 6, 1),
            outcome=Outcome.UPHELD, complainant="Ann Example"))
        records.save(session, EnquiryData("E-1", date(2024, 1, 1), EnquirySource.MP, "MASH",
                                          enquirer="Ann Example"))
        records.save(session, EnquiryData("E-2", date(2024, 1, 1), EnquirySource.MP, "MASH"))
        records.delete(session, Kind.ENQUIRY, "E-2")


def test_history_view_lists_each_changed_field(qtbot, qtmodeltester, database) -> None:
    fill(database)
    view = HistoryView(database)
    qtbot.addWidget(view)
    view.load("Complaints", "C-OLD")
    qtmodeltester.check(view.model)
    fields = {view.model.row_values(r)[3] for r in range(view.model.rowCount())}
    assert {"Complainant", "Team", "Outcome"} <= fields


def test_bin_restores_a_deleted_record(qtbot, qtmodeltester, database) -> None:
    fill(database)
    dialogs = ScriptedDialogs()
    pane = PrivacyPane(database, dialogs)
    qtbot.addWidget(pane)
    qtmodeltester.check(pane.bin.model)
    assert pane.bin.model.rowCount() == 1
    pane.bin.table.selectRow(0)
    with qtbot.waitSignal(pane.data_changed):
        qtbot.mouseClick(pane.bin.restore_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        assert records.load(session, Kind.ENQUIRY, "E-2") is not None
    assert pane.bin.model.rowCount() == 0


def test_retention_anonymises_only_after_confirmation(qtbot, database) -> None:
    fill(database)
    dialogs = ScriptedDialogs(False, True)
    pane = PrivacyPane(database, dialogs)
    qtbot.addWidget(pane)
    assert pane.retention.model.rowCount() == 1
    pane.retention.table.selectRow(0)
    pane.retention.anonymise_button.click()  # answered No
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-OLD").complainant == "Ann Example"
    pane.retention.table.selectRow(0)
    pane.retention.anonymise_button.click()  # answered Yes
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-OLD").complainant == ""
    assert pane.retention.model.rowCount() == 0


def test_subject_access_search_and_export(qtbot, database, tmp_path: Path) -> None:
    fill(database)
    target, pdf = tmp_path / "ann.xlsx", tmp_path / "ann.pdf"
    dialogs = ScriptedDialogs(target, pdf)
    pane = PrivacyPane(database, dialogs)
    qtbot.addWidget(pane)
    qtbot.keyClicks(pane.subject_access.name, "ann example")
    qtbot.keyClick(pane.subject_access.name, Qt.Key.Key_Return)
    assert pane.subject_access.model.rowCount() == 2
    pane.subject_access.export_button.click()
    assert load_workbook(target).sheetnames == ["Complaints", "Enquiries", "History"]
    assert dialogs.shown[-1][0] == "info"
    pane.subject_access.pdf_button.click()
    assert pdf.read_bytes().startswith(b"%PDF")


def test_history_dialog_shows_changes_and_toggles_legal_hold(qtbot, database) -> None:
    from cscdesk.ui.history_dialog import HistoryDialog

    fill(database)
    dialogs = ScriptedDialogs(True)
    dialog = HistoryDialog(None, database, Kind.COMPLAINT, "C-OLD", dialogs)
    qtbot.addWidget(dialog)
    assert dialog.history.model.rowCount() > 3
    assert not dialog.is_held()
    dialog.hold_button.click()
    assert dialog.is_held() and dialog.hold_label.text().startswith("LEGAL HOLD")
    dialog.hold_button.click()  # lifting asks first; answered Yes
    assert not dialog.is_held()
    assert dialogs.shown[-1][0] == "confirm"
    model = dialog.history.model
    actions = {model.row_values(row)[2] for row in range(model.rowCount())}
    assert "legal hold" in actions


def test_retention_deletes_a_case_and_its_actions_together_and_shows_a_case_hold(
        qtbot, database) -> None:
    from cscdesk.domain.kinds import ActionData, ActionKind
    from cscdesk.store import personal_data

    fill(database)
    with database.transaction() as session:
        records.save(session, ActionData("A-1", date(2015, 6, 1), "C-OLD", ActionKind.LEARNING,
                                         "Adoption", "Call Ann back", date(2015, 7, 1),
                                         done=date(2015, 6, 20)))
    dialogs = ScriptedDialogs(True)
    pane = PrivacyPane(database, dialogs)
    qtbot.addWidget(pane)
    rows = {pane.retention.model.row_values(r)[1]: r
            for r in range(pane.retention.model.rowCount())}
    assert set(rows) == {"C-OLD", "A-1"}

    with database.transaction() as session:
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-OLD", True)
    pane.retention.refresh()
    holds = {pane.retention.model.row_values(r)[1]: pane.retention.model.row_values(r)[3]
             for r in range(pane.retention.model.rowCount())}
    assert holds == {"C-OLD": "LEGAL HOLD", "A-1": "CASE ON HOLD"}
    with database.transaction() as session:
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-OLD", False)
    pane.retention.refresh()

    pane.retention.table.selectAll()  # the case first in the list, its action after
    pane.retention.delete_button.click()
    assert "A case's actions go with it." in dialogs.shown[-1][2]
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-OLD") is None
        assert records.load(session, Kind.ACTION, "A-1") is None
    assert pane.retention.model.rowCount() == 0
