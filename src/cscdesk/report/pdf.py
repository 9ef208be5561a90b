"""The appendix as a PDF (ReportLab platypus), laid out as the example appendix.

`render(content, stream)` writes an AppendixContent to any binary stream (tests use BytesIO);
`write_pdf(content, path)` writes a file safely (`writing.py`).
The look is in `layout.py` and `pdf_blocks.py`, the sections in `sections.py`. Names and
summaries of complainants and enquirers are never part of the content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from cscdesk.report.content import AppendixContent
from cscdesk.report.layout import FONT, FONT_BOLD, MARGIN, PAGE_WIDTH, RULE, register_fonts
from cscdesk.report.pdf_blocks import flowables
from cscdesk.report.sections import story
from cscdesk.report.writing import write_safely

__all__ = ["FONT", "FONT_BOLD", "register_fonts", "render", "write_pdf"]


class _NumberedCanvas(Canvas):
    """Holds each page until the end so the footer can say "Page n of m"."""

    footer_text = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own, not in its stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN - 0.35 * cm, PAGE_WIDTH - MARGIN, MARGIN - 0.35 * cm)
        self.setFont(FONT, 8)
        self.drawString(MARGIN, MARGIN - 0.8 * cm, self.footer_text)
        self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 0.8 * cm,
                             f"Page {self.getPageNumber()} of {total}")
        self.restoreState()


def render(content: AppendixContent, stream: BinaryIO) -> None:
    """Write the appendix as a PDF to a binary stream."""
    register_fonts()
    document = SimpleDocTemplate(
        stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 0.6 * cm, title=content.title, author=content.council_name,
        subject=content.subject,
        creator="cscdesk",
    )
    class FooterCanvas(_NumberedCanvas):
        footer_text = content.footer

    document.build(flowables(story(content)), canvasmaker=FooterCanvas)


def write_pdf(content: AppendixContent, path: Path | str) -> Path:
    """Write the appendix to `path` safely (see `writing.py`); returns the path.

    Raises UserFacingError with a sentence when the folder or the file cannot be written.
    """
    return write_safely(lambda stream: render(content, stream), path, viewer="a PDF viewer")
