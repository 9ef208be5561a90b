"""Backups of a server database (store/server_backup.py): pg_dump archives made, verified,
listed and restored against the session's real PostgreSQL server, with real pg_dump and
pg_restore."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from cscdesk.cli import main
from cscdesk.domain.kinds import ComplaintData, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import DatabaseError
from cscdesk.store import records, server_backup
from cscdesk.store.backup_list import MANIFEST_NAME, BackupChanged, BackupUnverified
from cscdesk.store.engine import open_database

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]

YEAR = ReportingYear(2023)


def _fill(url) -> None:  # type: ignore[no-untyped-def]
    db = open_database(url)
    try:
        with db.transaction() as session:
            for number in range(40):
                day = date(2023, 4 + number % 9, 1 + number % 27)
                records.save(session, ComplaintData(
                    f"C-{number:04d}", day, 1 + number % 2, "Adoption",
                    summary=f"late letter {number}\nsecond\tline \\ end",
                    outcome=(Outcome.UPHELD if number % 3 else Outcome.NOT_UPHELD)
                    if number % 4 else None,
                    closed=day if number % 4 else None))
    finally:
        db.close()


def _figures(url):  # type: ignore[no-untyped-def]
    from cscdesk.report.figures import compute_figures
    from cscdesk.report.query import reading

    with reading(url) as query:
        return compute_figures(query, YEAR)


def test_backup_lists_a_verified_archive_that_restores_into_an_empty_database(
        server_url, empty_server_url, tmp_path: Path, capsys) -> None:
    _fill(server_url)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["--db", str(server_url), "backup", "--to", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "40 complaints" in said and "rows match" in said
    manifest = json.loads((folder / MANIFEST_NAME).read_text())["backups"]
    [entry] = manifest
    archive = folder / entry["file"]
    assert archive.suffix == ".pgdump" and archive.stat().st_mode & 0o777 == 0o600
    assert len(entry["sha256"]) == 64 and entry["counts"]["complaint"] == 40
    assert entry["counts"]["audit_event"] > 0 and entry["schema_revision"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".") and "tmp" in p.name]

    assert main(["check", str(archive)]) == 0
    assert "checksum matches" in capsys.readouterr().out
    assert main(["--db", str(server_url), "check", str(archive)]) == 0
    assert "pg_restore reads its table of contents" in capsys.readouterr().out

    assert main(["--db", str(empty_server_url), "restore", str(archive)]) == 0
    assert "rows match the backup list" in capsys.readouterr().out
    with server_backup._connect(empty_server_url) as connection:
        assert server_backup._counts(connection) == entry["counts"]
    assert _figures(empty_server_url) == _figures(server_url)


def test_a_tampered_or_unlisted_archive_is_refused(server_url, empty_server_url,
                                                   tmp_path: Path) -> None:
    made = server_backup.backup_server(server_url, tmp_path).backup
    data = bytearray(made.path.read_bytes())
    data[-10] ^= 0xFF
    made.path.write_bytes(bytes(data))
    with pytest.raises(BackupChanged, match="has changed since it was made"):
        server_backup.restore_archive(made.path, empty_server_url)
    loose = tmp_path / "elsewhere"
    loose.mkdir()
    copy = shutil.copy(server_backup.backup_server(server_url, tmp_path).backup.path, loose)
    with pytest.raises(BackupUnverified, match="not in the backup list"):
        server_backup.restore_archive(Path(copy), empty_server_url)
    restored = server_backup.restore_archive(Path(copy), empty_server_url, unverified=True)
    assert not restored.verified and "complaint" in restored.counts


def test_restore_into_a_database_that_is_not_empty_is_refused(server_url,
                                                             tmp_path: Path) -> None:
    _fill(server_url)
    made = server_backup.backup_server(server_url, tmp_path).backup
    with pytest.raises(DatabaseError, match="is not empty"):
        server_backup.restore_archive(made.path, server_url)
    with server_backup._connect(server_url) as connection:  # untouched
        assert server_backup._counts(connection)["complaint"] == 40


def test_neither_the_server_nor_a_secret_is_on_the_command_line(server_url, tmp_path: Path,
                                                   monkeypatch) -> None:
    from cscdesk.store.location import ServerURL

    seen: list[list[str]] = []
    real = server_backup.subprocess.run

    def watch(command, **options):  # type: ignore[no-untyped-def]
        seen.append(list(command))
        return real(command, **options)

    monkeypatch.setattr(server_backup.subprocess, "run", watch)
    server_backup.backup_server(server_url, tmp_path)
    assert seen and any("pg_dump" in part for part in seen[0])
    host = ServerURL(str(server_url)).host
    for command in seen:
        assert not any(host in part or "postgresql:" in part or part in ("-W", "--password")
                       for part in command)
    env = server_backup.libpq_environment(ServerURL(
        "postgresql://officer@db.council.example:5433/cscdesk?sslmode=verify-full"))
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"], env["PGSSLMODE"]) \
        == ("db.council.example", "5433", "officer", "cscdesk", "verify-full")


def test_pg_bin_names_the_programs_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSCDESK_PG_BIN", str(tmp_path))
    with pytest.raises(DatabaseError, match="pg_dump is not in"):
        server_backup.tool("pg_dump")
    monkeypatch.setenv("CSCDESK_PG_BIN", str(Path(shutil.which("pg_dump") or "").parent))
    assert server_backup.tool("pg_dump").name == "pg_dump"


def test_an_archive_whose_rows_differ_from_the_snapshot_is_not_kept(server_url, tmp_path: Path,
                                                                    monkeypatch) -> None:
    _fill(server_url)
    real = server_backup.archive_counts
    monkeypatch.setattr(server_backup, "archive_counts",
                        lambda archive: {**real(archive), "complaint": 39})
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="does not hold what the server had"):
        server_backup.backup_server(server_url, folder)
    assert list(folder.iterdir()) == []  # no archive, no list, no temporary file


def test_archives_are_pruned_by_the_servers_retention_settings(server_url,
                                                               tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from cscdesk import settings

    db = open_database(server_url)
    try:
        with db.transaction() as session:
            for option, value in ((settings.KEEP_ALL_DAYS, 0), (settings.KEEP_DAILY, 1),
                                  (settings.KEEP_WEEKLY, 0), (settings.KEEP_MONTHLY, 0)):
                settings.put(session, option, value)
    finally:
        db.close()
    first = datetime(2026, 1, 5, 18, 0)
    old = server_backup.backup_server(server_url, tmp_path, now=first).backup
    new = server_backup.backup_server(server_url, tmp_path,
                                      now=first + timedelta(days=1))
    assert new.removed == (old.path,) and not old.path.exists()
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())["backups"]
    assert [entry["file"] for entry in manifest] == [new.backup.path.name]


@pytest.mark.skipif(shutil.which("ps") is None, reason="no ps")
def test_the_process_list_shows_no_server_while_pg_dump_runs(server_url, tmp_path: Path,
                                                             monkeypatch) -> None:
    """pg_dump and pg_restore run through stand-ins (CSCDESK_PG_BIN) that record what `ps`
    shows for them, and their libpq environment, before running the real programs."""
    from cscdesk.store.location import ServerURL

    shims, seen = tmp_path / "bin", tmp_path / "seen.txt"
    shims.mkdir()
    for name in ("pg_dump", "pg_restore"):
        shim = shims / name
        shim.write_text(f"#!/bin/sh\nps -o args= -p $$ >> {seen}\n"
                        f"echo \"host=$PGHOST db=$PGDATABASE\" >> {seen}\n"
                        f"exec {shutil.which(name)} \"$@\"\n")
        shim.chmod(0o755)
    monkeypatch.setenv("CSCDESK_PG_BIN", str(shims))
    server_backup.backup_server(server_url, tmp_path / "home")
    lines = seen.read_text().splitlines()
    shown, environment = lines[0::2], lines[1::2]
    assert any("pg_dump" in line for line in shown) and any("pg_restore" in line
                                                            for line in shown)
    host = ServerURL(str(server_url)).host
    assert not any(host in line or "postgresql:" in line for line in shown)
    assert f"host={host} db={ServerURL(str(server_url)).database}" == environment[0]


def test_the_databases_owner_login_restores_without_being_a_superuser(
        server_url, postgres, tmp_path: Path) -> None:
    from cscdesk.store.location import ServerURL

    _fill(server_url)
    made = server_backup.backup_server(server_url, tmp_path).backup
    postgres.admin.execute("DROP ROLE IF EXISTS it_owner")
    postgres.admin.execute("CREATE ROLE it_owner LOGIN")
    postgres.admin.execute("CREATE DATABASE restored_by_owner OWNER it_owner TEMPLATE template0")
    try:
        target = ServerURL(postgres.server.url("restored_by_owner", user="it_owner"))
        restored = server_backup.restore_archive(made.path, target)
        assert restored.verified and restored.counts["complaint"] == 40
        assert _figures(target) == _figures(server_url)
    finally:
        postgres.drop("restored_by_owner")
        postgres.admin.execute("DROP OWNED BY it_owner")
        postgres.admin.execute("DROP ROLE it_owner")


def test_a_login_that_cannot_read_everything_is_told_to_use_the_owner(server_url, postgres,
                                                                      tmp_path: Path) -> None:
    from cscdesk.store.location import ServerURL

    postgres.admin.execute("DROP ROLE IF EXISTS it_auditor")
    postgres.admin.execute("CREATE ROLE it_auditor LOGIN IN ROLE cscdesk_auditor")
    try:
        url = ServerURL(postgres.server.url(server_url.database, user="it_auditor"))
        with pytest.raises(DatabaseError, match=r"permission denied.*use the database's owner"):
            server_backup.backup_server(url, tmp_path)
        assert not list(tmp_path.glob("*.pgdump"))
    finally:
        postgres.admin.execute("DROP ROLE it_auditor")
