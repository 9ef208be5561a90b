"""The workbook and documents: the export lists each document (never its bytes) on a Documents
sheet; the import knows that sheet and passes over it, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from cscdesk.documents.emails import read_email
from cscdesk.domain.kinds import ComplaintData, ComplimentData, Kind
from cscdesk.exchange import WorkbookRejected, apply_import, export_workbook, read_workbook
from cscdesk.store import documents, records
from cscdesk.store.engine import Database, open_database
from cscdesk.store.models import Complaint, Document

EMAIL = (b"From: =?iso-8859-1?q?Ren=E9e_Dub=E9?= <renee@example.org>\r\n"
         b"Subject: =?utf-8?b?TGV0dGVyICYgcmVwbHkg4oCT?=\r\n"
         b"Date: Fri, 6 Mar 2026 16:45:00 +0000\r\n\r\nSECRET-BODY-TEXT\r\n")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    opened = open_database(request.getfixturevalue("server_url")
                           if request.param == "postgresql" else db_path)
    yield opened
    opened.close()


def _fill(db: Database) -> None:
    email = read_email("reply.eml", EMAIL)
    assert email is not None
    with db.transaction() as session:
        records.save(session, ComplaintData("C-1", received=date(2026, 3, 2), stage=1,
                                            team="Adoption", complainant="Renée Dubé"))
        records.save(session, ComplimentData("K-1", received=date(2026, 3, 3), team="Adoption"))
        documents.add(session, Kind.COMPLAINT, "C-1", "reply.eml", EMAIL, email=email.facts)
        documents.add(session, Kind.COMPLIMENT, "K-1", "card.pdf", b"%PDF-1.4 card")
        gone = documents.add(session, Kind.COMPLAINT, "C-1", "binned.txt", b"binned")
        documents.remove(session, gone.id)


def test_the_export_lists_documents_and_the_import_passes_over_them(
        db: Database, tmp_path: Path) -> None:
    _fill(db)
    book_path = tmp_path / "cases.xlsx"
    result = export_workbook(db, book_path)
    assert result.counts["Documents"] == 2
    assert result.total == 2  # the records; the documents' list is not counted as records
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames[-1] == "Documents"
    rows = [[c.value for c in row] for row in book["Documents"].iter_rows()]
    assert rows[0] == ["Kind", "Reference", "Document", "Type", "Size (bytes)", "Added",
                       "Added by", "Email from", "Email sent", "Email subject"]
    assert rows[1][:5] == ["Complaints", "C-1", "reply.eml", "message/rfc822", len(EMAIL)]
    assert rows[1][6]  # who added it
    assert rows[1][7:] == ["Renée Dubé <renee@example.org>", datetime(2026, 3, 6),
                           "Letter & reply –"]
    assert rows[2][:5] == ["Compliments", "K-1", "card.pdf", "application/pdf", 13]
    assert rows[2][7:] == [None, None, None]
    assert len(rows) == 3  # the document in the bin is not listed
    assert b"SECRET-BODY-TEXT" not in book_path.read_bytes()  # (compressed or not: no bytes)

    parsed = read_workbook(book_path)  # the Documents sheet is known: no problem
    assert "Documents" not in parsed.sheets
    with db.transaction() as session:  # imported into a database that holds them already
        session.execute(Complaint.__table__.update().values(complainant="Changed"))
    apply_import(db, parsed)
    with db.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-1").complainant == "Renée Dubé"
        assert session.scalar(select(func.count()).select_from(Document)) == 3


def test_a_documents_sheet_into_an_empty_database_imports_no_documents(
        db: Database, tmp_path: Path) -> None:
    book_path = tmp_path / "cases.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Complaints"
    book["Complaints"].append(["Reference", "Received", "Stage", "Team"])
    book["Complaints"].append(["C-9", datetime(2026, 1, 2), 1, "Adoption"])
    listed = book.create_sheet("documents ")  # any case, spaces around: still known
    listed.append(["Kind", "Reference", "Document", "Anything else"])
    listed.append(["Complaints", "C-9", "missing.docx", "x"])
    book.create_sheet("Documents (2)").append(["whatever"])
    book.save(book_path)
    apply_import(db, read_workbook(book_path))
    with db.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-9") is not None
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    book.create_sheet("Documnets")
    book.save(book_path)
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(book_path)
    assert "“Documnets” is not a sheet cscdesk knows" in str(caught.value)
    assert "“Ombudsman letters”, “Documents”." in str(caught.value)
