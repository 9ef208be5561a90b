"""The five-year trends of the appendix's optional "Five-Year Trends" section: for the five
reporting years ending with Y (oldest first), the few headline figures its charts draw.

Each year follows exactly the rules of the appendix's own year (`figures.py`): a figure comes
from the hand-entered (baseline) figures when the year has no records of the kind it counts
and a value was entered, so a trend runs on from the years before records started. Only the
comparison row, the enquiry and compliment counts are read (one pass over the complaints per
year, a count of each other kind), never the root-cause themes or the upheld-by-area table.
Stage 1 timeliness, which the appendix does not print, is read for the five years in one
grouped statement.

Entry point::

    compute_trends(source, year) -> Trends
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cscdesk.domain.kind_spec import COMPLAINT, INITIAL_FEEDBACK
from cscdesk.domain.years import ReportingYear
from cscdesk.report import formatting
from cscdesk.report.baseline import BaselineFigures, load_baseline
from cscdesk.report.figures import (
    _IN_PERIOD,
    _NOT_CANCELLED,
    ComparisonRow,
    _complaint_totals,
    _compliments,
    _count,
    _enquiries,
)
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
    years = trend_years(year)
    stage1 = _stage1_timeliness(query, years)
    return Trends(year, tuple(_trend_year(query, teams, y, stage1.get(y.start_year, (0, 0)))
                              for y in years))


def _trend_year(query: Query, teams: dict[int, str], year: ReportingYear,
                stage1_due: tuple[int, int]) -> TrendYear:
    period = {"s": year.start.isoformat(), "e": year.end.isoformat()}
    baseline = load_baseline(query, year) or BaselineFigures(year=year.start_year)
    chosen: set[str] = set()
    row, _totals = _comparison(query, year, period, baseline, chosen)
    enquiries = sum(e.count for e in _enquiries(query, teams, period, baseline, chosen))
    compliments, _by_team = _compliments(query, teams, period, baseline, chosen)
    due, on_time = stage1_due
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
        stage1_on_time_percent=None if complaints_by_hand else formatting.percent(on_time, due),
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


def _stage1_timeliness(query: Query, years: tuple[ReportingYear, ...]
                       ) -> dict[int, tuple[int, int]]:
    """Per year (by its first calendar year): Stage 1 complaints, not Cancelled, due in it, and
    how many were responded to on or before the due date. One statement for all the years."""
    buckets = " ".join(f"WHEN due BETWEEN :s{i} AND :e{i} THEN {y.start_year}"
                       for i, y in enumerate(years))
    params = {f"{edge}{i}": (y.start if edge == "s" else y.end).isoformat()
              for i, y in enumerate(years) for edge in ("s", "e")}
    params.update(s=years[0].start.isoformat(), e=years[-1].end.isoformat())
    rows = query.rows(
        f"SELECT CASE {buckets} END AS year, COUNT(*), "
        "SUM(CASE WHEN responded IS NOT NULL AND responded <= due THEN 1 ELSE 0 END) "
        f"FROM {COMPLAINT.table} WHERE stage = 1 AND due {_IN_PERIOD} AND {_NOT_CANCELLED} "
        "GROUP BY 1 ORDER BY 1",
        params,
    )
    return {int(y): (int(due), int(on_time or 0)) for y, due, on_time in rows}


# --- The comparison row of one year, records or baseline figure by figure. --------------------
# Written to move into figures.py, where `_year_figures` would call the same two functions
# instead of its inner `pick` and the lines that build its ComparisonRow (see the report).

def _pick(chosen: set[str], key: str, records: int, has_records: bool, hand: int | None
          ) -> int:
    """The records' figure, or the hand-entered one when the year has no records of its kind
    and one was entered (its key then joins `chosen`)."""
    if has_records or hand is None:
        return records
    chosen.add(key)
    return hand


def _comparison(query: Query, year: ReportingYear, period: dict[str, str],
                b: BaselineFigures, chosen: set[str]) -> tuple[ComparisonRow, dict[str, int]]:
    """The comparison row of one period, and the complaint totals it was made from."""
    c = _complaint_totals(query, period)
    has_complaints = (c["stage1"] + c["stage2"] + c["stage3"]) > 0
    upheld: int | None = c["upheld"]
    upheld_percent = formatting.percent(c["upheld"], c["closed"])
    due: int | None = c["due"]
    on_time: int | None = c["on_time"]
    timeliness = formatting.percent(c["on_time"], c["due"])
    if not has_complaints and b.upheld_percent is not None:
        chosen.add("upheld_percent")
        upheld, upheld_percent = None, b.upheld_percent
    if not has_complaints and b.timeliness_percent is not None:
        chosen.add("timeliness_percent")
        due, on_time, timeliness = None, None, b.timeliness_percent
    feedback = _count(query, INITIAL_FEEDBACK.table, INITIAL_FEEDBACK.placed_by, period)
    row = ComparisonRow(
        label=year.label,
        initial_feedback=_pick(chosen, "initial_feedback", feedback, feedback > 0,
                               b.initial_feedback),
        stage1=_pick(chosen, "stage1", c["stage1"], has_complaints, b.stage1),
        stage2=_pick(chosen, "stage2", c["stage2"], has_complaints, b.stage2),
        stage3=_pick(chosen, "stage3", c["stage3"], has_complaints, b.stage3),
        adr_cases=_pick(chosen, "adr_cases", c["adr"], has_complaints, b.adr_cases),
        closed=_pick(chosen, "closed", c["closed"], has_complaints, b.closed),
        cancelled=_pick(chosen, "cancelled", c["cancelled"], has_complaints, b.cancelled),
        upheld=upheld, upheld_percent=upheld_percent, due=due, on_time=on_time,
        timeliness_percent=timeliness,
    )
    return row, c
