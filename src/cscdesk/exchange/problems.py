"""What is wrong with a workbook: one `CellProblem` per bad cell, gathered into one error.

An import is all or nothing, so the reader and the importer collect every problem they find and
raise them together; the officer fixes the whole workbook in one pass instead of one cell a try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cscdesk.errors import InputError


@dataclass(frozen=True)
class CellProblem:
    """One bad cell: `row` is Excel's row number (the header is row 1), None for a whole sheet;
    `value` is the cell as Excel shows it (shortened only in the message)."""

    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        place = self.sheet
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column}"
        value = self.value if len(self.value) <= 80 else self.value[:77] + "…"
        shown = f" (value “{value}”)" if value else ""
        return f"{place}{shown}: {self.message}"


class WorkbookUnreadable(InputError):
    """The file is not a workbook that can be read at all (one sentence says why)."""


class WorkbookRejected(InputError):
    """The workbook has bad cells; nothing was imported. `problems` lists every one found."""

    def __init__(
        self, problems: list[CellProblem], source: str = "The workbook", parsed: Any = None
    ) -> None:
        self.problems = list(problems)
        self.source = source
        # What could be read despite the problems (a ParsedWorkbook), so that the checks that
        # need the database can still be made and every problem reported at once.
        self.parsed = parsed
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [
            f"{self.source} was not imported: {count} {noun} found, and nothing was changed. "
            "Correct the workbook and import it again."
        ]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


def shown(value: object) -> str:
    """A raw cell value as the officer would recognise it in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)
