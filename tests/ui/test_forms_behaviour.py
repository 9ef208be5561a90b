"""The form's rules at work: messages beside fields, the live due date, escalation, deletion and
the unsaved-changes prompt, all against a real SQLite database."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cscdesk.domain.kinds import ComplainantType, ComplaintData, Kind, Outcome
from cscdesk.store import lists, records
from cscdesk.store.models import Team
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog, open_record_form

TODAY = date(2024, 5, 14)


def form(qtbot, database, kind=Kind.COMPLAINT, reference=None, dialogs=None, prefill=None,
         today=TODAY) -> RecordFormDialog:
    dialog = RecordFormDialog(None, database, kind, reference, dialogs or ScriptedDialogs(),
                              prefill=prefill, today=today)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def type_into(qtbot, dialog: RecordFormDialog, field: str, text: str) -> None:
    """Select the field's text and type over it, then leave the field with Tab."""
    widget = dialog.view.editors[field].input
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClick(QApplication.activePopupWidget() or widget, Qt.Key.Key_Tab)


def shown(dialog: RecordFormDialog, field: str) -> str:
    label = dialog.view.messages[field]
    return label.text() if label.isVisibleTo(dialog) else ""


def save_complaint(database, **values) -> None:
    record = ComplaintData(**{"received": date(2024, 5, 3), "stage": 1, "team": "Adoption",
                              **values})
    with database.transaction() as session:
        records.save(session, record)


def load(database, reference: str, kind=Kind.COMPLAINT):
    with database.session() as session:
        return records.load(session, kind, reference)


def test_blank_form_waits_for_the_officer_before_saying_what_is_missing(qtbot, database) -> None:
    dialog = form(qtbot, database)
    assert not dialog.save_button.isEnabled()
    assert shown(dialog, "reference") == ""  # nothing shouted at a form just opened
    assert "Reference, Received, Team" in dialog.status.text()
    assert dialog.view.editors["reference"].input.accessibleDescription() == (
        "Reference is required."
    )
    assert not dialog.save()  # Ctrl+S on a blank form shows every message, saves nothing
    assert shown(dialog, "team") == "Team is required."
    assert load(database, "") is None


def test_closed_without_outcome_and_responded_before_received(qtbot, database) -> None:
    dialog = form(qtbot, database)
    type_into(qtbot, dialog, "reference", "C-1")
    type_into(qtbot, dialog, "received", "10/05/2024")
    type_into(qtbot, dialog, "team", "Adoption")
    assert dialog.save_button.isEnabled()
    type_into(qtbot, dialog, "closed", "20/05/2024")
    assert shown(dialog, "outcome") == "Outcome and Closed go together: give both or neither."
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog, "outcome", "Not upheld")
    assert shown(dialog, "outcome") == ""
    type_into(qtbot, dialog, "responded", "09/05/2024")
    assert shown(dialog, "responded") == "Responded (09/05/2024) is before Received (10/05/2024)."
    assert not dialog.save_button.isEnabled()
    responded = dialog.view.editors["responded"].input
    assert responded.accessibleDescription() == shown(dialog, "responded")
    assert "Responded" in dialog.save_button.accessibleDescription()
    type_into(qtbot, dialog, "responded", "17/05/2024")
    assert dialog.save_button.isEnabled() and dialog.errors() == {}


def test_missing_team_and_unreadable_date_are_said_beside_the_field(qtbot, database) -> None:
    dialog = form(qtbot, database, Kind.ENQUIRY)
    type_into(qtbot, dialog, "reference", "E-1")
    type_into(qtbot, dialog, "received", "31/02/2024")
    assert shown(dialog, "received") == (
        "Received: “31/02/2024” is not a real date; type it as dd/mm/yyyy."
    )
    type_into(qtbot, dialog, "received", "yesterday")
    assert "is not a date" in shown(dialog, "received")
    type_into(qtbot, dialog, "received", "1/4/24")
    assert dialog.view.editors["received"].snapshot() == "01/04/2024"  # tidied on leaving
    type_into(qtbot, dialog, "source", "MP")
    type_into(qtbot, dialog, "team", "")
    assert shown(dialog, "team") == "Team is required."
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog, "source", "Mayor")
    assert shown(dialog, "source") == "Source: choose one of MP, MEP, Member."


def test_messages_wait_until_the_officer_leaves_the_field(qtbot, database) -> None:
    dialog = form(qtbot, database, Kind.COMPLIMENT)
    received = dialog.view.editors["received"].input
    received.setFocus()
    qtbot.keyClicks(received, "03/0")
    assert shown(dialog, "received") == ""  # half-typed: not scolded
    assert not dialog.save_button.isEnabled()
    assert "not a date" in received.accessibleDescription()
    qtbot.keyClick(received, Qt.Key.Key_Tab)
    assert shown(dialog, "received") == (
        "Received: “03/0” is not a date; type it as dd/mm/yyyy.")
    type_into(qtbot, dialog, "received", "03/05/2024")
    assert shown(dialog, "received") == ""


def test_due_date_follows_received_stage_and_extension_as_typed(qtbot, database) -> None:
    dialog = form(qtbot, database, today=date(2024, 5, 14))
    assert "Received and Stage" in dialog.view.due.text()
    type_into(qtbot, dialog, "received", "03/05/2024")  # Friday; 6 May is a bank holiday
    assert dialog.view.due.text() == "Monday 20/05/2024 · 4 working days left"
    dialog.view.editors["extended"].input.click()
    assert dialog.view.due.text() == "Tuesday 04/06/2024 · 14 working days left"  # 20 wd
    dialog.view.editors["stage"].input.setFocus()
    qtbot.keyClicks(dialog.view.editors["stage"].input, "3")
    assert dialog.view.due.text() == (  # 30 working days; an extension does not change Stage 3
        "Tuesday 18/06/2024 (an extension does not change Stage 3) · 24 working days left"
    )
    type_into(qtbot, dialog, "responded", "13/06/2024")
    assert dialog.view.due.text().endswith("responded on time")

    late = form(qtbot, database, today=date(2024, 5, 23))
    type_into(qtbot, late, "received", "03/05/2024")
    assert late.view.due.text() == "Monday 20/05/2024 · overdue by 3 working days"


def test_escalation_saves_and_opens_a_linked_stage_2_complaint(qtbot, database) -> None:
    dialog = form(qtbot, database)
    type_into(qtbot, dialog, "reference", "C-7")
    type_into(qtbot, dialog, "received", "03/05/2024")
    type_into(qtbot, dialog, "team", "Fostering")
    type_into(qtbot, dialog, "complainant", "Mr B")
    type_into(qtbot, dialog, "complainant_type", "foster")
    assert dialog.escalate_button.text() == "&Escalate to Stage 2"
    qtbot.keyClick(dialog.escalate_button, Qt.Key.Key_Space)  # saves first: it was never saved

    assert load(database, "C-7") is not None
    prefill = dialog.escalation
    assert prefill == ComplaintData(reference="C-7-S2", stage=2, team="Fostering",
                                    complainant="Mr B",
                                    complainant_type=ComplainantType.FOSTER_CARER,
                                    escalated_from="C-7")
    stage_two = form(qtbot, database, prefill=prefill)
    assert stage_two.view.editors["escalated_from"].snapshot() == "C-7"
    assert QApplication.focusWidget() is stage_two.view.editors["received"].input
    assert stage_two.escalate_button.text() == "&Escalate to Stage 3"
    type_into(qtbot, stage_two, "received", "01/07/2024")
    assert stage_two.save()
    linked = load(database, "C-7-S2")
    assert (linked.stage, linked.escalated_from, linked.team, linked.complainant) == (
        2, "C-7", "Fostering", "Mr B")

    # The first stage cannot now be deleted: the sentence says why.
    dialogs = ScriptedDialogs(True)
    first = form(qtbot, database, reference="C-7", dialogs=dialogs)
    assert not first.delete()
    assert dialogs.shown[-1] == (
        "warn", "Not deleted", "Complaint “C-7” cannot be deleted: “C-7-S2” escalates from it."
    )
    assert load(database, "C-7") is not None

    # Escalating it again asks first, since "C-7-S2" already escalates from it.
    again = ScriptedDialogs(False)
    assert form(qtbot, database, reference="C-7", dialogs=again).escalate() is None
    assert again.shown[-1][1] == "Already escalated"


def test_open_record_form_runs_the_escalated_form_after_the_first(qtbot, database) -> None:
    save_complaint(database, reference="C-20", complainant="Ms C")
    seen: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecordFormDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(dialog.windowTitle())
        if dialog.original_reference == "C-20":
            dialog.escalate()
        else:
            dialog.view.editors["received"].set(date(2024, 6, 3))
            dialog.save_and_close()
        if len(seen) < 2:
            QTimer.singleShot(20, act)

    QTimer.singleShot(20, act)
    result = open_record_form(None, database, Kind.COMPLAINT, "C-20", ScriptedDialogs())
    assert seen == ["Complaint C-20[*]", "New complaint[*]"]
    assert result == "C-20-S2"
    assert load(database, "C-20-S2").escalated_from == "C-20"


def test_delete_asks_first(qtbot, database) -> None:
    save_complaint(database, reference="C-9", closed=date(2024, 5, 9), outcome=Outcome.UPHELD)
    dialogs = ScriptedDialogs(False, True)
    dialog = form(qtbot, database, reference="C-9", dialogs=dialogs)
    assert not dialog.delete()  # "No"
    assert load(database, "C-9") is not None
    assert dialog.delete()
    assert dialogs.shown[-1] == ("confirm", "Delete complaint",
                                 "Delete complaint “C-9”? This cannot be undone.")
    assert load(database, "C-9") is None
    assert dialog.deleted and not dialog.isVisible()


def test_unsaved_changes_prompt_on_escape(qtbot, database) -> None:
    save_complaint(database, reference="C-5", summary="Before")
    dialogs = ScriptedDialogs("cancel", "discard")
    dialog = form(qtbot, database, reference="C-5", dialogs=dialogs)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialogs.shown == []  # nothing changed: no question

    dialog = form(qtbot, database, reference="C-5", dialogs=dialogs)
    type_into(qtbot, dialog, "summary", "After")
    qtbot.keyClick(dialog.view.editors["summary"].input, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # "Cancel": keep editing
    assert dialogs.shown[-1][0] == "save_discard_cancel"
    dialog.close()
    assert not dialog.isVisible()  # "Discard"
    assert load(database, "C-5").summary == "Before"

    dialog = form(qtbot, database, reference="C-5", dialogs=ScriptedDialogs("save"))
    type_into(qtbot, dialog, "summary", "After")
    dialog.reject()
    assert not dialog.isVisible() and load(database, "C-5").summary == "After"


def test_a_new_prefilled_form_counts_as_unsaved(qtbot, database) -> None:
    dialogs = ScriptedDialogs("discard")
    dialog = form(qtbot, database, prefill=ComplaintData(reference="X-S2", stage=2),
                  dialogs=dialogs)
    dialog.reject()
    assert dialogs.shown == [("save_discard_cancel", "Unsaved changes",
                              "Save the changes to the new complaint before closing?")]


def test_duplicate_reference_is_said_on_the_reference_field(qtbot, database) -> None:
    save_complaint(database, reference="C-1")
    save_complaint(database, reference="C-2")
    dialog = form(qtbot, database)
    type_into(qtbot, dialog, "reference", "C-1")
    assert shown(dialog, "reference") == "Another complaint already has reference “C-1”."
    assert not dialog.save_button.isEnabled()

    renaming = form(qtbot, database, reference="C-2")
    type_into(qtbot, renaming, "reference", "C-1")
    assert shown(renaming, "reference") == "Another complaint already has reference “C-1”."
    type_into(qtbot, renaming, "reference", "C-2")
    assert renaming.errors() == {}


def test_declining_a_new_team_saves_nothing(qtbot, database) -> None:
    dialogs = ScriptedDialogs(False)
    dialog = form(qtbot, database, Kind.COMPLIMENT, dialogs=dialogs)
    type_into(qtbot, dialog, "reference", "K-1")
    type_into(qtbot, dialog, "received", "01/05/2024")
    type_into(qtbot, dialog, "team", "Brand New Team")
    assert shown(dialog, "team").startswith("“Brand New Team” is a new team")
    assert not dialog.save()
    assert dialogs.shown[0][1] == "Add a new team?"
    assert load(database, "K-1", Kind.COMPLIMENT) is None


def test_a_date_can_be_picked_from_the_calendar_with_the_keyboard(qtbot, database) -> None:
    dialogs = ScriptedDialogs()
    dialog = form(qtbot, database, Kind.COMPLIMENT, dialogs=dialogs)
    received = dialog.view.editors["received"]
    type_into(qtbot, dialog, "received", "03/05/2024")
    received.input.setFocus()
    qtbot.keyClick(received.input, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert received.get() == date(2024, 5, 4)
    assert received.snapshot() == "04/05/2024"

    qtbot.keyClick(received.input, Qt.Key.Key_F4)
    popup = QApplication.activePopupWidget()
    qtbot.keyClick(popup.calendar.focusWidget() or popup, Qt.Key.Key_Escape)
    assert not popup.isVisible() and dialog.isVisible()
    assert dialogs.shown == []  # Esc closed only the calendar, not the form
    assert received.get() == date(2024, 5, 4)


def test_a_reference_taken_meanwhile_is_refused_and_nothing_is_half_saved(qtbot, database) -> None:
    dialog = form(qtbot, database, dialogs=ScriptedDialogs(True))
    type_into(qtbot, dialog, "reference", "C-1")
    type_into(qtbot, dialog, "received", "03/05/2024")
    type_into(qtbot, dialog, "team", "Brand New Team")
    assert dialog.save_button.isEnabled()
    save_complaint(database, reference="C-1", summary="Entered elsewhere")  # meanwhile

    assert not dialog.save()
    assert shown(dialog, "reference") == "Another complaint already has reference “C-1”."
    assert load(database, "C-1").summary == "Entered elsewhere"
    with database.session() as session:
        assert "Brand New Team" not in lists.active_names(session, Team)
    type_into(qtbot, dialog, "reference", "C-2")
    assert dialog.save()
    assert load(database, "C-2").team == "Brand New Team"


def test_save_is_the_default_button_of_every_form(qtbot, database) -> None:
    for kind in Kind:
        dialog = form(qtbot, database, kind)
        buttons = [dialog.save_button, dialog.cancel_button, dialog.delete_button,
                   dialog.escalate_button, dialog.history_button]
        assert [button.isDefault() for button in buttons] == [True, False, False, False, False]
        dialog.reject()


def test_a_complaint_form_with_messages_fits_a_1366_by_768_laptop(tmp_path):
    """The most common council laptop (728 pixels high once the taskbar is off): with three
    messages showing the form needs no scroll bar and Notes shows whole."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from cscdesk.store.engine import open_database

    open_database(tmp_path / "cases.db").close()
    screen = tmp_path / "laptop.json"
    screen.write_text('{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, '
                      '"height": 728, "logicalDpiX": 96, "logicalDpiY": 96}]}')
    flow = Path(__file__).parent / "flows" / "form_on_laptop.py"
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    result = subprocess.run([sys.executable, str(flow), str(tmp_path / "cases.db")], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    scroll, notes = result.stdout.split()
    assert scroll == "scroll=0"
    shown, height = notes.removeprefix("notes=").split("/")
    assert shown == height
