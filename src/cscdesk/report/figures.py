"""The figures of the annual appendix for year Y and Y-1, from SQL aggregates.

The one source of numbers for the PDF, the app's dashboard and `cscdesk figures`: no Qt, no
ReportLab, no row-by-row loading (every figure is a COUNT/SUM with GROUP BY in SQLite).

Entry point::

    compute_figures(source, year, *, as_of=None) -> AppendixFigures

`source` is an ORM Session (the app) or a sqlite3 connection (the report command). `as_of`
cuts both years at the same point (Y from 1 April to `as_of`, Y-1 to the same day a year
earlier), for "this year so far against the same point last year".

Hand-entered (baseline) figures are used, for a whole year only (not with `as_of`), figure by
figure: a figure comes from the baseline when the year has no records of the kind it counts
(no complaints received in the year for the complaint figures, no enquiries received for the
enquiry figures, and so on) and the baseline holds a value for it. Each year's
`from_baseline` names the figures that came from it (keys of BASELINE_KEYS).

The casework figures of Y (Stage 2/3 steps, actions, remedies, the Ombudsman) are read in the
same session by `casework.compute_casework`, for whole years only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cscdesk.domain.kind_spec import COMPLAINT, COMPLIMENT, DISPUTE, ENQUIRY, INITIAL_FEEDBACK
from cscdesk.domain.kinds import EnquirySource, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.report import formatting
from cscdesk.report.baseline import BaselineFigures, load_baseline
from cscdesk.report.casework import CaseworkFigures, compute_casework
from cscdesk.report.query import Query, query_for

UPHELD_OUTCOMES = tuple(o.value for o in Outcome if o.counts_as_upheld)
CANCELLED = Outcome.CANCELLED.value
TOP_THEMES = 3

# Figures that may come from hand-entered baseline figures, with the words the PDF uses.
BASELINE_KEYS: dict[str, str] = {
    "initial_feedback": "Initial Feedback",
    "stage1": "Stage 1 complaints",
    "stage2": "Stage 2 complaints",
    "stage3": "Stage 3 complaints",
    "adr_cases": "Alternative Dispute Resolution Cases",
    "adr_saving": "ADR saving",
    "closed": "Cases closed in period",
    "cancelled": "Cases Cancelled",
    "upheld_percent": "% of complaints upheld in period",
    "timeliness_percent": "% timeliness of response",
    "upheld_by_area": "upheld complaints by area",
    "lgo": "LGO complaints",
    "dispute_resolution": "dispute resolution cases",
    "enquiries_mp": "MP enquiries",
    "enquiries_mep": "MEP enquiries",
    "enquiries_member": "Members enquiries",
    "enquiries_mp_teams": "MP enquiries by team",
    "enquiries_mep_teams": "MEP enquiries by team",
    "enquiries_member_teams": "Members enquiries by team",
    "compliments": "compliments",
    "compliments_teams": "compliments by team",
}


@dataclass(frozen=True)
class ComparisonRow:
    """One year's row of the complaints comparison table.

    `upheld`, `due` and `on_time` are None when the percentage was entered by hand.
    """

    label: str
    initial_feedback: int
    stage1: int
    stage2: int
    stage3: int
    adr_cases: int
    closed: int
    cancelled: int
    upheld: int | None
    upheld_percent: int | None
    due: int | None
    on_time: int | None
    timeliness_percent: int | None

    @property
    def complaints(self) -> int:
        return self.stage1 + self.stage2 + self.stage3


@dataclass(frozen=True)
class DifferenceRow:
    """Y minus Y-1: counts (None = N/A, both years 0) and percentage points (None = N/A)."""

    initial_feedback: int | None
    stage1: int | None
    stage2: int | None
    stage3: int | None
    adr_cases: int | None
    closed: int | None
    cancelled: int | None
    upheld_percent: int | None
    timeliness_percent: int | None


@dataclass(frozen=True)
class TeamCount:
    team: str
    count: int


@dataclass(frozen=True)
class TeamUpheld:
    """One team's complaints closed in a year (not Cancelled) and how many were upheld."""

    team: str
    volume: int
    upheld: int | None


@dataclass(frozen=True)
class UpheldByArea:
    """A row of the upheld-by-area table: the previous year's columns first, as printed."""

    team: str
    previous_volume: int
    previous_upheld: int | None
    volume: int
    upheld: int | None


@dataclass(frozen=True)
class Theme:
    """A root cause with its count of upheld complaints and their distinct learning texts."""

    name: str
    count: int | None
    learning: tuple[str, ...]


@dataclass(frozen=True)
class RootCauseThemes:
    """The top root causes of a year; `edited` when the officer's version replaces the proposal."""

    label: str
    themes: tuple[Theme, ...]
    edited: bool = False


@dataclass(frozen=True)
class EnquirySourceFigures:
    """Enquiries of one source: the count and the table by team (most first)."""

    source: str
    heading: str
    count: int
    teams: tuple[TeamCount, ...]


@dataclass(frozen=True)
class YearFigures:
    """Every figure of one year (Y or Y-1) of the appendix."""

    year: ReportingYear
    period_start: date
    period_end: date
    comparison: ComparisonRow
    representations: int
    adr_saving_pence: int
    adr_stages: tuple[tuple[int, int], ...]
    lgo: int
    dispute_resolution: int
    enquiries: tuple[EnquirySourceFigures, ...]
    compliments: int
    compliments_by_team: tuple[TeamCount, ...]
    upheld_by_team: tuple[TeamUpheld, ...]
    themes: RootCauseThemes
    from_baseline: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        return self.year.label

    @property
    def enquiries_total(self) -> int:
        return sum(e.count for e in self.enquiries)

    def enquiries_from(self, source: EnquirySource) -> EnquirySourceFigures:
        return next(e for e in self.enquiries if e.source == source.value)


@dataclass(frozen=True)
class AppendixFigures:
    """The appendix's figures: Y (`current`), Y-1 (`previous`), their difference and the
    upheld-by-area table that sets both years side by side; `casework`, Y's casework figures
    (whole years only: None with `as_of`)."""

    year: ReportingYear
    as_of: date | None
    current: YearFigures
    previous: YearFigures
    difference: DifferenceRow
    upheld_by_area: tuple[UpheldByArea, ...]
    casework: CaseworkFigures | None = None


def compute_figures(source: Any, year: ReportingYear, *, as_of: date | None = None
                    ) -> AppendixFigures:
    """Every figure of the appendix for `year` and the year before (see the module docstring)."""
    query = query_for(source)
    teams: dict[int, str] = {team_id: name
                             for team_id, name in query.rows("SELECT id, name FROM team")}
    current_end = year.end if as_of is None else min(year.end, as_of)
    previous_end = year.previous.end if as_of is None else _year_earlier(current_end)
    use_baseline = as_of is None
    current = _year_figures(query, teams, year, current_end, use_baseline)
    previous = _year_figures(query, teams, year.previous, previous_end, use_baseline)
    return AppendixFigures(
        year=year,
        as_of=as_of,
        current=current,
        previous=previous,
        difference=_difference(current.comparison, previous.comparison),
        upheld_by_area=_upheld_by_area(current.upheld_by_team, previous.upheld_by_team),
        casework=compute_casework(query, teams, year) if as_of is None else None,
    )


def propose_themes(source: Any, year: ReportingYear) -> RootCauseThemes:
    """The root-cause themes of a whole year as the records propose them (before any edit)."""
    period = {"s": year.start.isoformat(), "e": year.end.isoformat()}
    query = query_for(source)
    return _themes(query, year, period, _closed_groups(query, period))


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _by_team_order(item: TeamCount) -> tuple[int, str, str]:
    """Most first, ties by name (case-insensitive)."""
    return (-item.count, item.team.casefold(), item.team)


def _name_order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _year_figures(query: Query, teams: dict[int, str], year: ReportingYear, end: date,
                  use_baseline: bool) -> YearFigures:
    period = {"s": year.start.isoformat(), "e": end.isoformat()}
    baseline = load_baseline(query, year) if use_baseline else None
    b = baseline or BaselineFigures(year=year.start_year)
    chosen: set[str] = set()
    comparison, c = _comparison(query, year, period, b, chosen)
    has_complaints = _has_complaints(c)
    adr_saving = _pick(chosen, "adr_saving", c["adr_saving"], has_complaints, b.adr_saving_pence)
    lgo = _pick(chosen, "lgo", c["lgo"], has_complaints, b.lgo)
    dispute_count = _count(query, DISPUTE.table, DISPUTE.placed_by, period)
    disputes = _pick(chosen, "dispute_resolution", dispute_count, dispute_count > 0,
                     b.dispute_resolution)

    enquiries = _enquiries(query, teams, period, b, chosen)
    compliments, compliments_by_team = _compliments(query, teams, period, b, chosen)
    closed_groups = _closed_groups(query, period)
    upheld_by_team = _upheld_by_team(closed_groups, teams, b if not has_complaints else None,
                                     chosen)
    return YearFigures(
        year=year,
        period_start=year.start,
        period_end=end,
        comparison=comparison,
        representations=(comparison.initial_feedback + comparison.complaints
                         + sum(e.count for e in enquiries) + compliments),
        adr_saving_pence=adr_saving,
        adr_stages=() if "adr_cases" in chosen else tuple(
            (stage, c[f"adr_stage{stage}"]) for stage in (1, 2, 3) if c[f"adr_stage{stage}"]),
        lgo=lgo,
        dispute_resolution=disputes,
        enquiries=enquiries,
        compliments=compliments,
        compliments_by_team=compliments_by_team,
        upheld_by_team=upheld_by_team,
        themes=_themes(query, year, period, closed_groups),
        from_baseline=frozenset(chosen),
    )


def _pick(chosen: set[str], key: str, records: int, has_records: bool, hand: int | None
          ) -> int:
    """The records' figure, or the hand-entered one when the year has no records of its kind
    and one was entered (its key then joins `chosen`)."""
    if has_records or hand is None:
        return records
    chosen.add(key)
    return hand


def _has_complaints(totals: dict[str, int]) -> bool:
    """Whether the period has complaint records (else its complaint figures may come from the
    hand-entered ones)."""
    return (totals["stage1"] + totals["stage2"] + totals["stage3"]) > 0


def _comparison(query: Query, year: ReportingYear, period: dict[str, str],
                b: BaselineFigures, chosen: set[str]) -> tuple[ComparisonRow, dict[str, int]]:
    """The comparison row of one period, records or baseline figure by figure, and the
    complaint totals it was made from (the five-year trends read the same row)."""
    c = _complaint_totals(query, period)
    has_complaints = _has_complaints(c)
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


_IN_PERIOD = "BETWEEN :s AND :e"
_NOT_CANCELLED = f"COALESCE(outcome, '') <> '{CANCELLED}'"
_IS_UPHELD = "outcome IN ({})".format(", ".join(f"'{o}'" for o in UPHELD_OUTCOMES))


def _complaint_totals(query: Query, period: dict[str, str]) -> dict[str, int]:
    """The comparison row's complaint figures of one period, in a single pass."""
    received = f"{COMPLAINT.placed_by} {_IN_PERIOD}"
    closed = f"closed {_IN_PERIOD}"
    due = f"due {_IN_PERIOD} AND {_NOT_CANCELLED}"
    columns = {
        "stage1": f"{received} AND stage = 1",
        "stage2": f"{received} AND stage = 2",
        "stage3": f"{received} AND stage = 3",
        "adr": f"{received} AND adr",
        "adr_stage1": f"{received} AND adr AND stage = 1",
        "adr_stage2": f"{received} AND adr AND stage = 2",
        "adr_stage3": f"{received} AND adr AND stage = 3",
        "closed": f"{closed} AND {_NOT_CANCELLED}",
        "cancelled": f"{closed} AND outcome = '{CANCELLED}'",
        "upheld": f"{closed} AND {_IS_UPHELD}",
        "due": due,
        "on_time": f"{due} AND responded IS NOT NULL AND responded <= due",
        "stage1_due": f"{due} AND stage = 1",  # for the five-year trends
        "stage1_on_time": f"{due} AND stage = 1 AND responded IS NOT NULL AND responded <= due",
        "lgo": f"lgo_referred {_IN_PERIOD}",
    }
    sums = [f"SUM(CASE WHEN {rule} THEN 1 ELSE 0 END)" for rule in columns.values()]
    sums.append(f"SUM(CASE WHEN {received} AND adr THEN COALESCE(adr_saving_pence, 0) "
                "ELSE 0 END)")
    sql = (
        f"SELECT {', '.join(sums)} FROM complaint WHERE {received} OR {closed} "
        f"OR due {_IN_PERIOD} OR lgo_referred {_IN_PERIOD}"
    )
    row = query.rows(sql, period)[0]
    values = [int(v or 0) for v in row]
    result = dict(zip(columns, values[:-1], strict=True))
    result["adr_saving"] = values[-1]
    return result


def _count(query: Query, table: str, date_column: str, period: dict[str, str]) -> int:
    sql = f"SELECT COUNT(*) FROM {table} WHERE {date_column} {_IN_PERIOD}"
    return int(query.rows(sql, period)[0][0])


def _team_counts(pairs: list[tuple[str, int]]) -> tuple[TeamCount, ...]:
    return tuple(sorted((TeamCount(t, c) for t, c in pairs), key=_by_team_order))


def _enquiries(query: Query, teams: dict[int, str], period: dict[str, str],
               baseline: BaselineFigures, chosen: set[str]) -> tuple[EnquirySourceFigures, ...]:
    rows = query.rows(
        f"SELECT source, team_id, COUNT(*) FROM {ENQUIRY.table} "
        f"WHERE {ENQUIRY.placed_by} {_IN_PERIOD} "
        "GROUP BY source, team_id ORDER BY source, team_id",  # SQLite's order, on a server too
        period,
    )
    by_source: dict[str, list[tuple[str, int]]] = {s.value: [] for s in EnquirySource}
    for source, team_id, count in rows:
        by_source.setdefault(source, []).append((teams.get(team_id, "?"), int(count)))
    has_records = bool(rows)
    result = []
    for source in EnquirySource:
        key = f"enquiries_{source.name.lower()}"
        pairs = by_source[source.value]
        count = sum(c for _, c in pairs)
        hand_table = None if has_records else baseline.team_table(key)
        hand_count = None if has_records else getattr(baseline, key)
        if hand_table is not None:
            chosen.add(f"{key}_teams")
            pairs = list(hand_table)
        if hand_count is not None:
            chosen.add(key)
            count = hand_count
        elif hand_table is not None:
            chosen.add(key)
            count = sum(c for _, c in hand_table)
        result.append(EnquirySourceFigures(source.value, source.plural_heading, count,
                                           _team_counts(pairs)))
    return tuple(result)


def _compliments(query: Query, teams: dict[int, str], period: dict[str, str],
                 baseline: BaselineFigures, chosen: set[str]
                 ) -> tuple[int, tuple[TeamCount, ...]]:
    rows = query.rows(
        f"SELECT team_id, COUNT(*) FROM {COMPLIMENT.table} "
        f"WHERE {COMPLIMENT.placed_by} {_IN_PERIOD} GROUP BY team_id ORDER BY team_id",
        period,
    )
    pairs = [(teams.get(team_id, "?"), int(count)) for team_id, count in rows]
    total = sum(c for _, c in pairs)
    if not rows:
        hand_table = baseline.team_table("compliments")
        if hand_table is not None:
            chosen.add("compliments_teams")
            pairs = list(hand_table)
            total = sum(c for _, c in pairs)
            chosen.add("compliments")
        if baseline.compliments is not None:
            chosen.add("compliments")
            total = baseline.compliments
    return total, _team_counts(pairs)


ClosedGroup = tuple[int, int | None, int, int]  # team id, root cause id, volume, upheld


def _closed_groups(query: Query, period: dict[str, str]) -> list[ClosedGroup]:
    """Complaints closed in the period (not Cancelled), counted by team and root cause, with
    how many were upheld or partially upheld: one scan serves both tables that need it."""
    rows = query.rows(
        f"SELECT team_id, root_cause_id, COUNT(*), "
        f"SUM(CASE WHEN {_IS_UPHELD} THEN 1 ELSE 0 END) FROM complaint "
        f"WHERE closed {_IN_PERIOD} AND {_NOT_CANCELLED} GROUP BY team_id, root_cause_id "
        "ORDER BY team_id, root_cause_id",
        period,
    )
    return [(int(t), None if r is None else int(r), int(n), int(u or 0)) for t, r, n, u in rows]


def _upheld_by_team(groups: list[ClosedGroup], teams: dict[int, str],
                    baseline: BaselineFigures | None, chosen: set[str]
                    ) -> tuple[TeamUpheld, ...]:
    """Per team, complaints closed in the period (not Cancelled) and how many were upheld.

    `baseline` is given only when the year has no complaint records.
    """
    if baseline is not None and baseline.team_table("closed_volume") is not None:
        chosen.add("upheld_by_area")
        upheld_rows = baseline.team_table("upheld")
        upheld = dict(upheld_rows or ())
        return tuple(
            TeamUpheld(team, volume,
                       upheld.get(team, 0) if upheld_rows is not None else None)
            for team, volume in baseline.team_table("closed_volume") or ()
        )
    volume: dict[int, int] = {}
    upheld_count: dict[int, int] = {}
    for team_id, _cause, count, upheld_n in groups:
        volume[team_id] = volume.get(team_id, 0) + count
        upheld_count[team_id] = upheld_count.get(team_id, 0) + upheld_n
    return tuple(TeamUpheld(teams.get(team_id, "?"), volume[team_id], upheld_count[team_id])
                 for team_id in volume)


def _upheld_by_area(current: tuple[TeamUpheld, ...], previous: tuple[TeamUpheld, ...]
                    ) -> tuple[UpheldByArea, ...]:
    """Every team with volume > 0 in either year, by name (case-insensitive)."""
    now = {t.team: t for t in current if t.volume > 0}
    before = {t.team: t for t in previous if t.volume > 0}
    rows = []
    for team in sorted(now.keys() | before.keys(), key=_name_order):
        this, last = now.get(team), before.get(team)
        rows.append(UpheldByArea(
            team=team,
            previous_volume=last.volume if last else 0,
            previous_upheld=last.upheld if last else 0,
            volume=this.volume if this else 0,
            upheld=this.upheld if this else 0,
        ))
    return tuple(rows)


def _themes(query: Query, year: ReportingYear, period: dict[str, str],
            groups: list[ClosedGroup]) -> RootCauseThemes:
    """The three root causes with most upheld complaints closed in the period (ties by name),
    each with its distinct learning texts, oldest Closed first."""
    counts: dict[int, int] = {}
    for _team, cause_id, _volume, upheld in groups:
        if cause_id is not None and upheld:
            counts[cause_id] = counts.get(cause_id, 0) + upheld
    if not counts:
        return RootCauseThemes(year.label, ())
    names = {int(i): str(n) for i, n in query.rows("SELECT id, name FROM root_cause")}
    top = sorted(counts, key=lambda i: (-counts[i], *_name_order(names[i])))[:TOP_THEMES]
    placeholders = ", ".join(f":r{i}" for i in range(len(top)))
    # A text's place is its first appearance: the earliest Closed date, then the record stored
    # first on that date (the key "YYYY-MM-DD#1000000000042" orders both at once; SQL that
    # SQLite and PostgreSQL both read).
    learning_rows = query.rows(
        "SELECT root_cause_id, learning, "
        "MIN(CAST(closed AS TEXT) || '#' || CAST(1000000000000 + id AS TEXT)) AS first "
        f"FROM complaint WHERE closed {_IN_PERIOD} AND {_IS_UPHELD} "
        f"AND root_cause_id IN ({placeholders}) AND TRIM(COALESCE(learning, '')) <> '' "
        "GROUP BY root_cause_id, learning ORDER BY first",
        {**period, **{f"r{i}": cause_id for i, cause_id in enumerate(top)}},
    )
    learning: dict[int, list[str]] = {cause_id: [] for cause_id in top}
    for cause_id, text, _first in learning_rows:
        learning[int(cause_id)].append(text)
    return RootCauseThemes(
        year.label,
        tuple(Theme(names[i], counts[i], tuple(learning[i])) for i in top),
    )


def _difference(current: ComparisonRow, previous: ComparisonRow) -> DifferenceRow:
    def counts(name: str) -> int | None:
        return formatting.count_difference(getattr(current, name), getattr(previous, name))

    return DifferenceRow(
        initial_feedback=counts("initial_feedback"),
        stage1=counts("stage1"),
        stage2=counts("stage2"),
        stage3=counts("stage3"),
        adr_cases=counts("adr_cases"),
        closed=counts("closed"),
        cancelled=counts("cancelled"),
        upheld_percent=formatting.points_difference(current.upheld_percent,
                                                    previous.upheld_percent),
        timeliness_percent=formatting.points_difference(current.timeliness_percent,
                                                        previous.timeliness_percent),
    )
