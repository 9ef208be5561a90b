"""Upgrading a database made by an older cscdesk keeps every row (the batch-mode trap)."""

import sqlite3
from pathlib import Path

from alembic import command

from cscdesk.domain.kinds import Kind
from cscdesk.store import records
from cscdesk.store.engine import APPLICATION_ID, make_engine, open_database
from cscdesk.store.migrate import alembic_config
from cscdesk.store.revision import HEAD_REVISION


def make_first_release_database(path: Path) -> None:
    engine = make_engine(path, foreign_keys=False)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.commit()
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.executescript(
        f"""
        PRAGMA application_id = {APPLICATION_ID};
        INSERT INTO team (id, name, retired, created_at, updated_at)
            VALUES (1, 'Adoption', 0, '2024-01-01', '2024-01-01');
        INSERT INTO complaint (id, reference, received, stage, team_id, extended, due, learning,
            adr, lgo_decision, complainant, summary, notes, created_at, updated_at)
            VALUES (1, 'C-1', '2024-05-03', 1, 1, 0, '2024-05-20', '', 0, '', '', '', '',
                    '2024-01-01', '2024-01-01');
        INSERT INTO complaint (id, reference, received, stage, team_id, extended, due, learning,
            adr, escalated_from_id, lgo_decision, complainant, summary, notes, created_at,
            updated_at)
            VALUES (2, 'C-1/2', '2024-06-03', 2, 1, 0, '2024-07-08', '', 0, 1, '', '', '', '',
                    '2024-01-01', '2024-01-01');
        """
    )
    raw.commit()
    raw.close()


def test_upgrade_keeps_linked_rows_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_first_release_database(path)
    seen: list[Path] = []
    db = open_database(path, before_migration=seen.append)
    assert seen == [path]
    with db.session() as session:
        later = records.load(session, Kind.COMPLAINT, "C-1/2")
        assert later is not None and later.escalated_from == "C-1"
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() \
            == HEAD_REVISION
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("SELECT count(*) FROM complaint").scalar() == 2
    db.close()


def test_an_up_to_date_database_is_not_migrated_again(db_path: Path) -> None:
    open_database(db_path).close()
    seen: list[Path] = []
    open_database(db_path, before_migration=seen.append).close()
    assert seen == []
