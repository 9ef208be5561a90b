"""The demo database: its 2018/19 appendix figures, checked by SQL written here from rules.md.

The figures are computed with plain sqlite3 in this file, not with the product's figures engine,
so a mistake in either shows up as a disagreement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cscdesk.demo import create_demo_database
from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.errors import DatabaseError

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_database(path, today=TODAY)
    return path


@pytest.fixture
def sql(demo: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{demo}?mode=ro", uri=True)
    yield connection
    connection.close()


# --- rules.md, straight into SQL ---------------------------------------------------------------
def bounds(year: int) -> tuple[str, str]:
    return f"{year}-04-01", f"{year + 1}-03-31"


def percent(part: int, whole: int) -> str:
    """Whole percent rounded half up; a rate over nothing is N/A."""
    return "N/A" if whole == 0 else f"{(200 * part + whole) // (2 * whole)}%"


def one(sql: sqlite3.Connection, query: str, year: int) -> int:
    return sql.execute(query, bounds(year)).fetchone()[0] or 0


def comparison_row(sql: sqlite3.Connection, year: int) -> dict[str, object]:
    received = "received BETWEEN ? AND ?"
    closed = one(sql, "SELECT count(*) FROM complaint WHERE closed BETWEEN ? AND ? "
                      "AND outcome <> 'Cancelled'", year)
    upheld = one(sql, "SELECT count(*) FROM complaint WHERE closed BETWEEN ? AND ? "
                      "AND outcome IN ('Upheld', 'Partially upheld')", year)
    due = one(sql, "SELECT count(*) FROM complaint WHERE due BETWEEN ? AND ? "
                   "AND (outcome IS NULL OR outcome <> 'Cancelled')", year)
    on_time = one(sql, "SELECT count(*) FROM complaint WHERE due BETWEEN ? AND ? "
                       "AND (outcome IS NULL OR outcome <> 'Cancelled') "
                       "AND responded IS NOT NULL AND responded <= due", year)
    return {
        "initial_feedback": one(sql, f"SELECT count(*) FROM initial_feedback WHERE {received}",
                                year),
        "stage1": one(sql, f"SELECT count(*) FROM complaint WHERE stage = 1 AND {received}", year),
        "stage2": one(sql, f"SELECT count(*) FROM complaint WHERE stage = 2 AND {received}", year),
        "stage3": one(sql, f"SELECT count(*) FROM complaint WHERE stage = 3 AND {received}", year),
        "adr": one(sql, f"SELECT count(*) FROM complaint WHERE adr AND {received}", year),
        "closed": closed,
        "cancelled": one(sql, "SELECT count(*) FROM complaint WHERE closed BETWEEN ? AND ? "
                              "AND outcome = 'Cancelled'", year),
        "upheld": percent(upheld, closed),
        "timeliness": percent(on_time, due),
    }


def representations(sql: sqlite3.Connection, year: int) -> int:
    return sum(
        one(sql, f"SELECT count(*) FROM {table} WHERE received BETWEEN ? AND ?", year)
        for table in ("initial_feedback", "complaint", "enquiry", "compliment")
    )


def closed_by_team(sql: sqlite3.Connection, year: int) -> dict[str, tuple[int, int]]:
    rows = sql.execute(
        "SELECT team.name, count(*), sum(outcome IN ('Upheld', 'Partially upheld')) "
        "FROM complaint JOIN team ON team.id = complaint.team_id "
        "WHERE closed BETWEEN ? AND ? AND outcome <> 'Cancelled' GROUP BY team.name",
        bounds(year),
    )
    return {name: (volume, upheld) for name, volume, upheld in rows}


def area_cell(volume: int, upheld: int) -> str:
    if volume == 0:
        return "N/A"
    return "0%" if upheld == 0 else f"{percent(upheld, volume)} ({upheld})"


def upheld_by_area(sql: sqlite3.Connection, year: int) -> list[tuple[str, int, str, int, str]]:
    before, now = closed_by_team(sql, year - 1), closed_by_team(sql, year)
    rows = []
    for team in sorted(set(before) | set(now), key=str.lower):
        v1, u1 = before.get(team, (0, 0))
        v2, u2 = now.get(team, (0, 0))
        rows.append((team, v1, area_cell(v1, u1), v2, area_cell(v2, u2)))
    return rows


def root_causes(sql: sqlite3.Connection, year: int) -> list[tuple[str, list[str]]]:
    upheld = ("closed BETWEEN ? AND ? AND outcome IN ('Upheld', 'Partially upheld') "
              "AND root_cause_id IS NOT NULL")
    top = sql.execute(
        f"SELECT root_cause.id, root_cause.name FROM complaint "
        f"JOIN root_cause ON root_cause.id = complaint.root_cause_id WHERE {upheld} "
        f"GROUP BY root_cause.id ORDER BY count(*) DESC, lower(root_cause.name) LIMIT 3",
        bounds(year),
    ).fetchall()
    themes = []
    for cause_id, name in top:
        texts = sql.execute(
            f"SELECT learning FROM complaint WHERE {upheld} AND root_cause_id = ? "
            f"AND trim(learning) <> '' GROUP BY learning ORDER BY min(closed)",
            (*bounds(year), cause_id),
        ).fetchall()
        themes.append((name, [text for (text,) in texts]))
    return themes


def by_team(sql: sqlite3.Connection, query: str, year: int) -> list[tuple[str, int]]:
    """Count by team, most first, ties by name."""
    rows = sql.execute(query, bounds(year)).fetchall()
    return sorted(rows, key=lambda row: (-row[1], row[0].lower()))


def enquiries(sql: sqlite3.Connection, year: int, source: str) -> list[tuple[str, int]]:
    return by_team(
        sql,
        "SELECT team.name, count(*) FROM enquiry JOIN team ON team.id = enquiry.team_id "
        f"WHERE received BETWEEN ? AND ? AND source = '{source}' GROUP BY team.name",
        year,
    )


def compliments(sql: sqlite3.Connection, year: int) -> list[tuple[str, int]]:
    return by_team(
        sql,
        "SELECT team.name, count(*) FROM compliment JOIN team ON team.id = compliment.team_id "
        "WHERE received BETWEEN ? AND ? GROUP BY team.name",
        year,
    )


# --- the example's figures --------------------------------------------------------------------
def test_the_comparison_table_is_the_examples(sql: sqlite3.Connection) -> None:
    assert comparison_row(sql, 2018) == {
        "initial_feedback": 62, "stage1": 39, "stage2": 0, "stage3": 0, "adr": 1,
        "closed": 35, "cancelled": 3, "upheld": "51%", "timeliness": "87%",
    }
    assert comparison_row(sql, 2017) == {
        "initial_feedback": 33, "stage1": 48, "stage2": 0, "stage3": 0, "adr": 6,
        "closed": 48, "cancelled": 2, "upheld": "40%", "timeliness": "83%",
    }


def test_representations_are_184_against_183(sql: sqlite3.Connection) -> None:
    assert representations(sql, 2018) == 184
    assert representations(sql, 2017) == 183


def test_adr_saving_dispute_resolution_and_lgo(sql: sqlite3.Connection) -> None:
    saving = one(sql, "SELECT sum(adr_saving_pence) FROM complaint WHERE adr "
                      "AND received BETWEEN ? AND ?", 2018)
    assert saving == 1800_00
    assert one(sql, "SELECT count(*) FROM dispute_resolution WHERE raised BETWEEN ? AND ?",
               2018) == 13
    assert one(sql, "SELECT count(*) FROM dispute_resolution WHERE raised BETWEEN ? AND ?",
               2017) == 0
    assert one(sql, "SELECT count(*) FROM complaint WHERE lgo_referred BETWEEN ? AND ?",
               2018) == 0


def test_upheld_by_area_follows_the_example_except_two_documented_rows(
    sql: sqlite3.Connection,
) -> None:
    assert upheld_by_area(sql, 2018) == [
        ("Adoption", 6, "83% (5)", 3, "67% (2)"),
        ("Aftercare", 0, "N/A", 2, "100% (2)"),  # example: 1, 100% (1)
        ("Child Protection / LADO", 4, "0%", 3, "33% (1)"),
        ("Children and Families Assessment Team CFAT", 7, "29% (2)", 5, "40% (2)"),
        ("Children Looked After", 4, "50% (2)", 0, "N/A"),
        ("Disabled Children", 3, "0%", 2, "50% (1)"),
        ("Family Support Team 1", 4, "50% (2)", 4, "25% (1)"),
        ("Family Support Team 2", 1, "0%", 2, "100% (2)"),
        ("Family Support Team 3", 2, "0%", 1, "0%"),
        ("Family Support Team 4", 6, "33% (2)", 2, "0%"),  # example: 10, 30% (3)
        ("Family Support Team 6", 2, "100% (2)", 1, "100% (1)"),
        ("Fostering", 1, "0%", 1, "100% (1)"),
        ("MASH", 1, "100% (1)", 2, "0%"),
        ("Oaktree", 0, "N/A", 2, "100% (2)"),
        ("Permanence/Court Work", 0, "N/A", 1, "100% (1)"),
        ("Prevention & Support Services", 2, "50% (1)", 0, "N/A"),
        ("Through Care 1", 3, "67% (2)", 2, "50% (1)"),
        ("Through Care 2", 1, "0%", 2, "50% (1)"),
        ("Unaccompanied Asylum Seekers", 1, "0%", 0, "N/A"),
    ]


def test_the_area_volumes_add_up_to_cases_closed(sql: sqlite3.Connection) -> None:
    for year, closed in ((2018, 35), (2017, 48)):
        assert sum(volume for volume, _ in closed_by_team(sql, year).values()) == closed


def test_root_causes_and_learning_are_the_examples_themes(sql: sqlite3.Connection) -> None:
    assert root_causes(sql, 2018) == [
        ("Communication", [
            "Any changes in scheduled supervised contact will be communicated to relatives in a "
            "timely manner.",
            "Staff given reflective practice sessions to attune themselves with how service "
            "changes impact users.",
            "Better handling of Letterbox administration to ensure birth relatives and adoptive "
            "parents maintain proper contact.",
            "Recruitment of staff to allow for resumption of life story book productions.",
        ]),
        ("Decision Making", [
            "Both sides of families to be contacted where children only live with one parent to "
            "ensure equal sharing of information.",
            "Staff retrained on LADO referrals and social workers to fully familiarise "
            "themselves with the case prior to initial meetings.",
        ]),
        ("Assessment", [
            "Policy to be drafted to address the issue of savings for children in care.",
            "Further training to be provided to staff to consider the impact that professional "
            "opinion and timekeeping has on cases.",
        ]),
    ]
    themes_2017 = root_causes(sql, 2017)
    assert [name for name, _ in themes_2017] == ["Communication", "Decision Making",
                                                 "Staff Conduct"]
    assert themes_2017[2][1] == ["These have been dealt with in-line with process."]
    assert len(themes_2017[0][1]) == 2


def test_enquiry_tables_are_the_examples_in_the_rules_order(sql: sqlite3.Connection) -> None:
    assert enquiries(sql, 2018, "MP") == [
        ("Family Support Team 4", 3), ("Adoption", 1), ("Disabled Children", 1),
        ("Family Support Team 3", 1), ("Family Support Team 5", 1), ("Finance", 1),
        ("Fostering", 1), ("Permanence/Court Work", 1), ("Through Care 3", 1),
    ]
    assert enquiries(sql, 2018, "MEP") == [
        ("CFAT", 3), ("Family Support Team 3", 3), ("Through Care 2", 3),
        ("Family Support Team 4", 2), ("Family Support Team 5", 2), ("Disabled Children", 1),
        ("Family Placement Service", 1), ("Family Support Team 1", 1),
        ("Family Support Team 2", 1), ("Through Care 1", 1),
    ]
    assert enquiries(sql, 2018, "Member") == [
        ("Child Protection/LADO", 6), ("CFAT", 5), ("Fostering", 3),
        ("Family Support Team 3", 2), ("Aftercare", 1), ("Commissioning", 1),
        ("Family Placement Service", 1), ("Family Support Team 2", 1),
        ("Family Support Team 4", 1), ("Family Support Team 5", 1), ("Family Support Team 6", 1),
        ("Finance", 1), ("Other", 1), ("Permanence/Court Work", 1), ("Through Care 2", 1),
        ("Through Care 3", 1),
    ]
    totals_2017 = [sum(n for _, n in enquiries(sql, 2017, s)) for s in ("MP", "MEP", "Member")]
    assert totals_2017 == [14, 21, 35]


def test_compliments_are_the_examples(sql: sqlite3.Connection) -> None:
    assert compliments(sql, 2018) == [
        ("Fostering", 6), ("CFAT", 4), ("Prevention & Support Service", 4), ("Adoption", 2),
        ("Family Support Team 4", 2), ("Safeguarding", 2), ("Through Care 1", 2),
        ("Aftercare", 1), ("Children in Public Care", 1), ("MASH", 1), ("Permanence", 1),
    ]
    assert sum(n for _, n in compliments(sql, 2017)) == 32


# --- the database as a whole --------------------------------------------------------------------
def test_every_record_is_valid_and_stored_as_generated(demo: Path) -> None:
    """Reading each record back through the store gives the generated record; every one passes
    validation and its due date is the working calendar's."""
    from cscdesk.demo.build import demo_records
    from cscdesk.domain.kinds import ComplaintData, kind_of
    from cscdesk.domain.validation import validate
    from cscdesk.store import lists, records
    from cscdesk.store.engine import open_database
    from cscdesk.store.models import Complaint

    database = open_database(demo)
    try:
        with database.session() as session:
            calendar = lists.working_calendar(session)
            assert calendar.extra_non_working_days == {date(2023, 12, 27)}
            expected = demo_records(TODAY, calendar)
            stored = {
                (kind, row.reference): row
                for kind, model in records.MODEL_OF.items()
                for row in session.query(model)
            }
            assert len(stored) == len(expected) > 1500
            stage_of = records.stage_lookup(session)
            for record in expected:
                row = stored[(kind_of(record), record.reference)]
                assert records.to_data(row) == record
                assert validate(record, stage_of) == []
                if isinstance(record, ComplaintData):
                    assert isinstance(row, Complaint)
                    assert row.due == calendar.response_due(row.received, row.stage,
                                                            row.extended)
    finally:
        database.close()


def test_today_has_open_and_overdue_cases_and_nothing_after_it(sql: sqlite3.Connection) -> None:
    today = TODAY.isoformat()
    overdue = sql.execute("SELECT count(*) FROM complaint WHERE closed IS NULL "
                          "AND responded IS NULL AND due < ?", (today,)).fetchone()[0]
    not_yet_due = sql.execute("SELECT count(*) FROM complaint WHERE closed IS NULL "
                              "AND due >= ?", (today,)).fetchone()[0]
    assert overdue >= 3 and not_yet_due >= 3
    assert sql.execute("SELECT count(*) FROM complaint WHERE closed IS NULL AND stage = 2 "
                       "AND escalated_from_id IS NOT NULL").fetchone()[0] >= 1
    for table, columns in {
        "complaint": ("received", "responded", "closed", "acknowledged", "lgo_referred"),
        "initial_feedback": ("received", "resolved"),
        "enquiry": ("received", "responded"),
        "compliment": ("received",),
        "dispute_resolution": ("raised", "resolved"),
    }.items():
        for column in columns:
            later = sql.execute(f"SELECT count(*) FROM {table} WHERE {column} > ?",
                                (today,)).fetchone()[0]
            assert later == 0, (table, column)
        placed = columns[0]
        assert one(sql, f"SELECT count(*) FROM {table} WHERE {placed} BETWEEN ? AND ?",
                   2026) > 0, table


def test_later_years_have_every_stage_lgo_referrals_and_no_meps_after_brexit(
    sql: sqlite3.Connection,
) -> None:
    assert sql.execute("SELECT count(DISTINCT stage) FROM complaint").fetchone()[0] == 3
    assert sql.execute("SELECT count(*) FROM complaint WHERE lgo_referred IS NOT NULL"
                       ).fetchone()[0] > 0
    assert sql.execute("SELECT count(*) FROM enquiry WHERE source = 'MEP' "
                       "AND received > '2020-01-31'").fetchone()[0] == 0


def test_an_existing_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "cases.db"
    target.write_bytes(b"the officer's real work")
    with pytest.raises(DatabaseError, match=r"already exists.*--force"):
        create_demo_database(target, today=TODAY)
    assert target.read_bytes() == b"the officer's real work"
    with pytest.raises(DatabaseError, match="is a folder"):
        create_demo_database(tmp_path, today=TODAY)


def test_replace_swaps_in_a_whole_new_database_and_leaves_no_temporary_files(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "cases.db"
    target.write_bytes(b"old")
    summary = create_demo_database(target, replace=True, today=TODAY)
    assert summary.path == target
    assert sorted(p.name for p in folder.iterdir()) == ["cases.db"]
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count = connection.execute("SELECT count(*) FROM complaint").fetchone()[0]
    connection.close()
    assert count == summary.counts[Kind.COMPLAINT] > 400


def test_a_failed_build_keeps_the_old_file_and_no_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "cases.db"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="needs a date after"):
        create_demo_database(target, replace=True, today=date(2018, 1, 1))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == ["cases.db"]


def test_the_command_prints_a_summary_and_refuses_to_overwrite(cli, tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    first = cli("--db", target, "demo")
    assert first.returncode == 0, first.stderr
    assert f"Demo database created: {target}" in first.stdout
    assert "2016/17" in first.stdout and "overdue" in first.stdout
    again = cli("--db", target, "demo")
    assert again.returncode == 1
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    forced = cli("demo", "--db", target, "--force")
    assert forced.returncode == 0, forced.stderr


def test_the_figures_engine_agrees_with_this_files_sql(sql: sqlite3.Connection) -> None:
    from cscdesk.domain.years import ReportingYear
    from cscdesk.report.figures import compute_figures

    figures = compute_figures(sql, ReportingYear(2018))
    for year, engine in ((2018, figures.current), (2017, figures.previous)):
        row = engine.comparison
        assert {
            "initial_feedback": row.initial_feedback, "stage1": row.stage1,
            "stage2": row.stage2, "stage3": row.stage3, "adr": row.adr_cases,
            "closed": row.closed, "cancelled": row.cancelled,
            "upheld": f"{row.upheld_percent}%", "timeliness": f"{row.timeliness_percent}%",
        } == comparison_row(sql, year)
        assert engine.representations == representations(sql, year)
        assert [(t.name, list(t.learning)) for t in engine.themes.themes] == root_causes(sql,
                                                                                      year)
        for source in engine.enquiries:
            assert [(t.team, t.count) for t in source.teams] == enquiries(sql, year,
                                                                          source.source)
        assert [(t.team, t.count) for t in engine.compliments_by_team] == compliments(sql, year)
    assert figures.current.adr_saving_pence == 1800_00
    assert figures.current.dispute_resolution == 13 and figures.current.lgo == 0
    assert [
        (r.team, r.previous_volume, area_cell(r.previous_volume, r.previous_upheld or 0),
         r.volume, area_cell(r.volume, r.upheld or 0))
        for r in figures.upheld_by_area
    ] == upheld_by_area(sql, 2018)


def test_a_database_that_is_open_is_not_replaced(tmp_path: Path) -> None:
    from cscdesk.store import records
    from cscdesk.store.engine import open_database

    target = tmp_path / "data" / "cases.db"
    database = open_database(target)
    try:
        with database.transaction() as session:
            records.save(session, ComplaintData(reference="KEEP-1", received=date(2024, 5, 3),
                                                stage=1, team="Fostering"))
        with pytest.raises(DatabaseError, match="is open"):
            create_demo_database(target, replace=True, today=TODAY)
        with database.session() as session:
            assert records.load(session, Kind.COMPLAINT, "KEEP-1") is not None
    finally:
        database.close()


def test_the_example_years_are_the_same_whatever_the_day() -> None:
    from cscdesk.demo.build import demo_records
    from cscdesk.domain.kind_spec import placing_date
    from cscdesk.domain.workdays import WorkingCalendar

    calendar = WorkingCalendar([date(2023, 12, 27)])

    def before_2019(today: date) -> list:
        return [r for r in demo_records(today, calendar) if placing_date(r) < date(2019, 4, 1)]

    assert before_2019(TODAY) == before_2019(date(2020, 4, 1)) == before_2019(date(2031, 3, 31))


def test_2015_16_is_hand_entered_and_adds_up(sql: sqlite3.Connection) -> None:
    from cscdesk.domain.years import ReportingYear
    from cscdesk.report.figures import compute_figures

    stage1, closed, upheld_percent = sql.execute(
        "SELECT stage1, closed, upheld_percent FROM baseline_year WHERE year = 2015").fetchone()
    tables = dict(sql.execute('SELECT "table", sum(count) FROM baseline_team_count '
                              "WHERE year = 2015 GROUP BY 1").fetchall())
    assert tables["closed_volume"] == closed == 41
    assert percent(tables["upheld"], closed) == f"{upheld_percent}%"
    assert one(sql, "SELECT count(*) FROM complaint WHERE received BETWEEN ? AND ?", 2015) == 0
    previous = compute_figures(sql, ReportingYear(2016)).previous
    assert previous.comparison.stage1 == stage1 == 44
    assert {"stage1", "closed", "upheld_by_area", "compliments"} <= previous.from_baseline


# --- casework: steps, Ombudsman decisions, actions, letters ---------------------------------------
def test_casework_is_invented_over_the_later_years_valid_and_in_order(
    sql: sqlite3.Connection,
) -> None:
    from cscdesk.demo.build import demo_records
    from cscdesk.domain.kinds import ActionData, ActionKind, DisputeData
    from cscdesk.domain.steps import clocks
    from cscdesk.domain.validation import validate
    from cscdesk.domain.workdays import WorkingCalendar

    calendar = WorkingCalendar([date(2023, 12, 27)])
    records = demo_records(TODAY, calendar)
    complaints = [r for r in records if isinstance(r, ComplaintData)]
    actions = [r for r in records if isinstance(r, ActionData)]
    stage_of = {c.reference: c.stage for c in complaints}.get
    cases = {r.reference for r in records if isinstance(r, ComplaintData | DisputeData)}
    for record in records:
        assert validate(record, stage_of, cases.__contains__) == [], record.reference

    later = [c for c in complaints if c.received >= date(2019, 4, 1)]
    example = [c for c in complaints if c.received < date(2019, 4, 1)]
    assert not any(c.statement_agreed or c.panel_held or c.lgo_outcome for c in example)
    assert all(a.agreed >= date(2019, 4, 1) for a in actions)
    stage2 = [c for c in later if c.stage == 2 and c.responded]
    assert stage2 and all(c.statement_agreed and c.officer_appointed and c.report_received
                          and c.investigating_officer and c.independent_person
                          for c in stage2)
    stage3 = [c for c in later if c.stage == 3 and c.responded]
    assert stage3 and all(c.panel_held and c.panel_report for c in stage3)
    late = [k for c in later if c.stage == 3 for k in clocks(c, calendar)
            if k.done is not None and k.done > k.due]
    assert late  # a few steps late
    decided = [c for c in later if c.lgo_outcome is not None]
    assert len({c.lgo_outcome for c in decided}) >= 2
    assert all(c.lgo_referred <= c.lgo_decided <= TODAY for c in decided)

    by_kind = {kind: [a for a in actions if a.action_kind is kind] for kind in ActionKind}
    assert all(by_kind.values())
    assert any(a.done is None and a.due < TODAY for a in actions)  # overdue now
    assert any(a.done is not None and a.done > a.due for a in actions)  # done late
    paid = [a for a in by_kind[ActionKind.REMEDY] if a.amount is not None]
    assert paid and all(a.paid is None or a.paid <= TODAY for a in paid)
    assert all(a.agreed <= a.due and (a.done is None or a.agreed <= a.done <= TODAY)
               for a in actions)
    assert len({year_of(a.agreed) for a in actions}) >= 5  # over the years

    stored = sql.execute("SELECT count(*), count(DISTINCT case_reference) FROM action"
                         ).fetchone()
    assert stored[0] == len(actions) and stored[1] > 20
    letters = sql.execute("SELECT year, decided, upheld_percent FROM ombudsman_letter "
                          "ORDER BY year").fetchall()
    assert [year for year, *_ in letters] == [2024, 2025]
    assert all(decided > 0 and 0 <= upheld <= 100 for _, decided, upheld in letters)
    for column in ("statement_agreed", "officer_appointed", "person_appointed",
                   "report_received", "panel_held", "panel_report", "lgo_decided"):
        assert sql.execute(f"SELECT count(*) FROM complaint WHERE {column} > ?",
                           (TODAY.isoformat(),)).fetchone()[0] == 0, column


def year_of(day: date) -> int:
    from cscdesk.domain.years import ReportingYear

    return ReportingYear.containing(day).start_year


def test_recent_cases_have_letters_from_the_default_templates_and_emails(
        sql: sqlite3.Connection) -> None:
    import hashlib
    import io
    import zipfile

    import docx

    from cscdesk.documents.emails import read_email

    rows = sql.execute("SELECT record_kind, record_reference, name, letter, email_from, "
                       "email_subject, sha256, data FROM document ORDER BY id").fetchall()
    letters = [row for row in rows if row[3]]
    emails = [row for row in rows if row[4]]
    assert {row[3] for row in letters} >= {"acknowledgement_stage1", "stage1_response",
                                           "enquiry_acknowledgement", "compliment_thanks"}
    assert len(emails) == 2 and len(rows) == len(letters) + len(emails)
    for _kind, reference, name, _key, _sender, _subject, sha256, data in rows:
        assert hashlib.sha256(data).hexdigest() == sha256
        assert name.endswith(".docx" if name.startswith(reference) else ".eml")
    for _kind, reference, name, _key, _sender, _subject, _sha, data in letters:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert reference in text and "Eastmere Borough Council" in text, name
        assert "{{" not in text and "Robin Ashdown" in text
        with zipfile.ZipFile(io.BytesIO(data)) as parts:  # the same day, the same bytes
            assert {part.date_time for part in parts.infolist()} == {(2026, 11, 25, 12, 0, 0)}
    for kind, reference, name, _key, sender, subject, _sha, data in emails:
        complainant, received = sql.execute(
            "SELECT complainant, received FROM complaint WHERE reference = ? AND closed IS NULL",
            (reference,)).fetchone()
        assert kind == "Complaints" and sender.startswith(complainant)
        found = read_email(name, data)
        assert found is not None and found.subject == subject and "–" in subject
        assert found.sent is not None and found.sent.date().isoformat() == received
        assert received >= "2026-11-01"  # recent complaints
