"""Start-up of the desktop app against a bare PySide6 window, on a 62,000-record database.

    .venv/bin/python bench/bench_startup.py [--runs 10] [--records 62000] [--pane dashboard]

Alternates, `--runs` times, two whole processes, both offscreen (QT_QPA_PLATFORM=offscreen):
  (a) a bare window: QApplication + QMainWindow (1280 × 800, as cscdesk's first window) shown;
  (b) `python -m cscdesk --db BIG.db` with CSCDESK_EXIT_AFTER_FIRST_PAINT=1 and CSCDESK_HOME in
      a temp folder (a fresh window.ini each run, showing `--pane`; the dashboard is what a
      first start shows).
Both print the moment of their first paint in seconds since the process started, the way
cscdesk measures it (`cscdesk.ui.app._process_age`: /proc start time, 10 ms ticks), and the CPU
time used; the bench prints the median and range of both, and the ratio of the medians
(target: cscdesk ≤ 3 × the bare window).

Then one `python -X importtime` run of (b) lists the biggest imports made before the first
paint (after it, only the background work and the exit remain).

The database is built with bulk inserts (bench_ui.build_database) once, and kept in the temp
folder for later runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH_DIR = Path(tempfile.gettempdir()) / "cscdesk-bench-startup"
PAINTED = re.compile(r"first paint after ([0-9.]+) s \(cpu ([0-9.]+) s\)")

# The bare window: what PySide6 costs on this machine, measured exactly as cscdesk measures
# itself (src/cscdesk/ui/app.py: `_process_age`, the repaint in a zero timer, then close).
BARE_WINDOW = r'''
import os, sys, time
from pathlib import Path


def _process_age():
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.process_time()


from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)
window.show()


def report_first_paint():
    window.repaint()
    print(f"first paint after {_process_age():.3f} s (cpu {time.process_time():.3f} s)",
          file=sys.stderr, flush=True)
    window.close()


QTimer.singleShot(0, report_first_paint)
sys.exit(app.exec())
'''


def database(records: int) -> Path:
    """The bench database, built once (bulk inserts, as bench_ui builds its own)."""
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"startup-{records}.db"
    if path.exists():
        return path
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_ui import build_database

    began = time.perf_counter()
    os.environ["CSCDESK_HOME"] = str(BENCH_DIR / "build-home")
    building = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    build_database(building, records)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    building.rename(path)
    print(f"built {records:,} records in {time.perf_counter() - began:.1f} s")
    return path


def fresh_home(pane: str) -> Path:
    """A CSCDESK_HOME with nothing but the pane to show (no geometry, no backups)."""
    home = BENCH_DIR / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    (home / "config").mkdir()
    (home / "config" / "window.ini").write_text(f"[General]\npane={pane}\n")
    return home


def launch(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run one process to its end: (first paint by its own clock, its CPU time then,
    wall seconds from launch until the paint line was read, all of stderr)."""
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True,
                               stdout=subprocess.DEVNULL)
    assert process.stderr is not None
    lines, age, cpu, wall = [], None, None, None
    for line in process.stderr:
        lines.append(line)
        found = PAINTED.search(line)
        if found and age is None:
            wall = time.perf_counter() - began
            age, cpu = float(found[1]), float(found[2])
    status = process.wait(timeout=120)
    if age is None or status != 0:
        raise SystemExit(f"{command[1:3]} did not report a first paint (exit {status}):\n"
                         + "".join(lines[-30:]))
    assert cpu is not None and wall is not None
    return age, cpu, wall, "".join(lines)


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s "
            f"(range {min(values):.3f}–{max(values):.3f})")


def biggest_imports(stderr: str, shown: int = 15) -> None:
    """From `-X importtime` output: the imports made before the first paint, by package, and
    the biggest libraries cscdesk's own modules pull in (with the module that asked)."""
    rows: list[tuple[int, int, int, str]] = []  # own µs, cumulative µs, depth, name
    for line in stderr.splitlines():
        if PAINTED.search(line):
            break
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((int(own), int(cumulative), depth, name.strip()))
    by_package: dict[str, int] = defaultdict(int)
    for own, _cumulative, _depth, name in rows:
        by_package[name.split(".")[0]] += own
    total = sum(by_package.values())
    print(f"imports before the first paint: {len(rows)} modules, {total / 1000:.0f} ms "
          "(one -X importtime run, which itself slows importing)")
    top = sorted(by_package.items(), key=lambda item: -item[1])[:shown]
    print("  own time by top-level package: "
          + ", ".join(f"{package} {own / 1000:.0f} ms" for package, own in top))
    pulled = []
    for number, (_own, cumulative, depth, name) in enumerate(rows):
        # A module is listed before the one that imported it, one level shallower.
        parent = next((row[3] for row in rows[number + 1:] if row[2] < depth), "")
        if not name.startswith("cscdesk") and (not parent or parent.startswith("cscdesk")):
            pulled.append((cumulative, name, parent or "(start)"))
    print("  biggest libraries imported by cscdesk modules (cumulative):")
    for cumulative, name, parent in sorted(pulled, reverse=True)[:shown]:
        print(f"    {cumulative / 1000:7.1f} ms  {name:<32} by {parent}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--records", type=int, default=62_000)
    parser.add_argument("--pane", default="dashboard",
                        help="the pane the app opens on (dashboard, COMPLAINT, …)")
    parser.add_argument("--no-importtime", action="store_true")
    args = parser.parse_args()
    db_path = database(args.records)
    # Compiled bytecode is kept, as an installed copy or the bundle has it (with
    # PYTHONDONTWRITEBYTECODE every cscdesk module would be compiled again at each start); it
    # goes into the bench folder, not the source tree.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPYCACHEPREFIX": str(BENCH_DIR / "pycache")}
    for name in ("CSCDESK_EXIT_AFTER_FIRST_PAINT", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    bare_command = [sys.executable, "-c", BARE_WINDOW]
    app_command = [sys.executable, "-m", "cscdesk", "--db", str(db_path)]

    def app_env() -> dict[str, str]:
        return {**env, "CSCDESK_HOME": str(fresh_home(args.pane)),
                "CSCDESK_EXIT_AFTER_FIRST_PAINT": "1"}

    print(f"database: {db_path} ({db_path.stat().st_size / 1e6:.0f} MB); Python "
          f"{sys.version.split()[0]}; load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} CPUs")
    launch(bare_command, env)  # warm the file cache for both
    launch(app_command, app_env())
    bare: list[tuple[float, float, float]] = []
    app: list[tuple[float, float, float]] = []
    for _run in range(args.runs):
        bare.append(launch(bare_command, env)[:3])
        app.append(launch(app_command, app_env())[:3])
    for name, results in (("bare PySide6 window", bare), (f"cscdesk ({args.pane})", app)):
        ages, cpus, walls = zip(*results, strict=True)
        print(f"{name:>22}: first paint {summary(list(ages))}; CPU median "
              f"{statistics.median(cpus):.3f} s; launch to paint line "
              f"{statistics.median(walls):.3f} s")
    bare_median = statistics.median(run[0] for run in bare)
    app_median = statistics.median(run[0] for run in app)
    pairs = sorted(a[0] / b[0] for a, b in zip(app, bare, strict=True))
    print(f"ratio cscdesk / bare (medians): {app_median / bare_median:.2f} × "
          f"(run by run {pairs[0]:.2f}–{pairs[-1]:.2f} ×; target ≤ 3 ×)")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    if not args.no_importtime:
        output = launch([sys.executable, "-X", "importtime", *app_command[1:]], app_env())[3]
        biggest_imports(output)


if __name__ == "__main__":
    main()
