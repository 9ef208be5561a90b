"""The audit export for a date range, as a workbook."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from cscdesk.privacy.sheets import write_tables
from cscdesk.store import audit


def export_audit(session: Session, start: date, end: date, path: Path) -> int:
    """Write every event from `start` to `end` (both days included); returns how many."""
    entries = audit.between(
        session, datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())
    )
    rows = [
        [e.at, e.user, e.action, e.kind, e.reference,
         json.dumps(e.changes, ensure_ascii=False)]
        for e in entries
    ]
    write_tables(path, [("Audit", ["When (UTC)", "Who", "Action", "Kind", "Reference",
                                   "Changes"], rows)])
    return len(entries)
