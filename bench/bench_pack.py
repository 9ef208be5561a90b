"""Timing the annual report pack: the Word version, and the PDF with every optional section.

Run: .venv/bin/python bench/bench_pack.py [--runs N] [--keep FOLDER] [--unique-learning]

Builds the large database of bench_report.py (100,000 records, 10,000 complaints received in
2018/19; give --keep to reuse it), then runs `cscdesk report` as a child process N times for
each of:

  pdf                 the example's sections only
  pdf --sections all  with trends, timeliness, outcomes and who complained  target < 1.5x pdf
  docx                the Word version, whole process                       target < 2 s
  docx --sections all

and prints the best and median wall time (and CPU) with the child's peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import CPU_SECONDS, build_large, count_records, run_child

CASES = (("pdf", ".pdf", []), ("pdf+all", ".pdf", ["--sections", "all"]),
         ("docx", ".docx", []), ("docx+all", ".docx", ["--sections", "all"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the database in this folder")
    parser.add_argument("--unique-learning", action="store_true")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cscdesk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CSCDESK_HOME": str(folder / "home")}
    database = folder / ("large-unique.db" if args.unique_learning else "large.db")
    if not database.exists():
        started = time.perf_counter()
        build_large(database, args.unique_learning)
        print(f"built {database.name}: {count_records(database):,} records in "
              f"{time.perf_counter() - started:.1f} s")
    best: dict[str, float] = {}
    for label, suffix, extra in CASES:
        output = folder / f"pack-{label}{suffix}"
        times, memory = [], []
        CPU_SECONDS.clear()
        for _ in range(args.runs):
            seconds, megabytes, status = run_child(
                ["--db", str(database), "report", "--year", "2018", "-o", str(output), *extra],
                env)
            if status != 0:
                raise SystemExit(f"report {label} failed")
            times.append(seconds)
            memory.append(megabytes)
        best[label] = min(times)
        print(f"{label:9} best {min(times):.3f} s  median {statistics.median(times):.3f} s  "
              f"(CPU best {min(CPU_SECONDS):.3f} s)  peak {max(memory):.0f} MB  "
              f"{output.stat().st_size / 1024:.0f} KB")
    ratio = best["pdf+all"] / best["pdf"]
    print(f"PDF with every optional section / without: {ratio:.2f}x "
          f"({'OK' if ratio < 1.5 else 'OVER'} 1.5x)")
    for label in ("docx", "docx+all"):
        print(f"{label}: {best[label]:.3f} s ({'OK' if best[label] < 2 else 'OVER'} 2 s)")


if __name__ == "__main__":
    main()
