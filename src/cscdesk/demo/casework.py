"""The demo's casework from 2019/20 on: Stage 2 and Stage 3 steps, the Ombudsman's decisions, the
actions agreed at the end of cases, and the Ombudsman's annual letters.

Added to the numbered records (an action names its case by reference), with a random generator
of its own, so the cases themselves are those the rest of the demo draws, and the example years
(2016/17 to 2018/19) are left exactly as they are: their appendix gains no sections.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cscdesk.demo import fiction
from cscdesk.demo.ordinary import FIRST_YEAR
from cscdesk.domain.kinds import (
    ActionData,
    ActionKind,
    ComplaintData,
    DisputeData,
    LgoOutcome,
    RecordData,
)
from cscdesk.domain.steps import PANEL_DAYS
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.domain.years import ReportingYear

SEED = 20190401
FIRST_DAY = ReportingYear(FIRST_YEAR).start

OFFICERS = ("Morwenna Halloway", "Barnaby Quince", "Eluned Pryce", "Tobias Fairweather",
            "Ifeoma Castellane")
INDEPENDENT_PEOPLE = ("Cordelia Ashdown", "Rupert Vellacott", "Philippa Marchbank")

# What the Ombudsman decided, from the demo's decision texts (fiction.LGO_DECISIONS).
LGO_OUTCOMES = {
    "Not upheld: no fault found.": LgoOutcome.NOT_UPHELD,
    "Upheld: apology and £250 for time and trouble agreed.": LgoOutcome.UPHELD_INJUSTICE,
    "Closed after initial enquiries.": LgoOutcome.CLOSED_EARLY,
}
LGO_REMEDY = "Apology and £250 for time and trouble."

REMEDIES = (
    ("A written apology from the team manager.", None),
    ("Payment for time and trouble.", Decimal("150")),
    ("Payment for time and trouble.", Decimal("250")),
    ("Reimbursement of travel costs to contact.", Decimal("86.40")),
    ("Meeting with the service manager to agree the contact plan.", None),
)
DISPUTE_ACTIONS = (
    "Care plan actions to be reviewed at the next supervision.",
    "Permanence planning meeting to be held.",
    "Statutory visits to be brought up to date and recorded.",
)
OMBUDSMAN_ACTIONS = (
    "Write to the complainant to apologise.",
    "Pay £250 for time and trouble.",
    "Remind staff of the procedure for sharing assessments.",
)
EVIDENCE = ("Letter on file.", "Team meeting minutes.", "Payment confirmed by Finance.",
            "Procedure updated on the intranet.", "Training attendance list.")


@dataclass(frozen=True)
class Letter:
    """The Ombudsman's annual letter figures for one reporting year (invented)."""

    year: int
    decided: int
    upheld_percent: int
    compliance_percent: int
    satisfactory_remedy_percent: int
    similar_upheld_percent: int


def ombudsman_letters(today: date) -> list[Letter]:
    """The letters of the last two complete reporting years."""
    last = ReportingYear.containing(today).start_year - 1
    return [Letter(last - 1, 6, 67, 100, 25, 72), Letter(last, 4, 50, 100, 50, 70)]


def add_casework(records: list[RecordData], calendar: WorkingCalendar,
                 today: date) -> list[ActionData]:
    """Fill in the steps and Ombudsman decisions of the complaints received from 2019/20 on
    (in place) and return the actions agreed on them and on dispute resolution cases,
    referenced (`A-2122-007`: reporting year agreed, number in date order)."""
    work = _Casework(random.Random(SEED), calendar, today)
    actions: list[ActionData] = []
    for record in records:
        if isinstance(record, ComplaintData) and record.received is not None \
                and record.received >= FIRST_DAY:
            if record.stage == 2:
                work.stage2_steps(record)
            elif record.stage == 3:
                work.stage3_steps(record)
            actions += work.lgo_decision(record)
            actions += work.complaint_actions(record)
        elif isinstance(record, DisputeData) and record.raised is not None \
                and record.raised >= FIRST_DAY:
            actions += work.dispute_actions(record)
    actions += _open_now([r for r in records if isinstance(r, ComplaintData)
                          and r.received is not None and r.received >= FIRST_DAY], today)
    actions.sort(key=lambda a: (a.agreed or today, a.case_reference, a.what))
    counters: dict[int, int] = {}
    for action in actions:
        assert action.agreed is not None
        year = ReportingYear.containing(action.agreed).start_year
        counters[year] = counters.get(year, 0) + 1
        action.reference = f"A-{year % 100:02d}{(year + 1) % 100:02d}-{counters[year]:03d}"
    return actions


@dataclass
class _Casework:
    rng: random.Random
    calendar: WorkingCalendar
    today: date

    def _at(self, start: date, end: date, share: float) -> date:
        """The working day `share` of the way from `start` to `end`."""
        span = self.calendar.working_days_between(start, end)
        return min(end, self.calendar.add_working_days(start, round(span * share)))

    def _until(self, record: ComplaintData) -> date | None:
        """The last day a step of `record` can have: its response, or today while it is open
        (None: cancelled, no steps)."""
        if record.responded is not None:
            return record.responded
        return None if record.closed is not None else self.today

    def stage2_steps(self, record: ComplaintData) -> None:
        """Statement agreed, officer and independent person appointed, report received:
        in order, before the adjudication (the response)."""
        assert record.received is not None
        until = self._until(record)
        if until is None:
            return
        rng = self.rng
        statement = self._at(record.received, until, rng.uniform(0.05, 0.2))
        appointed = self._at(record.received, until, rng.uniform(0.1, 0.25))
        record.statement_agreed = statement
        record.investigating_officer = rng.choice(OFFICERS)
        record.officer_appointed = appointed
        record.independent_person = rng.choice(INDEPENDENT_PEOPLE)
        record.person_appointed = appointed
        if record.responded is not None:
            record.report_received = max(statement, appointed, self._at(
                record.received, record.responded, rng.uniform(0.75, 0.95)))

    def stage3_steps(self, record: ComplaintData) -> None:
        """The panel (within 30 working days of the request, a few late), its report (within
        5), then the response, in order."""
        assert record.received is not None
        until = self._until(record)
        if until is None:
            return
        rng, calendar = self.rng, self.calendar
        span = calendar.working_days_between(record.received, until)
        if span < 2:
            return  # no panel yet
        if rng.random() < 0.3 and span > PANEL_DAYS + 2:
            days = rng.randint(PANEL_DAYS + 1, span - 1)  # a late panel
        else:
            days = min(PANEL_DAYS, round(span * rng.uniform(0.3, 0.7)))
        panel = calendar.add_working_days(record.received, days)
        record.panel_held = panel
        report = calendar.add_working_days(panel, rng.choice((2, 3, 4, 5, 7)))
        if report <= until:
            record.panel_report = report
        elif record.responded is not None:
            record.panel_report = record.responded

    def lgo_decision(self, record: ComplaintData) -> list[ActionData]:
        """The Ombudsman's decision of a referral the demo decided, with the recommendations
        and remedy an upheld one brings."""
        outcome = LGO_OUTCOMES.get(record.lgo_decision)
        if outcome is None or record.lgo_referred is None:
            return []
        decided = record.lgo_referred + timedelta(days=self.rng.randint(40, 85))
        record.lgo_outcome, record.lgo_decided = outcome, decided
        if outcome is not LgoOutcome.UPHELD_INJUSTICE:
            return []
        record.lgo_remedy = LGO_REMEDY
        actions = []
        for number, what in enumerate(OMBUDSMAN_ACTIONS):
            due = decided + timedelta(days=30 if number < 2 else 90)
            remedy = number == 1
            action = self._action(record, decided, due, what,
                                  ActionKind.REMEDY if remedy else ActionKind.OMBUDSMAN,
                                  late_chance=0.1)
            if remedy:
                action.amount = Decimal("250")
                action.paid = action.done
            actions.append(action)
        return actions

    def complaint_actions(self, record: ComplaintData) -> list[ActionData]:
        """Learning from an upheld complaint, and sometimes a remedy for the complainant."""
        if record.closed is None or record.outcome is None \
                or not record.outcome.counts_as_upheld:
            return []
        rng = self.rng
        actions: list[ActionData] = []
        if record.learning and rng.random() < 0.6:
            actions.append(self._action(
                record, record.closed, record.closed + timedelta(days=rng.randint(28, 120)),
                record.learning, ActionKind.LEARNING, late_chance=0.25))
        if rng.random() < 0.3:
            what, amount = rng.choice(REMEDIES)
            action = self._action(
                record, record.closed, record.closed + timedelta(days=rng.randint(10, 30)),
                what, ActionKind.REMEDY, late_chance=0.15)
            if amount is not None:
                action.amount = amount
                action.paid = action.done
            actions.append(action)
        return actions

    def dispute_actions(self, record: DisputeData) -> list[ActionData]:
        if record.resolved is None or self.rng.random() >= 0.2:
            return []
        return [self._action(record, record.resolved,
                             record.resolved + timedelta(days=self.rng.randint(20, 60)),
                             self.rng.choice(DISPUTE_ACTIONS), ActionKind.LEARNING,
                             late_chance=0.2)]

    def _action(self, case: ComplaintData | DisputeData, agreed: date, due: date, what: str,
                kind: ActionKind, late_chance: float) -> ActionData:
        """An action done by its due date, or late (as chance has it), or not yet when that
        is after today (overdue once its due date has passed)."""
        rng = self.rng
        if rng.random() < late_chance:
            done = due + timedelta(days=rng.randint(3, 45))
        else:
            done = max(agreed, due - timedelta(days=rng.randint(0, 20)))
        done_or_none = done if done <= self.today else None
        return ActionData(
            agreed=agreed, case_reference=case.reference, action_kind=kind, team=case.team,
            what=what, due=due, done=done_or_none,
            evidence=rng.choice(EVIDENCE) if done_or_none is not None else "")


def _open_now(cases: list[ComplaintData], today: date) -> list[ActionData]:
    """Two learning actions overdue today and one not yet due, on the latest upheld
    complaints, so the dashboard always has overdue actions to show."""
    upheld = sorted((c for c in cases if c.closed is not None and c.outcome is not None
                     and c.outcome.counts_as_upheld and c.closed <= today - timedelta(days=40)),
                    key=lambda c: (c.closed or today, c.reference))
    planned = ((-9, "Share the learning with the team at its next meeting."),
               (-2, fiction.LEARNING["Communication"][1]),
               (15, "Review the contact plan with the family."))
    return [ActionData(agreed=case.closed, case_reference=case.reference,
                       action_kind=ActionKind.LEARNING, team=case.team, what=what,
                       due=today + timedelta(days=days))
            for case, (days, what) in zip(reversed(upheld), planned, strict=False)]
