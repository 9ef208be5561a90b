"""The interchange workbook's sheets and columns, in the order rules.md gives them.

One table drives both directions: the reader matches headers against it and parses cells with
each column's reader; the writer writes the same columns in the same order. The record sheets
are made from each kind's description (`domain.kind_spec`), so forms, workbook and messages
speak alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import cached_property

from cscdesk.domain.kind_spec import SPECS, FieldType
from cscdesk.domain.kinds import ActionKind, EnquirySource, Kind
from cscdesk.exchange import cells
from cscdesk.store.models import BASELINE_TEAM_TABLES, BaselineYear

BASELINE_FIGURES = "Baseline figures"
BASELINE_BY_TEAM = "Baseline by team"
OMBUDSMAN_LETTERS = "Ombudsman letters"
DOCUMENTS = "Documents"


def _sheet_rows() -> int:
    """Rows in one sheet, the header included: Excel's 1,048,576. CSCDESK_SHEET_ROWS lowers
    it (the tests use it to see the continuation sheets without writing a million rows)."""
    try:
        wanted = int(os.environ.get("CSCDESK_SHEET_ROWS", ""))
    except ValueError:
        return EXCEL_ROWS
    return min(max(wanted, 2), EXCEL_ROWS)


EXCEL_ROWS = 1_048_576
# A kind with more rows than one sheet holds continues on "Complaints (2)", "Complaints (3)", …
# (each with its header row); the import reads them as one sheet.
SHEET_ROWS = _sheet_rows()
_CONTINUED = re.compile(r"^(.*\S)\s*\((\d+)\)$")


def continued_name(name: str, part: int) -> str:
    """The name of the `part`th sheet of a kind (1 is the sheet itself): "Complaints (2)"."""
    return name if part == 1 else f"{name} ({part})"


def continued_key(name: str) -> tuple[str, int]:
    """(the name's key, its part): "Complaints (2)" -> ("complaints", 2); others part 1."""
    key = header_key(name)
    match = _CONTINUED.match(key)
    if match and int(match[2]) >= 2:
        return match[1], int(match[2])
    return key, 1


class CellType(Enum):
    """How a column's values are read and written."""

    TEXT = "text"
    DATE = "date"
    YES_NO = "yes/no"
    STAGE = "stage"
    CHOICE = "choice"
    MONEY = "money"
    COUNT = "count"
    PERCENT = "percent"
    YEAR = "year"


@dataclass(frozen=True)
class Column:
    """One column: its header, the field it fills, how to read a cell, and whether it must
    be present with a value (`required`, marked * in rules.md)."""

    label: str
    field: str
    cell: CellType
    required: bool = False

    @property
    def key(self) -> str:
        return header_key(self.label)

    @cached_property
    def reader(self) -> Callable[[object], object]:
        """Turns a cell as python-calamine gives it into the field's value (or CellError)."""
        if self.cell is CellType.CHOICE:
            return CHOICE_READERS[self.field]
        return READERS[self.cell]


@dataclass(frozen=True)
class SheetLayout:
    name: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> str:
        return header_key(self.name)

    def column(self, field: str) -> Column:
        return next(column for column in self.columns if column.field == field)


def header_key(text: object) -> str:
    """How sheet and column names are compared: no case, no surrounding or doubled spaces,
    no trailing * (the required mark), and "Upheld%" the same as "Upheld %"."""
    return " ".join(str(text).replace("%", " %").split()).rstrip("*").rstrip().lower()


READERS: dict[CellType, Callable[[object], object]] = {
    CellType.TEXT: cells.read_text,
    CellType.DATE: cells.read_date,
    CellType.YES_NO: cells.read_yes_no,
    CellType.STAGE: cells.read_stage,
    CellType.MONEY: cells.read_money,
    CellType.COUNT: cells.read_count,
    CellType.PERCENT: cells.read_percent,
    CellType.YEAR: cells.read_year,
}

# Other words the workbook accepts for a choice: the appendix's plural "Members", and the
# first words of an action's kind (a spreadsheet column of "Learning" or "Remedy").
_CHOICE_ALIASES: dict[type, dict[str, StrEnum]] = {
    EnquirySource: {"Members": EnquirySource.MEMBER},
    ActionKind: {"Learning": ActionKind.LEARNING, "Service improvement": ActionKind.LEARNING,
                 "Learning/service improvement": ActionKind.LEARNING,
                 "Remedy": ActionKind.REMEDY},
}

CHOICE_READERS: dict[str, Callable[[object], object]] = {
    field.name: cells.choice_reader(field.choices, _CHOICE_ALIASES.get(field.choices))
    for kind_spec in SPECS.values() for field in kind_spec.fields if field.choices is not None
}

# How each type of field is written in a cell.
_CELL_OF: dict[FieldType, CellType] = {
    FieldType.REFERENCE: CellType.TEXT,
    FieldType.LIST: CellType.TEXT,
    FieldType.LINE: CellType.TEXT,
    FieldType.TEXT: CellType.TEXT,
    FieldType.DATE: CellType.DATE,
    FieldType.YES_NO: CellType.YES_NO,
    FieldType.STAGE: CellType.STAGE,
    FieldType.CHOICE: CellType.CHOICE,
    FieldType.MONEY: CellType.MONEY,
}

# Each kind's sheet: its fields in the description's order (rules.md's, then what the app
# records beyond it, optional on import).
RECORD_SHEETS: dict[Kind, SheetLayout] = {
    kind: SheetLayout(kind_spec.sheet, tuple(
        Column(field.label, field.name, _CELL_OF[field.type], field.required)
        for field in kind_spec.fields
    ))
    for kind, kind_spec in SPECS.items()
}

# Readable names of the hand-entered figures of a past year (BaselineYear's columns).
BASELINE_FIGURE_LABELS: dict[str, str] = {
    "initial_feedback": "Initial feedback",
    "stage1": "Stage 1",
    "stage2": "Stage 2",
    "stage3": "Stage 3",
    "adr_cases": "ADR cases",
    "adr_saving_pence": "ADR saving",
    "closed": "Cases closed",
    "cancelled": "Cases cancelled",
    "upheld_percent": "Upheld %",
    "timeliness_percent": "Timeliness %",
    "lgo": "LGO complaints",
    "dispute_resolution": "Dispute resolution",
    "enquiries_mp": "Enquiries MP",
    "enquiries_mep": "Enquiries MEP",
    "enquiries_member": "Enquiries Members",
    "compliments": "Compliments",
}

# Readable names of the per-team tables of a past year (BASELINE_TEAM_TABLES).
BASELINE_TABLE_LABELS: dict[str, str] = {
    "closed_volume": "Closed volume",
    "upheld": "Upheld",
    "enquiries_mp": "Enquiries MP",
    "enquiries_mep": "Enquiries MEP",
    "enquiries_member": "Enquiries Members",
    "compliments": "Compliments",
}


def _readable(name: str) -> str:
    return name.replace("_", " ").capitalize()


def baseline_figure_fields() -> list[str]:
    """BaselineYear's figure columns in the model's order (new columns appear by themselves)."""
    skip = {"year", "created_at", "updated_at"}
    return [c.key for c in BaselineYear.__table__.columns if c.key not in skip]


def _figure_cell(field: str) -> CellType:
    if field.endswith("_pence"):
        return CellType.MONEY
    if field.endswith("_percent"):
        return CellType.PERCENT
    return CellType.COUNT


BASELINE_FIGURES_SHEET = SheetLayout(BASELINE_FIGURES, (
    Column("Year", "year", CellType.YEAR, required=True),
    *(
        Column(BASELINE_FIGURE_LABELS.get(field, _readable(field)), field, _figure_cell(field))
        for field in baseline_figure_fields()
    ),
))


def table_label(table: str) -> str:
    return BASELINE_TABLE_LABELS.get(table, _readable(table))


def read_table(value: object) -> str:
    """A per-team table by its readable name (or its stored name), any case."""
    wanted = header_key(cells.read_text(value))
    for table in BASELINE_TEAM_TABLES:
        if wanted in (header_key(table_label(table)), header_key(table)):
            return table
    if wanted == "enquiries member":
        return "enquiries_member"
    labels = [table_label(table) for table in BASELINE_TEAM_TABLES]
    raise cells.CellError(f"Write one of {', '.join(labels[:-1])} or {labels[-1]}.")


CHOICE_READERS["table"] = lambda value: None if cells.is_blank(value) else read_table(value)

BASELINE_BY_TEAM_SHEET = SheetLayout(BASELINE_BY_TEAM, (
    Column("Year", "year", CellType.YEAR, required=True),
    Column("Table", "table", CellType.CHOICE, required=True),
    Column("Team", "team", CellType.TEXT, required=True),
    Column("Count", "count", CellType.COUNT, required=True),
))

# The Ombudsman's annual letter, one row per reporting year (OmbudsmanLetter's columns).
OMBUDSMAN_LETTERS_SHEET = SheetLayout(OMBUDSMAN_LETTERS, (
    Column("Year", "year", CellType.YEAR, required=True),
    Column("Complaints decided", "decided", CellType.COUNT),
    Column("Upheld %", "upheld_percent", CellType.PERCENT),
    Column("Compliance %", "compliance_percent", CellType.PERCENT),
    Column("Satisfactory remedy %", "satisfactory_remedy_percent", CellType.PERCENT),
    Column("Similar councils upheld %", "similar_upheld_percent", CellType.PERCENT),
))

# The sheets of one row per reporting year, figures only: read, compared and written alike.
YEAR_SHEETS: tuple[SheetLayout, ...] = (BASELINE_FIGURES_SHEET, OMBUDSMAN_LETTERS_SHEET)

ALL_SHEETS: tuple[SheetLayout, ...] = (
    *RECORD_SHEETS.values(),
    BASELINE_FIGURES_SHEET,
    BASELINE_BY_TEAM_SHEET,
    OMBUDSMAN_LETTERS_SHEET,
)

# The records' documents, listed by name (their bytes stay in the database). The export writes
# it when the database holds any document; the import knows it and passes over it: documents
# are not imported from a workbook (a list of names cannot make a file).
DOCUMENTS_SHEET = SheetLayout(DOCUMENTS, (
    Column("Kind", "record_kind", CellType.TEXT),
    Column("Reference", "record_reference", CellType.TEXT),
    Column("Document", "name", CellType.TEXT),
    Column("Type", "content_type", CellType.TEXT),
    Column("Size (bytes)", "size", CellType.COUNT),
    Column("Added", "added_at", CellType.DATE),
    Column("Added by", "added_by", CellType.TEXT),
    Column("Email from", "email_from", CellType.TEXT),
    Column("Email sent", "email_date", CellType.DATE),
    Column("Email subject", "email_subject", CellType.TEXT),
))

# Sheets the export writes for people to read and the import passes over.
LISTED_ONLY_SHEETS: tuple[SheetLayout, ...] = (DOCUMENTS_SHEET,)
