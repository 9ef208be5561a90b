"""The figures engine against the hand-computed expectations of the crafted dataset."""
# ruff: noqa: F811  (the `database` fixture is imported from test_figures_dataset)

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from cscdesk.domain.kinds import ComplaintData, EnquirySource, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.report.figures import compute_figures, propose_themes
from cscdesk.report.figures_text import as_dict, printed_difference, printed_row
from cscdesk.store import records
from test_figures_dataset import (  # noqa: F401 (fixtures)
    EXPECTED_COMPARISON,
    EXPECTED_COMPLIMENT_TEAMS,
    EXPECTED_MEMBER_TEAMS,
    EXPECTED_MP_TEAMS,
    EXPECTED_REPRESENTATIONS,
    EXPECTED_THEMES_PREVIOUS,
    EXPECTED_THEMES_Y,
    EXPECTED_UPHELD_BY_AREA,
    database,
    empty_database_file,
    load_dataset,
)

Y = ReportingYear(2018)


@pytest.fixture
def figures(database):
    load_dataset(database)
    with database.session() as session:
        return compute_figures(session, Y)


def test_comparison_rows_and_difference(figures):
    assert printed_row(figures.current.comparison) == EXPECTED_COMPARISON["2018/19"]
    assert printed_row(figures.previous.comparison) == EXPECTED_COMPARISON["2017/18"]
    assert printed_difference(figures.difference) == EXPECTED_COMPARISON["Difference"]
    assert figures.current.comparison.upheld == 5
    assert (figures.current.comparison.due, figures.current.comparison.on_time) == (11, 9)


def test_representations_lgo_adr_disputes(figures):
    assert figures.current.representations == EXPECTED_REPRESENTATIONS["2018/19"]
    assert figures.previous.representations == EXPECTED_REPRESENTATIONS["2017/18"]
    assert (figures.current.lgo, figures.previous.lgo) == (1, 0)
    assert figures.current.adr_saving_pence == 180000
    assert figures.current.adr_stages == ((1, 1),)
    assert figures.previous.adr_saving_pence == 50050
    assert figures.previous.adr_stages == ((1, 2),)
    assert (figures.current.dispute_resolution, figures.previous.dispute_resolution) == (2, 0)
    assert figures.current.from_baseline == frozenset()


def test_upheld_by_area(figures):
    rows = as_dict(figures)["printed"]["upheld_by_area"]
    assert rows[0] == ["Complaint Area", "Volume 2017-2018", "% Upheld", "Volume 2018-2019",
                       "% Upheld"]
    assert rows[1:] == EXPECTED_UPHELD_BY_AREA


def test_root_cause_themes_for_both_years(figures):
    def shape(themes):
        return [(t.name, list(t.learning)) for t in themes.themes]

    assert shape(figures.current.themes) == EXPECTED_THEMES_Y
    assert shape(figures.previous.themes) == EXPECTED_THEMES_PREVIOUS
    assert [t.count for t in figures.current.themes.themes] == [2, 1, 1]


def test_enquiries_and_compliments(figures):
    mp = figures.current.enquiries_from(EnquirySource.MP)
    assert mp.count == 5
    assert [[t.team, str(t.count)] for t in mp.teams] == EXPECTED_MP_TEAMS
    assert figures.current.enquiries_from(EnquirySource.MEP).count == 0
    member = figures.current.enquiries_from(EnquirySource.MEMBER)
    assert member.heading == "Members"
    assert [[t.team, str(t.count)] for t in member.teams] == EXPECTED_MEMBER_TEAMS
    assert figures.current.compliments == 5
    assert [[t.team, str(t.count)] for t in figures.current.compliments_by_team] == \
        EXPECTED_COMPLIMENT_TEAMS
    assert figures.previous.enquiries_total == 1


def test_plain_connection_gives_the_same_figures(database, figures):
    connection = sqlite3.connect(database.path)
    try:
        assert compute_figures(connection, Y) == figures
    finally:
        connection.close()


def test_as_of_cuts_both_years_at_the_same_point(database):
    load_dataset(database)
    with database.session() as session:
        so_far = compute_figures(session, Y, as_of=date(2018, 6, 30))
    assert so_far.current.period_end == date(2018, 6, 30)
    assert so_far.previous.period_end == date(2017, 6, 30)
    now, before = so_far.current.comparison, so_far.previous.comparison
    assert (now.stage1, now.stage2, now.closed, now.cancelled) == (4, 1, 4, 1)
    assert now.upheld_percent == 75  # C1, C2, C9 of C1, C2, C3, C9
    assert (before.stage1, before.closed, before.upheld_percent) == (2, 2, 100)
    assert so_far.current.compliments == 3
    assert so_far.current.dispute_resolution == 1


def test_as_of_on_29_february_compares_with_28_february(database):
    with database.session() as session:
        figures = compute_figures(session, ReportingYear(2019), as_of=date(2020, 2, 29))
    assert figures.previous.period_end == date(2019, 2, 28)


def test_empty_database_gives_zero_and_not_applicable(database):
    with database.session() as session:
        figures = compute_figures(session, Y)
    assert printed_row(figures.current.comparison) == ["0"] * 7 + ["N/A", "N/A"]
    assert printed_difference(figures.difference) == ["N/A"] * 9
    assert figures.upheld_by_area == ()
    assert figures.current.themes.themes == ()


def test_unsaved_changes_in_the_session_are_counted(database):
    with database.session() as session:
        records.save(session, ComplaintData("Z1", date(2018, 5, 1), 1, "Adoption",
                                            closed=date(2018, 5, 2), outcome=Outcome.UPHELD,
                                            root_cause="Communication"))
        figures = compute_figures(session, Y)
        session.rollback()
    assert figures.current.comparison.closed == 1


def test_propose_themes_is_the_whole_year(database):
    load_dataset(database)
    with database.session() as session:
        themes = propose_themes(session, Y)
    assert [t.name for t in themes.themes] == [name for name, _ in EXPECTED_THEMES_Y]


def test_learning_order_is_first_appearance_by_closed_then_stored_order(database):
    """Text A is stored first but first closes on the same day as B, which was stored before
    A's record of that day: B's first appearance comes first."""
    def upheld(ref, closed, learning):
        return ComplaintData(ref, date(2018, 4, 2), 1, "Adoption", closed=closed,
                             outcome=Outcome.UPHELD, root_cause="Communication",
                             learning=learning)

    with database.transaction() as session:
        records.save(session, upheld("R1", date(2018, 6, 2), "A"))  # A appears late first
        records.save(session, upheld("R2", date(2018, 6, 1), "B"))
        records.save(session, upheld("R3", date(2018, 6, 1), "A"))
        records.save(session, upheld("R4", date(2018, 5, 1), "C"))
    with database.session() as session:
        themes = compute_figures(session, Y).current.themes
    assert themes.themes[0].learning == ("C", "B", "A")
