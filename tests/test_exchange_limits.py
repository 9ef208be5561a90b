"""Nothing lost, nothing leaked: the workbook's limits (rows in a sheet, text in a cell, the
size of what is read), formulas without values, hidden sheets, temporary files, and messages
that a terminal shows as they are. Real files in temp folders; commands as real processes."""

from __future__ import annotations

import json
import os
import resource
import stat
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import event

from cscdesk.domain.kinds import ComplaintData, ComplimentData
from cscdesk.exchange import WorkbookRejected, apply_import, export_workbook, read_workbook
from cscdesk.exchange.cells import CellError, read_date
from cscdesk.exchange.importer import plan_import
from cscdesk.store import records
from cscdesk.store.engine import open_database
from workbooks import COMPLAINT_HEADER, read_sheets, write_workbook

LONGEST = 32767


def complaints_workbook(path: Path, count: int, **extra: object) -> Path:
    rows: list[list[object]] = [[*COMPLAINT_HEADER, *extra]]
    for number in range(1, count + 1):
        row: list[object] = [f"C-{number}", date(2024, 5, 3), 1, "Fostering"]
        row += [None] * (len(COMPLAINT_HEADER) - 4)
        rows.append([*row, *extra.values()])
    return write_workbook(path, {"Complaints": rows})


def replaced_text(path: Path, placeholder: str, text: str) -> Path:
    """The workbook with a text cell's `placeholder` replaced by `text`, however long (Excel
    and XlsxWriter stop at 32,767 characters; other programs write what they are given)."""
    copy = path.with_name("long-" + path.name)
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(copy, "w",
                                                            zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            out.writestr(info, data.replace(placeholder.encode(), text.encode()))
    return copy


def imported(db_path: Path, workbook: Path) -> Path:
    db = open_database(db_path)
    try:
        apply_import(db, read_workbook(workbook))
    finally:
        db.close()
    return db_path


def assert_sentence(result, *fragments: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("cscdesk: ")
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# -- 1. rows past a sheet's limit -------------------------------------------------------------

def test_export_continues_on_more_sheets_that_import_reads_back(cli, tmp_path: Path) -> None:
    """CSCDESK_SHEET_ROWS lowers Excel's 1,048,576 rows a sheet (header included) to 4."""
    db = imported(tmp_path / "cases.db", complaints_workbook(tmp_path / "in.xlsx", 7))
    small = {"CSCDESK_SHEET_ROWS": "4"}

    exported = cli("--db", db, "export", tmp_path / "out.xlsx", env=small)

    assert exported.returncode == 0, exported.stderr
    assert "Exported 7 rows" in exported.stdout and "Complaints: 7" in exported.stdout
    sheets = read_sheets(tmp_path / "out.xlsx")
    assert [name for name in sheets if name.startswith("Complaints")] == [
        "Complaints", "Complaints (2)", "Complaints (3)"]
    assert [len(sheets[name]) for name in ("Complaints", "Complaints (2)", "Complaints (3)")] \
        == [4, 4, 2]
    references = [row[0] for name in ("Complaints", "Complaints (2)", "Complaints (3)")
                  for row in sheets[name][1:]]
    assert sorted(references) == sorted(f"C-{n}" for n in range(1, 8))
    # read back whole, with Excel's own limit
    again = cli("--db", tmp_path / "new.db", "import", tmp_path / "out.xlsx")
    assert again.returncode == 0, again.stderr
    assert "Complaints: 7 created, 0 updated, 0 unchanged" in again.stdout


def test_a_reference_on_two_sheets_of_one_kind_is_a_problem(tmp_path: Path) -> None:
    header = COMPLAINT_HEADER[:4]
    path = write_workbook(tmp_path / "twice.xlsx", {
        "Complaints": [header, ["C-1", date(2024, 5, 3), 1, "Fostering"]],
        "Complaints (2)": [header, ["C-2", date(2024, 5, 3), 1, "Fostering"],
                           ["C-1", date(2024, 5, 4), 1, "Fostering"]],
    })
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(path)
    assert [str(p) for p in caught.value.problems] == [
        "Complaints (2), row 3, column Reference (value “C-1”): Reference “C-1” is also used in "
        "Complaints, row 2; references must be unique within a sheet."]


def test_audit_export_continues_on_more_sheets(cli, tmp_path: Path) -> None:
    db = imported(tmp_path / "cases.db", complaints_workbook(tmp_path / "in.xlsx", 5))
    output = tmp_path / "audit.xlsx"
    today = date.today().isoformat()

    result = cli("--db", db, "audit-export", "--from", today, "--to", today, "--output", output,
                 env={"CSCDESK_SHEET_ROWS": "3"})

    assert result.returncode == 0, result.stderr
    assert "Wrote 5 audit events" in result.stdout
    sheets = read_sheets(output)
    assert list(sheets) == ["Audit", "Audit (2)", "Audit (3)"]
    assert [row[4] for name in sheets for row in sheets[name][1:]] == [
        f"C-{n}" for n in range(1, 6)]


# -- 2. text longer than a cell ------------------------------------------------------------------

def test_import_refuses_text_longer_than_its_field_allows(cli, tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    workbook = complaints_workbook(tmp_path / "long.xlsx", 1, Notes="NOTES-HERE")
    rows = read_sheets(workbook)["Complaints"]
    rows[1][15] = "p" * 201  # Complainant
    rows[1][9] = "é" * LONGEST  # Learning: exactly the most allowed
    write_workbook(workbook, {"Complaints": rows})
    workbook = replaced_text(workbook, "NOTES-HERE", "n" * 1_000_000)

    result = cli("--db", db, "import", workbook)

    assert_sentence(
        result, "2 problems found",
        "Complaints, row 2, column Complainant (value “ppp",
        "Complainant is longer than 200 characters.",
        "Complaints, row 2, column Notes (value “nnn",
        "Notes holds 1,000,000 characters; at most 32,767 are kept",
    )
    assert len(result.stderr) < 2000
    assert not db.exists()


def test_emoji_count_as_excel_counts_them() -> None:
    from cscdesk.domain.validation import validate

    fits = ComplaintData("C-1", date(2024, 5, 3), 1, "Fostering", notes="😀" * (LONGEST // 2))
    too_long = ComplaintData("C-1", date(2024, 5, 3), 1, "Fostering",
                             notes="😀" * (LONGEST // 2 + 1))
    assert validate(fits) == []
    assert [error.field for error in validate(too_long)] == ["notes"]


@pytest.fixture
def longest_database(tmp_path: Path) -> Path:
    """A complaint whose every long text is as long as allowed, half of them unbroken, changed
    once (so its history holds two such texts in one change)."""
    db_path = tmp_path / "long.db"
    db = open_database(db_path)
    words = ("Zoë said " * 4000)[:LONGEST]
    record = ComplaintData("C-1", date(2024, 5, 3), 1, "Fostering", complainant="Zoë Smith",
                           summary="s" * LONGEST, learning=words, notes="n" * LONGEST)
    with db.transaction() as session:
        records.save(session, record)
    with db.transaction() as session:
        records.save(session, ComplaintData(**{**record.__dict__, "summary": "t" * LONGEST,
                                               "notes": words}))
        records.save(session, ComplimentData("K-1", date(2024, 5, 3), "Adoption",
                                             summary="Zoë Smith " + "k" * (LONGEST - 10)))
    db.close()
    return db_path


def test_longest_text_goes_whole_into_every_output(cli, longest_database: Path,
                                                   tmp_path: Path) -> None:
    workbook, pdf, export = tmp_path / "zoe.xlsx", tmp_path / "zoe.pdf", tmp_path / "all.xlsx"

    started = time.perf_counter()
    access = cli("--db", longest_database, "subject-access", "Zoë Smith", "--workbook",
                 workbook, "--pdf", pdf, timeout=60)
    seconds = time.perf_counter() - started
    exported = cli("--db", longest_database, "export", export)

    assert access.returncode == 0, access.stderr
    assert seconds < 15  # was over ten minutes for the PDF alone
    assert exported.returncode == 0, exported.stderr
    sheets = read_sheets(workbook)
    complaint = dict(zip(sheets["Complaints"][0], sheets["Complaints"][1], strict=False))
    assert complaint["Summary"] == "t" * LONGEST and complaint["Notes"].startswith("Zoë said")
    assert len(complaint["Notes"]) == LONGEST
    # the change holds four 32,767-character texts: it continues in the rows below, whole
    history = [row for row in sheets["History"][1:] if row[4] == "update"]
    assert len(history) == 5 and all(row[:5] == history[0][:5] for row in history)
    changes = json.loads("".join(row[5] for row in history))
    assert changes["Summary"] == ["s" * LONGEST, "t" * LONGEST]
    assert changes["Notes"][0] == "n" * LONGEST
    assert read_sheets(export)["Complaints"][1][16] == "t" * LONGEST


def test_pdf_of_the_longest_text_is_quick(longest_database: Path, tmp_path: Path) -> None:
    from cscdesk.privacy.subject_access import gather
    from cscdesk.privacy.subject_access_pdf import write_pdf

    db = open_database(longest_database)
    with db.session() as session:
        found = gather(session, "Zoë Smith")
    db.close()
    write_pdf(found[:0], "warm-up", tmp_path / "warm.pdf")  # fonts, imports

    started = time.perf_counter()
    write_pdf(found, "Zoë Smith", tmp_path / "zoe.pdf")

    assert time.perf_counter() - started < 3  # 32k unbroken characters alone took 3.8 s


def test_appendix_with_the_longest_learning_is_quick(cli, tmp_path: Path) -> None:
    from cscdesk.domain.kinds import Outcome

    db_path = tmp_path / "cases.db"
    db = open_database(db_path)
    with db.transaction() as session:
        for number, learning in enumerate(("l" * LONGEST, ("We learnt " * 4000)[:LONGEST])):
            records.save(session, ComplaintData(
                f"C-{number}", date(2024, 5, 3), 1, "Fostering", closed=date(2024, 5, 20),
                outcome=Outcome.UPHELD, root_cause="Delay", learning=learning))
    db.close()

    result = cli("--db", db_path, "report", "--year", "2024/25", "--output",
                 tmp_path / "appendix.pdf", timeout=60)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "appendix.pdf").stat().st_size > 0


# -- 3. workbooks that would exhaust memory ------------------------------------------------------

def test_a_stray_cell_far_right_is_refused_quickly(cli, tmp_path: Path) -> None:
    rows = read_sheets(complaints_workbook(tmp_path / "w.xlsx", 20_000))["Complaints"]
    rows[6] = [*rows[6], *([None] * (20 - len(rows[6]))), "STRAY"]  # U7, moved to XFD7 below
    written = write_workbook(tmp_path / "stray.xlsx", {"Complaints": rows})
    stray = tmp_path / "xfd.xlsx"
    with zipfile.ZipFile(written) as original, zipfile.ZipFile(stray, "w") as out:
        for info in original.infolist():
            out.writestr(info, original.read(info.filename).replace(b'r="U7"', b'r="XFD7"'))

    result = cli("--db", tmp_path / "cases.db", "import", stray, timeout=60)

    assert_sentence(result, "Complaints: Cell XFD7 holds a value far to the right")
    assert len(result.stderr.splitlines()) == 2


def test_formatted_empty_columns_far_right_are_ignored(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "formatted.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Complaints")
    sheet.write_row(0, 0, COMPLAINT_HEADER[:4])
    sheet.write_row(1, 0, ["C-1", "2024-05-03", 1, "Fostering"])
    sheet.write_blank(1, 16383, None, book.add_format({"bold": True}))
    book.close()

    assert [r.record.reference for r in read_workbook(path).records[next(iter(
        read_workbook(path).records))]] == ["C-1"]


def test_a_small_file_that_unpacks_to_gigabytes_of_text_is_refused(cli, tmp_path: Path) -> None:
    from cscdesk.exchange import parts

    source = complaints_workbook(tmp_path / "w.xlsx", 1)
    bomb = tmp_path / "bomb.xlsx"
    size = parts.MAX_STRINGS_BYTES + 1_000_000
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(
            bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                with out.open(info.filename, "w", force_zip64=True) as stream:
                    stream.write(data[:-len(b"</sst>")])
                    chunk = b"<si><t>" + b"x" * (1 << 20) + b"</t></si>"
                    for _ in range(size // len(chunk) + 1):
                        stream.write(chunk)
                    stream.write(b"</sst>")
            else:
                out.writestr(info, data)
    assert bomb.stat().st_size < 5_000_000

    result = cli("--db", tmp_path / "cases.db", "import", bomb, timeout=60)

    assert_sentence(result, "bomb.xlsx holds 40", "MB of text, more than cscdesk reads")


def test_import_looks_up_only_the_references_the_workbook_holds(tmp_path: Path) -> None:
    """A 1-row import into a large database must not read every stored record."""
    db = open_database(tmp_path / "big.db")
    apply_import(db, read_workbook(complaints_workbook(tmp_path / "big.xlsx", 3000)))
    one = read_workbook(complaints_workbook(tmp_path / "one.xlsx", 1))
    @event.listens_for(db.engine, "after_cursor_execute")
    def watch(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    statements: list[str] = []
    plan = plan_import(db, one)
    db.close()

    assert plan.counts["Complaints"].unchanged == 1
    complaint_reads = [s for s in statements if "FROM complaint" in s]
    assert complaint_reads and all("IN (" in s or "WHERE" in s for s in complaint_reads)


# -- 4. formulas without values, hidden sheets -----------------------------------------------------

def test_formula_without_a_value_is_named_not_read_as_zero(cli, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "formulas.xlsx"
    book = xlsxwriter.Workbook(str(path))  # XlsxWriter stores 0 and asks Excel to recalculate
    sheet = book.add_worksheet("Complaints")
    sheet.write_row(0, 0, [*COMPLAINT_HEADER[:4], "Complainant"])
    sheet.write_row(1, 0, ["C-1", "2024-05-03", 1, "Fostering"])
    sheet.write_formula(1, 4, '="Zoë "&"Smith"')
    book.close()

    result = cli("--db", tmp_path / "cases.db", "import", path)

    assert_sentence(result, "Complaints, row 2, column Complainant: This cell holds a formula "
                            "with no value; copy the column and paste it back as values")
    assert "1 problem found" in result.stderr


def test_hidden_sheets_are_named_in_the_summary(cli, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, reference in (("Complaints", None), ("Compliments", "K-1")):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ["Reference", "Received", "Stage", "Team"][:4 if reference is None
                                                                           else 2] + (
            [] if reference is None else ["Team"]))
        if reference:
            sheet.write_row(1, 0, [reference, "2024-05-03", "Adoption"])
            sheet.hide()
    book.close()

    result = cli("--db", tmp_path / "cases.db", "import", path)

    assert result.returncode == 0, result.stderr
    assert "Compliments: 1 created" in result.stdout
    assert "Hidden sheet read too (hidden in Excel): “Compliments”." in result.stdout
    db = open_database(tmp_path / "other.db")  # the import window shows the plan's note
    plan = plan_import(db, read_workbook(path))
    db.close()
    assert plan.hidden_note == "Hidden sheet read too (hidden in Excel): “Compliments”."


# -- 5. temporary files --------------------------------------------------------------------------

def test_export_keeps_nothing_in_the_system_temp_folder_and_cleans_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    db = open_database(imported(tmp_path / "cases.db",
                                complaints_workbook(tmp_path / "in.xlsx", 3)))
    out = tmp_path / "out"
    out.mkdir()
    dead = 2 ** 22 + 12345  # beyond Linux's pid_max: no such process
    for leftover in (f".cases.xlsx.p{dead}-abcd.tmp", f".cases.writing-{dead}.xlsx"):
        (out / leftover).write_bytes(b"PK half a workbook")
    (out / f".cases.xlsx.p{dead}-efgh.tmpdir").mkdir()

    def no_system_temp() -> str:
        raise AssertionError("the system temp folder was used")

    monkeypatch.setattr(tempfile, "gettempdir", no_system_temp)
    monkeypatch.setattr(tempfile, "tempdir", None)
    export_workbook(db, out / "cases.xlsx")
    db.close()

    assert sorted(p.name for p in out.iterdir()) == ["cases.xlsx"]
    assert stat.S_IMODE((out / "cases.xlsx").stat().st_mode) == 0o600


def test_every_workbook_written_is_private(cli, tmp_path: Path) -> None:
    db = imported(tmp_path / "cases.db", complaints_workbook(tmp_path / "in.xlsx", 2))
    today = date.today().isoformat()
    cli("--db", db, "export", tmp_path / "export.xlsx", check=True)
    cli("--db", db, "audit-export", "--from", today, "--to", today, "--output",
        tmp_path / "audit.xlsx", check=True)

    for name in ("export.xlsx", "audit.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


# -- 6. messages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, year", [("0224-05-03", 224), ("9999-12-31", 9999),
                                        ("1949-12-31", 1949), ("31/12/1949", 1949)])
def test_implausible_years_are_called_so(text: str, year: int) -> None:
    with pytest.raises(CellError, match=f"The year {year} is not plausible"):
        read_date(text)


def test_day_that_does_not_exist_is_still_called_so() -> None:
    with pytest.raises(CellError, match="This day does not exist"):
        read_date("2024-02-30")


def test_a_huge_header_is_named_by_its_start(cli, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "header.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "H" * 1_000_000],
                       ["C-1", "2024-05-03", 1, "Fostering"]]})

    result = cli("--db", tmp_path / "cases.db", "import", path)

    assert_sentence(result, "“HHHH", "is not a column of the Complaints sheet")
    assert len(result.stderr) < 2000


def test_control_characters_are_escaped(cli, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ctrl.xlsx", {
        "Complaints": [COMPLAINT_HEADER[:4],
                       ["C-1", "\x1b[2J\x1b]0;owned\x07", 1, "Fostering"]]})

    result = cli("--db", tmp_path / "cases.db", "import", path)

    assert_sentence(result, "(value “\\x1b[2J\\x1b]0;owned\\x07”)")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_disk_full_during_audit_export_is_one_sentence(cli, tmp_path: Path) -> None:
    """The file-size limit makes writes fail as a full disk does (Python ignores SIGXFSZ)."""
    db = tmp_path / "cases.db"
    rows = [[*COMPLAINT_HEADER, "Notes"]]
    rows += [[f"C-{n}", date(2024, 5, 3), 1, "Fostering", *([None] * 13),
              os.urandom(3000).hex()] for n in range(200)]
    imported(db, write_workbook(tmp_path / "in.xlsx", {"Complaints": rows}))
    output = tmp_path / "out" / "audit.xlsx"
    output.parent.mkdir()
    today = date.today().isoformat()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, hard))
    try:
        result = cli("--db", db, "audit-export", "--from", today, "--to", today, "--output",
                     output)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    assert_sentence(result, "Cannot write the workbook in the folder", "Nothing was written")
    assert "Exception ignored" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(output.parent.iterdir()) == []


def test_formula_values_saved_by_excel_are_read(tmp_path: Path) -> None:
    """Excel stores each formula's value (an empty text as <v></v> in a text-typed cell) and
    does not ask for a recalculation: those values are read as shown."""
    source = write_workbook(tmp_path / "plain.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Complainant", "Summary"],
                       ["C-1", "2024-05-03", 1, "Fostering", "NAME", "EMPTY"]]})
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(saved, "w") as out:
        strings = original.read("xl/sharedStrings.xml").decode()
        index = {text: number for number, text in enumerate(
            part.split("</t>")[0].split(">")[-1] for part in strings.split("<si>")[1:])}
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                for text, formula, value in (("NAME", '"Zoë"&" Smith"', "Zoë Smith"),
                                             ("EMPTY", 'IF(1,"","x")', "")):
                    data = data.replace(
                        f'<c r="{"E" if text == "NAME" else "F"}2" t="s"><v>{index[text]}</v>'
                        .encode(),
                        f'<c r="{"E" if text == "NAME" else "F"}2" t="str">'
                        f"<f>{escape(formula)}</f><v>{value}</v>".encode())
            elif info.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            out.writestr(info, data)

    record = read_workbook(saved).records[next(iter(read_workbook(saved).records))][0].record

    assert (record.complainant, record.summary) == ("Zoë Smith", "")
