"""How plain values read to a person: dates dd/mm/yyyy, Yes/No, enums by their wording, and
how long is left until a deadline (always in working days, as deadlines are counted)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the holiday tables are slow to import; callers bring a calendar
    from cscdesk.domain.workdays import WorkingCalendar


def display_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def working_days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def time_left(calendar: WorkingCalendar, due: date, today: date, *, short: bool = False) -> str:
    """"due today", "3 working days left", "overdue by 2 working days", or just "overdue" on a
    weekend or holiday straight after the due day (no working day has passed since).

    `short` ("3 left", "2 late") is for a column headed "Working days", where the long words
    would squeeze the names beside it."""
    if today > due:
        late = calendar.working_days_between(due, today)
        if short:
            return f"{late} late" if late else "overdue"
        return f"overdue by {working_days(late)}" if late else "overdue"
    left = calendar.working_days_between(today, due)
    if left == 0:
        return "due today"
    return f"{left} left" if short else f"{working_days(left)} left"
