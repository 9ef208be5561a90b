"""The bin: deleted records kept whole, so a deletion can be undone until the bin is emptied.

`store.records.delete` puts records here; putting one back (`store.undelete.restore`) saves it
through `store.records`, so that lives in its own module: this one imports nothing that
imports it. A record's documents go to the bin with it (`store.documents.bin_with_record`); a
document removed on its own is in the bin by itself (`documents`), and emptying the bin deletes
the bytes of both for good.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cscdesk.domain.kinds import Kind, RecordData, kind_of
from cscdesk.domain.record_values import from_plain, to_plain
from cscdesk.errors import InputError
from cscdesk.store import audit, documents
from cscdesk.store.documents import BinnedDocument
from cscdesk.store.models import BinEntry, utc_now


@dataclass(frozen=True)
class BinItem:
    id: int
    kind: Kind
    reference: str
    deleted_at: datetime
    deleted_by: str


def put(session: Session, record: RecordData) -> None:
    """Keep a copy of a record that is being deleted (called by store.records.delete)."""
    data = to_plain(record)
    at = utc_now()
    session.add(
        BinEntry(
            kind=kind_of(record).value,
            reference=record.reference,
            deleted_at=at,
            deleted_by=audit.current_user(),
            data=json.dumps(data, ensure_ascii=False),
        )
    )
    documents.bin_with_record(session, kind_of(record), record.reference, at)


def items(session: Session) -> list[BinItem]:
    query = select(BinEntry).order_by(BinEntry.deleted_at.desc(), BinEntry.id.desc())
    return [
        BinItem(e.id, Kind(e.kind), e.reference, e.deleted_at, e.deleted_by)
        for e in session.scalars(query)
    ]


def binned_documents(session: Session) -> list[BinnedDocument]:
    """The documents in the bin on their own (not those that went with a deleted record,
    which come back with it), newest first."""
    with_records = {(kind, reference, at) for kind, reference, at in session.execute(
        select(BinEntry.kind, BinEntry.reference, BinEntry.deleted_at))}
    return documents.binned(session, with_records)


def record_of(session: Session, item_id: int) -> RecordData:
    entry = session.get(BinEntry, item_id)
    if entry is None:
        raise InputError("That record is no longer in the bin.")
    return from_plain(Kind(entry.kind), json.loads(entry.data))


def empty(session: Session) -> int:
    """Delete everything in the bin for good, documents' bytes included; returns how many
    records went. Audited (with how many documents went, when any did)."""
    count = session.scalar(select(func.count()).select_from(BinEntry)) or 0
    if count:
        session.execute(delete(BinEntry))
    gone = documents.empty_bin(session)
    if count or gone:
        changes: dict[str, list[object]] = {"Records": [count, 0]}
        if gone:
            changes[documents.DOCUMENTS_LABEL] = [gone, 0]
        audit.log_many(session, [audit.event_values(audit.EMPTY_BIN, "Bin", "", changes)])
    return count
