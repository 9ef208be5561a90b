"""The bin: deleted records kept whole, so a deletion can be undone until the bin is emptied.

`store.records.delete` puts records here; putting one back (`store.undelete.restore`) saves it
through `store.records`, so that lives in its own module: this one imports nothing that
imports it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cscdesk.domain.kinds import DATA_CLASS, Kind, RecordData, kind_of
from cscdesk.errors import InputError
from cscdesk.store import audit
from cscdesk.store.models import BinEntry


@dataclass(frozen=True)
class BinItem:
    id: int
    kind: Kind
    reference: str
    deleted_at: datetime
    deleted_by: str


def put(session: Session, record: RecordData) -> None:
    """Keep a copy of a record that is being deleted (called by store.records.delete)."""
    data = {k: audit.plain(v) for k, v in asdict(record).items()}
    session.add(
        BinEntry(
            kind=kind_of(record).value,
            reference=record.reference,
            deleted_by=audit.current_user(),
            data=json.dumps(data, ensure_ascii=False),
        )
    )


def items(session: Session) -> list[BinItem]:
    query = select(BinEntry).order_by(BinEntry.deleted_at.desc(), BinEntry.id.desc())
    return [
        BinItem(e.id, Kind(e.kind), e.reference, e.deleted_at, e.deleted_by)
        for e in session.scalars(query)
    ]


def mentioning(session: Session, text: str) -> list[RecordData]:
    """Deleted records whose stored fields contain `text` (case-insensitive), for subject access."""
    pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
        "_", "\\_") + "%"
    query = select(BinEntry).where(BinEntry.data.ilike(pattern, escape="\\"))
    return [_revive(Kind(e.kind), json.loads(e.data)) for e in session.scalars(query)]


def record_of(session: Session, item_id: int) -> RecordData:
    entry = session.get(BinEntry, item_id)
    if entry is None:
        raise InputError("That record is no longer in the bin.")
    return _revive(Kind(entry.kind), json.loads(entry.data))


def empty(session: Session) -> int:
    """Delete everything in the bin for good; returns how many records went. Audited."""
    count = session.scalar(select(func.count()).select_from(BinEntry)) or 0
    if count:
        session.execute(delete(BinEntry))
        audit.log_many(
            session, [audit.event_values(audit.EMPTY_BIN, "Bin", "", {"Records": [count, 0]})]
        )
    return count


def _revive(kind: Kind, data: dict[str, Any]) -> RecordData:
    cls = DATA_CLASS[kind]
    values: dict[str, Any] = {}
    for field in fields(cls):
        value = data.get(field.name)
        kind_hint = str(field.type)
        if value is None:
            values[field.name] = None if "None" in kind_hint else field.default
        elif "date" in kind_hint:
            values[field.name] = date.fromisoformat(value)
        elif "Decimal" in kind_hint:
            values[field.name] = Decimal(value)
        else:
            values[field.name] = value
    record = cls(**values)
    _restore_enums(record)
    return record


def _restore_enums(record: RecordData) -> None:
    from cscdesk.domain.kinds import ComplainantType, EnquirySource, Outcome

    for name, enum in (("outcome", Outcome), ("complainant_type", ComplainantType),
                       ("source", EnquirySource)):
        value = getattr(record, name, None)
        if isinstance(value, str):
            setattr(record, name, enum(value))
