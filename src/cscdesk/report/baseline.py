"""Hand-entered figures of past years (before records start): read, write, delete.

A baseline year holds a year's published summary figures (the comparison row, LGO, dispute
resolution, enquiry and compliment counts) and per-team tables (closed volume and upheld count
by team, enquiries by team per source, compliments by team). A value left as None is not known.

`load_baseline` reads through a `Query` (session or plain connection) for the figures engine;
`save_baseline`, `delete_baseline` and `baseline_years` take the caller's ORM session and never
commit. How the engine chooses between records and these figures is in `figures.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.report.query import query_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The per-team tables a baseline year may hold (the same names as store.models).
TEAM_TABLES = (
    "closed_volume",
    "upheld",
    "enquiries_mp",
    "enquiries_mep",
    "enquiries_member",
    "compliments",
)

PERCENT_FIELDS = ("upheld_percent", "timeliness_percent")


@dataclass(frozen=True)
class BaselineFigures:
    """One year's hand-entered figures; `teams` maps a table of TEAM_TABLES to (team, count)."""

    year: int
    initial_feedback: int | None = None
    stage1: int | None = None
    stage2: int | None = None
    stage3: int | None = None
    adr_cases: int | None = None
    adr_saving_pence: int | None = None
    closed: int | None = None
    cancelled: int | None = None
    upheld_percent: int | None = None
    timeliness_percent: int | None = None
    lgo: int | None = None
    dispute_resolution: int | None = None
    enquiries_mp: int | None = None
    enquiries_mep: int | None = None
    enquiries_member: int | None = None
    compliments: int | None = None
    teams: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def team_table(self, table: str) -> tuple[tuple[str, int], ...] | None:
        """The rows of one per-team table, or None when that table was not entered."""
        rows = self.teams.get(table)
        return rows if rows else None


VALUE_FIELDS = tuple(f.name for f in fields(BaselineFigures) if f.name not in ("year", "teams"))


def _year_number(year: ReportingYear | int) -> int:
    return year.start_year if isinstance(year, ReportingYear) else int(year)


def load_baseline(source: Any, year: ReportingYear | int) -> BaselineFigures | None:
    """The hand-entered figures of a year, or None when none were entered."""
    query = query_for(source)
    number = _year_number(year)
    columns = ", ".join(VALUE_FIELDS)
    found = query.rows(f"SELECT {columns} FROM baseline_year WHERE year = :y", {"y": number})
    team_rows = query.rows(
        'SELECT b."table", t.name, b.count FROM baseline_team_count b '
        # in the order entered (SQLite's plan gave it; a server's hash join need not)
        "JOIN team t ON t.id = b.team_id WHERE b.year = :y ORDER BY b.id",
        {"y": number},
    )
    if not found and not team_rows:
        return None
    values = dict(zip(VALUE_FIELDS, found[0], strict=True)) if found else {}
    teams: dict[str, list[tuple[str, int]]] = {}
    for table, team, count in team_rows:
        teams.setdefault(table, []).append((team, int(count)))
    return BaselineFigures(
        year=number,
        **{k: (None if v is None else int(v)) for k, v in values.items()},
        teams={table: tuple(rows) for table, rows in teams.items()},
    )


def check_baseline(figures: BaselineFigures) -> list[str]:
    """Every problem with hand-entered figures, as sentences; empty when they may be saved."""
    label = ReportingYear(figures.year).label
    problems = []
    for name in VALUE_FIELDS:
        value = getattr(figures, name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{label}: {name.replace('_', ' ')} must be a whole number, 0 or more.")
        elif name in PERCENT_FIELDS and value > 100:
            problems.append(f"{label}: {name.replace('_', ' ')} must be between 0 and 100.")
    for table, rows in figures.teams.items():
        if table not in TEAM_TABLES:
            problems.append(f"{label}: “{table}” is not a table of hand-entered team figures.")
            continue
        seen: set[str] = set()
        for team, count in rows:
            key = team.strip().casefold()
            if not key:
                problems.append(f"{label}: a row of {table.replace('_', ' ')} has no team.")
            elif key in seen:
                problems.append(f"{label}: team “{team}” appears twice in "
                                f"{table.replace('_', ' ')}.")
            seen.add(key)
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                problems.append(f"{label}: the {table.replace('_', ' ')} count of “{team}” must "
                                "be a whole number, 0 or more.")
    return problems


def save_baseline(session: Session, figures: BaselineFigures) -> None:
    """Store a year's hand-entered figures, replacing what was entered for that year before.

    Per-team tables not named in `figures.teams` are cleared. Unknown teams are added to the
    team list. Raises InputError naming every problem; nothing is written then.
    """
    from sqlalchemy import delete

    from cscdesk.store import lists
    from cscdesk.store.models import BaselineTeamCount, BaselineYear, Team

    problems = check_baseline(figures)
    if problems:
        raise InputError(" ".join(problems))
    row = session.get(BaselineYear, figures.year)
    if row is None:
        row = BaselineYear(year=figures.year)
        session.add(row)
    for name in VALUE_FIELDS:
        setattr(row, name, getattr(figures, name))
    session.execute(delete(BaselineTeamCount).where(BaselineTeamCount.year == figures.year))
    for table, rows in figures.teams.items():
        for team, count in rows:
            entry = lists.get_or_add(session, Team, team)
            session.add(BaselineTeamCount(year=figures.year, table=table, team_id=entry.id,
                                          count=count))
    session.flush()


def delete_baseline(session: Session, year: ReportingYear | int) -> None:
    """Forget a year's hand-entered figures."""
    from sqlalchemy import delete

    from cscdesk.store.models import BaselineTeamCount, BaselineYear

    number = _year_number(year)
    session.execute(delete(BaselineTeamCount).where(BaselineTeamCount.year == number))
    session.execute(delete(BaselineYear).where(BaselineYear.year == number))
    session.flush()


def baseline_years(session: Session) -> list[ReportingYear]:
    """Years with hand-entered figures, oldest first."""
    rows = query_for(session).rows(
        "SELECT year FROM baseline_year UNION SELECT year FROM baseline_team_count ORDER BY 1"
    )
    return [ReportingYear(int(r[0])) for r in rows]
