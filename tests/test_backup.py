"""Backups: made with the online backup API, verified, listed in a manifest, pruned, and refused
with a sentence (leaving everything as it was) when the source or the folder is unusable."""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import sqlite3
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from cscdesk import __version__, paths, settings
from cscdesk.errors import DatabaseError
from cscdesk.store import backup, backup_list, soundness
from cscdesk.store.backup_folder import BackupFolderError
from cscdesk.store.models import Compliment, Team
from cscdesk.store.opening import open_database
from cscdesk.store.soundness import DatabaseDamaged
from old_schema import first_release_database

_template: list[Path] = []


def fresh_database(db_path: Path) -> None:
    """A new database at `db_path`, copied from one made once per run (creating one runs every
    migration, which would be most of these tests' time)."""
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="cscdesk-backup-template-"))
        atexit.register(shutil.rmtree, folder, True)
        open_database(folder / "template.db").close()
        _template.append(folder / "template.db")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template[0], db_path)


def fill(db_path: Path, count: int, prefix: str = "K") -> None:
    """`count` compliments in one transaction (enough rows to span many pages)."""
    if not db_path.exists():
        fresh_database(db_path)
    db = open_database(db_path)
    with db.transaction() as session:
        team_id = session.scalar(
            insert(Team).values(name=f"Team {prefix}").returning(Team.id)
        )
        session.execute(insert(Compliment), [
            {"reference": f"{prefix}-{i}", "received": date(2024, 5, 1), "team_id": team_id,
             "summary": f"Thanks from family {i} " * 8}
            for i in range(count)
        ])
    db.close()


def set_setting(db_path: Path, option: settings.Option, value: object) -> None:
    db = open_database(db_path)
    with db.transaction() as session:
        settings.put(session, option, value)
    db.close()


def damage(path: Path) -> None:
    """Overwrite bytes in the middle of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8192] = b"\xa5" * 8192
    path.write_bytes(bytes(data))


def test_a_backup_is_a_verified_copy_with_a_manifest(db_path: Path, tmp_path: Path) -> None:
    fill(db_path, 500)
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backup.backup_database(db_path, folder, now=datetime(2026, 11, 25, 19, 30))
    made = result.backup
    assert made is not None and made.path == folder / "cases-2026-11-25T193000.db"
    assert made.counts["compliment"] == 500 and made.counts["team"] == 1
    raw = sqlite3.connect(made.path)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert raw.execute("SELECT count(*) FROM compliment").fetchone() == (500,)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # opens anywhere
    raw.close()
    entry = json.loads((folder / backup_list.MANIFEST_NAME).read_text())["backups"][0]
    assert entry["file"] == made.path.name
    assert entry["sha256"] == hashlib.sha256(made.path.read_bytes()).hexdigest()
    assert entry["size"] == made.path.stat().st_size
    assert entry["app_version"] == __version__
    assert entry["schema_revision"] == soundness.check_database(db_path).revision
    assert entry["counts"]["compliment"] == 500
    assert sorted(p.name for p in folder.iterdir()) == [
        "cases-2026-11-25T193000.db", backup_list.MANIFEST_NAME
    ]


def test_data_still_in_the_wal_of_an_open_database_is_in_the_backup(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    with db.transaction() as session:
        team_id = session.scalar(insert(Team).values(name="Adoption").returning(Team.id))
        session.execute(insert(Compliment), [
            {"reference": f"W-{i}", "received": date(2024, 5, 1), "team_id": team_id}
            for i in range(50)
        ])
    assert Path(f"{db_path}-wal").stat().st_size > 0  # the rows are in the WAL, not the file
    open_transaction = db.session()
    open_transaction.execute(insert(Compliment).values(
        reference="UNCOMMITTED", received=date(2024, 5, 1), team_id=team_id))
    made = backup.backup_database(db_path, tmp_path).backup
    open_transaction.rollback()
    open_transaction.close()
    db.close()
    assert made is not None
    raw = sqlite3.connect(made.path)
    assert raw.execute("SELECT count(*) FROM compliment").fetchone() == (50,)
    raw.close()


def test_default_folder_setting_folder_and_unchanged_databases(db_path: Path,
                                                               tmp_path: Path) -> None:
    fill(db_path, 10)
    first = backup.backup_database(db_path).backup
    assert first is not None and first.path.parent == paths.default_backup_dir()
    chosen = tmp_path / "share"
    chosen.mkdir()
    set_setting(db_path, settings.BACKUP_FOLDER, str(chosen))
    second = backup.backup_database(db_path, only_if_changed=True).backup
    assert second is not None and second.path.parent == chosen
    again = backup.backup_database(db_path, only_if_changed=True)
    assert again.backup is None and again.unchanged_since == second
    assert len(backup_list.list_backups(chosen)) == 1
    fill(db_path, 1, prefix="NEW")
    assert backup.backup_database(db_path, only_if_changed=True).backup is not None


def test_two_backups_in_one_second_get_different_names(db_path: Path, tmp_path: Path) -> None:
    fill(db_path, 1)
    when = datetime(2026, 1, 2, 3, 4, 5)
    names = [backup.backup_database(db_path, tmp_path, now=when).backup.path.name
             for _ in range(2)]  # type: ignore[union-attr]
    assert names == ["cases-2026-01-02T030405.db", "cases-2026-01-02T030405-2.db"]
    assert len(backup_list.read_manifest(tmp_path)) == 2


def test_retention_prunes_only_listed_backups_of_this_database(db_path: Path,
                                                               tmp_path: Path) -> None:
    fill(db_path, 1)
    for option, value in ((settings.KEEP_ALL_DAYS, 0), (settings.KEEP_DAILY, 2),
                          (settings.KEEP_WEEKLY, 0), (settings.KEEP_MONTHLY, 0)):
        set_setting(db_path, option, value)
    stranger = tmp_path / "cases-2020-01-01T000000.db"  # a file the manifest does not list
    stranger.write_bytes(b"someone else's copy")
    start = datetime(2026, 3, 1, 12, 0)
    removed: list[Path] = []
    for day in range(5):
        result = backup.backup_database(db_path, tmp_path, now=start + timedelta(days=day))
        removed += result.removed
    kept = sorted(e.path.name for e in backup_list.read_manifest(tmp_path))
    assert kept == ["cases-2026-03-04T120000.db", "cases-2026-03-05T120000.db"]
    assert len(removed) == 3 and not any(p.exists() for p in removed)
    assert stranger.exists()


def test_the_only_good_backup_is_never_pruned(db_path: Path, tmp_path: Path) -> None:
    fill(db_path, 1)
    for option in (settings.KEEP_ALL_DAYS, settings.KEEP_DAILY, settings.KEEP_WEEKLY,
                   settings.KEEP_MONTHLY):
        set_setting(db_path, option, 0)
    backup.backup_database(db_path, tmp_path, now=datetime(2020, 1, 1))
    result = backup.backup_database(db_path, tmp_path, now=datetime(2020, 6, 1))
    assert [e.path for e in backup_list.read_manifest(tmp_path)] == [result.backup.path]  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["missing", "a file", "under a file"])
def test_an_unusable_backup_folder_gets_a_sentence_and_changes_nothing(
    db_path: Path, tmp_path: Path, kind: str
) -> None:
    fill(db_path, 5)
    before = db_path.read_bytes()
    if kind == "missing":
        folder, expected = tmp_path / "not-connected", "does not exist"
    elif kind == "a file":
        folder, expected = tmp_path / "file", "is a file, not a folder"
        folder.write_text("x")
    else:
        (tmp_path / "file").write_text("x")
        folder, expected = tmp_path / "file" / "backups", "file is a file, not a folder"
    with pytest.raises(BackupFolderError, match=expected):
        backup.backup_database(db_path, folder)
    assert db_path.read_bytes() == before
    assert not (tmp_path / "not-connected").exists()


def test_a_folder_that_cannot_be_written_leaves_nothing_behind(db_path: Path,
                                                               tmp_path: Path) -> None:
    """An unwritable folder, simulated by a folder set in the settings that sits under a file
    (tests run as root, so permissions would not stop them)."""
    fill(db_path, 5)
    (tmp_path / "plain-file").write_text("x")
    set_setting(db_path, settings.BACKUP_FOLDER, str(tmp_path / "plain-file" / "backups"))
    with pytest.raises(BackupFolderError, match="plain-file is a file, not a folder"):
        backup.backup_database(db_path)
    assert not paths.default_backup_dir().exists()


def test_a_damaged_database_is_not_backed_up_and_not_touched(db_path: Path,
                                                             tmp_path: Path) -> None:
    fill(db_path, 3000)
    damage(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged, match="damaged"):
        backup.backup_database(db_path, tmp_path)
    assert db_path.read_bytes() == before
    assert list(tmp_path.glob("cases-*")) == [] and list(tmp_path.glob(".cases*")) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"just some text\n" * 100, "not an SQLite file")],
)
def test_files_that_are_not_cscdesk_databases_are_not_backed_up(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message):
        backup.backup_database(path, tmp_path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "other.db"]


def test_latest_good_backup_skips_a_damaged_or_altered_one(db_path: Path,
                                                           tmp_path: Path) -> None:
    fill(db_path, 3000)
    good = backup.backup_database(db_path, tmp_path, now=datetime(2026, 1, 1)).backup
    bad = backup.backup_database(db_path, tmp_path, now=datetime(2026, 1, 2)).backup
    assert good is not None and bad is not None
    assert backup_list.latest_good_backup(tmp_path) == bad
    damage(bad.path)
    assert backup_list.latest_good_backup(tmp_path) == good
    assert backup_list.latest_good_backup(tmp_path / "nowhere") is None


def test_check_reports_broken_links(db_path: Path) -> None:
    fill(db_path, 2)
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE compliment SET team_id = 999 WHERE reference = 'K-1'")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseDamaged, match="broken link"):
        soundness.check_database(db_path)


def test_an_upgrade_is_preceded_by_a_verified_backup(db_path: Path) -> None:
    from cscdesk.store.revision import HEAD_REVISION

    if HEAD_REVISION == "0001":
        pytest.skip("no upgrade exists yet")
    first_release_database(db_path)
    open_database(db_path).close()
    made = backup_list.list_backups(paths.default_backup_dir(), "cases")
    assert [(m.reason, m.schema_revision, m.counts["complaint"]) for m in made] == [
        ("before upgrade", "0001", 1)
    ]
    assert soundness.check_database(made[0].path).revision == "0001"


def test_an_upgrade_whose_backup_fails_is_not_done(db_path: Path, tmp_path: Path) -> None:
    from cscdesk.store.revision import HEAD_REVISION

    if HEAD_REVISION == "0001":
        pytest.skip("no upgrade exists yet")
    first_release_database(db_path)
    (tmp_path / "a-file").write_text("x")
    raw = sqlite3.connect(db_path)
    raw.execute("INSERT INTO setting (key, value, created_at, updated_at) VALUES "
                "(?, ?, '2024-01-01', '2024-01-01')",
                (settings.BACKUP_FOLDER.key, str(tmp_path / "a-file" / "backups")))
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="was not upgraded or changed"):
        open_database(db_path)
    assert db_path.read_bytes() == before
    assert soundness.check_database(db_path).revision == "0001"


def test_paths_with_uri_characters_are_read_in_place(tmp_path: Path) -> None:
    """"#", "?" and "%" in a folder name must not make SQLite open (and create) another file."""
    folder = tmp_path / "case #1?x% folder"
    folder.mkdir()
    path = folder / "cases.db"
    fill(path, 3)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert soundness.check_database(path).counts["compliment"] == 3
    made = backup.backup_database(path, folder).backup
    assert made is not None and made.counts["compliment"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_backups_running_at_once_are_all_listed(db_path: Path, tmp_path: Path) -> None:
    """The app's backup and a scheduled one may overlap: the manifest keeps both."""
    from concurrent.futures import ThreadPoolExecutor

    fill(db_path, 2000)
    times = [datetime(2026, 5, 1, 9, 0, second) for second in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda when: backup.backup_database(db_path, tmp_path, now=when),
                                times))
    listed = sorted(e.path.name for e in backup_list.read_manifest(tmp_path))
    assert listed == sorted(r.backup.path.name for r in results)  # type: ignore[union-attr]
    assert len(listed) == 4
    assert not (tmp_path / ".cscdesk-backups.lock").exists()
