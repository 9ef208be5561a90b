import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Kind, Outcome
from cscdesk.errors import DatabaseError, InputError
from cscdesk.store import lists, records
from cscdesk.store.engine import APPLICATION_ID, open_database
from cscdesk.store.migrate import head_revision
from cscdesk.store.models import Complaint, Team
from cscdesk.store.revision import HEAD_REVISION


def test_head_revision_constant_matches_the_migrations() -> None:
    assert head_revision() == HEAD_REVISION


@pytest.mark.sqlite_only
def test_a_new_file_gets_the_full_schema_and_pragmas(database) -> None:
    with database.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == 5000
        assert pragma("PRAGMA application_id").scalar() == APPLICATION_ID
        tables = {r[0] for r in pragma("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"complaint", "initial_feedback", "enquiry", "compliment", "dispute_resolution",
            "team", "root_cause", "non_working_day", "alembic_version"} <= tables


def test_reopening_keeps_the_data(db_path: Path) -> None:
    db = open_database(db_path)
    with db.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Adoption"))
    db.close()
    db = open_database(db_path)
    with db.session() as session:
        loaded = records.load(session, Kind.COMPLAINT, "C-1")
    db.close()
    assert loaded is not None and loaded.team == "Adoption"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (os.urandom(4096), "not an SQLite file"),
        (b"PK\x03\x04 a zip, as an .xlsx would be", "not an SQLite file"),
    ],
)
def test_files_that_are_not_cscdesk_databases_are_refused_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "other.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message):
        open_database(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in folder.iterdir()) == ["other.db"]


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE person (name TEXT)")
    connection.execute("INSERT INTO person VALUES ('x')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="another program"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_from_a_newer_version_is_refused(db_path: Path) -> None:
    open_database(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version of cscdesk"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="folder"):
        open_database(tmp_path)


def test_missing_file_with_create_false(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database"):
        open_database(tmp_path / "none.db", create=False)


def test_save_computes_the_due_date_and_updates_by_reference(database) -> None:
    with database.transaction() as session:
        row, created = records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Adoption"))
        assert created and row.due == date(2024, 5, 20)
    with database.transaction() as session:
        data = ComplaintData("C-1", date(2024, 5, 3), 1, "adoption ", extended=True,
                             closed=date(2024, 5, 30), outcome=Outcome.UPHELD)
        row, created = records.save(session, data)
        assert not created and row.due == date(2024, 6, 4)
    with database.session() as session:
        assert session.scalar(select(Team.name)) == "Adoption"  # matched case-insensitively
        assert len(session.scalars(select(Complaint)).all()) == 1


def test_invalid_records_are_refused_with_every_field(database) -> None:
    with pytest.raises(records.RecordInvalid) as caught, database.transaction() as session:
        records.save(session, ComplaintData("C-1", None, 7, ""))
    assert [e.field for e in caught.value.errors] == ["received", "stage", "team"]
    with database.session() as session:
        assert session.scalars(select(Complaint)).all() == []


def test_renaming_a_reference_cannot_take_another_records(database) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Adoption"))
        records.save(session, ComplaintData("C-2", date(2024, 5, 3), 1, "Adoption"))
    with pytest.raises(records.RecordInvalid, match="already has reference"), \
            database.transaction() as session:
        records.save(session, ComplaintData("C-2", date(2024, 5, 3), 1, "Adoption"),
                     original_reference="C-1")


def test_escalation_links_and_protects_the_earlier_stage(database) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Adoption"))
        records.save(session, ComplaintData("C-1/2", date(2024, 6, 3), 2, "Adoption",
                                            escalated_from="C-1"))
    with pytest.raises(InputError, match="escalates from it"), database.transaction() as s:
        records.delete(s, Kind.COMPLAINT, "C-1")
    with database.transaction() as session:
        assert records.delete(session, Kind.COMPLAINT, "C-1/2")
        assert records.delete(session, Kind.COMPLAINT, "C-1")


def test_team_rename_retire_and_delete(database) -> None:
    with database.transaction() as session:
        records.save(session, EnquiryData("E-1", date(2024, 5, 3), EnquirySource.MP, "CFAT"))
        team_id = lists.find_by_name(session, Team, "cfat").id
        lists.rename(session, Team, team_id, "Children and Families Assessment Team")
    with database.session() as session:
        assert records.load(session, Kind.ENQUIRY, "E-1").team.startswith("Children and")
    with pytest.raises(InputError, match="retire"), database.transaction() as session:
        lists.delete(session, Team, team_id)
    with database.transaction() as session:
        lists.set_retired(session, Team, team_id, True)
    with database.session() as session:
        assert lists.active_names(session, Team) == []
        spare = lists.get_or_add(session, Team, "Spare")
        lists.delete(session, Team, spare.id)


def test_renaming_a_team_onto_another_is_refused(database) -> None:
    with database.transaction() as session:
        lists.get_or_add(session, Team, "MASH")
        other = lists.get_or_add(session, Team, "Fostering")
        with pytest.raises(InputError, match="already in the list"):
            lists.rename(session, Team, other.id, "mash")


def test_extra_non_working_days_move_open_due_dates(database) -> None:
    with database.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Adoption"))
        records.save(session, ComplaintData("C-2", date(2024, 5, 3), 1, "Adoption",
                                            closed=date(2024, 5, 10), outcome=Outcome.UPHELD))
    with database.transaction() as session:
        moved = lists.add_non_working_day(session, date(2024, 5, 7), "Office closure")
    assert moved == 1  # only the open complaint counts as moved
    with database.session() as session:
        dues = dict(session.execute(select(Complaint.reference, Complaint.due)).all())
    assert dues == {"C-1": date(2024, 5, 21), "C-2": date(2024, 5, 21)}
    with database.transaction() as session:
        assert lists.remove_non_working_day(session, date(2024, 5, 7)) == 1
