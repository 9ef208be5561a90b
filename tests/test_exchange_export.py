"""Export's file handling: written under a temporary name and renamed, a plain sentence for a
target that cannot be written, and nothing left behind when it fails."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, ComplimentData
from cscdesk.errors import UserFacingError
from cscdesk.exchange import WorkbookNotWritten, export_workbook
from cscdesk.store import records
from workbooks import copied_database, read_sheets


@pytest.fixture
def database(db_path: Path):
    """A fresh real database file (copied from one built once; see workbooks.copied_database)."""
    yield from copied_database(db_path)


@pytest.fixture
def filled(database):
    with database.transaction() as session:
        records.save(session, ComplaintData(reference="C-1", received=date(2024, 5, 3), stage=1,
                                            team="Fostering", notes="=1+1"))
        records.save(session, ComplimentData(reference="K-1", received=date(2024, 5, 3),
                                             team="Adoption"))
        records.save(session, ActionData(reference="A-1", agreed=date(2024, 5, 20),
                                         case_reference="C-1", action_kind=ActionKind.LEARNING,
                                         team="Fostering", what="@everyone", due=date(2024, 6, 3)))
    return database


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_an_existing_workbook_is_replaced_whole(filled, tmp_path: Path) -> None:
    target = tmp_path / "cases.xlsx"
    target.write_bytes(b"old contents")

    result = export_workbook(filled, target)

    assert result.counts == {"Complaints": 1, "Initial feedback": 0, "Enquiries": 0,
                             "Compliments": 1, "Dispute resolution": 0, "Actions": 1}
    sheets = read_sheets(target)
    complaint = dict(zip(sheets["Complaints"][0], sheets["Complaints"][1], strict=True))
    assert complaint["Notes"] == "=1+1"
    assert sheets["Actions"][1][:6] == ["A-1", date(2024, 5, 20), "C-1",
                                        "Learning / service improvement", "Fostering", "@everyone"]
    assert leftovers(tmp_path) == []


def test_an_empty_database_exports_every_header(database, tmp_path: Path) -> None:
    sheets = read_sheets(export_workbook(database, tmp_path / "empty.xlsx").path)
    assert list(sheets) == ["Complaints", "Initial feedback", "Enquiries", "Compliments",
                            "Dispute resolution", "Actions"]
    assert sheets["Compliments"] == [["Reference", "Received", "Team", "Summary"]]
    assert sheets["Actions"] == [["Reference", "Agreed", "Case", "Kind", "Team", "What", "Due",
                                  "Done", "Evidence", "Amount", "Paid"]]


@pytest.mark.parametrize("target", ["missing/out.xlsx", "a-file/out.xlsx", "."])
def test_unwritable_targets_get_a_sentence(filled, tmp_path: Path, target: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")

    with pytest.raises(WorkbookNotWritten) as caught:
        export_workbook(filled, tmp_path / target)

    assert isinstance(caught.value, UserFacingError)
    assert "\n" not in str(caught.value)
    assert leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_gets_a_sentence(filled, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
    elif Path("/proc/self").is_dir():
        folder = Path("/proc")  # root may write anywhere else; nobody creates files here
    else:
        pytest.skip("no folder here that refuses new files")
    try:
        with pytest.raises(WorkbookNotWritten) as caught:
            export_workbook(filled, folder / "out.xlsx")
    finally:
        if folder != Path("/proc"):
            folder.chmod(0o700)
    message = str(caught.value)
    assert message.startswith(f"Cannot write the workbook in the folder {folder}:")
    assert "\n" not in message and not (folder / "out.xlsx").exists()


def test_a_target_that_cannot_be_replaced_leaves_no_temporary_file(filled, tmp_path: Path
                                                                   ) -> None:
    target = tmp_path / "cases.xlsx"
    target.mkdir()
    (target / "inside").write_text("a folder where the workbook should go")

    with pytest.raises(WorkbookNotWritten, match="is a folder"):
        export_workbook(filled, target)
    assert leftovers(tmp_path) == []


def test_text_too_long_for_a_cell_is_refused_by_name(filled, tmp_path: Path) -> None:
    """Records are refused such text now; a database written by an earlier version may hold
    it, and its export names the cell rather than shortening it."""
    from sqlalchemy import text

    with filled.transaction() as session:
        records.save(session, ComplimentData(reference="K-2", received=date(2024, 5, 4),
                                             team="Adoption", summary="x"))
        session.execute(text("UPDATE compliment SET summary = :long WHERE reference = 'K-2'"),
                        {"long": "x" * 40_000})

    with pytest.raises(WorkbookNotWritten, match=r"Compliments, row 3, column Summary"):
        export_workbook(filled, tmp_path / "long.xlsx")
    assert not (tmp_path / "long.xlsx").exists()
    assert leftovers(tmp_path) == []
