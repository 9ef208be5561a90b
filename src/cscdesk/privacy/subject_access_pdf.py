"""A subject access pack as a PDF: each record's fields, then its history.

Long text is laid out in linear time: a run of more than `RUN` characters without a space gets
a break opportunity (a space) every `RUN` characters, and a value longer than `PIECE` characters
continues in the rows below (its other cells left blank), so ReportLab never measures one huge
word letter by letter, nor re-wraps a whole page-spanning paragraph at every page break.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cscdesk.atomic import atomic_path
from cscdesk.domain.kinds import FIELD_LABELS
from cscdesk.presentation import display_value
from cscdesk.privacy.subject_access import FoundRecord
from cscdesk.report.pdf import FONT, FONT_BOLD, register_fonts


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14,
                                leading=18, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11,
                                  leading=14, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
    }


RUN = 40
PIECE = 2000
_UNBROKEN = re.compile(rf"(\S{{{RUN}}})(?=\S)")


def breakable(text: str) -> str:
    """`text` with a space after every `RUN` characters of a longer run without one."""
    return _UNBROKEN.sub(r"\1 ", text)


def pieces(text: str, size: int = PIECE) -> list[str]:
    """`text` cut into pieces of at most about `size` characters, at a line end or a space
    where there is one near the cut."""
    result: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", size // 2, size)
        if cut < 0:
            cut = text.rfind(" ", size // 2, size)
        cut = cut + 1 if cut >= 0 else size
        result.append(text[:cut])
        text = text[cut:]
    result.append(text)
    return result


def _split_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows whose long values continue in the rows below (other cells blank there)."""
    result: list[list[str]] = []
    for row in rows:
        if all(len(value) <= PIECE for value in row):
            result.append(row)
            continue
        cut = [pieces(breakable(value)) for value in row]
        for index in range(max(len(parts) for parts in cut)):
            result.append([parts[index] if index < len(parts) else "" for parts in cut])
    return result


CELL_PADDING = 3


def _cell(value: str, room: float, style: ParagraphStyle) -> str | Paragraph:
    """A value that fits its cell on one line is drawn as a plain string (ReportLab neither
    parses nor wraps it: most values are dates, names and teams, and a pack of 80,000
    records was mostly spent making paragraphs of them); a longer one wraps as a paragraph."""
    text = breakable(value)
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= room:
        return text
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _grid(rows: list[list[str]], widths: list[float], styles) -> Table:
    style = styles["cell"]
    rooms = [width - 2 * CELL_PADDING for width in widths]
    cells = [[_cell(value, room, style) for value, room in zip(row, rooms, strict=True)]
             for row in _split_rows(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), style.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
        ("LEADING", (0, 0), (-1, -1), style.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#404040")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2F3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def write_pdf(found: list[FoundRecord], name: str, path: Path) -> None:
    """Write the pack for `name` to `path` (whole or not at all)."""
    register_fonts()
    styles = _styles()
    width = A4[0] - 3 * cm
    story = [
        Paragraph(escape(f"Subject access: records mentioning “{name}”"), styles["title"]),
        Paragraph(escape(f"Prepared {date.today():%d/%m/%Y}. {len(found)} record(s)."),
                  styles["body"]),
    ]
    for item in found:
        record = item.record
        deleted = (" (deleted; still in the bin)" if item.in_bin
                   else " (deleted; found only in its history)" if item.history_only else "")
        story.append(Paragraph(escape(f"{item.kind.value}: {record.reference}{deleted}"),
                               styles["heading"]))
        rows = [["Field", "Value"]] + [
            [FIELD_LABELS[k], display_value(v)] for k, v in asdict(record).items()
        ]
        story.append(_grid(rows, [0.3 * width, 0.7 * width], styles))
        if item.history:
            story.append(Spacer(1, 6))
            history = [["When (UTC)", "Who", "Action", "Changes"]] + [
                [f"{e.at:%d/%m/%Y %H:%M}", e.user, e.action,
                 json.dumps(e.changes, ensure_ascii=False)]
                for e in item.history
            ]
            story.append(_grid(history, [0.18 * width, 0.14 * width, 0.12 * width,
                                         0.56 * width], styles))
    with atomic_path(path) as temporary:
        document = SimpleDocTemplate(str(temporary), pagesize=A4, leftMargin=1.5 * cm,
                                     rightMargin=1.5 * cm, title=f"Subject access: {name}",
                                     author="cscdesk")
        document.build(story)
