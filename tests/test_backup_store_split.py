"""The store split by job (issue 13): one atomic writer, one way to read a setting, an engine
that imports no backups, and readers (`check`, `backup`) that leave nothing beside a database."""

from __future__ import annotations

import ast
import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from cscdesk import atomic, settings
from cscdesk.errors import DatabaseError, UserFacingError
from cscdesk.store import backup
from cscdesk.store.backup_list import list_backups
from cscdesk.store.soundness import check_database
from test_backup import fill, set_setting

SOURCE = Path(__file__).resolve().parents[1] / "src" / "cscdesk"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- readers leave nothing (issue 12) --------------------------------------------------------

def test_check_and_backup_leave_no_wal_or_shm_beside_a_database(cli, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db_path = folder / "cases.db"
    fill(db_path, 20)
    assert _files(folder) == ["cases.db"]
    before = db_path.read_bytes()
    (tmp_path / "backups").mkdir()
    for command in (["check"], ["backup", "--to", tmp_path / "backups"], ["check", db_path]):
        result = cli("--db", db_path, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert _files(folder) == ["cases.db"], command
    assert db_path.read_bytes() == before
    assert [name for name in _files(tmp_path / "backups") if name.endswith(("-wal", "-shm"))] \
        == []


def test_a_backup_in_the_process_leaves_nothing_beside_the_database(db_path: Path,
                                                                    tmp_path: Path) -> None:
    fill(db_path, 20)
    (tmp_path / "b").mkdir()
    made = backup.backup_database(db_path, tmp_path / "b").backup
    assert made is not None
    check_database(db_path)
    assert _files(db_path.parent) == sorted(["cases.db", "b", "home"])


# --- one atomic writer ------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_every_file_written_is_private_while_and_after_it_is_written(tmp_path: Path) -> None:
    from cscdesk.store.engine import open_database

    new = tmp_path / "new.db"
    open_database(new).close()  # a new database, made by the engine through the writer
    (tmp_path / "b").mkdir()
    made = backup.backup_database(new, tmp_path / "b").backup
    assert made is not None
    for path in (new, made.path, tmp_path / "b" / "cscdesk-backups.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_writer_names_the_step_that_failed_and_leaves_nothing(tmp_path: Path,
                                                                  monkeypatch) -> None:
    with pytest.raises(atomic.WriteFailed) as caught, \
            atomic.replacing(tmp_path / "missing" / "a.txt"):
        pass
    assert caught.value.step == "temporary"

    target = tmp_path / "a.txt"
    target.write_text("old")

    def locked(source, destination):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "in use", str(destination))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserFacingError, match="open in another program"), \
            atomic.atomic_path(target) as temporary:
        temporary.write_text("new")
    assert target.read_text() == "old" and _files(tmp_path) == ["a.txt", "home"]


def test_leftovers_of_a_dead_process_and_its_sqlite_companions_are_removed(tmp_path: Path
                                                                           ) -> None:
    target = tmp_path / "cases.db"
    dead = 2 ** 22 + 1  # above Linux's default pid_max: no such process
    left = [tmp_path / f".cases.db.p{dead}-abcd.tmp{suffix}" for suffix in ("", "-journal")]
    mine = tmp_path / f".cases.db.p{os.getpid()}-efgh.tmp"  # another thread's, writing now
    for path in (*left, mine):
        path.write_text("x")
    with atomic.replacing(target) as temporary:
        temporary.write_text("new")
    assert target.read_text() == "new"
    assert [p.exists() for p in left] == [False, False] and mine.exists()


# --- one way to read a setting ----------------------------------------------------------------

def test_a_setting_reads_the_same_through_a_session_a_query_and_a_connection(
        db_path: Path) -> None:
    from cscdesk.report.query import ConnectionQuery
    from cscdesk.store.engine import open_database

    fill(db_path, 1)
    set_setting(db_path, settings.KEEP_DAILY, 3)
    db = open_database(db_path, lock=False)
    connection = sqlite3.connect(db_path)
    try:
        with db.session() as session:
            from_session = [settings.get(session, o) for o in (settings.KEEP_DAILY,
                                                               settings.KEEP_WEEKLY)]
        from_connection = [settings.get(connection, o) for o in (settings.KEEP_DAILY,
                                                                 settings.KEEP_WEEKLY)]
        query = ConnectionQuery(connection)
        from_query = [settings.get(query, o) for o in (settings.KEEP_DAILY,
                                                       settings.KEEP_WEEKLY)]
    finally:
        connection.close()
        db.close()
    assert from_session == from_connection == from_query == [3, 8]


def test_dead_declarations_are_gone() -> None:
    assert not hasattr(settings, "ALL_OPTIONS")
    assert "REASONS" not in (SOURCE / "store" / "backup.py").read_text(encoding="utf-8")


def test_moved_names_are_read_where_they_live() -> None:
    """`store.backup` makes backups; it no longer hands out the names of other jobs."""
    for name in ("check_database", "list_backups", "backup_folder_for", "restore_database",
                 "describe_counts", "paths"):
        assert not hasattr(backup, name), name


def _sources() -> list[tuple[str, str]]:
    return [(str(path.relative_to(SOURCE)), path.read_text(encoding="utf-8"))
            for path in sorted(SOURCE.rglob("*.py")) if "migrations" not in path.parts]


def test_settings_are_read_only_through_settings_and_files_written_only_through_atomic(
        ) -> None:
    assert [name for name, text in _sources() if "FROM setting" in text] == ["settings.py"]
    for call in ("os.replace(", "os.rename(", "mkstemp(", "NamedTemporaryFile(", "os.fsync("):
        assert [name for name, text in _sources() if call in text
                and name != "atomic.py"] == [], call


# --- no import circles ------------------------------------------------------------------------

def _imports(path: Path) -> set[str]:
    """Every cscdesk module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_engine_imports_no_backup_module_and_the_bin_not_the_records() -> None:
    engine = _imports(SOURCE / "store" / "engine.py")
    assert not [m for m in engine if m.startswith(("cscdesk.store.backup",
                                                   "cscdesk.store.restoring",
                                                   "cscdesk.store.opening"))]
    assert "cscdesk.store.records" not in _imports(SOURCE / "store" / "recycle_bin.py")
    for name in ("soundness", "backup_folder", "backup_list", "wording"):
        assert not [m for m in _imports(SOURCE / "store" / f"{name}.py")
                    if m in ("cscdesk.store.engine", "cscdesk.store.backup",
                             "cscdesk.store.restoring")], name


def test_the_engine_upgrades_only_what_it_was_handed_a_backup_for(tmp_path: Path) -> None:
    from cscdesk.store.engine import open_database
    from cscdesk.store.revision import HEAD_REVISION
    from old_schema import first_release_database

    if HEAD_REVISION == "0001":
        pytest.skip("no upgrade exists yet")
    path = tmp_path / "old.db"
    first_release_database(path)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not upgraded or changed"):
        open_database(path)
    assert path.read_bytes() == before

    from cscdesk.store.opening import open_database as open_safely

    open_safely(path).close()  # the store's own: a verified backup first
    from cscdesk import paths

    assert [b.reason for b in list_backups(paths.default_backup_dir(), "old")] \
        == ["before upgrade"]


def test_files_that_belong_together_are_written_all_or_none(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "a.pdf"
    with pytest.raises(OSError), atomic.replacing_all([first, second]) as (one, two):
        one.write_text("workbook")
        raise OSError(28, "No space left on device")  # while the second is written
    assert not first.exists() and not second.exists() and _files(tmp_path) == ["home"]
    with atomic.replacing_all([first, second]) as (one, two):
        one.write_text("workbook")
        two.write_text("pdf")
    assert (first.read_text(), second.read_text()) == ("workbook", "pdf")
    assert _files(tmp_path) == ["a.pdf", "a.xlsx", "home"]
