"""Building and reading test workbooks, as Excel users make them (typed cells, text dates,
odd header spellings), independently of cscdesk's own reader and writer."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import python_calamine
import xlsxwriter

from cscdesk.store.engine import Database, open_database

Sheets = dict[str, list[list[object]]]

COMPLAINT_HEADER = [
    "Reference*", "Received*", "Stage*", "Team*", "Extended", "Responded", "Closed", "Outcome",
    "Root cause", "Learning", "ADR", "ADR saving", "Escalated from", "LGO referred",
    "LGO decision", "Complainant", "Summary",
]
ACTION_HEADER = ["Reference*", "Agreed*", "Case*", "Kind*", "Team*", "What*", "Due*", "Done",
                 "Evidence", "Amount", "Paid"]
LETTER_HEADER = ["Year*", "Complaints decided", "Upheld %", "Compliance %",
                 "Satisfactory remedy %", "Similar councils upheld %"]


def write_workbook(path: Path, sheets: Sheets) -> Path:
    """Write each sheet's rows (the first is the header); None leaves a cell empty, a str is
    always text (even `=SUM(A1)`), a date is an Excel date cell, a number a number."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_numbers": False,
                                           "strings_to_urls": False})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(row_number, column, value)
                elif isinstance(value, date | datetime):
                    sheet.write_datetime(row_number, column, value, date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(row_number, column, value)
                else:
                    sheet.write_string(row_number, column, str(value))
    book.close()
    return path


def read_sheets(path: Path) -> Sheets:
    """Every sheet's cells as python-calamine gives them, trailing blank rows dropped."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }
    finally:
        book.close()


_template_folder: tempfile.TemporaryDirectory[str] | None = None


def copied_database(path: Path) -> Iterator[Database]:
    """A fresh, empty cscdesk database at `path`: a copy of one made (and migrated) once by
    open_database for the whole test run, which saves building the schema for every test."""
    global _template_folder
    if _template_folder is None:
        _template_folder = tempfile.TemporaryDirectory(prefix="cscdesk-template-")
        template = open_database(Path(_template_folder.name) / "template.db")
        template.close()
    shutil.copyfile(Path(_template_folder.name) / "template.db", path)
    db = open_database(path)
    try:
        yield db
    finally:
        db.close()
