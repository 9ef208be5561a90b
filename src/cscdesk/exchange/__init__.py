"""The interchange workbook: one .xlsx, a sheet per record kind (rules.md, and the actions),
plus the baseline figures of past years and the Ombudsman's annual letters. docs/workbook.md
describes the format for the officer.

The desktop app calls these off the GUI thread (nothing here knows Qt):

- `read_workbook(path) -> ParsedWorkbook`: read and check every cell and record. Raises
  `WorkbookUnreadable` (not a workbook; one sentence) or `WorkbookRejected` (`.problems`: a
  `CellProblem(sheet, row, column, value, message)` for every bad cell; str() lists them all).
- `plan_import(db, parsed) -> ImportPlan`: per sheet, how many rows would be created, updated
  or left unchanged, the teams and root causes to add, and `.problems` that only the database
  reveals. Writes nothing.
- `check_workbook(db, path) -> (ParsedWorkbook, ImportPlan)`: both steps above in one call; its
  WorkbookRejected names every problem at once, bad cells and database checks together (use
  this rather than read_workbook + plan_import when a database is at hand).
- `apply_import(db, parsed, progress=None) -> ImportResult`: all of it in one transaction, or
  nothing (raises WorkbookRejected). `progress(done, total)` is called as rows are written.
- `export_workbook(db, path, progress=None) -> ExportResult`: write the database as a workbook
  that imports back to the same data; raises `WorkbookNotWritten` when the target cannot be
  written. Both errors are `cscdesk.errors.UserFacingError`s (WorkbookRejected and
  WorkbookUnreadable are InputErrors).
"""

from cscdesk.exchange.exporter import ExportResult, WorkbookNotWritten, export_workbook
from cscdesk.exchange.importer import (
    ImportPlan,
    ImportResult,
    SheetCounts,
    apply_import,
    check_workbook,
    plan_import,
)
from cscdesk.exchange.problems import CellProblem, WorkbookRejected, WorkbookUnreadable
from cscdesk.exchange.reader import ParsedWorkbook, read_workbook

__all__ = [
    "CellProblem",
    "ExportResult",
    "ImportPlan",
    "ImportResult",
    "ParsedWorkbook",
    "SheetCounts",
    "WorkbookNotWritten",
    "WorkbookRejected",
    "WorkbookUnreadable",
    "apply_import",
    "check_workbook",
    "export_workbook",
    "plan_import",
    "read_workbook",
]
