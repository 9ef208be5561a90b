"""Killing a writing process at any moment never corrupts the database, never leaves half a
transaction and never leaves half a backup.

A writer saves records (each with a counter in the same transaction), bulk-inserts batches of
thousands of rows in one transaction each, and makes backups; it is killed with SIGKILL at random
moments. After every kill the database must pass the same check as `cscdesk check`, the counter
must equal the records saved, every batch must be complete or absent, and every listed backup
must verify. The writers are forked from one prepared process, so many kills stay quick.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cscdesk import settings
from cscdesk.store import backup_list, soundness

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

BATCH = 4000
KILLS = 16
# The records saved so far, counted in the same transaction as each record.
SAVED = settings.Option("crash_test_saved", 0, "Records saved by the crash test")

FORK_SERVER = r"""
import os, sys
from datetime import date
from sqlalchemy import insert
from cscdesk import settings
from cscdesk.domain.kinds import ComplaintData
from cscdesk.store import backup, backup_list, lists, records, soundness
from cscdesk.store.engine import open_database
from cscdesk.store.models import Compliment, Team

SAVED = settings.Option("crash_test_saved", 0, "Records saved by the crash test")

db_path, folder, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])


def prepare():
    # done once, before any fork: the schema, the team and the working calendar
    db = open_database(db_path)
    with db.transaction() as session:
        calendar = lists.working_calendar(session)
        team = session.query(Team).filter_by(name="Adoption").one_or_none()
        if team is None:
            team = Team(name="Adoption")
            session.add(team)
            session.flush()
        team_id = team.id
    with db.transaction() as session:  # warm up the ORM once, so forked writers start at once
        records.save(session, ComplaintData("WARM-UP", date(2024, 5, 3), 1, "Adoption"),
                     calendar=calendar)
        session.execute(insert(Compliment), [
            {"reference": f"WARM-UP-{i}", "received": date(2024, 5, 1), "team_id": team_id,
             "summary": "warm-up"} for i in range(batch)
        ])
    db.close()
    return calendar, team_id


calendar, team_id = prepare()


def write_forever(run):
    db = open_database(db_path)
    print(f"ready {os.getpid()}", flush=True)
    step = 0
    while True:
        step += 1
        with db.transaction() as session:  # a record and its counter: both or neither
            records.save(session, ComplaintData(f"R{run}-{step}", date(2024, 5, 3), 1,
                                                "Adoption"), calendar=calendar)
            settings.put(session, SAVED, settings.get(session, SAVED) + 1)
        if step % 2 == 0:
            with db.transaction() as session:  # thousands of rows: all or nothing
                session.execute(insert(Compliment), [
                    {"reference": f"B{run}-{step}-{i}", "received": date(2024, 5, 1),
                     "team_id": team_id, "summary": f"batch {run}-{step}"}
                    for i in range(batch)
                ])
        if step % 5 == 0:
            backup.backup_database(db_path, folder, reason="scheduled")


for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "run":
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(int(argument))
            finally:
                os._exit(3)
    elif command == "reap":
        _, status = os.waitpid(int(argument), 0)
        print(f"reaped {os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1}", flush=True)
"""


def assert_all_or_nothing(db_path: Path) -> tuple[int, int]:
    """The checks after a kill; returns (records saved, complete batches)."""
    facts = soundness.check_database(db_path)  # what `cscdesk check` runs: exit 0 only if sound
    raw = sqlite3.connect(db_path)
    try:
        saved = settings.get(raw, SAVED)
        complaints = raw.execute(
            "SELECT count(*) FROM complaint WHERE reference LIKE 'R%'").fetchone()[0]
        batches = raw.execute(
            "SELECT summary, count(*) FROM compliment GROUP BY summary").fetchall()
    finally:
        raw.close()
    assert complaints == saved
    assert facts.counts["complaint"] >= complaints
    for batch, rows in batches:
        assert rows == BATCH, f"batch {batch} has {rows} of {BATCH} rows"
    return complaints, sum(1 for name, _ in batches if name != "warm-up")


@pytest.mark.slow
def test_kill_minus_nine_at_random_moments_never_leaves_half_a_transaction(
    tmp_path: Path, cli
) -> None:
    db_path = tmp_path / "crash.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-c", FORK_SERVER, str(db_path), str(folder), str(BATCH)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
    )
    assert server.stdin is not None and server.stdout is not None
    rng = random.Random(20261125)
    totals: list[tuple[int, int]] = []
    verified: set[Path] = set()
    try:
        for run in range(KILLS):
            server.stdin.write(f"run {run}\n")
            server.stdin.flush()
            ready = server.stdout.readline().split()
            assert ready[:1] == ["ready"], ready
            time.sleep(rng.uniform(0.02, 0.7))
            os.kill(int(ready[1]), signal.SIGKILL)
            server.stdin.write(f"reap {ready[1]}\n")
            server.stdin.flush()
            assert server.stdout.readline().split() == ["reaped", str(int(signal.SIGKILL))]
            totals.append(assert_all_or_nothing(db_path))
            for listed in backup_list.read_manifest(folder):
                if listed.path not in verified:  # each backup once: made whole, or not listed
                    backup_list.verify_backup(listed)
                    verified.add(listed.path)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    saved, batches = totals[-1]
    assert saved > 0 and batches > 0  # the writers really got work done between kills
    assert all(a <= b for (a, _), (b, _) in itertools.pairwise(totals))
    for path in folder.glob("crash-*.db"):  # nothing half-made under a backup's name
        soundness.check_database(path)
    result = cli("--db", db_path, "check")  # and the command says so too
    assert result.returncode == 0 and "is sound" in result.stdout, result.stderr


IMPORT_ROWS = 6000


@pytest.mark.slow
def test_a_workbook_import_killed_at_random_moments_is_all_or_nothing(
    tmp_path: Path,
) -> None:
    """`cscdesk import` killed with SIGKILL while it works: all of the workbook or none."""
    exchange = pytest.importorskip("cscdesk.exchange")
    from cscdesk.store.engine import open_database
    from test_backup import fill

    source = tmp_path / "source.db"
    fill(source, IMPORT_ROWS)
    workbook = tmp_path / "records.xlsx"
    db = open_database(source, lock=False)
    exchange.export_workbook(db, workbook)
    db.close()
    outcomes = []
    for attempt, delay in enumerate((0.1, 0.6, 1.1)):
        target = tmp_path / f"target{attempt}.db"
        process = subprocess.Popen(
            [sys.executable, "-m", "cscdesk", "--db", str(target), "import", str(workbook)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        while not target.exists() and process.poll() is None:  # the import is under way
            time.sleep(0.01)
        time.sleep(delay)
        process.kill()
        process.wait()
        facts = soundness.check_database(target)
        outcomes.append(facts.counts["compliment"])
        assert facts.counts["compliment"] in (0, IMPORT_ROWS), facts.counts
    assert outcomes[0] == 0  # killed at once: nothing of it
