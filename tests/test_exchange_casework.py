"""The casework in the interchange workbook: the Actions sheet (each Case naming a complaint or
dispute resolution case in the workbook or the database), the complaints' step and Ombudsman
columns, and the Ombudsman letters sheet; every bad cell named, all or nothing; both engines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from cscdesk.domain.kinds import (
    ActionData,
    ActionKind,
    ComplaintData,
    DisputeData,
    Kind,
    LgoOutcome,
)
from cscdesk.exchange import (
    WorkbookRejected,
    apply_import,
    check_workbook,
    export_workbook,
    read_workbook,
)
from cscdesk.exchange.importer import with_database_checks
from cscdesk.store import records
from cscdesk.store.models import Action, Complaint, OmbudsmanLetter
from workbooks import ACTION_HEADER, COMPLAINT_HEADER, LETTER_HEADER, write_workbook


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database(request: pytest.FixtureRequest, db_path: Path):
    """A fresh database: a real SQLite file, or an empty one on the session's PostgreSQL."""
    from cscdesk.store.engine import open_database

    if request.param == "postgresql":
        db = open_database(request.getfixturevalue("server_url"))
    else:
        db = open_database(db_path)
    yield db
    db.close()


def excel_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook as another program writes it (openpyxl): datetimes become date cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def stored(db, kind: Kind) -> dict[str, object]:
    model = records.MODEL_OF[kind]
    with db.session() as session:
        return {ref: records.load(session, kind, ref)
                for ref in session.scalars(select(model.reference))}


def letters(db) -> dict[int, tuple[int | None, ...]]:
    with db.session() as session:
        return {row.year: (row.decided, row.upheld_percent, row.compliance_percent,
                           row.satisfactory_remedy_percent, row.similar_upheld_percent)
                for row in session.scalars(select(OmbudsmanLetter))}


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_workbook_never_seen_before_imports_the_casework(database, tmp_path: Path) -> None:
    """Odd case and spaces in names and values, DD/MM/YYYY text, Excel date cells and serial
    numbers; the actions listed before the cases they name."""
    path = excel_book(tmp_path / "council.xlsx", {
        " ACTIONS ": [
            ["  reference *", "AGREED", " case", "kind *", "team", "What", "due", "done",
             "evidence", "amount", "paid"],
            ["ACT/1", "03/02/2025", "ST3-1", "  ombudsman RECOMMENDATION ", "fostering",
             "Apologise in writing", datetime(2025, 3, 3), "28/02/2025", "Letter sent", None,
             None],
            ["ACT/2", datetime(2025, 2, 3), " ST3-1 ", "remedy for the COMPLAINANT", "Fostering",
             "Pay for the lost time", "03/03/2025", None, None, "£ 300", "25/02/2025"],
            ["ACT/3", 45600, "DR-7", "learning / SERVICE improvement", "Leaving care",
             "Share the lesson at the team meeting", "31/12/2024", None, None, None, None],
        ],
        "complaints ": [
            ["reference", "RECEIVED", "stage", "team", "Responded", "escalated FROM",
             "LGO referred", " statement agreed ", "investigating officer",
             "Investigating Officer Appointed", "independent person",
             "independent person appointed", "INVESTIGATION REPORT RECEIVED", "panel held",
             "panel report received", "lgo outcome", "lgo decided", "LGO remedy recommended",
             "lgo compliance due", "LGO COMPLIED"],
            ["ST1-1", "01/04/2024", "Stage 1", "Fostering", "12/04/2024", None, None, None,
             None, None, None, None, None, None, None, None, None, None, None, None],
            ["ST2-1", datetime(2024, 5, 1), 2, "fostering", "31/05/2024", "ST1-1", None,
             "07/05/2024", "  Jo Bloggs ", datetime(2024, 5, 8), "Sam Person", "08/05/2024",
             45436, None, None, None, None, None, None, None],
            ["ST3-1", "03/06/2024", "3", "FOSTERING", "05/08/2024", "ST2-1", "01/10/2024",
             None, None, None, None, None, None, "15/07/2024", datetime(2024, 7, 19),
             "upheld: MALADMINISTRATION and injustice", "20/01/2025", "An apology and £300",
             None, None],
        ],
        "Dispute Resolution": [["Reference", "Raised", "Team"],
                               ["DR-7", "01/10/2024", "Leaving Care"]],
        " ombudsman LETTERS": [
            [" year ", "complaints DECIDED", "upheld%", "Compliance %", "satisfactory remedy %",
             "similar councils upheld %"],
            ["2023/24", 9, "67%", 100, " 50% ", 63],
            [2024, "4", None, None, None, None],
        ],
    })

    result = apply_import(database, read_workbook(path))

    assert {sheet: counts.created for sheet, counts in result.counts.items()} == {
        "Complaints": 3, "Dispute resolution": 1, "Actions": 3, "Ombudsman letters": 2}
    complaints = stored(database, Kind.COMPLAINT)
    stage2 = complaints["ST2-1"]
    assert isinstance(stage2, ComplaintData)
    assert (stage2.statement_agreed, stage2.investigating_officer, stage2.officer_appointed,
            stage2.independent_person, stage2.person_appointed, stage2.report_received) == (
        date(2024, 5, 7), "Jo Bloggs", date(2024, 5, 8), "Sam Person", date(2024, 5, 8),
        date(2024, 5, 24))  # 45436 is Excel's day number of 24 May 2024
    stage3 = complaints["ST3-1"]
    assert isinstance(stage3, ComplaintData)
    assert (stage3.panel_held, stage3.panel_report) == (date(2024, 7, 15), date(2024, 7, 19))
    assert (stage3.lgo_outcome, stage3.lgo_decided, stage3.lgo_remedy) == (
        LgoOutcome.UPHELD_INJUSTICE, date(2025, 1, 20), "An apology and £300")
    assert stored(database, Kind.ACTION) == {
        "ACT/1": ActionData("ACT/1", date(2025, 2, 3), "ST3-1", ActionKind.OMBUDSMAN,
                            "Fostering", "Apologise in writing", date(2025, 3, 3),
                            date(2025, 2, 28), "Letter sent"),
        "ACT/2": ActionData("ACT/2", date(2025, 2, 3), "ST3-1", ActionKind.REMEDY, "Fostering",
                            "Pay for the lost time", date(2025, 3, 3), amount=Decimal("300.00"),
                            paid=date(2025, 2, 25)),
        "ACT/3": ActionData("ACT/3", date(2024, 11, 4), "DR-7", ActionKind.LEARNING,
                            "Leaving Care", "Share the lesson at the team meeting",
                            date(2024, 12, 31)),
    }
    assert letters(database) == {2023: (9, 67, 100, 50, 63), 2024: (4, None, None, None, None)}


def bad_casework() -> dict[str, list[list[object]]]:
    """Bad cells across the new sheets and columns: cell values, record rules and a Case that
    names nothing. Every one of them is in BAD_CELLS."""
    return {
        "Complaints": [
            [*COMPLAINT_HEADER[:4], "Escalated from", "LGO referred", "Panel held",
             "Panel report received", "LGO outcome", "LGO decided", "Statement agreed"],
            ["C-1", "2024-04-01", 1, "Fostering", None, None, None, None, None, None, None],
            ["C-2", "2024-05-01", 2, "Fostering", "C-1", None, None, None, None, None,
             "31/02/2024"],
            ["C-3", "2024-06-03", 3, "Fostering", "C-2", "2024-09-01", "20/07/2024",
             "10/07/2024", "Thrown out", "2024-10-01", None],
            ["C-4", "2024-06-04", 1, "Fostering", None, "2024-09-01", None, None, "Premature",
             None, None],
        ],
        "Actions": [
            ACTION_HEADER,
            ["A-1", "2024-07-01", "C-3", "Apology", "Fostering", "Say sorry", "2024-08-01",
             None, None, None, None],
            ["A-2", "2024-07-01", "C-3", "Learning", "Fostering", "Train staff", "2024-08-01",
             None, None, 120, None],
            ["A-3", "2024-07-01", "NOWHERE-9", "Remedy", "Fostering", "Pay", "2024-08-01",
             None, None, "£12.345", "someday"],
            ["A-4", "2024-07-01", "C-1", "Remedy", "Fostering", None, None, None, None, None,
             None],
        ],
        "Ombudsman letters": [
            LETTER_HEADER,
            ["2023/24", -1, "0.5", 101, "fifty", None],
            ["twenty", 3, None, None, None, None],
            ["2023-24", 3, None, None, None, None],
        ],
    }


# (sheet, row, column, value) of every bad cell of bad_casework().
BAD_CELLS = {
    ("Complaints", 3, "Statement agreed", "31/02/2024"),  # no such day
    ("Complaints", 4, "Panel report received", "10/07/2024"),  # before Panel held
    ("Complaints", 4, "LGO outcome", "Thrown out"),  # not an outcome
    ("Complaints", 5, "LGO decided", ""),  # an outcome needs its date
    ("Actions", 2, "Kind", "Apology"),
    ("Actions", 3, "Amount", "120"),  # only a remedy carries an amount
    ("Actions", 4, "Case", "NOWHERE-9"),  # names no case
    ("Actions", 4, "Amount", "£12.345"),
    ("Actions", 4, "Paid", "someday"),
    ("Actions", 5, "What", ""),
    ("Actions", 5, "Due", ""),
    ("Ombudsman letters", 2, "Complaints decided", "-1"),
    ("Ombudsman letters", 2, "Upheld %", "0.5"),
    ("Ombudsman letters", 2, "Compliance %", "101"),
    ("Ombudsman letters", 2, "Satisfactory remedy %", "fifty"),
    ("Ombudsman letters", 3, "Year", "twenty"),
    ("Ombudsman letters", 4, "Year", "2023-24"),  # the year of row 2 again
}


def test_every_bad_cell_of_the_new_sheets_is_named_and_nothing_is_written(
        database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "bad.xlsx", bad_casework())

    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, path)
    with pytest.raises(WorkbookRejected):
        apply_import(database, read_workbook(path))

    named = {(p.sheet, p.row, p.column, p.value) for p in caught.value.problems}
    assert named == BAD_CELLS
    by_cell = {(p.sheet, p.row, p.column): p.message for p in caught.value.problems}
    assert by_cell["Complaints", 4, "Panel report received"] == (
        "Panel report received (10/07/2024) is before Panel held (20/07/2024).")
    assert by_cell["Actions", 4, "Case"] == (
        "No complaint or dispute resolution case has reference “NOWHERE-9”.")
    assert "Ombudsman recommendation" in by_cell["Actions", 2, "Kind"]
    assert "Actions, row 4, column Case (value “NOWHERE-9”)" in str(caught.value)
    assert [count(database, model) for model in (Complaint, Action, OmbudsmanLetter)] == [0, 0, 0]


def test_a_rejected_workbook_without_a_database_still_names_a_missing_case(tmp_path: Path
                                                                           ) -> None:
    """`cscdesk import` into a database file not yet made checks against the workbook alone."""
    path = write_workbook(tmp_path / "bad.xlsx", bad_casework())
    try:
        read_workbook(path)
    except WorkbookRejected as rejected:
        problems = with_database_checks(None, rejected).problems
    named = {(p.sheet, p.row, p.column, p.value) for p in problems}
    assert named == BAD_CELLS


def test_a_case_in_the_same_workbook_or_stored_is_accepted(database, tmp_path: Path) -> None:
    with database.transaction() as session:
        records.save(session, DisputeData("DR-OLD", date(2024, 1, 10), "Fostering"))
    path = write_workbook(tmp_path / "cases.xlsx", {
        "Actions": [ACTION_HEADER,
                    ["A-1", "2024-07-01", "NEW-1", "Learning", "Fostering", "Train",
                     "2024-08-01"],
                    ["A-2", "2024-07-01", "DR-NEW", "Learning", "Fostering", "Log better",
                     "2024-08-01"],
                    ["A-3", "2024-07-01", "DR-OLD", "Learning", "Fostering", "Review",
                     "2024-08-01"]],
        "Complaints": [COMPLAINT_HEADER[:4], ["NEW-1", "2024-06-03", 1, "Fostering"]],
        "Dispute resolution": [["Reference", "Raised", "Team"],
                               ["DR-NEW", "2024-06-03", "Fostering"]],
    })

    result = apply_import(database, read_workbook(path))

    assert result.counts["Actions"].created == 3
    actions = stored(database, Kind.ACTION)
    assert {ref: action.case_reference for ref, action in actions.items()} == {
        "A-1": "NEW-1", "A-2": "DR-NEW", "A-3": "DR-OLD"}


def test_an_action_whose_case_is_missing_is_refused(database, tmp_path: Path) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData(reference="C-1", received=date(2024, 5, 1), stage=1,
                                            team="Fostering"))
    path = write_workbook(tmp_path / "missing.xlsx", {
        "Actions": [ACTION_HEADER,
                    ["A-1", "2024-07-01", "C-1", "Learning", "Fostering", "Fine", "2024-08-01"],
                    ["A-2", "2024-07-01", "c-1", "Learning", "Fostering", "Wrong case",
                     "2024-08-01"]],
    })

    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, path)

    assert [(p.sheet, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("Actions", 3, "Case", "c-1")]
    assert count(database, Action) == 0


def test_the_casework_columns_are_optional_and_checked_with_stored_values(
        database, tmp_path: Path) -> None:
    """A workbook without the new columns keeps the stored steps; one that brings a step out of
    order with a stored one is refused at the cell it gives."""
    source = write_workbook(tmp_path / "full.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from", "Panel held",
                        "Panel report received", "LGO referred", "LGO outcome", "LGO decided"],
                       ["C-1", "2024-04-01", 1, "Fostering"],
                       ["C-2", "2024-05-01", 2, "Fostering", "C-1"],
                       ["C-3", "2024-06-03", 3, "Fostering", "C-2", "15/07/2024", "19/07/2024",
                        "2024-09-01", "Premature", "2024-09-20"]],
    })
    apply_import(database, read_workbook(source))
    plain = write_workbook(tmp_path / "plain.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from", "LGO referred"],
                       ["C-3", "2024-06-03", 3, "Fostering", "C-2", "2024-09-01"]],
    })

    result = apply_import(database, read_workbook(plain))

    assert result.counts["Complaints"].unchanged == 1
    kept = stored(database, Kind.COMPLAINT)["C-3"]
    assert isinstance(kept, ComplaintData)
    assert (kept.panel_held, kept.panel_report, kept.lgo_outcome, kept.lgo_decided) == (
        date(2024, 7, 15), date(2024, 7, 19), LgoOutcome.PREMATURE, date(2024, 9, 20))

    early = write_workbook(tmp_path / "early.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from", "LGO referred",
                        "Panel report received"],
                       ["C-3", "2024-06-03", 3, "Fostering", "C-2", "2024-09-01",
                        "10/07/2024"]],
    })
    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, early)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Complaints", 2, "Panel report received", "10/07/2024")
    assert problem.message == ("Panel report received (10/07/2024) is before Panel held "
                               "(15/07/2024). (the stored Panel held is kept because the sheet "
                               "has no such column)")

    # LGO referred is one of rules.md's columns: absent, it is empty, and the stored decision
    # (kept) then needs it.
    unreferred = write_workbook(tmp_path / "unreferred.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from"],
                       ["C-3", "2024-06-03", 3, "Fostering", "C-2"]],
    })
    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(database, unreferred)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Complaints", 2, "LGO referred", "")
    assert problem.message == ("An LGO decision needs the date it was referred. (the stored "
                               "LGO outcome and LGO decided are kept because the sheet has no "
                               "such column)")


def test_the_casework_exports_and_imports_into_an_empty_database(
        database, tmp_path: Path) -> None:
    from cscdesk.store.engine import open_database

    with database.transaction() as session:
        records.save(session, ComplaintData(
            reference="C-3", received=date(2024, 6, 3), stage=3, team="Fostering",
            panel_held=date(2024, 7, 15), panel_report=date(2024, 7, 19),
            responded=date(2024, 8, 5), lgo_referred=date(2024, 9, 1),
            lgo_outcome=LgoOutcome.UPHELD_NO_INJUSTICE, lgo_decided=date(2024, 12, 2),
            lgo_remedy="Review the letter", lgo_compliance_due=date(2025, 1, 31)))
        records.save(session, ActionData(
            "A-1", date(2024, 12, 3), "C-3", ActionKind.REMEDY, "Fostering", "Pay £150",
            date(2025, 1, 31), date(2025, 1, 20), "Paid by BACS", Decimal("150.25"),
            date(2025, 1, 20)))
        session.add(OmbudsmanLetter(year=2024, decided=7, upheld_percent=43,
                                    satisfactory_remedy_percent=0))
    exported = export_workbook(database, tmp_path / "out.xlsx")
    assert exported.counts["Actions"] == 1 and exported.counts["Ombudsman letters"] == 1

    empty = open_database(tmp_path / "empty.db")
    try:
        result = apply_import(empty, read_workbook(exported.path))
        assert result.counts["Actions"].created == 1
        for kind in (Kind.COMPLAINT, Kind.ACTION):
            assert stored(empty, kind) == stored(database, kind)
        assert letters(empty) == letters(database) == {2024: (7, 43, None, 0, None)}
        again = apply_import(empty, read_workbook(exported.path))
        assert all(counts.unchanged == counts.total for counts in again.counts.values())
    finally:
        empty.close()
