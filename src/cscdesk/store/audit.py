"""The audit trail: who changed what, when, field by field, in the same transaction.

Every change to a case record goes through `store.records` (forms, command line) or the workbook
import; both call `log_change` with the record before and after, inside the caller's
transaction, so a rolled-back change leaves no audit row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import RecordData, kind_of
from cscdesk.domain.record_values import to_plain
from cscdesk.store.bulk import insert_many, table_of
from cscdesk.store.models import AuditEvent, pc_user, utc_now

# How `changes` are written: json.dumps(changes, ensure_ascii=False, sort_keys=True), without
# making a new encoder for each event (a workbook import writes tens of thousands).
encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode

CREATE, UPDATE, DELETE, RESTORE, EMPTY_BIN, ANONYMISE, LEGAL_HOLD = (
    "create", "update", "delete", "restore", "empty bin", "anonymise", "legal hold",
)


def current_user() -> str:
    """The operating-system user: who is at the PC."""
    return pc_user()


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: str
    action: str
    kind: str
    reference: str
    changes: dict[str, list[Any]]


def _fields(record: RecordData | None) -> dict[str, Any]:
    return {} if record is None else to_plain(record)


def differences(before: RecordData | None, after: RecordData | None) -> dict[str, list[Any]]:
    """{field label: [old, new]} for every field that differs (empty values count as None)."""
    old, new = _fields(before), _fields(after)
    changes: dict[str, list[Any]] = {}
    for name in dict.fromkeys([*old, *new]):
        old_value, new_value = _blank_as_none(old.get(name)), _blank_as_none(new.get(name))
        if old_value != new_value:
            changes[FIELD_LABELS.get(name, name)] = [old_value, new_value]
    return changes


def _blank_as_none(value: Any) -> Any:
    return None if value == "" else value


def event_values(action: str, kind: str, reference: str, changes: dict[str, list[Any]],
                 user: str | None = None, at: datetime | None = None) -> dict[str, Any]:
    """An audit_event row; `at` defaults to now."""
    return event_row(action, kind, reference, encode(changes), user, at)


def event_row(action: str, kind: str, reference: str, changes: str, user: str | None = None,
              at: datetime | None = None) -> dict[str, Any]:
    """An audit_event row whose changes are already written as `encode` writes them."""
    return {
        "at": at or utc_now(),
        "user": user or current_user(),
        "action": action,
        "kind": kind,
        "reference": reference,
        "changes": changes,
    }


def log_change(session: Session, before: RecordData | None, after: RecordData | None,
               action: str | None = None) -> None:
    """Record a create (before None), update or delete (after None); no-op if nothing changed."""
    record = after if after is not None else before
    assert record is not None
    changes = differences(before, after)
    if not changes and action is None:
        return
    if action is None:
        action = CREATE if before is None else DELETE if after is None else UPDATE
    session.execute(
        insert(AuditEvent),
        [event_values(action, kind_of(record).value, record.reference.strip(), changes)],
    )


def log_many(session: Session, events: list[dict[str, Any]]) -> None:
    """Bulk form: `events` made with `event_values` (one Core executemany INSERT)."""
    insert_many(session, table_of(AuditEvent), events)


def history(session: Session, kind: str, reference: str) -> list[AuditEntry]:
    """A record's events, oldest first (its History tab)."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.kind == kind, AuditEvent.reference == reference)
        .order_by(AuditEvent.id)
    )
    return [_entry(event) for event in session.scalars(query)]


def between(session: Session, start: datetime, end: datetime) -> list[AuditEntry]:
    """Every event from `start` up to (not including) `end`, for the audit export."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.at >= start, AuditEvent.at < end)
        .order_by(AuditEvent.id)
    )
    return [_entry(event) for event in session.scalars(query)]


def _entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(event.at, event.user, event.action, event.kind, event.reference,
                      json.loads(event.changes))
