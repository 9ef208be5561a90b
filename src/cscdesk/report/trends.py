"""The five-year trends of the appendix's optional "Five-Year Trends" section: for the five
reporting years ending with Y (oldest first), the few headline figures its charts draw.

Each year follows exactly the rules of the appendix's own year (`figures.py`): a figure comes
from the hand-entered (baseline) figures when the year has no records of the kind it counts
and a value was entered, so a trend runs on from the years before records started. Only the
comparison row (`figures._comparison`, one pass over the complaints per year, which also
counts the Stage 1 responses due), the enquiry and compliment counts are read, never the
root-cause themes or the upheld-by-area table.

Entry point::

    compute_trends(source, year) -> Trends
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cscdesk.domain.years import ReportingYear
from cscdesk.report import formatting
from cscdesk.report.baseline import BaselineFigures, load_baseline
from cscdesk.report.figures import _comparison, _compliments, _enquiries
from cscdesk.report.query import Query, query_for

TREND_YEARS = 5

# The figures keys (figures.BASELINE_KEYS) of the comparison row's complaint figures: when any
# came from the baseline, the year's complaints are the hand-entered ones.
_COMPLAINT_KEYS = frozenset({"stage1", "stage2", "stage3", "adr_cases", "closed", "cancelled",
                             "upheld_percent", "timeliness_percent"})
# The trend fields that representations add up.
_COUNTS = frozenset({"initial_feedback", "stage1", "stage2", "stage3", "enquiries",
                     "compliments"})


@dataclass(frozen=True)
class TrendYear:
    """One year's trend figures. `from_baseline` names the fields taken, wholly or partly, from
    hand-entered figures; `stage1_on_time_percent` is None over nothing, and when the year's
    complaint figures were entered by hand (the baseline holds only an overall timeliness; it
    is then in `from_baseline` too)."""

    label: str
    initial_feedback: int
    stage1: int
    stage2: int
    stage3: int
    enquiries: int
    compliments: int
    representations: int
    stage1_on_time_percent: int | None
    upheld_percent: int | None
    from_baseline: frozenset[str] = frozenset()

    @property
    def complaints(self) -> int:
        return self.stage1 + self.stage2 + self.stage3


@dataclass(frozen=True)
class Trends:
    """The five years ending with `year`, oldest first."""

    year: ReportingYear
    years: tuple[TrendYear, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(y.label for y in self.years)

    @property
    def hand_entered(self) -> tuple[str, ...]:
        """Labels of the years with any figure entered by hand, oldest first."""
        return tuple(y.label for y in self.years if y.from_baseline)


def trend_years(year: ReportingYear) -> tuple[ReportingYear, ...]:
    """The five years ending with `year`, oldest first."""
    return tuple(ReportingYear(year.start_year - back)
                 for back in range(TREND_YEARS - 1, -1, -1))


def compute_trends(source: Any, year: ReportingYear) -> Trends:
    """The trend figures of the five years ending with `year` (see the module docstring)."""
    query = query_for(source)
    teams: dict[int, str] = {team_id: name
                             for team_id, name in query.rows("SELECT id, name FROM team")}
    return Trends(year, tuple(_trend_year(query, teams, y) for y in trend_years(year)))


def _trend_year(query: Query, teams: dict[int, str], year: ReportingYear) -> TrendYear:
    period = {"s": year.start.isoformat(), "e": year.end.isoformat()}
    baseline = load_baseline(query, year) or BaselineFigures(year=year.start_year)
    chosen: set[str] = set()
    row, totals = _comparison(query, year, period, baseline, chosen)
    enquiries = sum(e.count for e in _enquiries(query, teams, period, baseline, chosen))
    compliments, _by_team = _compliments(query, teams, period, baseline, chosen)
    complaints_by_hand = bool(chosen & _COMPLAINT_KEYS)
    return TrendYear(
        label=year.label,
        initial_feedback=row.initial_feedback,
        stage1=row.stage1,
        stage2=row.stage2,
        stage3=row.stage3,
        enquiries=enquiries,
        compliments=compliments,
        representations=row.initial_feedback + row.complaints + enquiries + compliments,
        stage1_on_time_percent=None if complaints_by_hand else formatting.percent(
            totals["stage1_on_time"], totals["stage1_due"]),
        upheld_percent=row.upheld_percent,
        from_baseline=_trend_keys(chosen, complaints_by_hand),
    )


def _trend_keys(chosen: set[str], complaints_by_hand: bool) -> frozenset[str]:
    """The trend fields that came from the baseline, from the figures keys that did."""
    same = ("initial_feedback", "stage1", "stage2", "stage3", "upheld_percent")
    keys: set[str] = {key for key in same if key in chosen}
    if any(key.startswith("enquiries_") for key in chosen):
        keys.add("enquiries")
    if "compliments" in chosen:
        keys.add("compliments")
    if keys & _COUNTS:
        keys.add("representations")
    if complaints_by_hand:  # the baseline holds only the overall timeliness
        keys.add("stage1_on_time_percent")
    return frozenset(keys)
