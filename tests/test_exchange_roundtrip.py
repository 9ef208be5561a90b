"""Import -> export -> import into an empty database -> export: every value of every kind
survives, awkward text stays text, and importing twice changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from cscdesk.domain.kinds import (
    ActionData,
    ActionKind,
    ComplainantType,
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Kind,
    LgoOutcome,
    Outcome,
)
from cscdesk.exchange import apply_import, export_workbook, plan_import, read_workbook
from cscdesk.store import records
from cscdesk.store.engine import open_database
from cscdesk.store.models import (
    AuditEvent,
    BaselineTeamCount,
    BaselineYear,
    Complaint,
    OmbudsmanLetter,
    RootCause,
    Team,
)
from workbooks import (
    ACTION_HEADER,
    COMPLAINT_HEADER,
    LETTER_HEADER,
    copied_database,
    read_sheets,
    write_workbook,
)

AWKWARD = "=SUM(A1)"
PHONE = "+44 7700 900123"
MARKUP = "AT&T <p> Through Care <North>"
ACCENTS = "Zoë Brontë-Ó'Súilleabháin £1,800 – “quoted”"
MINUS = "-not a number"
AT = "@mention"
MULTILINE = "First line\nSecond line"


@pytest.fixture
def database(db_path: Path):
    """A fresh real database file (copied from one built once; see workbooks.copied_database)."""
    yield from copied_database(db_path)


# The casework columns of the Complaints sheet (optional, beyond rules.md), and their cells.
STEPS = ["Statement agreed", "Investigating officer", "Investigating officer appointed",
         "Independent person", "Independent person appointed", "Investigation report received",
         "Panel held", "Panel report received", "LGO outcome", "LGO decided",
         "LGO remedy recommended", "LGO compliance due", "LGO complied"]
STEP_CELLS: dict[str, list[object]] = {
    "C-002": ["10/06/2024", "Ms Ivy Officer", date(2024, 6, 11), ACCENTS, "2024-06-12",
              "28/06/2024", None, None, None, None, None, None, None],
    "C-003": [None, None, None, None, None, None, date(2024, 9, 20), "25/09/2024",
              " not UPHELD ", date(2025, 1, 15), MARKUP, "2025-03-01", date(2025, 2, 20)],
}


def with_steps(rows: list[list[object]]) -> list[list[object]]:
    """The Complaints rows with the casework columns added (blank where a row has none)."""
    header, *data = rows
    return [[*header, *STEPS],
            *([*row, *STEP_CELLS.get(str(row[0]), [None] * len(STEPS))] for row in data)]


def source_sheets() -> dict[str, list[list[object]]]:
    """Every kind, every column, awkward text, and Stage 2 and 3 listed before their source;
    actions naming complaints and a dispute case, some listed before their case."""
    extras = ["Complainant type", "Acknowledged", "Notes"]
    return {
        "Complaints": with_steps([
            [*COMPLAINT_HEADER, *extras],
            ["C-003", "2024-09-02", "3", "Through Care", "yes", "2024-10-01", "2024-10-14",
             "Not upheld", None, None, "No", None, "C-002", date(2024, 11, 1), "Not upheld by LGO",
             "", "", "", None, ""],
            ["C-002", date(2024, 6, 3), 2.0, "through care", "", None, "01/07/2024",
             "partially UPHELD", "Communication", MULTILINE, "Yes", None, "C-001", None, None,
             PHONE, MARKUP, "Parent or carer", "2024-06-04", AT],
            ["C-001", date(2024, 5, 3), 1, "Through Care", "No", date(2024, 5, 17),
             date(2024, 5, 20), "Upheld", "communication ", "Call back promptly", "Yes", 1800.5,
             None, None, None, AWKWARD, ACCENTS, "child or young person", date(2024, 5, 3),
             MINUS],
            ["C-004", "2024-07-01", 1, "Fostering", None, None, None, None, None, None, None,
             None, None, None, None, None, None, None, None, None],
            ["C-005", "31/03/2025", 1, "Fostering", "No", None, "2025-04-02", "Cancelled",
             None, None, "yes", 0, None, None, None, None, None, "Other", None, None],
        ]),
        "Initial feedback": [
            ["Reference", "Received", "Team", "Resolved", "Summary"],
            ["IF-1", date(2024, 4, 1), "Fostering", date(2024, 4, 2), AWKWARD],
            ["IF-2", "2025-03-31", "Leaving Care", None, None],
        ],
        "Enquiries": [
            ["Reference", "Received", "Source", "Team", "Enquirer", "Responded", "Summary"],
            ["E-1", date(2024, 4, 10), "MP", "Fostering", "A. Member MP", date(2024, 4, 20), PHONE],
            ["E-2", date(2024, 4, 11), "mep", "Leaving Care", None, None, None],
            ["E-3", date(2024, 4, 12), "Member", "Through Care", "Cllr Ó", None, MARKUP],
        ],
        "Compliments": [
            ["Reference", "Received", "Team", "Summary"],
            ["K-1", date(2024, 8, 1), "Through Care", ACCENTS],
            ["K-2", date(2024, 8, 2), "Fostering", None],
        ],
        "Dispute resolution": [
            ["Reference", "Raised", "Team", "Resolved", "Summary"],
            ["D-1", date(2024, 9, 1), "Through Care", date(2024, 9, 30), AT],
            ["D-2", "2024-09-02", "ÉQUIPE Ouest", None, None],
            ["D-3", "2024-09-03", "équipe ouest", None, None],
        ],
        "Baseline figures": [
            ["Year", "Initial feedback", "Stage 1", "Stage 2", "Stage 3", "ADR cases",
             "ADR saving", "Cases closed", "Cases cancelled", "Upheld %", "Timeliness %",
             "LGO complaints", "Dispute resolution", "Enquiries MP", "Enquiries MEP",
             "Enquiries Members", "Compliments"],
            ["2017/18", 33, 48, 5, 1, 6, 1800, 45, 2, 40, "71%", 3, 13, 20, 1, 30, 25],
            ["2016-17", 30, None, None, None, None, 99.99, None, None, None, None, None, None,
             None, None, None, 0],
        ],
        "Baseline by team": [
            ["Year", "Table", "Team", "Count"],
            ["2017/18", "Closed volume", "Through Care", 12],
            ["2017/18", "upheld", "through care", 5],
            ["2017/18", "Enquiries Members", "Children in Care Council", 7],
            ["2017", "Compliments", "Fostering", 9],
        ],
        "Actions": [
            ACTION_HEADER,
            ["A-1", date(2025, 1, 20), "C-003", "OMBUDSMAN recommendation", "through care",
             AWKWARD, "01/03/2025", date(2025, 2, 20), MULTILINE, None, None],
            ["A-2", "2024-10-01", "D-1", "learning /  service improvement", "Fostering",
             "Review how disputes are logged", date(2025, 1, 31), None, None, None, None],
            ["A-3", "2024-05-21", "C-001", "Remedy for the complainant", "Through Care",
             ACCENTS, "2024-06-21", "2024-06-14", PHONE, "£1,250.75", "14/06/2024"],
        ],
        "Ombudsman letters": [
            LETTER_HEADER,
            ["2023/24", 12, 58, "100%", 25, 62],
            ["2024-25", None, 40, None, None, None],
        ],
    }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "source.xlsx", source_sheets())


def load_all(db, kind: Kind) -> dict[str, object]:
    model = records.MODEL_OF[kind]
    with db.session() as session:
        references = session.scalars(select(model.reference)).all()
        return {ref: records.load(session, kind, ref) for ref in references}


def test_every_value_of_every_kind_is_stored(database, source: Path) -> None:
    result = apply_import(database, read_workbook(source))

    assert {sheet: (c.created, c.updated, c.unchanged) for sheet, c in result.counts.items()} == {
        "Complaints": (5, 0, 0), "Initial feedback": (2, 0, 0), "Enquiries": (3, 0, 0),
        "Compliments": (2, 0, 0), "Dispute resolution": (3, 0, 0),
        "Baseline figures": (2, 0, 0), "Baseline by team": (4, 0, 0),
        "Actions": (3, 0, 0), "Ombudsman letters": (2, 0, 0),
    }
    assert result.teams_added == ["Through Care", "Fostering", "Leaving Care", "ÉQUIPE Ouest",
                                  "Children in Care Council"]
    assert result.root_causes_added == ["Communication"]
    complaints = load_all(database, Kind.COMPLAINT)
    assert complaints["C-001"] == ComplaintData(
        reference="C-001", received=date(2024, 5, 3), stage=1, team="Through Care",
        extended=False, responded=date(2024, 5, 17), closed=date(2024, 5, 20),
        outcome=Outcome.UPHELD, root_cause="Communication", learning="Call back promptly",
        adr=True, adr_saving=Decimal("1800.5"), escalated_from="", lgo_referred=None,
        lgo_decision="", complainant=AWKWARD, summary=ACCENTS,
        complainant_type=ComplainantType.CHILD, acknowledged=date(2024, 5, 3), notes=MINUS,
    )
    assert complaints["C-002"] == ComplaintData(
        reference="C-002", received=date(2024, 6, 3), stage=2, team="Through Care",
        extended=False, responded=None, closed=date(2024, 7, 1),
        outcome=Outcome.PARTIALLY_UPHELD, root_cause="Communication", learning=MULTILINE,
        adr=True, adr_saving=None, escalated_from="C-001", complainant=PHONE, summary=MARKUP,
        complainant_type=ComplainantType.PARENT, acknowledged=date(2024, 6, 4), notes=AT,
        statement_agreed=date(2024, 6, 10), investigating_officer="Ms Ivy Officer",
        officer_appointed=date(2024, 6, 11), independent_person=ACCENTS,
        person_appointed=date(2024, 6, 12), report_received=date(2024, 6, 28),
    )
    assert complaints["C-003"].escalated_from == "C-002"
    assert complaints["C-003"].extended is True
    assert complaints["C-003"].lgo_referred == date(2024, 11, 1)
    c003 = complaints["C-003"]
    assert (c003.panel_held, c003.panel_report) == (date(2024, 9, 20), date(2024, 9, 25))
    assert (c003.lgo_outcome, c003.lgo_decided, c003.lgo_remedy) == (
        LgoOutcome.NOT_UPHELD, date(2025, 1, 15), MARKUP)
    assert (c003.lgo_compliance_due, c003.lgo_complied) == (date(2025, 3, 1), date(2025, 2, 20))
    assert complaints["C-001"].statement_agreed is None and complaints["C-001"].lgo_outcome is None
    assert load_all(database, Kind.ACTION) == {
        "A-1": ActionData("A-1", date(2025, 1, 20), "C-003", ActionKind.OMBUDSMAN, "Through Care",
                          AWKWARD, date(2025, 3, 1), date(2025, 2, 20), MULTILINE),
        "A-2": ActionData("A-2", date(2024, 10, 1), "D-1", ActionKind.LEARNING, "Fostering",
                          "Review how disputes are logged", date(2025, 1, 31)),
        "A-3": ActionData("A-3", date(2024, 5, 21), "C-001", ActionKind.REMEDY, "Through Care",
                          ACCENTS, date(2024, 6, 21), date(2024, 6, 14), PHONE,
                          Decimal("1250.75"), date(2024, 6, 14)),
    }
    assert complaints["C-004"] == ComplaintData(
        reference="C-004", received=date(2024, 7, 1), stage=1, team="Fostering")
    assert complaints["C-005"].outcome is Outcome.CANCELLED
    assert complaints["C-005"].adr_saving == Decimal(0)
    assert load_all(database, Kind.INITIAL_FEEDBACK) == {
        "IF-1": InitialFeedbackData("IF-1", date(2024, 4, 1), "Fostering", date(2024, 4, 2),
                                    AWKWARD),
        "IF-2": InitialFeedbackData("IF-2", date(2025, 3, 31), "Leaving Care"),
    }
    enquiries = load_all(database, Kind.ENQUIRY)
    assert enquiries["E-1"] == EnquiryData("E-1", date(2024, 4, 10), EnquirySource.MP,
                                           "Fostering", "A. Member MP", date(2024, 4, 20), PHONE)
    assert enquiries["E-2"].source is EnquirySource.MEP
    assert enquiries["E-3"].source is EnquirySource.MEMBER
    assert load_all(database, Kind.COMPLIMENT)["K-1"] == ComplimentData(
        "K-1", date(2024, 8, 1), "Through Care", ACCENTS)
    assert load_all(database, Kind.DISPUTE) == {
        "D-1": DisputeData("D-1", date(2024, 9, 1), "Through Care", date(2024, 9, 30), AT),
        "D-2": DisputeData("D-2", date(2024, 9, 2), "ÉQUIPE Ouest"),
        "D-3": DisputeData("D-3", date(2024, 9, 3), "ÉQUIPE Ouest"),
    }
    with database.session() as session:
        due = dict(session.execute(select(Complaint.reference, Complaint.due)).all())
        baseline = {row.year: row for row in session.scalars(select(BaselineYear))}
        counts = session.execute(
            select(BaselineTeamCount.year, BaselineTeamCount.table, Team.name,
                   BaselineTeamCount.count).join(Team)
        ).all()
        letters = letter_figures(session)
    # Friday 3 May 2024, Stage 1: 6 May is a bank holiday, so due Monday 20 May.
    assert due["C-001"] == date(2024, 5, 20)
    assert baseline[2017].stage1 == 48 and baseline[2017].timeliness_percent == 71
    assert baseline[2017].adr_saving_pence == 180000
    assert baseline[2016].adr_saving_pence == 9999 and baseline[2016].stage1 is None
    assert baseline[2016].compliments == 0
    assert sorted(counts) == [
        (2017, "closed_volume", "Through Care", 12),
        (2017, "compliments", "Fostering", 9),
        (2017, "enquiries_member", "Children in Care Council", 7),
        (2017, "upheld", "Through Care", 5),
    ]
    assert letters == {2023: (12, 58, 100, 25, 62), 2024: (None, 40, None, None, None)}


def letter_figures(session) -> dict[int, tuple[int | None, ...]]:
    return {row.year: (row.decided, row.upheld_percent, row.compliance_percent,
                       row.satisfactory_remedy_percent, row.similar_upheld_percent)
            for row in session.scalars(select(OmbudsmanLetter))}


def test_export_import_export_gives_identical_workbooks(database, source: Path,
                                                         tmp_path: Path) -> None:
    apply_import(database, read_workbook(source))
    first = export_workbook(database, tmp_path / "first.xlsx").path
    second_db = open_database(tmp_path / "second.db")
    try:
        result = apply_import(second_db, read_workbook(first))
        assert all(c.created == c.total for c in result.counts.values())
        second = export_workbook(second_db, tmp_path / "second.xlsx").path
        for kind in Kind:
            assert load_all(second_db, kind) == load_all(database, kind)
        with second_db.session() as session:
            second_letters = letter_figures(session)
    finally:
        second_db.close()
    with database.session() as session:
        assert second_letters == letter_figures(session)

    assert read_sheets(first) == read_sheets(second)
    sheets = read_sheets(first)
    assert list(sheets) == ["Complaints", "Initial feedback", "Enquiries", "Compliments",
                            "Dispute resolution", "Actions", "Baseline figures",
                            "Baseline by team", "Ombudsman letters"]
    header, *rows = sheets["Complaints"]
    assert header == [c.rstrip("*") for c in COMPLAINT_HEADER] + [
        "Complainant type", "Acknowledged", "Notes", *STEPS]
    c001 = dict(zip(header, next(r for r in rows if r[0] == "C-001"), strict=True))
    assert c001["Complainant"] == AWKWARD and c001["Summary"] == ACCENTS
    assert c001["Received"] == date(2024, 5, 3) and c001["ADR saving"] == 1800.5
    assert c001["Extended"] == "No" and c001["ADR"] == "Yes" and c001["Stage"] == 1.0
    assert c001["Root cause"] == "Communication" and c001["Notes"] == MINUS
    assert sheets["Baseline figures"][1][:3] == ["2016/17", 30, ""]
    assert sheets["Baseline by team"][1] == ["2017/18", "Closed volume", "Through Care", 12]
    c003 = dict(zip(header, next(r for r in rows if r[0] == "C-003"), strict=True))
    assert c003["Panel held"] == date(2024, 9, 20) and c003["LGO outcome"] == "Not upheld"
    assert c003["LGO remedy recommended"] == MARKUP
    action_header, *actions = sheets["Actions"]
    assert action_header == ["Reference", "Agreed", "Case", "Kind", "Team", "What", "Due",
                             "Done", "Evidence", "Amount", "Paid"]
    assert [row[0] for row in actions] == ["A-3", "A-2", "A-1"]  # by Agreed
    assert actions[0][3:] == ["Remedy for the complainant", "Through Care", ACCENTS,
                              date(2024, 6, 21), date(2024, 6, 14), PHONE, 1250.75,
                              date(2024, 6, 14)]
    assert sheets["Ombudsman letters"] == [
        ["Year", "Complaints decided", "Upheld %", "Compliance %", "Satisfactory remedy %",
         "Similar councils upheld %"],
        ["2023/24", 12, 58, 100, 25, 62], ["2024/25", "", 40, "", "", ""]]


def test_export_writes_formula_like_text_as_text_and_real_dates(database, source: Path,
                                                                tmp_path: Path) -> None:
    apply_import(database, read_workbook(source))
    target = export_workbook(database, tmp_path / "out.xlsx").path

    sheet = openpyxl.load_workbook(target)["Complaints"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "C-001")
    complainant = row[header.index("Complainant")]
    assert complainant.data_type == "s" and complainant.value == AWKWARD
    notes = row[header.index("Notes")]
    assert notes.data_type == "s" and notes.value == MINUS
    received = row[header.index("Received")]
    assert received.is_date and received.number_format == "dd/mm/yyyy"
    assert row[header.index("ADR saving")].data_type == "n"
    phone = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "C-002")
    assert phone[header.index("Complainant")].value == PHONE


def test_importing_twice_changes_nothing(database, source: Path) -> None:
    parsed = read_workbook(source)
    apply_import(database, parsed)
    with database.session() as session:
        stamps = session.execute(select(Complaint.reference, Complaint.updated_at)).all()
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        teams = session.scalar(select(func.count()).select_from(Team))

    plan = plan_import(database, read_workbook(source))
    again = apply_import(database, read_workbook(source))

    for counts in (plan.counts, again.counts):
        assert all(c.unchanged == c.total and c.total > 0 for c in counts.values())
    assert plan.teams_added == [] and again.root_causes_added == []
    with database.session() as session:
        assert session.execute(select(Complaint.reference, Complaint.updated_at)).all() == stamps
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
        assert session.scalar(select(func.count()).select_from(Team)) == teams
        assert session.scalar(select(func.count()).select_from(RootCause)) == 1


def test_a_changed_row_is_updated_and_audited(database, source: Path, tmp_path: Path) -> None:
    apply_import(database, read_workbook(source))
    sheets = source_sheets()
    c004 = next(row for row in sheets["Complaints"] if row[0] == "C-004")
    c004[4] = "Yes"  # Extended
    sheets["Baseline by team"][1][3] = 13
    changed = write_workbook(tmp_path / "changed.xlsx", sheets)

    plan = plan_import(database, read_workbook(changed))
    result = apply_import(database, read_workbook(changed))

    for counts in (plan.counts, result.counts):
        assert (counts["Complaints"].updated, counts["Complaints"].unchanged) == (1, 4)
        assert (counts["Baseline by team"].updated, counts["Baseline by team"].unchanged) == (1, 3)
    with database.session() as session:
        row = session.scalars(select(Complaint).where(Complaint.reference == "C-004")).one()
        assert row.extended is True and row.due == date(2024, 7, 29)  # 20 working days
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.reference) == ("update", "C-004")
    assert "Extended" in last.changes


def test_missing_extra_columns_keep_stored_values(database, source: Path,
                                                  tmp_path: Path) -> None:
    apply_import(database, read_workbook(source))
    sheets = source_sheets()
    sheets = {"Complaints": [row[:17] for row in sheets["Complaints"]]}
    plain = write_workbook(tmp_path / "plain.xlsx", sheets)

    result = apply_import(database, read_workbook(plain))

    assert result.counts["Complaints"].unchanged == 5
    complaints = load_all(database, Kind.COMPLAINT)
    assert complaints["C-001"].notes == MINUS
    assert complaints["C-002"].investigating_officer == "Ms Ivy Officer"
    assert complaints["C-003"].panel_report == date(2024, 9, 25)
    assert complaints["C-003"].lgo_outcome is LgoOutcome.NOT_UPHELD


def test_headers_match_without_case_spaces_or_star(database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "loose.xlsx", {
        "  compliments ": [["  REFERENCE *", "received", "Team*", " summary"],
                           ["K-9", "2024-05-01", "Fostering", "thanks"]],
    })
    result = apply_import(database, read_workbook(path))
    assert result.counts["Compliments"].created == 1
    assert load_all(database, Kind.COMPLIMENT)["K-9"].summary == "thanks"


def test_escalation_may_name_a_stored_complaint(database, tmp_path: Path) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData(reference="OLD-1", received=date(2024, 1, 8),
                                            stage=1, team="Fostering"))
    path = write_workbook(tmp_path / "later.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from"],
                       ["NEW-2", "2024-02-01", 2, "Fostering", "OLD-1"]],
    })
    apply_import(database, read_workbook(path))
    assert load_all(database, Kind.COMPLAINT)["NEW-2"].escalated_from == "OLD-1"


def test_progress_is_reported_up_to_the_total(database, source: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    apply_import(database, read_workbook(source), progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (26, 26)
    exported: list[tuple[int, int]] = []
    export_workbook(database, tmp_path / "p.xlsx", progress=lambda d, t: exported.append((d, t)))
    assert exported[-1] == (26, 26)


def test_a_workbook_saved_by_another_program_imports(database, tmp_path: Path) -> None:
    """openpyxl writes shared strings and styles differently from XlsxWriter, as Excel does."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Enquiries"
    sheet.append(["Reference *", "Received *", "Source *", "Team *", "Responded"])
    sheet.append(["E-100", date(2024, 4, 2), "Member", "Fostering", 45390])
    sheet["B2"].number_format = "dd/mm/yyyy"
    sheet.append([])
    sheet.append([101, "02/04/2024", "MP", "Fostering", None])
    path = tmp_path / "other.xlsx"
    book.save(path)

    apply_import(database, read_workbook(path))

    enquiries = load_all(database, Kind.ENQUIRY)
    assert enquiries["E-100"].responded == date(2024, 4, 8)
    assert enquiries["101"].received == date(2024, 4, 2)


def test_an_empty_sheet_holds_no_records(database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "empty.xlsx", {
        "Compliments": [], "Enquiries": [["Reference", "Received", "Source", "Team"]]})
    result = apply_import(database, read_workbook(path))
    assert {sheet: counts.total for sheet, counts in result.counts.items()} == {
        "Enquiries": 0, "Compliments": 0}
