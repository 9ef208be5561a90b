"""Storing the demo's records in bulk, through the rows the forms and the import write with.

Saving two thousand records one by one through the form's path takes seconds; the app's quick
start cannot wait that long. Each record is still checked by `domain.validation.validate`
(escalations included) and written by `store.record_rows.RecordRows` (due dates from the
WorkingCalendar, teams and root causes resolved, a "create" audit event each), a kind at a time.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cscdesk.domain.kinds import ComplaintData, DisputeData, Kind, RecordData, kind_of
from cscdesk.domain.validation import validate
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.store.record_rows import RecordRows
from cscdesk.store.records import RecordInvalid


def store_records(session: Session, batch: list[RecordData], calendar: WorkingCalendar) -> None:
    """Validate and insert `batch` in the caller's transaction; any invalid record stops it."""
    stages = {record.reference: record.stage for record in batch
              if isinstance(record, ComplaintData)}
    cases = {record.reference for record in batch
             if isinstance(record, ComplaintData | DisputeData)}
    by_kind: dict[Kind, list[RecordData]] = {}
    for record in batch:
        errors = validate(record, stages.get, cases.__contains__)
        if errors:
            raise RecordInvalid(record.reference, errors)
        by_kind.setdefault(kind_of(record), []).append(record)
    rows = RecordRows(session, due=calendar.response_due)
    for kind, records in by_kind.items():
        rows.write(session, kind, records, [])
