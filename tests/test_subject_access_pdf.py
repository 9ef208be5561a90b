"""The subject access PDF read back with pdfplumber: what it says (title, headings, every field's
label and value, history), text printed as written (markup, accents), the longest allowed
texts whole and quick, pages continued under their header, and a file whose every object is
where its cross-reference table says."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from pathlib import Path

import pdfplumber
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import getFont

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource
from cscdesk.privacy.streamed_pdf import StreamedPdf
from cscdesk.privacy.subject_access import FoundRecord
from cscdesk.privacy.subject_access_pdf import write_pdf
from cscdesk.report.pdf import FONT, FONT_BOLD
from cscdesk.store.audit import AuditEntry

LONGEST = 32767
LEFT, MARGIN = 1.5 * cm, 2 * cm
COUNT = 50  # records in a many-record pack (pdfplumber reads some 30 pages)
MARKUP = "<b>Ann & Zoë</b> O'Brien-Łukasz"


def event(reference: str, changes: dict, action: str = "update") -> AuditEntry:
    return AuditEntry(datetime(2024, 5, 3, 9, 30), "officer", action, "Complaints", reference,
                      changes)


def complaint(reference: str, **fields: object) -> ComplaintData:
    return ComplaintData(reference, date(2024, 5, 3), 1, "Fostering", **fields)


def pages_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as document:
        return [page.extract_text() for page in document.pages]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_within_margins(path: Path) -> None:
    """Every character inside the page's margins (long text wrapped, long grids continued)."""
    with pdfplumber.open(path) as document:
        for page in document.pages:
            assert page.chars
            assert min(char["x0"] for char in page.chars) >= LEFT
            assert max(char["x1"] for char in page.chars) <= page.width - LEFT
            assert min(char["top"] for char in page.chars) >= MARGIN
            assert max(char["bottom"] for char in page.chars) <= page.height - MARGIN


def test_fields_history_and_markup_are_printed_as_written(tmp_path: Path) -> None:
    record = complaint("C-1", complainant=MARKUP, summary="Said: <i>&amp;</i> \\ (x) 😀 end",
                       notes="first line\nsecond\tline")
    found = [
        FoundRecord(record, [event("C-1", {"Complainant": [None, MARKUP]}, "create")]),
        FoundRecord(EnquiryData("E-7", date(2024, 1, 1), EnquirySource.MP, "MASH",
                                enquirer=MARKUP), [], in_bin=True),
    ]
    path = tmp_path / "pack.pdf"

    write_pdf(found, MARKUP, path)

    text = "\n".join(pages_text(path))
    title = " ".join(text.split("Prepared")[0].split())  # wrapped to the page's width
    assert title == f"Subject access: records mentioning “{MARKUP}”"
    assert "2 record(s)." in text
    assert "Complaints: C-1\n" in text
    assert "Enquiries: E-7 (deleted; still in the bin)" in text
    assert f"Complainant {MARKUP}" in text and f"Enquirer {MARKUP}" in text
    assert "Said: <i>&amp;</i> \\ (x)" in text and "end" in text
    assert "Notes first line\nsecond line" in text
    assert "Received 03/05/2024" in text and "Extended No" in text
    assert "When (UTC) Who Action Changes" in text
    assert f'03/05/2024 09:30 officer create {{"Complainant": [null, "{MARKUP}"]}}' in text
    for name, value in vars(record).items():  # a field has its row when it holds something
        label = FIELD_LABELS[name]
        if value in (None, ""):
            assert not re.search(rf"^{re.escape(label)}( |$)", text, flags=re.MULTILINE), label
        else:
            assert f"\n{label}" in text, label
    with pdfplumber.open(path) as document:
        assert document.metadata["Title"] == f"Subject access: {MARKUP}"


def test_the_longest_texts_are_whole_and_quick(tmp_path: Path) -> None:
    unbroken = "".join(chr(ord("a") + (i * 7) % 26) for i in range(LONGEST))
    words = ("Zoë said " * 4000)[:LONGEST]
    record = complaint("C-1", complainant="Zoë Smith", notes=unbroken, learning=words)
    found = [FoundRecord(record, [event("C-1", {"Notes": ["", unbroken]})])]
    write_pdf([], "warm-up", tmp_path / "warm.pdf")  # fonts, imports

    started = time.perf_counter()
    write_pdf(found, "Zoë Smith", tmp_path / "zoe.pdf")
    seconds = time.perf_counter() - started

    assert seconds < 1.5  # under 0.2 s on a quiet machine; platypus took 3.8 s
    assert_within_margins(tmp_path / "zoe.pdf")
    pages = pages_text(tmp_path / "zoe.pdf")
    # the text as written, without the header rows repeated on each continuing page
    text = "".join(squeezed(page).removeprefix("FieldValue").removeprefix(
        "When(UTC)WhoActionChanges") for page in pages)
    assert text.count(unbroken) == 2  # the field, and the change in its history
    assert squeezed(words) in text
    assert len(pages) > 10
    # each page that continues the grid starts it again under its header row
    continued = [page for page in pages[1:] if "Complaints: C-1" not in page]
    assert continued and all(page.startswith(("Field Value", "When (UTC) Who Action Changes"))
                             for page in continued)


def test_many_records_keep_their_order_and_each_heading_starts_its_record(
        tmp_path: Path) -> None:
    found = [FoundRecord(complaint(f"C-{n}", complainant=f"Person {n}"),
                         [event(f"C-{n}", {"Stage": [1, 2]})]) for n in range(COUNT)]

    write_pdf(found, "Person", tmp_path / "many.pdf")

    pages = pages_text(tmp_path / "many.pdf")
    text = "\n".join(pages)
    headings = re.findall(r"^Complaints: (C-\d+)$", text, flags=re.MULTILINE)
    assert headings == [f"C-{n}" for n in range(COUNT)]
    assert all(f"Complainant Person {n}\n" in text for n in range(COUNT))
    assert text.count("When (UTC) Who Action Changes") >= COUNT
    # a heading is never left alone at the foot of a page
    assert not any(re.search(r"^Complaints: C-\d+\Z", page.rstrip(), flags=re.MULTILINE)
                   for page in pages)
    assert len(pages) < COUNT  # more than one record a page


def test_every_object_is_where_the_cross_reference_table_says(tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    write_pdf([FoundRecord(complaint(f"C-{n}", complainant="Ann"), []) for n in range(20)],
              "Ann", path)

    data = path.read_bytes()
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[start:].startswith(b"xref\n0 ")
    count = int(data[start:].split(b"\n")[1].split()[1])
    rows = data[start:].split(b"\n")[3:2 + count]
    assert len(rows) == count - 1
    for number, row in enumerate(rows, start=1):
        offset = int(row[:10])
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    assert data.endswith(b"%%EOF\n")


def test_font_subsets_are_forgotten_after_each_file(tmp_path: Path) -> None:
    write_pdf([FoundRecord(complaint("C-1", complainant="Ann"), [])], "Ann", tmp_path / "a.pdf")
    write_pdf([FoundRecord(complaint("C-1", complainant="Ann"), [])], "Ann", tmp_path / "b.pdf")

    for font in (FONT, FONT_BOLD):
        assert not any(isinstance(owner, StreamedPdf) for owner in getFont(font).state)
    assert "Complainant Ann" in "\n".join(pages_text(tmp_path / "b.pdf"))


def test_a_name_longer_than_a_page_continues_on_the_next(tmp_path: Path) -> None:
    name = " ".join(f"Name{n}" for n in range(2000))

    write_pdf([FoundRecord(complaint("C-1", complainant=name, summary="After the name."), [])],
              name, tmp_path / "n.pdf")

    assert_within_margins(tmp_path / "n.pdf")
    text = " ".join(" ".join(page.split()) for page in pages_text(tmp_path / "n.pdf"))
    assert text.startswith(f"Subject access: records mentioning “{name}” Prepared")
    assert text.count("Field Value") > 2  # the grid's header on each page it continues on
    assert f"Complainant {name} Summary" in text.replace(" Field Value ", " ")


def test_text_is_in_reading_order_for_viewers_that_copy_it_as_drawn(tmp_path: Path) -> None:
    import pypdfium2  # pdfplumber's renderer: it gives text in the order it is drawn

    found = [FoundRecord(complaint("C-1", complainant="Ann"), [event("C-1", {"Stage": [1, 2]})])]
    write_pdf(found, "Ann", tmp_path / "a.pdf")

    document = pypdfium2.PdfDocument(tmp_path / "a.pdf")
    try:
        text = document[0].get_textpage().get_text_range().replace("\r\n", "\n")
    finally:
        document.close()
    assert "Complaints: C-1\nField Value\nReference C-1\nReceived 03/05/2024\nStage 1\n" in text
    assert "When (UTC) Who Action Changes\n03/05/2024 09:30 officer update" in text


def test_more_characters_than_one_font_subset_holds_are_all_printed(tmp_path: Path) -> None:
    face = getFont(FONT).face
    letters = [chr(code) for code in range(0x100, 0x600)
               if code in face.charToGlyph and chr(code).isalpha()][:600]
    text = " ".join("".join(letters[start:start + 10]) for start in range(0, 600, 10))
    found = [FoundRecord(complaint("C-1", complainant="Zoë", notes=text), [])]

    write_pdf(found, "Zoë", tmp_path / "letters.pdf")

    # 600 letters besides ASCII: ReportLab's subsets hold 256 each
    assert squeezed(text) in squeezed("".join(pages_text(tmp_path / "letters.pdf")))
