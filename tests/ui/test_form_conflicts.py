"""Two officers on one server database open the same complaint: the second save is refused with
their values beside the officer's (forms.conflict), and nothing typed is lost whatever the
officer chooses. Real forms, two real connections (two `Database`s, as two PCs have)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import records
from cscdesk.store.engine import open_database
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.forms.conflict import KEEP_MINE, TAKE_THEIRS, ConflictDialog, conflict_rows

pytestmark = pytest.mark.postgresql


@pytest.fixture
def two_officers(server_url):
    first, second = open_database(server_url), open_database(server_url)
    with first.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2026, 10, 1), 1, "Fostering",
                                            complainant="Ann Smith", summary="Late visit"))
    yield first, second
    first.close()
    second.close()


def form(qtbot, database, dialogs) -> RecordFormDialog:  # type: ignore[no-untyped-def]
    dialog = RecordFormDialog(None, database, Kind.COMPLAINT, "C-1", dialogs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_summary(qtbot, dialog: RecordFormDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select the summary and type over it (curly quotes pasted in: QTest types ASCII only)."""
    widget = dialog.view.editors["summary"].input
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    widget.insertPlainText(text)


def stored(database) -> ComplaintData:  # type: ignore[no-untyped-def]
    with database.session() as session:
        record = records.load(session, Kind.COMPLAINT, "C-1")
    assert isinstance(record, ComplaintData)
    return record


def test_the_second_save_is_refused_and_the_form_keeps_what_was_typed(two_officers, qtbot):
    ann, bob = two_officers
    ann_form = form(qtbot, ann, ScriptedDialogs())
    bob_dialogs = ScriptedDialogs("back")
    bob_form = form(qtbot, bob, bob_dialogs)
    type_summary(qtbot, ann_form, "Ann’s words")
    assert ann_form.save()
    type_summary(qtbot, bob_form, "Bob’s <words> & more")
    assert not bob_form.save()
    (_kind, _title, text), = [shown for shown in bob_dialogs.shown
                             if shown[0] == "resolve_conflict"]
    assert "was changed by postgres at" in text
    summary = next(row for row in bob_dialogs.conflict_rows if row.label == "Summary")
    assert (summary.mine, summary.theirs, summary.differs) == (
        "Bob’s <words> & more", "Ann’s words", True)
    assert bob_form.record().summary == "Bob’s <words> & more"  # still in the form
    assert bob_form.is_dirty()
    assert stored(ann).summary == "Ann’s words"


def test_keep_mine_saves_over_theirs_knowingly(two_officers, qtbot):
    ann, bob = two_officers
    ann_form = form(qtbot, ann, ScriptedDialogs())
    bob_form = form(qtbot, bob, ScriptedDialogs(KEEP_MINE))
    type_summary(qtbot, ann_form, "Ann’s words")
    assert ann_form.save()
    type_summary(qtbot, bob_form, "Bob’s words")
    assert bob_form.save()
    assert stored(ann).summary == "Bob’s words"
    assert not bob_form.is_dirty()


def test_take_theirs_fills_the_form_with_their_record(two_officers, qtbot):
    ann, bob = two_officers
    ann_form = form(qtbot, ann, ScriptedDialogs())
    bob_form = form(qtbot, bob, ScriptedDialogs(TAKE_THEIRS))
    type_summary(qtbot, ann_form, "Ann’s words")
    assert ann_form.save()
    type_summary(qtbot, bob_form, "Bob’s words")
    assert not bob_form.save()
    assert bob_form.record().summary == "Ann’s words" and not bob_form.is_dirty()
    assert "postgres" in bob_form.status.text()
    type_summary(qtbot, bob_form, "Bob, after reading Ann’s")  # now from their version
    assert bob_form.save()
    assert stored(ann).summary == "Bob, after reading Ann’s"


def test_a_record_deleted_meanwhile_can_be_saved_again_from_the_form(two_officers, qtbot):
    ann, bob = two_officers
    bob_dialogs = ScriptedDialogs(KEEP_MINE)
    bob_form = form(qtbot, bob, bob_dialogs)
    with ann.transaction() as session:
        records.delete(session, Kind.COMPLAINT, "C-1")
    type_summary(qtbot, bob_form, "Still needed")
    assert bob_form.save()
    assert any("was deleted by" in text for _k, _t, text in bob_dialogs.shown)
    assert stored(ann).summary == "Still needed"


def test_deleting_a_record_changed_meanwhile_is_refused(two_officers, qtbot):
    ann, bob = two_officers
    ann_form = form(qtbot, ann, ScriptedDialogs())
    bob_dialogs = ScriptedDialogs(True, "back")  # yes, delete; then back to the form
    bob_form = form(qtbot, bob, bob_dialogs)
    type_summary(qtbot, ann_form, "Ann’s words")
    assert ann_form.save()
    assert not bob_form.delete()
    assert any("nothing was deleted" in text for _k, _t, text in bob_dialogs.shown)
    assert stored(ann).summary == "Ann’s words"


def test_the_form_says_who_made_and_last_changed_the_record(two_officers, qtbot):
    ann, bob = two_officers
    ann_form = form(qtbot, ann, ScriptedDialogs())
    type_summary(qtbot, ann_form, "Changed")
    assert ann_form.save()
    bob_form = form(qtbot, bob, ScriptedDialogs())
    text = bob_form.provenance.text()
    assert text.startswith("Made by postgres at ") and "last changed by postgres" in text


def test_the_conflict_dialog_shows_both_and_copies_mine(qtbot):
    mine = ComplaintData("C-1", date(2026, 10, 1), 1, "Fostering", summary="Mine & <more>")
    theirs = ComplaintData("C-1", date(2026, 10, 2), 1, "Fostering", summary="Theirs")
    dialog = ConflictDialog(None, "Changed.", conflict_rows(mine, theirs), deleted=False,
                            deleting=False)
    qtbot.addWidget(dialog)
    cells = {dialog.table.item(row, 0).text(): (dialog.table.item(row, 1).text(),
                                                dialog.table.item(row, 2).text())
             for row in range(dialog.table.rowCount())}
    assert cells["Received (differs)"] == ("01/10/2026", "02/10/2026")
    assert cells["Team"] == ("Fostering", "Fostering")
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "Summary: Mine & <more>" in copied and "Received: 01/10/2026" in copied
    assert dialog.keep_button is not None and dialog.take_button is not None
