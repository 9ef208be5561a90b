"""The officer enters and edits each kind of record with the keyboard alone; the database
shows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import (
    ComplainantType,
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Kind,
    Outcome,
)
from cscdesk.store import lists, records
from cscdesk.store.models import RootCause, Team
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog

TODAY = date(2024, 5, 14)


@pytest.fixture
def teams(database) -> None:
    with database.transaction() as session:
        for name in ("Adoption", "Care Leavers", "Children in Care", "Fostering"):
            lists.get_or_add(session, Team, name)
        lists.get_or_add(session, RootCause, "Communication")


class Officer:
    """Types into whatever has the keyboard, as a person at the desk would."""

    def __init__(self, qtbot, dialog: RecordFormDialog) -> None:
        self.qtbot = qtbot
        self.dialog = dialog

    @staticmethod
    def target() -> QWidget:
        return QApplication.activePopupWidget() or QApplication.focusWidget()

    def type(self, text: str) -> Officer:
        self.qtbot.keyClicks(self.target(), text)
        return self

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> Officer:
        self.qtbot.keyClick(self.target(), key, modifier)
        return self

    def tab(self, times: int = 1) -> Officer:
        for _ in range(times):
            self.key(Qt.Key.Key_Tab)
        return self

    def at(self) -> str:
        return self.target().accessibleName()

    def save(self) -> None:
        self.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def open_form(qtbot, database, kind: Kind, reference: str | None = None,
              dialogs: ScriptedDialogs | None = None) -> tuple[RecordFormDialog, Officer]:
    dialog = RecordFormDialog(None, database, kind, reference, dialogs or ScriptedDialogs(),
                              today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog, Officer(qtbot, dialog)


def load(database, kind: Kind, reference: str):
    with database.session() as session:
        return records.load(session, kind, reference)


def test_officer_enters_a_complaint(qtbot, database, teams) -> None:
    dialogs = ScriptedDialogs()
    dialog, officer = open_form(qtbot, database, Kind.COMPLAINT, dialogs=dialogs)
    assert officer.at() == "Reference"
    officer.type("C-2024-001").tab()
    assert officer.at() == "Stage"
    officer.tab()  # Stage 1 stays; "Escalated from" is skipped at Stage 1
    assert officer.at() == "Received"
    officer.type("3/5/2024").tab()
    assert officer.at() == "Team"
    officer.type("FOSTERING").tab()
    officer.type("Ms Parent").tab()
    officer.type("pare").tab()  # type-ahead: the only complainant type containing "pare"
    assert officer.at() == "Summary"
    officer.type("Contact with the children was cancelled twice.").tab()
    assert officer.at() == "Acknowledged"
    officer.type("07/05/2024").tab()
    officer.key(Qt.Key.Key_Space).tab()  # Extended: yes
    assert officer.at() == "Responded"
    officer.type("31/05/2024").tab()
    assert officer.at() == "Notes"
    officer.type("Called on 7 May.").tab()
    officer.type("04/06/2024").tab()  # Closed
    officer.type("partially").tab()  # Outcome
    officer.type("Communication").tab()  # Root cause
    officer.type("Tell families early.").tab()  # Learning
    assert officer.at() == "ADR"
    officer.key(Qt.Key.Key_Space).tab()
    officer.type("1,250.50").tab()
    assert officer.at() == "LGO referred"
    assert dialog.errors() == {}
    officer.save()

    assert not dialog.isVisible()
    assert dialog.saved_reference == "C-2024-001"
    assert dialogs.shown == []  # no new team or root cause to confirm
    assert load(database, Kind.COMPLAINT, "C-2024-001") == ComplaintData(
        reference="C-2024-001", received=date(2024, 5, 3), stage=1, team="Fostering",
        extended=True, responded=date(2024, 5, 31), closed=date(2024, 6, 4),
        outcome=Outcome.PARTIALLY_UPHELD, root_cause="Communication",
        learning="Tell families early.", adr=True, adr_saving=Decimal("1250.5"),
        complainant="Ms Parent", summary="Contact with the children was cancelled twice.",
        complainant_type=ComplainantType.PARENT, acknowledged=date(2024, 5, 7),
        notes="Called on 7 May.",
    )


def test_officer_enters_initial_feedback(qtbot, database, teams) -> None:
    dialog, officer = open_form(qtbot, database, Kind.INITIAL_FEEDBACK)
    officer.type("IF-17").tab().type("02/04/2024").tab()
    officer.type("in c").key(Qt.Key.Key_Return)  # the only team containing it; Enter moves on
    assert officer.at() == "Resolved"
    officer.type("05/04/2024").tab().type("Asked for a call back.")
    officer.save()
    assert not dialog.isVisible()  # saved and closed
    assert load(database, Kind.INITIAL_FEEDBACK, "IF-17") == InitialFeedbackData(
        "IF-17", date(2024, 4, 2), "Children in Care", date(2024, 4, 5), "Asked for a call back."
    )


def test_officer_enters_an_enquiry(qtbot, database, teams) -> None:
    dialog, officer = open_form(qtbot, database, Kind.ENQUIRY)
    officer.type("E-9").tab().type("10-04-2024").tab()
    assert officer.at() == "Source"
    officer.type("memb").tab()
    officer.type("adoption").tab()
    assert officer.at() == "Enquirer"
    officer.type("Cllr Smith").key(Qt.Key.Key_Return)  # Enter moves on, as in a spreadsheet
    assert officer.at() == "Responded"
    officer.type("12/04/2024").key(Qt.Key.Key_Enter).type("Placement delay")
    officer.key(Qt.Key.Key_Return).type("Second line")
    officer.save()
    assert not dialog.isVisible()  # saved and closed
    assert load(database, Kind.ENQUIRY, "E-9") == EnquiryData(
        "E-9", date(2024, 4, 10), EnquirySource.MEMBER, "Adoption", "Cllr Smith",
        date(2024, 4, 12), "Placement delay\nSecond line",
    )


def test_officer_enters_a_compliment_with_a_new_team(qtbot, database, teams) -> None:
    dialogs = ScriptedDialogs(True)
    dialog, officer = open_form(qtbot, database, Kind.COMPLIMENT, dialogs=dialogs)
    officer.type("K-3").tab().type("2024-04-15").tab().type("Short Breaks").tab()
    assert "new team" in dialog.view.messages["team"].text()
    officer.type("Thank you card")
    officer.save()
    assert [kind for kind, _, _ in dialogs.shown] == ["confirm"]
    assert load(database, Kind.COMPLIMENT, "K-3") == ComplimentData(
        "K-3", date(2024, 4, 15), "Short Breaks", "Thank you card"
    )
    with database.session() as session:
        assert "Short Breaks" in lists.active_names(session, Team)


def test_officer_enters_a_dispute(qtbot, database, teams) -> None:
    dialog, officer = open_form(qtbot, database, Kind.DISPUTE)
    officer.type("IRO-4").tab()
    assert officer.at() == "Raised"
    officer.type("01/07/2024").tab().type("Children in care").tab()
    officer.type("19/07/2024").tab().type("Care plan not updated")
    officer.save()
    assert not dialog.isVisible()  # saved and closed
    assert load(database, Kind.DISPUTE, "IRO-4") == DisputeData(
        "IRO-4", date(2024, 7, 1), "Children in Care", date(2024, 7, 19), "Care plan not updated"
    )


def test_officer_edits_a_record_and_renames_its_reference(qtbot, database, teams) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData(reference="C-OLD", received=date(2024, 5, 3),
                                            stage=1, team="Adoption"))
    dialog, officer = open_form(qtbot, database, Kind.COMPLAINT, "C-OLD")
    assert dialog.windowTitle().startswith("Complaint C-OLD")
    assert dialog.view.editors["received"].snapshot() == "03/05/2024"
    officer.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier).type("C-NEW")
    assert dialog.isWindowModified()
    officer.save()
    assert load(database, Kind.COMPLAINT, "C-OLD") is None
    renamed = load(database, Kind.COMPLAINT, "C-NEW")
    assert renamed is not None and renamed.team == "Adoption"
    assert renamed.received == date(2024, 5, 3)


def test_every_input_is_named_like_its_label_and_reached_by_its_mnemonic(
    qtbot, database
) -> None:
    for kind in Kind:
        dialog = RecordFormDialog(None, database, kind, None, ScriptedDialogs())
        qtbot.addWidget(dialog)
        mnemonics = set()
        for name, editor in dialog.view.editors.items():
            label: QLabel = dialog.view.labels[name]
            assert editor.input.accessibleName() == FIELD_LABELS[name]
            assert label.text().replace("&", "") == FIELD_LABELS[name]
            assert label.buddy() is editor.input
            if "&" in label.text():
                letter = label.text()[label.text().index("&") + 1].lower()
                assert letter not in mnemonics
                mnemonics.add(letter)
        assert mnemonics.isdisjoint({"s", "e"})  # Save, Escalate
        if kind in (Kind.COMPLAINT, Kind.DISPUTE):
            assert "a" not in mnemonics  # Add action…
        # A complaint's thirty-three labels share the letters their words offer: a label goes
        # without only when every letter of it is taken. Other kinds' labels all get one.
        taken = mnemonics | {"s", "e", "a"}
        for label in dialog.view.labels.values():
            if "&" not in label.text():
                assert kind is Kind.COMPLAINT, label.text()
                assert {c.lower() for c in label.text() if c.isalnum()} <= taken, label.text()


def test_tab_order_follows_the_layout(qtbot, database) -> None:
    for kind in reversed(Kind):  # the complaint last, to look at it afterwards
        dialog, officer = open_form(qtbot, database, kind)
        expected = [FIELD_LABELS[name] for name in dialog.view.order
                    if dialog.view.editors[name].input.isEnabled()
                    and dialog.view.editors[name].input.isVisibleTo(dialog)]
        visited = [officer.at()]
        for _ in expected[1:]:
            visited.append(officer.tab().at())
        assert visited == expected
        officer.tab()  # "Escalate" is disabled until the record is valid; "Delete" is for saved
        assert officer.target() is dialog.cancel_button
        dialog.close()
    skipped = {name for name, editor in dialog.view.editors.items()
               if not editor.input.isEnabled()}
    assert skipped == {"escalated_from", "adr_saving"}  # at Stage 1, without ADR


def test_alt_and_the_underlined_letter_jumps_to_the_field(qtbot, database) -> None:
    dialog, officer = open_form(qtbot, database, Kind.COMPLAINT)
    for name in ("team", "summary", "closed", "learning", "outcome", "lgo_decision"):
        text = dialog.view.labels[name].text()
        letter = text[text.index("&") + 1]
        officer.key(getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)
        assert officer.at() == FIELD_LABELS[name]


def test_type_ahead_completes_a_name_as_a_spreadsheet_does(qtbot, database, teams) -> None:
    dialogs = ScriptedDialogs(True)
    dialog, officer = open_form(qtbot, database, Kind.COMPLIMENT, dialogs=dialogs)
    team = dialog.view.editors["team"].choice
    officer.type("K-4").tab().type("15/04/2024").tab()
    officer.type("ch")  # completed in the box, the rest selected
    assert team.currentText().casefold() == "children in care"
    assert team.lineEdit().selectedText() == "ildren in Care"
    officer.tab()  # and written as the list writes it
    assert officer.at() == "Summary" and team.currentText() == "Children in Care"
    officer.key(Qt.Key.Key_Backtab).type("leav").tab()  # the only team containing it
    assert team.currentText() == "Care Leavers"
    officer.key(Qt.Key.Key_Backtab).type("o").tab()  # three contain it, none starts with it
    assert team.currentText() == "o"
    assert "new team" in dialog.view.messages["team"].text()
    officer.type("Thanks").save()
    assert not dialog.isVisible()


def test_delete_keeps_a_new_name_that_starts_like_an_old_one(qtbot, database, teams) -> None:
    dialogs = ScriptedDialogs(True)
    dialog, officer = open_form(qtbot, database, Kind.COMPLIMENT, dialogs=dialogs)
    officer.type("K-5").tab().type("15/04/2024").tab()
    officer.type("Foster")
    assert dialog.view.editors["team"].choice.currentText() == "Fostering"  # offered
    officer.key(Qt.Key.Key_Delete).tab()
    assert dialog.view.editors["team"].choice.currentText() == "Foster"
    officer.type("Thanks").save()
    assert load(database, Kind.COMPLIMENT, "K-5").team == "Foster"


def test_typing_fast_into_the_next_field_stays_there(qtbot, database, teams) -> None:
    """No list of matches opens in a window of its own to take keystrokes back."""
    dialog, officer = open_form(qtbot, database, Kind.COMPLIMENT)
    officer.type("K-6").tab().type("15/04/2024").tab().type("fost").tab().type("Card")
    assert QApplication.activePopupWidget() is None
    assert dialog.view.editors["team"].choice.currentText() == "Fostering"
    assert officer.at() == "Summary"
