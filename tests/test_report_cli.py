"""`cscdesk figures` and `cscdesk report` run as real processes, as the officer would."""
# ruff: noqa: F811  (the `empty_database_file` fixture is imported from test_figures_dataset)

from __future__ import annotations

import json

import pdfplumber
import pytest

from cscdesk.domain.years import ReportingYear
from test_figures_dataset import (
    EXPECTED_COMPARISON,
    EXPECTED_UPHELD_BY_AREA,
    copy_of,
    empty_database_file,  # noqa: F401 (a fixture)
    load_dataset,
)


@pytest.fixture
def dataset_file(empty_database_file, tmp_path):
    path = tmp_path / "cases.db"
    database = copy_of(empty_database_file, path)
    load_dataset(database)
    database.close()
    return path


def _clean_rows(table):
    return [[" ".join((cell or "").split()) for cell in row] for row in table]


def test_report_writes_the_pdf(cli, dataset_file, tmp_path):
    output = tmp_path / "Appendix 2018-19.pdf"
    result = cli("--db", dataset_file, "report", "--year", "2018-19", "--output", output)
    assert result.returncode == 0, result.stderr
    assert str(output) in result.stdout
    with pdfplumber.open(output) as document:
        tables = [_clean_rows(t) for page in document.pages for t in page.extract_tables()]
        assert document.metadata["Title"].startswith("Appendix 1 - 2018/19")
    comparison = next(t for t in tables if t[0][0] == "Feedback:")
    assert comparison[1:] == [[k, *v] for k, v in EXPECTED_COMPARISON.items()]
    upheld = next(t for t in tables if t[0][0] == "Complaint Area")
    assert upheld[1:] == EXPECTED_UPHELD_BY_AREA
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_report_default_year_and_folder_with_suppression(cli, dataset_file, cscdesk_home):
    result = cli("--db", dataset_file, "report", "--suppress-small")
    assert result.returncode == 0, result.stderr
    year = ReportingYear.last_complete()
    expected = cscdesk_home / "Documents" / f"Complaints appendix {year.long_label}.pdf"
    assert expected.exists()


def test_report_suppress_small(dataset_file, tmp_path):
    """The same switch through the function the command calls (no second process)."""
    from cscdesk.report.appendix import make_appendix_from_file

    output = make_appendix_from_file(dataset_file, "2018", tmp_path / "published.pdf",
                                     suppress_small=True)
    with pdfplumber.open(output) as document:
        tables = [_clean_rows(t) for page in document.pages for t in page.extract_tables()]
    compliments = next(t for t in tables if t[0][0] == "Service Area")
    assert [row[1] for row in compliments[1:]] == ["<5", "<5", "<5"]


def test_figures_json(cli, dataset_file):
    result = cli("--db", dataset_file, "figures", "--year", "2018/19", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["year"] == "2018/19"
    assert data["current"]["comparison"]["stage1"] == 11
    assert data["current"]["representations"] == 26
    printed = data["printed"]["comparison"]
    assert printed[1:] == [[k, *v] for k, v in EXPECTED_COMPARISON.items()]
    assert data["printed"]["upheld_by_area"][1:] == EXPECTED_UPHELD_BY_AREA
    # the optional sections' figures, whole years, with their tables as printed
    timeliness = data["statutory"]["timeliness"]
    assert sum(stage["due"] for stage in timeliness) == data["current"]["comparison"]["due"]
    assert data["statutory"]["printed"]["timeliness"][0][0] == "Stage"
    assert [year["label"] for year in data["trends"]["years"]] == [
        "2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
    assert data["trends"]["years"][-1]["stage1"] == 11
    assert data["trends"]["printed"]["later_stages"][0][1:] == [
        "2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]


def test_figures_text_and_as_of(cli, dataset_file):
    result = cli("--db", dataset_file, "figures", "--year", "2018", "--as-of", "2018-06-30")
    assert result.returncode == 0, result.stderr
    assert "Appendix figures for 2018/19, compared with 2017/18" in result.stdout
    assert "30/06/2018" in result.stdout


def test_report_word_version_with_sections(cli, dataset_file, tmp_path):
    import docx

    output = tmp_path / "Appendix 2018-19.docx"
    result = cli("--db", dataset_file, "report", "--year", "2018", "--format", "docx",
                 "-o", output, "--sections", "timeliness, who-complained")
    assert result.returncode == 0, result.stderr
    words = [p.text for p in docx.Document(str(output)).paragraphs]
    assert "Timeliness by Stage:" in words and "Who Complained:" in words
    assert "Outcomes by Stage:" not in words and "Five-Year Trends:" not in words


@pytest.mark.parametrize(("arguments", "message"), [
    (["--format", "docx", "-o", "a.pdf"], "must end in .docx for --format docx"),
    (["-o", "a.doc"], "must end in .pdf or .docx"),
    (["--sections", "trend", "-o", "a.pdf"], "“trend” is not an optional section"),
])
def test_report_options_that_disagree_are_one_sentence(cli, dataset_file, tmp_path,
                                                       arguments, message):
    arguments = [str(tmp_path / a) if a.startswith("a.") else a for a in arguments]
    result = cli("--db", dataset_file, "report", "--year", "2018", *arguments)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.glob("a.*")) == []


@pytest.mark.parametrize("year", ["2018/20", "next year"])
def test_bad_year_is_one_sentence(cli, dataset_file, year):
    result = cli("--db", dataset_file, "figures", "--year", year)
    assert result.returncode == 1
    assert "is not a" in result.stderr and "reporting year" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_one_sentence(cli, dataset_file, tmp_path):
    result = cli("--db", dataset_file, "report", "--year", "2018", "-o",
                 tmp_path / "missing" / "a.pdf")
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_missing_or_foreign_database_is_one_sentence(cli, tmp_path):
    result = cli("--db", tmp_path / "none.db", "report", "-o", tmp_path / "a.pdf")
    assert result.returncode == 1 and "no database" in result.stderr
    foreign = tmp_path / "foreign.db"
    foreign.write_text("just text")
    result = cli("--db", foreign, "figures")
    assert result.returncode == 1 and "not a cscdesk database" in result.stderr
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize("name", ["a.pdf", "a.docx"])
def test_report_path_imports_neither_the_orm_nor_qt(dataset_file, tmp_path, name):
    """Start-up time: an up-to-date database is read without SQLAlchemy; Qt is never loaded."""
    import subprocess
    import sys

    code = ("import sys; from cscdesk.report.appendix import make_appendix_from_file; "
            "make_appendix_from_file(sys.argv[1], '2018', sys.argv[2], sections=['trends']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'alembic', 'PySide6')))")
    result = subprocess.run([sys.executable, "-c", code, str(dataset_file),
                             str(tmp_path / name)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
