"""A workbook with any bad cell is rejected whole: every bad cell is named (sheet, Excel row,
column, value) and the database is left exactly as it was."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cscdesk.domain.kinds import ComplaintData
from cscdesk.errors import InputError
from cscdesk.exchange import (
    WorkbookRejected,
    WorkbookUnreadable,
    apply_import,
    check_workbook,
    plan_import,
    read_workbook,
)
from cscdesk.store import records
from cscdesk.store.models import RECORD_MODELS, AuditEvent, Team
from workbooks import COMPLAINT_HEADER, copied_database, write_workbook

HEADER4 = COMPLAINT_HEADER[:4]  # Reference, Received, Stage, Team (with their * marks)


@pytest.fixture
def database(db_path: Path):
    """A fresh real database file (copied from one built once; see workbooks.copied_database)."""
    yield from copied_database(db_path)


def problems_of(error: WorkbookRejected) -> set[tuple[str, int | None, str, str]]:
    return {(p.sheet, p.row, p.column, p.value) for p in error.problems}


def row_counts(db) -> list[int]:
    with db.session() as session:
        return [session.scalar(select(func.count()).select_from(model))
                for model in (*RECORD_MODELS, Team, AuditEvent)]


def complaint_row(**cells: object) -> list[object]:
    """A Complaints row in COMPLAINT_HEADER's order from column labels."""
    labels = [label.rstrip("*") for label in COMPLAINT_HEADER]
    return [cells.get(label) for label in labels]


def test_every_bad_cell_is_named_and_nothing_is_written(database, tmp_path: Path) -> None:
    good = complaint_row(Reference="OK-1", Received=date(2024, 5, 1), Stage=1, Team="Fostering")
    sheets = {
        "Complaints": [
            COMPLAINT_HEADER,
            good,
            complaint_row(Reference="B-2", Received="31/02/2024", Stage=1, Team="Fostering"),
            complaint_row(Reference="B-3", Received="2024-05-01", Stage="4", Team="Fostering",
                          Extended="maybe"),
            complaint_row(Reference="B-4", Received="2024-05-01", Stage=1, Team="Fostering",
                          Outcome="Won", Closed="2024-05-02"),
            complaint_row(Reference="B-5", Received="2024-05-01", Stage=1, Team="Fostering",
                          Closed="2024-06-01"),
            complaint_row(Reference="B-6", Received=date(2024, 5, 10), Stage=1,
                          Team="Fostering", Responded=date(2024, 5, 1)),
            complaint_row(Reference="OK-1", Received="2024-05-01", Stage=1, Team="Fostering"),
            complaint_row(Reference="B-8", Received="2024-05-01", Stage=2, Team="Fostering",
                          **{"Escalated from": "NOWHERE"}),
            complaint_row(Reference="B-9", Received="2024-05-01", Stage=1, Team=None,
                          ADR="No", **{"ADR saving": "lots"}),
        ],
        "Enquiries": [
            ["Reference", "Received", "Source", "Team"],
            ["E-1", "2024-13-01", "Mayor", "Fostering"],
        ],
        "Dispute resolution": [
            ["Reference", "Raised", "Team"],
            [None, 45413, "Fostering"],  # an Excel serial number is a date: 2024-05-01
        ],
    }
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    before = row_counts(database)

    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, path)

    assert problems_of(caught.value) == {
        ("Complaints", 3, "Received", "31/02/2024"),
        ("Complaints", 4, "Stage", "4"),
        ("Complaints", 4, "Extended", "maybe"),
        ("Complaints", 5, "Outcome", "Won"),
        ("Complaints", 6, "Outcome", ""),
        ("Complaints", 7, "Responded", "01/05/2024"),
        ("Complaints", 8, "Reference", "OK-1"),
        ("Complaints", 9, "Escalated from", "NOWHERE"),
        ("Complaints", 10, "Team", ""),
        ("Complaints", 10, "ADR saving", "lots"),
        ("Enquiries", 2, "Received", "2024-13-01"),
        ("Enquiries", 2, "Source", "Mayor"),
        ("Dispute resolution", 2, "Reference", ""),
    }
    message = str(caught.value)
    assert isinstance(caught.value, InputError)
    assert "13 problems" in message and "nothing was changed" in message
    assert "Complaints, row 8, column Reference (value “OK-1”)" in message
    assert "also used in row 2" in message
    assert "Enquiries, row 2, column Source (value “Mayor”): Write one of MP, MEP or Member." \
        in message
    assert len(message.splitlines()) == 14
    with pytest.raises(WorkbookRejected):
        apply_import(database, read_workbook(path))
    assert row_counts(database) == before


def test_a_bad_workbook_leaves_a_populated_database_unchanged(database, tmp_path: Path) -> None:
    good = write_workbook(tmp_path / "good.xlsx", {"Compliments": [
        ["Reference", "Received", "Team", "Summary"], ["K-1", "2024-05-01", "Fostering", "old"]]})
    apply_import(database, read_workbook(good))
    bad = write_workbook(tmp_path / "bad.xlsx", {"Compliments": [
        ["Reference", "Received", "Team", "Summary"],
        ["K-1", "2024-05-01", "Fostering", "changed"],
        ["K-2", "2024-05-01", "New team", "new"],
        ["K-3", "not a date", "Fostering", None],
    ]})
    before = row_counts(database)

    with pytest.raises(WorkbookRejected) as caught:
        apply_import(database, read_workbook(bad))

    assert problems_of(caught.value) == {("Compliments", 4, "Received", "not a date")}
    assert row_counts(database) == before
    with database.session() as session:
        assert records.load(session, records.Kind.COMPLIMENT, "K-1").summary == "old"


def test_escalation_rules_against_workbook_and_database(database, tmp_path: Path) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData(reference="DB-1", received=date(2024, 1, 8),
                                            stage=1, team="Fostering"))
        records.save(session, ComplaintData(reference="DB-2", received=date(2024, 2, 8),
                                            stage=2, team="Fostering", escalated_from="DB-1"))
        records.save(session, ComplaintData(reference="DB-3", received=date(2024, 1, 8),
                                            stage=1, team="Fostering"))
        records.save(session, ComplaintData(reference="DB-4", received=date(2024, 2, 8),
                                            stage=2, team="Fostering", escalated_from="DB-3"))
    header = [*HEADER4, "Escalated from"]
    path = write_workbook(tmp_path / "esc.xlsx", {"Complaints": [
        header,
        ["W-3", "2024-04-01", 3, "Fostering", "W-2"],      # W-2 is Stage 2 below: fine
        ["W-2", "2024-03-01", 2, "Fostering", "DB-1"],     # stored Stage 1: fine
        ["W-4", "2024-03-01", 3, "Fostering", "DB-1"],     # Stage 1 is not Stage 2
        ["W-5", "2024-03-01", 2, "Fostering", "W-6"],      # W-6 is Stage 2
        ["W-6", "2024-03-01", 2, "Fostering", "DB-2"],     # DB-2 is Stage 2
        ["W-7", "2024-03-01", 1, "Fostering", "DB-1"],     # Stage 1 cannot escalate
        ["W-8", "2024-03-01", 2, "Fostering", "W-8"],      # not from itself
        ["DB-3", "2024-01-08", 2, "Fostering", None],      # would break stored DB-4's link
    ]})

    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, path)

    assert problems_of(caught.value) == {
        ("Complaints", 4, "Escalated from", "DB-1"),
        ("Complaints", 5, "Escalated from", "W-6"),
        ("Complaints", 6, "Escalated from", "DB-2"),
        ("Complaints", 7, "Escalated from", "DB-1"),
        ("Complaints", 8, "Escalated from", "W-8"),
        ("Complaints", 9, "Stage", "2"),
    }


def test_escalation_problems_are_planned_without_writing(database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "esc.xlsx", {"Complaints": [
        [*HEADER4, "Escalated from"], ["S2", "2024-03-01", 2, "Fostering", "MISSING"]]})
    parsed = read_workbook(path)  # nothing wrong in the cells themselves

    plan = plan_import(database, parsed)

    assert not plan.ok
    assert [(p.row, p.column, p.value) for p in plan.problems] == [
        (2, "Escalated from", "MISSING")]
    assert "No complaint has reference “MISSING”" in plan.problems[0].message
    assert row_counts(database)[0] == 0


@pytest.mark.parametrize("make", ["random", "empty", "folder", "missing", "csv", "zip"])
def test_a_file_that_is_no_workbook_gets_one_sentence(tmp_path: Path, make: str) -> None:
    path = tmp_path / ("cases.csv" if make == "csv" else "cases.xlsx")
    if make == "random":
        path.write_bytes(bytes(range(256)) * 40)
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "folder":
        path.mkdir()
    elif make == "csv":
        path.write_text("Reference,Received\nC1,2024-05-01\n")
    elif make == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")

    with pytest.raises(WorkbookUnreadable) as caught:
        read_workbook(path)

    message = str(caught.value)
    assert "\n" not in message and message.endswith(".")
    assert path.name in message


def test_unknown_sheet_and_column_and_missing_required_column(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "odd.xlsx", {
        "Complaints": [["Reference", "Received", "Team", "Colour"],
                       ["C-1", "2024-05-01", "T", "red"]],
        "Sheet1": [["anything"]],
        "Compliments": [["Reference", "Received", "Team", "Team"], ["K", "2024-05-01", "T", "T"]],
        "Enquiries": [["Reference", "Received", "Source", "Team", None], ["E", "2024-05-01", "MP",
                                                                          "T", "stray"]],
    })

    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(path)

    assert problems_of(caught.value) == {
        ("Complaints", 1, "Colour", "Colour"),
        ("Complaints", 1, "Stage", ""),
        ("Sheet1", None, "", ""),
        ("Compliments", 1, "Team", "Team"),
        ("Enquiries", 2, "E", "stray"),
    }
    assert "“Sheet1” is not a sheet cscdesk knows" in str(caught.value)
    assert "required column Stage is missing" in str(caught.value)


def test_dates_stages_and_yes_no_in_their_accepted_forms(database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "forms.xlsx", {"Complaints": [
        [*HEADER4, "Extended", "ADR", "Responded"],
        ["A", date(2024, 5, 1), 1, "T", "YES", "no", "2024-05-02"],
        ["B", "01/05/2024", "2", "T", None, "No", 45414],
        ["C", "2024-05-01", "Stage 3", "T", "Yes", " yes ", "1/5/2024"],
        ["D", 45413.0, 1.0, "T", True, False, None],
    ]})
    apply_import(database, read_workbook(path))
    with database.session() as session:
        loaded = {ref: records.load(session, records.Kind.COMPLAINT, ref) for ref in "ABCD"}
    assert {r.received for r in loaded.values()} == {date(2024, 5, 1)}
    assert [loaded[r].stage for r in "ABCD"] == [1, 2, 3, 1]
    assert [loaded[r].extended for r in "ABCD"] == [True, False, True, True]
    assert [loaded[r].adr for r in "ABCD"] == [False, False, True, False]
    assert [loaded[r].responded for r in "ABC"] == [date(2024, 5, 2)] * 2 + [date(2024, 5, 1)]


def test_duplicates_in_baseline_sheets_name_both_rows(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "base.xlsx", {
        "Baseline figures": [["Year", "Stage 1", "Upheld %"], ["2017/18", 4, 101],
                             ["2017", 5, None], ["17/18", None, None]],
        "Baseline by team": [["Year", "Table", "Team", "Count"],
                             ["2017/18", "Upheld", "Fostering", 3],
                             ["2017-18", "upheld", "FOSTERING", 4],
                             ["2017/18", "Biggest", "Fostering", -1],
                             ["2017/18", "Upheld", None, 2]],
    })

    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(path)

    assert problems_of(caught.value) == {
        ("Baseline figures", 2, "Upheld %", "101"),
        ("Baseline figures", 3, "Year", "2017"),
        ("Baseline figures", 4, "Year", "17/18"),
        ("Baseline by team", 3, "Team", "FOSTERING"),
        ("Baseline by team", 4, "Table", "Biggest"),
        ("Baseline by team", 4, "Count", "-1"),
        ("Baseline by team", 5, "Team", ""),
    }
    assert "row 2" in next(p.message for p in caught.value.problems if p.row == 3)


def test_copied_database_file_is_not_touched_by_a_rejected_import(database, tmp_path: Path
                                                                 ) -> None:
    good = write_workbook(tmp_path / "good.xlsx", {"Compliments": [
        ["Reference", "Received", "Team"], ["K-1", "2024-05-01", "Fostering"]]})
    apply_import(database, read_workbook(good))
    database.close()
    snapshot = tmp_path / "snapshot.db"
    shutil.copy(database.path, snapshot)
    bad = write_workbook(tmp_path / "bad.xlsx", {"Compliments": [
        ["Reference", "Received", "Team"], ["K-2", "2024-05-01", "X" * 201]]})

    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, bad)

    assert problems_of(caught.value) == {("Compliments", 2, "Team", "X" * 201)}
    assert f"(value “{'X' * 77}…”)" in str(caught.value)
    database.close()
    assert database.path.read_bytes() == snapshot.read_bytes()
