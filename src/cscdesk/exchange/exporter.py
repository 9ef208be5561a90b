"""Writing the database out as an interchange workbook that `read_workbook` reads back.

`export_workbook(db, path, progress=None) -> ExportResult` writes every record sheet (with its
header even when empty) and, when the database holds any, the two baseline sheets and the
Ombudsman's letters, and a Documents sheet listing the records' documents by name (never their
bytes; the import passes over it). Dates are
real Excel dates shown dd/mm/yyyy, Yes/No as text, money and counts as numbers, and text as
text even when it looks like a formula (`=SUM(A1)` stays those characters). The file is written
under a temporary name in the target folder (0600, with XlsxWriter's own temporary files in a
private folder beside it, never the system's temp folder) and renamed into place, so a failure
never leaves half a workbook. A kind with more rows than a sheet holds continues on
"Complaints (2)" and so on. Opens its own session: safe to call off the GUI thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from cscdesk.domain.kind_spec import spec
from cscdesk.domain.kinds import Kind
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import UserFacingError
from cscdesk.exchange.files import Scratch, close_workbook, writing
from cscdesk.exchange.layout import (
    BASELINE_BY_TEAM_SHEET,
    BASELINE_FIGURES_SHEET,
    DOCUMENTS,
    DOCUMENTS_SHEET,
    OMBUDSMAN_LETTERS_SHEET,
    RECORD_SHEETS,
    SHEET_ROWS,
    CellType,
    SheetLayout,
    continued_name,
    table_label,
)
from cscdesk.store import documents
from cscdesk.store.engine import Database
from cscdesk.store.models import (
    BASELINE_TEAM_TABLES,
    MODEL_OF,
    BaselineTeamCount,
    BaselineYear,
    Complaint,
    Document,
    OmbudsmanLetter,
    RootCause,
    Team,
)

Progress = Callable[[int, int], None]
EXCEL_TEXT_LIMIT = 32767  # UTF-16 units in one cell
_TRUNCATED = -2  # what XlsxWriter's write_string returns when it had to shorten the text
EXCEL_DAY_ZERO = date(1899, 12, 30).toordinal()  # serial 1 is 1 January 1900
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0.00"
WIDTHS = {CellType.DATE: 12, CellType.YES_NO: 9, CellType.STAGE: 7, CellType.MONEY: 12,
          CellType.COUNT: 12, CellType.PERCENT: 12, CellType.YEAR: 9, CellType.CHOICE: 18}


class WorkbookNotWritten(UserFacingError):
    """The workbook could not be written where asked (one sentence says why)."""


@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """The records (and figures) written: the Documents list is not counted."""
        return sum(count for sheet, count in self.counts.items() if sheet != DOCUMENTS)


def export_workbook(db: Database, path: Path | str, progress: Progress | None = None
                    ) -> ExportResult:
    """Write the whole database to `path` (.xlsx); raise WorkbookNotWritten if it cannot."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise WorkbookNotWritten(f"{path} is a folder; give a file name such as cases.xlsx.")
    if not folder.is_dir():
        raise WorkbookNotWritten(f"The folder {folder} does not exist.")
    with writing(path, WorkbookNotWritten) as scratch, db.session() as session:
        counts = _write(session, scratch, progress)
    return ExportResult(path, counts)


def _write(session: Session, scratch: Scratch, progress: Progress | None) -> dict[str, int]:
    sheets = list(_sheet_rows(session))
    total = sum(count for _layout, (count, _rows) in sheets)
    done = 0
    # constant_memory: each row goes to a temporary file (in the private folder beside the
    # target) as it is written, so memory does not grow with the database.
    book = xlsxwriter.Workbook(str(scratch.file), {
        "constant_memory": True,
        "tmpdir": str(scratch.folder),
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    })
    header = book.add_format({"bold": True})
    formats = {
        CellType.DATE: book.add_format({"num_format": DATE_FORMAT}),
        CellType.MONEY: book.add_format({"num_format": MONEY_FORMAT}),
    }
    counts: dict[str, int] = {}
    try:
        for layout, (count, rows) in sheets:

            def report(number: int, offset: int = done) -> None:
                if progress is not None:
                    progress(offset + number, total)

            written = 0
            for part in itertools.count(1):
                sheet = book.add_worksheet(continued_name(layout.name, part))
                _write_header(sheet, layout, header)
                in_sheet = _write_rows(sheet, layout, rows, formats, report, written)
                written += in_sheet
                if in_sheet < SHEET_ROWS - 1:
                    break
                nxt = next(rows, None)  # a full sheet: go on only if rows remain
                if nxt is None:
                    break
                rows = itertools.chain([nxt], rows)
            if written != count:  # the records changed while they were read: say nothing false
                count = written
            done += count
            counts[layout.name] = count
    except OSError as error:
        book.fileclosed = True  # nothing more is written; the scratch folder goes
        raise WorkbookNotWritten(
            f"Cannot write the workbook in the folder {scratch.file.parent}: "
            f"{error.strerror or error}. Nothing was written; free some space or choose "
            "another folder."
        ) from None
    close_workbook(book, scratch.file.parent, WorkbookNotWritten)
    if progress is not None:
        progress(total, total)
    return counts


def _write_header(sheet: Any, layout: SheetLayout, header: Any) -> None:
    for index, column in enumerate(layout.columns):
        sheet.set_column(index, index, WIDTHS.get(column.cell, max(14, len(column.label) + 2)))
        sheet.write_string(0, index, column.label, header)
    sheet.freeze_panes(1, 0)


_TEXT, _DATE, _NUMBER, _MONEY, _YES_NO = range(5)
_CODES = {CellType.DATE: _DATE, CellType.MONEY: _MONEY, CellType.STAGE: _NUMBER,
          CellType.COUNT: _NUMBER, CellType.PERCENT: _NUMBER, CellType.YES_NO: _YES_NO}


def _write_rows(sheet: Any, layout: SheetLayout, rows: Iterator[Sequence[Any]],
                formats: dict[CellType, Any], report: Callable[[int], None],
                before: int = 0) -> int:
    """Each value with the writer of its column's type: text always as a string (never a
    formula, number or link), dates as dates, money and counts as numbers. One tight loop:
    this is most of an export's time. Writes until the sheet is full (SHEET_ROWS rows with the
    header); returns how many rows it wrote. `before`: rows of this kind on earlier sheets."""
    codes = [_CODES.get(column.cell, _TEXT) for column in layout.columns]
    write_string, write_number = sheet.write_string, sheet.write_number
    date_format, money_format = formats[CellType.DATE], formats[CellType.MONEY]
    number = 0
    for number, values in enumerate(itertools.islice(rows, SHEET_ROWS - 1), start=1):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            code = codes[col]
            if code == _TEXT:
                if write_string(number, col, value) == _TRUNCATED:
                    raise _too_long(sheet.name, layout, number, col, value)
            elif code == _DATE:  # Excel's serial day number, shown through the date format
                write_number(number, col, value.toordinal() - EXCEL_DAY_ZERO, date_format)
            elif code == _NUMBER:
                write_number(number, col, value)
            elif code == _MONEY:
                write_number(number, col, value, money_format)
            else:
                write_string(number, col, "Yes" if value else "No")
        if number % 2000 == 0:
            report(before + number)
    return number


def _too_long(sheet: str, layout: SheetLayout, number: int, col: int, value: str
              ) -> WorkbookNotWritten:
    return WorkbookNotWritten(
        f"{sheet}, row {number + 1}, column {layout.columns[col].label} holds "
        f"{len(value):,} characters; an Excel cell holds at most {EXCEL_TEXT_LIMIT:,}. "
        "Shorten it and export again."
    )


Rows = tuple[int, Iterator[Sequence[Any]]]


def _sheet_rows(session: Session) -> Iterator[tuple[SheetLayout, Rows]]:
    for kind, layout in RECORD_SHEETS.items():
        yield layout, _record_rows(session, kind, layout)
    years = session.scalar(select(func.count()).select_from(BaselineYear)) or 0
    team_counts = session.scalar(select(func.count()).select_from(BaselineTeamCount)) or 0
    if years or team_counts:
        yield BASELINE_FIGURES_SHEET, (years, _year_rows(session, BASELINE_FIGURES_SHEET,
                                                         BaselineYear))
        yield BASELINE_BY_TEAM_SHEET, (team_counts, _team_count_rows(session))
    letters = session.scalar(select(func.count()).select_from(OmbudsmanLetter)) or 0
    if letters:
        yield OMBUDSMAN_LETTERS_SHEET, (letters, _year_rows(session, OMBUDSMAN_LETTERS_SHEET,
                                                           OmbudsmanLetter))
    held = session.scalar(select(func.count()).select_from(Document)
                          .where(Document.binned_at.is_(None))) or 0
    if held:
        yield DOCUMENTS_SHEET, (held, _document_rows(session))


def _document_rows(session: Session) -> Iterator[Sequence[Any]]:
    """Each document by its record's kind and reference, its name and facts; never its bytes."""
    for info in documents.every_listed(session):
        email = info.email
        yield (info.kind.value, info.reference, info.name, info.content_type, info.size,
               info.added_at, info.added_by, email.sender if email else None,
               email.sent if email else None, email.subject if email else None)


def _record_rows(session: Session, kind: Kind, layout: SheetLayout) -> Rows:
    """The sheet's columns straight from SQL, in received (raised) order, then reference."""
    model = MODEL_OF[kind]
    parent = aliased(Complaint)
    selected: list[Any] = []
    for column in layout.columns:
        if column.field == "team":
            selected.append(Team.name)
        elif column.field == "root_cause":
            selected.append(RootCause.name)
        elif column.field == "escalated_from":
            selected.append(parent.reference)
        elif column.cell is CellType.MONEY:
            selected.append(getattr(model, f"{column.field}_pence"))
        else:
            selected.append(getattr(model, column.field))
    placed = getattr(model, spec(kind).placed_by)
    query = select(*selected).join(Team, model.team_id == Team.id).order_by(
        placed, model.reference
    )
    if spec(kind).has_field("root_cause"):
        query = query.outerjoin(RootCause, Complaint.root_cause_id == RootCause.id).outerjoin(
            parent, Complaint.escalated_from_id == parent.id
        )
    count = session.scalar(select(func.count()).select_from(model)) or 0
    converters: dict[int, Callable[[Any], object]] = {
        index: _pence_to_number for index, column in enumerate(layout.columns)
        if column.cell is CellType.MONEY
    }
    converters.update({index: _enum_value for index, column in enumerate(layout.columns)
                       if column.cell is CellType.CHOICE})

    def rows() -> Iterator[Sequence[Any]]:
        for row in session.connection().execution_options(yield_per=2000).execute(query):
            if converters:
                values = list(row)
                for index, convert in converters.items():
                    values[index] = convert(values[index])
                yield values
            else:
                yield row

    return count, rows()


def _pence_to_number(pence: int | None) -> float | None:
    return None if pence is None else float(Decimal(pence) / 100)


def _enum_value(value: Any) -> str | None:
    return None if value is None else str(value.value if hasattr(value, "value") else value)


def _year_rows(session: Session, layout: SheetLayout, model: Any) -> Iterator[Sequence[Any]]:
    """A sheet of one row per year: the year as 2017/18, then its figures (money in pounds)."""
    fields = [column.field for column in layout.columns]
    for row in session.execute(select(model).order_by(model.year)).scalars():
        values: list[Any] = [ReportingYear(row.year).label]
        for name in fields[1:]:
            value = getattr(row, name)
            values.append(_pence_to_number(value) if name.endswith("_pence") else value)
        yield values


def _team_count_rows(session: Session) -> Iterator[Sequence[Any]]:
    order = {table: number for number, table in enumerate(BASELINE_TEAM_TABLES)}
    rows = list(session.execute(
        select(BaselineTeamCount.year, BaselineTeamCount.table, Team.name, BaselineTeamCount.count)
        .join(Team, BaselineTeamCount.team_id == Team.id)
    ).all())
    rows.sort(key=lambda r: (r.year, order.get(r.table, len(order)), r.table, r.name.lower()))
    for row in rows:
        yield (ReportingYear(row.year).label, table_label(row.table), row.name, row.count)
