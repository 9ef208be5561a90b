"""Reading an interchange workbook into checked records, without touching the database.

`read_workbook(path) -> ParsedWorkbook` opens the file with python-calamine, matches sheets and
columns (case-insensitively, surrounding spaces and a trailing * ignored), reads every cell and
checks every record with `domain.validation.validate`. It raises:

- `WorkbookUnreadable` (one sentence) when the file is not a workbook it can read;
- `WorkbookRejected` with `.problems`, every bad cell found (sheet, Excel row, column, value),
  when anything in it is wrong.

Checks that need the database ("Escalated from" naming a stored complaint, an action's Case
naming a stored complaint or dispute resolution case) are made by `importer.plan_import` /
`importer.apply_import`. Safe to call off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import python_calamine

from cscdesk.domain.kind_spec import FIELD_LABELS, spec
from cscdesk.domain.kinds import Kind, RecordData
from cscdesk.domain.validation import validate
from cscdesk.domain.years import ReportingYear
from cscdesk.exchange.cells import CellError, is_blank, read_text
from cscdesk.exchange.layout import (
    ALL_SHEETS,
    BASELINE_BY_TEAM_SHEET,
    BASELINE_FIGURES_SHEET,
    LISTED_ONLY_SHEETS,
    OMBUDSMAN_LETTERS_SHEET,
    RECORD_SHEETS,
    Column,
    SheetLayout,
    continued_key,
    header_key,
    table_label,
)
from cscdesk.exchange.parts import SheetScan, scan_workbook
from cscdesk.exchange.paused_collector import collector_paused
from cscdesk.exchange.problems import (
    CellProblem,
    WorkbookRejected,
    WorkbookUnreadable,
    brief,
    shown,
)

Cells = Sequence[object]
# The bad fields of a row without any (shared: never added to).
_NONE_BAD: set[str] = set()
_NO_BLANK = object()  # a column whose reader refuses an empty cell


def _blank_value(column: Column) -> object:
    """What the column's reader makes of an empty cell (empty and missing cells read alike),
    so that most cells of a sparse sheet need no call."""
    try:
        return column.reader("")
    except CellError:
        return _NO_BLANK


@dataclass(frozen=True)
class ParsedRecord:
    """A record read from a sheet, with the Excel row it came from (and, when the workbook is
    rejected, whether the row itself was bad)."""

    row: int
    record: RecordData
    ok: bool = True
    # The sheet it was read from, when not the kind's first sheet ("Complaints (2)").
    sheet: str = ""


@dataclass(frozen=True)
class ParsedBaselineYear:
    """A row of a sheet of one row per year ("Baseline figures", "Ombudsman letters"): only
    the figures whose columns are present."""

    row: int
    year: int
    figures: dict[str, int | Decimal | None]


@dataclass(frozen=True)
class ParsedTeamCount:
    """A row of the "Baseline by team" sheet."""

    row: int
    year: int
    table: str
    team: str
    count: int


@dataclass(frozen=True)
class ParsedSheet:
    """A sheet found in the workbook: its name as written and the fields whose columns exist."""

    layout: SheetLayout
    name: str
    present: frozenset[str]


@dataclass
class ParsedWorkbook:
    """Everything a workbook holds, checked cell by cell and record by record."""

    path: Path
    sheets: dict[str, ParsedSheet] = field(default_factory=dict)
    records: dict[Kind, list[ParsedRecord]] = field(default_factory=dict)
    baseline_years: list[ParsedBaselineYear] = field(default_factory=list)
    team_counts: list[ParsedTeamCount] = field(default_factory=list)
    # The "Ombudsman letters" sheet: the annual letter's figures, a row per year.
    letters: list[ParsedBaselineYear] = field(default_factory=list)
    # Sheets hidden in Excel (as the workbook names them): read like the others, and named in
    # the import's summary so that nothing is imported unseen.
    hidden_sheets: list[str] = field(default_factory=list)
    # Each reference's first (sheet, row) per kind, across a kind's continuation sheets.
    first_rows: dict[Kind, dict[str, tuple[str, int]]] = field(default_factory=dict, repr=False)

    @property
    def row_count(self) -> int:
        return (
            sum(len(rows) for rows in self.records.values())
            + len(self.baseline_years)
            + len(self.team_counts)
            + len(self.letters)
        )

    def year_rows(self, layout: SheetLayout) -> list[ParsedBaselineYear]:
        """The rows of a sheet of one row per year (layout.YEAR_SHEETS)."""
        return self.letters if layout is OMBUDSMAN_LETTERS_SHEET else self.baseline_years


def read_workbook(path: Path | str) -> ParsedWorkbook:
    """Read and check a workbook; raise WorkbookUnreadable or WorkbookRejected."""
    with collector_paused():
        return _read_workbook(Path(path))


def _read_workbook(path: Path) -> ParsedWorkbook:
    book = _open(path)
    parsed = ParsedWorkbook(path)
    problems: list[CellProblem] = []
    try:
        hidden = {sheet.name for sheet in book.sheets_metadata
                  if sheet.visible != python_calamine.SheetVisibleEnum.Visible}
        matched = _match_sheets(book.sheet_names, problems)
        # The XML itself is looked at first: a stray cell far out or a part bigger than any
        # real workbook would make the reader below allocate gigabytes.
        scans = scan_workbook(path, [name for name, _layout in matched])
        for sheet_name, layout in matched:
            if sheet_name in hidden:
                parsed.hidden_sheets.append(sheet_name)
            scan = scans.get(sheet_name)
            if scan is not None and scan.refusal:
                problems.append(CellProblem(sheet_name, None, "", "", scan.refusal))
                continue
            try:
                sheet = book.get_sheet_by_name(sheet_name)
            except python_calamine.CalamineError as error:
                raise _unreadable(path, error) from error
            _read_sheet(parsed, sheet_name, layout, sheet, scan, problems)
            del sheet
    finally:
        book.close()
    if problems:
        raise WorkbookRejected(problems, f"The workbook {path.name}", parsed)
    return parsed


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    if not path.exists():
        raise WorkbookUnreadable(f"There is no file {path}.")
    if path.is_dir():
        raise WorkbookUnreadable(f"{path} is a folder, not a workbook.")
    if path.suffix.lower() == ".csv":
        raise WorkbookUnreadable(
            f"{path.name} is a CSV file, not a workbook; open it in Excel and save it as an "
            "Excel workbook (.xlsx)."
        )
    try:
        if path.stat().st_size == 0:
            raise WorkbookUnreadable(f"{path} is an empty file, not a workbook.")
        with path.open("rb") as handle:
            return python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError as error:
        raise WorkbookUnreadable(
            f"{path.name} is protected by a password; save a copy without one and import that."
        ) from error
    except python_calamine.CalamineError as error:
        raise _unreadable(path, error) from error
    except OSError as error:
        raise WorkbookUnreadable(f"{path} cannot be read: {error.strerror or error}.") from error


def _unreadable(path: Path, error: Exception) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"{path.name} is not a readable Excel workbook (.xlsx); it may be damaged or another "
        f"kind of file ({error})."
    )


def _match_sheets(
    names: Sequence[str], problems: list[CellProblem]
) -> list[tuple[str, SheetLayout]]:
    """Pair each sheet of the workbook with its layout; unknown or doubled sheets are problems.
    A record sheet may continue on "Complaints (2)", "Complaints (3)", … (as the export writes
    a kind with more rows than one sheet holds); those follow their first sheet."""
    layouts = {layout.key: layout for layout in ALL_SHEETS}
    passed_over = {layout.key for layout in LISTED_ONLY_SHEETS}
    matched: dict[tuple[str, int], str] = {}
    found: list[tuple[int, str, SheetLayout]] = []
    for name in names:
        key, part = continued_key(name)
        if header_key(name) in passed_over or key in passed_over:
            continue  # the Documents list: known, read by people, not imported
        layout = layouts.get(header_key(name)) or layouts.get(key)
        if layout is not None and header_key(name) == layout.key:
            part = 1
        if layout is None or (part > 1 and layout not in RECORD_SHEETS.values()):
            known = ", ".join(f"“{sheet.name}”" for sheet in (*ALL_SHEETS,
                                                                 *LISTED_ONLY_SHEETS))
            problems.append(CellProblem(
                name, None, "", "",
                f"“{brief(name)}” is not a sheet cscdesk knows; the sheets are {known}.",
            ))
        elif (layout.name, part) in matched:
            wanted = layout.name if part == 1 else f"{layout.name} ({part})"
            problems.append(CellProblem(
                name, None, "", "",
                f"This sheet and “{matched[layout.name, part]}” are both {wanted}; keep one.",
            ))
        else:
            matched[layout.name, part] = name
            found.append((part, name, layout))
    found.sort(key=lambda item: item[0])  # first sheets first, then their continuations
    return [(name, layout) for _part, name, layout in found]


def _read_sheet(
    parsed: ParsedWorkbook,
    sheet_name: str,
    layout: SheetLayout,
    sheet: python_calamine.CalamineSheet,
    scan: SheetScan | None,
    problems: list[CellProblem],
) -> None:
    rows = _rows(sheet)
    header: Cells = next(rows, [])
    if all(is_blank(cell) for cell in header) and not any(
        not is_blank(cell) for row in _rows(sheet) for cell in row
    ):
        header = []  # an empty sheet, like a missing one, holds no records: no header needed
    columns = _match_columns(sheet_name, layout, header, problems) if header else {}
    present = frozenset(column.field for column in columns.values())
    missing_required = {
        column.field for column in layout.columns if column.required and column.field not in present
    }
    unnamed = [index for index, cell in enumerate(header) if is_blank(cell)]
    unnamed.extend(range(len(header), _first_column(sheet) + sheet.width))
    first = parsed.sheets.get(layout.name)
    parsed_sheet = ParsedSheet(layout, sheet_name, present)
    if first is None:
        parsed.sheets[layout.name] = parsed_sheet
    else:  # a continuation: a column counts as present only if every part has it
        parsed.sheets[layout.name] = ParsedSheet(layout, first.name, first.present & present)
    if scan is not None:
        for row, index in scan.formulas:
            column = columns.get(index)
            label = column.label if column is not None else column_letter(index)
            problems.append(CellProblem(
                sheet_name, row, label, "",
                "This cell holds a formula with no value; copy the column and paste it back as "
                "values (Paste Special › Values), then import again.",
            ))
    formulas = {(row, index) for row, index in scan.formulas} if scan is not None else set()
    reader = _RowReader(parsed_sheet, columns, problems, missing_required, unnamed, formulas)
    if not header:
        rows = iter(())
    kind = next((kind for kind, record_layout in RECORD_SHEETS.items()
                 if record_layout is layout), None)
    if kind is not None:
        seen = parsed.first_rows.setdefault(kind, {})
        parsed.records.setdefault(kind, []).extend(
            reader.records(kind, rows, seen, "" if first is None else sheet_name))
    elif layout is BASELINE_FIGURES_SHEET:
        parsed.baseline_years = reader.year_rows(rows)
    elif layout is OMBUDSMAN_LETTERS_SHEET:
        parsed.letters = reader.year_rows(rows)
    elif layout is BASELINE_BY_TEAM_SHEET:
        parsed.team_counts = reader.team_counts(rows)


def _first_column(sheet: python_calamine.CalamineSheet) -> int:
    start = sheet.start
    return start[1] if start else 0


def _rows(sheet: python_calamine.CalamineSheet) -> Iterator[list[Any]]:
    """The sheet's rows from row 1, column A (python-calamine leaves out empty columns on the
    left, though not empty rows at the top), one at a time."""
    offset = _first_column(sheet)
    if not offset:
        return iter(sheet.iter_rows())
    padding: list[object] = [""] * offset
    return (padding + row for row in sheet.iter_rows())


def _match_columns(
    sheet_name: str,
    layout: SheetLayout,
    header: Cells,
    problems: list[CellProblem],
) -> dict[int, Column]:
    by_key = {column.key: column for column in layout.columns}
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        column = by_key.get(header_key(cell))
        name = shown(cell)
        if column is None:
            known = ", ".join(c.label for c in layout.columns)
            problems.append(CellProblem(
                sheet_name, 1, name, name,
                f"“{brief(name)}” is not a column of the {layout.name} sheet; its columns are "
                f"{known}.",
            ))
        elif column.field in seen:
            problems.append(CellProblem(
                sheet_name, 1, name, name,
                f"The column {column.label} appears twice (columns "
                f"{column_letter(seen[column.field])} and {column_letter(index)}); keep one.",
            ))
        else:
            seen[column.field] = index
            columns[index] = column
    for column in layout.columns:
        if column.required and column.field not in seen:
            problems.append(CellProblem(
                sheet_name, 1, column.label, "",
                f"The required column {column.label} is missing from row 1.",
            ))
    return columns


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _RowReader:
    """Reads the data rows of one sheet, collecting problems instead of stopping at the first."""

    def __init__(
        self,
        sheet: ParsedSheet,
        columns: dict[int, Column],
        problems: list[CellProblem],
        missing_required: set[str],
        unnamed: list[int] | None = None,
        formulas: set[tuple[int, int]] | None = None,
    ) -> None:
        self.sheet = sheet
        self.columns = list(columns.items())
        self.index_of = {column.field: index for index, column in columns.items()}
        self.problems = problems
        self.missing_required = missing_required
        self.unnamed = list(unnamed or ())
        self.formulas = formulas or set()

    def _cells(self, rows: Iterable[list[object]]
               ) -> Iterator[tuple[int, dict[str, object], list[object], set[str]]]:
        """(Excel row, values by field, the row's cells, fields with bad cells) per data row
        (the header row already taken); wholly blank rows are skipped."""
        # Text columns (whose reader never refuses a cell) first, then the others in order.
        texts = [(index, column.field) for index, column in self.columns
                 if column.reader is read_text]
        readers = [(index, column.field, column.label, column.reader, _blank_value(column))
                   for index, column in self.columns if column.reader is not read_text]
        formulas = self.formulas
        for number, row in enumerate(rows, start=2):
            for cell in row:
                if cell != "" and not (cell.__class__ is str and not cell.strip()):
                    break
            else:
                continue
            values: dict[str, object] = {}
            bad: set[str] = _NONE_BAD
            width = len(row)
            if self.unnamed:
                self._check_unnamed(number, row)
            for index, name in texts:
                cell = row[index] if index < width else ""
                if formulas and (number, index) in formulas:
                    bad = bad or set()
                    bad.add(name)  # named once, as a formula without a value
                    continue
                values[name] = cell.strip() if cell.__class__ is str else read_text(cell)
            for index, name, label, reader, blank in readers:
                cell = row[index] if index < width else ""
                if formulas and (number, index) in formulas:
                    bad = bad or set()
                    bad.add(name)  # named once, as a formula without a value
                    continue
                if cell == "" and blank is not _NO_BLANK:
                    values[name] = blank  # what the column's reader makes of an empty cell
                    continue
                try:
                    values[name] = reader(cell)
                except CellError as error:
                    bad = bad or set()
                    bad.add(name)
                    self._problem(number, label, shown(cell), str(error))
            yield number, values, row, bad

    def _check_unnamed(self, number: int, row: Cells) -> None:
        """A value under a blank header would be silently lost: name the first such cell of
        each unnamed column as a problem."""
        for index in list(self.unnamed):
            if index < len(row) and not is_blank(row[index]):
                self._problem(number, column_letter(index), shown(row[index]),
                              "This column has no name in row 1; name it or clear the column.")
                self.unnamed.remove(index)

    def _raw(self, row: Cells, field: str) -> object:
        """The cell of `field` in a row, as read (None when the sheet has no such column)."""
        index = self.index_of.get(field)
        return row[index] if index is not None and index < len(row) else None

    def _problem(self, row: int, column: str, value: str, message: str) -> None:
        self.problems.append(CellProblem(self.sheet.name, row, column, value, message))

    def records(self, kind: Kind, rows: Iterable[list[object]],
                first_row: dict[str, tuple[str, int]] | None = None, sheet: str = ""
                ) -> list[ParsedRecord]:
        """The sheet's records; `first_row` (shared by a kind's sheets) finds references used
        twice, `sheet` names a continuation sheet on each record."""
        data_class = spec(kind).data_class
        placed_field = spec(kind).placed_by
        if first_row is None:
            first_row = {}
        records: list[ParsedRecord] = []
        for number, values, raw, bad in self._cells(rows):
            record = data_class(**values)  # the good cells: a bad one holds no value
            problems_before = len(self.problems)
            for error in validate(record):
                if error.field in bad or error.field in self.missing_required:
                    continue
                if error.field == "escalated_from" and placed_field in bad:
                    continue
                label = FIELD_LABELS.get(error.field, error.field)
                self._problem(number, label, shown(self._raw(raw, error.field)), error.message)
            reference = record.reference.strip()
            if reference:
                if reference in first_row:
                    where, row = first_row[reference]
                    place = f"row {row}" if where == self.sheet.name else f"{where}, row {row}"
                    self._problem(
                        number, FIELD_LABELS["reference"], reference,
                        f"Reference “{reference}” is also used in {place}; "
                        "references must be unique within a sheet.",
                    )
                else:
                    first_row[reference] = (self.sheet.name, number)
            ok = not bad and len(self.problems) == problems_before
            records.append(ParsedRecord(number, record, ok, sheet))
        return records

    def year_rows(self, rows: Iterable[list[object]]) -> list[ParsedBaselineYear]:
        """The rows of a sheet of one row per year: a Year, then figures."""
        first_row: dict[int, int] = {}
        years: list[ParsedBaselineYear] = []
        label = self.sheet.layout.column("year").label
        for number, values, raw, bad in self._cells(rows):
            year = values.get("year")
            if year is None:
                if "year" not in bad and "year" not in self.missing_required:
                    self._problem(number, label, "", "Year is required, such as 2017/18.")
                continue
            assert isinstance(year, int)
            if year in first_row:
                self._problem(
                    number, label, shown(self._raw(raw, "year")),
                    f"The year {table_year(year)} is also in row {first_row[year]}; "
                    "give each year one row.",
                )
                continue
            first_row[year] = number
            figures = {name: value for name, value in values.items()
                       if name != "year" and name not in bad}
            years.append(ParsedBaselineYear(number, year, figures))  # type: ignore[arg-type]
        return years

    def team_counts(self, rows: Iterable[list[object]]) -> list[ParsedTeamCount]:
        first_row: dict[tuple[int, str, str], int] = {}
        counts: list[ParsedTeamCount] = []
        layout = BASELINE_BY_TEAM_SHEET
        for number, values, _raw, bad in self._cells(rows):
            complete = True
            for column in layout.columns:
                if column.field in bad or column.field in self.missing_required:
                    complete = False
                elif values.get(column.field) in (None, ""):
                    complete = False
                    self._problem(number, column.label, "", f"{column.label} is required.")
            team = str(values.get("team") or "")
            if len(team) > 200:
                complete = False
                self._problem(number, "Team", shown(team), "Team is longer than 200 characters.")
            if not complete:
                continue
            year, table, count = values["year"], values["table"], values["count"]
            assert isinstance(year, int) and isinstance(table, str) and isinstance(count, int)
            key = (year, table, team.lower())
            if key in first_row:
                self._problem(
                    number, "Team", team,
                    f"{team} already has a {table_label(table)} count for {table_year(year)} in "
                    f"row {first_row[key]}; give each one row.",
                )
                continue
            first_row[key] = number
            counts.append(ParsedTeamCount(number, year, table, team, count))
        return counts


def table_year(year: int) -> str:
    return ReportingYear(year).label
