"""The appendix's five-year trends: figures, printed tables, alternative texts and note, on a
small crafted dataset with every figure worked out by hand below; and agreement with the
appendix's own figures (`compute_figures`) for the years both show, on the crafted data and on
the demo database.

Y = 2018/19, so the five years are 2014/15 to 2018/19:

- 2014/15: nothing at all (every count 0, every rate N/A);
- 2015/16: hand-entered figures, and one initial feedback record (which wins over the
  hand-entered initial feedback);
- 2016/17: records, and hand-entered figures of which only the compliments are used (the
  year has no compliment records; its complaint records win over the hand-entered ones);
- 2017/18 and 2018/19: records only.

Stage 1 due dates (10 working days after Received, day of receipt = day 0), counted by hand
with England's bank holidays (29 May 2017 is one; Easter 2017 is 14-17 April, 2019 is 19-22
April) and checked against the dates the store keeps.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Outcome,
)
from cscdesk.domain.years import ReportingYear
from cscdesk.report import trends_printed
from cscdesk.report.baseline import BaselineFigures, save_baseline
from cscdesk.report.charts import BarChart, Series
from cscdesk.report.figures import YearFigures, compute_figures
from cscdesk.report.trends import TrendYear, compute_trends, trend_years
from cscdesk.store import records

both_engines = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)

Y = ReportingYear(2018)
LABELS = ("2014/15", "2015/16", "2016/17", "2017/18", "2018/19")
UP, PART, NOT, CANCEL = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD,
                         Outcome.CANCELLED)
MP, MEP, MEMBER = EnquirySource.MP, EnquirySource.MEP, EnquirySource.MEMBER


def _c(ref, received, stage, *, extended=False, responded=None, closed=None, outcome=None):
    return ComplaintData(reference=ref, received=received, stage=stage, team="Adoption",
                         extended=extended, responded=responded, closed=closed,
                         outcome=outcome)


COMPLAINTS = [
    # 2016/17: Stage 1 x4 (A1, A2, A3, A5), Stage 2 x1 (A4).
    # Wed 1/06/2016: due Wed 15/06; responded 2/06: on time. Closed in 2016/17, upheld.
    _c("A1", date(2016, 6, 1), 1, responded=date(2016, 6, 2), closed=date(2016, 6, 3),
       outcome=UP),
    # Fri 1/07/2016: due Fri 15/07; responded 30/09: late. Closed in 2016/17, not upheld.
    _c("A2", date(2016, 7, 1), 1, responded=date(2016, 9, 30), closed=date(2016, 9, 30),
       outcome=NOT),
    # Cancelled: counted as received, left out of the due and the closed.
    _c("A3", date(2016, 8, 1), 1, closed=date(2016, 8, 5), outcome=CANCEL),
    # Stage 2: closed in 2016/17, partially upheld; not a Stage 1 response.
    _c("A4", date(2016, 9, 1), 2, responded=date(2016, 9, 2), closed=date(2016, 9, 5),
       outcome=PART),
    # Mon 20/03/2017: due Mon 3/04/2017, in 2017/18; responded 21/03: on time (for 2017/18).
    _c("A5", date(2017, 3, 20), 1, responded=date(2017, 3, 21)),
    # 2017/18: Stage 1 x2 (B1, B3), Stage 3 x1 (B2).
    # Mon 15/05/2017: due Tue 30/05 (29/05 a bank holiday); responded 16/05: on time.
    _c("B1", date(2017, 5, 15), 1, responded=date(2017, 5, 16), closed=date(2017, 5, 20),
       outcome=NOT),
    _c("B2", date(2017, 10, 2), 3, responded=date(2017, 10, 3), closed=date(2017, 10, 4),
       outcome=UP),
    # Wed 1/11/2017, extended: due Wed 29/11/2017 (20 days); no response: late. Closed in
    # 2018/19, partially upheld.
    _c("B3", date(2017, 11, 1), 1, extended=True, closed=date(2018, 4, 10), outcome=PART),
    # 2018/19: Stage 1 x2 (D1, D4), Stage 2 x2 (D2, D3).
    # Mon 4/06/2018: due Mon 18/06; responded 5/06: on time. Upheld.
    _c("D1", date(2018, 6, 4), 1, responded=date(2018, 6, 5), closed=date(2018, 6, 6),
       outcome=UP),
    _c("D2", date(2018, 7, 2), 2, responded=date(2018, 7, 3), closed=date(2018, 7, 4),
       outcome=NOT),
    _c("D3", date(2018, 8, 1), 2),
    # Fri 29/03/2019: due Fri 12/04/2019, in 2019/20: not due in 2018/19.
    _c("D4", date(2019, 3, 29), 1),
]
STAGE1_DUE = {"A1": date(2016, 6, 15), "A2": date(2016, 7, 15), "A5": date(2017, 4, 3),
              "B1": date(2017, 5, 30), "B3": date(2017, 11, 29), "D1": date(2018, 6, 18),
              "D4": date(2019, 4, 12)}

OTHERS = [
    # Outside the five years: the last day of 2013/14 and the first of 2019/20.
    ComplimentData("K0", date(2014, 3, 31), "Adoption"),
    InitialFeedbackData("F9", date(2019, 4, 1), "Adoption"),
    # 2015/16: one initial feedback record.
    InitialFeedbackData("F1", date(2015, 6, 1), "Adoption"),
    # 2016/17: 2 initial feedback, enquiries MP and Member; no compliments.
    InitialFeedbackData("F2", date(2016, 4, 1), "Adoption"),
    InitialFeedbackData("F3", date(2017, 3, 31), "Adoption"),
    EnquiryData("E1", date(2016, 5, 1), MP, "Adoption"),
    EnquiryData("E2", date(2016, 5, 2), MEMBER, "Fostering"),
    # 2017/18: 3 initial feedback, 2 MEP enquiries, 1 compliment.
    InitialFeedbackData("F4", date(2017, 4, 1), "Adoption"),
    InitialFeedbackData("F5", date(2017, 8, 1), "Adoption"),
    InitialFeedbackData("F6", date(2018, 3, 31), "Adoption"),
    EnquiryData("E3", date(2017, 6, 1), MEP, "Adoption"),
    EnquiryData("E4", date(2018, 1, 1), MEP, "Adoption"),
    ComplimentData("K1", date(2017, 9, 1), "Fostering"),
    # 2018/19: no initial feedback, one enquiry of each source, 2 compliments.
    EnquiryData("E5", date(2018, 4, 1), MP, "Adoption"),
    EnquiryData("E6", date(2018, 9, 1), MEP, "Adoption"),
    EnquiryData("E7", date(2019, 3, 31), MEMBER, "Adoption"),
    ComplimentData("K2", date(2018, 5, 1), "Fostering"),
    ComplimentData("K3", date(2019, 2, 1), "Adoption"),
]

HAND_ENTERED = [
    # 2015/16 has no complaint, enquiry or compliment records: those figures come from here.
    # Its initial feedback (20) loses to the one record; stage3 and the Member enquiries were
    # not entered (0 from the records); the MEP count was left empty while its team table was
    # entered (2 + 1 = 3); the compliments likewise (4).
    BaselineFigures(year=2015, initial_feedback=20, stage1=30, stage2=2, upheld_percent=40,
                    timeliness_percent=75, enquiries_mp=5,
                    teams={"enquiries_mep": (("Adoption", 2), ("Fostering", 1)),
                           "compliments": (("Adoption", 4),)}),
    # 2016/17 has complaint and enquiry records, which win; no compliment records: 7 is used.
    BaselineFigures(year=2016, stage1=99, upheld_percent=10, enquiries_mp=50, compliments=7),
]

NOTHING = TrendYear("2014/15", initial_feedback=0, stage1=0, stage2=0, stage3=0, enquiries=0,
                    compliments=0, representations=0, stage1_on_time_percent=None,
                    upheld_percent=None, from_baseline=frozenset())
EXPECTED = [
    NOTHING,
    # 1 + (30 + 2 + 0) + (5 + 3 + 0) + 4 = 45. Stage 1 timeliness: not known (the year's
    # complaint figures are hand-entered). Upheld: 40% as entered.
    TrendYear("2015/16", initial_feedback=1, stage1=30, stage2=2, stage3=0, enquiries=8,
              compliments=4, representations=45, stage1_on_time_percent=None,
              upheld_percent=40,
              from_baseline=frozenset({"stage1", "stage2", "upheld_percent", "enquiries",
                                       "compliments", "representations",
                                       "stage1_on_time_percent"})),
    # 2 + (4 + 1 + 0) + 2 + 7 = 16. Stage 1 due in 2016/17 (not Cancelled): A1 on time, A2
    # late: 1/2 = 50%. Closed (not Cancelled): A1 upheld, A2 not, A4 partially: 2/3 = 67%.
    TrendYear("2016/17", initial_feedback=2, stage1=4, stage2=1, stage3=0, enquiries=2,
              compliments=7, representations=16, stage1_on_time_percent=50,
              upheld_percent=67,
              from_baseline=frozenset({"compliments", "representations"})),
    # 3 + (2 + 0 + 1) + 2 + 1 = 9. Stage 1 due: A5 on time, B1 on time, B3 late: 2/3 = 67%.
    # Closed: B1 not upheld, B2 upheld: 1/2 = 50%.
    TrendYear("2017/18", initial_feedback=3, stage1=2, stage2=0, stage3=1, enquiries=2,
              compliments=1, representations=9, stage1_on_time_percent=67, upheld_percent=50),
    # 0 + (2 + 2 + 0) + 3 + 2 = 9. Stage 1 due: D1 on time (D4 due in 2019/20): 1/1 = 100%.
    # Closed: D1 upheld, D2 not, B3 partially: 2/3 = 67%.
    TrendYear("2018/19", initial_feedback=0, stage1=2, stage2=2, stage3=0, enquiries=3,
              compliments=2, representations=9, stage1_on_time_percent=100,
              upheld_percent=67),
]

EXPECTED_TABLES = {
    "representations": [
        ["Representations", *LABELS],
        ["Initial feedback", "0", "1", "2", "3", "0"],
        ["Complaints (Stages 1–3)", "0", "32", "5", "3", "4"],
        ["Enquiries", "0", "8", "2", "2", "3"],
        ["Compliments", "0", "4", "7", "1", "2"],
        ["Total", "0", "45", "16", "9", "9"],
    ],
    "timeliness_upheld": [
        ["Percentage", *LABELS],
        ["Stage 1 responses on time", "N/A", "N/A", "50%", "67%", "100%"],
        ["Complaints upheld", "N/A", "40%", "67%", "50%", "67%"],
    ],
    "later_stages": [
        ["Complaints", *LABELS],
        ["Stage 2", "0", "2", "1", "0", "2"],
        ["Stage 3", "0", "0", "0", "1", "0"],
    ],
}
EXPECTED_DESCRIPTIONS = [
    # Initial feedback: 0 at both ends, highest 3 in 2017/18; complaints 0 -> 4, highest 32.
    "Bar chart of representations by kind from 2014/15 to 2018/19: initial feedback stood at 0 "
    "in both 2014/15 and 2018/19, peaking at 3 in 2017/18; complaints rose from 0 to 4, "
    "peaking at 32 in 2015/16; enquiries rose from 0 to 3, peaking at 8 in 2015/16; "
    "compliments rose from 0 to 2, peaking at 7 in 2016/17.",
    # First known years: 2016/17 and 2015/16; the upheld 67% in 2016/17 is no peak above 67%.
    "Bar chart of the percentage of Stage 1 responses on time and of complaints upheld from "
    "2014/15 to 2018/19: Stage 1 responses on time rose from 50% in 2016/17 to 100% in "
    "2018/19; complaints upheld rose from 40% in 2015/16 to 67% in 2018/19.",
    "Bar chart of Stage 2 and Stage 3 complaints from 2014/15 to 2018/19: Stage 2 complaints "
    "rose from 0 to 2; Stage 3 complaints stood at 0 in both 2014/15 and 2018/19, peaking at "
    "1 in 2017/18.",
]
EXPECTED_NOTE = ("Figures entered by hand (not computed from case records): complaints, "
                 "enquiries and compliments of 2015/16 (without Stage 1 timeliness, shown as "
                 "N/A); compliments of 2016/17.")


def load(database) -> None:
    with database.transaction() as session:
        for record in [*COMPLAINTS, *OTHERS]:
            records.save(session, record)
        for figures in HAND_ENTERED:
            save_baseline(session, figures)


@pytest.fixture
def crafted(database):
    load(database)
    return database


@both_engines
def test_trend_figures_worked_out_by_hand(crafted):
    from sqlalchemy import select

    from cscdesk.store.models import Complaint

    with crafted.session() as session:
        due = dict(session.execute(select(Complaint.reference, Complaint.due)).all())
        trends = compute_trends(session, Y)
    assert {ref: due[ref] for ref in STAGE1_DUE} == STAGE1_DUE
    assert trends.year == Y
    assert trends.labels == LABELS
    assert list(trends.years) == EXPECTED
    assert trends.hand_entered == ("2015/16", "2016/17")


def _agree(trend: TrendYear, year: YearFigures) -> None:
    """Every figure both show is the same, and so is whether it was entered by hand."""
    row = year.comparison
    assert (trend.label, trend.initial_feedback, trend.stage1, trend.stage2, trend.stage3,
            trend.enquiries, trend.compliments, trend.representations, trend.upheld_percent) == (
        year.label, row.initial_feedback, row.stage1, row.stage2, row.stage3,
        year.enquiries_total, year.compliments, year.representations, row.upheld_percent)
    chosen = year.from_baseline
    assert {key: key in trend.from_baseline for key in (
        "initial_feedback", "stage1", "stage2", "stage3", "upheld_percent", "enquiries",
        "compliments")} == {
        "initial_feedback": "initial_feedback" in chosen, "stage1": "stage1" in chosen,
        "stage2": "stage2" in chosen, "stage3": "stage3" in chosen,
        "upheld_percent": "upheld_percent" in chosen,
        "enquiries": any(key.startswith("enquiries_") for key in chosen),
        "compliments": "compliments" in chosen}


@both_engines
def test_the_last_two_years_agree_with_the_appendix(crafted):
    with crafted.session() as session:
        for year in (ReportingYear(2015), ReportingYear(2016), Y):
            trends = compute_trends(session, year)
            figures = compute_figures(session, year)
            _agree(trends.years[-1], figures.current)
            _agree(trends.years[-2], figures.previous)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cscdesk.demo import create_demo_database

    path = tmp_path_factory.mktemp("trends") / "demo.db"
    create_demo_database(path, today=date(2026, 11, 25))
    return path


def test_the_demo_agrees_with_the_appendix_every_year(demo):
    """The demo's hand-entered year (2015/16) and every year of its records (to 2026/27)."""
    connection = sqlite3.connect(demo)
    try:
        for start in range(2016, 2027):
            year = ReportingYear(start)
            trends = compute_trends(connection, year)
            figures = compute_figures(connection, year)
            assert trends.labels == tuple(y.label for y in trend_years(year))
            _agree(trends.years[-1], figures.current)
            _agree(trends.years[-2], figures.previous)
            assert trends.years[-1].representations > 0
        assert compute_trends(connection, ReportingYear(2016)).hand_entered == ("2015/16",)
    finally:
        connection.close()


def test_a_plain_connection_reads_the_same_trends(crafted):
    with crafted.session() as session:
        expected = compute_trends(session, Y)
    connection = sqlite3.connect(crafted.path)
    try:
        assert compute_trends(connection, Y) == expected
    finally:
        connection.close()


@both_engines
def test_printed_charts_tables_and_note(crafted):
    with crafted.session() as session:
        trends = compute_trends(session, Y)
    printed = trends_printed.charts(trends)
    assert [table for _, table, _ in printed] == list(EXPECTED_TABLES.values())
    assert [description for _, _, description in printed] == EXPECTED_DESCRIPTIONS
    assert trends_printed.tables(trends) == EXPECTED_TABLES
    assert trends_printed.note(trends) == EXPECTED_NOTE
    representations, rates, later = (chart for chart, _, _ in printed)
    assert representations == BarChart(
        "Representations by kind", LABELS,
        (Series("Initial feedback", (0.0, 1.0, 2.0, 3.0, 0.0)),
         Series("Complaints (Stages 1–3)", (0.0, 32.0, 5.0, 3.0, 4.0)),
         Series("Enquiries", (0.0, 8.0, 2.0, 2.0, 3.0)),
         Series("Compliments", (0.0, 4.0, 7.0, 1.0, 2.0))))
    assert rates == BarChart(
        "Stage 1 responses on time and complaints upheld (%)", LABELS,
        (Series("Stage 1 responses on time", (None, None, 50.0, 67.0, 100.0)),
         Series("Complaints upheld", (None, 40.0, 67.0, 50.0, 67.0))), percent=True)
    assert later == BarChart(
        "Stage 2 and Stage 3 complaints", LABELS,
        (Series("Stage 2", (0.0, 2.0, 1.0, 0.0, 2.0)),
         Series("Stage 3", (0.0, 0.0, 0.0, 1.0, 0.0))))
    assert trends_printed.HEADING == "Five-Year Trends:"
    assert "from 2014/15 to 2018/19" in trends_printed.intro(trends)


def test_five_empty_years(database):
    """No records and nothing entered by hand: zeros, N/A, no note; the words for a flat line
    and for figures never known."""
    with database.session() as session:
        trends = compute_trends(session, ReportingYear(2030))
    labels = ("2026/27", "2027/28", "2028/29", "2029/30", "2030/31")
    assert trends.years == tuple(dataclasses.replace(NOTHING, label=label) for label in labels)
    assert trends_printed.note(trends) is None
    assert trends_printed.tables(trends)["timeliness_upheld"][1:] == [
        ["Stage 1 responses on time", *["N/A"] * 5], ["Complaints upheld", *["N/A"] * 5]]
    descriptions = [description for _, _, description in trends_printed.charts(trends)]
    assert descriptions[1].endswith(": no figures for Stage 1 responses on time; no figures "
                                    "for complaints upheld.")
    assert descriptions[2] == (
        "Bar chart of Stage 2 and Stage 3 complaints from 2026/27 to 2030/31: Stage 2 "
        "complaints stood at 0 in both 2026/27 and 2030/31; Stage 3 complaints stood at 0 in "
        "both 2026/27 and 2030/31.")


def test_words_for_a_fall_and_a_single_known_year(database):
    """X1 (Thu 1/06/2017, due 15/06, responded 2/06): 2017/18 100% on time; X2 (Mon 4/06/2018,
    due 18/06, no response): 2018/19 0%."""
    with database.transaction() as session:
        records.save(session, _c("X1", date(2017, 6, 1), 1, responded=date(2017, 6, 2)))
        records.save(session, _c("X2", date(2018, 6, 4), 1))
    with database.session() as session:
        to_2019 = compute_trends(session, ReportingYear(2019))  # 2015/16 to 2019/20
        to_2017 = compute_trends(session, ReportingYear(2017))  # 2013/14 to 2017/18
    assert [y.stage1_on_time_percent for y in to_2019.years] == [None, None, 100, 0, None]
    _, _, description = trends_printed.charts(to_2019)[1]
    assert ": Stage 1 responses on time fell from 100% in 2017/18 to 0% in 2018/19;" in (
        description)
    _, _, description = trends_printed.charts(to_2017)[1]
    assert ": Stage 1 responses on time stood at 100% in 2017/18;" in description
