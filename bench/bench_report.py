"""Timing the whole `cscdesk report` process, as the officer runs it.

Run: .venv/bin/python bench/bench_report.py [--runs N] [--keep FOLDER] [--unique-learning]
                                            [--server]

Builds two databases with bulk inserts (sqlite3 executemany, not the ORM per row), then runs
`python -m cscdesk --db DB report --year 2018 -o OUT.pdf` as a child process N times each and
prints the best and median wall time and the child's peak memory (ru_maxrss from wait4):

  small: 2,000 records over seven years, ~300 of them in 2018/19   target < 0.6 s
  large: 100,000 records, 10,000 complaints received in 2018/19    target < 2 s, < 200 MB

`--unique-learning` gives every upheld complaint its own learning text (the worst case for the
root-cause table: thousands of lines); by default 5% are unique and the rest come from a pool
of 150 phrases, as real learning repeats. `--casework` adds the casework the appendix's last
sections count (Stage 3 panels and reports, Ombudsman decisions, an action for one closed
complaint in three, the Ombudsman's letters), so every casework section is printed. Also
prints `figures --json` timings. `--server` moves each database into a throwaway PostgreSQL
server and times the same commands there.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

STAMP = "2024-01-01 00:00:00.000000"
TEAMS = (
    [f"Family Support Team {n}" for n in range(1, 9)]
    + [f"Through Care {n}" for n in range(1, 4)]
    + ["Adoption", "Aftercare", "Child Protection / LADO", "CFAT", "Children Looked After",
       "Disabled Children", "Fostering", "MASH", "Oaktree", "Permanence/Court Work",
       "Prevention & Support Services", "Unaccompanied Asylum Seekers", "Through Care <North>",
       "AT&T Liaison", "Équipe Café", "Finance", "Commissioning", "Other"]
)
ROOT_CAUSES = ("Communication", "Decision Making", "Assessment", "Delays", "Staff Conduct",
               "Missed contact", "Savings", "Policy", "Finance", "Quality of service",
               "Information sharing", "Placement")


class Builder:
    """Inserts invented records of every kind straight into a migrated cscdesk database."""

    def __init__(self, path: Path, seed: int, unique_learning: bool) -> None:
        from cscdesk.domain.workdays import WorkingCalendar
        from cscdesk.store.engine import open_database

        open_database(path).close()  # the real schema, migrated
        self.connection = sqlite3.connect(path)
        self.rng = random.Random(seed)
        self.calendar = WorkingCalendar()
        self.due_cache: dict[tuple[date, int, bool], date] = {}
        self.unique_learning = unique_learning
        self.pool = [f"Learning point {n}: staff reminded to {self._words(8)}."
                     for n in range(150)]
        self.serial = 0
        self.connection.executemany(
            "INSERT INTO team (name, retired, created_at, updated_at) VALUES (?, 0, ?, ?)",
            [(name, STAMP, STAMP) for name in TEAMS])
        self.connection.executemany(
            "INSERT INTO root_cause (name, retired, created_at, updated_at) VALUES (?, 0, ?, ?)",
            [(name, STAMP, STAMP) for name in ROOT_CAUSES])
        self.team_ids = [r[0] for r in self.connection.execute("SELECT id FROM team")]
        self.cause_ids = [r[0] for r in self.connection.execute("SELECT id FROM root_cause")]

    def _words(self, count: int) -> str:
        vocabulary = ("review", "contact", "families", "timely", "records", "plans", "visits",
                      "letters", "carers", "support", "meetings", "reports", "calls", "notes")
        return " ".join(self.rng.choice(vocabulary) for _ in range(count))

    def _day(self, year: int) -> date:
        return date(year, 4, 1) + timedelta(days=self.rng.randrange(365))

    def _reference(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial:07d}"

    def _due(self, received: date, stage: int, extended: bool) -> date:
        key = (received, stage, extended)
        if key not in self.due_cache:
            self.due_cache[key] = self.calendar.response_due(received, stage, extended)
        return self.due_cache[key]

    def complaints(self, year: int, count: int) -> None:
        rng = self.rng
        rows = []
        for _ in range(count):
            received = self._day(year)
            stage = rng.choices((1, 2, 3), (85, 12, 3))[0]
            extended = rng.random() < 0.2
            due = self._due(received, stage, extended)
            responded = (received + timedelta(days=rng.randrange(0, 30))
                         if rng.random() < 0.92 else None)
            closed = outcome = cause = None
            learning = ""
            if rng.random() < 0.88:
                closed = (responded or received) + timedelta(days=rng.randrange(0, 12))
                outcome = rng.choices(("Upheld", "Partially upheld", "Not upheld", "Cancelled"),
                                      (25, 20, 45, 10))[0]
                cause = rng.choice(self.cause_ids)
                if outcome in ("Upheld", "Partially upheld"):
                    unique = self.unique_learning or rng.random() < 0.05
                    learning = (f"Unique learning {self.serial}: {self._words(12)}." if unique
                                else rng.choice(self.pool))
            adr = rng.random() < 0.03
            rows.append((
                self._reference("C"), received.isoformat(), stage, rng.choice(self.team_ids),
                int(extended), due.isoformat(), responded and responded.isoformat(),
                closed and closed.isoformat(), outcome, cause, learning, int(adr),
                rng.randrange(50000, 500000) if adr else None,
                (received + timedelta(days=60)).isoformat() if rng.random() < 0.01 else None,
                "", "Invented Person", f"Summary {self._words(10)}", "", STAMP, STAMP,
            ))
        self.connection.executemany(
            "INSERT INTO complaint (reference, received, stage, team_id, extended, due, "
            "responded, closed, outcome, root_cause_id, learning, adr, adr_saving_pence, "
            "lgo_referred, lgo_decision, complainant, summary, notes, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def simple(self, table: str, year: int, count: int) -> None:
        rng = self.rng
        date_column = "raised" if table == "dispute_resolution" else "received"
        extra_columns, extra = "", ()
        if table == "enquiry":
            extra_columns = ", source, enquirer"
        rows = []
        for _ in range(count):
            if table == "enquiry":
                extra = (rng.choices(("MP", "MEP", "Member"), (30, 20, 50))[0], "Enquirer")
            rows.append((self._reference(table[:2].upper()), self._day(year).isoformat(),
                         rng.choice(self.team_ids), f"Summary {self._words(6)}", *extra,
                         STAMP, STAMP))
        marks = ", ".join("?" * len(rows[0])) if rows else ""
        if rows:
            self.connection.executemany(
                f"INSERT INTO {table} (reference, {date_column}, team_id, summary"
                f"{extra_columns}, created_at, updated_at) VALUES ({marks})", rows)

    def year(self, year: int, complaints: int, feedback: int, enquiries: int,
             compliments: int, disputes: int) -> None:
        self.complaints(year, complaints)
        self.simple("initial_feedback", year, feedback)
        self.simple("enquiry", year, enquiries)
        self.simple("compliment", year, compliments)
        self.simple("dispute_resolution", year, disputes)

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()


def build_small(path: Path, unique_learning: bool) -> None:
    """2,000 records: 2018/19 has 300 (as the example's year: 60 initial feedback, 45
    complaints, 60 enquiries, 120 compliments, 15 disputes), the other years share the rest."""
    builder = Builder(path, 1, unique_learning)
    builder.year(2018, 45, 60, 60, 120, 15)
    for year in (2013, 2014, 2015, 2016, 2017, 2019):
        builder.year(year, 50, 70, 60, 90, 13)  # 283 a year, 1,698 in all
    builder.year(2020, 2, 0, 0, 0, 0)
    builder.close()


def build_large(path: Path, unique_learning: bool) -> None:
    """100,000 records: 10,000 complaints received in 2018/19 (and 6,000 other records that
    year); the other years share the rest."""
    builder = Builder(path, 2, unique_learning)
    builder.year(2018, 10000, 2500, 1500, 1500, 500)
    for year in range(2010, 2018):
        builder.year(year, 5000, 2500, 1000, 1000, 500)  # 10,000 a year
    builder.year(2019, 2000, 1000, 500, 500, 0)
    builder.close()


def add_casework(path: Path, seed: int) -> None:
    """Stage 3 panel dates, Ombudsman decisions, actions and letters on a built database."""
    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    day = date.fromisoformat
    panels = []
    for complaint_id, received in connection.execute(
            "SELECT id, received FROM complaint WHERE stage = 3").fetchall():
        held = day(received) + timedelta(days=rng.randrange(20, 60))
        report = held + timedelta(days=rng.randrange(3, 10))
        responded = report + timedelta(days=rng.randrange(10, 30))
        panels.append((held.isoformat(), report.isoformat(), responded.isoformat(),
                       complaint_id))
    connection.executemany("UPDATE complaint SET panel_held = ?, panel_report = ?, "
                           "responded = ? WHERE id = ?", panels)
    outcomes = ("Upheld: maladministration and injustice", "Not upheld", "Premature")
    connection.executemany(
        "UPDATE complaint SET lgo_outcome = ?, lgo_decided = ? WHERE id = ?",
        [(rng.choice(outcomes), (day(referred) + timedelta(days=90)).isoformat(), cid)
         for cid, referred in connection.execute(
             "SELECT id, lgo_referred FROM complaint WHERE lgo_referred IS NOT NULL")])
    kinds = ("Learning / service improvement", "Ombudsman recommendation",
             "Remedy for the complainant")
    actions = []
    for reference, closed, team_id in connection.execute(
            "SELECT reference, closed, team_id FROM complaint WHERE closed IS NOT NULL"):
        if rng.random() >= 1 / 3:
            continue
        agreed = day(closed)
        kind = rng.choice(kinds)
        done = agreed + timedelta(days=rng.randrange(5, 90)) if rng.random() < 0.8 else None
        amount = rng.randrange(5000, 50000) if kind == kinds[2] and rng.random() < 0.5 else None
        actions.append((f"A-{reference}", agreed.isoformat(), reference, kind, team_id,
                        "Invented action", (agreed + timedelta(days=30)).isoformat(),
                        done and done.isoformat(), "", amount,
                        done.isoformat() if amount and done else None, STAMP, STAMP))
    connection.executemany(
        "INSERT INTO action (reference, agreed, case_reference, action_kind, team_id, what, "
        "due, done, evidence, amount_pence, paid, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", actions)
    connection.executemany(
        "INSERT INTO ombudsman_letter (year, decided, upheld_percent, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?)", [(year, 12, 55, STAMP, STAMP) for year in range(2010, 2021)])
    connection.commit()
    connection.close()


def count_records(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return sum(connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in
                   ("complaint", "initial_feedback", "enquiry", "compliment",
                    "dispute_resolution"))


DIRECT = ("import sys; from cscdesk.report.appendix import make_appendix_from_file; "
          "from cscdesk.store.location import parse_location; "
          "make_appendix_from_file(parse_location(sys.argv[1]), '2018', sys.argv[2])")


CPU_SECONDS: list[float] = []  # user + system time of the last child (less noisy under load)


def run_child(arguments: list[str], env: dict[str, str], *, module: bool = True
              ) -> tuple[float, float, int]:
    """Wall time (s), peak memory (MB) and exit status of one child process."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "cscdesk"] if module else [sys.executable]
    child = subprocess.Popen([*command, *arguments], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    CPU_SECONDS.append(usage.ru_utime + usage.ru_stime)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        print(child.stderr.read().decode() if child.stderr else "", file=sys.stderr)
    if child.stderr:
        child.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def measure(label: str, database: Path | str, folder: Path, runs: int, env: dict[str, str],
            target_seconds: float) -> None:
    output = folder / f"{label}.pdf"
    for command, extra in (("report", ["-o", str(output)]), ("figures", ["--json"])):
        times, memory = [], []
        CPU_SECONDS.clear()
        for _ in range(runs):
            seconds, megabytes, status = run_child(
                ["--db", str(database), command, "--year", "2018", *extra], env)
            if status != 0:
                raise SystemExit(f"{command} failed on {label}")
            times.append(seconds)
            memory.append(megabytes)
        verdict = ""
        if command == "report":
            verdict = "  OK" if min(times) < target_seconds else f"  OVER {target_seconds} s"
        print(f"{label:6} {command:8} best {min(times):.3f} s  median "
              f"{statistics.median(times):.3f} s  (CPU best {min(CPU_SECONDS):.3f} s)  "
              f"peak {max(memory):.0f} MB{verdict}")
    CPU_SECONDS.clear()
    direct = [run_child(["-c", DIRECT, str(database), str(folder / "direct.pdf")], env,
                        module=False)[0] for _ in range(runs)]
    print(f"{label:6} report path alone (no command line): best {min(direct):.3f} s  "
          f"median {statistics.median(direct):.3f} s  (CPU best {min(CPU_SECONDS):.3f} s)")
    pages = output.read_bytes().count(b"/Type /Page\n") or output.read_bytes().count(b"/Page ")
    print(f"{label:6} PDF {output.stat().st_size / 1024:.0f} KB ({pages} pages)")


SERVER: list = []  # the throwaway server, started once for --server


def measure_on_server(label: str, database: Path, folder: Path, runs: int,
                      env: dict[str, str], target_seconds: float) -> None:
    """The same commands on a server database holding the file's records (moved in)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import psycopg

    from cscdesk.store import server as store_server
    from cscdesk.store.location import ServerURL
    from cscdesk.store.move_in import move_in
    from postgres_server import PostgresServer

    if not SERVER:
        SERVER.append(PostgresServer.start())
    server = SERVER[0]
    with psycopg.connect(server.url("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE bench_{label}")
    url = ServerURL(server.url(f"bench_{label}"))
    store_server.setup(url)
    move_in(database, url)
    with psycopg.connect(url.url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    measure(f"{label}@server", url.url, folder, runs, env, target_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the databases in this folder")
    parser.add_argument("--unique-learning", action="store_true")
    parser.add_argument("--casework", action="store_true",
                        help="add casework (panels, decisions, actions, letters)")
    parser.add_argument("--server", action="store_true",
                        help="also move each database into a throwaway PostgreSQL server "
                        "(tests/postgres_server.py) and time the same commands there")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cscdesk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CSCDESK_HOME": str(folder / "home")}
    suffix = ("-unique" if args.unique_learning else "") + ("-casework" if args.casework else "")
    for label, builder, target in (("small", build_small, 0.6), ("large", build_large, 2.0)):
        database = folder / f"{label}{suffix}.db"
        if not database.exists():
            started = time.perf_counter()
            builder(database, args.unique_learning)
            if args.casework:
                add_casework(database, 3)
            print(f"built {database.name}: {count_records(database):,} records in "
                  f"{time.perf_counter() - started:.1f} s")
        measure(label, database, folder, args.runs, env, target)
        if args.server:
            measure_on_server(label, database, folder, args.runs, env, target)
    if SERVER:
        SERVER[0].stop()
    CPU_SECONDS.clear()
    base = min(run_child(["--version"], env)[0] for _ in range(args.runs))
    print(f"for scale: `cscdesk --version` (start-up alone) best {base:.3f} s  "
          f"(CPU best {min(CPU_SECONDS):.3f} s)")


if __name__ == "__main__":
    main()
