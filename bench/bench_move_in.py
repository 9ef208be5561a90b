"""Moving a single-PC database of 100,000 records into a server: the target is under 30 s.

    .venv/bin/python bench/bench_move_in.py [--records 100000] [--url postgresql://…]

Builds a database file of N records (bench_ui's: 70% complaints over six reporting years,
teams and root causes), plus one audit event per record, then times
`cscdesk server move-in FILE URL` as IT runs it: a fresh process, wall time (the copy, the
sequences, the row counts and every year's appendix figures compared on both sides, the
commit). Without --url a throwaway server is started in a temporary folder
(tests/postgres_server.py; as `nobody` when run as root) and removed after; with --url the
database must be set up and empty (`cscdesk server setup URL`). `--durable` runs the
throwaway server with PostgreSQL's default durability settings instead of the tests' fast
ones (fsync off), as a real server runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


def add_audit_trail(path: Path) -> int:
    """One "create" audit event per complaint, as the app would have written."""
    from sqlalchemy import insert, select

    from cscdesk.store.engine import open_database
    from cscdesk.store.models import AuditEvent, Complaint, utc_now

    database = open_database(path)
    try:
        with database.transaction() as session:
            references = session.scalars(select(Complaint.reference)).all()
            now = utc_now()
            rows = [{"at": now, "user": "officer", "action": "create", "kind": "complaint",
                     "reference": reference, "changes": "{}"} for reference in references]
            for start in range(0, len(rows), 20_000):
                session.execute(insert(AuditEvent), rows[start:start + 20_000])
        return len(rows)
    finally:
        database.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--url", help="an empty, set-up server database (default: a "
                        "throwaway server)")
    parser.add_argument("--durable", action="store_true",
                        help="run the throwaway server with PostgreSQL's default durability "
                        "(fsync, full_page_writes, synchronous_commit on), as a real server "
                        "runs, instead of the tests' fast settings")
    args = parser.parse_args()

    from bench_ui import build_database

    from cscdesk.store import server as store_server
    from cscdesk.store.location import ServerURL

    started = None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "single-pc.db"
        began = time.perf_counter()
        build_database(path, args.records)
        events = add_audit_trail(path)
        print(f"file: {args.records:,} records and {events:,} audit events built in "
              f"{time.perf_counter() - began:.1f} s")
        if args.url is None:
            import psycopg

            from postgres_server import PostgresServer

            started = PostgresServer.start()
            if args.durable:
                socket = f"-c unix_socket_directories={started.socket_folder}"
                started._run(started.bin / "pg_ctl", "-D", started.data, "-l",
                             started.folder / "server.log", "-o",
                             f"-c listen_addresses= {socket}", "-w", "-t", "60", "restart")
                print("server: PostgreSQL's default durability (fsync on)")
            with psycopg.connect(started.url("postgres"), autocommit=True) as connection:
                connection.execute("CREATE DATABASE bench")
            url = ServerURL(started.url("bench"))
            store_server.setup(url)
        else:
            url = ServerURL(args.url)
        try:
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "cscdesk", "server", "move-in", str(path), url.url],
                capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - began
            print(done.stdout.strip() or done.stderr.strip())
            verdict = "under" if seconds < 30 else "OVER"
            print(f"move-in of {args.records:,} records: {seconds:.1f} s wall ({verdict} the "
                  "30 s target)")
            return done.returncode
        finally:
            if started is not None:
                started.stop()


if __name__ == "__main__":
    sys.exit(main())
