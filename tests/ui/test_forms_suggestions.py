"""What the form offers and asks, as the officer meets it on real widgets and a real SQLite
database: the complaints "Escalated from" may name, the next reference, one question for new
list entries (Enter meaning yes), and a question before escalating unsaved edits."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cscdesk.domain.kinds import ComplaintData, ComplimentData, Kind
from cscdesk.store import lists, records
from cscdesk.store.models import RootCause, Team
from cscdesk.ui.dialog_service import ScriptedDialogs, UserDialogs
from cscdesk.ui.forms import RecordFormDialog

TODAY = date(2024, 9, 2)


@pytest.fixture
def cases(database) -> None:
    """Stage 1: C-1 (Ann Smith, Fostering), C-2 (Bob Jones, Adoption), C-10 (Cy Smithers);
    Stage 2: C-1-S2 (Ann Smith)."""
    with database.transaction() as session:
        lists.get_or_add(session, RootCause, "Communication")
        for record in (
            ComplaintData("C-1", date(2024, 5, 3), 1, "Fostering", complainant="Ann Smith"),
            ComplaintData("C-2", date(2024, 5, 7), 1, "Adoption", complainant="Bob Jones"),
            ComplaintData("C-10", date(2024, 5, 9), 1, "Adoption", complainant="Cy Smithers"),
            ComplaintData("C-1-S2", date(2024, 6, 3), 2, "Fostering", complainant="Ann Smith",
                          escalated_from="C-1"),
        ):
            records.save(session, record)


def open_form(qtbot, database, kind=Kind.COMPLAINT, reference=None, dialogs=None
              ) -> RecordFormDialog:
    dialog = RecordFormDialog(None, database, kind, reference, dialogs or ScriptedDialogs(),
                              today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def focused():
    return QApplication.focusWidget()


def key(qtbot, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), which, modifier)


def load(database, reference: str, kind=Kind.COMPLAINT):
    with database.session() as session:
        return records.load(session, kind, reference)


def go_to_escalated_from(qtbot, dialog: RecordFormDialog, stage: str) -> None:
    """Stage typed in its box, then Tab to "Escalated from"."""
    dialog.view.editors["stage"].input.setFocus()
    qtbot.keyClicks(focused(), stage)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.view.editors["escalated_from"].input


def listed(dialog: RecordFormDialog) -> list[list[str]]:
    rows = dialog.earlier_stage.list
    if not rows.isVisible():
        return []
    return [[rows.topLevelItem(r).text(c) for c in range(3)]
            for r in range(rows.topLevelItemCount())]


# --- "Escalated from" ------------------------------------------------------------------------

def test_escalated_from_lists_the_stage_before_as_the_officer_types(qtbot, database,
                                                                     cases) -> None:
    dialog = open_form(qtbot, database)
    go_to_escalated_from(qtbot, dialog, "2")
    qtbot.keyClicks(focused(), "smith")
    assert listed(dialog) == [["C-10", "Cy Smithers", "Adoption"],
                              ["C-1", "Ann Smith", "Fostering"]]  # Stage 1 only, newest first
    assert focused() is dialog.view.editors["escalated_from"].input  # the keyboard stays
    assert QApplication.activePopupWidget() is None  # no window of its own
    qtbot.keyClicks(focused(), " fos")  # every word, in reference, complainant or team
    assert listed(dialog) == [["C-1", "Ann Smith", "Fostering"]]
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)  # takes it, and Enter moves on as everywhere in the form
    assert dialog.view.editors["escalated_from"].snapshot() == "C-1"
    assert focused() is dialog.view.editors["received"].input
    assert listed(dialog) == []

    key(qtbot, Qt.Key.Key_Backtab)
    qtbot.keyClicks(focused(), "jones")
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Tab)  # Tab takes the picked one too
    assert dialog.view.editors["escalated_from"].snapshot() == "C-2"
    qtbot.keyClicks(focused(), "02/09/2024")
    dialog.view.editors["team"].set("Adoption")
    dialog.view.editors["reference"].set("C-2-S2")
    assert dialog.save()
    assert load(database, "C-2-S2").escalated_from == "C-2"


def test_at_stage_3_the_stage_2_complaints_are_listed(qtbot, database, cases) -> None:
    dialog = open_form(qtbot, database)
    go_to_escalated_from(qtbot, dialog, "3")
    qtbot.keyClicks(focused(), "ann")
    assert listed(dialog) == [["C-1-S2", "Ann Smith", "Fostering"]]
    # A click takes a row as well.
    rows = dialog.earlier_stage.list
    item = rows.topLevelItem(0)
    QTest.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=rows.visualItemRect(
        item).center())
    assert dialog.view.editors["escalated_from"].snapshot() == "C-1-S2"
    assert listed(dialog) == []


def test_a_typed_reference_is_kept_and_an_unknown_one_is_said(qtbot, database, cases) -> None:
    dialog = open_form(qtbot, database)
    go_to_escalated_from(qtbot, dialog, "2")
    qtbot.keyClicks(focused(), "C-1")
    assert [row[0] for row in listed(dialog)] == ["C-1", "C-10"]  # the exact one first
    key(qtbot, Qt.Key.Key_Tab)  # nothing picked: what was typed stays
    assert dialog.view.editors["escalated_from"].snapshot() == "C-1"
    assert "escalated_from" not in dialog.errors()

    key(qtbot, Qt.Key.Key_Backtab)
    qtbot.keyClicks(focused(), "C-99")
    assert listed(dialog) == []  # nothing matches: no list
    key(qtbot, Qt.Key.Key_Tab)
    assert dialog.errors()["escalated_from"] == "No complaint has reference “C-99”."
    assert dialog.view.messages["escalated_from"].text() == "No complaint has reference “C-99”."

    key(qtbot, Qt.Key.Key_Backtab)
    qtbot.keyClicks(focused(), "C-1-S2")  # a Stage 2 complaint: none of Stage 1 matches
    assert listed(dialog) == []
    key(qtbot, Qt.Key.Key_Tab)
    assert dialog.errors()["escalated_from"] == (
        "“C-1-S2” is a Stage 2 complaint; a Stage 2 complaint escalates from Stage 1.")


def test_esc_hides_the_list_and_keeps_the_form_open(qtbot, database, cases) -> None:
    dialogs = ScriptedDialogs()
    dialog = open_form(qtbot, database, dialogs=dialogs)
    go_to_escalated_from(qtbot, dialog, "2")
    qtbot.keyClicks(focused(), "smith")
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Escape)
    assert listed(dialog) == [] and dialog.isVisible() and dialogs.shown == []
    assert dialog.view.editors["escalated_from"].snapshot() == "smith"  # as typed
    key(qtbot, Qt.Key.Key_Escape)  # then Esc is the form's again: unsaved changes
    assert dialogs.shown[-1][0] == "save_discard_cancel"


def test_nothing_is_listed_at_stage_1(qtbot, database, cases) -> None:
    dialog = open_form(qtbot, database, reference="C-2")
    linked = dialog.view.editors["escalated_from"].input
    assert not linked.isEnabled()  # skipped at Stage 1
    linked.setEnabled(True)
    linked.setFocus()
    qtbot.keyClicks(linked, "smith")
    assert listed(dialog) == []


# --- the next reference ----------------------------------------------------------------------

def test_a_new_form_proposes_the_next_reference_selected_to_type_over(qtbot, database) -> None:
    with database.transaction() as session:
        # The last added is K/2026/0099, whatever the others' numbers; K/2026/0100 is taken.
        for reference in ("K/2026/0100", "K/2026/0123", "K/2026/0099"):
            records.save(session, ComplimentData(reference, date(2024, 5, 3), "Adoption"))

    dialogs = ScriptedDialogs()
    dialog = open_form(qtbot, database, Kind.COMPLIMENT, dialogs=dialogs)
    reference = dialog.view.editors["reference"].input
    assert focused() is reference
    assert reference.text() == "K/2026/0101" and reference.selectedText() == "K/2026/0101"
    assert not dialog.isWindowModified()
    key(qtbot, Qt.Key.Key_Escape)  # the proposal is not a change of the officer's
    assert not dialog.isVisible() and dialogs.shown == []

    dialog = open_form(qtbot, database, Kind.COMPLIMENT)
    qtbot.keyClicks(focused(), "K/2026/0500")  # typing replaces it
    assert dialog.view.editors["reference"].snapshot() == "K/2026/0500"
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "03/05/2024")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Adoption")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load(database, "K/2026/0500", Kind.COMPLIMENT) is not None

    after = open_form(qtbot, database, Kind.COMPLIMENT)  # from the last one used
    assert after.view.editors["reference"].snapshot() == "K/2026/0501"
    assert open_form(qtbot, database, Kind.ENQUIRY).view.editors["reference"].snapshot() == ""


def test_a_new_complaint_follows_the_last_stage_1_reference(qtbot, database, cases) -> None:
    dialog = open_form(qtbot, database)  # C-1-S2 was added last; C-10 is the last Stage 1
    assert dialog.view.editors["reference"].snapshot() == "C-11"
    assert dialog.view.editors["reference"].input.selectedText() == "C-11"


# --- one question for new list entries -------------------------------------------------------

def fill_complaint(qtbot, dialog: RecordFormDialog, team: str, root_cause: str) -> None:
    editors = dialog.view.editors
    editors["reference"].set("C-50")
    editors["received"].set(date(2024, 8, 1))
    for name, text in (("team", team), ("root_cause", root_cause)):
        editors[name].input.setFocus()
        qtbot.keyClicks(focused(), text)
        key(qtbot, Qt.Key.Key_Tab)


def test_a_new_team_and_root_cause_are_one_question_and_no_loses_nothing(
        qtbot, database, cases) -> None:
    dialogs = ScriptedDialogs(False, True)
    dialog = open_form(qtbot, database, dialogs=dialogs)
    fill_complaint(qtbot, dialog, "Short Breaks", "Missed visit")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.shown == [(
        "confirm", "Add a new team and root cause?",
        "Add the new team “Short Breaks” and the new root cause “Missed visit” to the lists? "
        "Yes saves the record; No goes back to the form, nothing lost.")]
    assert dialogs.confirm_defaults == [True]  # Enter means yes
    assert dialog.isVisible() and load(database, "C-50") is None  # No: nothing saved...
    assert dialog.view.editors["team"].snapshot() == "Short Breaks"  # ...nothing lost
    assert dialog.view.editors["root_cause"].snapshot() == "Missed visit"
    assert focused() is dialog.view.editors["team"].input
    with database.session() as session:
        assert "Short Breaks" not in lists.active_names(session, Team)

    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(dialogs.shown) == 2 and not dialog.isVisible()
    saved = load(database, "C-50")
    assert (saved.team, saved.root_cause) == ("Short Breaks", "Missed visit")


def test_a_new_root_cause_alone_is_asked_about_alone(qtbot, database, cases) -> None:
    dialogs = ScriptedDialogs(True)
    dialog = open_form(qtbot, database, dialogs=dialogs)
    fill_complaint(qtbot, dialog, "Adoption", "Missed visit")
    assert dialog.save()
    assert dialogs.shown == [(
        "confirm", "Add a new root cause?",
        "Add the new root cause “Missed visit” to the list of root causes? "
        "Yes saves the record; No goes back to the form, nothing lost.")]


def answer_message_box(qtbot, seen: list[str], key_to_press=Qt.Key.Key_Return) -> None:
    """When a real message box is up: note its default button, then press a key (and should
    that not close it, close it a moment later, so a failing test never waits for ever).
    The looking stops with the test (its timers belong to a widget the test closes), so it
    never presses a key in a later test's window."""
    owner = QWidget()
    qtbot.addWidget(owner)

    def act() -> None:
        box = next((widget for widget in QApplication.topLevelWidgets()
                    if isinstance(widget, QMessageBox) and widget.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, owner, act)
            return
        default = box.defaultButton()
        seen.append(box.standardButton(default).name if default is not None else "")
        seen.append(box.text())
        QTest.keyClick(box, key_to_press)
        QTimer.singleShot(2000, box, lambda: box.done(0))  # cancelled if the box is gone

    QTimer.singleShot(20, owner, act)


class RealQuestions(ScriptedDialogs):
    """Yes/No questions are real message boxes; anything else is scripted (so a failing test
    never leaves a real unsaved-changes question waiting)."""

    confirm = UserDialogs.confirm


def test_enter_in_the_real_question_means_yes(qtbot, database, cases) -> None:
    dialog = open_form(qtbot, database, dialogs=RealQuestions("discard"))
    fill_complaint(qtbot, dialog, "Short Breaks", "Missed visit")
    seen: list[str] = []
    answer_message_box(qtbot, seen)
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen[0] == "Yes" and "“Short Breaks”" in seen[1] and "“Missed visit”" in seen[1]
    assert not dialog.isVisible()
    assert load(database, "C-50").team == "Short Breaks"

    # Other questions keep No as their default: Enter on "Delete?" deletes nothing.
    seen.clear()
    answer_message_box(qtbot, seen)
    assert UserDialogs().confirm(None, "Delete complaint", "Delete?") is False
    assert seen[0] == "No"


# --- escalating unsaved edits ------------------------------------------------------------------

def test_escalating_unsaved_edits_asks_first_and_no_leaves_all_as_it_was(
        qtbot, database, cases) -> None:
    dialogs = ScriptedDialogs(False, True)
    dialog = open_form(qtbot, database, reference="C-2", dialogs=dialogs)
    summary = dialog.view.editors["summary"]
    summary.input.setFocus()
    qtbot.keyClicks(focused(), "Letter lost twice")
    dialog.escalate_button.setFocus()
    key(qtbot, Qt.Key.Key_Space)  # "Escalate to Stage 2"
    assert dialogs.shown == [(
        "confirm", "Save before escalating?",
        "Save your changes to complaint “C-2” before escalating it to Stage 2? "
        "No goes back to the form; nothing is saved or escalated.")]
    assert dialogs.confirm_defaults == [True]
    assert dialog.isVisible() and dialog.escalation is None  # No: as it was
    assert summary.snapshot() == "Letter lost twice" and dialog.is_dirty()
    assert load(database, "C-2").summary == ""

    key(qtbot, Qt.Key.Key_Space)  # Yes: saved, then escalated
    assert load(database, "C-2").summary == "Letter lost twice"
    assert dialog.escalation is not None and dialog.escalation.escalated_from == "C-2"
    assert not dialog.isVisible()


def test_escalating_a_saved_record_asks_nothing(qtbot, database, cases) -> None:
    dialogs = ScriptedDialogs()
    dialog = open_form(qtbot, database, reference="C-10", dialogs=dialogs)
    assert dialog.escalate() is not None
    assert dialogs.shown == []


def test_escalating_a_new_record_asks_before_saving_it(qtbot, database, cases) -> None:
    dialogs = ScriptedDialogs(False)
    dialog = open_form(qtbot, database, dialogs=dialogs)
    dialog.view.editors["received"].set(date(2024, 8, 1))
    dialog.view.editors["team"].set("Adoption")
    assert dialog.escalate() is None
    assert dialogs.shown[0][2].startswith("Save the new complaint “C-11” before escalating it")
    assert load(database, "C-11") is None and dialog.isVisible()


def test_the_list_sits_under_the_box(qtbot, database, cases) -> None:
    dialog = open_form(qtbot, database)
    go_to_escalated_from(qtbot, dialog, "2")
    qtbot.keyClicks(focused(), "C-")
    edit = dialog.view.editors["escalated_from"].input
    under = edit.mapTo(dialog, QPoint(0, edit.height()))
    assert dialog.earlier_stage.list.geometry().topLeft() == under
    assert len(listed(dialog)) == 3
