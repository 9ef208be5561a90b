"""Upgrading a database made by an older cscdesk keeps every row (the batch-mode trap)."""

from pathlib import Path

from cscdesk.domain.kinds import Kind
from cscdesk.store import records
from cscdesk.store.opening import open_database
from cscdesk.store.revision import HEAD_REVISION
from old_schema import first_release_database


def test_upgrade_keeps_linked_rows_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_release_database(path, with_escalation=True)
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


def test_upgrade_fills_the_search_table_and_searches_find_old_records(tmp_path: Path) -> None:
    from datetime import date

    from cscdesk.domain.kinds import ComplaintData
    from cscdesk.store import listing

    path = tmp_path / "old.db"
    first_release_database(path, with_escalation=True)
    db = open_database(path)
    query = listing.ListQuery(Kind.COMPLAINT, search="c-1/", today=date(2024, 7, 1))
    with db.session() as session:
        assert [row.reference for row in listing.fetch_page(session, query, 0, 10)] == ["C-1/2"]
    with db.transaction() as session:  # the triggers work on the upgraded file too
        records.save(session, ComplaintData("C-1/3", date(2024, 6, 20), 3, "Adoption",
                                            escalated_from="C-1/2"))
    with db.session() as session:
        assert listing.count(session, query).total == 2
        assert listing.search_matches(session, query)[0].total == 2
    db.close()
