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

    from bench_ui import measure_in_process, measure_start
    from filled_server import filled_server

    with filled_server(args.url, args.records) as (url, _started):
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        measure_start(url, args.runs)
        measure_in_process(url)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
