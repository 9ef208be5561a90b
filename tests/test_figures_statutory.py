"""The statutory breakdowns (2006 Regulations, reg 13): timeliness by stage, outcomes by stage and
who complained, on a small crafted dataset with every figure worked out by hand below (the
hand-counted due dates are checked by a working-day count written here, not cscdesk's).

Year Y = 2018/19 (1 April 2018 to 31 March 2019). England's bank holidays that matter: Easter
2018 (Fri 30 March, Mon 2 April), 7 May, 27 August, 25-26 December 2018, 1 January 2019.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from cscdesk.domain.kinds import ComplainantType, ComplaintData, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.report import statutory_printed as printed
from cscdesk.report.baseline import BaselineFigures, save_baseline
from cscdesk.report.figures import compute_figures
from cscdesk.report.statutory import COMPLAINANT_GROUPS, compute_statutory
from cscdesk.store import records

both_engines = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)

Y = ReportingYear(2018)
PREVIOUS = ReportingYear(2017)
HAND_ENTERED = ReportingYear(2016)  # a baseline, no records
EMPTY = ReportingYear(2015)  # neither
BANK_HOLIDAYS = {date(2018, 3, 30), date(2018, 4, 2), date(2018, 5, 7), date(2018, 5, 28),
                 date(2018, 8, 27), date(2018, 12, 25), date(2018, 12, 26), date(2019, 1, 1)}

U, PU, NU, X = Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD, Outcome.CANCELLED
T = ComplainantType


def working_day_after(start: date, count: int) -> date:
    """The `count`th working day after `start` (the test's own count)."""
    day = start
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            count -= 1
    return day


def _c(ref, received, stage, *, extended=False, responded=None, closed=None, outcome=None,
       who=None):
    return ComplaintData(reference=ref, received=received, stage=stage, team="Zeta Team",
                         extended=extended, responded=responded, closed=closed,
                         outcome=outcome, complainant_type=who)


COMPLAINTS = [
    # --- Stage 1: due 10 working days after receipt, 20 when extended ---
    # Fri 27/04/2018: due Mon 14/05 (7/05 a holiday); answered 14/05: on time.
    _c("A1", date(2018, 4, 27), 1, responded=date(2018, 5, 14), closed=date(2018, 5, 20),
       outcome=U, who=T.CHILD),
    # Fri 23/03/2018 (received in Y-1): Easter skipped, due Tue 10/04/2018 (in Y); answered
    # 11/04: late. Closed in Y.
    _c("A2", date(2018, 3, 23), 1, responded=date(2018, 4, 11), closed=date(2018, 4, 12),
       outcome=NU, who=T.PARENT),
    # Mon 4/03/2019, extended: due Mon 1/04/2019, after Y; open.
    _c("A3", date(2019, 3, 4), 1, extended=True, who=T.FOSTER_CARER),
    # Mon 4/02/2019, extended: due Mon 4/03/2019; never answered: late, extended.
    _c("A4", date(2019, 2, 4), 1, extended=True, who=T.ADVOCATE),
    # Mon 2/07/2018, cancelled: its due date (16/07, in Y) is left out of timeliness.
    _c("A5", date(2018, 7, 2), 1, closed=date(2018, 7, 5), outcome=X, who=T.OTHER),
    # Thu 13/12/2018, extended: due Tue 15/01/2019 (25, 26/12 and 1/01 skipped); answered
    # 10/01: on time, extended.
    _c("A6", date(2018, 12, 13), 1, extended=True, responded=date(2019, 1, 10),
       closed=date(2019, 1, 10), outcome=PU, who=T.CARE_LEAVER),
    # Wed 20/03/2019: due Wed 3/04/2019, after Y; closed after Y; no type recorded.
    _c("A7", date(2019, 3, 20), 1, responded=date(2019, 4, 3), closed=date(2019, 4, 3),
       outcome=U),
    # Mon 12/03/2018 (Y-1): due Mon 26/03/2018, answered then; closed on Y-1's last day.
    _c("A8", date(2018, 3, 12), 1, responded=date(2018, 3, 26), closed=date(2018, 3, 31),
       outcome=U, who=T.CHILD),
    # Mon 18/03/2019: due Mon 1/04/2019 (after Y) but closed on Y's last day.
    _c("A9", date(2019, 3, 18), 1, responded=date(2019, 3, 29), closed=date(2019, 3, 31),
       outcome=NU, who=T.CHILD),
    # Sun 1/04/2018 (Y's first day): counting starts Tue 3/04 (2/04 a holiday), due Mon
    # 16/04; answered 16/04: on time.
    _c("A10", date(2018, 4, 1), 1, responded=date(2018, 4, 16), closed=date(2018, 4, 16),
       outcome=NU, who=T.PARENT),
    # --- Stage 2: 25 working days, 65 when extended ---
    # Fri 6/04/2018: due Mon 14/05 (7/05 a holiday); answered 15/05: late.
    _c("B1", date(2018, 4, 6), 2, responded=date(2018, 5, 15), closed=date(2018, 5, 20),
       outcome=U, who=T.SPECIAL_GUARDIAN),
    # Thu 10/01/2019, extended: due Thu 11/04/2019, after Y.
    _c("B2", date(2019, 1, 10), 2, extended=True, who=T.ADOPTER),
    # Fri 1/06/2018, cancelled: left out of timeliness.
    _c("B3", date(2018, 6, 1), 2, closed=date(2018, 6, 10), outcome=X, who=T.CHILD),
    # Mon 1/10/2018, extended: due Thu 3/01/2019 (Christmas and New Year skipped); answered
    # 2/01: on time, extended; still open.
    _c("B4", date(2018, 10, 1), 2, extended=True, responded=date(2019, 1, 2), who=T.PARENT),
    # --- Stage 3: 30 working days, whether extended or not ---
    # Mon 19/02/2018 (Y-1): due Wed 4/04/2018 (Easter skipped); answered 4/04: on time.
    _c("C1", date(2018, 2, 19), 3, responded=date(2018, 4, 4), closed=date(2018, 4, 4),
       outcome=NU),
    # Wed 15/08/2018, extended (no change): due Thu 27/09/2018 (27/08 a holiday); never
    # answered: late.
    _c("C2", date(2018, 8, 15), 3, extended=True, who=T.OTHER),
]

DUE_DATES = {  # counted by hand (above); checked against the test's own count and the store
    "A1": (10, date(2018, 5, 14)), "A2": (10, date(2018, 4, 10)), "A3": (20, date(2019, 4, 1)),
    "A4": (20, date(2019, 3, 4)), "A5": (10, date(2018, 7, 16)), "A6": (20, date(2019, 1, 15)),
    "A7": (10, date(2019, 4, 3)), "A8": (10, date(2018, 3, 26)), "A9": (10, date(2019, 4, 1)),
    "A10": (10, date(2018, 4, 16)), "B1": (25, date(2018, 5, 14)),
    "B2": (65, date(2019, 4, 11)), "B3": (25, date(2018, 7, 6)), "B4": (65, date(2019, 1, 3)),
    "C1": (30, date(2018, 4, 4)), "C2": (30, date(2018, 9, 27)),
}

# Due in Y, not cancelled: (stage, due, on time, late, extended, % on time)
EXPECTED_TIMELINESS = [
    ["Stage 1", "5", "3", "2", "2", "60%"],  # A1, A6, A10 on time; A2, A4 late; A4, A6 ext.
    ["Stage 2", "2", "1", "1", "1", "50%"],  # B4 on time (extended); B1 late
    ["Stage 3", "2", "1", "1", "1", "50%"],  # C1 on time; C2 late (extended)
]
# Closed in Y: (stage, upheld, partially, not upheld, cancelled, total)
EXPECTED_OUTCOMES = [
    ["Stage 1", "1", "1", "3", "1", "6"],  # A1; A6; A2, A9, A10; A5 (A7 after Y, A8 before)
    ["Stage 2", "1", "0", "0", "1", "2"],  # B1; B3
    ["Stage 3", "0", "0", "1", "0", "1"],  # C1 (received in Y-1)
]
# Received in Y (A2, A8 and C1 were received in Y-1)
EXPECTED_WHO = [
    ["Child or young person", "4"],  # A1, A9, B3 (child), A6 (care leaver)
    ["Parent or carer", "5"],  # A10, B4 (parent), A3 (foster), B1 (guardian), B2 (adopter)
    ["Advocate on behalf of a child", "1"],  # A4
    ["Other", "2"],  # A5, C2
    ["Not recorded", "1"],  # A7
]
# Received in Y-1: A2 (parent), A8 (child), C1 (none)
EXPECTED_WHO_PREVIOUS = [["Child or young person", "1"], ["Parent or carer", "1"],
                         ["Advocate on behalf of a child", "0"], ["Other", "0"],
                         ["Not recorded", "1"]]


def load(database) -> None:
    with database.transaction() as session:
        for record in COMPLAINTS:
            records.save(session, record)
        save_baseline(session, BaselineFigures(year=HAND_ENTERED.start_year, stage1=12,
                                               closed=10, timeliness_percent=75))


@pytest.fixture
def statutory_db(database):
    load(database)
    return database


def _both(database, year):
    with database.session() as session:
        return compute_statutory(session, year), compute_figures(session, year)


def test_every_complainant_type_is_in_one_group():
    grouped = [t for _group, types in COMPLAINANT_GROUPS for t in types]
    assert sorted(grouped) == sorted(ComplainantType)
    assert [group for group, _ in COMPLAINANT_GROUPS] == [row[0] for row in EXPECTED_WHO]


@both_engines
def test_hand_counted_due_dates(statutory_db):
    received = {c.reference: c.received for c in COMPLAINTS}
    for reference, (days, due) in DUE_DATES.items():
        assert working_day_after(received[reference], days) == due, reference
    with statutory_db.session() as session:
        from sqlalchemy import select

        from cscdesk.store.models import Complaint
        stored = dict(session.execute(select(Complaint.reference, Complaint.due)).all())
    assert stored == {reference: due for reference, (_days, due) in DUE_DATES.items()}


@both_engines
def test_timeliness_by_stage_adds_up_to_the_comparison_row(statutory_db):
    figures, appendix = _both(statutory_db, Y)
    assert printed.timeliness_table(figures) == [printed.TIMELINESS_HEADER,
                                                 *EXPECTED_TIMELINESS]
    assert [t.stage for t in figures.timeliness] == [1, 2, 3]
    assert [t.on_time_percent for t in figures.timeliness] == [60, 50, 50]
    comparison = appendix.current.comparison
    assert (comparison.due, comparison.on_time) == (9, 5)
    assert sum(t.due for t in figures.timeliness) == comparison.due
    assert sum(t.on_time for t in figures.timeliness) == comparison.on_time
    # Y-1: only A8 (due 26/03/2018, answered that day) falls due in it.
    previous, appendix = _both(statutory_db, PREVIOUS)
    assert printed.timeliness_table(previous)[1:] == [
        ["Stage 1", "1", "1", "0", "0", "100%"], ["Stage 2", "0", "0", "0", "0", "N/A"],
        ["Stage 3", "0", "0", "0", "0", "N/A"]]
    assert sum(t.due for t in previous.timeliness) == appendix.current.comparison.due


@both_engines
def test_outcomes_by_stage(statutory_db):
    figures, appendix = _both(statutory_db, Y)
    assert printed.outcomes_table(figures) == [printed.OUTCOMES_HEADER, *EXPECTED_OUTCOMES]
    comparison = appendix.current.comparison
    # Closed in Y, not cancelled: 9 closed - 2 cancelled = 7; upheld: A1, A6, B1.
    assert (comparison.closed, comparison.cancelled, comparison.upheld) == (7, 2, 3)
    assert sum(o.total - o.cancelled for o in figures.outcomes) == comparison.closed
    assert sum(o.cancelled for o in figures.outcomes) == comparison.cancelled
    assert sum(o.upheld + o.partially_upheld for o in figures.outcomes) == comparison.upheld


@both_engines
def test_who_complained_and_suppression(statutory_db):
    figures, appendix = _both(statutory_db, Y)
    assert printed.who_table(figures, suppress=False) == [printed.WHO_HEADER, *EXPECTED_WHO]
    assert figures.received == appendix.current.comparison.complaints == 13
    # 1 to 4 print as <5; 5 stays 5.
    assert printed.who_table(figures, suppress=True)[1:] == [
        ["Child or young person", "<5"], ["Parent or carer", "5"],
        ["Advocate on behalf of a child", "<5"], ["Other", "<5"], ["Not recorded", "<5"]]
    previous, _ = _both(statutory_db, PREVIOUS)
    assert printed.who_table(previous, suppress=False)[1:] == EXPECTED_WHO_PREVIOUS
    # 0 identifies nobody: it stays 0.
    assert printed.who_table(previous, suppress=True)[1:] == [
        ["Child or young person", "<5"], ["Parent or carer", "<5"],
        ["Advocate on behalf of a child", "0"], ["Other", "0"], ["Not recorded", "<5"]]


@both_engines
def test_tables_by_name_for_json(statutory_db):
    figures, _ = _both(statutory_db, Y)
    assert (figures.has_records, figures.hand_entered) == (True, False)
    found = printed.tables(figures, suppress=True)
    assert list(found) == ["timeliness", "outcomes", "who_complained"]
    assert found["timeliness"][1:] == EXPECTED_TIMELINESS
    assert found["outcomes"][1:] == EXPECTED_OUTCOMES
    assert found["who_complained"][2] == ["Parent or carer", "5"]
    json.loads(json.dumps(found))


@both_engines
def test_a_hand_entered_year_prints_sentences(statutory_db):
    figures, appendix = _both(statutory_db, HAND_ENTERED)
    assert "stage1" in appendix.current.from_baseline  # the figures engine agrees
    assert (figures.has_records, figures.hand_entered) == (False, True)
    assert printed.tables(figures, suppress=False) == {}
    assert printed.hand_entered_sentence(figures, printed.TIMELINESS) == (
        "The figures for 2016/17 were entered by hand, so the timeliness of responses by "
        "stage cannot be given from case records.")
    assert all(printed.hand_entered_sentence(figures, key).startswith(
        "The figures for 2016/17 were entered by hand, so ") for key in printed.SECTIONS)
    # A year with neither records nor hand-entered figures prints its tables, all zero.
    empty, _ = _both(statutory_db, EMPTY)
    assert (empty.has_records, empty.hand_entered) == (False, False)
    found = printed.tables(empty, suppress=True)
    assert found["timeliness"][1] == ["Stage 1", "0", "0", "0", "0", "N/A"]
    assert found["outcomes"][3] == ["Stage 3", "0", "0", "0", "0", "0"]
    assert [row[1] for row in found["who_complained"][1:]] == ["0"] * 5


def test_a_plain_connection_reads_the_same(database, db_path):
    """The report command's path: a sqlite3 connection, not a session."""
    load(database)
    with database.session() as session:
        expected = compute_statutory(session, Y)
    connection = sqlite3.connect(db_path)
    try:
        assert compute_statutory(connection, Y) == expected
    finally:
        connection.close()


def test_headings_and_intros_name_each_section():
    assert printed.HEADINGS == {"timeliness": "Timeliness by Stage:",
                                "outcomes": "Outcomes by Stage:",
                                "who_complained": "Who Complained:"}
    assert set(printed.INTROS) == set(printed.SECTIONS)
    assert printed.INTROS["timeliness"].startswith(
        "Complaints whose response was due during the reporting period, by stage")
