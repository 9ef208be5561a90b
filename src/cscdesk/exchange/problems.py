"""What is wrong with a workbook: one `CellProblem` per bad cell, gathered into one error.

An import is all or nothing, so the reader and the importer collect every problem they find and
raise them together; the officer fixes the whole workbook in one pass instead of one cell a try.
"""

from __future__ import annotations

import re
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
        place = brief(self.sheet)
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {brief(self.column)}"
        value = brief(self.value)
        shown = f" (value “{value}”)" if value else ""
        return f"{place}{shown}: {printable(self.message)}"


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


SHOWN_LENGTH = 80
# Characters a terminal acts on instead of showing: C0 and C1 controls (escape sequences, bell,
# carriage return), line and paragraph separators, and the bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`), so that a cell's
    contents shown on a terminal or in a dialog cannot move the cursor, ring, or recolour."""
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def brief(text: str, limit: int = SHOWN_LENGTH) -> str:
    """A value, name or header as shown in a message: escaped, and cut to about `limit`
    characters with "…" (a 1 MB header cell is named by its first words, not echoed whole)."""
    if len(text) > limit:
        text = text[:limit - 3] + "…"
    return printable(text)
