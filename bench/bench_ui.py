"""Speed of the desktop app on a 100,000-record database.

    .venv/bin/python bench/bench_ui.py [--records 100000] [--summary-words 8]

Measures, and prints:
- start-up: `cscdesk` launched as a whole process (offscreen) until the window has been painted
  with the Complaints list (the app's CSCDESK_EXIT_AFTER_FIRST_PAINT hook prints that moment),
  and until the process has ended; peak memory of that process;
- search: typing into the Complaints search box, each keystroke's query, first page and repaint;
- opening a record: from the request to the record form being shown (needs the forms);
- memory of the whole in-process session at the end.
Targets (issue 4): usable within 1.5 s, search within 100 ms, opening within 100 ms, < 300 MB.

The database is built with bulk inserts once and kept in the temp folder for later runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH_DIR = Path(tempfile.gettempdir()) / "cscdesk-bench-ui"


def offscreen_full_hd() -> str:
    """The offscreen platform with a 1920 × 1080 screen (its own is 800 × 600, where the
    window would open smaller than on a council PC and paint fewer rows)."""
    BENCH_DIR.mkdir(exist_ok=True)
    config = BENCH_DIR / "offscreen-screen.json"
    config.write_text('{"screens": [{"name": "bench", "x": 0, "y": 0, "width": 1920, '
                      '"height": 1080, "logicalDpiX": 96, "logicalDpiY": 96}]}')
    return f"offscreen:configfile={config}"


os.environ.setdefault("QT_QPA_PLATFORM", offscreen_full_hd())
TEAMS = [f"{area} {unit}" for area in ("North", "South", "East", "West", "Central")
         for unit in ("Fostering", "Adoption", "Children in Care", "Safeguarding",
                      "Leaving Care", "Disabled Children", "Early Help", "Assessment")]
FIRST_NAMES = ("Ann", "Bob", "Cara", "Dev", "Ella", "Femi", "Gus", "Hana", "Ivan", "Jo")
LAST_NAMES = ("Smith", "Jones", "Patel", "Okafor", "Nowak", "Brown", "Khan", "Evans", "Wood")
WORDS = ("late", "visit", "letter", "plan", "contact", "meeting", "review", "placement",
         "school", "worker", "record", "phone", "money", "transport", "respite")


def build_database(path: Path, records: int, summary_words: int = 8) -> None:
    """Bulk-insert `records` records over six reporting years (70% complaints)."""
    from sqlalchemy import insert

    from cscdesk.domain.kinds import EnquirySource, Outcome
    from cscdesk.store import lists
    from cscdesk.store.engine import open_database
    from cscdesk.store.models import (
        Complaint,
        Compliment,
        DisputeResolution,
        Enquiry,
        InitialFeedback,
        RootCause,
        Team,
    )

    random.seed(4)
    database = open_database(path)
    today = date.today()
    start = today - timedelta(days=6 * 365)
    span = (today - start).days
    with database.transaction() as session:
        team_ids = [lists.get_or_add(session, Team, name).id for name in TEAMS]
        cause_ids = [lists.get_or_add(session, RootCause, name).id
                     for name in ("Communication", "Delay", "Staff conduct", "Policy")]
        calendar = lists.working_calendar(session)
    due_cache: dict[tuple[date, int, bool], date] = {}

    def due(received: date, stage: int, extended: bool) -> date:
        key = (received, stage, extended)
        if key not in due_cache:
            due_cache[key] = calendar.response_due(received, stage, extended)
        return due_cache[key]

    def text(count: int) -> str:
        return " ".join(random.choice(WORDS) for _ in range(count))

    counts = {"complaint": int(records * 0.70), "initial_feedback": int(records * 0.10),
              "enquiry": int(records * 0.08), "compliment": int(records * 0.07)}
    counts["dispute"] = records - sum(counts.values())
    complaints = []
    for number in range(counts["complaint"]):
        received = start + timedelta(days=random.randrange(span))
        stage = random.choices((1, 2, 3), (80, 15, 5))[0]
        extended = random.random() < 0.2
        due_date = due(received, stage, extended)
        closed = None
        if due_date < today - timedelta(days=30) or random.random() < 0.5:
            closed = min(today, due_date + timedelta(days=random.randrange(-5, 10)))
            closed = max(closed, received)
        done = closed is not None
        complaints.append({
            "reference": f"C-{number:06d}", "received": received, "stage": stage,
            "team_id": random.choice(team_ids), "extended": extended, "due": due_date,
            "responded": closed, "closed": closed,
            "outcome": random.choice(list(Outcome)).value if done else None,
            "root_cause_id": random.choice(cause_ids) if done else None,
            "learning": text(6) if done else "", "adr": False, "lgo_decision": "",
            "complainant": f"{random.choice(FIRST_NAMES)} {random.choice(LAST_NAMES)}",
            "summary": text(summary_words), "notes": "", "legal_hold": False,
        })

    def simple(prefix: str, count: int, **extra) -> list[dict]:
        rows = []
        for number in range(count):
            received = start + timedelta(days=random.randrange(span))
            row = {"reference": f"{prefix}-{number:06d}", "team_id": random.choice(team_ids),
                   "summary": text(summary_words), "legal_hold": False}
            for name, make in extra.items():
                row[name] = make(received)
            rows.append(row)
        return rows

    with database.transaction() as session:
        session.execute(insert(Complaint), complaints)
        session.execute(insert(InitialFeedback), simple(
            "IF", counts["initial_feedback"], received=lambda d: d,
            resolved=lambda d: d + timedelta(days=3)))
        session.execute(insert(Enquiry), simple(
            "EN", counts["enquiry"], received=lambda d: d,
            source=lambda d: random.choice(list(EnquirySource)).value,
            enquirer=lambda d: f"Cllr {random.choice(LAST_NAMES)}",
            responded=lambda d: d + timedelta(days=9)))
        session.execute(insert(Compliment), simple("CO", counts["compliment"],
                                                   received=lambda d: d))
        session.execute(insert(DisputeResolution), simple(
            "DR", counts["dispute"], raised=lambda d: d, resolved=lambda d: None))
    database.close()


def measure_start(db_path: Path, runs: int) -> None:
    """Whole-process start-up until the Complaints list is painted."""
    home = Path(tempfile.mkdtemp(prefix="cscdesk-bench-home-"))
    (home / "config").mkdir()
    (home / "config" / "window.ini").write_text("[General]\npane=COMPLAINT\n")
    env = {**os.environ, "CSCDESK_HOME": str(home), "CSCDESK_EXIT_AFTER_FIRST_PAINT": "1",
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    painted, ended, ages, cpus = [], [], [], []
    for _ in range(runs):
        began = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "cscdesk", "--db", str(db_path)],
                                   env=env, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("first paint after"):
                painted.append(time.perf_counter() - began)
                ages.append(float(line.split()[3]))
                cpus.append(float(line.split()[6]))
                break
        process.wait(timeout=60)
        ended.append(time.perf_counter() - began)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"start-up, whole process ({runs} runs, median): first page painted "
          f"{statistics.median(painted):.2f} s after launch (app's own clock "
          f"{statistics.median(ages):.2f} s, of which CPU {statistics.median(cpus):.2f} s), "
          f"process ended {statistics.median(ended):.2f} s; slowest paint {max(painted):.2f} s")
    print(f"start-up peak memory: {peak_mb:.0f} MB")


def measure_in_process(db_path: Path) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from cscdesk.domain.kinds import Kind
    from cscdesk.store.engine import open_database
    from cscdesk.ui.app import freeze_startup_objects
    from cscdesk.ui.dialog_service import ScriptedDialogs
    from cscdesk.ui.main_window import MainWindow

    os.environ["CSCDESK_HOME"] = tempfile.mkdtemp(prefix="cscdesk-bench-home-")
    app = QApplication.instance() or QApplication([])
    database = open_database(db_path)
    from cscdesk.ui.workers import wait_for_background_work

    window = MainWindow(database, ScriptedDialogs())
    window.show()
    pane = window.show_pane(Kind.COMPLAINT.name)
    app.processEvents()
    wait_for_background_work()  # the dashboard's year figures, worked out at start
    app.processEvents()
    freeze_startup_objects()  # as the app does once its window is on screen

    cpu_ms: list[float] = []

    class PaintCounter(QObject):
        """Counts the list's paints, to be sure each timing includes one."""

        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = PaintCounter()
    pane.table.viewport().installEventFilter(paints)

    def timed(action) -> float:
        """Wall milliseconds from the action until the list has been painted, as the event
        loop paints it; the GUI thread's CPU milliseconds go to `cpu_ms` (on a busy machine
        the CPU time shows what the work costs, the wall time what it felt like)."""
        began, began_cpu = time.perf_counter(), time.thread_time()
        painted = paints.count
        action()
        app.processEvents()  # what the event loop does next: the pending paint
        if paints.count == painted:
            pane.table.viewport().repaint()
        cpu_ms.append((time.thread_time() - began_cpu) * 1000)
        return (time.perf_counter() - began) * 1000

    def settle() -> float:
        """Milliseconds until a background count has arrived."""
        began = time.perf_counter()
        while pane.model.counting:
            app.processEvents()
        return (time.perf_counter() - began) * 1000

    def type_text(text: str) -> list[tuple[float, float, float]]:
        pane.search.clear()
        pane.apply_filters()
        times = []
        for end in range(1, len(text) + 1):
            pane.search.setText(text[:end])
            wall = timed(pane.apply_filters)
            times.append((wall, cpu_ms[-1], wall + settle()))
        return times

    print(f"window {window.width()} x {window.height()}; rows held: {pane.model.rowCount()} "
          f"({pane.counts_label.text()})")
    for typed in ("smith", "letter plan", "C-04321", "north fostering", "zzz", "placement"):
        rounds = [type_text(typed) for _ in range(3)]
        keys = list(zip(*rounds, strict=True))
        walls = [statistics.median(t[0] for t in key) for key in keys]
        cpus = [statistics.median(t[1] for t in key) for key in keys]
        counted = [statistics.median(t[2] for t in key) for key in keys]
        print(f"search typed {typed!r}, per keystroke, median of 3: list shown "
              f"{', '.join(f'{t:.0f}' for t in walls)} ms (worst {max(walls):.0f}); GUI CPU "
              f"{', '.join(f'{t:.0f}' for t in cpus)} ms (worst {max(cpus):.0f}); counts shown "
              f"{', '.join(f'{t:.0f}' for t in counted)} ms -> {pane.counts_label.text()}")
    pane.search.clear()
    pane.apply_filters()
    header = pane.table.horizontalHeader()
    sorts = []
    for column, shown in enumerate(pane.model.columns):
        took = timed(lambda c=column: header.setSortIndicator(c, header.sortIndicatorOrder()))
        sorts.append(f"{shown.key} {took:.0f}")
    print(f"sort by each column (header click until painted), ms: {', '.join(sorts)}")
    pane.year.setCurrentIndex(1)
    took = timed(lambda: pane.status.setCurrentIndex(pane.status.findText("Overdue")))
    print(f"filter this year + overdue: {took:.0f} ms (CPU {cpu_ms[-1]:.0f} ms) -> "
          f"{pane.counts_label.text()}")
    pane.status.setCurrentIndex(0)
    pane.year.setCurrentIndex(0)
    for column in (1, 2):  # received (an index walked), status (sorted once)
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
        app.processEvents()
        pages = [timed(pane.model.fetchMore) for _ in range(20)]
        print(f"scrolling, sorted by {pane.model.columns[column].key}: 20 more pages, "
              f"each fetched and painted in {', '.join(f'{t:.0f}' for t in pages)} ms "
              f"({pane.model.rowCount():,} rows held)")
    dashboard = window.show_pane("dashboard")
    began = time.perf_counter()
    dashboard.refresh()
    while not dashboard.lists_ready:
        app.processEvents()
    lists_ms = (time.perf_counter() - began) * 1000
    wait_for_background_work()
    print(f"dashboard: open counts and due/overdue lists shown {lists_ms:.0f} ms after a refresh"
          f" (off the GUI thread); year figures {(time.perf_counter() - began) * 1000:.0f} ms")
    window.show_pane(Kind.COMPLAINT.name)

    try:
        from cscdesk.ui.forms import open_record_form  # noqa: F401
    except ImportError:
        print("opening a record: record forms not installed; not measured")
    else:
        shown_after: list[float] = []
        for reference in ("C-000123", "C-050000", "C-069999"):
            began = time.perf_counter()

            def close_form(began: float = began) -> None:
                shown_after.append((time.perf_counter() - began) * 1000)
                modal = QApplication.activeModalWidget()
                if modal is not None:
                    modal.reject()

            QTimer.singleShot(0, close_form)
            window.open_record(Kind.COMPLAINT, reference)
        print(f"opening a record until its form is shown: "
              f"{', '.join(f'{t:.0f}' for t in shown_after)} ms")
    wait_for_background_work()
    app.processEvents()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"in-process peak memory (window, all of the above): {peak_mb:.0f} MB")
    window.close()
    database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--summary-words", type=int, default=8,
                        help="words in each summary (8 is about 55 characters)")
    args = parser.parse_args()
    BENCH_DIR.mkdir(exist_ok=True)
    words = "" if args.summary_words == 8 else f"-{args.summary_words}w"
    db_path = BENCH_DIR / f"ui-{args.records}{words}.db"
    if not db_path.exists():
        began = time.perf_counter()
        os.environ["CSCDESK_HOME"] = str(BENCH_DIR / "home")
        building = db_path.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        build_database(building, args.records, args.summary_words)
        building.rename(db_path)
        print(f"built {args.records:,} records in {time.perf_counter() - began:.1f} s")
    print(f"database: {db_path} ({db_path.stat().st_size / 1e6:.0f} MB); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    measure_start(db_path, args.runs)
    measure_in_process(db_path)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
