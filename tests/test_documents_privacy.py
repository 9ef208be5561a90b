"""A record's documents and personal data, on both engines: anonymising or deleting a record for
retention deletes its documents for good (a legal hold keeps them); subject access finds
documents naming the person and writes them beside the pack, the command's and the pane's."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cscdesk.documents.emails import read_email
from cscdesk.domain.kinds import ComplaintData, ComplimentData, Kind, Outcome
from cscdesk.errors import InputError
from cscdesk.privacy.subject_access import (
    documents_folder,
    gather,
    write_documents,
    write_workbook,
)
from cscdesk.privacy.subject_access_pdf import write_pdf
from cscdesk.store import audit, documents, personal_data, records
from cscdesk.store.engine import Database, open_database
from cscdesk.store.models import Document

EMAIL = (b"From: =?utf-8?q?Zo=C3=AB_Okafor?= <zoe@example.org>\r\nSubject: My son's visit\r\n"
         b"Date: Tue, 3 Mar 2026 09:15:00 +0000\r\n\r\nNobody came.\r\n")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def target(request: pytest.FixtureRequest, db_path: Path) -> object:
    """Where the database is: a SQLite file, or a database on the session's server."""
    if request.param == "postgresql":
        return request.getfixturevalue("server_url")
    return db_path


@pytest.fixture
def db(target: Path) -> Iterator[Database]:
    opened = open_database(target)
    yield opened
    opened.close()


def closed_complaint(reference: str, name: str) -> ComplaintData:
    return ComplaintData(reference, received=date(2015, 3, 2), stage=1, team="Adoption",
                         responded=date(2015, 3, 20), closed=date(2015, 3, 30),
                         outcome=Outcome.UPHELD, complainant=name, summary="Missed visit.")


def _documents_of(db: Database, reference: str) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Document).where(
            Document.record_reference == reference)) or 0


def test_anonymising_or_purging_deletes_documents_and_a_hold_keeps_them(db: Database) -> None:
    with db.transaction() as session:
        for reference in ("C-1", "C-2", "C-3"):
            records.save(session, closed_complaint(reference, "Ann Smith"))
            documents.add(session, Kind.COMPLAINT, reference, "Letter to Ann Smith.docx",
                          b"Dear Ann Smith")
            removed = documents.add(session, Kind.COMPLAINT, reference, "old.txt", b"old")
            documents.remove(session, removed.id)  # in the bin: still held, still deleted
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-3", True)
    with db.transaction() as session:
        personal_data.anonymise(session, Kind.COMPLAINT, "C-1")
        personal_data.delete_for_retention(session, Kind.COMPLAINT, "C-2")
        for action in (personal_data.anonymise, personal_data.delete_for_retention):
            with pytest.raises(InputError, match="legal hold"):
                action(session, Kind.COMPLAINT, "C-3")
    assert [_documents_of(db, r) for r in ("C-1", "C-2", "C-3")] == [0, 0, 2]
    with db.session() as session:
        history = audit.history(session, "Complaints", "C-1")
        assert [e.changes for e in history if e.action == documents.DELETE_DOCUMENTS] == [
            {"Documents": [2, 0]}]
        # the document's name, which named the person, is gone from the history too
        assert all("Ann Smith" not in str(e.changes) for e in history)
        assert any(e.action == documents.DELETE_DOCUMENTS
                   for e in audit.history(session, "Complaints", "C-2"))
        assert personal_data.find_person(session, "Ann Smith")[0].reference == "C-3"


def test_subject_access_finds_records_by_their_documents(db: Database, tmp_path: Path) -> None:
    email = read_email("visit.eml", EMAIL)
    assert email is not None
    with db.transaction() as session:
        records.save(session, closed_complaint("C-1", "Someone Else"))
        records.save(session, closed_complaint("C-2", "Zoë Okafor"))
        records.save(session, ComplimentData("K-1", received=date(2026, 1, 5), team="Adoption",
                                             summary="Thanks"))
        records.save(session, closed_complaint("C-9", "Nobody"))
        documents.add(session, Kind.COMPLAINT, "C-1", "visit.eml", EMAIL, email=email.facts)
        documents.add(session, Kind.COMPLAINT, "C-2", "letter.docx", b"PK letter one")
        documents.add(session, Kind.COMPLAINT, "C-2", "letter.docx", b"PK letter two")
        documents.add(session, Kind.COMPLIMENT, "K-1", "Card from ZOË OKAFOR.pdf", b"%PDF card")
        documents.add(session, Kind.COMPLAINT, "C-9", "unrelated.txt", b"nothing")
        records.save(session, closed_complaint("C-5", "Somebody"))
        documents.add(session, Kind.COMPLAINT, "C-5", "Note on Zoë Okafor.txt", b"in the bin")
        records.delete(session, Kind.COMPLAINT, "C-5")  # in the bin with its record
    with db.session() as session:
        found = gather(session, "zoë okafor")
        assert personal_data.has_documents(session, personal_data.find_everywhere(
            session, "ZOË Okafor"))
    assert [(f.kind, f.record.reference, f.in_bin) for f in found] == [
        (Kind.COMPLAINT, "C-1", False), (Kind.COMPLAINT, "C-2", False),
        (Kind.COMPLIMENT, "K-1", False), (Kind.COMPLAINT, "C-5", True)]
    names = [d.file_name for f in found for d in f.documents]
    assert names == ["C-1 - visit.eml", "C-2 - letter.docx", "C-2 - letter (2).docx",
                     "K-1 - Card from ZOË OKAFOR.pdf", "C-5 - Note on Zoë Okafor.txt"]

    pack = tmp_path / "Subject access - Zoë.xlsx"
    folder = documents_folder(pack)
    write_workbook(found, pack, folder.name)
    write_pdf(found, "Zoë Okafor", pack.with_suffix(".pdf"), folder.name)
    with db.session() as session:
        assert write_documents(session, found, folder) == 5
    assert folder.name == "Subject access - Zoë - documents"
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert (folder / "C-2 - letter (2).docx").read_bytes() == b"PK letter two"
    assert (folder / "C-1 - visit.eml").read_bytes() == EMAIL
    book = load_workbook(pack)
    assert book.sheetnames == ["Complaints", "Compliments", "History", "Documents"]
    rows = [[c.value for c in row] for row in book["Documents"].iter_rows()]
    assert rows[0][:4] == ["Kind", "Reference", "Document", "Type"]
    assert rows[1][:3] == ["Complaints", "C-1", "visit.eml"]
    assert rows[1][7:] == ["Zoë Okafor <zoe@example.org>", rows[1][8], "My son's visit",
                           f"{folder.name}/C-1 - visit.eml"]
    assert len(rows) == 6
    with pdfplumber.open(pack.with_suffix(".pdf")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Email from Zoë Okafor <zoe@example.org>, sent 03/03/2026 09:15 UTC" in text
    flat = " ".join(text.split())
    assert "File: C-2 - letter (2).docx" in flat and folder.name in flat


def test_the_command_writes_the_documents_beside_the_pack(cli, db: Database, target: object,
                                                           tmp_path: Path) -> None:
    with db.transaction() as session:
        records.save(session, closed_complaint("C-1", "Ann Smith"))
        documents.add(session, Kind.COMPLAINT, "C-1", "a/b:c?.txt", b"\x00\x01binary\xff")
        records.save(session, closed_complaint("C-2", "Bob Jones"))
        documents.add(session, Kind.COMPLAINT, "C-2", "bob.txt", b"bob")
    db.close()
    pack = tmp_path / "pack.xlsx"
    result = cli("--db", target, "subject-access", "Ann Smith", "--workbook", pack,
                 "--pdf", tmp_path / "pack.pdf", check=True)
    folder = tmp_path / "pack - documents"
    assert f"the documents to {folder}" in result.stdout
    assert [p.name for p in folder.iterdir()] == ["C-1 - a_b_c_.txt"]
    written = (folder / "C-1 - a_b_c_.txt").read_bytes()
    assert hashlib.sha256(written).digest() == hashlib.sha256(b"\x00\x01binary\xff").digest()
    assert load_workbook(pack).sheetnames == ["Complaints", "History", "Documents"]
    cli("--db", target, "subject-access", "Ann Smith", "--workbook", pack, check=True)
    assert [p.name for p in folder.iterdir()] == ["C-1 - a_b_c_.txt"]  # replaced, not added
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())
    none = tmp_path / "none.xlsx"
    cli("--db", target, "subject-access", "Nobody At All", "--workbook", none, check=True)
    assert not (tmp_path / "none - documents").exists()
