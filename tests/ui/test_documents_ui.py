"""The Documents section of a record's form: attaching (a file too large gets a sentence naming
it, the others are kept), dropping files on the form, opening a temporary copy that the
window's closing removes, removing to the bin. Real widgets on a real SQLite file (one test on
PostgreSQL); only the system's "open this file" (Qt's, not ours) is recorded instead of run."""

from __future__ import annotations

from datetime import date

import file_drops
import pytest
from file_drops import drop
from PySide6.QtCore import Qt
from sqlalchemy import select
from ui_data import copied_database, shown_window

from cscdesk.domain.kinds import ComplaintData, ComplimentData, Kind
from cscdesk.store import documents, records
from cscdesk.store.engine import open_database
from cscdesk.store.models import Document
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog

opened = file_drops.opened  # the recorder of files handed to the system viewer


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        with db.transaction() as session:
            records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering",
                                                complainant="Ann Smith", summary="Late"))
            records.save(session, ComplimentData("CO-1", date(2024, 5, 2), "Adoption",
                                                 "Thank you"))
        yield db


def form(qtbot, database, kind=Kind.COMPLAINT, reference="C-1", dialogs=None
         ) -> RecordFormDialog:
    dialog = RecordFormDialog(None, database, kind, reference, dialogs or ScriptedDialogs())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def in_bin(database, document_id: int) -> bool:
    with database.session() as session:
        row = session.scalars(select(Document).where(Document.id == document_id)).one()
        return row.binned_at is not None


def test_two_files_attached_one_too_large_gets_a_sentence_naming_it(qtbot, database,
                                                                    tmp_path) -> None:
    letter = tmp_path / "Reply from Ann.pdf"
    letter.write_bytes(b"%PDF-1.4 a short reply")
    scans = tmp_path / "All the scans.tif"
    with scans.open("wb") as big:
        big.truncate(documents.MAX_SIZE + 1)  # sparse: nothing is written, the size says 25 MB+
    dialogs = ScriptedDialogs()
    dialog = form(qtbot, database, dialogs=dialogs)
    panel = dialog.documents
    assert panel.empty.text() == "No documents yet: attach files, or drop them on the form."

    added = panel.attach([scans, letter])

    assert [item.name for item in added] == ["Reply from Ann.pdf"]
    assert panel.names() == ["Reply from Ann.pdf"]
    (kind, title, text), = dialogs.shown
    assert (kind, title) == ("warn", "Not attached")
    assert text.startswith("“All the scans.tif” is 26,214,401 bytes; a document may be at "
                           "most 25 MB (26,214,400 bytes).")
    assert text.endswith("The other file was attached.")
    item = panel.table.topLevelItem(0)
    assert [item.text(column) for column in (0, 6)] == ["Reply from Ann.pdf", "22 bytes"]
    assert panel.empty.text() == "1 document."
    assert not dialog.is_dirty()  # a document is kept at once: the form has nothing to save
    with database.session() as session:
        assert documents.read(session, added[0].id) == b"%PDF-1.4 a short reply"


def test_files_dropped_on_the_form_are_attached_and_an_email_shows_its_sender(
        qtbot, database, tmp_path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    mail = tmp_path / "From Ann.eml"
    mail.write_bytes(b"From: Ann Smith <ann@example.org>\r\nSubject: The visit\r\n"
                     b"Date: Tue, 14 May 2024 09:30:00 +0000\r\n\r\nHello\r\n")
    dialog = form(qtbot, database, Kind.COMPLIMENT, "CO-1")

    accepted = drop(dialog, [photo, mail], corner=True)

    assert accepted
    assert dialog.documents.names() == ["photo.jpg", "From Ann.eml"]
    email_row = dialog.documents.table.topLevelItem(1)
    assert email_row.text(1) == "Ann Smith <ann@example.org>"
    assert email_row.text(3) == "The visit"
    assert email_row.text(2).startswith("14/05/2024")


def test_open_writes_a_temporary_copy_that_closing_the_window_removes(
        qtbot, database, opened) -> None:
    with database.transaction() as session:
        documents.add(session, Kind.COMPLAINT, "C-1", "Ann’s letter.txt", b"Dear officer")
    window = shown_window(database, qtbot)
    dialog = form(qtbot, database)
    table = dialog.documents.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the document picked

    (copy,) = opened
    assert copy.name == "Ann’s letter.txt"
    assert copy.read_bytes() == b"Dear officer"
    assert dialog.isVisible()  # Enter in the list never reaches Save
    dialog.reject()

    window.close()  # the app's closing path

    assert not copy.exists()
    assert not copy.parent.parent.exists()  # the session's folder went too


def test_remove_asks_then_the_document_is_gone_from_the_list_and_in_the_bin(
        qtbot, database) -> None:
    with database.transaction() as session:
        first = documents.add(session, Kind.COMPLAINT, "C-1", "first.txt", b"one")
        documents.add(session, Kind.COMPLAINT, "C-1", "second.txt", b"two")
    dialogs = ScriptedDialogs(False, True)  # No the first time, Yes the second
    dialog = form(qtbot, database, dialogs=dialogs)
    panel = dialog.documents
    assert panel.current().name == "first.txt"

    assert not panel.remove_current()
    assert panel.names() == ["first.txt", "second.txt"]
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)  # Delete in the list: Remove…

    assert panel.names() == ["second.txt"]
    assert [shown[1] for shown in dialogs.shown] == ["Remove document", "Remove document"]
    assert "It goes to the bin" in dialogs.shown[0][2]
    assert in_bin(database, first.id)
    with database.session() as session:
        assert [item.name for item in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "second.txt"]


def test_a_new_record_says_its_documents_come_once_saved(qtbot, database, tmp_path) -> None:
    dialogs = ScriptedDialogs()
    dialog = form(qtbot, database, Kind.COMPLIMENT, None, dialogs=dialogs)
    assert dialog.documents_note.text() == ("Documents can be attached once the compliment "
                                            "is saved.")
    assert not dialog.documents.isVisible()
    (tmp_path / "a.txt").write_text("a")
    drop(dialog, [tmp_path / "a.txt"], corner=True)
    assert dialogs.shown[-1][1] == "Save first"
    qtbot.keyClicks(dialog.view.editors["reference"].input, "CO-2")
    dialog.view.editors["received"].set(date(2024, 5, 3))
    dialog.view.editors["team"].set("Adoption")
    dialog.view.editors["summary"].set("Kind words")
    assert dialog.save()
    assert dialog.documents.isVisibleTo(dialog) and not dialog.documents_note.isVisibleTo(dialog)
    assert dialog.documents.attach([tmp_path / "a.txt"])[0].reference == "CO-2"


def test_the_documents_keys_are_named_and_free(qtbot, database) -> None:
    dialog = form(qtbot, database, Kind.COMPLIMENT, "CO-1")
    panel = dialog.documents
    assert panel.table.accessibleName() == "Documents"
    texts = [button.text() for button in (dialog.letter_button, panel.attach_button,
                                          panel.open_button, panel.remove_button)]
    assert all("&" in text for text in texts)  # a compliment's labels leave them letters
    letters = {text[text.index("&") + 1].lower() for text in texts}
    labels = {label.text()[label.text().index("&") + 1].lower()
              for label in dialog.view.labels.values() if "&" in label.text()}
    assert letters.isdisjoint(labels | {"s", "e"})
    assert "Ctrl+Shift+A" in panel.attach_button.toolTip()


@pytest.mark.postgresql
def test_attach_open_and_remove_on_a_server(qtbot, server_url, tmp_path, opened) -> None:
    database = open_database(server_url)
    try:
        with database.transaction() as session:
            records.save(session, ComplaintData("C-9", date(2024, 5, 1), 1, "Fostering",
                                                summary="On the server"))
        dialog = form(qtbot, database, reference="C-9", dialogs=ScriptedDialogs(True))
        note = tmp_path / "note «é».txt"
        note.write_bytes("Zoë’s note".encode())
        (added,) = dialog.documents.attach([note])
        assert dialog.documents.names() == ["note «é».txt"]
        copy = dialog.documents.open_current()
        assert copy == opened[-1] and copy.read_bytes() == "Zoë’s note".encode()
        assert dialog.documents.remove_current()
        assert dialog.documents.names() == [] and in_bin(database, added.id)
        dialog.done(0)
    finally:
        database.close()


def test_attach_asks_for_files_and_keeps_each_chosen(qtbot, database, tmp_path) -> None:
    first, second = tmp_path / "note one.txt", tmp_path / "Zoë’s reply.pdf"
    first.write_bytes(b"one")
    second.write_bytes(b"%PDF-1.4 two")
    dialogs = ScriptedDialogs([first, second])
    dialog = form(qtbot, database, dialogs=dialogs)
    dialog.documents.choose_files()
    assert dialogs.shown[0][0] == "open_files"
    assert dialog.documents.names() == ["note one.txt", "Zoë’s reply.pdf"]
    cancelled = ScriptedDialogs([])
    dialog.documents.dialogs = cancelled
    assert dialog.documents.choose_files() == []
    assert dialog.documents.names() == ["note one.txt", "Zoë’s reply.pdf"]
