"""Subject access at scale: "Person" matching 80,000 records; the target is under 30 s.

Run: .venv/bin/python bench/bench_subject_access.py [--records N] [--no-pdf | --pdf-only]
                                                     [--keep FOLDER]

Builds a database of N records (default 160,000, of which half are complaints whose complainant
is "Person i": 80,000 matches) with the bulk inserts of bench_backup.py, plus one audit event
per complaint (as an import writes), then times, as a user runs it (a real process):
  - `cscdesk subject-access Person --workbook F.xlsx --pdf F.pdf` (or only one of them): wall
    time, CPU time (what the wall time comes to on a machine with a core to spare: on a busy
    one the wall time says as much about the others) with the load average, and peak memory
    (the process's own high-water mark, as bench_backup measures it; target under 400 MB),
and in this process the search alone (`find_everywhere`: records, bin and history), then the
records found read with their histories a chunk at a time (`found_records`), as the command
reads them. Run it at two sizes (e.g. --records 40000 and 160000) to see the time grow in
proportion.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_backup import build, measure_command


def add_history(path: Path) -> None:
    """One 'create' event per complaint, naming its complainant, as an import writes."""
    from cscdesk.store.engine import open_database
    from cscdesk.store.models import AuditEvent, Complaint, utc_now

    db = open_database(path)
    with db.transaction() as session:
        rows = session.execute(select(Complaint.reference, Complaint.complainant)).all()
        now = utc_now()
        events = [{"at": now, "user": "bench", "action": "create", "kind": "Complaints",
                   "reference": reference,
                   "changes": json.dumps({"Complainant": [None, name]}, ensure_ascii=False)}
                  for reference, name in rows]
        for chunk in range(0, len(events), 20_000):
            session.execute(insert(AuditEvent), events[chunk:chunk + 20_000])
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=160_000)
    outputs = parser.add_mutually_exclusive_group()
    outputs.add_argument("--no-pdf", action="store_true", help="the workbook only")
    outputs.add_argument("--pdf-only", action="store_true", help="the PDF only")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cscdesk-bench-sar-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sar-{args.records}.db"
    if not path.exists():
        began = time.perf_counter()
        build(path, args.records)
        add_history(path)
        print(f"built {path} ({args.records} records) in {time.perf_counter() - began:.1f} s")

    from cscdesk.privacy.subject_access import found_records
    from cscdesk.store.engine import open_database
    from cscdesk.store.personal_data import find_everywhere

    db = open_database(path, create=False, lock=False)
    began = time.perf_counter()
    with db.session() as session:
        found = find_everywhere(session, "Person")
        searched = time.perf_counter() - began
        events = sum(len(f.history) for f in found_records(session, found))
    read = time.perf_counter() - began - searched
    db.close()
    print(f"search: {len(found)} records in {searched:.1f} s; read with their {events} events "
          f"a chunk at a time in {read:.1f} s")

    command: list[str | Path] = ["--db", path, "subject-access", "Person"]
    if not args.pdf_only:
        command += ["--workbook", folder / "sar.xlsx"]
    if not args.no_pdf:
        command += ["--pdf", folder / "sar.pdf"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, megabytes, output = measure_command(*command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    what = "workbook" if args.no_pdf else "PDF" if args.pdf_only else "workbook and PDF"
    print(output)
    print(f"cscdesk subject-access Person ({what}): {seconds:.1f} s wall, {cpu:.1f} s CPU, "
          f"peak memory {megabytes:.0f} MB (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
