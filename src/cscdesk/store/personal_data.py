"""Personal data: finding a person across every record, retention review, anonymising, legal hold.

Nothing here runs by itself: the officer reviews and chooses. Records under legal hold are never
offered for anonymising or deletion.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cscdesk.domain.kind_spec import FIELD_LABELS, SPECS, spec
from cscdesk.domain.kinds import Kind, RecordData, kind_of
from cscdesk.domain.record_values import from_plain
from cscdesk.errors import InputError
from cscdesk.store import audit
from cscdesk.store.models import MODEL_OF, AuditEvent, BinEntry
from cscdesk.store.records import find_row

# Fields that can identify a person, cleared by anonymising; counts and dates stay for reports.
PERSONAL_FIELDS: dict[Kind, tuple[str, ...]] = {
    kind: kind_spec.personal_fields for kind, kind_spec in SPECS.items()
}

# The date a case is over, from which the retention period runs.
CLOSURE_FIELD: dict[Kind, str] = {
    kind: kind_spec.retained_from for kind, kind_spec in SPECS.items()
}

# Fields searched for a subject access request.
SEARCHED_FIELDS: dict[Kind, tuple[str, ...]] = {
    kind: kind_spec.subject_access_fields for kind, kind_spec in SPECS.items()
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


def _not_anonymised(kind: Kind, model: type) -> ColumnElement[bool]:
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


def _row(session: Session, kind: Kind, reference: str) -> Any:  # the kind's model
    row = find_row(session, kind, reference)
    if row is None:
        raise InputError(f"There is no {kind.value.lower()} record “{reference}”.")
    return row


def _refuse_held(row: Any, kind: Kind) -> None:
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


# How names are compared for subject access: the same letters in any case, composed or
# decomposed, typed or pasted (’ for ', – for -, a non-breaking space) are the same text.
_APOSTROPHES = "\u2018\u2019\u201a\u201b\u02bc\u02b9\u02bb\u0060\u00b4\u2032\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_FOLDED = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_DASHES, "-")})


def fold(text: str) -> str:
    """`text` as subject access compares it: NFKC-normalised, Unicode case-folded ("ÇELIK",
    "Çelik" and "çelik" alike; "Straße" and "STRASSE"), apostrophe and dash variants made
    plain, the dotted capital İ's dot dropped and runs of white space made one space."""
    if text.isascii():
        return " ".join(text.lower().replace("`", "'").split())
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.translate(_FOLDED).replace("i\u0307", "i").split())


def _needle(name: str) -> str:
    needle = fold(name)
    if len(needle) < 2:
        raise InputError("Give at least two letters of the name to search for.")
    return needle


def _mentions(needle: str, values: Iterable[object]) -> bool:
    return any(isinstance(v, str) and v and needle in fold(v) for v in values)


@dataclass(frozen=True)
class PersonFound:
    """Where a name was found: live records, deleted records still in the bin, and records
    known only from their history (deleted, the bin since emptied): (kind, reference) each,
    with the bin's records revived. Kinds in order, references sorted."""

    live: list[RecordData]
    in_bin: list[RecordData]
    history_only: list[RecordData]


def find_person(session: Session, name: str) -> list[RecordData]:
    """Every live record where `name` appears in a searched field or in the record's history
    (a name since changed or anonymised away is still found), compared with `fold`."""
    return find_everywhere(session, name).live


def find_everywhere(session: Session, name: str) -> PersonFound:
    """Every record `name` appears in: in its searched fields, in its copy in the bin, or in any
    value of its history. One pass over each table, so the time grows with the records."""
    needle = _needle(name)
    live_ids: dict[Kind, set[int]] = {kind: set() for kind in MODEL_OF}
    live_refs: dict[tuple[str, str], tuple[Kind, int]] = {}
    for kind, model in MODEL_OF.items():
        columns = [getattr(model, f) for f in SEARCHED_FIELDS[kind]]
        for row_id, *values in session.execute(select(model.id, *columns)):
            live_refs[(kind.value, values[0])] = (kind, row_id)
            if _mentions(needle, values):
                live_ids[kind].add(row_id)
    bin_found: dict[tuple[str, str], RecordData] = {}
    for entry_kind, data_text in session.execute(select(BinEntry.kind, BinEntry.data)):
        if needle in fold(data_text):
            data = json.loads(data_text)
            if _mentions(needle, data.values()):
                record = from_plain(Kind(entry_kind), data)
                bin_found[(entry_kind, record.reference)] = record
    in_history: set[tuple[str, str]] = set()
    for event_kind, reference, changes in session.execute(
            select(AuditEvent.kind, AuditEvent.reference, AuditEvent.changes)):
        if (event_kind, reference) in in_history or needle not in fold(changes):
            continue
        if _mentions(needle, (v for pair in json.loads(changes).values()
                              for v in (pair if isinstance(pair, list) else [pair]))):
            in_history.add((event_kind, reference))
    gone: list[tuple[str, str]] = []
    for key in in_history:
        if key in live_refs:
            kind, row_id = live_refs[key]
            live_ids[kind].add(row_id)
        elif key not in bin_found and key[0] in {k.value for k in Kind}:
            gone.append(key)
    live: list[RecordData] = []
    for kind in MODEL_OF:
        live.extend(sorted(_load(session, kind, sorted(live_ids[kind])),
                           key=lambda r: r.reference))
    history_only = [record for record in (
        _from_history(session, Kind(kind), reference) for kind, reference in sorted(gone))
        if record is not None]
    in_bin = [bin_found[key] for key in sorted(bin_found,
                                               key=lambda k: (_KIND_ORDER[k[0]], k[1]))]
    return PersonFound(live, in_bin, sorted(history_only, key=lambda r: (
        _KIND_ORDER[kind_of(r).value], r.reference)))


_KIND_ORDER = {kind.value: position for position, kind in enumerate(Kind)}


def _load(session: Session, kind: Kind, ids: list[int]) -> list[RecordData]:
    """The records of `kind` with these ids, as `records.to_data` makes them, read as plain
    rows (with the team's, root cause's and earlier stage's names joined in): a third of the
    time of loading mapped objects, for the tens of thousands a common name can match."""
    from sqlalchemy.orm import aliased

    from cscdesk.domain.kinds import DATA_CLASS
    from cscdesk.store.models import Complaint, RootCause, Team
    from cscdesk.store.records import _PLAIN_FIELDS, pence_to_pounds

    model = MODEL_OF[kind]
    make = DATA_CLASS[kind]
    query = select(*(getattr(model, f) for f in _PLAIN_FIELDS[kind]), Team.name.label("team")
                   ).join(Team, model.team_id == Team.id)
    if kind is Kind.COMPLAINT:
        earlier = aliased(Complaint)
        query = (query.add_columns(RootCause.name.label("root_cause"),
                                   earlier.reference.label("escalated_from"),
                                   Complaint.adr_saving_pence)
                 .outerjoin(RootCause, Complaint.root_cause_id == RootCause.id)
                 .outerjoin(earlier, Complaint.escalated_from_id == earlier.id))
    found: list[RecordData] = []
    for start in range(0, len(ids), 5000):
        for row in session.execute(query.where(model.id.in_(ids[start:start + 5000]))):
            values = row._asdict()
            if kind is Kind.COMPLAINT:
                values["root_cause"] = values["root_cause"] or ""
                values["escalated_from"] = values["escalated_from"] or ""
                values["adr_saving"] = pence_to_pounds(values.pop("adr_saving_pence"))
            found.append(make(**values))
    return found


def _from_history(session: Session, kind: Kind, reference: str) -> RecordData | None:
    """A record deleted for good, as its history last knew it (each field's latest value before
    the deletion), or None when the history holds too little to show it."""
    names = {FIELD_LABELS[n]: n for n in spec(kind).field_names}
    values: dict[str, object] = {}
    for entry in audit.history(session, kind.value, reference):
        for label, pair in entry.changes.items():
            if label in names and isinstance(pair, list) and len(pair) == 2:
                old, new = pair
                if new is not None:
                    values[names[label]] = new
                elif old is not None and entry.action != audit.DELETE:
                    values.pop(names[label], None)
    if not values:
        return None
    values["reference"] = reference
    try:
        return from_plain(kind, values)
    except (TypeError, ValueError, KeyError):
        return None
