"""The annual report pack end to end: the optional sections chosen per year, printed in the PDF
and the Word version, both read back (pdfplumber, python-docx) and compared cell by cell with
each other and with the figures' own tables; the Word version's accessibility in its XML."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from cscdesk.demo.build import create_demo_database
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.report import pack_choice, statutory_printed, trends_printed
from cscdesk.report.appendix import make_appendix, make_appendix_from_file
from cscdesk.report.content import load_content
from cscdesk.report.statutory import compute_statutory
from cscdesk.report.trends import compute_trends
from cscdesk.store.engine import open_database
from test_report_pdf import read_pdf, render

Y = ReportingYear(2025)
ALL = frozenset(pack_choice.OPTIONAL_SECTIONS)
HEADINGS = ["Five-Year Trends:", "Timeliness by Stage:", "Outcomes by Stage:", "Who Complained:"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "demo.db"
    create_demo_database(path)
    return path


@pytest.fixture(scope="module")
def expected(demo: Path) -> dict[str, list[list[str]]]:
    """Every optional table as the figures print it, by its first header cell."""
    database = open_database(demo)
    try:
        with database.session() as session:
            statutory = compute_statutory(session, Y)
            trends = compute_trends(session, Y)
    finally:
        database.close()
    tables = [*statutory_printed.tables(statutory, suppress=False).values(),
              *trends_printed.tables(trends).values()]
    return {tuple(rows[0]): rows for rows in tables}


def _clean(rows: list[list[str]]) -> list[list[str]]:
    return [[" ".join(cell.split()) for cell in row] for row in rows]


def _headed(tables: list[list[list[str]]], header: list[str]) -> list[list[str]]:
    """The table with this header row, its parts over pages joined (each repeats the header)."""
    parts = [table for table in tables if table and table[0] == header]
    assert parts, f"no table headed {header}"
    return [header] + [row for part in parts for row in part[1:]]


@pytest.fixture(scope="module")
def pack_files(demo: Path, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("files")
    pdf = make_appendix_from_file(demo, Y, folder / "pack.pdf", sections=ALL,
                                  suppress_small=False)
    word = make_appendix_from_file(demo, Y, folder / "pack.docx", sections=ALL,
                                   suppress_small=False)
    return pdf, word


def _docx_tables(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
            for table in document.tables]


def test_the_pdf_prints_every_optional_table_as_the_figures_give_it(pack_files, expected):
    tables, text, _, _ = read_pdf(pack_files[0].read_bytes())
    for header, rows in expected.items():
        assert _headed(tables, _clean([list(header)])[0]) == _clean(rows), header
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert text.index("External Compliments:") < positions[0]


def test_the_word_version_has_every_table_of_the_pdf_cell_for_cell(pack_files):
    pdf_tables, _, _, _ = read_pdf(pack_files[0].read_bytes())
    word_tables = _docx_tables(pack_files[1])
    assert len(word_tables) > 15
    assert ({tuple(table[0]) for table in word_tables}
            == {tuple(table[0]) for table in pdf_tables if any(table[0])})  # not the charts' grids
    for table in word_tables:
        assert table == _headed(pdf_tables, table[0]), table[0]


def test_the_word_version_is_accessible_by_construction(pack_files):
    path = pack_files[1]
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert styles[0] == "Heading 1" and set(styles[1:]) == {"Heading 2"}
    assert document.core_properties.title.startswith("Appendix 1 - 2025/26")
    assert document.core_properties.language == "en-GB"
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
    assert body.count("<w:tblHeader") == len(document.tables)
    pictures = document.inline_shapes
    assert len(pictures) == len(trends_printed.CHARTS)
    for picture in pictures:
        described = picture._inline.docPr.get("descr")
        assert described and described.startswith("Bar chart")


def test_without_optional_sections_neither_file_prints_them(demo, tmp_path):
    for name in ("plain.pdf", "plain.docx"):
        make_appendix_from_file(demo, Y, tmp_path / name, sections=())
    _, text, _, _ = read_pdf((tmp_path / "plain.pdf").read_bytes())
    assert not any(heading in text for heading in HEADINGS)
    words = " ".join(p.text for p in docx.Document(str(tmp_path / "plain.docx")).paragraphs)
    assert "External Compliments:" in words
    assert not any(heading in words for heading in HEADINGS)


def test_the_choice_is_remembered_with_the_year(demo, tmp_path):
    database = open_database(demo)
    try:
        with database.transaction() as session:
            pack_choice.save_sections(session, Y, ["who_complained", "trends"])
        with database.session() as session:
            assert pack_choice.chosen_sections(session, Y) == {"trends", "who_complained"}
            assert pack_choice.chosen_sections(session, Y.previous) == frozenset()
            content = load_content(session, Y)
        assert content.sections == {"trends", "who_complained"}
        assert content.trends is not None and content.statutory is not None
        _, text, _, _ = read_pdf(render(content))
        assert "Five-Year Trends:" in text and "Who Complained:" in text
        assert "Timeliness by Stage:" not in text
        path = make_appendix(database, Y, tmp_path / "remembered.docx")
        words = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert "Who Complained:" in words and "Outcomes by Stage:" not in words
    finally:
        with database.transaction() as session:
            pack_choice.save_sections(session, Y, [])
        database.close()


@pytest.mark.parametrize(("typed", "chosen"), [
    ("all", ALL), ("none", frozenset()), ("", frozenset()),
    ("Trends, who-complained", {"trends", "who_complained"}),
    ("timeliness,outcomes,", {"timeliness", "outcomes"}),
])
def test_sections_as_typed(typed, chosen):
    assert pack_choice.parse_sections(typed) == chosen


def test_an_unknown_section_is_named():
    with pytest.raises(InputError) as raised:
        pack_choice.parse_sections("timeliness,trend")
    assert str(raised.value) == ("“trend” is not an optional section of the appendix; choose "
                                 "from trends, timeliness, outcomes, who_complained, or all "
                                 "or none.")


def test_nothing_but_the_docx_is_written_and_a_word_file_is_zip(pack_files):
    folder = pack_files[1].parent
    assert sorted(p.name for p in folder.iterdir()) == ["pack.docx", "pack.pdf"]
    assert zipfile.is_zipfile(io.BytesIO(pack_files[1].read_bytes()))


both_engines = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)


@both_engines
def test_sections_are_remembered_and_printed_on_both_engines(database, tmp_path):
    from datetime import date

    from cscdesk.domain.kinds import ComplainantType, ComplaintData
    from cscdesk.store import records

    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C-1", date(2025, 5, 1), 1, "Fostering", complainant="Zoë & <Sons>",
            complainant_type=ComplainantType.FOSTER_CARER))
        pack_choice.save_sections(session, Y, ["who_complained"])
    with database.transaction() as session:  # saved again: replaced, not added
        pack_choice.save_sections(session, Y, ["who_complained", "outcomes"])
    with database.session() as session:
        assert pack_choice.chosen_sections(session, Y) == {"who_complained", "outcomes"}
    path = make_appendix(database, Y, tmp_path / "server.docx", suppress_small=True)
    tables = _docx_tables(path)
    assert ["Who complained", "Complaints received"] in [table[0] for table in tables]
    who = next(table for table in tables if table[0][0] == "Who complained")
    assert who[1:] == [["Child or young person", "0"], ["Parent or carer", "<5"],
                       ["Advocate on behalf of a child", "0"], ["Other", "0"],
                       ["Not recorded", "0"]]
    assert "Zoë" not in " ".join(p.text for p in docx.Document(str(path)).paragraphs)
