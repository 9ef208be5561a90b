"""A record's documents and the bin, on both engines: a document removed goes to the bin and
comes back; a record deleted takes its documents to the bin and brings them back when restored;
emptying the bin deletes the bytes for good."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Kind
from cscdesk.errors import InputError
from cscdesk.store import audit, documents, records, recycle_bin, undelete
from cscdesk.store.engine import Database, open_database
from cscdesk.store.models import Document


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    """A fresh database: a SQLite file, or one on the session's PostgreSQL server."""
    opened = open_database(request.getfixturevalue("server_url")
                           if request.param == "postgresql" else db_path)
    yield opened
    opened.close()


def complaint(reference: str = "C-1", name: str = "Ann Smith") -> ComplaintData:
    return ComplaintData(reference, received=date(2026, 3, 2), stage=1, team="Adoption",
                         complainant=name, summary="The visit was missed.")


def enquiry(reference: str = "E-1") -> EnquiryData:
    return EnquiryData(reference, received=date(2026, 3, 2), source=EnquirySource.MP,
                       team="Adoption", enquirer="Bob Jones", summary="When is it?")


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def test_a_removed_document_is_in_the_bin_and_comes_back(db: Database) -> None:
    with db.transaction() as session:
        records.save(session, complaint())
        kept = documents.add(session, Kind.COMPLAINT, "C-1", "letter.docx", b"letter bytes")
        other = documents.add(session, Kind.COMPLAINT, "C-1", "photo.jpg", b"\xff\xd8photo")
    with db.transaction() as session:
        documents.remove(session, kept.id)
    with db.session() as session:
        assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "photo.jpg"]
        binned = recycle_bin.binned_documents(session)
        assert [b.label for b in binned] == ["Document: letter.docx of complaint C-1"]
        removal = audit.history(session, "Complaints", "C-1")[-1]
        assert removal.action == documents.REMOVE
        assert binned[0].removed_by == removal.user != ""
        assert recycle_bin.items(session) == []
    with db.transaction() as session:
        back = documents.restore(session, binned[0].id)
    assert back.name == "letter.docx"
    with db.session() as session:
        assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "letter.docx", "photo.jpg"]
        assert recycle_bin.binned_documents(session) == []
        assert documents.read(session, kept.id) == b"letter bytes"
        actions = [e.action for e in audit.history(session, "Complaints", "C-1")]
        assert actions[-3:] == [documents.ATTACH, documents.REMOVE, documents.RESTORE_DOCUMENT]
        assert audit.history(session, "Complaints", "C-1")[-1].changes == {
            "Document": [None, "letter.docx"]}
    with db.transaction() as session:
        documents.remove(session, other.id)
        with pytest.raises(InputError, match="no longer in the bin"):
            documents.restore(session, kept.id)


def test_emptying_the_bin_deletes_the_bytes_for_good(db: Database) -> None:
    with db.transaction() as session:
        records.save(session, complaint())
        records.save(session, enquiry())
        gone = documents.add(session, Kind.COMPLAINT, "C-1", "letter.docx", b"x" * 1000)
        documents.add(session, Kind.COMPLAINT, "C-1", "kept.pdf", b"%PDF kept")
        documents.add(session, Kind.ENQUIRY, "E-1", "reply.eml", b"Subject: hi\r\n\r\nhi")
    with db.transaction() as session:
        documents.remove(session, gone.id)
        records.delete(session, Kind.ENQUIRY, "E-1")
    assert _count(db) == 3
    with db.transaction() as session:
        assert recycle_bin.empty(session) == 1
    assert _count(db) == 1
    with db.session() as session:
        assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "kept.pdf"]
        emptied = [e for e in audit.history(session, "Bin", "") if e.action == audit.EMPTY_BIN]
        assert emptied[-1].changes == {"Records": [1, 0], "Documents": [2, 0]}
        with pytest.raises(InputError):
            documents.read(session, gone.id)


def test_a_deleted_record_takes_its_documents_to_the_bin_and_back(db: Database) -> None:
    with db.transaction() as session:
        records.save(session, complaint())
        alone = documents.add(session, Kind.COMPLAINT, "C-1", "draft.docx", b"draft")
        documents.add(session, Kind.COMPLAINT, "C-1", "letter.docx", b"letter")
        documents.add(session, Kind.COMPLAINT, "C-1", "email.eml", b"Subject: x\r\n\r\nx")
    with db.transaction() as session:
        documents.remove(session, alone.id)  # removed on its own, before the record went
    with db.transaction() as session:
        records.delete(session, Kind.COMPLAINT, "C-1")
    with db.session() as session:
        assert documents.list_for(session, Kind.COMPLAINT, "C-1") == []
        # the documents that went with the record are not listed apart from it
        assert [b.name for b in recycle_bin.binned_documents(session)] == ["draft.docx"]
        entry = recycle_bin.items(session)[0]
    with db.transaction() as session, pytest.raises(InputError, match="Restore the record"):
        documents.restore(session, alone.id)
    with db.transaction() as session:
        undelete.restore(session, entry.id)
    with db.session() as session:
        assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "letter.docx", "email.eml"]
        assert [b.name for b in recycle_bin.binned_documents(session)] == ["draft.docx"]
    with db.transaction() as session:
        documents.restore(session, alone.id)
    with db.session() as session:
        assert len(documents.list_for(session, Kind.COMPLAINT, "C-1")) == 3


def test_a_record_deleted_again_after_restoring_takes_only_what_it_has(db: Database) -> None:
    with db.transaction() as session:
        records.save(session, complaint())
        documents.add(session, Kind.COMPLAINT, "C-1", "one.txt", b"1")
    for _ in range(2):
        with db.transaction() as session:
            records.delete(session, Kind.COMPLAINT, "C-1")
        with db.transaction() as session:
            undelete.restore(session, recycle_bin.items(session)[0].id)
    with db.session() as session:
        assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "one.txt"]
        assert recycle_bin.binned_documents(session) == []


def test_the_bin_pane_lists_restores_and_empties_documents(qtbot, db_path: Path) -> None:
    from PySide6.QtCore import Qt

    from cscdesk.ui.bin_pane import BinPane
    from cscdesk.ui.dialog_service import ScriptedDialogs

    db = open_database(db_path)
    try:
        with db.transaction() as session:
            records.save(session, complaint())
            records.save(session, enquiry())
            letter = documents.add(session, Kind.COMPLAINT, "C-1", "letter.docx", b"letter")
            documents.add(session, Kind.ENQUIRY, "E-1", "with-it.pdf", b"%PDF")
        with db.transaction() as session:
            documents.remove(session, letter.id)
            records.delete(session, Kind.ENQUIRY, "E-1")
        dialogs = ScriptedDialogs()
        pane = BinPane(db, dialogs)
        qtbot.addWidget(pane)
        rows = [[pane.model.index(r, c).data() for c in range(2)]
                for r in range(pane.model.rowCount())]
        assert rows == [["Enquiries", "E-1"], ["Document", "letter.docx of complaint C-1"]]
        assert pane.summary.text() == "1 deleted record, 1 removed document"
        pane.table.selectRow(1)
        with qtbot.waitSignal(pane.data_changed):
            qtbot.mouseClick(pane.restore_button, Qt.MouseButton.LeftButton)
        assert dialogs.shown[-1][2] == "“letter.docx” is back with C-1."
        with db.session() as session:
            assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
                "letter.docx"]
        assert pane.summary.text() == "1 deleted record"
        pane.empty()  # asked first; answered Yes
        assert pane.model.rowCount() == 0
        assert _count(db) == 1
    finally:
        db.close()
