"""What a new or escalated record's form offers the officer: the last reference used of a kind,
and the complaints a later stage may escalate from.

Functions take the caller's session and never commit. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cscdesk.domain.kinds import Kind
from cscdesk.store.models import MODEL_OF, Complaint, Team

# Matches listed under "Escalated from" at most.
MOST_MATCHES = 20


def last_reference(session: Session, kind: Kind) -> str | None:
    """The reference of the record of `kind` added most recently that still exists (the
    highest row id: every record typed, imported or restored from the bin gets a higher one
    than those before it). For complaints, the newest Stage 1 complaint: a later stage
    usually carries its first stage's reference with a suffix ("C-101-S2"), not the next
    number."""
    model = MODEL_OF[kind]
    statement = select(model.reference).order_by(model.id.desc()).limit(1)
    if kind is Kind.COMPLAINT:
        statement = statement.where(Complaint.stage == 1)
    return session.scalar(statement)


@dataclass(frozen=True)
class EarlierComplaint:
    """A complaint a later stage may escalate from, as the form lists it."""

    reference: str
    complainant: str
    team: str
    received: date


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def earlier_stage_complaints(session: Session, stage: int, text: str,
                             most: int = MOST_MATCHES) -> list[EarlierComplaint]:
    """Complaints at `stage` where every word of `text` appears in the reference, the
    complainant or the team's name (case ignored for A–Z, as in the lists' search): the one
    whose reference is exactly `text` first, then the newest first, at most `most`.

    Newest first walks the table backwards from its last row and stops at the `most`th
    match, so a common word costs a few rows, not the whole table.
    """
    words = text.split()
    if not words:
        return []
    selected = (Complaint.id, Complaint.reference, Complaint.complainant, Team.name,
                Complaint.received)
    base = select(*selected).join(Team, Team.id == Complaint.team_id).where(
        Complaint.stage == stage)
    exact = session.execute(base.where(Complaint.reference == text.strip())).first()
    conditions = []
    server = session.get_bind().dialect.name == "postgresql"  # LIKE there minds case
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        conditions.append(or_(*(column.ilike(pattern, escape="\\") if server
                                else column.like(pattern, escape="\\")
                                for column in (Complaint.reference, Complaint.complainant,
                                               Team.name))))
    statement = base.where(*conditions).order_by(Complaint.id.desc()).limit(most)
    if exact is not None:
        statement = statement.where(Complaint.id != exact.id).limit(most - 1)
    rows = [*([exact] if exact is not None else []), *session.execute(statement)]
    return [EarlierComplaint(row.reference, row.complainant or "", row.name, row.received)
            for row in rows]
