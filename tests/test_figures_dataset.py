"""A small crafted dataset that exercises every rule of the appendix, with its figures worked
out by hand (in comments and in EXPECTED) rather than by the code under test.

Year Y = 2018/19 (1 April 2018 to 31 March 2019); Y-1 = 2017/18. Teams are named to test
escaping and case-insensitive sorting: "alpha team" (lower case), "AT&T", "Béta Services",
"Through Care <North>".
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Outcome,
)
from cscdesk.store import records
from cscdesk.store.engine import open_database

U, P, N, X = Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD, Outcome.CANCELLED
TC = "Through Care <North>"
AWKWARD_LEARNING = "Review <p> & “AT&T” – £5 café"
SECRET = "Secret Complainant Name"
SECRET_SUMMARY = "SECRET SUMMARY TEXT"


def _c(ref, received, stage, team, *, responded=None, closed=None, outcome=None, root="",
       learning="", adr=False, saving=None, extended=False, lgo=None, escalated=""):
    return ComplaintData(
        reference=ref, received=received, stage=stage, team=team, extended=extended,
        responded=responded, closed=closed, outcome=outcome, root_cause=root, learning=learning,
        adr=adr, adr_saving=saving, lgo_referred=lgo, escalated_from=escalated,
        complainant=SECRET, summary=SECRET_SUMMARY,
    )


# Due dates below are counted by hand: day 0 is the day of receipt, weekends and England's
# bank holidays skipped (Easter 2018: 30 March, 2 April; early May 2018: 7 May).
COMPLAINTS = [
    # --- received in Y ---
    # Friday; due Fri 20/04 (10 working days); responded on the due date: on time.
    _c("C1", date(2018, 4, 6), 1, "Adoption", responded=date(2018, 4, 20),
       closed=date(2018, 4, 25), outcome=U, root="Communication",
       learning="Call back within a day."),
    # Saturday receipt: counting starts Monday 9/04, due 20/04; responded 23/04: late.
    _c("C2", date(2018, 4, 7), 1, "Adoption", responded=date(2018, 4, 23),
       closed=date(2018, 4, 24), outcome=P, root="Communication",
       learning="Apologise promptly."),
    # Friday 4/05, Monday 7/05 a bank holiday: due Mon 21/05; on time.
    _c("C3", date(2018, 5, 4), 1, TC, responded=date(2018, 5, 21), closed=date(2018, 5, 25),
       outcome=N, root="Decision Making", learning="Not upheld: never printed."),
    # Cancelled: not closed, not in timeliness (due 15/06), counted as Cancelled.
    _c("C4", date(2018, 6, 1), 1, "AT&T", closed=date(2018, 6, 10), outcome=X),
    # Stage 2 from C3: 25 working days from Mon 4/06 = Mon 9/07; on time.
    _c("C5", date(2018, 6, 4), 2, TC, responded=date(2018, 7, 9), closed=date(2018, 7, 10),
       outcome=U, root="Decision Making", learning="Retrain on LADO referrals.",
       escalated="C3"),
    # Not upheld, so its root cause does not count; due 16/07, on time.
    _c("C6", date(2018, 7, 2), 1, "alpha team", responded=date(2018, 7, 3),
       closed=date(2018, 7, 5), outcome=N, root="Delay", learning="Not upheld either."),
    # ADR with a £1800 saving; due 15/08, on time.
    _c("C7", date(2018, 8, 1), 1, "Béta Services", responded=date(2018, 8, 2),
       closed=date(2018, 8, 3), outcome=U, root="Assessment", learning=AWKWARD_LEARNING,
       adr=True, saving=Decimal("1800")),
    # Open, responded on time (due 17/09).
    _c("C8", date(2018, 9, 3), 1, "Béta Services", responded=date(2018, 9, 5)),
    # Received in Y, due Mon 8/04/2019 (Y+1): not in Y's timeliness; open.
    _c("C10", date(2019, 3, 25), 1, "Adoption"),
    # Due 15/10, never responded: due in Y and not on time.
    _c("C11", date(2018, 10, 1), 1, "AT&T"),
    # Extended: 20 working days from Thu 1/11 = Thu 29/11; responded that day: on time.
    _c("C12", date(2018, 11, 1), 1, "AT&T", extended=True, responded=date(2018, 11, 29),
       closed=date(2018, 12, 1), outcome=N),
    # LGO referred in Y; open; due 17/12, responded 4/12.
    _c("C13", date(2018, 12, 3), 1, "alpha team", responded=date(2018, 12, 4),
       lgo=date(2019, 1, 15)),
    # --- received in Y-1 ---
    # Received 20/03/2018 (Y-1), closed in Y; due 5/04/2018 (Easter skipped): due in Y.
    _c("C9", date(2018, 3, 20), 1, "Adoption", responded=date(2018, 4, 5),
       closed=date(2018, 4, 10), outcome=P, root="Delay", learning="Plan ahead."),
    # due 16/05/2017, on time
    _c("P1", date(2017, 5, 2), 1, "Adoption", responded=date(2017, 5, 10),
       closed=date(2017, 5, 12), outcome=U, root="Communication",
       learning="Call back within a day."),
    # due 15/06/2017, responded 20/06: late; the same learning again (printed once)
    _c("P2", date(2017, 6, 1), 1, "Adoption", responded=date(2017, 6, 20),
       closed=date(2017, 6, 21), outcome=U, root="Communication",
       learning="Call back within a day."),
    _c("P3", date(2017, 7, 3), 1, "Zeta Team", responded=date(2017, 7, 4),
       closed=date(2017, 7, 5), outcome=N),
    _c("P4", date(2017, 8, 1), 1, "Zeta Team", closed=date(2017, 8, 2), outcome=X),
    # ADR with £500.50; due 15/09/2017, on time
    _c("P5", date(2017, 9, 1), 1, "Zeta Team", responded=date(2017, 9, 5),
       closed=date(2017, 9, 6), outcome=P, root="Staff Conduct",
       learning="Dealt with in line with process.", adr=True, saving=Decimal("500.50")),
    # ADR without a saving; upheld with no learning text
    _c("P6", date(2017, 10, 2), 1, "alpha team", responded=date(2017, 10, 3),
       closed=date(2017, 10, 4), outcome=U, root="Assessment", adr=True),
]

OTHERS = [
    InitialFeedbackData("F1", date(2018, 4, 1), "Adoption", summary=SECRET_SUMMARY),  # Sunday
    InitialFeedbackData("F2", date(2018, 10, 10), "AT&T"),
    InitialFeedbackData("F3", date(2019, 3, 31), TC),  # last day of Y
    InitialFeedbackData("F4", date(2018, 3, 31), "Adoption"),  # last day of Y-1
    InitialFeedbackData("F5", date(2017, 4, 1), "Adoption"),
    InitialFeedbackData("F6", date(2019, 4, 1), "Adoption"),  # Y+1
    EnquiryData("E1", date(2018, 5, 1), EnquirySource.MP, "AT&T", enquirer=SECRET),
    EnquiryData("E2", date(2018, 6, 1), EnquirySource.MP, "AT&T"),
    EnquiryData("E3", date(2018, 7, 1), EnquirySource.MP, "Zeta Team"),
    EnquiryData("E4", date(2018, 8, 1), EnquirySource.MP, "alpha team"),
    EnquiryData("E5", date(2018, 9, 1), EnquirySource.MP, "Adoption"),
    EnquiryData("E6", date(2018, 9, 2), EnquirySource.MEMBER, "Béta Services"),
    EnquiryData("E7", date(2017, 9, 2), EnquirySource.MP, "Adoption"),
    ComplimentData("K1", date(2018, 4, 2), "Zeta Team"),
    ComplimentData("K2", date(2018, 5, 2), "Zeta Team"),
    ComplimentData("K3", date(2018, 6, 2), "Adoption"),
    ComplimentData("K4", date(2018, 7, 2), "Adoption"),
    ComplimentData("K5", date(2018, 8, 2), "AT&T"),
    ComplimentData("K6", date(2017, 8, 2), "Adoption"),
    DisputeData("D1", date(2018, 4, 3), "Adoption"),
    DisputeData("D2", date(2019, 3, 31), TC),
    DisputeData("D3", date(2019, 4, 1), TC),  # Y+1
]

# Worked out by hand from the records above.
EXPECTED_COMPARISON = {
    # IF, S1, S2, S3, ADR, closed, cancelled, upheld %, timeliness %
    "2018/19": ["3", "11", "1", "0", "1", "8", "1", "63%", "82%"],  # 5/8 = 62.5 -> 63; 9/11
    "2017/18": ["2", "7", "0", "0", "2", "5", "1", "80%", "80%"],  # 4/5; 4/5
    "Difference": ["+1", "+4", "+1", "N/A", "-1", "+3", "0", "-17%", "+2%"],
}
EXPECTED_UPHELD_BY_AREA = [
    ["Adoption", "2", "100% (2)", "3", "100% (3)"],
    ["alpha team", "1", "100% (1)", "1", "0%"],
    ["AT&T", "0", "N/A", "1", "0%"],
    ["Béta Services", "0", "N/A", "1", "100% (1)"],
    [TC, "0", "N/A", "2", "50% (1)"],
    ["Zeta Team", "2", "50% (1)", "0", "N/A"],
]
EXPECTED_THEMES_Y = [
    ("Communication", ["Apologise promptly.", "Call back within a day."]),
    ("Assessment", [AWKWARD_LEARNING]),  # ties at 1 with Decision Making and Delay: by name
    ("Decision Making", ["Retrain on LADO referrals."]),
]
EXPECTED_THEMES_PREVIOUS = [
    ("Communication", ["Call back within a day."]),
    ("Assessment", []),
    ("Staff Conduct", ["Dealt with in line with process."]),
]
EXPECTED_MP_TEAMS = [["AT&T", "2"], ["Adoption", "1"], ["alpha team", "1"], ["Zeta Team", "1"]]
EXPECTED_MEMBER_TEAMS = [["Béta Services", "1"]]
EXPECTED_COMPLIMENT_TEAMS = [["Adoption", "2"], ["Zeta Team", "2"], ["AT&T", "1"]]
EXPECTED_REPRESENTATIONS = {"2018/19": 3 + 12 + 6 + 5, "2017/18": 2 + 7 + 1 + 1}


@pytest.fixture(scope="session")
def empty_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty database per test run, copied by `database` (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_database(path).close()
    return path


def copy_of(empty: Path, path: Path):
    """A real cscdesk database at `path`, copied from the migrated empty one."""
    source, target = sqlite3.connect(empty), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return open_database(path)


@pytest.fixture
def database(empty_database_file: Path, db_path: Path):
    """A fresh real cscdesk database: a copy of the migrated empty one."""
    db = copy_of(empty_database_file, db_path)
    yield db
    db.close()


def load_dataset(database) -> None:
    """Save every record of the dataset through the store (so due dates are the store's)."""
    with database.transaction() as session:
        for record in [c for c in COMPLAINTS if c.reference != "C5"]:
            records.save(session, record)
        records.save(session, next(c for c in COMPLAINTS if c.reference == "C5"))
        for record in OTHERS:
            records.save(session, record)


def test_due_dates_are_as_counted_by_hand(database):
    """The expectations rely on these due dates; check them first."""
    from sqlalchemy import select

    from cscdesk.store.models import Complaint

    load_dataset(database)
    with database.session() as session:
        due = dict(session.execute(select(Complaint.reference, Complaint.due)).all())
    assert due["C1"] == date(2018, 4, 20)
    assert due["C2"] == date(2018, 4, 20)
    assert due["C3"] == date(2018, 5, 21)
    assert due["C5"] == date(2018, 7, 9)
    assert due["C9"] == date(2018, 4, 5)
    assert due["C10"] == date(2019, 4, 8)
    assert due["C12"] == date(2018, 11, 29)
    assert due["P2"] == date(2017, 6, 15)
