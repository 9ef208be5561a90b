"""The appendix's casework figures (Stage 2/3 steps, actions, remedies, the Ombudsman) on a small
crafted dataset, every figure worked out by hand below (and the hand-counted due dates checked
by a working-day count written here, not cscdesk's).

Year Y = 2018/19 (1 April 2018 to 31 March 2019). England's bank holidays used: Easter 2018
(Fri 30 March, Mon 2 April), 7 May, 28 May, 27 August, 25-26 December 2018, 1 January 2019,
Easter 2019 (19, 22 April). The database has one extra non-working day: Monday 24 December 2018
(a closure), which moves two due dates.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, LgoOutcome, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.report.figures import compute_figures
from cscdesk.report.figures_text import as_dict, as_text
from cscdesk.store import lists, ombudsman_letters, records

both_engines = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)

Y = ReportingYear(2018)
CLOSURE = date(2018, 12, 24)
BANK_HOLIDAYS = {
    date(2017, 12, 25), date(2017, 12, 26), date(2018, 1, 1), date(2018, 3, 30),
    date(2018, 4, 2), date(2018, 5, 7), date(2018, 5, 28), date(2018, 8, 27),
    date(2018, 12, 25), date(2018, 12, 26), date(2019, 1, 1), date(2019, 4, 19),
    date(2019, 4, 22), date(2019, 5, 6),
}


def working_day_after(start: date, count: int) -> date:
    """The `count`th working day after `start` (the test's own count)."""
    day = start
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS and day != CLOSURE:
            count -= 1
    return day


def _c(ref, received, stage, *, team="Zeta Team", extended=False, responded=None,
       closed=None, outcome=None, panel_held=None, panel_report=None, referred=None,
       lgo=None, decided=None):
    return ComplaintData(reference=ref, received=received, stage=stage, team=team,
                         extended=extended, responded=responded, closed=closed, outcome=outcome,
                         panel_held=panel_held, panel_report=panel_report,
                         lgo_referred=referred, lgo_outcome=lgo, lgo_decided=decided,
                         complainant="Secret Person")


COMPLAINTS = [
    # --- Stage 2: the response is due 25 working days after receipt (65 extended) ---
    # Fri 6/04/2018: due Mon 14/05 (7 May a bank holiday); responded that day: on time.
    _c("S2a", date(2018, 4, 6), 2, responded=date(2018, 5, 14)),
    # Sat 3/03/2018 (Y-1): counting from Mon 5/03, Easter skipped: due Tue 10/04/2018, in Y;
    # responded 11/04: late.
    _c("S2b", date(2018, 3, 3), 2, responded=date(2018, 4, 11)),
    # Thu 10/01/2019, extended: due Thu 11/04/2019, after Y: not counted.
    _c("S2c", date(2019, 1, 10), 2, extended=True),
    # Fri 30/11/2018: 24/12 closure, 25, 26/12 and 1/01 holidays: due Thu 10/01/2019
    # (9/01 without the closure); responded 10/01: on time.
    _c("S2d", date(2018, 11, 30), 2, responded=date(2019, 1, 10)),
    # Cancelled: its clock (due in Y) is left out.
    _c("S2e", date(2018, 6, 1), 2, closed=date(2018, 6, 10), outcome=Outcome.CANCELLED),
    # --- Stage 3: panel 30 working days after the request (Received), the panel's report
    # 5 after the panel, the response 15 after the report ---
    # Mon 19/02/2018 (Y-1): panel due Wed 4/04/2018 (Easter skipped), held 3/04: on time;
    # report due Tue 10/04, received 11/04: late; response due Wed 2/05, sent 2/05: on time.
    _c("T1", date(2018, 2, 19), 3, panel_held=date(2018, 4, 3),
       panel_report=date(2018, 4, 11), responded=date(2018, 5, 2)),
    # Fri 1/03/2019: panel due Fri 12/04/2019, after Y: nothing counted.
    _c("T2", date(2019, 3, 1), 3),
    # Mon 3/12/2018: panel due Fri 18/01/2019 (closure and holidays skipped); no panel yet:
    # late.
    _c("T3", date(2018, 12, 3), 3),
    # Wed 15/08/2018: panel due Thu 27/09 (27/08 a holiday), held Fri 28/09: late; report due
    # Fri 5/10, received 5/10: on time; response due Fri 26/10, none: late.
    _c("T4", date(2018, 8, 15), 3, panel_held=date(2018, 9, 28),
       panel_report=date(2018, 10, 5)),
    # Mon 8/01/2018: panel due Mon 19/02/2018 (Y-1), held Thu 29/03/2018 (Y-1); report due
    # Mon 9/04/2018 (Easter skipped), in Y, received 9/04: on time; response due Mon 30/04,
    # sent 1/05: late.
    _c("T5", date(2018, 1, 8), 3, panel_held=date(2018, 3, 29),
       panel_report=date(2018, 4, 9), responded=date(2018, 5, 1)),
    # Cancelled Stage 3, panel due in Y: left out.
    _c("T6", date(2018, 7, 2), 3, closed=date(2018, 7, 5), outcome=Outcome.CANCELLED),
    # --- The Ombudsman's decisions (by decision date) ---
    _c("L1", date(2018, 4, 3), 1, referred=date(2018, 6, 1),
       lgo=LgoOutcome.UPHELD_INJUSTICE, decided=date(2018, 10, 1)),
    # Decided on Y's first day.
    _c("L2", date(2017, 5, 1), 1, referred=date(2017, 9, 1), lgo=LgoOutcome.NOT_UPHELD,
       decided=date(2018, 4, 1)),
    # Decided on Y's last day.
    _c("L3", date(2018, 6, 1), 1, referred=date(2018, 8, 1), lgo=LgoOutcome.PREMATURE,
       decided=date(2019, 3, 31)),
    # Decided the day after Y.
    _c("L4", date(2018, 6, 1), 1, referred=date(2018, 8, 1),
       lgo=LgoOutcome.UPHELD_INJUSTICE, decided=date(2019, 4, 1)),
    # Referred, no decision yet.
    _c("L5", date(2018, 11, 1), 1, referred=date(2019, 1, 2)),
    # Decided on Y-1's last day.
    _c("L6", date(2018, 1, 2), 1, referred=date(2018, 2, 1),
       lgo=LgoOutcome.UPHELD_NO_INJUSTICE, decided=date(2018, 3, 31)),
]

DUE_DATES = {  # counted by hand (above); checked against the test's own count
    "S2a": (date(2018, 4, 6), 25, date(2018, 5, 14)),
    "S2b": (date(2018, 3, 3), 25, date(2018, 4, 10)),
    "S2c": (date(2019, 1, 10), 65, date(2019, 4, 11)),
    "S2d": (date(2018, 11, 30), 25, date(2019, 1, 10)),
    "T1 panel": (date(2018, 2, 19), 30, date(2018, 4, 4)),
    "T1 report": (date(2018, 4, 3), 5, date(2018, 4, 10)),
    "T1 response": (date(2018, 4, 11), 15, date(2018, 5, 2)),
    "T2 panel": (date(2019, 3, 1), 30, date(2019, 4, 12)),
    "T3 panel": (date(2018, 12, 3), 30, date(2019, 1, 18)),
    "T4 panel": (date(2018, 8, 15), 30, date(2018, 9, 27)),
    "T4 report": (date(2018, 9, 28), 5, date(2018, 10, 5)),
    "T4 response": (date(2018, 10, 5), 15, date(2018, 10, 26)),
    "T5 panel": (date(2018, 1, 8), 30, date(2018, 2, 19)),
    "T5 report": (date(2018, 3, 29), 5, date(2018, 4, 9)),
    "T5 response": (date(2018, 4, 9), 15, date(2018, 4, 30)),
}


def _a(ref, agreed, kind, team, due, *, done=None, amount=None, paid=None, case="L1"):
    return ActionData(reference=ref, agreed=agreed, case_reference=case, action_kind=kind,
                      team=team, what=f"Action {ref}", due=due, done=done,
                      evidence="Secret evidence", amount=amount, paid=paid)


LEARN, OMB, REMEDY = ActionKind.LEARNING, ActionKind.OMBUDSMAN, ActionKind.REMEDY
ACTIONS = [
    # Zeta Team: agreed and completed in Y.
    _a("A1", date(2018, 4, 10), LEARN, "Zeta Team", date(2018, 4, 30), done=date(2018, 4, 25)),
    # alpha team: agreed on Y's first day (a Sunday), never done, due 1/06: overdue at the end.
    _a("A2", date(2018, 4, 1), LEARN, "alpha team", date(2018, 6, 1)),
    # alpha team: agreed in Y-1, due on Y's last day, not done: not yet overdue then.
    _a("A3", date(2018, 3, 20), LEARN, "alpha team", date(2019, 3, 31)),
    # AT&T: agreed in Y-1, done the day after Y: overdue at Y's end, not completed in Y.
    _a("A4", date(2018, 2, 15), LEARN, "AT&T", date(2018, 3, 1), done=date(2019, 4, 1)),
    # AT&T: agreed on Y's last day, due that day: agreed, not overdue.
    _a("A5", date(2019, 3, 31), LEARN, "AT&T", date(2019, 3, 31)),
    # AT&T: agreed after Y: nothing.
    _a("A6", date(2019, 4, 1), LEARN, "AT&T", date(2019, 4, 2)),
    # Béta Services: agreed in Y-1, done on Y-1's last day: nothing.
    _a("A7", date(2017, 11, 1), LEARN, "Béta Services", date(2017, 12, 1),
       done=date(2018, 3, 31)),
    # Remedies: paid £250 in Y; agreed, completed.
    _a("R1", date(2018, 5, 2), REMEDY, "Béta Services", date(2018, 6, 1),
       done=date(2018, 5, 30), amount=Decimal("250"), paid=date(2018, 5, 30)),
    # £100.50 agreed in Y, paid after Y, not done, due 29/03/2019: overdue at the end.
    _a("R2", date(2019, 3, 3), REMEDY, "Béta Services", date(2019, 3, 29),
       amount=Decimal("100.50"), paid=date(2019, 4, 1)),
    # Agreed in Y-1, done and paid (£75) in Y: completed, paid.
    _a("R3", date(2018, 3, 10), REMEDY, "Zeta Team", date(2018, 3, 31), done=date(2018, 4, 2),
       amount=Decimal("75"), paid=date(2018, 4, 2)),
    # An apology: not financial; agreed and completed.
    _a("R4", date(2018, 6, 5), REMEDY, "Zeta Team", date(2018, 7, 5), done=date(2018, 7, 1)),
    # Ombudsman recommendations: due 1/11/2018, done that day: complied on time.
    _a("O1", date(2018, 10, 1), OMB, "alpha team", date(2018, 11, 1), done=date(2018, 11, 1)),
    # Due 31/01/2019, done 4/02: complied late.
    _a("O2", date(2018, 10, 1), OMB, "alpha team", date(2019, 1, 31), done=date(2019, 2, 4)),
    # Due 1/03/2019, not done: not yet complied; overdue at the end.
    _a("O3", date(2019, 2, 1), OMB, "AT&T", date(2019, 3, 1)),
    # Due after Y: not counted for compliance; agreed in Y.
    _a("O4", date(2019, 3, 1), OMB, "AT&T", date(2019, 4, 2)),
    # Due in Y-1, done in Y: completed in Y only.
    _a("O5", date(2018, 1, 1), OMB, "Zeta Team", date(2018, 3, 31), done=date(2018, 4, 3)),
]

# Worked out by hand from the records above.
# (label, due, on time, late, % on time)
EXPECTED_STEPS = [
    ["Stage 2 adjudication (response)", "3", "2", "1", "67%"],  # S2a, S2d on time; S2b late
    ["Stage 3 review panel", "3", "1", "2", "33%"],  # T1 on time; T3, T4 late
    ["Stage 3 panel report", "3", "2", "1", "67%"],  # T4, T5 on time; T1 late
    ["Stage 3 response", "3", "1", "2", "33%"],  # T1 on time; T4, T5 late
]
# team: agreed in Y, completed in Y, overdue at Y's end; by name ignoring case
EXPECTED_ACTIONS_BY_TEAM = [
    ["alpha team", "3", "2", "1"],  # A2, O1, O2 agreed; O1, O2 done; A2 overdue
    ["AT&T", "3", "0", "2"],  # A5, O3, O4 agreed; A4, O3 overdue
    ["Béta Services", "2", "1", "1"],  # R1, R2 agreed; R1 done; R2 overdue
    ["Zeta Team", "2", "4", "0"],  # A1, R4 agreed; A1, R3, R4, O5 done
]
EXPECTED_ACTION_TOTALS = (10, 7, 4)
EXPECTED_REMEDIES = ["3", "2", "£325"]  # R1, R2, R4 agreed; R1, R2 financial; R1 + R3 paid
EXPECTED_DECISIONS = [  # L1, L2, L3 (L4 after Y, L6 before it)
    ["Upheld: maladministration and injustice", "1"],
    ["Upheld: maladministration, no injustice", "0"],
    ["Not upheld", "1"],
    ["Closed after initial enquiries", "0"],
    ["Premature", "1"],
    ["Total", "3"],
]
EXPECTED_COMPLIANCE = [  # O1 on time, O2 late, O3 not done (O4 after Y, O5 before it)
    ["Complied with on time", "1"],
    ["Complied with late", "1"],
    ["Not yet complied with", "1"],
    ["Total", "3"],
]
LETTER = {"decided": 4, "upheld_percent": 50, "compliance_percent": None,
          "satisfactory_remedy_percent": 0, "similar_upheld_percent": 62}
EXPECTED_LETTER = [
    ["Complaints decided", "4"],
    ["Complaints upheld", "50%"],
    ["Satisfactory remedy provided by the council", "0%"],
    ["Average upheld for similar councils", "62%"],
]
EMPTY_YEAR = ReportingYear(2016)  # nothing of the casework dates falls in it
LETTER_ONLY_YEAR = ReportingYear(2015)


def load_casework(database) -> None:
    """The records above, saved through the store after the closure day is known."""
    with database.transaction() as session:
        lists.add_non_working_day(session, CLOSURE, "Christmas closure")
        for record in COMPLAINTS:
            records.save(session, record)
        for action in ACTIONS:
            records.save(session, action)
        ombudsman_letters.save(session, Y, LETTER)
        ombudsman_letters.save(session, LETTER_ONLY_YEAR, {"compliance_percent": 100})


@pytest.fixture
def casework_db(database):
    load_casework(database)
    return database


@both_engines
def test_hand_counted_due_dates(database):
    """The expectations rely on these due dates: the test's own count agrees, and so do the
    due dates the store keeps for the Stage 2 complaints."""
    for name, (start, days, due) in DUE_DATES.items():
        assert working_day_after(start, days) == due, name
    load_casework(database)
    from sqlalchemy import select

    from cscdesk.store.models import Complaint
    with database.session() as session:
        due = dict(session.execute(select(Complaint.reference, Complaint.due)).all())
    for reference in ("S2a", "S2b", "S2c", "S2d"):
        assert due[reference] == DUE_DATES[reference][2], reference


def _printed(casework_db, year=Y):
    with casework_db.session() as session:
        figures = compute_figures(session, year)
    return figures, as_dict(figures)["casework"]


@both_engines
def test_step_timeliness(casework_db):
    _, data = _printed(casework_db)
    assert data["printed"]["steps"] == [["Step", "Due in period", "On time", "Late",
                                         "% on time"], *EXPECTED_STEPS]
    assert [[s["label"], str(s["due"]), str(s["on_time"]), str(s["late"]),
             f"{s['on_time_percent']}%"] for s in data["steps"]] == EXPECTED_STEPS
    assert [(s["stage"], s["step"]) for s in data["steps"]] == [
        (2, "response"), (3, "panel"), (3, "panel report"), (3, "response")]


@both_engines
def test_actions_remedies_and_ombudsman(casework_db):
    _, data = _printed(casework_db)
    assert data["shown"] == ["steps", "actions", "remedies", "ombudsman"]
    actions = data["actions"]
    assert (actions["agreed"], actions["completed"],
            actions["overdue_at_year_end"]) == EXPECTED_ACTION_TOTALS
    assert data["printed"]["actions_by_team"][1:] == EXPECTED_ACTIONS_BY_TEAM
    assert data["remedies"] == {"agreed": 3, "financial": 2, "paid": 2, "paid_pence": 32500}
    assert data["printed"]["remedies"] == [["Remedies agreed", "Of which financial",
                                            "Total paid"], EXPECTED_REMEDIES]
    assert data["printed"]["ombudsman_decisions"][1:] == EXPECTED_DECISIONS
    assert data["ombudsman"]["decided"] == 3
    assert data["printed"]["ombudsman_compliance"][1:] == EXPECTED_COMPLIANCE
    assert data["ombudsman"]["compliance"] == {"due": 3, "on_time": 1, "late": 1, "not_yet": 1}
    assert data["printed"]["ombudsman_letter"] == [
        ["The Ombudsman's annual letter for 2018/19", "Figure"], *EXPECTED_LETTER]
    assert data["ombudsman"]["letter"] == {"year": 2018, **LETTER}
    json.dumps(data)  # plain data all through


@both_engines
def test_a_year_without_casework_shows_nothing(casework_db):
    figures, data = _printed(casework_db, EMPTY_YEAR)
    assert data["shown"] == []
    assert data["printed"] == {}
    assert all(step["due"] == 0 and step["on_time_percent"] is None
               for step in data["steps"])
    assert "none of its sections is shown" in as_text(figures)


@both_engines
def test_a_letter_alone_shows_the_ombudsman_section(casework_db):
    _, data = _printed(casework_db, LETTER_ONLY_YEAR)
    assert data["shown"] == ["ombudsman"]
    assert data["printed"] == {"ombudsman_letter": [
        ["The Ombudsman's annual letter for 2015/16", "Figure"],
        ["Compliance with the Ombudsman's recommendations", "100%"]]}


@both_engines
def test_an_action_left_open_is_overdue_at_the_end_of_every_later_year(casework_db):
    """2020/21: nothing agreed or done; still open and due before 31/03/2021: A2, A3, A5, A6,
    R2, O3, O4 (A4 was done on 1/04/2019)."""
    _, data = _printed(casework_db, ReportingYear(2020))
    assert data["shown"] == ["actions"]
    assert data["printed"]["actions_by_team"][1:] == [
        ["alpha team", "0", "0", "2"], ["AT&T", "0", "0", "4"], ["Béta Services", "0", "0", "1"]]


@both_engines
def test_the_previous_year_sees_its_own_clocks(casework_db):
    """2017/18: T5's panel (due 19/02/2018, held 29/03: late) is its only Stage 3 step;
    no Stage 2 response fell due then (S2b's is due in 2018/19)."""
    _, data = _printed(casework_db, ReportingYear(2017))
    assert data["printed"]["steps"][1:] == [
        ["Stage 2 adjudication (response)", "0", "0", "0", "N/A"],
        ["Stage 3 review panel", "1", "0", "1", "0%"],
        ["Stage 3 panel report", "0", "0", "0", "N/A"],
        ["Stage 3 response", "0", "0", "0", "N/A"],
    ]
    # At 31/03/2018 A4 (due 1/03/2018, done a year later) is overdue; R3 and O5 are due on
    # that day, so not yet; A7 was done on that day.
    assert data["actions"]["overdue_at_year_end"] == 1
    assert data["printed"]["ombudsman_decisions"][-1] == ["Total", "1"]  # L6


@both_engines
def test_the_text_output_lists_the_tables(casework_db):
    figures, _ = _printed(casework_db)
    text = as_text(figures)
    assert "Casework (2018/19): sections shown: steps, actions, remedies, ombudsman" in text
    assert "Stage 3 review panel" in text and "£325" in text
    assert "Secret" not in text


@both_engines
def test_as_of_has_no_casework(casework_db):
    with casework_db.session() as session:
        figures = compute_figures(session, Y, as_of=date(2018, 9, 30))
    assert figures.casework is None
    assert "casework" in as_dict(figures) and as_dict(figures)["casework"] is None


@both_engines
def test_letter_store(database):
    with database.transaction() as session:
        assert ombudsman_letters.load(session, Y) is None
        stored = ombudsman_letters.save(session, Y, {"decided": 7, "upheld_percent": 40})
        assert stored == ombudsman_letters.Letter(2018, decided=7, upheld_percent=40)
        ombudsman_letters.save(session, 2019, {"similar_upheld_percent": 55})
    with database.transaction() as session:
        assert ombudsman_letters.load(session, 2018) == stored
        assert ombudsman_letters.all_years(session) == [2018, 2019]
        with pytest.raises(InputError) as refused:
            ombudsman_letters.save(session, Y, {"upheld_percent": 101, "decided": -1,
                                                "other": 3})
        message = str(refused.value)
        assert "Complaints upheld must be a percentage from 0 to 100" in message
        assert "Complaints decided must be a whole number" in message
        assert "“other” is not a figure" in message
        assert ombudsman_letters.load(session, Y) == stored  # nothing written
        ombudsman_letters.save(session, 2019, {})  # nothing given: the letter goes
        assert ombudsman_letters.all_years(session) == [2018]


def test_the_command_reads_the_same_figures_without_the_orm(casework_db, cli):
    """`cscdesk figures` reads the file through a plain sqlite3 connection (dates as text)."""
    import sqlite3

    with casework_db.session() as session:
        expected = compute_figures(session, Y)
    connection = sqlite3.connect(casework_db.path)
    try:
        assert compute_figures(connection, Y) == expected
    finally:
        connection.close()
    result = cli("--db", casework_db.path, "figures", "--year", "2018", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["casework"]
    assert data["printed"]["steps"][1:] == EXPECTED_STEPS
    assert data["printed"]["actions_by_team"][1:] == EXPECTED_ACTIONS_BY_TEAM


@both_engines
def test_compliance_typed_on_a_complaint_counts_when_it_has_no_recommendations(casework_db):
    # L1 has Ombudsman recommendation actions (O1-O5): its typed dates are not counted again.
    # N1 and N2 have none: each counts as one recommendation, N1 complied a day late, N2
    # complied on its due day; N3's compliance falls due after Y.
    typed = [
        ("N1", date(2018, 9, 3), date(2018, 9, 4)),
        ("N2", date(2019, 3, 29), date(2019, 3, 29)),
        ("N3", date(2019, 4, 1), None),
    ]
    with casework_db.transaction() as session:
        for reference, due, complied in typed:
            records.save(session, ComplaintData(
                reference=reference, received=date(2018, 4, 3), stage=1, team="Zeta Team",
                lgo_referred=date(2018, 5, 1), lgo_outcome=LgoOutcome.UPHELD_INJUSTICE,
                lgo_decided=date(2018, 8, 1), lgo_compliance_due=due, lgo_complied=complied))
        loaded = records.load(session, records.Kind.COMPLAINT, "L1")
        assert isinstance(loaded, ComplaintData)
        loaded.lgo_compliance_due, loaded.lgo_complied = date(2018, 11, 1), None
        records.save(session, loaded)
    _, data = _printed(casework_db)
    # O1 on time, O2 late, O3 not yet (as before) + N2 on time, N1 late
    assert data["ombudsman"]["compliance"] == {"due": 5, "on_time": 2, "late": 2, "not_yet": 1}


@both_engines
def test_small_numbers_in_the_actions_team_table_can_be_suppressed(casework_db):
    from cscdesk.report import casework_printed

    figures, _ = _printed(casework_db)
    assert figures.casework is not None
    rows = casework_printed.actions_table(figures.casework, suppress=True)
    assert rows[1:] == [[team, *("<5" if value not in ("0",) else "0" for value in counts)]
                        for team, *counts in EXPECTED_ACTIONS_BY_TEAM]
