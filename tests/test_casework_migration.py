"""A database at every earlier schema (0001 to 0006), holding records of every kind it knew,
upgrades to the casework schema keeping every row: the complaints' new step and Ombudsman
columns empty, the actions and Ombudsman letters tables empty, and actions saved afterwards
found by the list's search. On SQLite (opening the file) and PostgreSQL (`cscdesk server
upgrade`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import Connection

from cscdesk.domain.kinds import ActionData, ActionKind, Kind
from cscdesk.store import listing, records
from cscdesk.store.engine import make_engine
from cscdesk.store.migrate import alembic_config
from cscdesk.store.revision import APPLICATION_ID, HEAD_REVISION

EARLIER = ["0001", "0002", "0003", "0004", "0005", "0006"]
RECORD_TABLES = ("complaint", "initial_feedback", "enquiry", "compliment", "dispute_resolution")
NEW_COMPLAINT_COLUMNS = ("statement_agreed", "investigating_officer", "officer_appointed",
                         "independent_person", "person_appointed", "report_received",
                         "panel_held", "panel_report", "lgo_outcome", "lgo_decided", "lgo_remedy",
                         "lgo_compliance_due", "lgo_complied")
STAMP = datetime(2024, 1, 1, 9, 0)


def _value(column: Any, number: int) -> object:
    """A value for a NOT NULL column without a default, from its type alone (so the same code
    fills every earlier schema's tables)."""
    kind = column.type.__class__.__name__.upper()
    if "BOOL" in kind:
        return False
    if "INT" in kind:
        return number
    if "DATETIME" in kind or "TIMESTAMP" in kind:
        return STAMP
    if "DATE" in kind:
        return date(2024, 5, number)
    return ""


def _fill(connection: Connection) -> dict[str, int]:
    """A team and three records of every kind the schema has (a complaint escalated from
    another among them), written with the schema's own columns; the rows per table."""
    tables = MetaData()
    tables.reflect(connection)

    def insert(table_name: str, /, **given: object) -> None:
        table = tables.tables[table_name]
        row = {column.name: _value(column, 1) for column in table.columns
               if not column.nullable and column.server_default is None
               and not column.primary_key}
        row.update(given)
        connection.execute(table.insert().values(**row))

    insert("team", id=1, name="Adoption")
    for number in (1, 2, 3):
        insert("complaint", id=number, reference=f"C-{number}", stage=1 if number < 3 else 2,
               received=date(2024, 5, number), due=date(2024, 6, 1), team_id=1,
               complainant=f"Person {number}", summary="About contact",
               escalated_from_id=1 if number == 3 else None)
        insert("initial_feedback", id=number, reference=f"IF-{number}", team_id=1,
               received=date(2024, 5, number))
        insert("enquiry", id=number, reference=f"EN-{number}", team_id=1, source="MP",
               received=date(2024, 5, number), enquirer=f"MP {number}")
        insert("compliment", id=number, reference=f"CO-{number}", team_id=1,
               received=date(2024, 5, number))
        insert("dispute_resolution", id=number, reference=f"DR-{number}", team_id=1,
               raised=date(2024, 5, number), resolved=date(2024, 6, number))
    return {name: connection.execute(select(func.count()).select_from(tables.tables[name]))
            .scalar_one() for name in ("team", *RECORD_TABLES)}


def _at(engine: Any, revision: str) -> dict[str, int]:
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), revision)
        connection.commit()
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        return _fill(connection)


def _check_upgraded(db: Any, before: dict[str, int]) -> None:
    with db.engine.connect() as connection:
        tables = MetaData()
        tables.reflect(connection)
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version"
                                          ).scalar() == HEAD_REVISION
        after = {name: connection.execute(select(func.count()).select_from(
            tables.tables[name])).scalar_one() for name in before}
        assert after == before
        complaint = tables.tables["complaint"]
        for column in NEW_COMPLAINT_COLUMNS:
            values = set(connection.execute(select(complaint.c[column])).scalars())
            assert values <= {None, ""}, column
        for name in ("action", "ombudsman_letter", "action_search"):
            assert connection.execute(select(func.count()).select_from(
                tables.tables[name])).scalar_one() == 0, name
    with db.transaction() as session:
        records.save(session, ActionData(
            "A-1", date(2024, 6, 1), "C-3", ActionKind.LEARNING, "Adoption",
            "Letters about contact five working days ahead", date(2024, 7, 1)))
        records.save(session, ActionData(
            "A-2", date(2024, 6, 2), "DR-1", ActionKind.LEARNING, "Adoption",
            "Visits brought up to date", date(2024, 7, 1)))
    with db.session() as session:
        loaded = records.load(session, Kind.COMPLAINT, "C-3")
        assert loaded is not None and loaded.escalated_from == "C-1"
        assert loaded.complainant == "Person 3" and loaded.investigating_officer == ""
        query = listing.ListQuery(Kind.ACTION, search="five working", today=date(2024, 7, 2))
        assert [row.reference for row in listing.fetch_page(session, query, 0, 10)] == ["A-1"]
        by_case = listing.ListQuery(Kind.ACTION, search="dr-1", today=date(2024, 7, 2))
        assert listing.count(session, by_case).total == 1
        old = listing.ListQuery(Kind.COMPLAINT, search="c-3", today=date(2024, 7, 2))
        assert listing.count(session, old).total == 1


@pytest.mark.parametrize("revision", EARLIER)
def test_a_file_at_each_earlier_schema_upgrades_keeping_every_row(tmp_path, revision) -> None:
    from cscdesk.store.opening import open_database

    path = tmp_path / f"at-{revision}.db"
    engine = make_engine(path, foreign_keys=False)
    before = _at(engine, revision)
    engine.dispose()
    backed_up: list[object] = []
    db = open_database(path, before_migration=backed_up.append)
    try:
        assert backed_up == [path]
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        _check_upgraded(db, before)
    finally:
        db.close()


@pytest.mark.postgresql
@pytest.mark.parametrize("revision", EARLIER)
def test_a_server_at_each_earlier_schema_upgrades_with_the_command(
        cli, empty_server_url, revision) -> None:
    from cscdesk.store.engine import make_server_engine, open_database

    engine = make_server_engine(empty_server_url)
    before = _at(engine, revision)
    engine.dispose()
    upgraded = cli("server", "upgrade", str(empty_server_url))
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"from schema {revision} to" in upgraded.stdout
    db = open_database(empty_server_url)
    try:
        _check_upgraded(db, before)
    finally:
        db.close()
