"""Documents kept with the records: opening, backing up and making letters stay quick.

    .venv/bin/python bench/bench_documents.py [--records 100000] [--keep FOLDER]

Builds (once, then reused from FOLDER, by default cscdesk-bench-documents in the temp folder) a
100,000-record database (bench_ui's builder) with 2,000 documents of 200 KB of random bytes
(incompressible): 10 each on 50 complaints, the rest on random records. Then measures, and
prints each figure with its target (issue 17):
  (a) opening a record with documents: `records.load` + `documents.list_for` of a complaint
      with 10 documents, median and max over the 50 — target < 100 ms;
  (b) backup + verify as the app does it (`backup.backup_database`: snapshot, integrity check
      of the copy, counts and documents compared, sha256, fsync, rename, manifest), best and
      median of three, plus "Verify selected" on that backup (`backup_list.verify_backup`) —
      target < 3 s for the backup;
  (c) a letter made and opened: `letters.making.make_letter` (Ombudsman signposting) +
      `documents.add` + the temporary copy written — target < 1 s (skipped when the letters
      package is missing).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

DOCUMENTS = 2_000
DOCUMENT_SIZE = 200 * 1024
BUSY_RECORDS = 50
PER_BUSY_RECORD = 10
LETTER = "ombudsman_signposting"  # fits a complaint at any stage


def build(path: Path, records: int) -> None:
    """bench_ui's database, then the documents, each a real `documents.add`."""
    from bench_ui import build_database
    from sqlalchemy import select

    from cscdesk.domain.kinds import Kind
    from cscdesk.store import documents
    from cscdesk.store.engine import open_database
    from cscdesk.store.models import MODEL_OF

    build_database(path, records)
    rng = random.Random(17)
    database = open_database(path)
    with database.transaction() as session:
        complaints = list(session.scalars(select(MODEL_OF[Kind.COMPLAINT].reference)))
    busy = rng.sample(complaints, BUSY_RECORDS)
    targets = [reference for reference in busy for _ in range(PER_BUSY_RECORD)]
    others = [reference for reference in complaints if reference not in set(busy)]
    targets += [rng.choice(others) for _ in range(DOCUMENTS - len(targets))]
    for start in range(0, DOCUMENTS, 250):
        with database.transaction() as session:
            for number, reference in enumerate(targets[start:start + 250], start):
                documents.add(session, Kind.COMPLAINT, reference, f"scan {number:04d}.pdf",
                              rng.randbytes(DOCUMENT_SIZE))
    database.close()
    (path.parent / "busy.txt").write_text("\n".join(busy), encoding="utf-8")


def measure_opening(path: Path) -> None:
    from cscdesk.domain.kinds import Kind
    from cscdesk.store import documents, records
    from cscdesk.store.engine import open_database

    busy = (path.parent / "busy.txt").read_text(encoding="utf-8").split()
    database = open_database(path)
    times = []
    for reference in busy:
        began = time.perf_counter()
        with database.session() as session:
            record = records.load(session, Kind.COMPLAINT, reference)
            listed = documents.list_for(session, Kind.COMPLAINT, reference)
        times.append(time.perf_counter() - began)
        assert record is not None and len(listed) == PER_BUSY_RECORD, (reference, len(listed))
    database.close()
    print(f"(a) opening a record with {PER_BUSY_RECORD} documents (load + list_for): median "
          f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over "
          f"{len(times)} records (target < 100 ms)")


def measure_backup(path: Path, work: Path) -> None:
    from cscdesk.store import backup, backup_list

    folder = work / "backups"
    folder.mkdir(exist_ok=True)
    times, verify_times = [], []
    for _ in range(3):
        began = time.perf_counter()
        result = backup.backup_database(path, folder, reason="manual", apply_retention=False)
        times.append(time.perf_counter() - began)
        assert result.backup is not None
        began = time.perf_counter()
        backup_list.verify_backup(result.backup)
        verify_times.append(time.perf_counter() - began)
        result.backup.path.unlink()
    size = path.stat().st_size / 2**20
    print(f"(b) backup + verify of the {size:.0f} MB database: best {min(times):.2f} s, median "
          f"{statistics.median(times):.2f} s (target < 3 s); \"Verify selected\" of that "
          f"backup: best {min(verify_times):.2f} s, median "
          f"{statistics.median(verify_times):.2f} s")


def measure_letter(path: Path, work: Path) -> None:
    try:
        from cscdesk.letters.making import make_letter
    except ImportError:
        print("(c) a letter made and opened: skipped (the letters package is not here)")
        return
    from cscdesk.domain.kinds import Kind
    from cscdesk.store import documents
    from cscdesk.store.engine import open_database

    busy = (path.parent / "busy.txt").read_text(encoding="utf-8").split()
    database = open_database(path)
    temporary = work / "opened"
    temporary.mkdir(exist_ok=True)
    times = []
    try:
        for reference in busy[:5]:
            began = time.perf_counter()
            with database.transaction() as session:
                name, data = make_letter(session, Kind.COMPLAINT, reference, LETTER)
                info = documents.add(session, Kind.COMPLAINT, reference, name, data,
                                     letter=LETTER)
                documents.remove(session, info.id)  # keep the cached database as it was
            (temporary / info.name).write_bytes(data)
            times.append(time.perf_counter() - began)
    finally:
        database.close()
    print(f"(c) a letter made, kept and its copy written: median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over "
          f"{len(times)} letters (target < 1 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path,
                        default=Path(tempfile.gettempdir()) / "cscdesk-bench-documents")
    args = parser.parse_args()
    work: Path = args.keep
    work.mkdir(parents=True, exist_ok=True)
    os.environ["CSCDESK_HOME"] = str(work / "home")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    path = work / f"documents-{args.records}.db"
    if not path.exists() or not (work / "busy.txt").exists():
        began = time.perf_counter()
        path.unlink(missing_ok=True)
        build(path, args.records)
        print(f"built {path} in {time.perf_counter() - began:.0f} s")
    print(f"database: {path} ({path.stat().st_size / 2**20:.0f} MB; {args.records:,} records, "
          f"{DOCUMENTS:,} documents of {DOCUMENT_SIZE // 1024} KB)")
    measure_opening(path)
    measure_backup(path, work)
    measure_letter(path, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
