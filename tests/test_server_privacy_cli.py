"""The data protection commands on a server database, as real subprocesses: the same sentences
and files as on a database file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from cscdesk.domain.kinds import (
    ActionData,
    ActionKind,
    ComplaintData,
    EnquiryData,
    EnquirySource,
    Kind,
    Outcome,
)
from cscdesk.store import records
from cscdesk.store.opening import open_database

pytestmark = pytest.mark.postgresql


def fill(url: str) -> None:
    db = open_database(url)
    try:
        with db.transaction() as session:
            records.save(session, ComplaintData(
                "C-1", date(2015, 5, 1), 1, "Adoption", closed=date(2015, 6, 1),
                outcome=Outcome.UPHELD, complainant="=Zoë Smith", summary="Zoë's contact"))
            records.save(session, EnquiryData("E-1", date(2024, 1, 1), EnquirySource.MP,
                                              "MASH", enquirer="Cllr Zoë Smith"))
            records.save(session, ActionData("A-1", date(2015, 6, 1), "C-1",
                                             ActionKind.LEARNING, "Adoption",
                                             "Contact plan shared with the family",
                                             date(2015, 7, 1), done=date(2015, 6, 25)))
    finally:
        db.close()


def test_subject_access_on_a_server_writes_the_same_pack(cli, server_url: str,
                                                         tmp_path: Path) -> None:
    fill(server_url)
    output, pdf = tmp_path / "zoe.xlsx", tmp_path / "zoe.pdf"
    result = cli("--db", server_url, "subject-access", "ZOË SMITH", "--workbook", output,
                 "--pdf", pdf, check=True)
    assert "Found 3 record(s)" in result.stdout  # the complaint's action with it
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Complaints: C-1" in text and "Cllr Zoë Smith" in text
    assert "Actions: A-1 (of C-1)" in text
    assert load_workbook(output).sheetnames == ["Complaints", "Enquiries", "Actions",
                                                "History"]


def test_retention_hold_anonymise_and_audit_export_on_a_server(cli, server_url: str,
                                                               tmp_path: Path) -> None:
    fill(server_url)
    review = cli("--db", server_url, "retention", "--years", "6", check=True)
    assert "C-1" in review.stdout
    cli("--db", server_url, "hold", "--kind", "complaint", "C-1", check=True)
    refused = cli("--db", server_url, "anonymise", "--kind", "complaint", "C-1")
    assert refused.returncode == 1 and "legal hold" in refused.stderr
    cli("--db", server_url, "hold", "--off", "--kind", "complaint", "C-1", check=True)
    done = cli("--db", server_url, "anonymise", "--kind", "complaint", "C-1", check=True)
    assert "Anonymised 1 complaint, with 1 action of it." in done.stdout
    db = open_database(server_url)
    try:
        with db.session() as session:
            record = records.load(session, Kind.COMPLAINT, "C-1")
            action = records.load(session, Kind.ACTION, "A-1")
        assert record is not None and record.complainant == "" and record.summary == ""
        assert action is not None and action.what == "[anonymised]"
    finally:
        db.close()
    purged = cli("--db", server_url, "purge", "--kind", "enquiry", "E-1", check=True)
    assert "1 enquiry." in purged.stdout
    db = open_database(server_url)
    try:
        with db.session() as session:
            assert records.load(session, Kind.ENQUIRY, "E-1") is None
    finally:
        db.close()
    trail = tmp_path / "audit.xlsx"
    cli("--db", server_url, "audit-export", "--from", "2000-01-01", "--to", "2100-01-01",
        "--output", trail, check=True)
    assert load_workbook(trail).worksheets[0].max_row >= 4
