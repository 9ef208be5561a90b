"""Casework on the record forms: the Stage 2 and 3 steps shown by stage, the clocks as dates are
typed, ordering errors beside their fields, a case's actions (added and opened from its form),
an action's remedy fields and the LGO compliance its actions give. Real widgets on a real
SQLite file (one test on PostgreSQL); every expected date is counted here by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, DisputeData, Kind
from cscdesk.store import records
from cscdesk.store.engine import open_database
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog

TODAY = date(2024, 5, 14)  # a Tuesday; Monday 6 May and Monday 27 May 2024 are bank holidays


def form(qtbot, database, kind=Kind.COMPLAINT, reference=None, today=TODAY,
         dialogs=None) -> RecordFormDialog:
    dialog = RecordFormDialog(None, database, kind, reference, dialogs or ScriptedDialogs(),
                              today=today)
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


def choose_stage(qtbot, dialog: RecordFormDialog, stage: int) -> None:
    """Home, then Down to the stage (typing a digit again at once would search for "21")."""
    widget = dialog.view.editors["stage"].input
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Home)
    for _ in range(stage - 1):
        qtbot.keyClick(widget, Qt.Key.Key_Down)
    assert dialog.view.editors["stage"].get() == stage


def shown(dialog: RecordFormDialog, field: str) -> str:
    label = dialog.view.messages[field]
    return label.text() if label.isVisibleTo(dialog) else ""


def section_shown(dialog: RecordFormDialog, title: str) -> bool:
    return next(box for section, box in dialog.view.boxes
                if section.title == title).isVisibleTo(dialog)


def line(dialog: RecordFormDialog, name: str) -> str:
    label = dialog.view.lines[name]
    return label.text() if label.isVisibleTo(dialog) else ""


def save(database, *items) -> None:
    with database.transaction() as session:
        for item in items:
            records.save(session, item)


def load(database, kind: Kind, reference: str):
    with database.session() as session:
        return records.load(session, kind, reference)


def in_next_modal(action: Callable[[RecordFormDialog], None]) -> list[str]:
    """Run `action` on the modal form that opens next (its `exec` blocks the test); returns
    the problems met, for the test to assert on after the form closed ("no form opened"
    until one did)."""
    problems = ["no form opened"]
    tries = iter(range(100))  # two seconds at most: never a later test's form

    def act() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, RecordFormDialog) or not modal.isActiveWindow():
            if next(tries, None) is not None:
                QTimer.singleShot(20, act)  # not open yet
            return
        problems.clear()
        try:
            action(modal)
        except (AssertionError, KeyError) as problem:  # raised here, it would be lost in Qt
            problems.append(str(problem) or repr(problem))
        if modal.isVisible():  # never leave the test waiting on a form
            problems.append(f"still open: {modal.errors() or modal.status.text()}")
            modal.done(0)

    QTimer.singleShot(0, act)
    return problems


def focused() -> QWidget:
    return QApplication.focusWidget()


# --- the steps shown by stage -------------------------------------------------------------------


def test_stage_switching_shows_and_hides_the_steps_without_losing_what_was_typed(
        qtbot, database) -> None:
    dialog = form(qtbot, database)
    assert not section_shown(dialog, "Stage 2 steps")
    assert not section_shown(dialog, "Stage 3 steps")
    choose_stage(qtbot, dialog, 2)
    assert section_shown(dialog, "Stage 2 steps") and not section_shown(dialog, "Stage 3 steps")
    type_into(qtbot, dialog, "reference", "C-2")
    type_into(qtbot, dialog, "received", "03/05/2024")
    type_into(qtbot, dialog, "team", "Adoption")
    type_into(qtbot, dialog, "statement_agreed", "08/05/2024")
    type_into(qtbot, dialog, "investigating_officer", "Pat Lee")
    assert dialog.save_button.isEnabled()

    choose_stage(qtbot, dialog, 1)  # a slip: the steps typed stay, in sight, each named
    assert section_shown(dialog, "Stage 2 steps")
    assert dialog.view.editors["statement_agreed"].snapshot() == "08/05/2024"
    assert dialog.view.editors["investigating_officer"].snapshot() == "Pat Lee"
    assert shown(dialog, "statement_agreed") == (
        "Statement agreed is a Stage 2 step; this complaint is Stage 1.")
    assert shown(dialog, "investigating_officer") == (
        "Investigating officer is a Stage 2 step; this complaint is Stage 1.")
    assert "Statement agreed" in dialog.status.text()
    assert not dialog.save_button.isEnabled() and not dialog.save()
    assert load(database, Kind.COMPLAINT, "C-2") is None

    choose_stage(qtbot, dialog, 3)
    assert section_shown(dialog, "Stage 3 steps") and section_shown(dialog, "Stage 2 steps")
    type_into(qtbot, dialog, "panel_held", "10/06/2024")
    choose_stage(qtbot, dialog, 2)  # back: everything typed is still there
    assert dialog.view.editors["statement_agreed"].snapshot() == "08/05/2024"
    assert dialog.view.editors["panel_held"].snapshot() == "10/06/2024"
    assert section_shown(dialog, "Stage 3 steps")
    assert shown(dialog, "panel_held") == "Panel held is a Stage 3 step; this complaint is Stage 2."
    type_into(qtbot, dialog, "panel_held", "")  # emptied, and left: the section goes
    dialog.view.editors["summary"].input.setFocus()
    qtbot.keyClicks(dialog.view.editors["summary"].input, "x")
    assert not section_shown(dialog, "Stage 3 steps")
    assert dialog.save_button.isEnabled()
    assert dialog.save()
    stored = load(database, Kind.COMPLAINT, "C-2")
    assert stored.stage == 2 and stored.statement_agreed == date(2024, 5, 8)
    assert stored.investigating_officer == "Pat Lee" and stored.panel_held is None


def test_the_ombudsmans_decision_shows_once_the_complaint_was_referred(qtbot, database) -> None:
    dialog = form(qtbot, database)
    title = "The Ombudsman's decision"
    assert not section_shown(dialog, title)
    type_into(qtbot, dialog, "lgo_referred", "01/05/2024")
    assert section_shown(dialog, title)
    assert focused() is dialog.view.editors["lgo_decision"].input
    type_into(qtbot, dialog, "lgo_outcome", "Not upheld")
    assert shown(dialog, "lgo_decided") == (
        "LGO outcome and LGO decided go together: give both or neither.")
    type_into(qtbot, dialog, "lgo_referred", "")  # the decision typed stays in sight
    assert section_shown(dialog, title)
    assert shown(dialog, "lgo_referred") == "An LGO decision needs the date it was referred."


# --- the clocks -------------------------------------------------------------------------------


def test_days_used_at_stages_1_and_2_across_a_weekend_and_a_bank_holiday(
        qtbot, database) -> None:
    dialog = form(qtbot, database)
    assert line(dialog, "days used") == "Shown when Received and Stage are filled in."
    type_into(qtbot, dialog, "received", "03/05/2024")  # Fri; Mon 6 May is a bank holiday
    # 7, 8, 9, 10, 13, 14 May: six working days to Tuesday 14 May
    assert line(dialog, "days used") == "Day 6 of 10 working days used"
    dialog.view.editors["extended"].input.click()
    assert line(dialog, "days used") == "Day 6 of 20 working days used"
    choose_stage(qtbot, dialog, 2)
    assert line(dialog, "days used") == "Day 6 of 65 working days used"
    dialog.view.editors["extended"].input.click()
    assert line(dialog, "days used") == "Day 6 of 25 working days used"
    # Stage 2: 7-10 May (4), 13-17 (9), 20-24 (14), 28-31 (18), 3-7 Jun (23), 10, 11 Jun (25)
    assert dialog.view.due.text() == "Tuesday 11/06/2024 · 19 working days left"
    assert dialog.view.due.accessibleName() == "Response due"
    assert dialog.view.lines["days used"].accessibleDescription() == (
        "Day 6 of 25 working days used")
    # Responded Tue 28 May: 7-10 (4), 13-17 (9), 20-24 (14), 27 May a holiday, 28 (15)
    type_into(qtbot, dialog, "responded", "28/05/2024")
    assert line(dialog, "days used") == "Responded on working day 15 of 25"
    choose_stage(qtbot, dialog, 3)  # the steps' own clocks say it at Stage 3
    assert line(dialog, "days used") == ""
    assert dialog.view.due.accessibleName() == "Due overall"


def test_days_used_across_christmas_substitute_days(qtbot, database) -> None:
    dialog = form(qtbot, database, today=date(2022, 1, 5))
    # Thu 23 Dec 2021: Fri 24 (1); Mon 27 and Tue 28 Dec are the substitutes for Christmas
    # and Boxing Day; 29, 30, 31 (4); Mon 3 Jan 2022 stands for New Year's Day; 4, 5 Jan (6)
    type_into(qtbot, dialog, "received", "23/12/2021")
    assert line(dialog, "days used") == "Day 6 of 10 working days used"


def test_each_stage_3_clock_as_its_dates_are_typed(qtbot, database) -> None:
    dialog = form(qtbot, database)
    choose_stage(qtbot, dialog, 3)
    type_into(qtbot, dialog, "received", "03/05/2024")  # Fri; Mon 6 and Mon 27 May holidays
    # Panel: 30 working days: 7-10 May (4), 13-17 (9), 20-24 (14), 28-31 (18), 3-7 Jun (23),
    # 10-14 (28), 17, 18 Jun (30); from Tue 14 May, 30 - 6 = 24 are left.
    assert line(dialog, "panel clock") == "Tue 18/06/2024 — 24 working days left"
    assert line(dialog, "panel report clock") == "Starts when Panel held is filled in."
    assert line(dialog, "response clock") == "Starts when Panel report received is filled in."
    assert dialog.view.line_labels["panel clock"].text() == "Panel due"
    assert dialog.view.lines["panel clock"].accessibleName() == "Panel due"
    assert dialog.view.lines["panel clock"].accessibleDescription() == (
        "Tue 18/06/2024 — 24 working days left")
    assert dialog.view.lines["panel clock"].font().bold()
    assert not dialog.view.lines["panel report clock"].font().bold()

    type_into(qtbot, dialog, "panel_held", "19/06/2024")
    assert line(dialog, "panel clock") == "Tue 18/06/2024 — held 1 working day late"
    # Report: 5 working days from Wed 19 Jun: 20, 21, 24, 25, 26 -> Wed 26 Jun;
    # from Tue 14 May: 24 (to 18 Jun) + 19-21 (27), 24-26 (30)
    assert line(dialog, "panel report clock") == "Wed 26/06/2024 — 30 working days left"
    type_into(qtbot, dialog, "panel_report", "26/06/2024")
    assert line(dialog, "panel report clock") == "Wed 26/06/2024 — received on time"
    # Response: 15 from Wed 26 Jun: 27, 28 (2), 1-5 Jul (7), 8-12 (12), 15, 16, 17 (15)
    assert line(dialog, "response clock").startswith("Wed 17/07/2024 — ")
    type_into(qtbot, dialog, "responded", "18/07/2024")
    assert line(dialog, "response clock") == "Wed 17/07/2024 — sent 1 working day late"
    assert line(dialog, "panel clock") == "Tue 18/06/2024 — held 1 working day late"


def test_stage_3_clocks_across_the_august_bank_holiday(qtbot, database) -> None:
    dialog = form(qtbot, database, today=date(2024, 9, 18))
    choose_stage(qtbot, dialog, 3)
    # Mon 1 Jul 2024: 2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19), 29-31 (22), 1-2 Aug (24),
    # 5-9 (29), 12 Aug (30)
    type_into(qtbot, dialog, "received", "01/07/2024")
    # to Wed 18 Sep: 13-16 Aug (4), 19-23 (9), 27-30 (13; Mon 26 Aug a holiday), 2-6 Sep (18),
    # 9-13 (23), 16-18 (26)
    assert line(dialog, "panel clock") == "Mon 12/08/2024 — overdue by 26 working days"
    # Held Thu 22 Aug: 13, 14, 15, 16, 19, 20, 21, 22 Aug: 8 late
    type_into(qtbot, dialog, "panel_held", "22/08/2024")
    assert line(dialog, "panel clock") == "Mon 12/08/2024 — held 8 working days late"
    # Report: Fri 23 (1), the weekend, Mon 26 Aug a holiday, 27-30 (5) -> Fri 30 Aug
    type_into(qtbot, dialog, "panel_report", "02/09/2024")
    assert line(dialog, "panel report clock") == "Fri 30/08/2024 — received 1 working day late"
    # Response: 15 from Mon 2 Sep: 3-6 (4), 9-13 (9), 16-20 (14), Mon 23 Sep (15);
    # from Wed 18 Sep: 19, 20, 23 -> 3 left
    assert line(dialog, "response clock") == "Mon 23/09/2024 — 3 working days left"


# --- ordering errors --------------------------------------------------------------------------


def test_an_ordering_error_shows_beside_its_field_and_blocks_the_save(qtbot, database) -> None:
    dialog = form(qtbot, database)
    choose_stage(qtbot, dialog, 2)
    type_into(qtbot, dialog, "reference", "C-9")
    type_into(qtbot, dialog, "received", "03/05/2024")
    type_into(qtbot, dialog, "team", "Adoption")
    type_into(qtbot, dialog, "statement_agreed", "10/05/2024")
    type_into(qtbot, dialog, "report_received", "08/05/2024")
    message = "Investigation report received (08/05/2024) is before Statement agreed (10/05/2024)."
    assert shown(dialog, "report_received") == message
    assert shown(dialog, "statement_agreed") == ""
    assert dialog.view.editors["report_received"].input.accessibleDescription() == message
    assert not dialog.save_button.isEnabled()
    dialog.view.editors["reference"].input.setFocus()
    assert not dialog.save()
    assert focused() is dialog.view.editors["report_received"].input
    assert load(database, Kind.COMPLAINT, "C-9") is None
    type_into(qtbot, dialog, "officer_appointed", "09/05/2024")
    assert shown(dialog, "investigating_officer") == (
        "Investigating officer: give the name of the officer appointed.")
    type_into(qtbot, dialog, "investigating_officer", "Pat Lee")
    type_into(qtbot, dialog, "report_received", "20/05/2024")
    type_into(qtbot, dialog, "responded", "17/05/2024")
    assert shown(dialog, "responded") == (
        "Responded (17/05/2024) is before Investigation report received (20/05/2024).")
    type_into(qtbot, dialog, "responded", "21/05/2024")
    assert dialog.errors() == {}
    assert dialog.save()


# --- actions ----------------------------------------------------------------------------------


def _complaint(reference="C-1", **values) -> ComplaintData:
    return ComplaintData(**{"reference": reference, "received": date(2024, 4, 2), "stage": 1,
                            "team": "Adoption", **values})


def test_an_action_added_from_a_complaint_is_saved_with_its_case_and_listed(
        qtbot, database) -> None:
    save(database, _complaint("C-1"), _complaint("C-0", team="Fostering"),
         ActionData("A-7", date(2024, 4, 3), "C-0", ActionKind.LEARNING, "Fostering",
                    "Train the team", date(2024, 6, 1)))
    dialog = form(qtbot, database, reference="C-1")
    panel = dialog.actions_panel
    assert panel is not None and panel.isVisibleTo(dialog)
    assert panel.references() == [] and panel.empty.text() == "No actions yet."
    seen: dict[str, object] = {}

    def fill(action_form: RecordFormDialog) -> None:
        editors = action_form.view.editors
        seen.update(title=action_form.windowTitle(), reference=editors["reference"].get(),
                    case=editors["case_reference"].get(), team=editors["team"].get(),
                    agreed=editors["agreed"].get(), at=focused().accessibleName(),
                    modified=action_form.isWindowModified())
        qtbot.keyClicks(focused(), "Learning")  # Kind, where the form starts
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_into(qtbot, action_form, "what", "Write to the family within five days")
        type_into(qtbot, action_form, "due", "31/05/2024")
        qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    problems = in_next_modal(fill)
    qtbot.keyClick(dialog, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert problems == []
    assert seen == {"title": "New action[*]", "reference": "A-8", "case": "C-1",
                    "team": "Adoption", "agreed": TODAY, "at": "Kind", "modified": False}
    stored = load(database, Kind.ACTION, "A-8")
    assert stored == ActionData("A-8", TODAY, "C-1", ActionKind.LEARNING, "Adoption",
                                "Write to the family within five days", date(2024, 5, 31))
    assert panel.references() == ["A-8"]
    item = panel.table.topLevelItem(0)
    assert [item.text(column) for column in range(6)] == [
        "A-8", "Learning / service improvement", "Write to the family within five days",
        "31/05/2024", "", "Open"]
    assert panel.empty.text() == "1 action."
    assert dialog.focusWidget() is panel.table  # the form's keyboard is back in the list
    assert not dialog.isWindowModified()  # adding an action is no change to the complaint


def test_enter_in_the_actions_list_opens_the_action(qtbot, database) -> None:
    save(database, DisputeData("D-1", date(2024, 4, 2), "Adoption", summary="Plan"),
         ActionData("A-1", date(2024, 4, 3), "D-1", ActionKind.LEARNING, "Adoption",
                    "Review the plan", date(2024, 5, 1)),
         ActionData("A-2", date(2024, 4, 4), "D-1", ActionKind.LEARNING, "Adoption",
                    "Meet", date(2024, 6, 1), done=date(2024, 5, 2)))
    dialog = form(qtbot, database, Kind.DISPUTE, "D-1")
    panel = dialog.actions_panel
    assert panel is not None
    statuses = [panel.table.topLevelItem(row).text(5) for row in range(2)]
    assert statuses == ["Overdue", "Done"]  # due 1 May, and today is 14 May
    opened: list[str] = []

    def mark_done(action_form: RecordFormDialog) -> None:
        opened.append(action_form.windowTitle())
        type_into(qtbot, action_form, "done", "13/05/2024")
        action_form.save_and_close()

    problems = in_next_modal(mark_done)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    qtbot.keyClick(panel.table, Qt.Key.Key_Up)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert problems == [] and opened == ["Action A-1[*]"]
    assert dialog.isVisible()  # Enter in the list opens the action, never saves and closes
    assert panel.table.topLevelItem(0).text(5) == "Done"
    assert load(database, Kind.ACTION, "A-1").done == date(2024, 5, 13)


def test_amount_and_paid_are_open_for_a_remedy_only(qtbot, database) -> None:
    save(database, _complaint("C-1"))
    dialog = form(qtbot, database, Kind.ACTION)
    amount, paid = (dialog.view.editors[name].input for name in ("amount", "paid"))
    assert dialog.view.editors["agreed"].get() == TODAY
    assert not dialog.isWindowModified()
    assert not amount.isEnabled() and not paid.isEnabled()
    assert "Remedy for the complainant" in amount.toolTip()
    assert "paid" in paid.toolTip()
    type_into(qtbot, dialog, "reference", "A-1")
    type_into(qtbot, dialog, "case_reference", "C-404")
    assert shown(dialog, "case_reference") == (
        "No complaint or dispute resolution case has reference “C-404”.")
    type_into(qtbot, dialog, "case_reference", "C-1")
    assert shown(dialog, "case_reference") == ""
    type_into(qtbot, dialog, "action_kind", "Remedy for the complainant")
    assert amount.isEnabled() and paid.isEnabled() and amount.toolTip() == ""
    type_into(qtbot, dialog, "team", "Adoption")
    type_into(qtbot, dialog, "what", "Pay for the missed contact")
    type_into(qtbot, dialog, "due", "31/05/2024")
    type_into(qtbot, dialog, "paid", "20/05/2024")
    assert shown(dialog, "amount") == "Paid is given: give the amount paid."
    type_into(qtbot, dialog, "amount", "250")
    type_into(qtbot, dialog, "action_kind", "Learning / service improvement")
    assert amount.isEnabled()  # it holds an amount: open, so that it can be removed
    assert shown(dialog, "amount") == "Only a remedy for the complainant carries an amount."
    type_into(qtbot, dialog, "action_kind", "Remedy for the complainant")
    assert dialog.save()
    assert load(database, Kind.ACTION, "A-1").amount == Decimal("250.00")


def test_the_lgo_compliance_given_by_ombudsman_actions_is_said_beside_the_dates(
        qtbot, database) -> None:
    save(database, _complaint("C-1", lgo_referred=date(2024, 4, 10)),
         ActionData("A-1", date(2024, 4, 20), "C-1", ActionKind.OMBUDSMAN, "Adoption",
                    "Apologise", date(2024, 5, 10), done=date(2024, 5, 8)),
         ActionData("A-2", date(2024, 4, 20), "C-1", ActionKind.OMBUDSMAN, "Adoption",
                    "Review the policy", date(2024, 6, 30)),
         ActionData("A-3", date(2024, 4, 21), "C-1", ActionKind.LEARNING, "Adoption",
                    "Train", date(2024, 9, 30)))
    dialog = form(qtbot, database, reference="C-1")
    assert section_shown(dialog, "The Ombudsman's decision")
    assert line(dialog, "compliance from actions") == (
        "Due 30/06/2024, not complied yet (1 of 2 open): from 2 Ombudsman recommendation "
        "actions, used in place of the dates typed above.")
    assert dialog.view.lines["compliance from actions"].accessibleName() == "From actions"

    def finish(action_form: RecordFormDialog) -> None:
        type_into(qtbot, action_form, "done", "12/06/2024")
        action_form.save_and_close()

    problems = in_next_modal(finish)
    dialog.open_action("A-2")
    assert problems == []
    assert line(dialog, "compliance from actions") == (
        "Due 30/06/2024, complied 12/06/2024: from 2 Ombudsman recommendation actions, used "
        "in place of the dates typed above.")
    plain = form(qtbot, database, reference="C-1")
    plain.reject()
    save(database, _complaint("C-5"))
    assert line(form(qtbot, database, reference="C-5"), "compliance from actions") == ""


# --- the keyboard -----------------------------------------------------------------------------


def test_tab_follows_reading_order_into_the_steps_and_the_actions(qtbot, database) -> None:
    save(database, _complaint("C-1", stage=2))
    dialog = form(qtbot, database, reference="C-1")
    names = []
    widget = focused()
    for _ in range(40):
        names.append(widget.accessibleName() or widget.text().replace("&", ""))
        if widget is dialog.actions_panel.add_button:
            break
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = focused()
    assert names == [
        "Reference", "Stage", "Escalated from", "Received", "Team", "Complainant",
        "Complainant type", "Summary", "Statement agreed", "Investigating officer",
        "Investigating officer appointed", "Independent person", "Independent person appointed",
        "Investigation report received", "Acknowledged", "Extended", "Responded", "Notes",
        "Closed", "Outcome", "Root cause", "Learning", "ADR", "LGO referred", "LGO decision",
        "Actions", "Add action…"]
    text = dialog.actions_panel.add_button.text()
    assert text.startswith("&A") and "Ctrl+Shift+N" in dialog.actions_panel.add_button.toolTip()

    def close(action_form: RecordFormDialog) -> None:
        assert action_form.view.editors["case_reference"].get() == "C-1"
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # nothing typed: closes, asks nothing

    problems = in_next_modal(close)
    dialog.view.editors["summary"].input.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: problems != ["no form opened"])  # a mnemonic clicks a moment later
    assert problems == []
    assert load(database, Kind.ACTION, "A-1") is None
    assert dialog.isVisible()


def test_a_new_case_has_no_actions_list_until_it_is_saved(qtbot, database) -> None:
    dialog = form(qtbot, database)
    assert not dialog.actions_panel.isVisibleTo(dialog)
    type_into(qtbot, dialog, "reference", "C-3")
    type_into(qtbot, dialog, "received", "03/05/2024")
    type_into(qtbot, dialog, "team", "Adoption")
    assert dialog.save()
    assert dialog.actions_panel.isVisibleTo(dialog)
    assert form(qtbot, database, Kind.COMPLIMENT).actions_panel is None


@pytest.mark.postgresql
def test_an_action_added_from_a_complaint_on_a_server(qtbot, server_url) -> None:
    database = open_database(server_url)
    try:
        save(database, _complaint("C-1"))
        dialog = form(qtbot, database, reference="C-1")

        def fill(action_form: RecordFormDialog) -> None:
            type_into(qtbot, action_form, "reference", "A-1")
            type_into(qtbot, action_form, "action_kind", "Ombudsman recommendation")
            type_into(qtbot, action_form, "what", "Apologise in writing")
            type_into(qtbot, action_form, "due", "31/05/2024")
            action_form.save_and_close()

        problems = in_next_modal(fill)
        assert dialog.add_action() == "A-1"
        assert problems == []
        assert dialog.actions_panel.references() == ["A-1"]
        assert load(database, Kind.ACTION, "A-1").case_reference == "C-1"
        assert line(dialog, "compliance from actions").startswith(
            "Due 31/05/2024, not complied yet (1 of 1 open)")
        dialog.reject()
    finally:
        database.close()


def test_a_long_choice_shows_its_beginning_when_the_form_opens(qtbot, database) -> None:
    from cscdesk.domain.kinds import LgoOutcome

    save(database, _complaint("C-1", lgo_referred=date(2024, 4, 10),
                              lgo_outcome=LgoOutcome.UPHELD_NO_INJUSTICE,
                              lgo_decided=date(2024, 5, 1)))
    dialog = form(qtbot, database, reference="C-1")
    outcome = dialog.view.editors["lgo_outcome"].input
    assert outcome.currentText() == LgoOutcome.UPHELD_NO_INJUSTICE.value
    assert outcome.lineEdit().cursorPosition() == 0  # "Upheld: …", not "…no injustice"
