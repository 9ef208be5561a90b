"""The sentence beside a complaint's due date: when it is due and how long is left.

Plain Python (no Qt): the form recomputes it on every keystroke of Received, Stage, Extended and
Responded, with the working calendar read once when the form opens.
"""

from __future__ import annotations

from datetime import date

from cscdesk.domain.workdays import WorkingCalendar


def _days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


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
        return f"{when} · responded {_days(calendar.working_days_between(due, responded))} late"
    if closed is not None:
        return f"{when} · closed with no response date"
    if today > due:
        return f"{when} · overdue by {_days(calendar.working_days_between(due, today))}"
    left = calendar.working_days_between(today, due)
    if left == 0:
        return f"{when} · due today"
    return f"{when} · {_days(left)} left"
