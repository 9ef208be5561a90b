"""Hand-entered figures of a past year: stored, read back, and used only where records are not."""
# ruff: noqa: F811  (the `database` fixture is imported from test_figures_dataset)

from __future__ import annotations

from datetime import date

import pytest

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.report.baseline import (
    BaselineFigures,
    baseline_years,
    delete_baseline,
    load_baseline,
    save_baseline,
)
from cscdesk.report.figures import compute_figures
from cscdesk.report.figures_text import as_dict, printed_difference, printed_row
from cscdesk.store import records
from test_figures_dataset import database, empty_database_file  # noqa: F401

Y = ReportingYear(2018)

# The example appendix's published 2017/18 figures.
EXAMPLE_2017 = BaselineFigures(
    year=2017, initial_feedback=33, stage1=48, stage2=0, stage3=0, adr_cases=6,
    adr_saving_pence=900000, closed=48, cancelled=2, upheld_percent=40, timeliness_percent=83,
    lgo=0, dispute_resolution=None, enquiries_mp=10, enquiries_mep=None, enquiries_member=3,
    compliments=None,
    teams={
        "closed_volume": (("Adoption", 6), ("Child Protection / LADO", 4)),
        "upheld": (("Adoption", 5),),
        "enquiries_mep": (("CFAT", 3), ("Fostering", 1)),
        "compliments": (("Fostering", 6), ("CFAT", 4)),
    },
)


def _complaint(ref: str, received: date, outcome: Outcome | None = None,
               closed: date | None = None) -> ComplaintData:
    return ComplaintData(ref, received, 1, "Adoption", responded=received, closed=closed,
                         outcome=outcome)


def test_save_and_load_round_trip(database):
    with database.transaction() as session:
        save_baseline(session, EXAMPLE_2017)
    with database.session() as session:
        loaded = load_baseline(session, 2017)
        assert baseline_years(session) == [ReportingYear(2017)]
    assert loaded is not None
    assert loaded.stage1 == 48 and loaded.enquiries_mep is None
    assert dict(loaded.teams["closed_volume"]) == {"Adoption": 6, "Child Protection / LADO": 4}
    assert dict(loaded.teams["upheld"]) == {"Adoption": 5}


def test_saving_again_replaces_and_delete_forgets(database):
    with database.transaction() as session:
        save_baseline(session, EXAMPLE_2017)
        save_baseline(session, BaselineFigures(year=2017, stage1=47))
    with database.session() as session:
        loaded = load_baseline(session, 2017)
    assert loaded == BaselineFigures(year=2017, stage1=47)
    with database.transaction() as session:
        delete_baseline(session, Y.previous)
    with database.session() as session:
        assert load_baseline(session, 2017) is None


def test_bad_figures_are_refused_with_every_problem(database):
    bad = BaselineFigures(year=2017, stage1=-1, upheld_percent=140,
                          teams={"nonsense": (("A", 1),), "compliments": (("A", 1), ("a", 2))})
    with database.transaction() as session, pytest.raises(InputError) as caught:
        save_baseline(session, bad)
    message = str(caught.value)
    assert "stage1" in message and "between 0 and 100" in message
    assert "nonsense" in message and "appears twice" in message


def test_year_without_records_uses_the_baseline(database):
    with database.transaction() as session:
        save_baseline(session, EXAMPLE_2017)
        records.save(session, _complaint("C1", date(2018, 5, 1), Outcome.UPHELD,
                                         date(2018, 5, 2)))
    with database.session() as session:
        figures = compute_figures(session, Y)
    previous = figures.previous
    assert printed_row(previous.comparison) == ["33", "48", "0", "0", "6", "48", "2", "40%",
                                                "83%"]
    assert printed_difference(figures.difference) == ["-33", "-47", "N/A", "N/A", "-6", "-47",
                                                      "-2", "+60%", "+17%"]
    assert previous.adr_saving_pence == 900000
    assert previous.comparison.upheld is None and previous.comparison.due is None
    # MEP: the count was left empty but the team table was entered: the count is its sum.
    assert [e.count for e in previous.enquiries] == [10, 4, 3]
    assert previous.compliments == 10
    assert previous.dispute_resolution == 0  # not entered, no records
    assert previous.representations == 33 + 48 + 17 + 10
    assert "dispute_resolution" not in previous.from_baseline
    assert {"stage1", "upheld_percent", "upheld_by_area", "enquiries_mep",
            "enquiries_mep_teams", "compliments_teams"} <= previous.from_baseline
    area = as_dict(figures)["printed"]["upheld_by_area"][1:]
    assert area == [["Adoption", "6", "83% (5)", "1", "100% (1)"],
                    ["Child Protection / LADO", "4", "0%", "0", "N/A"]]
    assert figures.current.from_baseline == frozenset()


def test_records_take_precedence_figure_by_figure(database):
    with database.transaction() as session:
        save_baseline(session, EXAMPLE_2017)
        records.save(session, _complaint("P1", date(2017, 6, 1), Outcome.NOT_UPHELD,
                                         date(2017, 6, 2)))
    with database.session() as session:
        previous = compute_figures(session, Y).previous
    # Complaint figures now come from the one record; enquiries still from the baseline.
    assert printed_row(previous.comparison)[1:] == ["1", "0", "0", "0", "1", "0", "0%", "100%"]
    assert previous.comparison.initial_feedback == 33
    assert "stage1" not in previous.from_baseline
    assert "upheld_by_area" not in previous.from_baseline
    assert "initial_feedback" in previous.from_baseline
    assert previous.enquiries[0].count == 10
    with database.transaction() as session:
        records.save(session, EnquiryData("E1", date(2017, 6, 1), EnquirySource.MEP, "CFAT"))
    with database.session() as session:
        previous = compute_figures(session, Y).previous
    assert [e.count for e in previous.enquiries] == [0, 1, 0]
    assert not any(key.startswith("enquiries") for key in previous.from_baseline)


def test_baseline_is_not_used_for_part_of_a_year(database):
    with database.transaction() as session:
        save_baseline(session, EXAMPLE_2017)
    with database.session() as session:
        figures = compute_figures(session, Y, as_of=date(2018, 9, 30))
    assert figures.previous.comparison.stage1 == 0
    assert figures.previous.from_baseline == frozenset()
