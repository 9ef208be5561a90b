"""The desktop app on a server database: start-up and the list as the officer uses it.

    .venv/bin/python bench/bench_server_app.py [--records 200000] [--runs 5] [--url URL]

Without --url a throwaway PostgreSQL server is started in a temporary folder
(tests/postgres_server.py) and removed after. The records are bench_ui's. Then bench_ui's own
measurements run against the server instead of a file:

- whole-process start-up, `python -m cscdesk --db URL` with CSCDESK_EXIT_AFTER_FIRST_PAINT=1,
  until the Complaints list is painted (target: window usable within 2 s);
- in process: each keystroke typed into the list's search box until the list is painted and
  until its counts are shown (target: under 100 ms), sorting, scrolling, the dashboard, and
  opening a record until its form is shown (target: under 100 ms).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="an empty database on a server (default: a throwaway "
                        "server)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import psycopg
    from bench_ui import build_database, measure_in_process, measure_start

    from cscdesk.store import server as store_server
    from cscdesk.store.location import ServerURL

    started = None
    if args.url is None:
        from postgres_server import PostgresServer

        started = PostgresServer.start()
        with psycopg.connect(started.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE bench")
        url = ServerURL(started.url("bench"))
    else:
        url = ServerURL(args.url)
    try:
        store_server.setup(url)
        began = time.perf_counter()
        build_database(url, args.records)  # type: ignore[arg-type]
        with psycopg.connect(url.url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        print(f"server: {args.records:,} records written in {time.perf_counter() - began:.1f} s;"
              f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        measure_start(url, args.runs)  # type: ignore[arg-type]
        measure_in_process(url)  # type: ignore[arg-type]
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        if started is not None:
            started.stop()


if __name__ == "__main__":
    main()
