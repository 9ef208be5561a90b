"""The Word version of the appendix: every block type rendered, read back with python-docx, and
checked for what Word's accessibility checker looks at (heading styles in order, table header
rows, alternative text, title and language) and for text that must come back exactly as given.
"""

from __future__ import annotations

import io
import itertools
import time
from datetime import UTC, datetime, timedelta

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from cscdesk.report import blocks
from cscdesk.report.charts import BarChart, Series
from cscdesk.report.docx_render import DocumentInfo, render

TRICKY = "AT&T <North> “quoted” 'single' £1800 café – naïve > 5 & < 10"
INFO = DocumentInfo(title=f"Complaints & Representations 2018/19 {TRICKY}",
                    author="Anytown & District Council",
                    subject="Children's Social Care complaints 2018/19",
                    footer=f"Anytown & District Council – Children's Social Care <{TRICKY}>")
CHART = BarChart("Stage 1 complaints by year", ("2016/17", "2017/18", "2018/19"),
                 (Series("Stage 1", (30.0, None, 39.0)),))
LEARNING = (blocks.CellLine("Communication & <care>", "cell_theme"),
            blocks.CellLine("Tell families “promptly” when plans change.", "cell_line"),
            blocks.CellLine("Second line\nwith a break.", "cell_line"))
COMPARISON = blocks.table([
    ["Feedback:", "Initial Feedback", "Stage 1 complaints", "Stage 2 complaints",
     "Stage 3 complaints", "Alternative Dispute Resolution Cases", "Cases closed in period*",
     "Cases Cancelled", "% of complaints upheld in period",
     "% timeliness of response for those due in period"],
    ["2018/19", "62", "39", "2", "0", "1", "35", "4", "51%", "80%"],
    ["Difference", "+12", "-1", "+1", "N/A", "+1", "+5", "+1", "+11%", "+10%"]])
ROOT_CAUSES = blocks.table(
    [["Root cause analysis and learning from upheld complaints:", "Root Cause 1", "Root Cause 2"],
     ["Learning for 2018/19", LEARNING, ()]], [90.7, 207.0, 207.0], long=True)
TEAMS = blocks.table([["MP Enquiries", "Number by Team"], [f"Team {TRICKY}", "<5"]],
                     [269.3, 113.4])
MEMBERS = blocks.table([["Members Enquiries", "Number by Team"], ["Team C", "1"]],
                       [269.3, 113.4])
EMPTY = blocks.table([["Service Area", "Total Received"]], [269.3, 113.4])

SAMPLE: list[blocks.Block] = [
    blocks.Title(INFO.title),
    blocks.Heading("Volume of Representations – 2017/18 vs 2018/19:"),
    blocks.Paragraph((blocks.Run("A total of "), blocks.Run("184", bold=True),
                      blocks.Run(" were received, compared to "), blocks.Run("158", bold=True),
                      blocks.Run(f". {TRICKY}"))),
    blocks.text("Figures entered by hand for 2017/18.", "note"),
    blocks.Heading("Complaints – 2017/18 vs 2018/19:"),
    COMPARISON,
    blocks.Heading("Root cause analysis and associated learning:"),
    ROOT_CAUSES,
    blocks.Heading(f"Enquiries {TRICKY}"),
    blocks.text("12 MP", "bullet"),
    blocks.text("3 Members", "bullet"),
    TEAMS,
    blocks.Gap(6),
    MEMBERS,
    EMPTY,  # straight after a table, with no Gap: Word would join the two
    blocks.Heading("Trends:"),
    blocks.Chart(CHART, f"Stage 1 complaints rose from 30 to 39; {TRICKY}."),
    blocks.text("Line one\nline two\r\nline three\x0bline four"),
    blocks.text("Null\x00 and bell\x07 and escape\x1b and \ufffe are dropped;\ttabs stay."),
]
TABLES = [COMPARISON, ROOT_CAUSES, TEAMS, MEMBERS, EMPTY]


def _render(items: list[blocks.Block], info: DocumentInfo = INFO) -> bytes:
    stream = io.BytesIO()
    render(items, info, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return _render(SAMPLE)


@pytest.fixture
def document(rendered: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(rendered))


def test_headings_are_heading_1_then_heading_2_in_order(document: WordDocument) -> None:
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style is not None and (p.style.name or "").startswith("Heading")]
    expected_texts = [b.text for b in SAMPLE if isinstance(b, blocks.Title | blocks.Heading)]
    assert [text for _, text in headings] == expected_texts
    assert [name for name, _ in headings] == ["Heading 1"] + ["Heading 2"] * 5
    # Word's styles say what level each is: 1 then 2, no level skipped.
    levels = [int(name.split()[-1]) for name, _ in headings]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_paragraph_styles_bold_runs_and_notes(document: WordDocument) -> None:
    volume = next(p for p in document.paragraphs if p.text.startswith("A total of"))
    assert volume.style is not None and volume.style.name == "Normal"
    assert [(run.text, bool(run.bold)) for run in volume.runs] == [
        ("A total of ", False), ("184", True), (" were received, compared to ", False),
        ("158", True), (f". {TRICKY}", False)]
    note = next(p for p in document.paragraphs if p.text.startswith("Figures entered"))
    assert note.style is not None and note.style.name == "Note"
    note_style, normal = document.styles["Note"], document.styles["Normal"]
    assert note_style.base_style is not None and note_style.base_style.name == "Normal"
    assert note_style.font.size < normal.font.size  # small print
    assert not note_style.font.italic
    bullets = [p.text for p in document.paragraphs
               if p.style is not None and p.style.name == "List Bullet"]
    assert bullets == ["12 MP", "3 Members"]


def test_normal_font_and_black_headings(document: WordDocument) -> None:
    assert document.styles["Normal"].font.size == Pt(11)
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}"
                                            f"/{qn('w:rPr')}")
    assert defaults is not None
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts is not None
    # Named fonts only: a theme font attribute would win over them.
    assert dict(fonts.attrib) == {qn(f"w:{s}"): "Arial" for s in ("ascii", "hAnsi", "eastAsia",
                                                                  "cs")}
    lang = defaults.find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:val")) == "en-GB"
    for name in ("Heading 1", "Heading 2"):
        color = document.styles[name].element.rPr.color
        assert color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None


def test_every_table_cell_as_in_the_blocks(document: WordDocument) -> None:
    assert len(document.tables) == len(TABLES)
    for table, block in zip(document.tables, TABLES, strict=True):
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        assert cells == [[blocks.cell_text(cell) for cell in row] for row in block.rows]


def test_header_row_repeats_is_shaded_and_bold(document: WordDocument) -> None:
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].xpath("./w:trPr/w:tblHeader") and rows[0].xpath("./w:trPr/w:cantSplit")
        for row in rows[1:]:  # other rows may break across pages and do not repeat
            assert not row.xpath("./w:trPr")
        assert set(rows[0].xpath("./w:tc/w:tcPr/w:shd/@w:fill")) == {"D9E2F3"}
        assert table.style is not None and table.style.name == "Table Grid"
        header = table.rows[0].cells[0].paragraphs[0]
        assert header.style is not None and header.style.name == "Table Heading"
    assert document.styles["Table Heading"].font.bold
    # The section's heading is each table's title for screen readers.
    captions = [t._tbl.xpath("./w:tblPr/w:tblCaption/@w:val")[0] for t in document.tables]
    assert captions == ["Complaints – 2017/18 vs 2018/19:",
                        "Root cause analysis and associated learning:",
                        *[f"Enquiries {TRICKY}"] * 3]


def test_cell_lines_are_paragraphs_in_their_styles(document: WordDocument) -> None:
    learning = document.tables[1].rows[1].cells[1].paragraphs
    assert [(p.style.name if p.style else None, p.text) for p in learning] == [
        ("Table Theme", "Communication & <care>"),
        ("Table Line", "Tell families “promptly” when plans change."),
        ("Table Line", "Second line\nwith a break.")]
    assert document.styles["Table Theme"].font.bold
    empty = document.tables[1].rows[1].cells[2]
    assert [p.text for p in empty.paragraphs] == [""]  # a cell always holds a paragraph


def test_column_widths(document: WordDocument) -> None:
    def grid(index: int) -> list[int]:
        return [int(w) for w in document.tables[index]._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]

    # Points to twentieths of a point: 90.7 pt = 1814 twips, 207 pt = 4140.
    assert grid(1) == [1814, 4140, 4140]
    assert grid(2) == [5386, 2268]  # 269.3 and 113.4 pt
    # No widths: fitted to the words, and together the text's width, 504.57 pt = 10091 twips.
    fitted = grid(0)
    assert sum(fitted) == round(blocks.TEXT_WIDTH * 20)
    # "complaints" in bold 8.5 pt Arial is 44.9 pt wide (Helvetica's widths, 5.279 em), plus
    # 3 pt of cell margin on each side: each column is at least 50.9 pt = 1018 twips.
    assert min(fitted[2:5]) >= 1018
    assert document.tables[0]._tbl.xpath("./w:tblPr/w:tblLayout/@w:type") == ["fixed"]


def test_tables_never_touch(document: WordDocument) -> None:
    """Word joins two tables with nothing between them into one, so a Gap or, without one, a
    small empty paragraph always separates them; the document ends with a paragraph."""
    body = [child.tag for child in document.element.body]
    for first, second in itertools.pairwise(body):
        assert not (first == qn("w:tbl") and second == qn("w:tbl"))
    assert body[-1] == qn("w:sectPr") and body[-2] == qn("w:p")
    # The Gap of 6 pt between the MP and Members tables: one paragraph exactly 120 twips high.
    tables = [i for i, tag in enumerate(body) if tag == qn("w:tbl")]
    gap = document.element.body[tables[2] + 1]
    assert gap.xpath("string(.)") == ""
    assert gap.xpath("./w:pPr/w:spacing/@w:line") == ["120"]


def test_chart_picture_with_alternative_text(document: WordDocument) -> None:
    (described,) = document.element.body.xpath(".//wp:docPr")
    assert described.get("descr") == f"Stage 1 complaints rose from 30 to 39; {TRICKY}."
    assert described.get("title") == CHART.title
    (shape,) = document.inline_shapes
    assert shape.width == Pt(blocks.TEXT_WIDTH)
    assert abs(shape.height - Pt(blocks.TEXT_WIDTH * blocks.CHART_RATIO)) <= 1
    assert shape._inline.graphic.graphicData.pic.blipFill.blip.embed in document.part.rels
    # In a paragraph of its own.
    (paragraph,) = [p for p in document.paragraphs if p._p.xpath(".//w:drawing")]
    assert paragraph.text == "" and len(paragraph.runs) == 1


def test_page_and_footer(document: WordDocument) -> None:
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))  # A4
    margin = Twips(round(blocks.MARGIN * 20))
    assert (section.left_margin, section.right_margin, section.top_margin,
            section.bottom_margin) == (margin,) * 4
    (footer,) = section.footer.paragraphs
    assert footer.style is not None and footer.style.name == "Footer"
    assert footer.text.split("\t")[0] == INFO.footer
    instructions = [t.strip() for t in footer._p.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.endswith("\tPage 1 of 1")  # until Word fills the fields in
    (tab,) = document.styles["Footer"].paragraph_format.tab_stops
    assert tab.alignment.name == "RIGHT"


def test_core_properties(document: WordDocument) -> None:
    properties = document.core_properties
    assert properties.title == INFO.title
    assert properties.author == INFO.author
    assert properties.subject == INFO.subject
    assert properties.language == "en-GB"
    assert properties.comments == ""
    now = datetime.now(UTC)
    assert properties.created is not None and properties.modified is not None
    assert now - timedelta(minutes=5) < properties.created.replace(tzinfo=UTC) <= now
    assert properties.modified == properties.created


def test_line_breaks_and_characters_xml_cannot_hold(document: WordDocument) -> None:
    texts = [p.text for p in document.paragraphs]
    # Newline, CR LF and Word's own vertical tab all become line breaks.
    assert "Line one\nline two\nline three\nline four" in texts
    assert "Null and bell and escape and  are dropped;\ttabs stay." in texts
    lines = next(p for p in document.paragraphs if p.text.startswith("Line one"))
    assert len(lines._p.xpath(".//w:br")) == 3


def test_nothing_but_xml_characters_anywhere(rendered: bytes) -> None:
    """A title, footer or description with control characters still makes a readable file."""
    info = DocumentInfo(title="Title\x00\x0b", author="Council\x01", subject="S\x1f",
                        footer="Footer\x00 text")
    data = _render([blocks.Title("T\x00"), blocks.Chart(CHART, "Alt\x00\x0btext")], info)
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.title == "Title\n"
    assert document.sections[0].footer.paragraphs[0].text.startswith("Footer text\t")
    (described,) = document.element.body.xpath(".//wp:docPr")
    assert described.get("descr") == "Alt\ntext"


def test_a_long_appendix_renders_quickly() -> None:
    """Thousands of rows and a cell of hundreds of lines, in well under a second (about 0.1 s
    here); building the tables elsewhere and moving them in took seconds, growing with the
    square of a table's size."""
    rows = [["Team", "Volume", "% Upheld"],
            *([f"Team {i} & <co>", str(i), f"{i % 100}% ({i % 7})"] for i in range(3000))]
    lines = tuple(blocks.CellLine(f"Learning {i}: tell families when plans change.", "cell_line")
                  for i in range(500))
    items: list[blocks.Block] = [blocks.Title("Appendix"), blocks.table(rows),
                                 blocks.table([["Learning", "Root Cause 1"], ["2018/19", lines]],
                                              long=True)]
    started = time.perf_counter()
    data = _render(items)
    assert time.perf_counter() - started < 2.0
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables[0].rows) == 3001
    assert len(document.tables[1].rows[1].cells[1].paragraphs) == 500
