"""Team mode's speed: the list search, opening a record and the appendix's figures on a
PostgreSQL server, next to the same records in a SQLite file.

    .venv/bin/python bench/bench_server.py [--records 200000] [--url postgresql://…]

Without --url a throwaway server is started in a temporary folder (tests/postgres_server.py:
Debian's /usr/lib/postgresql/*/bin or PATH; as `nobody` when run as root) and removed after.
The records are bench_ui's (70% complaints over six years, eight-word summaries).
Targets (issue 14, loopback server): a search keystroke under 100 ms, opening a record under
100 ms, the appendix's figures under 2 s, backup + verify under 10 s, at 200,000 records.

--existing measures the database at --url as an earlier run left it (set up and filled, e.g.
by --keep, which leaves the throwaway server running and prints its URL), without building it
again.

--backup also times `cscdesk backup` on the server (pg_dump, then pg_restore --list and the
archive's rows counted against the snapshot's) and a restore of the archive into an empty
database; --backup-only skips the rest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

TYPED = ("sm", "smith", "c-0123", "letter", "fostering late")


def keystrokes(database, text: str) -> list[float]:  # type: ignore[no-untyped-def]
    """Each prefix of `text` as the list asks for it: one pass for a rare search, else the
    counts and the first page; milliseconds per keystroke."""
    from cscdesk.domain.kinds import Kind
    from cscdesk.store import listing

    times = []
    for end in range(1, len(text) + 1):
        query = listing.ListQuery(Kind.COMPLAINT, search=text[:end], today=date.today())
        began = time.perf_counter()
        with database.session() as session:
            found = listing.search_matches(session, query)
            if found is None:
                total = listing.count(session, query).total
                listing.fetch_page(session, query, 0, 100, total=total)
            else:
                listing.fetch_rows(session, query, found[1][:100])
        times.append((time.perf_counter() - began) * 1000)
    return times


def measure(label: str, location) -> None:  # type: ignore[no-untyped-def]
    from cscdesk.domain.kinds import Kind
    from cscdesk.domain.years import ReportingYear
    from cscdesk.report.figures import compute_figures
    from cscdesk.report.query import reading
    from cscdesk.store import records
    from cscdesk.store.engine import open_database

    database = open_database(location)
    try:
        keystrokes(database, "warm")
        for text in TYPED:
            runs = [keystrokes(database, text) for _ in range(3)]
            per_key = [statistics.median(run[i] for run in runs) for i in range(len(text))]
            print(f"{label}: search {text!r}, ms per keystroke (median of 3): "
                  + " ".join(f"{t:.0f}" for t in per_key)
                  + f"  (median {statistics.median(per_key):.0f}, max {max(per_key):.0f})")
        opened = []
        for number in (5, 50_000, 120_000):
            began = time.perf_counter()
            with database.session() as session:
                records.load(session, Kind.COMPLAINT, f"C-{number:06d}")
            opened.append((time.perf_counter() - began) * 1000)
        print(f"{label}: opening a record, ms: " + " ".join(f"{t:.0f}" for t in opened))
    finally:
        database.close()
    year = ReportingYear.containing(date.today()).previous
    began = time.perf_counter()
    with reading(location) as query:
        compute_figures(query, year)
    print(f"{label}: appendix figures of {year.label}: {time.perf_counter() - began:.2f} s")


def measure_backup(url, started) -> None:  # type: ignore[no-untyped-def]
    from cscdesk.store.location import ServerURL
    from cscdesk.store.server_backup import backup_server, restore_archive

    with tempfile.TemporaryDirectory() as folder:
        result = backup_server(url, folder)
        made = result.backup
        print(f"server: backup + verify of {made.records:,} records: {result.seconds:.1f} s "
              f"({made.size / 1e6:.0f} MB archive)")
        if started is None:
            return
        import psycopg

        with psycopg.connect(started.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE bench_restored")
        began = time.perf_counter()
        restore_archive(made.path, ServerURL(started.url("bench_restored")))
        print(f"server: restore into an empty database, with its checks: "
              f"{time.perf_counter() - began:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--url", help="an empty database on a server (default: a throwaway "
                        "server)")
    parser.add_argument("--existing", action="store_true", help="the database at --url is "
                        "already set up and filled: measure it as it is")
    parser.add_argument("--keep", action="store_true", help="leave the throwaway server "
                        "running (its URL is printed; stop it with pg_ctl)")
    parser.add_argument("--no-file", action="store_true", help="skip the SQLite comparison")
    parser.add_argument("--backup", action="store_true", help="time a backup and a restore")
    parser.add_argument("--backup-only", action="store_true",
                        help="time only the backup and the restore")
    args = parser.parse_args()
    if args.existing and args.url is None:
        parser.error("--existing measures the database at --url")

    from bench_ui import build_database
    from filled_server import filled_server

    with filled_server(args.url, args.records, fill=not args.existing,
                       keep=args.keep) as (url, started):
        if args.backup or args.backup_only:
            measure_backup(url, started)
        if args.backup_only:
            return
        measure("server", url)
        if not args.no_file:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "bench.db"
                build_database(path, args.records)
                measure("file", path)


if __name__ == "__main__":
    main()
