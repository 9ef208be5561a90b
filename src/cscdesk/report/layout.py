"""The appendix's look: fonts, paragraph styles, and ruled tables of escaped text.

Every string that came from the officer or the records passes through `escape_text` (or is
drawn as a plain table string, which ReportLab never parses), because Paragraph reads its text
as markup: `Through Care <North>`, `AT&T` and `<p>` must print as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from cscdesk.paths import resource_path

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN = 1.6 * cm
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#D9E2F3")
RULE = colors.HexColor("#404040")
CELL_PADDING = 3
NOTE_COLOUR = colors.HexColor("#404040")


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans (shipped in resources/fonts) so £, curly quotes and accents print.

    Regular and bold only: reading each font file costs about 40 ms, so notes are set small
    and grey rather than in the oblique face.
    """
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(resource_path(f"fonts/{file}"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14,
                                leading=18, spaceAfter=14, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11,
                                  leading=14, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontName=FONT, textColor=NOTE_COLOUR,
                               fontSize=7.5, leading=10, spaceBefore=3),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=6,
                                 bulletFontName=FONT,
                                 spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=7.5,
                                    leading=9.5, spaceAfter=0),
        "cell_theme": ParagraphStyle("cell_theme", parent=body, fontName=FONT_BOLD,
                                     fontSize=8.5, leading=10.5, spaceAfter=3),
        "cell_line": ParagraphStyle("cell_line", parent=body, fontSize=8, leading=10,
                                    spaceAfter=3),
    }


def escape_text(text: str) -> str:
    """User text made safe for Paragraph markup; a line break stays a line break."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


class MeasuredParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width.

    A table measures each cell's paragraphs when laid out and again when drawn, and the long
    root-cause table measures them once more to split pages: three line-breakings of the same
    text at the same width. Line breaking depends only on the width, so the result of the
    last one is kept and reused.
    """

    _measured: tuple[float, tuple[float, float]] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        measured = self._measured
        if measured is not None and measured[0] == available_width and hasattr(self, "blPara"):
            return measured[1]
        size = super().wrap(available_width, available_height)
        self._measured = (available_width, size)
        return size

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._measured = None  # splitting may discard the broken lines
        return super().split(available_width, available_height)


def para(text: str, style: str = "body", *, markup: str | None = None) -> Paragraph:
    """A paragraph of plain text (escaped), or of `markup` built from escaped parts."""
    return MeasuredParagraph(markup if markup is not None else escape_text(text),
                             styles()[style])


def paragraphs(text: str, style: str = "body") -> list[Flowable]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [para(block, style) for block in blocks if block]


def ruled_table(cells: Sequence[list[Any]], widths: Sequence[float]) -> Table:
    """A ruled table: header row shaded and repeated on each page, rows allowed to split."""
    table = Table(cells, colWidths=list(widths), repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        # Plain-text cells (short values, see `grid`) are drawn in the body cell's font.
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), styles()["cell"].fontSize),
        ("LEADING", (0, 0), (-1, -1), styles()["cell"].leading),
    ]))
    return table


def _body_cell(value: object, width: float) -> object:
    """A body cell: text that fits on one line stays a plain string (drawn as it is, never
    parsed as markup, and much cheaper to lay out); longer text becomes an escaped Paragraph
    that wraps."""
    if not isinstance(value, str):
        return value
    size = styles()["cell"].fontSize
    if "\n" not in value and pdfmetrics.stringWidth(value, FONT, size) <= width - 2 * CELL_PADDING:
        return value
    return para(value, "cell")


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float]) -> Table:
    """A ruled table of text (escaped here) or flowables; the first row is the header."""
    cells = [[para(str(value), "cell_head") if isinstance(value, str) else value
              for value in rows[0]]]
    for row in rows[1:]:
        cells.append([_body_cell(value, width) for value, width in zip(row, widths, strict=True)])
    return ruled_table(cells, widths)


def fitted_widths(rows: Sequence[Sequence[str]], total: float) -> list[float]:
    """Column widths that fit each column's longest word (so no word is broken), with the
    space left over shared equally."""
    head_size, cell_size = styles()["cell_head"].fontSize, styles()["cell"].fontSize
    needed = []
    for column in zip(*rows, strict=True):
        head, *cells = column
        widest = max(pdfmetrics.stringWidth(word, FONT_BOLD, head_size)
                     for word in head.split() or [""])
        for cell in cells:
            widest = max(widest, *(pdfmetrics.stringWidth(word, FONT, cell_size)
                                   for word in cell.split() or [""]))
        needed.append(widest + 2 * CELL_PADDING + 1)
    spare = max(0.0, total - sum(needed)) / len(needed)
    return [width + spare for width in needed]
