"""The sentence beside a complaint's due date: when it is due and how long is left.

Plain Python (no Qt): the form recomputes it on every keystroke of Received, Stage, Extended and
Responded, with the working calendar read once when the form opens. How long is left is said
as the dashboard says it (`presentation.time_left`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cscdesk.presentation import time_left, working_days

if TYPE_CHECKING:  # the holiday tables are slow to import; callers bring a calendar
    from cscdesk.domain.workdays import WorkingCalendar


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
