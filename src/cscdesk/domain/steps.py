"""The clocks of a complaint's statutory steps, and the order its step dates must follow.

Stage 1 and Stage 2 have one clock, the response (rules.md: 10 or 20, 25 or 65 working days
from Received). Stage 3 (the 2006 Regulations, regs 19-20) has three, each running from the
step before it: the panel within 30 working days of the request (the Stage 3 record's Received
date), the panel's report within 5 working days of the panel, and the council's response within
15 working days of the report. A clock starts only once the step it runs from has a date.

Plain functions of a record and a `WorkingCalendar`: the form, the dashboard, the appendix and
the tests use the same ones. No Qt, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import ComplaintData

if TYPE_CHECKING:  # the calendar loads England's bank holidays: only when a clock is worked out
    from cscdesk.domain.workdays import WorkingCalendar

PANEL_DAYS = 30  # reg 19(2): the panel meets within 30 working days of the request
PANEL_REPORT_DAYS = 5  # reg 20(1): its report within 5 working days of the panel
STAGE3_RESPONSE_DAYS = 15  # reg 20(5): the council's response within 15 of the report

# What is due, as the dashboard and the appendix name it.
RESPONSE = "response"
PANEL = "panel"
PANEL_REPORT = "panel report"

STAGE2_STEPS = ("statement_agreed", "investigating_officer", "officer_appointed",
                "independent_person", "person_appointed", "report_received")
STAGE3_STEPS = ("panel_held", "panel_report")

# Step dates that must not come before another date of the record: (later, earlier).
_ORDER: tuple[tuple[str, str], ...] = (
    ("report_received", "statement_agreed"),
    ("report_received", "officer_appointed"),
    ("responded", "report_received"),
    ("panel_report", "panel_held"),
    ("responded", "panel_report"),
    ("lgo_decided", "lgo_referred"),
    ("lgo_compliance_due", "lgo_decided"),
    ("lgo_complied", "lgo_decided"),
)


@dataclass(frozen=True)
class Clock:
    """One statutory step: what it is, when it is due, and when it was done (None: not yet).

    `started` is the date its clock runs from."""

    step: str
    started: date
    due: date
    done: date | None

    @property
    def on_time(self) -> bool:
        return self.done is not None and self.done <= self.due


def clocks(record: ComplaintData, calendar: WorkingCalendar) -> list[Clock]:
    """The complaint's clocks that have started, in the order of its steps."""
    received = record.received
    if received is None or record.stage not in (1, 2, 3):
        return []
    if record.stage != 3:
        due = calendar.response_due(received, record.stage, record.extended)
        return [Clock(RESPONSE, received, due, record.responded)]
    found = [Clock(PANEL, received, calendar.add_working_days(received, PANEL_DAYS),
                   record.panel_held)]
    if record.panel_held is not None:
        found.append(Clock(PANEL_REPORT, record.panel_held,
                           calendar.add_working_days(record.panel_held, PANEL_REPORT_DAYS),
                           record.panel_report))
    if record.panel_report is not None:
        found.append(Clock(RESPONSE, record.panel_report,
                           calendar.add_working_days(record.panel_report, STAGE3_RESPONSE_DAYS),
                           record.responded))
    return found


def next_clock(record: ComplaintData, calendar: WorkingCalendar) -> Clock | None:
    """The first step not yet done, or None when every started clock has stopped (or the
    complaint is closed)."""
    if record.closed is not None:
        return None
    for clock in clocks(record, calendar):
        if clock.done is None:
            return clock
    return None


def days_used(record: ComplaintData, calendar: WorkingCalendar, today: date) -> int | None:
    """Working days from Received to the response, or to `today` while there is none."""
    if record.received is None:
        return None
    end = record.responded or today
    return max(0, calendar.working_days_between(record.received, end))


def order_errors(record: ComplaintData) -> list[tuple[str, str]]:
    """(field, sentence) for each step date before the step it follows, and for step fields
    filled in at a stage that has no such step."""
    errors: list[tuple[str, str]] = []
    for later, earlier in _ORDER:
        after: date | None = getattr(record, later)
        before: date | None = getattr(record, earlier)
        if after is not None and before is not None and after < before:
            errors.append((later, f"{FIELD_LABELS[later]} ({after:%d/%m/%Y}) is before "
                                  f"{FIELD_LABELS[earlier]} ({before:%d/%m/%Y})."))
    for stage, names in ((2, STAGE2_STEPS), (3, STAGE3_STEPS)):
        if record.stage in (1, 2, 3) and record.stage != stage:
            for name in names:
                if getattr(record, name):
                    errors.append((name, f"{FIELD_LABELS[name]} is a Stage {stage} step; this "
                                         f"complaint is Stage {record.stage}."))
    if record.officer_appointed is not None and not record.investigating_officer.strip():
        errors.append(("investigating_officer",
                       "Investigating officer: give the name of the officer appointed."))
    if record.person_appointed is not None and not record.independent_person.strip():
        errors.append(("independent_person",
                       "Independent person: give the name of the person appointed."))
    lgo_given = (record.lgo_outcome is not None or record.lgo_decided is not None
                 or bool(record.lgo_remedy.strip()) or record.lgo_compliance_due is not None
                 or record.lgo_complied is not None)
    if lgo_given and record.lgo_referred is None:
        errors.append(("lgo_referred", "An LGO decision needs the date it was referred."))
    if (record.lgo_outcome is None) != (record.lgo_decided is None):
        missing = "lgo_decided" if record.lgo_decided is None else "lgo_outcome"
        errors.append((missing, "LGO outcome and LGO decided go together: give both or "
                                "neither."))
    return errors
