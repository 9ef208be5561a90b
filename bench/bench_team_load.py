"""Several officers at once on one server database: saves, conflicts, lost updates, searches.

    .venv/bin/python bench/bench_team_load.py [--officers 10] [--seconds 60] [--records 200000]
                                              [--think SECONDS] [--url URL]

Without --url a throwaway PostgreSQL server is started in a temporary folder
(tests/postgres_server.py), filled with bench_ui's records, and removed after.

Each officer is a separate process with its own connection, doing what the app's form and
list do (store.records through ui.forms.record_store, store.listing), in a loop:

- open a complaint (its version, then its values, as the form reads them), think 0-50 ms,
  append "[officer-N-i]" to its summary and save with the version it opened; a third of the
  opens pick one of 20 "hot" complaints, so officers collide on purpose. A refused save
  (RecordChangedElsewhere) counts as a conflict detected; the officer then takes theirs and
  tries once more, as the conflict dialog offers;
- every few saves, type a search of 1-6 letters and read the list's first page, then (for a
  common word) its counts,
  as the list does for each keystroke.

Afterwards the audit trail is checked: every save an officer saw succeed is there (its mark in
the summary's new value), and every save's old summary in the audit trail is the value that
officer had opened — so no save overwrote a value its officer had not seen (a lost update).
Deadlocks or other errors an officer would have seen are counted too.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

HOT = 20
WORDS = ("smith", "letter", "visit", "plan", "fost", "c-01", "late", "north", "jo", "s")


def officer(number: int, url: str, seconds: float, records: int, out: str,
            think: float = 0.0) -> None:
    """One officer's loop; writes what it did to `out` as JSON."""
    from psycopg.errors import DeadlockDetected
    from sqlalchemy.exc import DBAPIError

    from cscdesk.domain.kinds import Kind
    from cscdesk.store import listing
    from cscdesk.store import records as stored
    from cscdesk.store.engine import open_database
    from cscdesk.store.location import ServerURL
    from cscdesk.store.record_versions import RecordChangedElsewhere, version_of
    from cscdesk.ui.forms.record_store import save_record

    random.seed(number)
    database = open_database(ServerURL(url))
    complaints = int(records * 0.7)
    saves: list[dict[str, object]] = []
    save_ms: list[float] = []
    search_ms: list[float] = []
    typed_ms: dict[str, list[float]] = {}
    count_ms: list[float] = []
    conflicts = deadlocks = errors = 0
    ends = time.monotonic() + seconds
    step = 0
    while time.monotonic() < ends:
        step += 1
        if think:
            time.sleep(random.expovariate(1 / think))  # reading, typing: not the database
        hot = random.random() < 1 / 3
        reference = f"C-{random.randrange(HOT if hot else complaints):06d}"
        for _attempt in range(2):  # once more after taking theirs
            with database.session() as session:
                version = version_of(session, Kind.COMPLAINT, reference)
                record = stored.load(session, Kind.COMPLAINT, reference)
            if record is None or version is None:
                break
            opened = record.summary
            time.sleep(random.random() * 0.05)
            mark = f"[officer-{number}-{step}]"
            record.summary = f"{opened} {mark}"[-400:]
            began = time.perf_counter()
            try:
                save_record(database, record, reference, version)
            except RecordChangedElsewhere:
                conflicts += 1
                continue
            except DBAPIError as error:
                if isinstance(getattr(error, "orig", None), DeadlockDetected):
                    deadlocks += 1
                else:
                    errors += 1
                break
            save_ms.append((time.perf_counter() - began) * 1000)
            saves.append({"reference": reference, "opened": opened, "saved": record.summary,
                          "mark": mark})
            break
        if step % 3 == 0:
            typed = random.choice(WORDS)
            for end in range(1, len(typed) + 1):
                query = listing.ListQuery(Kind.COMPLAINT, search=typed[:end],
                                          today=date.today())
                # as the list does: the matches' first page at once, a common word's counts
                # after, in the background (timed apart)
                began = time.perf_counter()
                with database.session() as session:
                    found = listing.search_matches(session, query)
                    if found is None:
                        listing.fetch_page(session, query, 0, 100)
                        search_ms.append((time.perf_counter() - began) * 1000)
                        began = time.perf_counter()
                        listing.count(session, query)
                        count_ms.append((time.perf_counter() - began) * 1000)
                    else:
                        listing.fetch_rows(session, query, found[1][:100])
                        search_ms.append((time.perf_counter() - began) * 1000)
                typed_ms.setdefault(typed[:end], []).append(search_ms[-1])
    database.close()
    Path(out).write_text(json.dumps({
        "saves": saves, "save_ms": save_ms, "search_ms": search_ms, "typed_ms": typed_ms,
        "count_ms": count_ms,
        "conflicts": conflicts,
        "deadlocks": deadlocks, "errors": errors}))


def verify(url: str, saves: list[dict[str, object]]) -> tuple[int, int]:
    """(saves missing from the audit trail, saves that overwrote a value not seen)."""
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT reference, changes FROM audit_event WHERE action = 'update' "
            "AND kind = 'Complaints' AND changes LIKE '%officer-%'").fetchall()
    changed: dict[str, tuple[str, str]] = {}
    for _reference, changes in rows:
        old, new = json.loads(changes)["Summary"]
        mark = new.rsplit(" ", 1)[-1]
        changed[mark] = (old, new)
    missing = unseen = 0
    for save in saves:
        found = changed.get(str(save["mark"]))
        if found is None:
            missing += 1
        elif found[0] != save["opened"]:
            unseen += 1
    return missing, unseen


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--url", help="an empty database on a server (default: a throwaway "
                        "server)")
    parser.add_argument("--think", type=float, default=0.0, metavar="SECONDS",
                        help="mean pause before each open (an officer reading and typing); "
                        "0, the default, is every officer at full speed")
    args = parser.parse_args()

    from filled_server import filled_server

    with filled_server(args.url, args.records) as (server, started):
        url = server.url
        print(f"{args.records:,} records; {args.officers} officers for {args.seconds:.0f} s, "
              f"mean pause {args.think:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
        folder = Path(started.folder if started else ".") / "officers"
        folder.mkdir(exist_ok=True)
        context = multiprocessing.get_context("spawn")
        processes = [context.Process(target=officer, args=(
            number, url, args.seconds, args.records, str(folder / f"{number}.json"),
            args.think))
            for number in range(args.officers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        results = [json.loads((folder / f"{n}.json").read_text())
                   for n in range(args.officers) if (folder / f"{n}.json").exists()]
        if not results or not any(result["save_ms"] for result in results):
            print(f"officers finished: {len(results)} of {args.officers}, with no save: "
                  "see their errors above")
            raise SystemExit(1)
        saves = [save for result in results for save in result["saves"]]
        save_ms = [t for result in results for t in result["save_ms"]]
        search_ms = [t for result in results for t in result["search_ms"]]
        count_ms = [t for result in results for t in result["count_ms"]]
        missing, unseen = verify(url, saves)
        print(f"officers finished: {len(results)} of {args.officers}")
        print(f"saves: {len(saves):,}; conflicts detected: "
              f"{sum(r['conflicts'] for r in results):,}; deadlocks seen: "
              f"{sum(r['deadlocks'] for r in results)}; other errors seen: "
              f"{sum(r['errors'] for r in results)}")
        print(f"lost updates: {unseen} (saves over a value not seen); saves missing from the "
              f"audit trail: {missing}")
        print(f"save: p50 {statistics.median(save_ms):.0f} ms, p95 "
              f"{percentile(save_ms, 0.95):.0f} ms; search keystroke: p50 "
              f"{statistics.median(search_ms):.0f} ms, p95 {percentile(search_ms, 0.95):.0f} ms "
              f"({len(search_ms):,} keystrokes, until the list's first page); a common "
              f"word's counts after it, in the background: p50 "
              f"{statistics.median(count_ms or [0]):.0f} ms, "
              f"p95 {percentile(count_ms, 0.95):.0f} ms")
        typed: dict[str, list[float]] = {}
        for result in results:
            for text, times in result["typed_ms"].items():
                typed.setdefault(text, []).extend(times)
        slowest = sorted(typed.items(), key=lambda item: -percentile(item[1], 0.95))[:6]
        print("slowest typed texts, p95: " + ", ".join(
            f"{text!r} {percentile(times, 0.95):.0f} ms" for text, times in slowest))
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
