"""The statutory content of the annual report (The Children Act 1989 Representations Procedure
(England) Regulations 2006, regulation 13) that the example's sections do not break down:
timeliness by stage, outcomes by stage, and who complained.

- Timeliness: complaints of each stage, outcome not Cancelled, whose stored due date is in Y
  (rules.md's "% timeliness" population, split by stage, so the three rows add up to the
  comparison row's figures): answered on or before the due date, late (no answer yet is late),
  and how many of them were extended.
- Outcomes: complaints of each stage closed in Y, by outcome (Cancelled included, as its own
  column). Validation keeps Outcome and Closed together, so a closed complaint always has an
  outcome and the total is the sum of the four outcomes.
- Who complained: complaints (all stages) received in Y by `ComplainantType`, in five groups.

All of it is one pass over the complaints (one `GROUP BY stage` of `SUM(CASE ...)`), read through
the same `Query` as the other figures, in SQL that SQLite and PostgreSQL both run. A year with no
complaint received in it has no records to break down; when its figures were entered by hand
(`baseline`), the appendix says so instead of printing tables of zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cscdesk.domain.kind_spec import COMPLAINT
from cscdesk.domain.kinds import STAGES, ComplainantType, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.report import formatting
from cscdesk.report.baseline import load_baseline
from cscdesk.report.figures import _IN_PERIOD, _NOT_CANCELLED, CANCELLED
from cscdesk.report.query import query_for

# Who complained: the printed groups, in order, and the complainant types each gathers
# (an empty tuple: no type recorded).
COMPLAINANT_GROUPS: tuple[tuple[str, tuple[ComplainantType, ...]], ...] = (
    ("Child or young person", (ComplainantType.CHILD, ComplainantType.CARE_LEAVER)),
    ("Parent or carer", (ComplainantType.PARENT, ComplainantType.FOSTER_CARER,
                         ComplainantType.SPECIAL_GUARDIAN, ComplainantType.ADOPTER)),
    ("Advocate on behalf of a child", (ComplainantType.ADVOCATE,)),
    ("Other", (ComplainantType.OTHER,)),
    ("Not recorded", ()),
)


@dataclass(frozen=True)
class StageTimeliness:
    """One stage's complaints due in the year (not Cancelled)."""

    stage: int
    due: int
    on_time: int
    late: int
    extended: int
    on_time_percent: int | None


@dataclass(frozen=True)
class StageOutcomes:
    """One stage's complaints closed in the year, by outcome."""

    stage: int
    upheld: int
    partially_upheld: int
    not_upheld: int
    cancelled: int

    @property
    def total(self) -> int:
        return self.upheld + self.partially_upheld + self.not_upheld + self.cancelled


@dataclass(frozen=True)
class ComplainantCount:
    """One group of complainants and the complaints received from it in the year."""

    group: str
    count: int


@dataclass(frozen=True)
class StatutoryFigures:
    """The statutory breakdowns of one whole year.

    `has_records`: at least one complaint was received in the year (figures.py's rule for
    complaint figures). `hand_entered`: it has none and its figures were entered by hand, so
    the appendix prints a sentence instead of these tables.
    """

    year: ReportingYear
    timeliness: tuple[StageTimeliness, ...]
    outcomes: tuple[StageOutcomes, ...]
    who_complained: tuple[ComplainantCount, ...]
    has_records: bool
    hand_entered: bool

    @property
    def received(self) -> int:
        return sum(c.count for c in self.who_complained)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _who_rule(types: tuple[ComplainantType, ...], received: str) -> str:
    if not types:
        return f"{received} AND complainant_type IS NULL"
    return f"{received} AND complainant_type IN ({_quoted(tuple(t.value for t in types))})"


def compute_statutory(source: Any, year: ReportingYear) -> StatutoryFigures:
    """The three breakdowns of `year` in one pass over its complaints (see the module
    docstring); `source` is anything `query_for` accepts."""
    query = query_for(source)
    period = {"s": year.start.isoformat(), "e": year.end.isoformat()}
    received = f"{COMPLAINT.placed_by} {_IN_PERIOD}"
    closed = f"closed {_IN_PERIOD}"
    due = f"due {_IN_PERIOD} AND {_NOT_CANCELLED}"
    columns = [
        due,
        f"{due} AND responded IS NOT NULL AND responded <= due",
        f"{due} AND extended",
        f"{closed} AND outcome = '{Outcome.UPHELD.value}'",
        f"{closed} AND outcome = '{Outcome.PARTIALLY_UPHELD.value}'",
        f"{closed} AND outcome = '{Outcome.NOT_UPHELD.value}'",
        f"{closed} AND outcome = '{CANCELLED}'",
        *(_who_rule(types, received) for _group, types in COMPLAINANT_GROUPS),
    ]
    sums = ", ".join(f"SUM(CASE WHEN {rule} THEN 1 ELSE 0 END)" for rule in columns)
    rows = query.rows(
        f"SELECT stage, {sums} FROM complaint "
        f"WHERE {received} OR {closed} OR due {_IN_PERIOD} GROUP BY stage ORDER BY stage",
        period,
    )
    by_stage = {int(row[0]): [int(v or 0) for v in row[1:]] for row in rows}
    zeros = [0] * len(columns)
    timeliness, outcomes = [], []
    who = [0] * len(COMPLAINANT_GROUPS)
    for stage in STAGES:
        n_due, on_time, extended, upheld, partly, not_upheld, cancelled, *groups = (
            by_stage.get(stage, zeros))
        timeliness.append(StageTimeliness(stage, n_due, on_time, n_due - on_time, extended,
                                          formatting.percent(on_time, n_due)))
        outcomes.append(StageOutcomes(stage, upheld, partly, not_upheld, cancelled))
        who = [a + b for a, b in zip(who, groups, strict=True)]
    has_records = sum(who) > 0
    return StatutoryFigures(
        year=year,
        timeliness=tuple(timeliness),
        outcomes=tuple(outcomes),
        who_complained=tuple(ComplainantCount(group, count)
                             for (group, _types), count in zip(COMPLAINANT_GROUPS, who,
                                                               strict=True)),
        has_records=has_records,
        hand_entered=not has_records and load_baseline(query, year) is not None,
    )
