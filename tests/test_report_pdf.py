"""The appendix PDF read back with pdfplumber: every table cell, the sentences, the safety."""
# ruff: noqa: F811  (the `database` fixture is imported from test_figures_dataset)

from __future__ import annotations

import dataclasses
import io
import os
import time
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from cscdesk import atomic
from cscdesk.domain.kinds import ComplimentData
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import UserFacingError
from cscdesk.report import pdf
from cscdesk.report.appendix import make_appendix
from cscdesk.report.content import load_content
from cscdesk.report.figures import RootCauseThemes, Theme
from cscdesk.store import records
from test_figures_dataset import (  # noqa: F401 (fixtures)
    AWKWARD_LEARNING,
    EXPECTED_COMPARISON,
    EXPECTED_COMPLIMENT_TEAMS,
    EXPECTED_MEMBER_TEAMS,
    EXPECTED_MP_TEAMS,
    EXPECTED_THEMES_PREVIOUS,
    EXPECTED_THEMES_Y,
    EXPECTED_UPHELD_BY_AREA,
    SECRET,
    SECRET_SUMMARY,
    copy_of,
    database,
    empty_database_file,
    load_dataset,
)

Y = ReportingYear(2018)
COMPARISON_HEADER = [
    "Feedback:", "Initial Feedback", "Stage 1 complaints", "Stage 2 complaints",
    "Stage 3 complaints", "Alternative Dispute Resolution Cases", "Cases closed in period*",
    "Cases Cancelled", "% of complaints upheld in period",
    "% timeliness of response for those due in period",
]


def _clean(cell: str | None) -> str:
    return " ".join((cell or "").split())


def read_pdf(data: bytes) -> tuple[list[list[list[str]]], str, dict, int]:
    """Tables (cells whitespace-normalised), the whole text on one line, metadata, pages."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        tables = [[[_clean(c) for c in row] for row in table]
                  for page in document.pages for table in page.extract_tables()]
        text = " ".join(" ".join((page.extract_text() or "").split())
                        for page in document.pages)
        return tables, text, dict(document.metadata), len(document.pages)


def table_starting(tables: list[list[list[str]]], first_cell: str) -> list[list[str]]:
    """The table whose header starts with `first_cell`, its parts joined, headers dropped."""
    parts = [t for t in tables if t and t[0][0] == first_cell]
    assert parts, f"no table headed {first_cell!r}"
    return [parts[0][0]] + [row for part in parts for row in part[1:]]


def render(content) -> bytes:
    stream = io.BytesIO()
    pdf.render(content, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def dataset_pdf(empty_database_file, tmp_path_factory):
    """The crafted dataset's appendix, rendered once for the tests that only read it."""
    database = copy_of(empty_database_file, tmp_path_factory.mktemp("pdf") / "cases.db")
    try:
        load_dataset(database)
        with database.session() as session:
            content = load_content(session, Y)
    finally:
        database.close()
    return read_pdf(render(content))


def test_comparison_table(dataset_pdf):
    tables, _, _, _ = dataset_pdf
    table = table_starting(tables, "Feedback:")
    assert table[0] == COMPARISON_HEADER
    assert table[1:] == [[label, *cells] for label, cells in EXPECTED_COMPARISON.items()]


def test_root_cause_table(dataset_pdf):
    tables, _, _, _ = dataset_pdf
    table = table_starting(tables, "Root cause analysis and learning from upheld complaints:")
    assert table[0][1:] == [f"Root Cause {n} and associated learning" for n in (1, 2, 3)]
    for row, label, expected in ((table[1], "2018/19", EXPECTED_THEMES_Y),
                                 (table[2], "2017/18", EXPECTED_THEMES_PREVIOUS)):
        assert row[0] == f"Learning for {label}"
        assert row[1:] == [" ".join([name, *learning]) for name, learning in expected]


def test_upheld_and_team_tables(dataset_pdf):
    tables, _, _, _ = dataset_pdf
    upheld = table_starting(tables, "Complaint Area")
    assert upheld[0] == ["Complaint Area", "Volume 2017-2018", "% Upheld", "Volume 2018-2019",
                         "% Upheld"]
    assert upheld[1:] == EXPECTED_UPHELD_BY_AREA
    assert table_starting(tables, "MP Enquiries") == [["MP Enquiries", "Number by Team"],
                                                      *EXPECTED_MP_TEAMS]
    assert table_starting(tables, "Members Enquiries")[1:] == EXPECTED_MEMBER_TEAMS
    # None received: the table is there, with its header only.
    assert table_starting(tables, "MEP Enquiries") == [["MEP Enquiries", "Number by Team"]]
    assert table_starting(tables, "Service Area") == [["Service Area", "Total Received"],
                                                      *EXPECTED_COMPLIMENT_TEAMS]


def test_headings_and_sentences_in_the_example_order(dataset_pdf):
    _, text, metadata, pages = dataset_pdf
    title = "Appendix 1 - 2018/19 - Children's Social Care – Complaints & Representations"
    expected_in_order = [
        title,
        "Volume of Representations – 2017/18 vs 2018/19:",
        "a total of 11 representations were received in 2017/18 compared to 26 in the same "
        "period of 2018/19.",
        "Complaints – 2017/18 vs 2018/19:",
        "There were 1 escalation beyond stage 1 in 2018/19 and none in 2017/18."
        .replace("were 1", "was 1"),
        "*This figure may be different from the total received",
        "Root cause analysis and associated learning:",
        "Top three themes are identified below for the reporting period.",
        "Breakdown of complaints received:",
        "Upheld Complaints:",
        "Figures in brackets below represent the numbers of upheld complaints",
        "LGO Complaints:",
        "There was 1 Statutory LGO complaint during the reporting period.",
        "Alternative Dispute Resolution Cases:",
        "Complainants are seeking resolution",
        "The one case for this period was a Stage 1 which was prevented from escalating to a "
        "Stage 2, resulting in a saving of £1800.",
        "Dispute Resolution:",
        "Within the reporting period there were 2 cases recorded. No cases were recorded in "
        "2017/18, so a comparison cannot be made.",
        "Initial Feedback:",
        "The Council receives feedback/concerns",
        "Enquiries",
        "During the reporting period the following enquiries were received:",
        "• 5 MP • 0 MEP • 1 Members",
        "External Compliments:",
        "5 Compliments have been received during this period, breakdown of teams is below.",
    ]
    position = 0
    for sentence in expected_in_order:
        found = text.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "The Council – Children's Social Care" in text
    assert metadata["Title"] == title
    assert metadata["Author"] == "The Council"


def test_user_text_is_printed_as_typed_and_private_text_never(dataset_pdf):
    _, text, _, _ = dataset_pdf
    assert AWKWARD_LEARNING in text
    assert "Through Care <North>" in text and "AT&T" in text
    assert SECRET not in text and SECRET_SUMMARY not in text
    assert "Not upheld: never printed." not in text


NAMES = ['<img src="missing.png"/>', "<p>", "a<b", "Café & Co",
         # longer than its column: printed through a wrapping (escaped) paragraph
         "Through Care <North> & “Leaving Care” – a name far too long for one line <br/>"]


def test_markup_in_names_is_not_interpreted(database):
    with database.transaction() as session:
        for number, team in enumerate(NAMES):
            records.save(session, ComplimentData(f"K{number}", date(2018, 5, 1), team))
    with database.session() as session:
        content = load_content(session, Y)
    tables, _, _, _ = read_pdf(render(content))
    teams = [row[0] for row in table_starting(tables, "Service Area")[1:]]
    assert teams == sorted(NAMES, key=str.casefold)


def test_huge_cell_splits_over_pages_instead_of_failing(database):
    with database.session() as session:
        content = load_content(session, Y)
    long_learning = tuple(f"Learning point {n}: " + "word " * 50 for n in range(70))
    content = dataclasses.replace(
        content, themes_current=RootCauseThemes("2018/19", (Theme("Huge", 70, long_learning),)))
    tables, text, _, pages = read_pdf(render(content))
    assert pages >= 4
    assert [text.count(f"Learning point {n}:") for n in range(70)] == [1] * 70
    parts = [t for t in tables if t[0][0].startswith("Root cause analysis")]
    assert len(parts) > 2  # the header row is repeated on every page the table runs onto


def test_one_learning_text_longer_than_a_page(database):
    with database.session() as session:
        content = load_content(session, Y)
    text_of_a_page_and_more = " ".join(f"w{n}" for n in range(2500))
    themes = (Theme("Short", 1, ("One line.",)), Theme("Long", 1, (text_of_a_page_and_more,)))
    content = dataclasses.replace(content, themes_previous=RootCauseThemes("2017/18", themes))
    _, text, _, pages = read_pdf(render(content))
    assert pages >= 3
    assert "w0 " in text and "w2499" in text and text.count("w1249 ") == 1


def test_small_numbers_suppressed_in_team_tables(database):
    load_dataset(database)
    with database.session() as session:
        content = load_content(session, Y, suppress_small=True)
    tables, text, _, _ = read_pdf(render(content))
    assert table_starting(tables, "MP Enquiries")[1:] == [[team, "<5"] for team, _ in
                                                          EXPECTED_MP_TEAMS]
    assert table_starting(tables, "Complaint Area")[1] == ["Adoption", "<5", "100% (<5)", "<5",
                                                           "100% (<5)"]
    assert "• 5 MP" in text  # totals are not team tables


def test_make_appendix_writes_the_file(database, tmp_path):
    load_dataset(database)
    target = make_appendix(database, "2018/19", tmp_path / "appendix.pdf")
    assert target == tmp_path / "appendix.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name != "cases.db" and "cases.db" not in
            p.name and p.name != "home"] == ["appendix.pdf"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_temporary_file_left_by_a_dead_process_is_removed_at_the_next_write(database,
                                                                               tmp_path):
    """A process killed while writing (a power cut) leaves `.NAME.xxxx.tmp`: the officer must
    not find it; one written just now may be another copy's write in progress."""
    target = tmp_path / "appendix.pdf"
    old = tmp_path / ".appendix.pdf.ab12cd34.tmp"
    recent = tmp_path / ".appendix.pdf.ef56gh78.tmp"
    for leftover in (old, recent):
        leftover.write_bytes(b"")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    make_appendix(database, Y, target)
    assert _leftovers(tmp_path) == [recent.name]


def test_missing_folder_is_a_sentence(database, tmp_path):
    with pytest.raises(UserFacingError, match="does not exist"):
        make_appendix(database, Y, tmp_path / "nowhere" / "a.pdf")


def test_target_that_is_a_folder_is_a_sentence(database, tmp_path):
    (tmp_path / "a.pdf").mkdir()
    with pytest.raises(UserFacingError, match="that is a folder"):
        make_appendix(database, Y, tmp_path / "a.pdf")


def test_folder_that_is_a_file_is_a_sentence(database, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserFacingError, match="does not exist"):
        make_appendix(database, Y, tmp_path / "file" / "a.pdf")


def test_locked_target_keeps_the_old_file_and_leaves_nothing(database, tmp_path, monkeypatch):
    """On Windows a PDF open in a viewer cannot be replaced: the writer's rename (os.replace in
    atomic.put_in_place) raises PermissionError."""
    target = tmp_path / "out" / "a.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def locked(source, destination):
        raise PermissionError(13, "The process cannot access the file", str(destination))

    monkeypatch.setattr(atomic.os, "replace", locked)
    with pytest.raises(UserFacingError, match="open in another program"):
        make_appendix(database, Y, target)
    assert target.read_bytes() == b"old"
    assert _leftovers(target.parent) == []


def test_failure_while_rendering_leaves_no_half_file(database, tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"

    def broken(content, stream):
        stream.write(b"%PDF-half")
        raise RuntimeError("disk gone")

    monkeypatch.setattr(pdf, "render", broken)
    with pytest.raises(RuntimeError):
        make_appendix(database, Y, target)
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_hand_entered_figures_are_noted(database):
    from cscdesk.report.baseline import BaselineFigures, save_baseline

    with database.transaction() as session:
        save_baseline(session, BaselineFigures(year=2017, initial_feedback=33, stage1=48,
                                               compliments=26))
    with database.session() as session:
        content = load_content(session, Y)
    tables, text, _, _ = read_pdf(render(content))
    assert "a total of 107 representations were received in 2017/18" in text
    assert ("Figures entered by hand for 2017/18 (not computed from case records): Initial "
            "Feedback, Stage 1 complaints, compliments.") in text
    assert ("Figures entered by hand for 2017/18 (not computed from case records): Initial "
            "Feedback, Stage 1 complaints.") in text
    assert table_starting(tables, "Feedback:")[2][:3] == ["2017/18", "33", "48"]


def test_report_from_the_file_while_the_app_has_it_open(database, tmp_path):
    """The app holds the writer lock; the report only reads, so it still works."""
    from cscdesk.report.appendix import make_appendix_from_file

    load_dataset(database)
    written = make_appendix_from_file(database.path, Y, tmp_path / "while-open.pdf")
    tables, _, _, _ = read_pdf(written.read_bytes())
    assert table_starting(tables, "Feedback:")[1][0] == "2018/19"


def test_long_team_table_repeats_its_header_on_each_page(database):
    with database.transaction() as session:
        for number in range(90):
            for copy in range(number % 3 + 1):
                records.save(session, ComplimentData(f"K{number}-{copy}", date(2018, 5, 1),
                                                     f"Team {number:02d}"))
    with database.session() as session:
        content = load_content(session, Y)
    tables, _, _, pages = read_pdf(render(content))
    parts = [t for t in tables if t[0] == ["Service Area", "Total Received"]]
    assert len(parts) >= 2 and pages >= 3
    rows = [row for part in parts for row in part[1:]]
    expected = sorted(((f"Team {n:02d}", n % 3 + 1) for n in range(90)),
                      key=lambda item: (-item[1], item[0]))
    assert rows == [[team, str(count)] for team, count in expected]
