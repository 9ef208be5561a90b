"""Writing simple tables to an .xlsx file safely: text stays text, the file appears whole."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from cscdesk.atomic import atomic_path

Table = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def write_tables(path: Path, tables: Iterable[Table]) -> None:
    """Write each (sheet name, headers, rows) to `path`, via a temporary file and a rename."""
    with atomic_path(path) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary), {"strings_to_formulas": False, "strings_to_urls": False}
        )
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "dd/mm/yyyy"})
        moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        for name, headers, rows in tables:
            sheet = workbook.add_worksheet(name[:31])
            sheet.write_row(0, 0, headers, bold)
            for row_number, row in enumerate(rows, start=1):
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
            sheet.freeze_panes(1, 0)
        workbook.close()
