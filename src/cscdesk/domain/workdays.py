"""Working days and response due dates, as the statutory procedure counts them.

A working day is Monday to Friday and not a bank holiday in England (the `holidays` package,
subdivision ENG) nor one of the officer's extra non-working days. The day of receipt is day 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Working days allowed for a response, by stage: (normal, extended).
RESPONSE_DAYS: dict[int, tuple[int, int]] = {1: (10, 20), 2: (25, 65), 3: (30, 30)}


@lru_cache(maxsize=256)
def _england_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """True for a bank holiday in England (one-off days such as 2022-09-19 included)."""
    return day in _england_bank_holidays(day.year)


class WorkingCalendar:
    """Counts working days, knowing England's bank holidays and the extra non-working days."""

    def __init__(self, extra_non_working_days: Iterable[date] = ()) -> None:
        self._extra = frozenset(extra_non_working_days)

    @property
    def extra_non_working_days(self) -> frozenset[date]:
        return self._extra

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not is_bank_holiday(day) and day not in self._extra

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`th working day after `start` (start itself is day 0, whatever it is)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def response_due(self, received: date, stage: int, extended: bool = False) -> date:
        """The due date of a complaint's response (Stage 3 ignores an extension)."""
        normal, longer = RESPONSE_DAYS[stage]
        return self.add_working_days(received, longer if extended else normal)
