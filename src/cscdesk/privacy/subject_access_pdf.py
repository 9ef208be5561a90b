"""A subject access pack as a PDF: each record's fields, then its history.

A pack can hold 80,000 records (some 80,000 pages), so it is drawn straight on the canvas
rather than built from platypus tables and paragraphs: a record's grid costs one positioned
string per line of text, a few rules and, on each page, one text object. Nothing is parsed as
markup, so a name such as `<b>Ann & Co</b>` is printed as it is written.

Long text is laid out in linear time: a value is cut into lines word by word (a word's width
measured once), and a word wider than its cell is cut by characters with widths cached per
character, so the longest allowed text (32,767 characters without a space) takes a moment, not
minutes. A row taller than the room left on a page continues on the next, under the grid's
header row repeated.

Each page's content is compressed as soon as the page is finished (ReportLab would keep every
page's text until the file is saved, hundreds of megabytes for a large pack).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from cscdesk.atomic import atomic_path
from cscdesk.domain.kinds import FIELD_LABELS
from cscdesk.presentation import display_value
from cscdesk.privacy.subject_access import FoundRecord
from cscdesk.report.pdf import FONT, FONT_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 1.5 * cm
WIDTH = PAGE_WIDTH - 2 * LEFT
TOP = PAGE_HEIGHT - 2.5 * cm
BOTTOM = 2.5 * cm

SIZE, LEADING, PADDING = 8, 10, 3  # the grids' text
RULE_COLOUR = colors.HexColor("#404040")
HEADER_COLOUR = colors.HexColor("#D9E2F3")

FIELD_COLUMNS = (0.3 * WIDTH, 0.7 * WIDTH)
HISTORY_COLUMNS = (0.18 * WIDTH, 0.14 * WIDTH, 0.12 * WIDTH, 0.56 * WIDTH)


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    before: float = 0  # space above
    after: float = 0  # space below


BODY = Style(FONT, 9, 12)
TITLE = Style(FONT_BOLD, 14, 18, after=10)
HEADING = Style(FONT_BOLD, 11, 14, before=10, after=4)


class Measure:
    """Widths of text in one font and size. A whole string is measured by ReportLab's C code;
    a word too wide for its line is cut with widths cached per character, so cutting costs one
    dictionary look-up per character however long the word."""

    def __init__(self, font: str, size: float) -> None:
        self._font = getFont(font)
        self._size = size
        self._chars: dict[str, float] = {}
        self.space = self.width(" ")

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def char(self, char: str) -> float:
        width = self._chars.get(char)
        if width is None:
            width = self._chars[char] = self.width(char)
        return width

    def lines(self, text: str, room: float) -> list[str]:
        """`text` wrapped to lines no wider than `room` (its own line ends kept)."""
        text = text.replace("\t", " ")
        if "\n" not in text and "\r" not in text and self.width(text) <= room:
            return [text]
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            lines.extend(self._wrap(paragraph, room))
        return lines

    def _wrap(self, paragraph: str, room: float) -> list[str]:
        """One paragraph's lines: as many words as fit on each; a wider word is cut."""
        lines: list[str] = []
        words: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            width = self.width(word)
            if words and used + self.space + width <= room:
                words.append(word)
                used += self.space + width
                continue
            if words:
                lines.append(" ".join(words))
            if width <= room:
                words, used = [word], width
            else:
                *whole, last = self._cut(word, room)
                lines.extend(whole)
                words, used = [last], self.width(last)
        lines.append(" ".join(words))
        return lines

    def _cut(self, word: str, room: float) -> list[str]:
        """A word wider than `room` cut into pieces that fit (at least one character each)."""
        pieces: list[str] = []
        start, used = 0, 0.0
        for index, char in enumerate(word):
            width = self.char(char)
            if used + width > room and index > start:
                pieces.append(word[start:index])
                start, used = index, 0.0
            used += width
        pieces.append(word[start:])
        return pieces


@dataclass(frozen=True)
class Row:
    """A grid row laid out: each cell's lines; its height is that of its longest cell."""
    cells: tuple[list[str], ...]

    @property
    def count(self) -> int:
        return max(len(lines) for lines in self.cells)

    def height(self, count: int | None = None) -> float:
        return (self.count if count is None else count) * LEADING + 2 * PADDING

    def part(self, start: int, stop: int) -> Row:
        return Row(tuple(lines[start:stop] for lines in self.cells))


class Pages:
    """The canvas and where the next thing goes down the page: a page's text is gathered in
    one text object, written when the page is full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = TOP
        self.text = self._text_object()
        self._font: tuple[str, float] | None = None

    def _text_object(self) -> PDFTextObject:
        self._font = None
        return self.canvas.beginText()

    def room(self) -> float:
        return self.y - BOTTOM

    def new_page(self) -> None:
        self.canvas.drawText(self.text)
        self.canvas.showPage()
        self.y = TOP
        self.text = self._text_object()

    def finish(self) -> None:
        self.canvas.drawText(self.text)
        self.canvas.showPage()

    def lines(self, x: float, y: float, lines: Sequence[str], font: str, size: float,
              leading: float) -> None:
        """Lines of text, the first with its baseline at `y`."""
        if self._font != (font, size):
            self.text.setFont(font, size, leading)
            self._font = (font, size)
        self.text.setTextOrigin(x, y)
        for line in lines:
            self.text.textLine(line)

    def paragraph(self, text: str, style: Style, measure: Measure) -> None:
        """A heading or sentence across the page, wrapped; on a new page if it does not fit."""
        lines = measure.lines(text, WIDTH)
        height = style.before + len(lines) * style.leading
        if self.y < TOP and height > self.room():
            self.new_page()
        if self.y < TOP:
            self.y -= style.before
        self.lines(LEFT, self.y - style.size, lines, style.font, style.size, style.leading)
        self.y -= len(lines) * style.leading + style.after


class Grid:
    """A table of rows under a shaded header row, drawn on `pages`: rows that do not fit go on
    the next page under the header again; a row taller than a page is split between lines."""

    def __init__(self, pages: Pages, widths: Sequence[float], measure: Measure) -> None:
        self.pages = pages
        self.widths = widths
        self.measure = measure
        self.rooms = [width - 2 * PADDING for width in widths]
        self.edges = [LEFT]
        for width in widths:
            self.edges.append(self.edges[-1] + width)

    def layout(self, values: Sequence[str]) -> Row:
        return Row(tuple(self.measure.lines(value, room)
                         for value, room in zip(values, self.rooms, strict=True)))

    def draw(self, header: Sequence[str], rows: Iterator[Sequence[str]],
             keep: float = 0) -> None:
        """The grid; `keep` is the height of what goes just above it (a heading), to be kept
        on the same page as the header and first row."""
        head = self.layout(header)
        first = next(rows, None)
        laid = self.layout(first) if first is not None else None
        needed = keep + head.height() + (laid.height(1) if laid else 0)
        if needed > self.pages.room() and self.pages.y < TOP:
            self.pages.new_page()
        tops = self._start(head)
        while laid is not None:
            tops = self._row(laid, head, tops)
            following = next(rows, None)
            laid = self.layout(following) if following is not None else None
        self._rules(tops)

    def _start(self, head: Row) -> list[float]:
        """The header row at the top of a page's part of the grid; the row edges so far."""
        pages = self.pages
        top = pages.y
        canvas = pages.canvas
        canvas.setFillColor(HEADER_COLOUR)
        canvas.rect(LEFT, top - head.height(), sum(self.widths), head.height(), stroke=0,
                    fill=1)
        canvas.setFillColor(colors.black)
        self._cells(head, top)
        pages.y = top - head.height()
        return [top, pages.y]

    def _row(self, row: Row, head: Row, tops: list[float]) -> list[float]:
        """Draw `row` (across pages if it must); the row edges of the current page's part."""
        pages = self.pages
        while row.height() > pages.room():
            fits = int((pages.room() - 2 * PADDING) // LEADING)
            if fits >= 1 and row.count > 1:
                self._cells(row.part(0, fits), pages.y)
                pages.y -= row.height(fits)
                tops.append(pages.y)
                row = row.part(fits, row.count)
            self._rules(tops)
            pages.new_page()
            tops = self._start(head)
        self._cells(row, pages.y)
        pages.y -= row.height()
        tops.append(pages.y)
        return tops

    def _cells(self, row: Row, top: float) -> None:
        baseline = top - PADDING - SIZE
        for x, lines in zip(self.edges, row.cells, strict=False):
            if lines and (len(lines) > 1 or lines[0]):
                self.pages.lines(x + PADDING, baseline, lines, FONT, SIZE, LEADING)

    def _rules(self, tops: list[float]) -> None:
        canvas = self.pages.canvas
        canvas.setStrokeColor(RULE_COLOUR)
        canvas.setLineWidth(0.5)
        canvas.grid(self.edges, tops)


class CompressingCanvas(Canvas):
    """A canvas that compresses each page's content when the page is finished, instead of
    holding every page's text until `save`."""

    def showPage(self) -> None:
        super().showPage()
        page = self._doc.Pages.pages[-1]
        stream = page.stream
        if stream:
            compressed = pdfdoc.PDFStream(
                pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
                zlib.compress(stream.encode("latin-1") if isinstance(stream, str) else stream, 6))
            compressed.__Comment__ = "page stream"
            page.Contents = compressed
            page.stream = None


def _fields(item: FoundRecord) -> Iterator[list[str]]:
    for key, value in asdict(item.record).items():
        yield [FIELD_LABELS[key], display_value(value)]


def _history(item: FoundRecord) -> Iterator[list[str]]:
    for event in item.history:
        yield [f"{event.at:%d/%m/%Y %H:%M}", event.user, event.action,
               json.dumps(event.changes, ensure_ascii=False)]


def _heading(item: FoundRecord) -> str:
    deleted = (" (deleted; still in the bin)" if item.in_bin
               else " (deleted; found only in its history)" if item.history_only else "")
    return f"{item.kind.value}: {item.record.reference}{deleted}"


def write_pdf(found: list[FoundRecord], name: str, path: Path) -> None:
    """Write the pack for `name` to `path` (whole or not at all)."""
    register_fonts()
    cells, bold = Measure(FONT, SIZE), Measure(FONT_BOLD, HEADING.size)
    with atomic_path(path) as temporary:
        canvas = CompressingCanvas(str(temporary), pagesize=A4, pageCompression=0)
        canvas.setTitle(f"Subject access: {name}")
        canvas.setAuthor("cscdesk")
        pages = Pages(canvas)
        pages.paragraph(f"Subject access: records mentioning “{name}”", TITLE,
                        Measure(FONT_BOLD, TITLE.size))
        pages.paragraph(f"Prepared {date.today():%d/%m/%Y}. {len(found)} record(s).", BODY,
                        Measure(FONT, BODY.size))
        fields = Grid(pages, FIELD_COLUMNS, cells)
        history = Grid(pages, HISTORY_COLUMNS, cells)
        for item in found:
            heading = bold.lines(_heading(item), WIDTH)
            keep = HEADING.before + len(heading) * HEADING.leading + HEADING.after
            if keep + 4 * LEADING > pages.room() and pages.y < TOP:
                pages.new_page()
            pages.paragraph(_heading(item), HEADING, bold)
            fields.draw(["Field", "Value"], _fields(item))
            if item.history:
                pages.y -= 6
                history.draw(["When (UTC)", "Who", "Action", "Changes"], _history(item))
        pages.finish()
        canvas.save()
