"""A PDF written page by page as it is drawn, for documents of tens of thousands of pages.

ReportLab's canvas keeps every page in memory and formats the whole file in memory when it is
saved: for an 80,000-record subject access pack that is some 40,000 pages and far more than
the 400 MB a pack may take. Here each page's content is compressed and written to the file as
soon as it is finished; only the pages' object numbers and the objects' offsets are kept.

What is drawn is deliberately small: text lines at given positions, filled rectangles,
rules, and forms (drawn once, placed as often as wanted, for what every record repeats).
Fonts are ReportLab's TrueType fonts, registered as usual (`register_fonts`): ReportLab
chooses each character's code in a subset of at most 256 glyphs (`TTFont.splitString`, with
this file as the "document" it keeps that state for) and makes each subset's font program
(`makeSubset`), which is embedded at the end with a ToUnicode map, so the text can be
searched and copied (and read back by pdfplumber) as written.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import BinaryIO

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap

CATALOG, PAGES, RESOURCES, INFO = 1, 2, 3, 4  # numbers of the objects written last
FF_SYMBOLIC, FF_NONSYMBOLIC = 1 << 2, 1 << 5  # font descriptor flags (PDF 1.7, 9.8.2)

Runs = tuple[tuple[str, str], ...]  # (font subset's resource name, escaped PDF string)


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def text_string(text: str) -> str:
    """`text` as a PDF text string (UTF-16 with its byte order mark, in hexadecimal): any
    character, and no escaping to get wrong."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class Page:
    """One page's content: the operators drawn so far, in the order drawn."""

    def __init__(self, pdf: StreamedPdf) -> None:
        self._pdf = pdf
        self._parts: list[str] = []
        self._in_text = False
        self._font, self._size = "", 0.0

    def lines(self, x: float, y: float, step: float, lines: Iterable[str], font: str,
              size: float) -> None:
        """Lines one under another, `step` apart, the first with its baseline starting at
        (x, y); an empty line is a gap."""
        self.rows((x,), y, step, ((line,) for line in lines), font, size)

    def rows(self, xs: Sequence[float], y: float, step: float, rows: Iterable[Sequence[str]],
             font: str, size: float) -> None:
        """Rows of text `step` apart, each row's texts starting at `xs`, the first row's
        baseline at `y`; empty texts are skipped. Row by row, so that the text is read
        (copied, spoken) in the order it is seen; in one call, as a pack draws millions.

        Only the first text is placed by coordinates; then each moves from the one before
        by a `Td` that is the same for every row, so a text costs its string alone."""
        parts = self._parts
        if not self._in_text:
            parts.append("BT")
            self._in_text = True
        encode, append = self._pdf.encode, parts.append
        current = self._font if size == self._size else ""  # the subset in use at this size
        starts = [round(x, 2) for x in xs]  # as written, so that the moves add up exactly
        moves = [f"{after - before:.2f} 0 Td" for before, after in pairwise(starts)]
        moves.append(f"{starts[0] - starts[-1]:.2f} {-step:.2f} Td")  # to the next row's start
        append(f"1 0 0 1 {xs[0]:.2f} {y:.2f} Tm")
        for row in rows:
            for line, move in zip(row, moves, strict=True):
                if line:
                    for name, code in encode(font, line):
                        if name != current:
                            append(f"{name} {_fmt(size)} Tf")
                            current = name
                        append(f"({code}) Tj")
                append(move)
        if current:
            self._font, self._size = current, size

    def _graphics(self) -> list[str]:
        if self._in_text:
            self._parts.append("ET")
            self._in_text = False
        return self._parts

    def fill(self, x: float, y: float, width: float, height: float,
             colour: tuple[float, float, float]) -> None:
        """A rectangle filled with `colour` (red, green, blue from 0 to 1), without an edge."""
        red, green, blue = colour
        self._graphics().append(f"{red:.3f} {green:.3f} {blue:.3f} rg {x:.2f} {y:.2f} "
                                f"{width:.2f} {height:.2f} re f 0 g")

    def grid(self, xs: list[float], ys: list[float], width: float,
             colour: tuple[float, float, float]) -> None:
        """The rules of a grid: a vertical one at each x from the first y to the last, and a
        horizontal one at each y from the first x to the last."""
        red, green, blue = colour
        left, right, top, bottom = f"{xs[0]:.2f}", f"{xs[-1]:.2f}", f"{ys[0]:.2f}", f"{ys[-1]:.2f}"
        parts = self._graphics()
        parts.append(f"{red:.3f} {green:.3f} {blue:.3f} RG {_fmt(width)} w")
        parts.extend(f"{x:.2f} {top} m {x:.2f} {bottom} l" for x in xs)
        parts.extend(f"{left} {y:.2f} m {right} {y:.2f} l" for y in ys)
        parts.append("S")

    def place(self, form: str, x: float, y: float) -> None:
        """The form named `form` (see `StreamedPdf.form`) with its origin at (x, y)."""
        self._graphics().append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm /{form} Do Q")

    def content(self) -> bytes:
        return "\n".join(self._graphics()).encode("ascii")


class StreamedPdf:
    """A PDF file written as it is made: `with StreamedPdf(...) as pdf:`, then `page()`, draw
    on it, `end_page(page)`, and at the end `close()`.

    Object numbers 1-4 are reserved for the catalog, the page tree, the resources every page
    shares (the fonts, known only at the end) and the document information."""

    def __init__(self, stream: BinaryIO, size: tuple[float, float], fonts: list[str],
                 info: dict[str, str]) -> None:
        self._out = stream
        # each object's offset in the file, by its number (8 bytes an object: a pack of
        # 200,000 records has half a million), and the pages' object numbers
        self._offsets = array("q", bytes(8 * (INFO + 1)))
        self._next = INFO + 1
        self._pages = array("q")
        self._forms: list[int] = []
        self._size = size
        self._info = info
        self._fonts: dict[str, TTFont] = {}
        self._prefix: dict[str, str] = {}
        for index, name in enumerate(fonts, start=1):
            font = getFont(name)
            if not isinstance(font, TTFont):
                raise TypeError(f"{name} is not a TrueType font")
            self._fonts[name] = font
            self._prefix[name] = f"/F{index}+"
        # ReportLab gives printable ASCII its own codes in each font's first subset (unless
        # told otherwise, rl_config.ttfAsciiReadable): such text needs no look-up at all.
        # Each font's first subset's name where that holds, else "".
        self._plain = {name: self._prefix[name] + "0"
                       if font.splitString(" ~", self) == [(0, b" ~")] else ""
                       for name, font in self._fonts.items()}
        self._written = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        # other text is looked up character by character; the same text in the same font
        # always has the same codes in one file, and labels, names and places repeat
        self.encode: Callable[[str, str], Runs] = lru_cache(maxsize=8192)(self._encode)

    def __enter__(self) -> StreamedPdf:
        return self

    def __exit__(self, *_exc: object) -> None:
        """Forget this file's font subsets (ReportLab keeps them on the shared font objects),
        whether or not the file was finished."""
        for font in self._fonts.values():
            font.state.pop(self, None)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._written += len(data)

    def _new_number(self) -> int:
        self._next += 1
        self._offsets.append(0)
        return self._next - 1

    def _object(self, number: int, body: str | bytes) -> None:
        self._offsets[number] = self._written
        data = body.encode("ascii") if isinstance(body, str) else body
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, data))

    def _stream(self, number: int, data: bytes, extra: str = "", *, small: bool = False) -> None:
        """A stream object, compressed. A `small` one (a page's content, a few kilobytes) with
        a 4 kB window and less memory: zlib's default state takes longer to set up than such
        a page takes to compress (25 µs a page instead of 80-100, as small a result)."""
        if small:
            packer = zlib.compressobj(6, zlib.DEFLATED, 12, 4)
            packed = packer.compress(data) + packer.flush()
        else:
            packed = zlib.compress(data, 6)
        self._object(number, b"<< /Filter /FlateDecode /Length %d%s >>\nstream\n%s\nendstream"
                     % (len(packed), extra.encode("ascii"), packed))

    def _encode(self, font: str, text: str) -> Runs:
        """`text` as runs of (font subset's resource name, escaped PDF string)."""
        plain = self._plain[font]
        if plain and text.isascii() and text.isprintable():
            return ((plain, escapePDF(text.encode("ascii"))),)
        prefix = self._prefix[font]
        return tuple((f"{prefix}{subset}", escapePDF(codes))
                     for subset, codes in self._fonts[font].splitString(text, self))

    def page(self) -> Page:
        return Page(self)

    def end_page(self, page: Page) -> None:
        """Write `page` to the file; nothing of it is kept but its object number."""
        content, number = self._new_number(), self._new_number()
        self._stream(content, page.content(), small=True)
        width, height = self._size
        self._object(number, f"<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 "
                             f"{_fmt(width)} {_fmt(height)}] /Resources {RESOURCES} 0 R "
                             f"/Contents {content} 0 R >>")
        self._pages.append(number)

    def form(self, drawing: Page, width: float, height: float) -> str:
        """Write what is drawn on `drawing` (from (0, 0) to (width, height)) as a form XObject:
        drawn once, placed on any page at the cost of one operator. Returns its name."""
        number = self._new_number()
        self._stream(number, drawing.content(),
                     f" /Type /XObject /Subtype /Form /BBox [0 0 {_fmt(width)} {_fmt(height)}]"
                     f" /Resources {RESOURCES} 0 R", small=True)
        self._forms.append(number)
        return f"Fm{len(self._forms)}"

    def close(self) -> None:
        """Write the fonts, the shared resources, the page tree and the cross-reference table."""
        fonts = [f"{self._prefix[font.fontName]}{subset} {number} 0 R"
                 for font in self._fonts.values() for subset, number in self._embed(font)]
        forms = " ".join(f"/Fm{index} {number} 0 R"
                         for index, number in enumerate(self._forms, start=1))
        self._object(RESOURCES, f"<< /Font << {' '.join(fonts)} >> /XObject << {forms} >> "
                                "/ProcSet [/PDF /Text] >>")
        self._object(PAGES, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
            len(self._pages), b" ".join(b"%d 0 R" % number for number in self._pages)))
        self._object(CATALOG, f"<< /Type /Catalog /Pages {PAGES} 0 R >>")
        info = " ".join(f"/{key} {text_string(value)}" for key, value in self._info.items())
        self._object(INFO, f"<< {info} >>")
        start = self._written
        count = self._next
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        offsets = self._offsets
        for first in range(1, count, 10_000):  # written in parts, not made whole first
            self._write(b"".join(b"%010d 00000 n \n" % offsets[number]
                                 for number in range(first, min(first + 10_000, count))))
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                    % (count, CATALOG, INFO, start))

    def _embed(self, font: TTFont) -> list[tuple[int, int]]:
        """Each subset of `font` used in this file as a TrueType font with its glyphs, widths
        and ToUnicode map: [(subset, font object number)]."""
        state = font.state.pop(self, None)
        if state is None:
            return []
        face = font.face
        result = []
        for subset, codes in enumerate(state.subsets):
            base = f"{_tag(subset)}+{face.name.decode('latin-1')}"
            program, descriptor = self._new_number(), self._new_number()
            unicode_map, number = self._new_number(), self._new_number()
            glyphs = face.makeSubset(codes)
            self._stream(program, glyphs, f" /Length1 {len(glyphs)}")
            flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
            bbox = " ".join(str(value) for value in face.bbox)
            self._object(descriptor, (
                f"<< /Type /FontDescriptor /FontName /{base} /Flags {flags} "
                f"/FontBBox [{bbox}] /ItalicAngle {face.italicAngle} /Ascent {face.ascent} "
                f"/Descent {face.descent} /CapHeight {face.capHeight} /StemV {face.stemV} "
                f"/MissingWidth {face.defaultWidth} /FontFile2 {program} 0 R >>"))
            self._stream(unicode_map, makeToUnicodeCMap(base, codes).encode("ascii"))
            widths = " ".join(_fmt(face.getCharWidth(code)) for code in codes)
            self._object(number, (
                f"<< /Type /Font /Subtype /TrueType /BaseFont /{base} /FirstChar 0 "
                f"/LastChar {len(codes) - 1} /Widths [{widths}] /FontDescriptor {descriptor} 0 R "
                f"/ToUnicode {unicode_map} 0 R >>"))
            result.append((subset, number))
        return result


def _tag(subset: int) -> str:
    """The six capital letters that name a font subset (PDF 1.7, 9.6.4), one tag per subset."""
    letters = []
    for _ in range(6):
        subset, rest = divmod(subset, 26)
        letters.append(chr(ord("A") + rest))
    return "".join(reversed(letters))
