"""The Word version's body blocks as WordprocessingML text, parsed once per block.

A root-cause table can hold thousands of lines, and python-docx's own table API costs time in
proportion to the table for every cell it touches; writing the XML as text and letting lxml
parse it in one go is about a hundred times faster. Every string from the records passes
through `_text` (characters XML 1.0 cannot hold are dropped, then escaped), and lxml parses
each block before it joins the document, so a mistake fails the export instead of writing a
file Word cannot open.

Paragraphs refer to styles by id only (defined in `docx_render`), so the council's template
can restyle every heading, note, bullet and table cell by its style.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement

from cscdesk.report import blocks

# Style ids, as Word names them in styles.xml (built-in ones have fixed ids).
TITLE_STYLE = "Heading1"
HEADING_STYLE = "Heading2"
PARAGRAPH_STYLES: dict[blocks.ParagraphStyle, str] = {
    "body": "Normal", "note": "Note", "bullet": "ListBullet"}
HEADER_CELL_STYLE = "TableHeading"
CELL_STYLES: dict[blocks.CellStyle, str] = {
    "cell": "TableText", "cell_theme": "TableTheme", "cell_line": "TableLine"}

HEADER_FILL = "D9E2F3"  # the PDF's shaded header row
CELL_MARGIN = 3.0  # points, left and right, as the PDF's cell padding
# Font sizes of the table styles (defined in `docx_render`), which `fitted_widths` fits.
CELL_SIZE = 9.0
HEADER_SIZE = 8.5  # smaller, as the PDF's, so ten columns of headings fit the page's width
LINE_SIZE = 8.5
SEPARATOR = 6.0  # points between two tables that follow each other without a Gap

_W = nsdecls("w")
# XML 1.0 allows tab, newline, carriage return and these ranges; anything else (NUL, the
# other C0 controls, lone surrogates, U+FFFE/U+FFFF) would make the file unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What `_text` must look at more closely: control characters (tab and newline among them),
# surrogates and the two non-characters; most table cells have none.
_SPECIAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text Word can hold: newlines unified, a vertical tab (Word's own manual line break,
    which pasting from Word can bring) made a newline, other disallowed characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _NOT_XML.sub("", text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute(text: str) -> str:
    """A cleaned, quoted attribute value (newlines and tabs kept as character references)."""
    return quoteattr(clean(text))


def _text(text: str) -> str:
    """Run content: text pieces with a line break for each newline and a tab for each tab."""
    if not _SPECIAL.search(text):
        return f'<w:t xml:space="preserve">{_escape(text)}</w:t>'
    lines = []
    for line in clean(text).split("\n"):
        lines.append("<w:tab/>".join(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>'
                                     if piece else "" for piece in line.split("\t")))
    return "<w:br/>".join(lines)


def run(text: str, bold: bool = False) -> str:
    if not text:
        return ""
    return f"<w:r>{'<w:rPr><w:b/><w:bCs/></w:rPr>' if bold else ''}{_text(text)}</w:r>"


def paragraph(style: str, runs: str, properties: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{properties}</w:pPr>{runs}</w:p>'


def field(instruction: str, shown: str = "1") -> str:
    """A field Word works out when it lays the page out (PAGE, NUMPAGES); `shown` until then."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


KEEP_NEXT = "<w:keepNext/>"  # on the same page as the next paragraph (or table row)


def block_paragraph(block: blocks.Paragraph, *, keep_next: bool = False) -> str:
    runs = "".join(run(item.text, item.bold) for item in block.runs)
    return paragraph(PARAGRAPH_STYLES[block.style], runs, KEEP_NEXT if keep_next else "")


def gap(points: float) -> str:
    """An empty paragraph exactly `points` high: the one way to keep two tables apart (Word
    joins tables that touch), and a single empty paragraph, never a run of them."""
    height = max(1, round(points * 20))
    return paragraph("Normal", "", f'<w:spacing w:before="0" w:after="0" w:line="{height}" '
                                   'w:lineRule="exact"/>')


def elements(xml: str) -> list[BaseOxmlElement]:
    """Body elements (paragraphs, tables) parsed from their text in one go."""
    return list(parse_xml(f"<w:body {_W}>{xml}</w:body>"))


def table(block: blocks.Table, total_width: float, caption: str = "") -> str:
    """A Word table in the "Table Grid" style: the first row a bold, shaded header row that
    repeats on every page and never splits; other rows may break across pages. `caption`
    becomes the table's title for screen readers (Table Properties, Alt Text)."""
    columns = max(len(row) for row in block.rows)
    rows = [row + ("",) * (columns - len(row)) for row in block.rows]
    widths = (list(block.widths) if block.widths and len(block.widths) == columns
              else fitted_widths(rows, total_width))
    twips = [max(1, round(width * 20)) for width in widths]
    twips[-1] = max(1, round(sum(widths) * 20) - sum(twips[:-1]))  # rounding adds nothing
    title = f"<w:tblCaption w:val={attribute(caption)}/>" if caption.strip() else ""
    parts = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        f'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>{title}</w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{width}"/>' for width in twips), "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
    for cell, width in zip(rows[0], twips, strict=True):
        parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                     f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>')
        if isinstance(cell, str):
            parts.append(paragraph(HEADER_CELL_STYLE, run(cell)))
        else:
            parts.append("".join(paragraph(HEADER_CELL_STYLE, run(line.text)) for line in cell)
                         or paragraph(HEADER_CELL_STYLE, ""))
        parts.append("</w:tc>")
    parts.append("</w:tr>")
    openings = [f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>' for width in twips]
    plain = f'<w:p><w:pPr><w:pStyle w:val="{CELL_STYLES["cell"]}"/></w:pPr>'
    for row in rows[1:]:
        parts.append("<w:tr>")
        for cell, opening in zip(row, openings, strict=True):
            parts.append(opening)
            if isinstance(cell, str):
                parts.append(f"{plain}{run(cell)}</w:p>")
            else:
                parts.append("".join(paragraph(CELL_STYLES[line.style], run(line.text))
                                     for line in cell) or f"{plain}</w:p>")
            parts.append("</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def fitted_widths(rows: Sequence[Sequence[blocks.Cell]], total: float) -> list[float]:
    """Column widths that fit each column's longest word, the rest of `total` shared equally
    (as the PDF's `layout.fitted_widths`); squeezed in proportion when the words need more.

    Words are measured in Helvetica, whose widths Arial was made to share, from ReportLab's
    built-in metrics: no font file is read, and the reader's Arial breaks lines where we did.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    needed = []
    for index in range(len(rows[0])):
        head = blocks.cell_text(rows[0][index]).split()
        words = {word for row in rows[1:] for word in blocks.cell_text(row[index]).split()}
        widest = max([*(stringWidth(word, "Helvetica-Bold", HEADER_SIZE) for word in head),
                      *(stringWidth(word, "Helvetica", CELL_SIZE) for word in words)], default=0.0)
        needed.append(widest + 2 * CELL_MARGIN + 1)
    if sum(needed) > total:
        return [width * total / sum(needed) for width in needed]
    spare = (total - sum(needed)) / len(needed)
    return [width + spare for width in needed]
