"""The appendix's blocks (`blocks.py`) as a Word document that is accessible by construction.

Councils publish committee papers as Word files and must meet the accessibility regulations,
so nothing here is left for Word's accessibility checker to flag: headings are the built-in
Heading 1 (the title) and Heading 2 (each section), in order; body text, notes, bullets and
table cells each have a paragraph style, so the council's template restyles them all; tables
are real tables whose shaded header row is marked to repeat on every page; each chart is a
picture with its description as alternative text; the language is en-GB in the properties and
in the styles, so spell-checking and screen readers read English as English.

The font is Arial: it is on every Windows and Mac PC and in Word for the web (LibreOffice
prints it in the metric-compatible Liberation Sans), and it is the sans serif that councils'
accessible-document guidance asks for. Body text is 11 pt, Word's own default size.

The body is written as XML text (`docx_parts`) because python-docx's table API is far too slow
for a table of thousands of lines; python-docx does the rest (styles, page, footer, picture
parts, properties).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement, parse_xml
from docx.oxml.shape import CT_Inline
from docx.oxml.text.font import CT_RPr
from docx.section import Section
from docx.shared import Emu, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.styles.styles import Styles

from cscdesk.report import blocks
from cscdesk.report import docx_parts as parts

FONT = "Arial"
BODY_SIZE = 11
NOTE_COLOUR = RGBColor(0x40, 0x40, 0x40)  # the PDF's note grey; 10:1 contrast on white
CHART_DPI = 200
FOOTER_DISTANCE = 0.8 * blocks.CM  # from the page's bottom edge, as the PDF's footer


@dataclass(frozen=True)
class DocumentInfo:
    """What the document says about itself (File > Info in Word) and prints in its footer."""

    title: str  # the appendix title, also the document's title property
    author: str  # the council
    subject: str
    footer: str  # "<council> – <service>", printed at the left of every page's footer
    language: str = "en-GB"


def render(items: Iterable[blocks.Block], info: DocumentInfo, stream: BinaryIO) -> None:
    """Write the blocks as a .docx document to a binary stream."""
    document = Document()
    section = document.sections[0]
    _page(section)
    _styles(document, info.language)
    _footer(document, section, info.footer)
    _properties(document, info)
    _settings(document, info.language)
    _drop_thumbnail(document)
    _body(document, items)
    document.save(stream)


def _body(document: WordDocument, items: Iterable[blocks.Block]) -> None:
    """The blocks in order, written as one XML text with the template's section properties at
    its end, parsed once and made the document's part.

    Parsing in place of moving: lxml moves an element between documents in time that grows
    with the square of its size (a 2,000-row table took 2 seconds), so nothing is built
    elsewhere and moved in.
    """
    pending: list[str] = []
    heading = ""  # the section a table belongs to: its title for screen readers
    space = 0.0  # a Gap not yet written
    after_table = False
    charts = 0
    listed = list(items)
    for index, block in enumerate(listed):
        following = listed[index + 1] if index + 1 < len(listed) else None
        if isinstance(block, blocks.Gap):
            space += block.points
            continue
        if space or (after_table and isinstance(block, blocks.Table)):
            pending.append(parts.gap(space or parts.SEPARATOR))  # Word joins touching tables
            space = 0.0
        after_table = isinstance(block, blocks.Table) and bool(block.rows)
        if isinstance(block, blocks.Title | blocks.Heading):
            heading = block.text
            style = parts.TITLE_STYLE if isinstance(block, blocks.Title) else parts.HEADING_STYLE
            pending.append(parts.paragraph(style, parts.run(block.text)))
        elif isinstance(block, blocks.Paragraph):
            # the sentence that leads into a chart stays on the chart's page
            pending.append(parts.block_paragraph(
                block, keep_next=isinstance(following, blocks.Chart)))
        elif isinstance(block, blocks.Table):
            if block.rows:
                pending.append(parts.table(block, blocks.TEXT_WIDTH, heading))
        else:
            charts += 1
            pending.append(_picture(document, block, charts))
    if after_table or space:
        pending.append(parts.gap(space or 1))  # a document ends with a paragraph, as in Word
    template = document.element.xml
    opening = "<w:body>"
    if template.count(opening) != 1:  # pragma: no cover - python-docx's own template
        raise RuntimeError("python-docx's template has no plain <w:body> to write into")
    at = template.index(opening) + len(opening)
    whole = parse_xml(template[:at] + "".join(pending) + template[at:])
    document.part._element = whole  # the part's XML: what `save` writes


def _picture(document: WordDocument, block: blocks.Chart, number: int) -> str:
    """The chart as a PNG the text's width, in a paragraph of its own, with its title and
    description as the picture's alternative text."""
    from cscdesk.report.chart_png import png_bytes

    width, height = blocks.TEXT_WIDTH, blocks.TEXT_WIDTH * blocks.CHART_RATIO
    png = png_bytes(block.chart, width, height, dpi=CHART_DPI)
    rid, image = document.part.get_or_add_image(io.BytesIO(png))
    inline = CT_Inline.new_pic_inline(number, rid, image.filename, Emu(round(width * 12700)),
                                      Emu(round(height * 12700)))
    described = inline.docPr
    described.set("name", f"Chart {number}")
    described.set("descr", parts.clean(block.description))
    described.set("title", parts.clean(block.chart.title))
    drawing = inline.xml
    # kept on one page with the table of its figures beneath
    return parts.paragraph("Normal", f"<w:r><w:drawing>{drawing}</w:drawing></w:r>",
                           parts.KEEP_NEXT)


def _page(section: Section) -> None:
    section.page_width = Twips(round(blocks.PAGE_WIDTH * 20))
    section.page_height = Twips(round(blocks.PAGE_HEIGHT * 20))
    margin = Twips(round(blocks.MARGIN * 20))
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = Twips(round(FOOTER_DISTANCE * 20))


def _plain_font(rpr: CT_RPr, size: float | None = None) -> None:
    """Arial for every script, with no theme font (a theme font overrides a named one)."""
    fonts = rpr.get_or_add_rFonts()
    fonts.attrib.clear()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    if size is not None:
        rpr.sz_val = Pt(size)
        for complex_size in rpr.findall(qn("w:szCs")):  # the size of right-to-left scripts
            complex_size.set(qn("w:val"), str(round(size * 2)))


def _styles(document: WordDocument, language: str) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    default_run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert isinstance(default_run, CT_RPr)
    _plain_font(default_run)
    lang = default_run.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        default_run.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)

    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = Pt(BODY_SIZE)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before, after in (("Heading 1", 16, 0, 12), ("Heading 2", 13, 12, 4)):
        style = styles[name]
        assert isinstance(style, ParagraphStyle)
        _plain_font(style.element.get_or_add_rPr(), size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        linked = styles[f"{name} Char"]  # what Word shows when the style is applied to text
        _plain_font(linked.element.get_or_add_rPr(), size)
        linked.font.color.rgb = RGBColor(0, 0, 0)

    _paragraph_style(styles, "Note", "Normal", size=9, before=3, after=6, colour=NOTE_COLOUR)
    _paragraph_style(styles, "Table Text", "Normal", size=parts.CELL_SIZE, after=0, single=True)
    _paragraph_style(styles, "Table Heading", "Table Text", size=parts.HEADER_SIZE, bold=True)
    _paragraph_style(styles, "Table Theme", "Table Text", bold=True, after=3)
    _paragraph_style(styles, "Table Line", "Table Text", size=parts.LINE_SIZE, after=3)
    _table_style(styles)
    _footer_style(styles)


def _paragraph_style(styles: Styles, name: str, base: str, *, size: float | None = None,
                     bold: bool = False, before: float | None = None,
                     after: float | None = None, single: bool = False,
                     colour: RGBColor | None = None) -> None:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    based_on = styles[base]
    assert isinstance(based_on, ParagraphStyle)
    style.base_style = based_on
    style.next_paragraph_style = based_on
    style.quick_style = name == "Note"  # in the Styles gallery; the table ones are in the list
    if size is not None:
        style.font.size = Pt(size)
    if bold:
        style.font.bold = True
    if colour is not None:
        style.font.color.rgb = colour
    layout = style.paragraph_format
    if before is not None:
        layout.space_before = Pt(before)
    if after is not None:
        layout.space_after = Pt(after)
    if single:
        layout.line_spacing = 1.0


def _table_style(styles: Styles) -> None:
    """Table Grid's cell margins made the PDF's 3 pt padding."""
    margin = str(round(parts.CELL_MARGIN * 20))
    for side in styles["Table Grid"].element.xpath("./w:tblPr/w:tblCellMar/*"):
        side.set(qn("w:w"), margin)


def _footer_style(styles: Styles) -> None:
    """Small print under a rule, one right tab stop at the text's edge for the page number."""
    footer = styles["Footer"]
    assert isinstance(footer, ParagraphStyle)
    footer.font.size = Pt(8)
    tabs = footer.paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Twips(round(blocks.TEXT_WIDTH * 20)), WD_TAB_ALIGNMENT.RIGHT)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top", {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "4",
                                qn("w:color"): "404040"})
    border.append(top)
    footer.element.get_or_add_pPr().insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")


def _footer(document: WordDocument, section: Section, text: str) -> None:
    """`text` at the left, "Page X of Y" at the right (fields Word fills in).

    The footer part is made here from its XML, not from python-docx's template file, which
    it finds through a folder a frozen bundle does not have (`docx/parts/../templates`).
    """
    from docx.enum.section import WD_HEADER_FOOTER
    from docx.opc.constants import CONTENT_TYPE
    from docx.oxml.ns import nsdecls
    from docx.parts.hdrftr import FooterPart

    content = (parts.run(text) + "<w:r><w:tab/></w:r>" + parts.run("Page ")
               + parts.field("PAGE") + parts.run(" of ") + parts.field("NUMPAGES"))
    package = document.part.package
    footer = FooterPart(package.next_partname("/word/footer%d.xml"), CONTENT_TYPE.WML_FOOTER,
                        parse_xml(f'<w:ftr {nsdecls("w", "r")}>'
                                  f'{parts.paragraph("Footer", content)}</w:ftr>'), package)
    relation = document.part.relate_to(footer, RT.FOOTER)
    section._sectPr.add_footerReference(WD_HEADER_FOOTER.PRIMARY, relation)


def _properties(document: WordDocument, info: DocumentInfo) -> None:
    properties = document.core_properties
    properties.title = parts.clean(info.title)[:255]
    properties.author = parts.clean(info.author)[:255]
    properties.subject = parts.clean(info.subject)[:255]
    properties.language = info.language
    properties.comments = ""  # the template says "generated by python-docx"
    properties.last_modified_by = ""
    properties.revision = 1
    now = datetime.now(UTC).replace(microsecond=0)  # the template carries a 2013 date
    properties.created = properties.modified = now


def _settings(document: WordDocument, language: str) -> None:
    """Word 2013+ mode (no "Compatibility Mode" in the title bar), theme language en-GB, and no
    claim that spelling was already checked."""
    settings = document.settings.element
    for mode in settings.xpath("./w:compat/w:compatSetting[@w:name='compatibilityMode']"):
        mode.set(qn("w:val"), "15")
    for theme in settings.xpath("./w:themeFontLang"):
        theme.set(qn("w:val"), language)
    for proof in settings.xpath("./w:proofState"):
        settings.remove(proof)


def _drop_thumbnail(document: WordDocument) -> None:
    """The template's thumbnail shows a blank page: better none."""
    relationships = document.part.package.rels
    for rid in [rid for rid, rel in relationships.items() if rel.reltype == RT.THUMBNAIL]:
        relationships.pop(rid)
