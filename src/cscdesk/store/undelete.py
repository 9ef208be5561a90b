"""Putting a deleted record back from the bin.

Kept apart from `recycle_bin` because it saves through `store.records` (validation, audit),
which itself puts deleted records into the bin: with both in one module the two imported each
other.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from cscdesk.domain.kinds import RecordData, kind_of
from cscdesk.errors import InputError
from cscdesk.store import audit, documents, records
from cscdesk.store.models import BinEntry
from cscdesk.store.recycle_bin import record_of


def restore(session: Session, item_id: int) -> RecordData:
    """Put a deleted record back (it must still be valid: its reference free, its links there),
    with the documents that went to the bin with it."""
    record = record_of(session, item_id)
    entry = session.get(BinEntry, item_id)
    if records.find_row(session, kind_of(record), record.reference) is not None:
        raise InputError(
            f"“{record.reference}” cannot be restored: another record now has that reference."
        )
    records.save(session, record)
    if entry is not None:
        documents.restore_with_record(session, kind_of(record), record.reference,
                                      entry.deleted_at)
    session.execute(delete(BinEntry).where(BinEntry.id == item_id))
    audit.log_change(session, None, record, action=audit.RESTORE)
    return record
