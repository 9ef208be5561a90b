"""Personal data: finding a person across every record, retention review, anonymising, legal hold.

Nothing here runs by itself: the officer reviews and chooses. Records under legal hold are never
offered for anonymising or deletion.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from cscdesk.domain.kinds import FIELD_LABELS, Kind, RecordData
from cscdesk.errors import InputError
from cscdesk.store import audit
from cscdesk.store.models import AuditEvent, BinEntry
from cscdesk.store.records import MODEL_OF, find_row, to_data

# Fields that can identify a person, cleared by anonymising; counts and dates stay for reports.
PERSONAL_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.COMPLAINT: ("complainant", "summary", "notes", "lgo_decision"),
    Kind.INITIAL_FEEDBACK: ("summary",),
    Kind.ENQUIRY: ("enquirer", "summary"),
    Kind.COMPLIMENT: ("summary",),
    Kind.DISPUTE: ("summary",),
}

# The date a case is over, from which the retention period runs.
CLOSURE_FIELD: dict[Kind, str] = {
    Kind.COMPLAINT: "closed",
    Kind.INITIAL_FEEDBACK: "resolved",
    Kind.ENQUIRY: "responded",
    Kind.COMPLIMENT: "received",
    Kind.DISPUTE: "resolved",
}

# Fields searched for a subject access request.
SEARCHED_FIELDS: dict[Kind, tuple[str, ...]] = {
    kind: ("reference", *fields, *(("learning",) if kind is Kind.COMPLAINT else ()))
    for kind, fields in PERSONAL_FIELDS.items()
}

REDACTED = "[anonymised]"


@dataclass(frozen=True)
class RetentionCandidate:
    kind: Kind
    reference: str
    closed: date
    legal_hold: bool


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_candidates(session: Session, years: int, today: date | None = None
                         ) -> list[RetentionCandidate]:
    """Records closed more than `years` years ago, legal holds included but marked."""
    cutoff = years_before(today or date.today(), years)
    found: list[RetentionCandidate] = []
    for kind, model in MODEL_OF.items():
        closure = getattr(model, CLOSURE_FIELD[kind])
        query = (
            select(model.reference, closure, model.legal_hold)
            .where(closure.is_not(None), closure < cutoff, _not_anonymised(kind, model))
            .order_by(closure, model.reference)
        )
        found.extend(RetentionCandidate(kind, r, c, bool(h)) for r, c, h in session.execute(query))
    return found


def _not_anonymised(kind: Kind, model: type):
    return or_(*(getattr(model, f) != "" for f in PERSONAL_FIELDS[kind]))


def set_legal_hold(session: Session, kind: Kind, reference: str, hold: bool) -> None:
    row = _row(session, kind, reference)
    if bool(row.legal_hold) != hold:
        row.legal_hold = hold
        session.flush()
        audit.log_many(session, [audit.event_values(
            audit.LEGAL_HOLD, kind.value, row.reference, {"Legal hold": [not hold, hold]})])


def anonymise(session: Session, kind: Kind, reference: str) -> None:
    """Clear the personal fields of a record and of its history; counts for reports stay."""
    row = _row(session, kind, reference)
    _refuse_held(row, kind)
    for field in PERSONAL_FIELDS[kind]:
        setattr(row, field, "")
    session.flush()
    _redact_history(session, kind, row.reference)
    audit.log_many(session, [audit.event_values(
        audit.ANONYMISE, kind.value, row.reference,
        {FIELD_LABELS[f]: [REDACTED, None] for f in PERSONAL_FIELDS[kind]})])


def delete_for_retention(session: Session, kind: Kind, reference: str) -> None:
    """Delete a record for good (not to the bin), with the personal values of its history."""
    from sqlalchemy import delete

    row = _row(session, kind, reference)
    _refuse_held(row, kind)
    session.delete(row)
    session.flush()
    _redact_history(session, kind, reference)
    session.execute(delete(BinEntry).where(BinEntry.kind == kind.value,
                                           BinEntry.reference == reference))
    audit.log_many(session, [audit.event_values(
        audit.DELETE, kind.value, reference, {"Retention": ["kept", "deleted"]})])


def _row(session: Session, kind: Kind, reference: str):
    row = find_row(session, kind, reference)
    if row is None:
        raise InputError(f"There is no {kind.value.lower()} record “{reference}”.")
    return row


def _refuse_held(row, kind: Kind) -> None:
    if row.legal_hold:
        raise InputError(
            f"{kind.value} record “{row.reference}” is under legal hold; lift the hold first."
        )


def _redact_history(session: Session, kind: Kind, reference: str) -> None:
    labels = {FIELD_LABELS[f] for f in PERSONAL_FIELDS[kind]}
    events = session.execute(
        select(AuditEvent.id, AuditEvent.changes)
        .where(AuditEvent.kind == kind.value, AuditEvent.reference == reference)
    ).all()
    for event_id, text in events:
        changes = json.loads(text)
        redacted = {
            label: [None if v in (None, "") else REDACTED for v in values]
            if label in labels else values
            for label, values in changes.items()
        }
        if redacted != changes:
            session.execute(
                update(AuditEvent).where(AuditEvent.id == event_id)
                .values(changes=json.dumps(redacted, ensure_ascii=False, sort_keys=True))
            )


def find_person(session: Session, name: str) -> list[RecordData]:
    """Every record of every kind where `name` appears in a searched field (case-insensitive)."""
    text = name.strip()
    if len(text) < 2:
        raise InputError("Give at least two letters of the name to search for.")
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found: list[RecordData] = []
    for kind, model in MODEL_OF.items():
        conditions = [getattr(model, f).ilike(pattern, escape="\\") for f in SEARCHED_FIELDS[kind]]
        query = select(model).where(or_(*conditions)).order_by(model.reference)
        found.extend(to_data(row) for row in session.scalars(query).unique())
    return found
