"""The casework figures of a reporting year: Stage 2 and 3 step timeliness, actions, remedies,
the Ombudsman's decisions and compliance, and the Ombudsman's annual letter.

The appendix prints these after the example's sections, each only when the year has such data
(`CaseworkFigures.shown`). They are read in a handful of statements through the same `Query`
as the other figures (so a server report reads them in the same snapshot):

- one pass over the complaints for the Stage 2 and Stage 3 rows whose step clock may fall due
  in the year: the first clock (Stage 2's response, Stage 3's panel) is due on the stored due
  date (rules.md's, the one `domain.steps` gives it); Stage 3's later clocks run from dates of
  the record and are worked out with `domain.steps.clocks` and the database's working
  calendar (its extra non-working days read then), for the few Stage 3 complaints with a
  panel date;
- the Ombudsman's decisions counted by outcome;
- the actions, summed by team and kind in one GROUP BY;
- the year's letter row.

Rules (docs/appendix.md says them in words): a step is on time when done on or before its due
date and late otherwise, including when it has not been done; Cancelled complaints are left
out, as in rules.md's timeliness. An action is overdue at the year's end when it was agreed by
then, is due before the year's last day, and was not done by that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cscdesk.domain.kinds import ActionKind, ComplaintData, LgoOutcome, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.report import formatting
from cscdesk.report.query import Query, dialect_of
from cscdesk.store import ombudsman_letters
from cscdesk.store.ombudsman_letters import Letter

if TYPE_CHECKING:
    from cscdesk.domain.workdays import WorkingCalendar

STEPS = "steps"
ACTIONS = "actions"
REMEDIES = "remedies"
OMBUDSMAN = "ombudsman"

# The steps in the order printed: (stage, step, label). The step names are those of
# `domain.steps` (RESPONSE, PANEL, PANEL_REPORT), written out because importing that module
# loads the bank holidays, which a year without Stage 3 panels never needs.
STEP_ROWS: tuple[tuple[int, str, str], ...] = (
    (2, "response", "Stage 2 adjudication (response)"),
    (3, "panel", "Stage 3 review panel"),
    (3, "panel report", "Stage 3 panel report"),
    (3, "response", "Stage 3 response"),
)
_FIRST_STEP = {2: "response", 3: "panel"}
_LATER_CLOCKS_WITHIN = 120  # days: 15 working days, with room for any holidays and closures
_CANCELLED = Outcome.CANCELLED.value


@dataclass(frozen=True)
class StepFigures:
    """One step's clocks due in the year: how many, on time, late, and the rate."""

    stage: int
    step: str
    label: str
    due: int
    on_time: int
    late: int
    on_time_percent: int | None


@dataclass(frozen=True)
class TeamActions:
    """A team's actions: agreed and completed in the year, overdue at its end."""

    team: str
    agreed: int
    completed: int
    overdue: int


@dataclass(frozen=True)
class ActionFigures:
    agreed: int
    completed: int
    overdue_at_year_end: int
    by_team: tuple[TeamActions, ...]


@dataclass(frozen=True)
class RemedyFigures:
    """Remedies agreed in the year (`financial`: with an amount), and payments made in it."""

    agreed: int
    financial: int
    paid: int
    paid_pence: int


@dataclass(frozen=True)
class DecisionCount:
    outcome: str
    count: int


@dataclass(frozen=True)
class ComplianceFigures:
    """Ombudsman recommendations due in the year and whether they were complied with."""

    due: int
    on_time: int
    late: int
    not_yet: int


@dataclass(frozen=True)
class OmbudsmanFigures:
    decisions: tuple[DecisionCount, ...]
    decided: int
    compliance: ComplianceFigures
    letter: Letter | None


@dataclass(frozen=True)
class CaseworkFigures:
    """Every casework figure of one whole year; `shown` names the sections the appendix
    prints (STEPS, ACTIONS, REMEDIES, OMBUDSMAN), in their order."""

    year: ReportingYear
    year_end: date
    steps: tuple[StepFigures, ...]
    actions: ActionFigures
    remedies: RemedyFigures
    ombudsman: OmbudsmanFigures
    shown: tuple[str, ...]


def compute_casework(query: Query, teams: dict[int, str], year: ReportingYear
                     ) -> CaseworkFigures:
    """The casework figures of `year` (`teams`: team names by id, already read)."""
    period = {"s": year.start.isoformat(), "e": year.end.isoformat()}
    step_figures = _steps(query, year, period)
    actions, remedies, compliance = _actions(query, teams, period)
    compliance = _with_typed_compliance(query, period, compliance)
    decisions = _decisions(query, period)
    letter_rows = query.rows(
        f"SELECT {', '.join(ombudsman_letters.FIGURES)} FROM ombudsman_letter WHERE year = :y",
        {"y": year.start_year})
    letter = ombudsman_letters.from_row(year, letter_rows[0]) if letter_rows else None
    decided = sum(d.count for d in decisions)
    ombudsman = OmbudsmanFigures(decisions, decided, compliance, letter)
    shown = []
    if any(s.due for s in step_figures):
        shown.append(STEPS)
    if actions.agreed or actions.completed or actions.overdue_at_year_end:
        shown.append(ACTIONS)
    if remedies.agreed or remedies.paid:
        shown.append(REMEDIES)
    if decided or compliance.due or letter is not None:
        shown.append(OMBUDSMAN)
    return CaseworkFigures(year, year.end, step_figures, actions, remedies, ombudsman,
                           tuple(shown))


def _calendar(query: Query) -> WorkingCalendar:
    """The database's working calendar (England's bank holidays and its extra days off)."""
    from cscdesk.domain.workdays import WorkingCalendar

    return WorkingCalendar(date.fromisoformat(str(day)[:10])
                           for (day,) in query.rows("SELECT day FROM non_working_day"))


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _steps(query: Query, year: ReportingYear, period: dict[str, str]
           ) -> tuple[StepFigures, ...]:
    """Each step's clocks due in the year. A complaint's first clock (Stage 2's response,
    Stage 3's panel) is due on its stored due date (rules.md's 25/65 and 30 working days, kept
    up to date when the non-working days change). Only a Stage 3 complaint whose panel has a
    date has later clocks; those few are worked out with `domain.steps.clocks` (which loads
    the bank holidays, so nothing else pays for it)."""
    # A later Stage 3 clock runs at most 15 working days from the panel or its report: one
    # that starts over 120 days before the year cannot fall due in it.
    later_from = (year.start - timedelta(days=_LATER_CLOCKS_WITHIN)).isoformat()
    # SQLite would walk the `due` index for the OR below and read the rows it finds one by
    # one; one plain pass is quicker. A server's planner chooses for itself.
    not_indexed = " NOT INDEXED" if dialect_of(query) == "sqlite" else ""
    rows = query.rows(
        "SELECT stage, received, extended, due, responded, panel_held, panel_report "
        f"FROM complaint{not_indexed} WHERE stage IN (2, 3) "
        f"AND COALESCE(outcome, '') <> '{_CANCELLED}' AND (due BETWEEN :s AND :e "
        "OR (stage = 3 AND received <= :e AND (panel_held >= :l OR panel_report >= :l)))",
        {**period, "l": later_from},
    )
    counts = {(stage, step): [0, 0] for stage, step, _ in STEP_ROWS}  # due, on time
    calendar: WorkingCalendar | None = None
    for stage, received, extended, due, responded, panel_held, panel_report in rows:
        stage = int(stage)
        clocks: list[tuple[str, date, date | None]]  # step, due, done
        if stage == 3 and (panel_held is not None or panel_report is not None):
            from cscdesk.domain import steps

            calendar = calendar or _calendar(query)
            record = ComplaintData(received=_day(received), stage=3, extended=bool(extended),
                                   responded=_day(responded), panel_held=_day(panel_held),
                                   panel_report=_day(panel_report))
            clocks = [(c.step, c.due, c.done) for c in steps.clocks(record, calendar)]
        else:
            clocks = [(_FIRST_STEP[stage], _day(due) or year.end + timedelta(days=1),
                       _day(responded) if stage == 2 else _day(panel_held))]
        for step, due_day, done in clocks:
            if year.start <= due_day <= year.end:
                tally = counts[(stage, step)]
                tally[0] += 1
                tally[1] += done is not None and done <= due_day
    return tuple(
        StepFigures(stage, step, label, due, on_time, due - on_time,
                    formatting.percent(on_time, due))
        for stage, step, label in STEP_ROWS
        for due, on_time in [counts[(stage, step)]]
    )


def _decisions(query: Query, period: dict[str, str]) -> tuple[DecisionCount, ...]:
    """Complaints whose Ombudsman decision is dated in the year, by outcome (every outcome).

    A decision is never before its referral (validation), so the referral date's index
    narrows the search to complaints referred by the year's end."""
    rows = query.rows(
        "SELECT lgo_outcome, COUNT(*) FROM complaint WHERE lgo_referred <= :e "
        "AND lgo_decided BETWEEN :s AND :e AND lgo_outcome IS NOT NULL GROUP BY lgo_outcome",
        period,
    )
    found = {str(outcome): int(count) for outcome, count in rows}
    return tuple(DecisionCount(outcome.value, found.get(outcome.value, 0))
                 for outcome in LgoOutcome)


def _with_typed_compliance(query: Query, period: dict[str, str],
                           counted: ComplianceFigures) -> ComplianceFigures:
    """Add the complaints whose compliance dates were typed on the complaint, without
    "Ombudsman recommendation" actions: each counts as one recommendation (docs/decisions.md,
    "Compliance with the Ombudsman follows its recommendations")."""
    rows = query.rows(
        "SELECT c.lgo_compliance_due, c.lgo_complied FROM complaint AS c "
        "WHERE c.lgo_referred <= :e AND c.lgo_compliance_due BETWEEN :s AND :e "
        "AND NOT EXISTS (SELECT 1 FROM action AS a WHERE a.case_reference = c.reference "
        f"AND a.action_kind = '{ActionKind.OMBUDSMAN.value}')",
        period,
    )
    due, on_time, late = counted.due, counted.on_time, counted.late
    for due_day, complied in rows:
        due += 1
        if complied is not None:
            if _day(complied) <= _day(due_day):  # type: ignore[operator]
                on_time += 1
            else:
                late += 1
    return ComplianceFigures(due, on_time, late, due - on_time - late)


_ACTION_SUMS = {
    "agreed": "agreed BETWEEN :s AND :e",
    "completed": "done BETWEEN :s AND :e",
    "overdue": "due < :e AND (done IS NULL OR done > :e)",
    "financial": "agreed BETWEEN :s AND :e AND amount_pence > 0",
    "paid": "paid BETWEEN :s AND :e",
    "due": "due BETWEEN :s AND :e",
    "due_on_time": "due BETWEEN :s AND :e AND done <= due",
    "due_late": "due BETWEEN :s AND :e AND done > due",
}


def _actions(query: Query, teams: dict[int, str], period: dict[str, str]
             ) -> tuple[ActionFigures, RemedyFigures, ComplianceFigures]:
    """Actions agreed by the year's end, summed by team and kind in one statement. (Every
    date of an action is on or after its Agreed date, so nothing later can count.)"""
    sums = [f"SUM(CASE WHEN {rule} THEN 1 ELSE 0 END)" for rule in _ACTION_SUMS.values()]
    sums.append("SUM(CASE WHEN paid BETWEEN :s AND :e THEN COALESCE(amount_pence, 0) "
                "ELSE 0 END)")
    rows = query.rows(
        f"SELECT team_id, action_kind, {', '.join(sums)} FROM action WHERE agreed <= :e "
        "GROUP BY team_id, action_kind ORDER BY team_id, action_kind",
        period,
    )
    by_team: dict[str, list[int]] = {}
    remedy = [0, 0, 0, 0]  # agreed, financial, paid, paid pence
    compliance = [0, 0, 0]  # due, on time, late
    for team_id, kind, *values in rows:
        v = dict(zip([*_ACTION_SUMS, "paid_pence"], (int(x or 0) for x in values),
                     strict=True))
        team = by_team.setdefault(teams.get(int(team_id), "?"), [0, 0, 0])
        team[0] += v["agreed"]
        team[1] += v["completed"]
        team[2] += v["overdue"]
        if kind == ActionKind.REMEDY.value:
            remedy[0] += v["agreed"]
            remedy[1] += v["financial"]
            remedy[2] += v["paid"]
            remedy[3] += v["paid_pence"]
        elif kind == ActionKind.OMBUDSMAN.value:
            compliance[0] += v["due"]
            compliance[1] += v["due_on_time"]
            compliance[2] += v["due_late"]
    team_rows = tuple(
        TeamActions(name, *counts)
        for name, counts in sorted(by_team.items(), key=lambda item: (item[0].casefold(),
                                                                      item[0]))
        if any(counts)
    )
    actions = ActionFigures(
        agreed=sum(t.agreed for t in team_rows),
        completed=sum(t.completed for t in team_rows),
        overdue_at_year_end=sum(t.overdue for t in team_rows),
        by_team=team_rows,
    )
    due, on_time, late = compliance
    return (actions, RemedyFigures(*remedy),
            ComplianceFigures(due, on_time, late, due - on_time - late))
