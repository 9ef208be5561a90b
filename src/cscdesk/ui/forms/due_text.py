"""The sentences beside a complaint's due date: when it is due and how long is left, the
working days used so far (Stages 1 and 2) and the clock of each Stage 3 step.

Plain Python (no Qt): the form recomputes it on every keystroke of Received, Stage, Extended and
Responded, with the working calendar read once when the form opens. How long is left is said
as the dashboard says it (`presentation.time_left`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cscdesk.domain.kinds import ComplaintData
from cscdesk.domain.steps import PANEL, PANEL_REPORT, RESPONSE, clocks, days_used
from cscdesk.domain.workdays import RESPONSE_DAYS
from cscdesk.presentation import time_left, working_days

if TYPE_CHECKING:  # the holiday tables are slow to import; callers bring a calendar
    from cscdesk.domain.workdays import WorkingCalendar

# The clocks of a Stage 3 complaint, in the order of its steps.
STAGE3_CLOCKS = (PANEL, PANEL_REPORT, RESPONSE)


def describe_due(
    calendar: WorkingCalendar,
    received: date | None,
    stage: int | None,
    extended: bool,
    responded: date | None,
    today: date,
    closed: date | None = None,
) -> str:
    """For example "Monday 20/05/2024 · 3 working days left" or "… · overdue by 2 working days"."""
    if received is None or stage not in (1, 2, 3):
        return "Shown when Received and Stage are filled in."
    due = calendar.response_due(received, stage, extended)
    when = f"{due:%A} {due:%d/%m/%Y}"
    if stage == 3 and extended:
        when += " (an extension does not change Stage 3)"
    if responded is not None:
        if responded < received:
            return when  # the message beside Responded says what is wrong
        if responded <= due:
            return f"{when} · responded on time"
        late = calendar.working_days_between(due, responded)
        return f"{when} · responded {working_days(late)} late"
    if closed is not None:
        return f"{when} · closed with no response date"
    return f"{when} · {time_left(calendar, due, today)}"


def describe_days_used(calendar: WorkingCalendar, record: ComplaintData, today: date) -> str:
    """Stage 1 and 2: "Day 7 of 25 working days used" (10/20, 25/65 as extended); after the
    response, the day it was sent on. Empty at Stage 3, whose steps have clocks of their own."""
    if record.received is None or record.stage not in (1, 2):
        return "" if record.stage == 3 else "Shown when Received and Stage are filled in."
    allowed = RESPONSE_DAYS[record.stage][1 if record.extended else 0]
    if record.responded is not None:
        if record.responded < record.received:
            return ""  # the message beside Responded says what is wrong
        used = days_used(record, calendar, today) or 0
        return f"Responded on working day {used} of {allowed}"
    if record.closed is not None:
        end = max(record.closed, record.received)
        return (f"Closed on working day {calendar.working_days_between(record.received, end)} "
                f"of {allowed}")
    used = days_used(record, calendar, today) or 0
    return f"Day {used} of {allowed} working days used"


# What a Stage 3 step's date means once it is there: "held on time", "received 2 … late".
_DONE_VERB = {PANEL: "held", PANEL_REPORT: "received", RESPONSE: "sent"}
# What a clock waits for before it starts.
_WAITS_FOR = {PANEL: "Received", PANEL_REPORT: "Panel held", RESPONSE: "Panel report received"}


def describe_clocks(calendar: WorkingCalendar, record: ComplaintData,
                    today: date) -> dict[str, tuple[str, bool]]:
    """A Stage 3 complaint's clocks by step: (text, started). For example "Wed 12/06/2024 —
    3 working days left", "Wed 12/06/2024 — held on time" or "… — held 2 working days late";
    a clock not yet started says what it waits for."""
    started = {clock.step: clock for clock in clocks(record, calendar)} \
        if record.stage == 3 else {}
    found: dict[str, tuple[str, bool]] = {}
    for step in STAGE3_CLOCKS:
        clock = started.get(step)
        if clock is None:
            found[step] = (f"Starts when {_WAITS_FOR[step]} is filled in.", False)
            continue
        when = f"{clock.due:%a %d/%m/%Y}"
        if clock.done is not None:
            if clock.done < clock.started:
                found[step] = (when, True)  # the message beside the date says what is wrong
            elif clock.on_time:
                found[step] = (f"{when} — {_DONE_VERB[step]} on time", True)
            else:
                late = calendar.working_days_between(clock.due, clock.done)
                found[step] = (f"{when} — {_DONE_VERB[step]} {working_days(late)} late", True)
        elif record.closed is not None:
            found[step] = (f"{when} — closed with no date", True)
        else:
            found[step] = (f"{when} — {time_left(calendar, clock.due, today)}", True)
    return found
