"""The reporting year: 1 April Y to 31 March Y+1, labelled `Y/YY`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cscdesk.errors import InputError

_YEAR_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[/-]\s*(\d{2}|\d{4}))?\s*$")


@dataclass(frozen=True, order=True)
class ReportingYear:
    """A reporting year, named by the calendar year in which it starts."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> ReportingYear:
        """Read `2018`, `2018/19`, `2018-19` or `2018-2019`; anything else is an InputError."""
        match = _YEAR_PATTERN.match(str(text))
        if not match:
            raise InputError(
                f"“{text}” is not a reporting year; write it as 2018, 2018/19 or 2018-19."
            )
        start = int(match.group(1))
        end_text = match.group(2)
        if end_text is not None:
            end = int(end_text)
            expected = start + 1 if len(end_text) == 4 else (start + 1) % 100
            if end != expected:
                raise InputError(
                    f"“{text}” is not a reporting year: the second part must be the year after "
                    f"{start} (e.g. {start}/{(start + 1) % 100:02d})."
                )
        if not 1900 <= start <= 2999:
            raise InputError(f"“{text}” is not a plausible reporting year.")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> ReportingYear:
        """The reporting year a date falls in (1 April starts a new one)."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def last_complete(cls, today: date | None = None) -> ReportingYear:
        """The most recent year that has fully ended: the default for the appendix."""
        return cls.containing(today or date.today()).previous

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        """The last day of the year, included."""
        return date(self.start_year + 1, 3, 31)

    @property
    def previous(self) -> ReportingYear:
        return ReportingYear(self.start_year - 1)

    @property
    def label(self) -> str:
        """`2018/19`, the form used in headings."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def long_label(self) -> str:
        """`2018-2019`, the form of the upheld table's column headings."""
        return f"{self.start_year}-{self.start_year + 1}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
