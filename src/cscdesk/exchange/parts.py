"""A look at a workbook's XML before python-calamine reads it, to bound the work by what the
sheets really hold.

python-calamine reads a sheet into a rectangle from A1 to its farthest cell, and the shared
strings all at once, so one stray value in column XFD of a 20,000-row sheet asks for
16,384 × 20,000 cells (gigabytes) and a small file can unpack into gigabytes of text. Before
that, `scan_workbook` streams each sheet's XML (in pieces, never whole) and checks:

- every part unpacks to at most `MAX_PART_BYTES` (the shared strings to `MAX_STRINGS_BYTES`);
- no value lies right of column `MAX_COLUMNS` or below Excel's last row (empty formatted cells
  are ignored: they cost nothing);
- which cells hold a formula without a value of its own (no cached value, or a workbook that
  asks Excel to recalculate everything when opened, as files written by programs do) — those
  would be read as 0 or blank.

A sheet that breaks a bound gets a sentence (`SheetScan.refusal`) instead of being read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree import ElementTree

from cscdesk.exchange.problems import WorkbookUnreadable

MAX_COLUMNS = 100  # column CV: the widest sheet (Complaints) has 33 columns
EXCEL_ROWS = 1_048_576
MAX_PART_BYTES = 1_500_000_000  # one sheet's XML, unpacked (a full 1,048,576-row sheet fits)
MAX_STRINGS_BYTES = 400_000_000  # all the workbook's shared text, unpacked
_CHUNK = 4 << 20

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# A cell reference with a column of two or three letters (AA and beyond), or a row of seven
# digits or more: the only places a sheet can ask for a huge rectangle.
_FAR = re.compile(rb' r="(?:([A-Z]{2,3})(\d+)|([A-Z]?)(\d{7,}))"')
_FORMULA = re.compile(rb"<f[ >/]")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


@dataclass
class SheetScan:
    """What the XML of one sheet showed: formula cells without a value of their own as
    (Excel row, 0-based column), and a sentence when the sheet is refused."""

    formulas: list[tuple[int, int]] = field(default_factory=list)
    refusal: str = ""


def column_index(letters: str) -> int:
    """0-based index of a column's letters (A -> 0, AA -> 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def scan_workbook(path: Path, sheet_names: list[str]) -> dict[str, SheetScan]:
    """Scan the named sheets of the workbook at `path`; raise WorkbookUnreadable when its text
    is beyond any real workbook. Sheets whose XML cannot be found are left to the reader."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _scan(path, archive, sheet_names)
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, KeyError, ValueError):
        return {}  # not a plain .xlsx package (.xls, .ods, damaged): the reader says so


def _scan(path: Path, archive: zipfile.ZipFile, sheet_names: list[str]
          ) -> dict[str, SheetScan]:
    sizes = {info.filename: info.file_size for info in archive.infolist()}
    strings = sum(size for name, size in sizes.items()
                  if name.lower().endswith("sharedstrings.xml"))
    if strings > MAX_STRINGS_BYTES:
        raise WorkbookUnreadable(
            f"{path.name} holds {strings / 1e6:,.0f} MB of text, more than cscdesk reads "
            f"({MAX_STRINGS_BYTES / 1e6:,.0f} MB); it is not an interchange workbook, or split "
            "it into smaller ones."
        )
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    calc = workbook.find(f"{_MAIN}calcPr")
    recalculated = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "")
               for rel in rels.iter(f"{_PACKAGE_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        absolute = target.startswith("/")
        parts[sheet.get("name", "")] = (
            target.lstrip("/") if absolute else str(PurePosixPath("xl") / target))
    scans: dict[str, SheetScan] = {}
    for name in sheet_names:
        part = parts.get(name)
        if part is None or part not in sizes:
            continue
        if sizes[part] > MAX_PART_BYTES:
            scans[name] = SheetScan(refusal=(
                f"This sheet unpacks to {sizes[part] / 1e6:,.0f} MB, more than cscdesk reads "
                f"({MAX_PART_BYTES / 1e6:,.0f} MB); split it into smaller workbooks."))
            continue
        with archive.open(part) as stream:
            scans[name] = _scan_sheet(stream, recalculated)
    return scans


def _scan_sheet(stream: IO[bytes], recalculated: bool) -> SheetScan:
    """Stream one sheet's XML in pieces cut after a row's end."""
    scan = SheetScan()
    carry = b""
    while True:
        block = stream.read(_CHUNK)
        if block:
            data = carry + block
            cut = data.rfind(b"</row>")
            if cut < 0:
                carry = data
                continue
            cut += len(b"</row>")
            piece, carry = data[:cut], data[cut:]
        else:
            piece, carry = carry, b""
        _scan_piece(piece, recalculated, scan)
        if scan.refusal or not block:
            return scan


def _scan_piece(piece: bytes, recalculated: bool, scan: SheetScan) -> None:
    for match in _FAR.finditer(piece):
        end = piece.find(b">", match.end())
        if end > 0 and piece[end - 1:end] == b"/":
            continue  # an empty cell that only carries a format
        letters, row = (match[1], match[2]) if match[1] else (match[3], match[4])
        number = int(row)
        if number > EXCEL_ROWS:
            scan.refusal = (
                f"Its XML places a row at {number:,}, beyond Excel's last row "
                f"({EXCEL_ROWS:,}); the file is damaged or was not made by a spreadsheet."
            )
            return
        if letters and column_index(letters.decode()) >= MAX_COLUMNS:
            ref = f"{letters.decode()}{number}"
            scan.refusal = (
                f"Cell {ref} holds a value far to the right of the sheet's columns; clear it "
                "(or delete the columns after the last one with a name in row 1) and import "
                "again."
            )
            return
    if _FORMULA.search(piece) is None:
        return
    for cell in _CELL.finditer(piece):
        content = cell[2]
        if not content or _FORMULA.search(content) is None:
            continue
        value = _VALUE.search(content)
        # An empty value is a formula's "" only in a cell typed as text (t="str", as Excel
        # writes =IF(…, "", …)); elsewhere it is a value never calculated.
        empty = value is not None and not value[1].strip() and b't="str"' not in cell[1]
        if recalculated or value is None or empty:
            where = _REF.search(cell[1])
            if where is not None:
                scan.formulas.append((int(where[2]), column_index(where[1].decode())))
