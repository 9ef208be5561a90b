"""`cscdesk server setup|upgrade|grant` as real subprocesses against the session's PostgreSQL
server, the roles' privileges checked by logging in as each, and the schema a server must
have before the app or a command uses it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cscdesk.store.location import ServerURL
from cscdesk.store.revision import HEAD_REVISION

pytestmark = pytest.mark.postgresql


def connect(url: ServerURL | str, user: str | None = None):
    import psycopg

    text = str(url)
    if user is not None:
        text = text.replace("user=postgres", f"user={user}")
    return psycopg.connect(text, autocommit=True)


def revision_of(url: ServerURL) -> str | None:
    with connect(url) as connection:
        if connection.execute("SELECT to_regclass('alembic_version')").fetchone()[0] is None:
            return None
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def schema_differences(url: ServerURL) -> list:
    """What the server's tables lack or have beyond the models (the search index apart)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cscdesk.store.engine import make_server_engine
    from cscdesk.store.models import Base

    def include(obj, name, type_, reflected, compare_to) -> bool:
        return not (type_ == "index" and name is not None and "_search_" in name)

    engine = make_server_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": include})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_setup_makes_the_schema_of_the_models_and_the_roles(cli, empty_server_url) -> None:
    done = cli("server", "setup", str(empty_server_url))
    assert done.returncode == 0, done.stderr
    assert "Set up" in done.stdout and "cscdesk_officer" in done.stdout
    assert revision_of(empty_server_url) == HEAD_REVISION
    assert schema_differences(empty_server_url) == []
    with connect(empty_server_url) as connection:
        roles = {row[0] for row in connection.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'cscdesk_%'")}
        extension = connection.execute(
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()[0]
    assert roles == {"cscdesk_officer", "cscdesk_manager", "cscdesk_auditor"}
    assert extension == 1
    again = cli("server", "setup", str(empty_server_url))  # a second run checks, changes nothing
    assert again.returncode == 0, again.stderr
    assert "already had schema" in again.stdout


def test_the_printed_sql_sets_up_the_same_schema(cli, empty_server_url) -> None:
    printed = cli("server", "setup", "--print-sql", str(empty_server_url))
    assert printed.returncode == 0, printed.stderr
    assert "CREATE TABLE complaint" in printed.stdout
    assert "CREATE ROLE cscdesk_auditor" in printed.stdout
    assert revision_of(empty_server_url) is None  # printing changes nothing
    with connect(empty_server_url) as connection:
        connection.execute(printed.stdout)
    assert revision_of(empty_server_url) == HEAD_REVISION
    assert schema_differences(empty_server_url) == []


def test_a_setup_refuses_a_database_holding_other_tables(cli, empty_server_url) -> None:
    with connect(empty_server_url) as connection:
        connection.execute("CREATE TABLE payroll (id integer)")
    refused = cli("server", "setup", str(empty_server_url))
    assert refused.returncode == 1
    assert "not a cscdesk database" in refused.stderr
    assert revision_of(empty_server_url) is None


def test_a_password_in_the_url_is_refused(cli) -> None:
    refused = cli("--db", "postgresql://ann:secret@db.example/cscdesk", "figures")
    assert refused.returncode != 0
    assert "password" in refused.stderr and "secret" not in refused.stderr


def test_commands_not_made_for_a_server_say_so(cli, server_url) -> None:
    refused = cli("--db", str(server_url), "check")
    assert refused.returncode == 1
    assert "works on a database file, not on a server database" in refused.stderr


def test_an_empty_database_older_or_newer_schema_is_named_and_left_alone(
        cli, empty_server_url) -> None:
    from cscdesk.errors import DatabaseError
    from cscdesk.store.engine import make_server_engine, open_database
    from cscdesk.store.migrate import alembic_config

    with pytest.raises(DatabaseError, match="no cscdesk tables yet"):
        open_database(empty_server_url)
    engine = make_server_engine(empty_server_url)  # an older schema, as a past version left it
    with engine.connect() as connection:
        from alembic import command

        command.upgrade(alembic_config(connection), "0002")
        connection.commit()
    engine.dispose()
    with pytest.raises(DatabaseError, match=r"older cscdesk schema .0002.*server upgrade"):
        open_database(empty_server_url)
    refused = cli("--db", str(empty_server_url), "figures", "--year", "2024")
    assert refused.returncode == 1 and "older cscdesk schema" in refused.stderr
    assert revision_of(empty_server_url) == "0002"
    refused = cli("server", "setup", str(empty_server_url))
    assert refused.returncode == 1 and "server upgrade" in refused.stderr
    printed = cli("server", "upgrade", "--print-sql", str(empty_server_url))
    assert printed.returncode == 0 and "Running upgrade 0002 -> 0003" in printed.stdout
    assert revision_of(empty_server_url) == "0002"

    upgraded = cli("server", "upgrade", str(empty_server_url))
    assert upgraded.returncode == 0, upgraded.stderr
    assert "from schema 0002 to" in upgraded.stdout
    assert revision_of(empty_server_url) == HEAD_REVISION
    assert schema_differences(empty_server_url) == []
    open_database(empty_server_url).close()

    with connect(empty_server_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="newer version of cscdesk"):
        open_database(empty_server_url)
    assert revision_of(empty_server_url) == "9999"


def _save_complaint(url: ServerURL, reference: str) -> None:
    from cscdesk.domain.kinds import ComplaintData
    from cscdesk.store import records
    from cscdesk.store.engine import open_database

    db = open_database(url)
    try:
        with db.transaction() as session:
            records.save(session, ComplaintData(reference, date(2024, 5, 1), 1, "Fostering",
                                                complainant="Ann Smith", summary="Late"))
    finally:
        db.close()


def test_each_role_may_do_its_work_and_nothing_more(cli, server_url) -> None:
    import psycopg

    with connect(server_url) as connection:
        for login in ("olive", "mandy", "audrey", "nobody_yet"):
            connection.execute(f"CREATE ROLE {login} LOGIN")
    for login, role in (("olive", "officer"), ("mandy", "manager"), ("audrey", "auditor")):
        done = cli("server", "grant", login, role, str(server_url))
        assert done.returncode == 0, done.stderr
        assert f"cscdesk_{role}" in done.stdout
    unknown = cli("server", "grant", "nobody_yet", "boss", str(server_url))
    assert unknown.returncode == 1 and "not a cscdesk role" in unknown.stderr
    missing = cli("server", "grant", "ghost", "officer", str(server_url))
    assert missing.returncode == 1 and "no login “ghost”" in missing.stderr

    def as_login(login: str) -> ServerURL:
        return ServerURL(str(server_url).replace("user=postgres", f"user={login}"))

    _save_complaint(as_login("olive"), "C-1")  # the officer saves through the store
    forbidden = psycopg.errors.InsufficientPrivilege
    with connect(server_url, "olive") as officer:
        with pytest.raises(forbidden):
            officer.execute("INSERT INTO setting (key, value, created_at, updated_at) "
                            "VALUES ('x', 'y', now(), now())")
        with pytest.raises(forbidden):
            officer.execute("UPDATE team SET name = 'Renamed'")
        with pytest.raises(forbidden):
            officer.execute("DELETE FROM audit_event")
        assert officer.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 1
    with connect(server_url, "mandy") as manager:
        manager.execute("INSERT INTO setting (key, value, created_at, updated_at) "
                        "VALUES ('x', 'y', now(), now())")
        manager.execute("UPDATE team SET name = 'Fostering team'")
        with pytest.raises(forbidden):
            manager.execute("UPDATE complaint SET summary = 'changed'")
        with pytest.raises(forbidden):
            manager.execute("SELECT count(*) FROM audit_event")
        assert manager.execute("SELECT count(*) FROM complaint").fetchone()[0] == 1
    with connect(server_url, "audrey") as auditor:
        assert auditor.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 1
        assert auditor.execute("SELECT count(*) FROM complaint").fetchone()[0] == 1
        for statement in ("DELETE FROM complaint", "UPDATE setting SET value = 'z'",
                          "INSERT INTO audit_event (at, \"user\", action, kind, reference, "
                          "changes) VALUES (now(), 'a', 'b', 'c', 'd', '{}')"):
            with pytest.raises(forbidden):
                auditor.execute(statement)
    # a command run by a login without the privilege says so in a sentence
    refused = cli("--db", str(as_login("nobody_yet")), "figures", "--year", "2024")
    assert refused.returncode == 1, refused.stderr
    assert "may not do this" in refused.stderr


def test_figures_and_the_appendix_read_a_server_as_they_read_a_file(cli, server_url,
                                                                    tmp_path) -> None:
    from cscdesk.domain.kinds import ComplaintData, ComplimentData, Outcome
    from cscdesk.store import records
    from cscdesk.store.engine import open_database

    saved = [
        ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering", complainant="Ann",
                      responded=date(2024, 5, 10), closed=date(2024, 5, 12),
                      outcome=Outcome.UPHELD, root_cause="Communication",
                      learning="Call back the same day"),
        ComplaintData("C-2", date(2024, 6, 3), 1, "Adoption", complainant="Bob",
                      closed=date(2024, 7, 1), outcome=Outcome.NOT_UPHELD),
        ComplaintData("C-3", date(2024, 9, 9), 1, "Adoption", complainant="Cy"),
        ComplimentData("P-1", date(2024, 8, 1), "Adoption", "Thanks"),
    ]
    for location in (server_url, tmp_path / "same.db"):
        db = open_database(location)
        with db.transaction() as session:
            for record in saved:
                records.save(session, record)
        db.close()
    figures = [cli("--db", str(location), "figures", "--year", "2024", "--json")
               for location in (server_url, tmp_path / "same.db")]
    assert all(done.returncode == 0 for done in figures), [d.stderr for d in figures]
    assert json.loads(figures[0].stdout) == json.loads(figures[1].stdout)
    assert "Call back the same day" in figures[0].stdout
    report = cli("--db", str(server_url), "report", "--year", "2024",
                 "--output", tmp_path / "server.pdf")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "server.pdf").stat().st_size > 1000


def test_a_workbook_imports_into_a_server_one_import_at_a_time(cli, server_url,
                                                                tmp_path) -> None:
    from cscdesk.domain.kinds import ComplaintData
    from cscdesk.store import records
    from cscdesk.store.engine import IMPORT_LOCK, open_database

    source = open_database(tmp_path / "source.db")
    with source.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering",
                                            complainant="Ann Smith"))
    source.close()
    exported = cli("--db", tmp_path / "source.db", "export", tmp_path / "cases.xlsx")
    assert exported.returncode == 0, exported.stderr
    with connect(server_url) as holder:  # another import is running
        holder.execute(f"SELECT pg_advisory_lock({IMPORT_LOCK[0]}, {IMPORT_LOCK[1]})")
        refused = cli("--db", str(server_url), "import", tmp_path / "cases.xlsx")
        assert refused.returncode == 1, refused.stderr
        assert "postgres's import (connected since" in refused.stderr, refused.stderr
    imported = cli("--db", str(server_url), "import", tmp_path / "cases.xlsx")
    assert imported.returncode == 0, imported.stderr
    with connect(server_url) as connection:
        assert connection.execute("SELECT reference FROM complaint").fetchall() == [("C-1",)]
