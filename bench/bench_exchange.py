"""Times the interchange workbook: a 50,000-row workbook imported into an empty database, the
same workbook imported again (nothing changes), and a 100,000-record database exported.

    .venv/bin/python bench/bench_exchange.py [--rows 50000] [--records 100000] [--cli]
    .venv/bin/python bench/bench_exchange.py --processes [--records 200000]

Each figure is a whole operation (read + check + write, or query + write + rename); with --cli
the import and export are also timed as `cscdesk` processes, start-up included. Targets: import
under 15 s, export under 15 s.

--processes measures only whole `cscdesk` processes on a database of --records records (built
by importing a generated workbook): `export`, `import` of that workbook into a new database,
`import` of a 1-row workbook into the big database, and `audit-export` of every event, each with
its wall-clock time and the process's peak resident memory (from wait4). Target: linear in the
records, each under 400 MB; the 50,000-row import into a new database under 4 s.

--into DB imports a workbook of a few rows (one or two of each kind) into an existing database
DB (such as one of a million records made by bench_backup.py's builder) as a process, twice:
the rows are created, then found unchanged. Target: the cost follows the workbook, not DB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

from cscdesk.exchange import apply_import, export_workbook, read_workbook
from cscdesk.exchange.layout import RECORD_SHEETS
from cscdesk.store.engine import open_database

TEAMS = [f"Team {name}" for name in (
    "Through Care North", "Through Care South", "Fostering", "Adoption", "Leaving Care",
    "Disabled Children", "Assessment East", "Assessment West", "Safeguarding", "Residential",
    "Youth Justice", "Early Help", "Family Support", "Children in Care", "Court Team",
)]
CAUSES = ["Communication", "Delay", "Quality of service", "Staff conduct", "Policy", "Finance"]
OUTCOMES = ["Upheld", "Partially upheld", "Not upheld", "Cancelled"]
SHARES = {"Complaints": 0.4, "Initial feedback": 0.15, "Enquiries": 0.15, "Compliments": 0.15,
          "Dispute resolution": 0.15, "Actions": float(os.environ.get("ACTION_SHARE", "0.1"))}


def build_workbook(path: Path, rows: int, seed: int = 7) -> int:
    """A workbook of about `rows` records spread over the five kinds, written with XlsxWriter."""
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                           "strings_to_formulas": False})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    written = 0
    start = date(2015, 4, 1)
    for kind, layout in RECORD_SHEETS.items():
        sheet = book.add_worksheet(layout.name)
        for column, spec in enumerate(layout.columns):
            sheet.write_string(0, column, spec.label)
        count = int(rows * SHARES[kind.value])
        stage1: list[str] = []
        for number in range(1, count + 1):
            received = start + timedelta(days=rng.randrange(3600))
            values = _row(kind.value, number, received, rng, stage1)
            for column, spec in enumerate(layout.columns):
                value = values.get(spec.field)
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(number, column, value, date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, value)
        written += count
    book.close()
    return written


def _row(sheet: str, number: int, received: date, rng: random.Random,
         stage1: list[str]) -> dict[str, object]:
    prefix = "".join(word[0] for word in sheet.split()).upper()
    reference = f"{prefix}-{number:06d}"
    summary = f"Summary of case {number}: {rng.choice(['delay', 'contact', 'placement'])} — £"
    team = rng.choice(TEAMS)
    if sheet == "Complaints":
        stage = 2 if stage1 and rng.random() < 0.1 else 1
        values: dict[str, object] = {
            "reference": reference, "received": received, "stage": stage, "team": team,
            "extended": rng.choice(["Yes", "No"]), "summary": summary,
            "complainant": f"Person {number}", "adr": "No",
        }
        if stage == 2:
            values["escalated_from"] = stage1.pop()
        else:
            stage1.append(reference)
        if rng.random() < 0.8:
            values["responded"] = received + timedelta(days=rng.randrange(40))
            values["closed"] = values["responded"]
            values["outcome"] = rng.choice(OUTCOMES)
            values["root_cause"] = rng.choice(CAUSES)
            values["learning"] = f"Learning point {number % 50}"
        if rng.random() < 0.05:
            values["adr"] = "Yes"
            values["adr_saving"] = float(rng.randrange(100, 5000))
        return values
    if sheet == "Actions":
        return {"reference": reference, "agreed": received, "team": team, "what": summary,
                "case_reference": f"C-{rng.randrange(1, 1000):06d}", "action_kind": "Learning",
                "due": received + timedelta(days=30)}
    values = {"reference": reference, "received": received, "raised": received, "team": team,
              "summary": summary}
    if sheet == "Enquiries":
        values["source"] = rng.choice(["MP", "MEP", "Member"])
        values["enquirer"] = f"Cllr {number}"
    if sheet in ("Initial feedback", "Dispute resolution") and rng.random() < 0.7:
        values["resolved"] = received + timedelta(days=rng.randrange(30))
    return values


def timed(label: str, action):  # type: ignore[no-untyped-def]
    """Run and print wall-clock seconds and this process's CPU seconds (the machine is shared:
    CPU time shows the cost when others are busy too)."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = action()
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu
    print(f"{label:<58} {seconds:6.2f} s  (CPU {cpu_seconds:5.2f} s)", flush=True)
    return result


def _cpu_seconds() -> float:
    """CPU time of this process and of the finished child processes (the cscdesk runs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_cli(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "cscdesk", *args], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"cscdesk {' '.join(args)} failed: {result.stderr}")


def measured(label: str, *args: str) -> None:
    """Run `cscdesk ARGS` as a process; print its wall-clock time and peak memory (RSS)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "cscdesk", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    _out, err = process.communicate()
    if status != 0:
        raise SystemExit(f"cscdesk {' '.join(args)} failed: {err.decode(errors='replace')}")
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime  # the cost when the machine is shared and busy
    print(f"{label:<58} {seconds:6.1f} s  (CPU {cpu:5.1f} s)  peak {peak_mb:6.0f} MB",
          flush=True)


def processes(records: int) -> None:
    """Whole `cscdesk` processes on a database of `records` records: time and peak memory."""
    with tempfile.TemporaryDirectory(prefix="cscdesk-bench-") as folder:
        work = Path(folder)
        os.environ["CSCDESK_HOME"] = str(work / "home")
        source = work / "source.xlsx"
        count = build_workbook(source, records, seed=11)
        one = work / "one.xlsx"
        build_workbook(one, 7, seed=3)  # a row or so of each kind
        big = work / "big.db"
        measured(f"cscdesk import ({count:,} rows, new database)",
                 "--db", str(big), "import", str(source))
        measured(f"cscdesk export ({count:,} records)",
                 "--db", str(big), "export", str(work / "export.xlsx"))
        measured(f"cscdesk audit-export ({count:,} events)", "--db", str(big), "audit-export",
                 "--from", "2000-01-01", "--to", "2199-12-31", "--output",
                 str(work / "audit.xlsx"))
        measured(f"cscdesk import (a few rows into {count:,} records)",
                 "--db", str(big), "import", str(one))


def into(database: Path) -> None:
    """A few rows imported into an existing (large) database, as whole processes."""
    with tempfile.TemporaryDirectory(prefix="cscdesk-bench-") as folder:
        work = Path(folder)
        os.environ.setdefault("CSCDESK_HOME", str(work / "home"))
        one = work / "one.xlsx"
        rows = build_workbook(one, 7, seed=3)
        size = database.stat().st_size / 1e6
        for label in ("created", "unchanged"):
            measured(f"cscdesk import ({rows} rows {label}, into {size:,.0f} MB)",
                     "--db", str(database), "import", str(one))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--cli", action="store_true", help="also time cscdesk processes")
    parser.add_argument("--processes", action="store_true",
                        help="only time whole cscdesk processes (time and peak memory)")
    parser.add_argument("--into", type=Path, metavar="DB",
                        help="only time a few rows imported into the existing database DB")
    args = parser.parse_args()
    if args.into is not None:
        into(args.into)
        return
    if args.processes:
        processes(args.records)
        return
    with tempfile.TemporaryDirectory(prefix="cscdesk-bench-") as folder:
        work = Path(folder)
        os.environ["CSCDESK_HOME"] = str(work / "home")
        source = work / "source.xlsx"
        rows = timed(f"build a {args.rows:,}-row workbook (bench set-up)",
                     lambda: build_workbook(source, args.rows))
        db = open_database(work / "import.db")

        def import_it():  # type: ignore[no-untyped-def]
            return apply_import(db, read_workbook(source))

        result = timed(f"import {rows:,} rows into an empty database", import_it)
        assert sum(c.created for c in result.counts.values()) == rows
        again = timed(f"import the same {rows:,} rows again (all unchanged)", import_it)
        assert sum(c.unchanged for c in again.counts.values()) == rows
        db.close()

        big_source = work / "big.xlsx"
        records = build_workbook(big_source, args.records, seed=11)
        big = open_database(work / "big.db")
        timed(f"(set-up) import {records:,} records", lambda: apply_import(
            big, read_workbook(big_source)))
        exported = timed(f"export a {records:,}-record database",
                         lambda: export_workbook(big, work / "export.xlsx"))
        assert exported.total == records
        big.close()
        if args.cli:
            timed(f"cscdesk import ({rows:,} rows, new database, whole process)",
                  lambda: run_cli("--db", str(work / "cli.db"), "import", str(source)))
            timed(f"cscdesk export ({records:,} records, whole process)",
                  lambda: run_cli("--db", str(work / "big.db"), "export",
                                  str(work / "cli-export.xlsx")))


if __name__ == "__main__":
    main()
