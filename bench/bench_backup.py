"""Backing up and verifying a 100,000-record database: the target is under 1 s.

Run: /work/venv/bin/python bench/bench_backup.py [--records N] [--keep FOLDER]

Builds a database of N records (default 100,000) across the five kinds with bulk inserts, then
times, best of three:
  - a full backup (online backup API in one read snapshot, integrity_check of the copy, counts
    compared, sha256, fsync, rename, manifest, retention),
  - `check_database` (what `cscdesk check` runs),
  - a restore (verify, stage and verify the copy, back up the current database, swap),
  - the backup on exit (only if changed), which runs after the window has gone, and the time
    `window.close()` takes with the backup actions installed,
  - `cscdesk check` and `cscdesk backup --to FOLDER` as the officer or Task Scheduler runs
    them: a fresh process each, wall time and peak memory (the child's maximum resident set,
    from os.wait4); target under 400 MB, and linear in the records (compare --records 100000
    with --records 200000). `--commands-only` measures just these.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

SHARES = (("complaint", 0.5), ("initial_feedback", 0.2), ("enquiry", 0.1),
          ("compliment", 0.15), ("dispute_resolution", 0.05))


def build(path: Path, total: int) -> None:
    from cscdesk.store.engine import open_database
    from cscdesk.store.models import (
        Complaint,
        Compliment,
        DisputeResolution,
        Enquiry,
        InitialFeedback,
        Team,
    )

    rng = random.Random(5)
    start = date(2019, 4, 1)
    db = open_database(path)
    with db.transaction() as session:
        teams = [session.scalar(insert(Team).values(name=f"Team {i}").returning(Team.id))
                 for i in range(12)]

        def day() -> date:
            return start + timedelta(days=rng.randrange(2500))

        def text() -> str:
            return f"Summary of case {rng.randrange(10**6)} " * rng.randrange(1, 4)

        makers = {
            "complaint": (Complaint, lambda i: {
                "reference": f"C-{i}", "received": (d := day()), "stage": rng.choice((1, 2, 3)),
                "team_id": rng.choice(teams), "due": d + timedelta(days=14),
                "summary": text(), "complainant": f"Person {i}"}),
            "initial_feedback": (InitialFeedback, lambda i: {
                "reference": f"IF-{i}", "received": day(), "team_id": rng.choice(teams),
                "summary": text()}),
            "enquiry": (Enquiry, lambda i: {
                "reference": f"E-{i}", "received": day(), "source": "MP",
                "team_id": rng.choice(teams), "enquirer": f"MP {i}", "summary": text()}),
            "compliment": (Compliment, lambda i: {
                "reference": f"K-{i}", "received": day(), "team_id": rng.choice(teams),
                "summary": text()}),
            "dispute_resolution": (DisputeResolution, lambda i: {
                "reference": f"D-{i}", "raised": day(), "team_id": rng.choice(teams),
                "summary": text()}),
        }
        for table, share in SHARES:
            model, make = makers[table]
            rows = [make(i) for i in range(int(total * share))]
            for chunk in range(0, len(rows), 20_000):
                session.execute(insert(model), rows[chunk:chunk + 20_000])
    db.close()


def best_of(runs: int, action) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return min(times), result


def measure_window_close(db_path: Path) -> tuple[float, float]:
    """(seconds for window.close() with the backup UI installed, seconds of the exit backup)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar

    from cscdesk.store.engine import open_database
    from cscdesk.ui.backup_ui import install_backup_ui
    from cscdesk.ui.dialog_service import ScriptedDialogs
    from cscdesk.ui.workers import wait_for_background_work

    app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    window.database = open_database(db_path)  # type: ignore[attr-defined]
    window.dialogs = ScriptedDialogs()  # type: ignore[attr-defined]
    window.menu_file = QMenu("File", window)  # type: ignore[attr-defined]
    window.toolbar = QToolBar("Main", window)  # type: ignore[attr-defined]
    controller = install_backup_ui(window)
    window.show()
    app.processEvents()
    with window.database.transaction() as session:  # type: ignore[attr-defined]
        session.connection().exec_driver_sql(
            "UPDATE complaint SET notes = 'changed' WHERE id = 1")
    began = time.perf_counter()
    window.close()
    closed = time.perf_counter() - began
    while controller.exit_backup is None:
        app.processEvents()
    began = time.perf_counter()
    wait_for_background_work()
    exit_backup = time.perf_counter() - began
    window.database.close()  # type: ignore[attr-defined]
    return closed, exit_backup


_CHILD = """
import sys
from cscdesk.cli import main
code = main(sys.argv[1:])
try:  # the peak of this process's own memory (wait4's figure includes the parent's at fork)
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print(f"PEAK-KB {peak}", file=sys.stderr)
except OSError:
    pass
sys.exit(code)
"""


def measure_command(*args: str | Path) -> tuple[float, float, str]:
    """(wall seconds, peak resident MB, first line of output) of `cscdesk ARGS` in a fresh
    process: its own high-water mark (VmHWM) on Linux, else the child's ru_maxrss."""
    import subprocess

    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _CHILD, *map(str, args)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output, errors = process.communicate()
    seconds = time.perf_counter() - began
    if process.returncode != 0:
        raise SystemExit(f"cscdesk {args} failed: {output}{errors}")
    peak = [line.split()[1] for line in errors.splitlines() if line.startswith("PEAK-KB ")]
    if peak:
        megabytes = int(peak[0]) / 1024
    else:
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        megabytes = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return seconds, megabytes, output.splitlines()[0]


def measure_commands(db_path: Path, work: Path, runs: int = 3) -> None:
    """`cscdesk check` and `cscdesk backup --to` in fresh processes: time and peak memory."""
    folder = work / "command-backups"
    folder.mkdir(exist_ok=True)
    for name, args in (("check", ("--db", db_path, "check")),
                       ("backup", ("--db", db_path, "backup", "--to", folder))):
        results = [measure_command(*args) for _ in range(runs)]
        print(f"cscdesk {name}: best {min(r[0] for r in results):.2f} s, median "
              f"{statistics.median(r[0] for r in results):.2f} s wall; peak memory "
              f"{max(r[1] for r in results):.0f} MB (target < 400 MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--commands-only", action="store_true",
                        help="only `cscdesk check` and `cscdesk backup` in fresh processes")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="cscdesk-bench-backup-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["CSCDESK_HOME"] = str(work / "home")
    from cscdesk.store import backup, restoring, soundness, wording

    db_path = work / "cscdesk.db"
    folder = work / "backups"
    folder.mkdir(exist_ok=True)
    began = time.perf_counter()
    if not db_path.exists():
        build(db_path, args.records)
    print(f"database: {db_path} ({db_path.stat().st_size / 2**20:.1f} MB), "
          f"built in {time.perf_counter() - began:.1f} s")
    facts = soundness.check_database(db_path)
    print(f"records: {facts.records:,} ({wording.describe_counts(facts.counts)})")
    measure_commands(db_path, work)
    if args.commands_only:
        return 0

    backup_times, cpu_times = [], []
    for _ in range(5):
        cpu = time.process_time()
        seconds, result = best_of(1, lambda: backup.backup_database(db_path, folder))
        cpu_times.append(time.process_time() - cpu)
        backup_times.append(seconds)
    made = result.backup  # type: ignore[union-attr]
    print(f"backup + verify: best {min(backup_times):.3f} s, median "
          f"{statistics.median(backup_times):.3f} s wall; CPU {min(cpu_times):.3f} s "
          f"({made.path.name}, {made.size / 2**20:.1f} MB; target < 1 s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    seconds, _ = best_of(3, lambda: soundness.check_database(db_path))
    print(f"check (integrity + foreign keys + counts): best {seconds:.3f} s")
    seconds, _ = best_of(1, lambda: restoring.restore_database(made.path, db_path, folder))
    print(f"restore (verify, stage, back up current, swap): {seconds:.3f} s")
    backup.backup_database(db_path, folder)
    seconds, result = best_of(1, lambda: backup.backup_database(
        db_path, folder, only_if_changed=True))
    print(f"backup when nothing changed (made, compared, discarded): {seconds:.3f} s "
          f"(skipped: {result.backup is None})")  # type: ignore[union-attr]
    closed, exit_backup = measure_window_close(db_path)
    print(f"window.close() with backups installed: {closed * 1000:.1f} ms; the backup on exit "
          f"then ran {exit_backup:.3f} s after the window had gone (target: window open < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
