"""The appendix as a PDF (ReportLab platypus), laid out as the example appendix.

`render(content, stream)` writes an AppendixContent to any binary stream (tests use BytesIO);
`write_pdf(content, path)` writes a file safely: the PDF is made in memory first, then written
into a temporary file in the target folder and renamed over the target, so a failure never
leaves half a PDF, and the temporary file exists only for the moment of writing. A temporary
file left by a process that died (a power cut) is removed at the next write.
The look is in `layout.py`, the sections in `sections.py`. Names and summaries of complainants
and enquirers are never part of the content.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from cscdesk import atomic
from cscdesk.errors import UserFacingError
from cscdesk.report.content import AppendixContent
from cscdesk.report.layout import FONT, FONT_BOLD, MARGIN, PAGE_WIDTH, RULE, register_fonts
from cscdesk.report.pdf_blocks import flowables
from cscdesk.report.sections import story

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
        subject=f"{content.service_name} complaints and representations "
                f"{content.figures.year.label}",
        creator="cscdesk",
    )
    footer = f"{content.council_name} – {content.service_name}"

    class FooterCanvas(_NumberedCanvas):
        footer_text = footer

    document.build(list(flowables(story(content))), canvasmaker=FooterCanvas)


def write_pdf(content: AppendixContent, path: Path | str) -> Path:
    """Write the appendix to `path` via a temporary file in the same folder; returns the path.

    Raises UserFacingError with a sentence when the folder or the file cannot be written
    (a missing folder, no permission, a PDF held open by a viewer on Windows).
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise UserFacingError(f"Cannot write the appendix to {target}: the folder {folder} "
                              "does not exist.")
    if target.is_dir():
        raise UserFacingError(f"Cannot write the appendix to {target}: that is a folder.")
    made = io.BytesIO()
    render(content, made)  # the slow part, with nothing on disk yet
    try:
        with atomic.replacing(target) as temporary:
            temporary.write_bytes(made.getbuffer())
    except atomic.WriteFailed as failed:
        if failed.step == "temporary":
            error = failed.error
            raise UserFacingError(f"Cannot write the appendix in {folder}: "
                                  f"{error.strerror or error}. Choose another folder.") from error
        _cannot_write(target, failed.error)
    except OSError as error:
        _cannot_write(target, error)
    return target


def _cannot_write(target: Path, error: OSError) -> NoReturn:
    if isinstance(error, PermissionError):
        raise UserFacingError(
            f"Cannot replace {target}: it is open in another program (such as a PDF "
            "viewer) or you do not have permission. Close it, or choose another name, and "
            "try again.") from error
    raise UserFacingError(f"Cannot write the appendix to {target}: "
                          f"{error.strerror or error}.") from error
