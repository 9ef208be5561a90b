"""The appendix as plain blocks that both renderers print: the PDF (`pdf_blocks`) and the Word
version (`docx_render`).

The sections (`sections.py`, `casework_sections.py`, `pack_sections.py`) say *what* is printed
— headings, paragraphs, tables, charts — as these frozen objects; each renderer decides only
*how*. So the two files cannot drift apart in wording or figures, and a test can compare them.
Every string is plain text: renderers escape it for their own format.

Widths are in points (1/72 inch) on an A4 page with the appendix's margins, so both renderers
lay tables out alike; None asks the renderer to fit the columns to their words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cscdesk.report.charts import BarChart

CM = 72 / 2.54
PAGE_WIDTH = 210 / 25.4 * 72  # A4
PAGE_HEIGHT = 297 / 25.4 * 72
MARGIN = 1.6 * CM
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHART_RATIO = 0.5  # a chart's height for its width, in both files

ParagraphStyle = Literal["body", "note", "bullet"]
CellStyle = Literal["cell", "cell_theme", "cell_line"]


@dataclass(frozen=True)
class Title:
    """The appendix's title: the document's first heading."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A section's heading, as the example words it ("Complaints – 2017/18 vs 2018/19:")."""

    text: str


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    """Text in runs (the volume sentence sets its two totals in bold); a note is small print,
    a bullet one item of a list."""

    runs: tuple[Run, ...]
    style: ParagraphStyle = "body"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class CellLine:
    """One paragraph of a cell that holds several (a root-cause theme and its learning)."""

    text: str
    style: CellStyle = "cell"


Cell = str | tuple[CellLine, ...]


@dataclass(frozen=True)
class Table:
    """A ruled table; the first row is the header, repeated on every page the table runs onto.
    `long`: cells may hold more text than a page (the root-cause learning)."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None
    long: bool = False


@dataclass(frozen=True)
class Gap:
    """Space between two tables that follow each other."""

    points: float


@dataclass(frozen=True)
class Chart:
    """A chart (see `charts.py`): drawn as vector graphics in the PDF and as a picture in the
    Word version, with `description` as its alternative text."""

    chart: BarChart
    description: str


Block = Title | Heading | Paragraph | Table | Gap | Chart


def text(value: str, style: ParagraphStyle = "body") -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph((Run(value),), style)


def paragraphs(value: str, style: ParagraphStyle = "body") -> list[Paragraph]:
    """The paragraphs of a narrative text (separated by a blank line); empty ones dropped."""
    parts = [part.strip() for part in value.replace("\r\n", "\n").split("\n\n")]
    return [text(part, style) for part in parts if part]


def table(rows: list[list[str]] | list[list[Cell]], widths: list[float] | None = None,
          *, long: bool = False) -> Table:
    return Table(tuple(tuple(row) for row in rows), None if widths is None else tuple(widths),
                 long)


def cell_text(cell: Cell) -> str:
    """A cell as one string (lines joined by newlines): what tests and the figures compare."""
    return cell if isinstance(cell, str) else "\n".join(line.text for line in cell)
