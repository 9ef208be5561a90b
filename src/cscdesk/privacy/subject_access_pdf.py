"""A subject access pack as a PDF: each record's fields, then its history.

A pack can hold 80,000 records (some 40,000 pages): it must take under 30 s and 400 MB, in
proportion to the records. Platypus tables and paragraphs cost over a millisecond a record, and
ReportLab's canvas holds every page until the file is saved, so the pack is laid out here and
drawn on a `StreamedPdf`, which writes each page as soon as it is full. A record's grid of
one-line rows (most of them) is a form drawn once and placed (header, rules, labels), so a
record costs about a dozen positioned strings, its values. Nothing is parsed as markup: a name
such as `<b>Ann & Co</b>` is printed as it is written.

A record that fits on a page is kept on one page (two of the usual size fit a page). Long text
is laid out in linear time: a value is cut into lines word by word (each word measured once,
by ReportLab's C code), and a word wider than its cell is cut by characters with widths cached
per character, so the longest allowed text (32,767 characters without a space) takes a moment.
A row taller than the room left on a page continues on the next, under the grid's header row
repeated, as does a grid that reaches the foot of a page.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import getFont

from cscdesk.atomic import atomic_path
from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.presentation import display_value
from cscdesk.privacy.streamed_pdf import Page, StreamedPdf
from cscdesk.privacy.subject_access import FoundRecord
from cscdesk.report.pdf import FONT, FONT_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 1.5 * cm
WIDTH = PAGE_WIDTH - 2 * LEFT
TOP = PAGE_HEIGHT - 2 * cm
BOTTOM = 2 * cm

SIZE, LEADING, PADDING = 8, 10, 2  # the grids' text, and the space around it in a cell
RULE_COLOUR = (0.25, 0.25, 0.25)  # #404040
HEADER_COLOUR = (0xD9 / 255, 0xE2 / 255, 0xF3 / 255)
HISTORY_GAP = 6  # between a record's fields and its history
SHORT, REMEMBERED = 24, 50_000  # texts up to SHORT characters have their lines remembered

FIELD_COLUMNS = (0.3 * WIDTH, 0.7 * WIDTH)
HISTORY_COLUMNS = (0.18 * WIDTH, 0.14 * WIDTH, 0.12 * WIDTH, 0.56 * WIDTH)


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    before: float = 0  # space above, except at the top of a page
    after: float = 0  # space below


BODY = Style(FONT, 9, 12)
TITLE = Style(FONT_BOLD, 14, 18, after=10)
HEADING = Style(FONT_BOLD, 11, 14, before=10, after=4)


class Measure:
    """Widths of text in one font and size, and text wrapped to a width. A whole string is
    measured by ReportLab's C code; a word too wide for its line is cut with widths cached per
    character, so cutting costs one dictionary look-up per character however long the word."""

    def __init__(self, font: str, size: float) -> None:
        self._font = getFont(font)
        self._size = size
        self._chars: dict[str, float] = {}
        self._short: dict[tuple[str, float], list[str]] = {}
        self.space = self.width(" ")

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def _char(self, char: str) -> float:
        width = self._chars.get(char)
        if width is None:
            width = self._chars[char] = self.width(char)
        return width

    def lines(self, text: str, room: float) -> list[str]:
        """`text` wrapped to lines no wider than `room`, its own line breaks kept (the list
        may be shared: not to be changed). Short texts are remembered: labels, dates, Yes and
        No, teams and actions repeat in every record."""
        if len(text) > SHORT:
            return self._lines(text, room)
        key = (text, room)
        lines = self._short.get(key)
        if lines is None:
            if len(self._short) >= REMEMBERED:
                self._short.clear()
            lines = self._short[key] = self._lines(text, room)
        return lines

    def _lines(self, text: str, room: float) -> list[str]:
        if "\t" in text:
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
            width = self._char(char)
            if used + width > room and index > start:
                pieces.append(word[start:index])
                start, used = index, 0.0
            used += width
        pieces.append(word[start:])
        return pieces


class Row:
    """A grid row laid out: each cell's lines; as tall as its longest cell."""

    __slots__ = ("cells", "count")

    def __init__(self, cells: list[list[str]]) -> None:
        self.cells = cells
        self.count = max(map(len, cells))

    def height(self, count: int | None = None) -> float:
        return (self.count if count is None else count) * LEADING + 2 * PADDING

    def part(self, start: int, stop: int) -> Row:
        return Row([lines[start:stop] for lines in self.cells])


class Pages:
    """The page being drawn and how far down it the next thing goes."""

    def __init__(self, pdf: StreamedPdf) -> None:
        self.pdf = pdf
        self.page = pdf.page()
        self.y = TOP

    def room(self) -> float:
        return self.y - BOTTOM

    def at_top(self) -> bool:
        return self.y >= TOP

    def new_page(self) -> None:
        self.pdf.end_page(self.page)
        self.page = self.pdf.page()
        self.y = TOP

    def finish(self) -> None:
        self.pdf.end_page(self.page)

    def paragraph(self, lines: list[str], style: Style) -> None:
        """Lines across the page (already wrapped): on a new page if they do not fit, and
        continued on the next if they do not fit on a whole page (a name can be long)."""
        if not self.at_top() and style.before + len(lines) * style.leading > self.room():
            self.new_page()
        if not self.at_top():
            self.y -= style.before
        while True:
            part = lines[:max(1, int(self.room() // style.leading))]
            self.page.lines(LEFT, self.y - style.size, style.leading, part, style.font,
                            style.size)
            self.y -= len(part) * style.leading
            lines = lines[len(part):]
            if not lines:
                break
            self.new_page()
        self.y -= style.after


class Laid:
    """A grid's rows laid out, column by column: each cell's lines."""

    __slots__ = ("columns", "count", "kept")

    def __init__(self, columns: list[list[list[str]]], count: int, kept: float) -> None:
        self.columns = columns
        self.count = count  # rows
        # the height of a grid of one-line rows that fits on a page (kept together and drawn
        # with a form), else 0
        self.kept = kept

    def rows(self) -> list[Row]:
        return [Row(list(cells)) for cells in zip(*self.columns, strict=True)]


class Grid:
    """A table under a shaded header row, with rules round every cell. Rows that do not fit
    go on the next page under the header again; a row taller than the room left is split
    between its lines.

    Most grids are alike: a record's fields are the same labels, one line each, and most
    histories are a line or two. The header and rules of a grid of so many one-line rows are
    drawn once as a form and placed, and its text is drawn row by row in one call: that is
    most of a large pack's speed. For the same reason rows are laid out a column at a time,
    and a `fixed` first column (the labels) once."""

    def __init__(self, pages: Pages, widths: Sequence[float], header: Sequence[str],
                 measure: Measure, *, fixed: bool = False) -> None:
        self.pages = pages
        self.measure = measure
        self.fixed = fixed  # the first column is the same in every grid with its length (labels)
        self.rooms = [width - 2 * PADDING for width in widths]
        self.edges = [LEFT]
        for width in widths:
            self.edges.append(self.edges[-1] + width)
        self.starts = [edge + PADDING for edge in self.edges[:-1]]  # where text begins
        self.head = Row([measure.lines(value, room)
                         for value, room in zip(header, self.rooms, strict=True)])
        self._fixed: dict[tuple[str, ...], list[list[str]]] = {}
        self._forms: dict[int, str] = {}  # by the number of rows

    def lay_out(self, rows: Sequence[Sequence[str]]) -> Laid:
        columns: list[list[list[str]]] = []
        single = True
        for index, values in enumerate(zip(*rows, strict=True)):
            column = self._column(index, values)
            single = single and max(map(len, column)) == 1
            columns.append(column)
        height = self.head.height() + len(rows) * (LEADING + 2 * PADDING)
        return Laid(columns, len(rows), height if single and height <= TOP - BOTTOM else 0)

    def _column(self, index: int, values: tuple[str, ...]) -> list[list[str]]:
        """The lines of each cell of a column (a fixed column's, once)."""
        if index == 0 and self.fixed:
            column = self._fixed.get(values)
            if column is None:
                column = self._fixed[values] = self._wrapped(0, values)
            return column
        return self._wrapped(index, values)

    def _wrapped(self, index: int, values: tuple[str, ...]) -> list[list[str]]:
        lines, room = self.measure.lines, self.rooms[index]
        return [lines(value, room) for value in values]

    def start_height(self, laid: Laid) -> float:
        """The height that must fit where the grid starts: all of it if it is kept together,
        else its header and a line of its first row."""
        return laid.kept or self.head.height() + LEADING + 2 * PADDING

    def draw(self, laid: Laid) -> None:
        """The grid laid out by `lay_out`, on a new page if it does not start where it is."""
        pages = self.pages
        if not pages.at_top() and self.start_height(laid) > pages.room():
            pages.new_page()
        if laid.kept:
            self._place(laid)
            return
        tops = self._start()
        for row in laid.rows():
            tops = self._row(row, tops)
        self._rules(pages.page, tops)

    def _place(self, laid: Laid) -> None:
        """A grid of one-line rows that fits in the room left: its form, then its text."""
        pages = self.pages
        page = pages.page
        form = self._forms.get(laid.count)
        if form is None:
            form = self._forms[laid.count] = self._form(laid.count)
        page.place(form, 0, pages.y - laid.kept)
        cells = zip(*([lines[0] for lines in column] for column in laid.columns), strict=True)
        page.rows(self.starts, pages.y - self.head.height() - PADDING - SIZE,
                  LEADING + 2 * PADDING, cells, FONT, SIZE)
        pages.y -= laid.kept

    def _form(self, count: int) -> str:
        """The header and rules of a grid of `count` one-line rows, as a form."""
        drawing = self.pages.pdf.page()
        height = self.head.height() + count * (LEADING + 2 * PADDING)
        self._header(drawing, height)
        bottom = height - self.head.height()
        self._rules(drawing, [height, *(bottom - row * (LEADING + 2 * PADDING)
                                        for row in range(count + 1))])
        return self.pages.pdf.form(drawing, PAGE_WIDTH, height)

    def _header(self, page: Page, top: float) -> None:
        head = self.head
        page.fill(LEFT, top - head.height(), self.edges[-1] - LEFT, head.height(),
                  HEADER_COLOUR)
        self._cells(page, head, top)

    def _start(self) -> list[float]:
        """The header row, at the top of the grid or of its part on a new page; returns the
        edges of the rows drawn on this page so far."""
        pages = self.pages
        top = pages.y
        self._header(pages.page, top)
        pages.y = top - self.head.height()
        return [top, pages.y]

    def _row(self, row: Row, tops: list[float]) -> list[float]:
        """Draw `row`, continued on further pages if need be; returns the row edges of the
        current page's part of the grid."""
        pages = self.pages
        while row.height() > pages.room():
            fits = int((pages.room() - 2 * PADDING) // LEADING)
            if fits >= 1 and row.count > 1:
                self._cells(pages.page, row.part(0, fits), pages.y)
                pages.y -= row.height(fits)
                tops.append(pages.y)
                row = row.part(fits, row.count)
            self._rules(pages.page, tops)
            pages.new_page()
            tops = self._start()
        self._cells(pages.page, row, pages.y)
        pages.y -= row.height()
        tops.append(pages.y)
        return tops

    def _cells(self, page: Page, row: Row, top: float) -> None:
        """The text of `row`'s cells, its top edge at `top`."""
        baseline = top - PADDING - SIZE
        for x, lines in zip(self.starts, row.cells, strict=True):
            page.lines(x, baseline, LEADING, lines, FONT, SIZE)

    def _rules(self, page: Page, tops: list[float]) -> None:
        page.grid(self.edges, tops, 0.5, RULE_COLOUR)


@cache
def _labelled(record_type: type) -> tuple[tuple[str, str], ...]:
    """(field name, label) of each field of a kind's record, in order."""
    return tuple((field.name, FIELD_LABELS[field.name]) for field in fields(record_type))


def _fields(item: FoundRecord) -> list[tuple[str, str]]:
    """The record's fields that hold something: the person asked for their data, and a
    complaint has some thirty fields, most of them empty for any one case (the workbook of
    the pack keeps every column)."""
    record = item.record
    record_type: type = type(record)  # a class, hashable (the kinds' union of types is not)
    shown = ((label, display_value(getattr(record, name)))
             for name, label in _labelled(record_type))
    return [(label, value) for label, value in shown if value] + _documents(item)


def _documents(item: FoundRecord) -> list[tuple[str, str]]:
    """A row for each of the record's documents: its name, size and when it was added, an
    email's sender, date and subject, and its file in the pack's documents folder."""
    from cscdesk.store.documents import size_text

    rows: list[tuple[str, str]] = []
    for document in item.documents:
        info = document.info
        text = f"{info.name} ({size_text(info.size)}, added {info.added_at:%d/%m/%Y})"
        if info.email is not None:
            sent = f", sent {info.email.sent:%d/%m/%Y %H:%M} UTC" if info.email.sent else ""
            text += f"\nEmail from {info.email.sender or 'an unknown sender'}{sent}"
            if info.email.subject:
                text += f": “{info.email.subject}”"
        text += f"\nFile: {document.file_name}"
        rows.append(("Document", text))
    return rows


def _history(item: FoundRecord) -> list[tuple[str, str, str, str]]:
    return [(f"{event.at:%d/%m/%Y %H:%M}", event.user, event.action,
             json.dumps(event.changes, ensure_ascii=False)) for event in item.history]


def _heading(item: FoundRecord) -> str:
    deleted = (" (deleted; still in the bin)" if item.in_bin
               else " (deleted; found only in its history)" if item.history_only else "")
    case = getattr(item.record, "case_reference", "")  # an action: the case it comes from
    of_case = f" (of {case})" if case else ""
    return f"{item.kind.value}: {item.record.reference}{of_case}{deleted}"


class _Pack:
    """The title, then each record as it is given: its heading, its fields and any history."""

    def __init__(self, pages: Pages, name: str, count: int, folder: str = "") -> None:
        self.pages = pages
        cells = Measure(FONT, SIZE)
        pages.paragraph(Measure(FONT_BOLD, TITLE.size).lines(
            f"Subject access: records mentioning “{name}”", WIDTH), TITLE)
        where = (f" The records' documents are copied, one file each, to the folder "
                 f"“{folder}” beside this file." if folder else "")
        pages.paragraph(Measure(FONT, BODY.size).lines(
            f"Prepared {date.today():%d/%m/%Y}. {count} record(s).{where}", WIDTH), BODY)
        self.bold = Measure(FONT_BOLD, HEADING.size)
        self.fields = Grid(pages, FIELD_COLUMNS, ("Field", "Value"), cells, fixed=True)
        self.history = Grid(pages, HISTORY_COLUMNS, ("When (UTC)", "Who", "Action", "Changes"),
                            cells)

    def add(self, item: FoundRecord) -> None:
        pages, fields, history = self.pages, self.fields, self.history
        heading = self.bold.lines(_heading(item), WIDTH)
        laid = fields.lay_out(_fields(item))
        events = history.lay_out(_history(item)) if item.history else None
        # a record starts on a new page unless its heading and the start of its fields fit,
        # or, when all of it fits on a page, unless all of it fits
        above = HEADING.before + len(heading) * HEADING.leading + HEADING.after
        whole = above + laid.kept + (HISTORY_GAP + events.kept if events else 0)
        kept = laid.kept and (events is None or events.kept)
        needed = whole if kept and whole <= TOP - BOTTOM else above + fields.start_height(laid)
        if not pages.at_top() and needed > pages.room():
            pages.new_page()
        pages.paragraph(heading, HEADING)
        fields.draw(laid)
        if events is not None:
            pages.y -= HISTORY_GAP
            history.draw(events)


@contextlib.contextmanager
def pdf_writer(path: Path, name: str, count: int, folder: str = ""
               ) -> Iterator[Callable[[FoundRecord], None]]:
    """The pack for `name` written to `path` (whole or not at all) as records are given to
    what this yields, page by page; `count` is the number of records it will be given;
    `folder`, the name of the folder of the records' documents beside it, when they have any."""
    register_fonts()
    info = {"Title": f"Subject access: {name}", "Author": "cscdesk", "Creator": "cscdesk"}
    with atomic_path(path) as temporary, temporary.open("wb", buffering=1 << 20) as stream, \
            StreamedPdf(stream, A4, [FONT, FONT_BOLD], info) as pdf:
        pages = Pages(pdf)
        pack = _Pack(pages, name, count, folder)
        yield pack.add
        pages.finish()
        pdf.close()


def write_pdf(found: Sequence[FoundRecord], name: str, path: Path, folder: str = "") -> None:
    """Write the pack for `name` to `path` (whole or not at all)."""
    with pdf_writer(path, name, len(found), folder) as add:
        for item in found:
            add(item)
