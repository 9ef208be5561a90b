"""`cscdesk server move-in FILE URL` as real subprocesses against the session's PostgreSQL
server: a demo database moved in (every table's rows and every year's figures equal, the file
unchanged), an encrypted file, a non-empty server refused, a failure mid-copy rolled back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cscdesk.store.location import ServerURL
from move_in_checks import file_counts, server_counts, sha256

pytestmark = pytest.mark.postgresql





def all_figures(location: Path | ServerURL, passphrase: str | None = None) -> dict:
    from cscdesk.domain.years import ReportingYear
    from cscdesk.report.figures import compute_figures
    from cscdesk.report.figures_text import as_dict
    from cscdesk.report.query import reading

    with reading(location, passphrase) as query:
        return {year: as_dict(compute_figures(query, ReportingYear(year)))
                for year in range(2010, 2031)}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import run_cli

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    run_cli("--db", path, "demo", check=True, timeout=300)
    # what the demo has none of: a narrative text, a bin entry, a complaint escalated from
    # one entered after it (a higher id)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO narrative_text (year, key, text, created_at, updated_at) VALUES "
            "(2023, 'intro', 'Our year, in words.', '2024-05-01 10:00:00', "
            "'2024-05-01 10:00:00')")
        connection.execute(
            "INSERT INTO bin_entry (kind, reference, deleted_at, deleted_by, data) VALUES "
            "('compliment', 'K-GONE', '2024-05-02 09:00:00', 'officer', '{\"summary\": \"x\"}')")
        first, last = connection.execute(
            "SELECT min(id), max(id) FROM complaint WHERE escalated_from_id IS NULL").fetchone()
        connection.execute("UPDATE complaint SET escalated_from_id = ? WHERE id = ?",
                           (last, first))
    connection.close()
    return path


def test_a_demo_database_moves_in_whole_and_the_file_is_unchanged(
        cli, demo_file: Path, server_url: ServerURL) -> None:
    before = sha256(demo_file)
    expected = file_counts(demo_file)
    assert all(expected[name] > 0 for name in ("complaint", "audit_event", "bin_entry",
                                               "narrative_text", "baseline_team_count",
                                               "action", "action_search", "ombudsman_letter"))

    done = cli("server", "move-in", demo_file, str(server_url), timeout=300)

    assert done.returncode == 0, done.stderr
    assert "Moved" in done.stdout and "not changed" in done.stdout
    assert sha256(demo_file) == before
    assert server_counts(server_url) == expected
    assert all_figures(server_url) == all_figures(demo_file)


def test_ids_links_and_sequences_carry_over(demo_file: Path, server_url: ServerURL) -> None:
    import psycopg

    from cscdesk.store.move_in import move_in

    move_in(demo_file, server_url)
    query = ("SELECT c.id, c.reference, t.name, r.name, e.reference FROM complaint c "
             "JOIN team t ON t.id = c.team_id LEFT JOIN root_cause r ON r.id = c.root_cause_id "
             "LEFT JOIN complaint e ON e.id = c.escalated_from_id ORDER BY c.id")
    source = sqlite3.connect(f"{demo_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        in_file = source.execute(query).fetchall()
        highest = source.execute("SELECT max(id) FROM team").fetchone()[0]
    finally:
        source.close()
    with psycopg.connect(str(server_url), autocommit=True) as connection:
        assert [tuple(row) for row in connection.execute(query).fetchall()] == in_file
        new_id = connection.execute(
            "INSERT INTO team (name, retired, created_at, updated_at) "
            "VALUES ('A new team', false, now(), now()) RETURNING id").fetchone()[0]
    assert new_id == highest + 1


def test_a_server_database_that_is_not_empty_is_refused(
        cli, demo_file: Path, server_url: ServerURL) -> None:
    import psycopg

    with psycopg.connect(str(server_url), autocommit=True) as connection:
        connection.execute("INSERT INTO setting (key, value, created_at, updated_at) "
                           "VALUES ('report_folder', '/tmp', now(), now())")
    done = cli("server", "move-in", demo_file, str(server_url))

    assert done.returncode == 1
    assert "is not empty" in done.stderr and "setting (1)" in done.stderr
    assert "Traceback" not in done.stderr
    counts = server_counts(server_url)
    assert counts["setting"] == 1 and sum(counts.values()) == 1


def test_a_server_database_without_the_schema_is_refused(
        cli, demo_file: Path, empty_server_url: ServerURL) -> None:
    done = cli("server", "move-in", demo_file, str(empty_server_url))

    assert done.returncode == 1
    assert "cscdesk server setup" in done.stderr


def test_an_encrypted_file_moves_in(cli, tmp_path: Path, server_url: ServerURL) -> None:
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "secret.db"
    key = tmp_path / "key.txt"
    key.write_text("correct horse battery\n", encoding="utf-8")
    cli("--db", path, "demo", check=True, timeout=300)
    cli("--db", path, "encrypt", "--new-passphrase-file", key, check=True, timeout=300)
    before = sha256(path)

    refused = cli("server", "move-in", path, str(server_url))
    assert refused.returncode == 1 and sum(server_counts(server_url).values()) == 0

    done = cli("--passphrase-file", key, "server", "move-in", path, str(server_url),
               timeout=300)

    assert done.returncode == 0, done.stderr
    assert sha256(path) == before
    assert all_figures(server_url) == all_figures(path, "correct horse battery")
    assert server_counts(server_url)["complaint"] > 100


def test_a_row_the_server_refuses_mid_copy_leaves_it_empty(
        cli, demo_file: Path, tmp_path: Path, server_url: ServerURL) -> None:
    # SQLite keeps a reference longer than its column's 60 characters; PostgreSQL does not
    path = tmp_path / "long.db"
    path.write_bytes(demo_file.read_bytes())
    connection = sqlite3.connect(path)
    connection.execute("UPDATE compliment SET reference = ? WHERE id = (SELECT max(id) FROM "
                       "compliment)", ("K-" + "9" * 80,))
    connection.commit()
    connection.close()

    done = cli("server", "move-in", path, str(server_url))

    assert done.returncode == 1
    assert "refused a row" in done.stderr and "copying the table compliment" in done.stderr
    assert "nothing was written to the server" in done.stderr
    assert sum(server_counts(server_url).values()) == 0


def test_a_difference_found_by_the_check_rolls_everything_back(
        demo_file: Path, server_url: ServerURL, monkeypatch: pytest.MonkeyPatch) -> None:
    from cscdesk.store import move_in as module

    real = module._copy_table

    def losing_one(source, target, table):  # type: ignore[no-untyped-def]
        copied = real(source, target, table)
        if table.name == "complaint":
            target.exec_driver_sql(
                "DELETE FROM complaint WHERE id = (SELECT max(id) FROM complaint)")
        return copied

    monkeypatch.setattr(module, "_copy_table", losing_one)
    with pytest.raises(module.MoveRefused, match=r"complaint had .* rows where the file has"):
        module.move_in(demo_file, server_url)
    assert sum(server_counts(server_url).values()) == 0


def test_a_server_database_being_written_to_is_left_alone(
        demo_file: Path, server_url: ServerURL) -> None:
    import psycopg

    from cscdesk.store.move_in import MoveRefused, move_in

    with psycopg.connect(str(server_url)) as writer:  # a transaction under way
        writer.execute("LOCK TABLE complaint IN ROW EXCLUSIVE MODE")
        with pytest.raises(MoveRefused, match="is being written to"):
            move_in(demo_file, server_url)
        writer.rollback()
    assert sum(server_counts(server_url).values()) == 0


def test_a_write_ahead_log_left_beside_the_file_is_read_and_left_as_it_was(
        demo_file: Path, tmp_path: Path, server_url: ServerURL) -> None:
    import os
    import subprocess
    import sys

    from cscdesk.store.move_in import move_in

    path = tmp_path / "crashed.db"
    path.write_bytes(demo_file.read_bytes())
    # a writer that stopped without closing: its last change is only in cases.db-wal
    subprocess.run([sys.executable, "-c", (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0'); "
        "c.execute(\"INSERT INTO non_working_day (day, description, created_at, updated_at) "
        "VALUES ('2031-01-02', 'In the log only', '2024-01-01 00:00:00', "
        "'2024-01-01 00:00:00')\"); c.commit(); os._exit(0)"), str(path)], check=True)
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 0
    before = (sha256(path), sha256(wal))

    move_in(path, server_url)

    assert (sha256(path), sha256(wal)) == before
    import psycopg

    with psycopg.connect(str(server_url), autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM non_working_day WHERE description = "
                                  "'In the log only'").fetchone()[0] == 1
    assert os.path.exists(wal)


def test_the_history_keeps_its_names_and_new_events_get_the_login(
        demo_file: Path, server_url: ServerURL) -> None:
    """The file's audit trail keeps who did what; the server's login triggers are back on
    once the move has committed."""
    import psycopg

    from cscdesk.store.move_in import move_in

    move_in(demo_file, server_url)
    query = 'SELECT id, "user", at FROM audit_event ORDER BY id'
    source = sqlite3.connect(f"{demo_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        in_file = [(row[0], row[1]) for row in source.execute(query).fetchall()]
    finally:
        source.close()
    with psycopg.connect(str(server_url), autocommit=True) as connection:
        assert [(row[0], row[1]) for row in connection.execute(query)] == in_file
        connection.execute(
            "INSERT INTO audit_event (at, \"user\", action, kind, reference, changes) "
            "VALUES (now(), 'someone else', 'update', 'complaint', 'C-1', '{}')")
        newest = connection.execute(
            'SELECT "user" FROM audit_event ORDER BY id DESC LIMIT 1').fetchone()[0]
    assert newest == "postgres"
