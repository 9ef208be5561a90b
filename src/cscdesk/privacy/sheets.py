"""Writing simple tables to an .xlsx file safely: text stays text, the file appears whole.

Nothing is cut and nothing is dropped: a table with more rows than a sheet holds continues on
"Audit (2)", "Audit (3)", … (each with the header row), and a text longer than a cell holds
(32,767 characters) continues in the cells below it, the row's other cells repeated. Rows are
written as they come (XlsxWriter's constant_memory, its temporary files in a private folder
beside the target), so memory does not grow with the table; rows may be added to several
tables in turn (a subject access pack writes a record's row and its history together), and
the sheets are put in table order when the file is closed.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

from cscdesk.domain.validation import MAX_TEXT_LENGTH, text_length
from cscdesk.errors import UserFacingError
from cscdesk.exchange.files import close_workbook, writing
from cscdesk.exchange.layout import SHEET_ROWS, continued_name

Table = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def write_tables(path: Path, tables: Iterable[Table]) -> dict[str, int]:
    """Write each (sheet name, headers, rows) to `path`, via a temporary file and a rename;
    returns the rows given per table (not counting continuation rows)."""
    counts: dict[str, int] = {}
    with tables_writer(path) as book:
        for name, headers, rows in tables:
            table = book.table(name, headers)
            add = table.add
            for row in rows:
                add(row)
            counts[name] = table.given
    return counts


@contextlib.contextmanager
def tables_writer(path: Path) -> Iterator[Tables]:
    """A workbook written to `path` (via a temporary file and a rename) as tables are added
    and rows given to them: all of it, or nothing when the block fails."""
    with writing(Path(path), UserFacingError) as scratch:
        workbook = xlsxwriter.Workbook(str(scratch.file), {
            "constant_memory": True,
            "tmpdir": str(scratch.folder),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        book = Tables(workbook, scratch.file.parent)
        try:
            yield book
        except BaseException:
            book.abandon()
            raise
        book.arrange()
        close_workbook(workbook, scratch.file.parent, UserFacingError)


class Tables:
    """The tables of a workbook being written (see `tables_writer`)."""

    def __init__(self, workbook: Any, folder: Path) -> None:
        self.workbook = workbook
        self.folder = folder
        self.tables: list[TableWriter] = []
        self.formats = (workbook.add_format({"bold": True}),
                        workbook.add_format({"num_format": "dd/mm/yyyy"}),
                        workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}))

    def table(self, name: str, headers: Sequence[str]) -> TableWriter:
        """A new table, on a sheet named `name` (cut to 26 characters, to leave room for
        " (2)" and so on) after the tables before it."""
        table = TableWriter(self, name[:26], headers)
        self.tables.append(table)
        return table

    def failed(self, error: OSError) -> UserFacingError:
        """What to say when a sheet's rows cannot be written (a full disk)."""
        self.abandon()
        return UserFacingError(
            f"Cannot write the workbook in the folder {self.folder}: "
            f"{error.strerror or error}. Nothing was written; free some space or choose "
            "another folder, and try again.")

    def abandon(self) -> None:
        """The file will not be finished: its sheets' temporary files are closed (so that
        their folder can be removed) and XlsxWriter is told not to finish it."""
        self.workbook.fileclosed = True
        for sheet in self.workbook.worksheets():
            handle = getattr(sheet, "row_data_fh", None)
            if handle is not None:
                with contextlib.suppress(OSError):
                    handle.close()
                sheet.row_data_fh_closed = True

    def arrange(self) -> None:
        """Each table's sheets together, in the order the tables were made: a continuation
        sheet is made when its table fills a sheet, maybe after later tables' sheets."""
        ordered = [sheet for table in self.tables for sheet in table.sheets]
        current = self.workbook.worksheets()
        if ordered != current and sorted(map(id, ordered)) == sorted(map(id, current)):
            current[:] = ordered
            for index, sheet in enumerate(ordered):
                sheet.index = index


class TableWriter:
    """One table: its rows written in the order given, on as many sheets as they need."""

    def __init__(self, book: Tables, name: str, headers: Sequence[str]) -> None:
        self.book = book
        self.name = name
        self.headers = list(headers)
        self.given = 0  # rows given (a row continued over several lines counts once)
        self.sheets: list[Any] = []
        self.sheet: Any = None
        self.row = SHEET_ROWS  # the last line written on the current sheet (none yet)
        self._write: LineWriter = _write_cells
        self._new_sheet()

    def _new_sheet(self) -> None:
        bold = self.book.formats[0]
        try:
            sheet = self.book.workbook.add_worksheet(
                continued_name(self.name, len(self.sheets) + 1))
            sheet.write_row(0, 0, self.headers, bold)
            sheet.freeze_panes(1, 0)
        except OSError as error:
            raise self.book.failed(error) from None
        self.sheets.append(sheet)
        self.sheet = sheet
        self.row = 0
        self._write = _write_line if _writes_lines(sheet) else _write_cells

    def add(self, row: Sequence[object]) -> None:
        """Write `row`: one line, or several when a text is longer than a cell holds."""
        self.given += 1
        for value in row:
            if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH // 2 \
                    and text_length(value) > MAX_TEXT_LENGTH:
                for line in _lines(row):
                    self._line(line)
                return
        self._line(row)

    def _line(self, cells: Sequence[object]) -> None:
        if self.row >= SHEET_ROWS - 1:
            self._new_sheet()
        self.row += 1
        try:
            self._write(self.sheet, self.row, cells, self.book.formats)
        except OSError as error:
            raise self.book.failed(error) from None


def _write_cells(sheet: Any, row: int, cells: Sequence[object],
                 formats: tuple[Format, Format, Format]) -> None:
    """One line's cells: text as text (never a formula), Yes and No for true and false,
    numbers, dates and times; nothing for an empty value. The common types are told apart by
    their exact type, the rest as before by isinstance."""
    write_string = sheet.write_string
    for column, value in enumerate(cells):
        kind = type(value)
        if kind is str:
            if value:
                write_string(row, column, value)
        elif value is None:
            continue
        elif kind is bool:
            write_string(row, column, "Yes" if value else "No")
        elif kind is int or kind is float:
            sheet.write_number(row, column, value)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, column, value, formats[2])
        elif isinstance(value, date):
            sheet.write_datetime(row, column, value, formats[1])
        elif isinstance(value, bool):
            write_string(row, column, "Yes" if value else "No")
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value)
        elif value != "":
            write_string(row, column, str(value))


# A line's XML written by `_write_line`, as XlsxWriter writes it cell by cell (a few
# microseconds a cell, most of a large workbook's time): what it escapes in a text, and how.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_COLUMN_NAMES: list[str] = []
_SHEET_PARTS = ("table", "fh", "previous_row", "dim_rowmin", "dim_rowmax", "dim_colmin",
                "dim_colmax", "date_1904", "remove_timezone", "_write_single_row",
                "_convert_date_time", "constant_memory")


def _writes_lines(sheet: Any) -> bool:
    """Whether `_write_line` can write to `sheet`: XlsxWriter's constant_memory worksheet
    as this module knows it (else cells are written one by one, `_write_cells`)."""
    return bool(getattr(sheet, "constant_memory", False)) and all(
        hasattr(sheet, part) for part in _SHEET_PARTS)


def _column(index: int) -> str:
    while len(_COLUMN_NAMES) <= index:
        _COLUMN_NAMES.append(xl_col_to_name(len(_COLUMN_NAMES)))
    return _COLUMN_NAMES[index]


def _text_xml(text: str) -> str:
    """A text's <t> element as XlsxWriter writes an in-line string: no longer than a cell
    holds, control characters as _xHHHH_ (and text that looks like one escaped), spaces at
    either end kept, & < > escaped. Unlike XlsxWriter, a text that looks like rich text
    ("<r>...</r>") is escaped too: it is text as typed, not markup."""
    if len(text) > MAX_TEXT_LENGTH // 2 and text_length(text) > MAX_TEXT_LENGTH:
        text = cell_pieces(text)[0]
    if _SPECIAL.search(text) is None:
        return f"<t>{text}</t>"
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
    preserve = text[:1].isspace() or text[-1:].isspace()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<t xml:space="preserve">{text}</t>' if preserve else f"<t>{text}</t>"


def _write_line(sheet: Any, row: int, cells: Sequence[object],
                formats: tuple[Format, Format, Format]) -> None:
    """`_write_cells`, with the line's XML made here in one string and written at once to the
    worksheet's row file (XlsxWriter's constant_memory mode writes each row there as the next
    begins): what XlsxWriter writes for the same cells, at a fraction of the cost."""
    if sheet.table:  # a row XlsxWriter holds (the header): written first
        sheet._write_single_row(row)
    sheet.previous_row = row
    number = row + 1
    parts: list[str] = []
    first = last = -1
    for column, value in enumerate(cells):
        kind = type(value)
        if kind is str:
            if not value:
                continue
            text = cast(str, value)
        elif value is None:
            continue
        elif kind is bool:
            text = "Yes" if value else "No"
        elif isinstance(value, datetime | date):
            style = formats[2] if isinstance(value, datetime) else formats[1]
            parts.append(f'<c r="{_column(column)}{number}" s="{style._get_xf_index()}"><v>'
                         f"{sheet._convert_date_time(value):.16G}</v></c>")
            first, last = (column if first < 0 else first), column
            continue
        elif isinstance(value, bool):
            text = "Yes" if value else "No"
        elif isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                sheet.write_number(row, column, value)  # refused, as XlsxWriter refuses it
            parts.append(f'<c r="{_column(column)}{number}"><v>{value:.16G}</v></c>')
            first, last = (column if first < 0 else first), column
            continue
        elif value == "":
            continue
        else:
            text = str(value)
        parts.append(f'<c r="{_column(column)}{number}" t="inlineStr"><is>{_text_xml(text)}'
                     "</is></c>")
        first, last = (column if first < 0 else first), column
    if not parts:
        return
    sheet.fh.write(f'<row r="{number}">{"".join(parts)}</row>')
    if sheet.dim_rowmin is None or row < sheet.dim_rowmin:
        sheet.dim_rowmin = row
    if sheet.dim_rowmax is None or row > sheet.dim_rowmax:
        sheet.dim_rowmax = row
    if sheet.dim_colmin is None or first < sheet.dim_colmin:
        sheet.dim_colmin = first
    if sheet.dim_colmax is None or last > sheet.dim_colmax:
        sheet.dim_colmax = last


LineWriter = Callable[[Any, int, Sequence[object], tuple[Format, Format, Format]], None]


def _lines(row: Sequence[object]) -> Iterator[Sequence[object]]:
    """A row with a text longer than a cell holds as several lines, that text continued in
    each, the row's other values repeated."""
    cut = [cell_pieces(value) if isinstance(value, str) else [value] for value in row]
    for index in range(max(len(pieces) for pieces in cut)):
        yield [pieces[index] if index < len(pieces) else
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
