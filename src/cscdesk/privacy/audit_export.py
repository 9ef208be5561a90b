"""The audit export for a date range, as a workbook.

Events are read and written one at a time (never all held at once), so a year of a large
import's events costs the same memory as a day's; more events than a sheet holds continue on
"Audit (2)", and a change longer than a cell holds continues in the row below.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cscdesk.privacy.sheets import write_tables
from cscdesk.store.models import AuditEvent

HEADERS = ["When (UTC)", "Who", "Action", "Kind", "Reference", "Changes"]


def export_audit(session: Session, start: date, end: date, path: Path) -> int:
    """Write every event from `start` to `end` (both days included); returns how many."""
    since, until = datetime.combine(start, time()), datetime.combine(end + timedelta(days=1),
                                                                      time())
    query = (
        select(AuditEvent.at, AuditEvent.user, AuditEvent.action, AuditEvent.kind,
               AuditEvent.reference, AuditEvent.changes)
        .where(AuditEvent.at >= since, AuditEvent.at < until)
        .order_by(AuditEvent.id)
    )

    def rows() -> Iterator[list[object]]:
        for at, user, action, kind, reference, changes in session.execute(
            query, execution_options={"yield_per": 2000}
        ):
            yield [at, user, action, kind, reference,
                   json.dumps(json.loads(changes), ensure_ascii=False)]

    counts = write_tables(path, [("Audit", HEADERS, rows())])
    return counts["Audit"]
