"""Restore and the command line: verified, backed up first, replaced in one step; anything
doubtful is refused with a sentence and the live database stays exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cscdesk import paths
from cscdesk.errors import DatabaseError
from cscdesk.store import backup, backup_list, restoring, soundness
from cscdesk.store.opening import open_database
from test_backup import damage, fill


def count(path: Path, table: str = "compliment") -> int:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        raw.close()


def test_restore_backs_up_the_current_database_then_replaces_it(db_path: Path,
                                                                tmp_path: Path) -> None:
    fill(db_path, 20)
    older = backup.backup_database(db_path, tmp_path).backup
    assert older is not None
    fill(db_path, 5, prefix="LATER")
    db = open_database(db_path)  # leave a WAL behind that must not be replayed into the copy
    with db.transaction() as session:
        session.connection().exec_driver_sql("DELETE FROM compliment WHERE reference = 'K-0'")
    db.close()
    prepared = restoring.restore_database(older.path, db_path, tmp_path)
    assert count(db_path) == 20
    assert prepared.safety_copy is not None and count(prepared.safety_copy) == 24
    assert soundness.check_database(db_path).counts["compliment"] == 20
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    assert not list(db_path.parent.glob(".cases.db.*"))
    reopened = open_database(db_path)  # the app reopens it
    reopened.close()


@pytest.mark.parametrize("kind", ["damaged", "empty", "text", "missing", "live itself"])
def test_a_doubtful_backup_is_refused_and_nothing_changes(
    db_path: Path, tmp_path: Path, kind: str
) -> None:
    fill(db_path, 3000)
    chosen = tmp_path / "chosen.db"
    if kind == "damaged":
        made = backup.backup_database(db_path, tmp_path).backup
        assert made is not None
        chosen = made.path
        damage(chosen)
    elif kind == "empty":
        chosen.write_bytes(b"")
    elif kind == "text":
        chosen.write_text("Reference,Received\nC-1,2024-05-03\n")
    elif kind == "live itself":
        chosen = db_path
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError):
        restoring.restore_database(chosen, db_path, tmp_path, unverified=True)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob(".cases.db.*"))


def test_a_damaged_live_database_is_kept_aside_and_replaced(db_path: Path,
                                                           tmp_path: Path) -> None:
    fill(db_path, 3000)
    good = backup.backup_database(db_path, tmp_path).backup
    assert good is not None
    damage(db_path)
    damaged_bytes = db_path.read_bytes()
    latest = backup_list.latest_good_backup(tmp_path, "cases")
    assert latest == good
    prepared = restoring.restore_database(latest.path, db_path, tmp_path)
    assert soundness.check_database(db_path).counts["compliment"] == 3000
    assert prepared.safety_copy is not None
    assert prepared.safety_copy.read_bytes() == damaged_bytes
    assert "exact copy" in prepared.safety_note


def test_cli_backup_check_restore(db_path: Path, tmp_path: Path, cli) -> None:
    fill(db_path, 30)
    folder = tmp_path / "scheduled"
    folder.mkdir()
    made = cli("--db", db_path, "backup", "--to", folder)
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout and "30 compliments" in made.stdout
    assert "integrity check ok" in made.stdout
    copy = next(folder.glob("cases-*.db"))
    assert str(copy) in made.stdout
    checked = cli("--db", db_path, "check")
    assert checked.returncode == 0 and "is sound" in checked.stdout
    assert soundness.check_database(copy).counts["compliment"] == 30
    fill(db_path, 1, prefix="EXTRA")
    restored = cli("--db", db_path, "restore", copy, "--backups", folder)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout and "backed up to" in restored.stdout
    assert count(db_path) == 30


def test_cli_check_of_a_damaged_database_names_the_latest_good_backup(
    db_path: Path, cli
) -> None:
    fill(db_path, 3000)
    good = backup.backup_database(db_path).backup  # into the default folder
    assert good is not None
    damage(db_path)
    before = db_path.read_bytes()
    result = cli("--db", db_path, "check")
    assert result.returncode == 1
    assert "damaged" in result.stderr and str(good.path) in result.stderr
    assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before
    refused = cli("--db", db_path, "backup")
    assert refused.returncode == 1 and refused.stderr.startswith("cscdesk: ")
    assert "damaged" in refused.stderr and db_path.read_bytes() == before


def test_a_backup_from_an_older_version_is_restored_and_upgraded_on_opening(
    db_path: Path, tmp_path: Path
) -> None:
    from cscdesk.store.revision import HEAD_REVISION
    from old_schema import first_release_database

    old = tmp_path / "old" / "cscdesk-2024-01-01T120000.db"
    old.parent.mkdir()
    first_release_database(old)
    fill(db_path, 3)
    restoring.restore_database(old, db_path, tmp_path, unverified=True)  # no backup list
    assert soundness.check_database(db_path).revision == "0001"
    open_database(db_path).close()  # upgraded, after a backup of the restored file
    assert soundness.check_database(db_path).revision == HEAD_REVISION
    reasons = sorted(info.reason for info in backup_list.list_backups(
        paths.default_backup_dir()) + backup_list.list_backups(tmp_path))
    assert "before upgrade" in reasons and "before restore" in reasons
