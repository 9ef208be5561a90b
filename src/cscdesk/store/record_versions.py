"""No silent overwrite: a save or delete must find the record at the version the form showed.

Every record row carries a `version`, one more at every change of its values (`record_rows`).
A form keeps the version it opened; saving or deleting with it locks the row (`FOR UPDATE` on a
server; a file has one writer at a time anyway), compares, and refuses when another officer
changed or deleted the record meanwhile, naming who and when from the audit trail and carrying
their values, so the form can show them beside the officer's own. Nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import spec
from cscdesk.domain.kinds import Kind, RecordData
from cscdesk.errors import UserFacingError
from cscdesk.store.models import MODEL_OF, AuditEvent


@dataclass(frozen=True)
class LastChange:
    """Who last changed a record, and when (from its newest audit event)."""

    user: str
    at: datetime  # UTC, as the audit trail keeps it

    def when(self) -> str:
        local = self.at.replace(tzinfo=UTC).astimezone()
        return f"{local:%H:%M} on {local:%d/%m/%Y}"


class RecordChangedElsewhere(UserFacingError):
    """The record is not at the version the form showed: `theirs` is it as it is now (None when
    it was deleted), `last` who did that and when."""

    def __init__(self, kind: Kind, reference: str, theirs: RecordData | None,
                 last: LastChange | None, *, version: int | None = None,
                 deleting: bool = False) -> None:
        self.kind, self.reference, self.theirs, self.last = kind, reference, theirs, last
        self.version = version  # theirs: what a save over it, knowingly, must find
        noun = spec(kind).singular
        who = (f"by {last.user} at {last.when()}" if last is not None else "by someone else")
        happened = f"was {'deleted' if theirs is None else 'changed'} {who}"
        done = "nothing was deleted" if deleting else "your changes were not saved over theirs"
        super().__init__(f"The {noun} “{reference}” {happened} since you opened it, so "
                         f"{done}.")


def last_change(session: Session, kind: Kind, reference: str) -> LastChange | None:
    event = session.execute(
        select(AuditEvent.user, AuditEvent.at)
        .where(AuditEvent.kind == kind.value, AuditEvent.reference == reference.strip())
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    return None if event is None else LastChange(event.user, event.at)


def first_change(session: Session, kind: Kind, reference: str) -> LastChange | None:
    """Who made the record, and when (its oldest audit event)."""
    event = session.execute(
        select(AuditEvent.user, AuditEvent.at)
        .where(AuditEvent.kind == kind.value, AuditEvent.reference == reference.strip())
        .order_by(AuditEvent.id).limit(1)).first()
    return None if event is None else LastChange(event.user, event.at)


def version_of(session: Session, kind: Kind, reference: str) -> int | None:
    """The record's version now, or None when there is no such record."""
    model = MODEL_OF[kind]
    return session.execute(select(model.version).where(
        model.reference == reference.strip())).scalar()


def refuse_if_changed(session: Session, kind: Kind, reference: str, row: Any | None,
                      expected: int, *, deleting: bool = False, locked: bool = False) -> None:
    """Lock `row` (the record found by `reference`, or None) and raise RecordChangedElsewhere
    unless it is still at version `expected`. The lock is held to the end of the caller's
    transaction, so nobody changes the record between this check and the write. `locked`:
    the caller read the row afresh with its lock already (`records.find_row(lock=True)`)."""
    from cscdesk.store.records import to_data

    model = MODEL_OF[kind]
    current = None
    if row is not None and locked:
        current = row.version
    elif row is not None:
        current = session.execute(
            select(model.version).where(model.id == row.id).with_for_update()).scalar()
    if current == expected:
        return
    theirs = None
    if current is not None:
        if not locked:
            session.refresh(row)
        theirs = to_data(row)
    raise RecordChangedElsewhere(kind, reference.strip(), theirs,
                                 last_change(session, kind, reference), version=current,
                                 deleting=deleting)
