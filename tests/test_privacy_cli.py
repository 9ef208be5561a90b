"""The data protection commands, run as real subprocesses on a real database."""

from datetime import date
from pathlib import Path

import pdfplumber
from openpyxl import load_workbook

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Outcome
from cscdesk.store import records
from cscdesk.store.engine import open_database


def make_database(path: Path) -> None:
    db = open_database(path)
    with db.transaction() as session:
        records.save(session, ComplaintData(
            "C-1", date(2015, 5, 1), 1, "Adoption", closed=date(2015, 6, 1),
            outcome=Outcome.UPHELD, complainant="=Zoë Smith", summary="Zoë's contact"))
        records.save(session, EnquiryData("E-1", date(2024, 1, 1), EnquirySource.MP, "MASH",
                                          enquirer="Cllr Zoë Smith"))
    db.close()


def test_subject_access_exports_every_record_with_history(cli, tmp_path: Path) -> None:
    db, output, pdf = tmp_path / "c.db", tmp_path / "zoe.xlsx", tmp_path / "zoe.pdf"
    make_database(db)
    result = cli("--db", db, "subject-access", "zoë smith", "--workbook", output, "--pdf", pdf,
                 check=True)
    assert "Found 2 record(s)" in result.stdout
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Complaints: C-1" in text and "=Zoë Smith" in text and "Cllr Zoë Smith" in text
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["Complaints", "Enquiries", "History"]
    complaint_row = [c.value for c in workbook["Complaints"][2]]
    assert "=Zoë Smith" in complaint_row  # formula-looking text kept as text
    assert workbook["Complaints"]["A2"].data_type == "s"
    assert workbook["History"].max_row == 3


def test_retention_hold_and_anonymise(cli, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    make_database(db)
    listing = cli("--db", db, "retention", "--years", "6", check=True).stdout
    assert "C-1" in listing and "E-1" not in listing
    cli("--db", db, "hold", "--kind", "complaint", "C-1", check=True)
    assert "LEGAL HOLD" in cli("--db", db, "retention", check=True).stdout
    refused = cli("--db", db, "anonymise", "--kind", "complaint", "C-1")
    assert refused.returncode == 1 and "legal hold" in refused.stderr
    assert "Traceback" not in refused.stderr
    cli("--db", db, "hold", "--off", "--kind", "complaint", "C-1", check=True)
    cli("--db", db, "anonymise", "--kind", "complaint", "C-1", check=True)
    assert "C-1" not in cli("--db", db, "retention", check=True).stdout


def test_audit_export_covers_the_date_range(cli, tmp_path: Path) -> None:
    db, output = tmp_path / "c.db", tmp_path / "audit.xlsx"
    make_database(db)
    today = date.today().isoformat()
    result = cli("--db", db, "audit-export", "--from", today, "--to", today, "--output", output,
                 check=True)
    assert "Wrote 2 audit events" in result.stdout
    sheet = load_workbook(output)["Audit"]
    assert [c.value for c in sheet[1]][:3] == ["When (UTC)", "Who", "Action"]
    assert sheet.max_row == 3
    bad = cli("--db", db, "audit-export", "--from", "25/11/2026", "--to", today, "--output",
              output)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_subject_access_needs_an_output(cli, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    make_database(db)
    result = cli("--db", db, "subject-access", "Smith")
    assert result.returncode == 1 and "--workbook" in result.stderr


def test_subject_access_sheets_continue_in_order(cli, tmp_path: Path) -> None:
    """Records and their history are written together, record by record: a kind's sheet that
    fills continues on "Complaints (2)" before the next kind's sheet, as Excel lists them
    (CSCDESK_SHEET_ROWS lowers a sheet to a header and two rows)."""
    db, output = tmp_path / "c.db", tmp_path / "zoe.xlsx"
    make_database(db)
    database = open_database(db)
    with database.transaction() as session:
        for number in (2, 3):
            records.save(session, ComplaintData(f"C-{number}", date(2024, 5, number), 1,
                                                "Adoption", complainant="Zoë Smith"))
    database.close()

    result = cli("--db", db, "subject-access", "zoë smith", "--workbook", output,
                 env={"CSCDESK_SHEET_ROWS": "3"}, check=True)

    assert "Found 4 record(s)" in result.stdout
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["Complaints", "Complaints (2)", "Enquiries", "History",
                                   "History (2)"]
    references = [[row[0] for row in workbook[name].iter_rows(min_row=2, values_only=True)]
                  for name in ("Complaints", "Complaints (2)", "Enquiries")]
    assert references == [["C-1", "C-2"], ["C-3"], ["E-1"]]
    history = [row[1] for name in ("History", "History (2)")
               for row in workbook[name].iter_rows(min_row=2, values_only=True)]
    assert history == ["C-1", "C-2", "C-3", "E-1"]
    assert workbook.active.title == "Complaints"


def test_workbook_lines_are_written_as_xlsxwriter_writes_cells(tmp_path: Path,
                                                                monkeypatch) -> None:
    """The privacy workbooks' rows are written a line at a time (one string of XML), not cell
    by cell through XlsxWriter: the sheets are byte for byte what XlsxWriter writes for the
    same cells, whatever the text (escapes, spaces at either end, control characters, text
    longer than a cell), numbers and dates; and text that looks like XlsxWriter's rich text
    stays text."""
    import zipfile
    from datetime import datetime
    from decimal import Decimal

    from cscdesk.privacy import sheets

    values = ["plain", "", None, "a & b < c > d", " lead", "trail ", "\ttab", "end\n",
              "two\nlines", "ctl\x01\x1f", "_x0041_ as typed", "=1+2", "+44 7700 900", "😀",
              "\u00a0nbsp", "nbsp\u00a0", "é" * 40_000, "😀" * 20_000, "x" * 32_767, True,
              False, 0, -5, 3.5, 1e20, 12345678901234567890, date(2024, 5, 3),
              datetime(2024, 5, 3, 9, 30, 15), Decimal("12.50"), Outcome.UPHELD]
    rows = [[value, "same", number] for number, value in enumerate(values)] + [values]

    def write(path: Path) -> zipfile.ZipFile:
        sheets.write_tables(path, [("Table", ["A", "B", "C"], rows), ("Other", ["X"], [[1]])])
        return zipfile.ZipFile(path)

    lines = write(tmp_path / "lines.xlsx")
    monkeypatch.setattr(sheets, "_writes_lines", lambda sheet: False)
    cells = write(tmp_path / "cells.xlsx")
    assert lines.namelist() == cells.namelist()
    for name in lines.namelist():
        if name != "docProps/core.xml":  # the time it was made
            assert lines.read(name) == cells.read(name), name
    monkeypatch.undo()

    sheets.write_tables(tmp_path / "rich.xlsx", [("T", ["A"], [["<r>Ann</r>"], ["<b>x</b>"]])])
    sheet = load_workbook(tmp_path / "rich.xlsx")["T"]
    assert [sheet["A2"].value, sheet["A3"].value] == ["<r>Ann</r>", "<b>x</b>"]
