"""One writer per database: a second writer gets a sentence naming who has it open, readers
still work, and a lock left by a killed process is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cscdesk.errors import DatabaseError
from cscdesk.store.engine import open_database
from cscdesk.store.lock import (
    DatabaseInUse,
    FileLock,
    acquire_writer_lock,
    lock_path_for,
    read_holder,
)

HOLD_OPEN = """
import sys
from cscdesk.store.engine import open_database
db = open_database(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


def start_holder(db_path: Path) -> subprocess.Popen[str]:
    """Another process that opens the database for writing and keeps it open."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def test_the_lock_file_sits_beside_the_database_and_names_its_holder(db_path: Path) -> None:
    db = open_database(db_path)
    lock_file = lock_path_for(db_path)
    assert lock_file == db_path.with_name("cases.db.lock") and lock_file.exists()
    holder = read_holder(lock_file)
    assert holder is not None and holder.pid == os.getpid()
    db.close()
    assert not lock_file.exists()


def test_another_writer_is_named_readers_still_work_and_a_killed_one_is_taken_over(
    db_path: Path,
) -> None:
    open_database(db_path).close()
    holder = start_holder(db_path)
    try:
        with pytest.raises(DatabaseInUse) as caught:
            open_database(db_path)
        reader = open_database(db_path, lock=False)
        reader.close()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    message = str(caught.value)
    assert f"is open in cscdesk on this PC (process {holder.pid}" in message
    assert "locked" not in message
    stale = read_holder(lock_path_for(db_path))
    assert stale is not None and stale.pid == holder.pid  # the file is still there ...
    db = open_database(db_path)  # ... but nobody holds it, so it is taken over
    now = read_holder(lock_path_for(db_path))
    db.close()
    assert now is not None and now.pid == os.getpid()


def test_a_writer_command_refuses_while_the_app_has_the_database(db_path: Path, cli,
                                                                 tmp_path: Path) -> None:
    db = open_database(db_path)
    made = cli("--db", db_path, "backup", "--to", tmp_path)  # readers are welcome
    assert made.returncode == 0, made.stderr
    backup_file = next(tmp_path.glob("cases-*.db"))
    before = db_path.read_bytes()
    result = cli("--db", db_path, "restore", backup_file)
    db.close()
    assert result.returncode == 1
    assert f"is open in cscdesk on this PC (process {os.getpid()}" in result.stderr
    assert "database is locked" not in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_a_lock_file_with_rubbish_in_it_is_taken_over(db_path: Path) -> None:
    lock_path_for(db_path).write_bytes(b"\x00\xffnot a lock file")
    open_database(db_path).close()


def test_two_holds_in_one_process_share_the_lock(db_path: Path) -> None:
    first = open_database(db_path)
    second = open_database(db_path)
    first.close()
    # still held for `second`: another process is refused
    holder = subprocess.run(
        [sys.executable, "-c", HOLD_OPEN, str(db_path)], input="", capture_output=True,
        text=True, timeout=60, check=False,
    )
    assert "is open in cscdesk" in holder.stderr
    second.close()
    second.close()  # closing twice is harmless
    assert not lock_path_for(db_path).exists()


def test_os_lock_excludes_a_second_open_file(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    first, second = FileLock(path), FileLock(path)
    assert first.try_acquire("one")
    assert not second.try_acquire("two")
    first.release()
    assert second.try_acquire("two")
    second.release()


def test_a_database_under_a_file_gets_a_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="Cannot create the folder"):
        open_database(blocker / "cscdesk.db")
    with pytest.raises(DatabaseError, match="lock file"):
        acquire_writer_lock(blocker / "cscdesk.db")
