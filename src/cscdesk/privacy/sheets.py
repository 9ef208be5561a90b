"""Writing simple tables to an .xlsx file safely: text stays text, the file appears whole.

Nothing is cut and nothing is dropped: a table with more rows than a sheet holds continues on
"Audit (2)", "Audit (3)", … (each with the header row), and a text longer than a cell holds
(32,767 characters) continues in the cells below it, the row's other cells repeated. Rows are
written as they come (XlsxWriter's constant_memory, its temporary files in a private folder
beside the target), so memory does not grow with the table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format

from cscdesk.domain.validation import MAX_TEXT_LENGTH, text_length
from cscdesk.errors import UserFacingError
from cscdesk.exchange.files import close_workbook, writing
from cscdesk.exchange.layout import SHEET_ROWS, continued_name

Table = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def write_tables(path: Path, tables: Iterable[Table]) -> dict[str, int]:
    """Write each (sheet name, headers, rows) to `path`, via a temporary file and a rename;
    returns the rows given per table (not counting continuation rows)."""
    counts: dict[str, int] = {}
    with writing(Path(path), UserFacingError) as scratch:
        workbook = xlsxwriter.Workbook(str(scratch.file), {
            "constant_memory": True,
            "tmpdir": str(scratch.folder),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "dd/mm/yyyy"})
        moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        try:
            for name, headers, rows in tables:
                counts[name] = _write_table(workbook, name[:26], headers, rows,
                                            (bold, day, moment))
        except OSError as error:
            workbook.fileclosed = True
            raise UserFacingError(
                f"Cannot write the workbook in the folder {scratch.file.parent}: "
                f"{error.strerror or error}. Nothing was written; free some space or choose "
                "another folder, and try again.") from None
        close_workbook(workbook, scratch.file.parent, UserFacingError)
    return counts


def _write_table(workbook: xlsxwriter.Workbook, name: str, headers: Sequence[str],
                 rows: Iterable[Sequence[object]], formats: tuple[Format, Format, Format]
                 ) -> int:
    bold, day, moment = formats
    given = 0
    lines = _lines(rows)
    for part in itertools.count(1):
        sheet = workbook.add_worksheet(continued_name(name, part))
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        row_number = 0
        for row_number, (first, row) in enumerate(itertools.islice(lines, SHEET_ROWS - 1),
                                                  start=1):
            given += first
            for column, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(row_number, column, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(row_number, column, value, day)
                elif isinstance(value, bool):
                    sheet.write_string(row_number, column, "Yes" if value else "No")
                elif isinstance(value, int | float):
                    sheet.write_number(row_number, column, value)
                elif value is not None and value != "":
                    sheet.write_string(row_number, column, str(value))
        if row_number < SHEET_ROWS - 1:
            return given
        following = next(lines, None)
        if following is None:
            return given
        lines = itertools.chain([following], lines)
    raise AssertionError("unreachable")


def _lines(rows: Iterable[Sequence[object]]) -> Iterator[tuple[bool, Sequence[object]]]:
    """(whether it is a row's first line, the cells) for each line of the sheet: a row with a
    text longer than a cell holds becomes several lines, that text continued in each."""
    for row in rows:
        if not any(isinstance(value, str) and len(value) > MAX_TEXT_LENGTH // 2
                   and text_length(value) > MAX_TEXT_LENGTH for value in row):
            yield True, row
            continue
        cut = [cell_pieces(value) if isinstance(value, str) else [value] for value in row]
        for index in range(max(len(pieces) for pieces in cut)):
            yield index == 0, [pieces[index] if index < len(pieces) else
                               (pieces[0] if len(pieces) == 1 else "") for pieces in cut]


def cell_pieces(text: str) -> list[str]:
    """`text` cut into pieces that each fit one Excel cell (32,767 UTF-16 units)."""
    pieces: list[str] = []
    while text_length(text) > MAX_TEXT_LENGTH:
        size = MAX_TEXT_LENGTH
        while text_length(text[:size]) > MAX_TEXT_LENGTH:
            size -= text_length(text[:size]) - MAX_TEXT_LENGTH
        pieces.append(text[:size])
        text = text[size:]
    pieces.append(text)
    return pieces
