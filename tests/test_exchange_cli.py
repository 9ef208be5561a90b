"""`cscdesk import` and `cscdesk export` as real processes: what they print, their exit status,
and a sentence (never a traceback) when something is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cscdesk.exchange import apply_import, read_workbook
from cscdesk.store.engine import open_database
from workbooks import COMPLAINT_HEADER, read_sheets, write_workbook


def small_workbook(path: Path) -> Path:
    return write_workbook(path, {
        "Complaints": [COMPLAINT_HEADER,
                       ["C-1", date(2024, 5, 3), 1, "Fostering", "No", None, None, None, None,
                        None, None, None, None, None, None, "=HYPERLINK(\"x\")", "AT&T"],
                       ["C-2", "2024-06-03", 2, "Fostering", None, None, None, None, None,
                        None, None, None, "C-1"]],
        "Compliments": [["Reference", "Received", "Team"], ["K-1", "03/05/2024", "Adoption"]],
    })


def imported(db_path: Path, workbook: Path) -> Path:
    """A database holding the workbook, made in this process (set-up, not under test)."""
    db = open_database(db_path)
    try:
        apply_import(db, read_workbook(workbook))
    finally:
        db.close()
    return db_path


def assert_sentence(result, *fragments: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("cscdesk: ")
    for fragment in fragments:
        assert fragment in result.stderr


def test_import_then_import_again_then_export(cli, tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    workbook = small_workbook(tmp_path / "in.xlsx")

    first = cli("--db", db, "import", workbook)
    second = cli("--db", db, "import", workbook)
    exported = cli("--db", db, "export", tmp_path / "out.xlsx")

    assert first.returncode == 0, first.stderr
    assert "Complaints: 2 created, 0 updated, 0 unchanged" in first.stdout
    assert "Compliments: 1 created, 0 updated, 0 unchanged" in first.stdout
    assert "Teams added to the list: Fostering, Adoption" in first.stdout
    assert second.returncode == 0
    assert "Complaints: 0 created, 0 updated, 2 unchanged" in second.stdout
    assert "added" not in second.stdout
    assert exported.returncode == 0, exported.stderr
    assert "Exported 3 rows" in exported.stdout and "Complaints: 2" in exported.stdout
    sheets = read_sheets(tmp_path / "out.xlsx")
    assert sheets["Complaints"][1][15:17] == ["=HYPERLINK(\"x\")", "AT&T"]
    assert sheets["Complaints"][2][12] == "C-1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_workbook_names_every_cell_and_writes_nothing(cli, tmp_path: Path) -> None:
    db = imported(tmp_path / "cases.db", small_workbook(tmp_path / "good.xlsx"))
    before = db.read_bytes()
    bad = write_workbook(tmp_path / "bad.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from"],
                       ["C-9", "2024-02-30", 1, "Fostering"],
                       ["C-10", "2024-03-01", 3, "Fostering", "C-1"]],
        "Compliments": [["Reference", "Received", "Team", "Colour"]],
    })

    result = cli("--db", db, "import", bad)

    assert_sentence(
        result,
        "bad.xlsx was not imported: 3 problems found, and nothing was changed.",
        "Complaints, row 2, column Received (value “2024-02-30”)",
        "Complaints, row 3, column Escalated from (value “C-1”): “C-1” is a Stage 1 complaint",
        "Compliments, row 1, column Colour",
    )
    assert db.read_bytes() == before


def test_a_rejected_workbook_does_not_create_a_database(cli, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    bad = write_workbook(tmp_path / "bad.xlsx", {
        "Complaints": [[*COMPLAINT_HEADER[:4], "Escalated from"],
                       ["C-1", "2024-03-01", 2, "Fostering", "NOWHERE"],
                       ["C-2", "someday", 1, "Fostering"]]})

    result = cli("--db", db, "import", bad)

    assert_sentence(result, "row 2, column Escalated from", "row 3, column Received")
    assert not db.exists()


def test_files_that_are_not_workbooks(cli, tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    random_bytes = tmp_path / "random.xlsx"
    random_bytes.write_bytes(bytes(range(256)) * 50)
    csv = tmp_path / "cases.csv"
    csv.write_text("Reference,Received\n")

    for path, fragment in ((random_bytes, "random.xlsx is not a readable Excel workbook"),
                           (csv, "is a CSV file")):
        result = cli("--db", db, "import", path)
        assert_sentence(result, fragment)
        assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_export_to_places_that_cannot_be_written(cli, tmp_path: Path) -> None:
    db = imported(tmp_path / "cases.db", small_workbook(tmp_path / "in.xlsx"))

    assert_sentence(cli("--db", db, "export", tmp_path / "no" / "such" / "out.xlsx"),
                    "The folder", "does not exist")
    assert_sentence(cli("--db", tmp_path / "none.db", "export", tmp_path / "o.xlsx"),
                    "There is no database")
    assert not (tmp_path / "none.db").exists()
