"""Due dates for a whole workbook of complaints at once.

WorkingCalendar.response_due walks day by day, which is right for one form but slow for 50,000
rows. Here the working days of the period are listed once and each due date is a bisect into
that list; the answers are the same (a test compares them).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from cscdesk.domain.workdays import RESPONSE_DAYS, WorkingCalendar

_LIST_SPAN = timedelta(days=5 * 366)


class DueDateTable:
    """Response due dates by (received, stage, extended), from one list of working days."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.start: date | None = None
        self.end: date | None = None  # working days are listed for start < day <= end
        self.days: list[date] = []
        self.cache: dict[tuple[date, int, bool], date] = {}

    def due(self, received: date, stage: int, extended: bool) -> date:
        key = (received, stage, extended)
        found = self.cache.get(key)
        if found is None:
            normal, longer = RESPONSE_DAYS[stage]
            found = self.cache[key] = self._nth_after(received, longer if extended else normal)
        return found

    def _nth_after(self, start: date, count: int) -> date:
        if count == 0:
            return start
        if self.start is None or start < self.start:
            self._list(start - _LIST_SPAN, max(self.end or start, start) + _LIST_SPAN)
        while True:
            assert self.start is not None and self.end is not None
            index = bisect_right(self.days, start) + count - 1
            if start < self.end and index < len(self.days):
                return self.days[index]
            self._list(self.start, max(self.end, start) + _LIST_SPAN)

    def _list(self, start: date, end: date) -> None:
        is_working = self.calendar.is_working_day
        days: list[date] = []
        day = start
        while day < end:
            day += timedelta(days=1)
            if is_working(day):
                days.append(day)
        self.start, self.end, self.days = start, end, days
