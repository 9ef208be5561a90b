"""The appendix as a PDF (ReportLab platypus), laid out as the example appendix.

`render(content, stream)` writes an AppendixContent to any binary stream (tests use BytesIO);
`write_pdf(content, path)` writes a file safely: into a temporary file in the target folder,
renamed over the target only when complete, so a failure never leaves half a PDF.

Every string that came from the officer (team and root-cause names, learning, paragraphs,
settings) passes through `_escape`, because Paragraph parses its text as markup. Names and
summaries of complainants and enquirers are never part of the content.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cscdesk.domain.kinds import EnquirySource
from cscdesk.errors import UserFacingError
from cscdesk.paths import resource_path
from cscdesk.report import formatting as fmt
from cscdesk.report.content import AppendixContent
from cscdesk.report.figures import BASELINE_KEYS, RootCauseThemes, TeamCount, YearFigures
from cscdesk.report.longtable import SplittingTable

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
MARGIN = 1.6 * cm
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#D9E2F3")
RULE = colors.HexColor("#404040")
CELL_PADDING = 3

COMPARISON_HEADINGS = (
    "Feedback:",
    "Initial Feedback",
    "Stage 1 complaints",
    "Stage 2 complaints",
    "Stage 3 complaints",
    "Alternative Dispute Resolution Cases",
    "Cases closed in period*",
    "Cases Cancelled",
    "% of complaints upheld in period",
    "% timeliness of response for those due in period",
)
COMPARISON_KEYS = ("initial_feedback", "stage1", "stage2", "stage3", "adr_cases", "closed",
                   "cancelled", "upheld_percent", "timeliness_percent")


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans (shipped in resources/fonts) so £, curly quotes and accents print."""
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(resource_path(f"fonts/{file}"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14,
                                leading=18, spaceAfter=14, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11,
                                  leading=14, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontName=FONT_ITALIC, fontSize=8,
                               leading=10.5, spaceBefore=3),
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


def _escape(text: str) -> str:
    """User text made safe for Paragraph markup; a line break stays a line break."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def _p(text: str, style: str = "body", *, markup: str | None = None) -> Paragraph:
    """A paragraph of plain text (escaped), or of `markup` built from escaped parts."""
    return Paragraph(markup if markup is not None else _escape(text), _styles()[style])


def _paragraphs(text: str, style: str = "body") -> list[Flowable]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [_p(block, style) for block in blocks if block]


def _ruled_table(cells: list[list[object]], widths: Sequence[float]) -> Table:
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
        # Plain-text cells (short values, see `_grid`) are drawn in the body cell's font.
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), _styles()["cell"].fontSize),
        ("LEADING", (0, 0), (-1, -1), _styles()["cell"].leading),
    ]))
    return table


def _body_cell(value: object, width: float) -> object:
    """A body cell: text that fits on one line stays a plain string (drawn as it is, never
    parsed as markup, and much cheaper to lay out); longer text becomes an escaped Paragraph
    that wraps."""
    if not isinstance(value, str):
        return value
    size = _styles()["cell"].fontSize
    if "\n" not in value and pdfmetrics.stringWidth(value, FONT, size) <= width - 2 * CELL_PADDING:
        return value
    return _p(value, "cell")


def _grid(rows: Sequence[Sequence[object]], widths: Sequence[float]) -> Table:
    """A ruled table of text (escaped here) or flowables; the first row is the header."""
    cells = [[_p(str(value), "cell_head") if isinstance(value, str) else value
              for value in rows[0]]]
    for row in rows[1:]:
        cells.append([_body_cell(value, width) for value, width in zip(row, widths, strict=True)])
    return _ruled_table(cells, widths)


def _fitted_widths(rows: Sequence[Sequence[str]], total: float) -> list[float]:
    """Column widths that fit each column's longest word (so no word is broken), with the
    space left over shared equally."""
    styles = _styles()
    needed = []
    for column in zip(*rows, strict=True):
        head, *cells = column
        widest = max(pdfmetrics.stringWidth(word, FONT_BOLD, styles["cell_head"].fontSize)
                     for word in head.split() or [""])
        for cell in cells:
            widest = max(widest, *(pdfmetrics.stringWidth(word, FONT, styles["cell"].fontSize)
                                   for word in cell.split() or [""]))
        needed.append(widest + 2 * CELL_PADDING + 1)
    spare = max(0.0, total - sum(needed)) / len(needed)
    return [width + spare for width in needed]


class _NumberedCanvas(Canvas):
    """Holds each page until the end so the footer can say "Page n of m"."""

    footer_text = ""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

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
                             f"Page {self._pageNumber} of {total}")
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
    canvas_class = type("FooterCanvas", (_NumberedCanvas,), {"footer_text": footer})
    document.build(list(_story(content)), canvasmaker=canvas_class)


def _story(content: AppendixContent) -> Iterable[Flowable]:
    yield _p(content.title, "title")
    yield from _volume(content)
    yield from _complaints(content)
    yield from _root_causes(content)
    yield from _upheld(content)
    yield from _lgo(content)
    yield from _adr(content)
    yield from _disputes(content)
    yield from _initial_feedback(content)
    yield from _enquiries(content)
    yield from _compliments(content)


def _years(content: AppendixContent) -> tuple[YearFigures, YearFigures]:
    return content.figures.current, content.figures.previous


def _hand_entered_note(year: YearFigures, keys: Iterable[str]) -> list[Flowable]:
    """A note naming the figures of a year that were entered by hand, if any."""
    named = [BASELINE_KEYS[key] for key in keys if key in year.from_baseline]
    if not named:
        return []
    return [_p(f"Figures entered by hand for {year.label} (not computed from case records): "
               f"{', '.join(named)}.", "note")]


def _volume(content: AppendixContent) -> Iterable[Flowable]:
    now, before = _years(content)
    yield _p(f"Volume of Representations – {before.label} vs {now.label}:", "heading")
    yield _p("", markup=(
        "Below is a comparison of all representations received during both years, a total of "
        f"<b>{before.representations}</b> representations were received in {before.label} "
        f"compared to <b>{now.representations}</b> in the same period of {now.label}."))
    parts = ("initial_feedback", "stage1", "stage2", "stage3", "enquiries_mp", "enquiries_mep",
             "enquiries_member", "compliments")
    for year in (now, before):
        yield from _hand_entered_note(year, parts)


def _escalation_sentence(now: YearFigures, before: YearFigures) -> str:
    later_now = now.comparison.stage2 + now.comparison.stage3
    later_before = before.comparison.stage2 + before.comparison.stage3
    if later_now == 0 and later_before == 0:
        return "There were no escalations beyond stage 1 for both periods."

    def words(count: int) -> str:
        return "none" if count == 0 else f"{count} {fmt.plural(count, 'escalation')}"

    return (f"There {'was' if later_now == 1 else 'were'} {words(later_now)} beyond stage 1 in "
            f"{now.label} and {words(later_before)} in {before.label}.")


def _complaints(content: AppendixContent) -> Iterable[Flowable]:
    now, before = _years(content)
    figures = content.figures
    yield _p(f"Complaints – {before.label} vs {now.label}:", "heading")
    intro = content.texts["complaints_intro"].strip()
    yield _p(" ".join(part for part in (intro, _escalation_sentence(now, before)) if part))
    rows: list[list[object]] = [list(COMPARISON_HEADINGS)]
    for year in (now, before):
        row = year.comparison
        rows.append([row.label, *(str(getattr(row, key)) for key in COMPARISON_KEYS[:7]),
                     fmt.format_percent(row.upheld_percent),
                     fmt.format_percent(row.timeliness_percent)])
    diff = figures.difference
    rows.append(["Difference", *(fmt.format_signed(getattr(diff, key))
                                 for key in COMPARISON_KEYS[:7]),
                 fmt.format_points(diff.upheld_percent),
                 fmt.format_points(diff.timeliness_percent)])
    yield _grid(rows, _fitted_widths(rows, TEXT_WIDTH))  # type: ignore[arg-type]
    yield from _paragraphs(content.texts["closed_footnote"], "note")
    for year in (now, before):
        yield from _hand_entered_note(year, COMPARISON_KEYS)


def _theme_cell(themes: RootCauseThemes, index: int) -> list[Flowable]:
    if index >= len(themes.themes):
        return []
    theme = themes.themes[index]
    return [_p(theme.name, "cell_theme"), *(_p(line, "cell_line") for line in theme.learning)]


def _root_causes(content: AppendixContent) -> Iterable[Flowable]:
    yield _p("Root cause analysis and associated learning:", "heading")
    yield from _paragraphs(content.texts["root_cause_intro"])
    header = ["Root cause analysis and learning from upheld complaints:",
              *(f"Root Cause {n} and associated learning" for n in (1, 2, 3))]
    rows = [[[_p(f"Learning for {themes.label}", "cell")],
             *(_theme_cell(themes, i) for i in range(3))]
            for themes in (content.themes_current, content.themes_previous)]
    first = 3.2 * cm
    widths = [first] + [(TEXT_WIDTH - first) / 3] * 3
    # Learning may run to many pages: this table splits tall rows in linear time.
    yield SplittingTable([[_p(text, "cell_head")] for text in header], rows, widths,
                         lambda cells: _ruled_table(cells, widths), CELL_PADDING)
    edited = [t.label for t in (content.themes_current, content.themes_previous) if t.edited]
    if edited:
        yield _p(f"Themes and learning for {' and '.join(edited)} were reviewed and edited by "
                 "the Complaints Team.", "note")


def _upheld(content: AppendixContent) -> Iterable[Flowable]:
    now, before = _years(content)
    suppress = content.suppress_small
    yield _p("Breakdown of complaints received:", "heading")
    yield from _paragraphs(content.texts["breakdown_intro"])
    yield _p("Upheld Complaints:", "heading")
    yield from _paragraphs(content.texts["upheld_intro"])
    rows: list[list[object]] = [["Complaint Area", f"Volume {before.year.long_label}",
                                 "% Upheld", f"Volume {now.year.long_label}", "% Upheld"]]
    for area in content.figures.upheld_by_area:
        rows.append([
            area.team,
            fmt.format_count(area.previous_volume, suppress=suppress),
            fmt.format_upheld(area.previous_volume, area.previous_upheld, suppress=suppress),
            fmt.format_count(area.volume, suppress=suppress),
            fmt.format_upheld(area.volume, area.upheld, suppress=suppress),
        ])
    # Always the table, even with no rows, so that each section has its table to find.
    yield _grid(rows, [7.4 * cm] + [(TEXT_WIDTH - 7.4 * cm) / 4] * 4)
    for year in (now, before):
        yield from _hand_entered_note(year, ("upheld_by_area",))
    if suppress:
        yield _p("Counts from 1 to 4 are shown as <5 to protect the people concerned.", "note")


def _lgo(content: AppendixContent) -> Iterable[Flowable]:
    now, _ = _years(content)
    yield _p("LGO Complaints:", "heading")
    if now.lgo == 0:
        yield _p("There were no Statutory LGO complaints during the reporting period.")
    else:
        verb = "was" if now.lgo == 1 else "were"
        yield _p(f"There {verb} {now.lgo} Statutory LGO {fmt.plural(now.lgo, 'complaint')} "
                 "during the reporting period.")
    yield from _hand_entered_note(now, ("lgo",))


def adr_sentence(year: YearFigures) -> str:
    """The ADR section's closing sentence, e.g. the example's one case and its £1800 saving."""
    count = year.comparison.adr_cases
    saving = (f", resulting in a saving of {fmt.format_money(year.adr_saving_pence)}"
              if year.adr_saving_pence else "")
    if count == 0:
        return "There were no Alternative Dispute Resolution cases for this period."
    if count == 1:
        stages = [stage for stage, n in year.adr_stages if n]
        if len(stages) == 1:
            stage = stages[0]
            onward = f"a Stage {stage + 1}" if stage < 3 else "the Ombudsman"
            return (f"The one case for this period was a Stage {stage} which was prevented "
                    f"from escalating to {onward}{saving}.")
        return f"The one case for this period was prevented from escalating{saving}."
    by_stage = ", ".join(f"{n} at Stage {stage}" for stage, n in year.adr_stages if n)
    detail = f" ({by_stage})" if by_stage else ""
    total = saving.replace("a saving", "a total saving")
    return (f"The {fmt.number_word(count)} cases for this period{detail} were prevented from "
            f"escalating to the next stage{total}.")


def _adr(content: AppendixContent) -> Iterable[Flowable]:
    now, _ = _years(content)
    yield _p("Alternative Dispute Resolution Cases:", "heading")
    yield from _paragraphs(content.texts["adr"])
    yield _p(adr_sentence(now))
    yield from _hand_entered_note(now, ("adr_cases", "adr_saving"))


def dispute_sentence(now: YearFigures, before: YearFigures) -> str:
    count = now.dispute_resolution
    first = ("Within the reporting period there "
             f"{'was' if count == 1 else 'were'} {count} {fmt.plural(count, 'case')} recorded.")
    if before.dispute_resolution == 0:
        return f"{first} No cases were recorded in {before.label}, so a comparison cannot be made."
    return (f"{first} In {before.label} there {'was' if before.dispute_resolution == 1 else 'were'}"
            f" {before.dispute_resolution} {fmt.plural(before.dispute_resolution, 'case')}"
            " recorded.")


def _disputes(content: AppendixContent) -> Iterable[Flowable]:
    now, before = _years(content)
    yield _p("Dispute Resolution:", "heading")
    yield from _paragraphs(content.texts["dispute_resolution"])
    yield _p(dispute_sentence(now, before))
    for year in (now, before):
        yield from _hand_entered_note(year, ("dispute_resolution",))


def _initial_feedback(content: AppendixContent) -> Iterable[Flowable]:
    yield _p("Initial Feedback:", "heading")
    yield from _paragraphs(content.texts["initial_feedback"])


def _team_table(first_heading: str, second_heading: str, teams: Sequence[TeamCount],
                suppress: bool) -> Table:
    rows: list[list[object]] = [[first_heading, second_heading]]
    rows.extend([t.team, fmt.format_count(t.count, suppress=suppress)] for t in teams)
    return _grid(rows, [9.5 * cm, 4.0 * cm])


def _enquiries(content: AppendixContent) -> Iterable[Flowable]:
    now, _ = _years(content)
    yield _p("Enquiries", "heading")
    yield from _paragraphs(content.texts["enquiries_intro"])
    for source in EnquirySource:
        figures = now.enquiries_from(source)
        yield Paragraph(_escape(f"{figures.count} {figures.heading}"), _styles()["bullet"],
                        bulletText="•")
    for source in EnquirySource:
        figures = now.enquiries_from(source)
        yield Spacer(1, 6)
        yield _team_table(f"{figures.heading} Enquiries", "Number by Team", figures.teams,
                          content.suppress_small)
    keys = [f"enquiries_{s.name.lower()}{suffix}"
            for s in EnquirySource for suffix in ("", "_teams")]
    yield from _hand_entered_note(now, keys)


def _compliments(content: AppendixContent) -> Iterable[Flowable]:
    now, _ = _years(content)
    yield _p("External Compliments:", "heading")
    count = now.compliments
    if count == 0:
        yield _p("No Compliments have been received during this period.")
    else:
        verb = "has" if count == 1 else "have"
        yield _p(f"{count} {fmt.plural(count, 'Compliment')} {verb} been received during this "
                 "period, breakdown of teams is below.")
    yield _team_table("Service Area", "Total Received", now.compliments_by_team,
                      content.suppress_small)
    yield from _hand_entered_note(now, ("compliments", "compliments_teams"))


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
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=folder)
    except OSError as error:
        raise UserFacingError(f"Cannot write the appendix in {folder}: "
                              f"{error.strerror or error}. Choose another folder.") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            render(content, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, PermissionError):
            raise UserFacingError(
                f"Cannot replace {target}: it is open in another program (such as a PDF "
                "viewer) or you do not have permission. Close it, or choose another name, and "
                "try again.") from error
        raise UserFacingError(f"Cannot write the appendix to {target}: "
                              f"{error.strerror or error}.") from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
