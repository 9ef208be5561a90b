"""Personal data: finding a person across every record, retention review, anonymising, legal hold.

Nothing here runs by itself: the officer reviews and chooses. Records under legal hold are never
offered for anonymising or deletion.

A record's documents are personal data: anonymising or deleting a record for retention deletes
its documents for good (the bin's copies too), and a record under legal hold keeps them.

An action's text can name the child of its case, so anonymising or deleting a complaint or
dispute resolution case does the same to its actions, in the same transaction; an action whose
case is under legal hold is held with it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from cscdesk.documents.file_names import UniqueNames
from cscdesk.domain.kind_spec import FIELD_LABELS, SPECS, spec
from cscdesk.domain.kinds import Kind, RecordData, kind_of
from cscdesk.domain.record_values import from_plain
from cscdesk.errors import InputError
from cscdesk.store import audit, documents
from cscdesk.store.documents import DocumentInfo
from cscdesk.store.models import MODEL_OF, Action, AuditEvent, BinEntry, Document
from cscdesk.store.records import CASE_KINDS, find_row

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
    last_changed_by: str = ""  # from the audit trail, when it was read (see below)
    last_changed_at: datetime | None = None
    held_with_case: bool = False  # an action held because its case is (lift the case's hold)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_candidates(session: Session, years: int, today: date | None = None, *,
                         who: bool = False) -> list[RetentionCandidate]:
    """Records closed more than `years` years ago, legal holds included but marked (an action
    is marked held when its case is); with `who` (a login that may read the audit trail), who
    changed each last and when."""
    cutoff = years_before(today or date.today(), years)
    found: list[RetentionCandidate] = []
    held_cases = _held_cases(session)
    for kind, model in MODEL_OF.items():
        closure = getattr(model, CLOSURE_FIELD[kind])
        newest = (select(func.max(AuditEvent.id)).where(
            AuditEvent.kind == kind.value, AuditEvent.reference == model.reference)
            .correlate(model).scalar_subquery())
        last = aliased(AuditEvent)
        columns: list[Any] = [model.reference, closure, model.legal_hold]
        query = select(*columns)
        if who:
            query = select(*columns, last.user, last.at).outerjoin(last, last.id == newest)
        query = (query.where(closure.is_not(None), closure < cutoff,
                             _not_anonymised(kind, model))
                 .order_by(closure, model.reference))
        if kind is Kind.ACTION:
            query = query.add_columns(Action.case_reference)
        for row in session.execute(query):
            with_case = kind is Kind.ACTION and row[-1] in held_cases
            changed_by, changed_at = (row[3] or "", row[4]) if who else ("", None)
            found.append(RetentionCandidate(kind, row[0], row[1], bool(row[2]) or with_case,
                                            changed_by, changed_at, with_case))
    return found


def _held_cases(session: Session) -> set[str]:
    """The references of the complaints and dispute resolution cases under legal hold."""
    return {reference for kind in CASE_KINDS for reference in session.scalars(
        select(MODEL_OF[kind].reference).where(MODEL_OF[kind].legal_hold))}


def _cleared(kind: Kind, field: str) -> str:
    """What anonymising leaves in a personal field: nothing, or a marker where the field is
    required (an action's What), so the record stays valid to save, export and import."""
    return REDACTED if spec(kind).field(field).required else ""


def _not_anonymised(kind: Kind, model: type) -> ColumnElement[bool]:
    return or_(*(getattr(model, f).not_in(("", REDACTED)) for f in PERSONAL_FIELDS[kind]))


def set_legal_hold(session: Session, kind: Kind, reference: str, hold: bool) -> None:
    row = _row(session, kind, reference)
    if bool(row.legal_hold) != hold:
        row.legal_hold = hold
        session.flush()
        audit.log_many(session, [audit.event_values(
            audit.LEGAL_HOLD, kind.value, row.reference, {"Legal hold": [not hold, hold]})])


def anonymise(session: Session, kind: Kind, reference: str) -> int:
    """Clear the personal fields of a record and of its history; counts for reports stay.
    A case's actions are anonymised with it; returns how many."""
    row = _row(session, kind, reference)
    _refuse_held(session, row, kind)
    actions = _actions_of(session, kind, row.reference)
    for action in actions:
        _refuse_held(session, action, Kind.ACTION)
    for target_kind, target in ((kind, row), *((Kind.ACTION, a) for a in actions)):
        _anonymise_row(session, target_kind, target)
    return len(actions)


def _anonymise_row(session: Session, kind: Kind, row: Any) -> None:
    # A record's documents (letters to the person, their emails) are personal data through and
    # through: anonymising deletes them for good, in the bin or not.
    documents.delete_for_good(session, kind, row.reference)
    if not session.scalar(select(func.count()).where(
            MODEL_OF[kind].id == row.id, _not_anonymised(kind, MODEL_OF[kind]))):
        return  # anonymised already (an action, with an earlier stage of its case)
    for field in PERSONAL_FIELDS[kind]:
        setattr(row, field, _cleared(kind, field))
    row.version += 1  # a form open on it since may not write the names back
    session.flush()
    _redact_history(session, kind, row.reference)
    audit.log_many(session, [audit.event_values(
        audit.ANONYMISE, kind.value, row.reference,
        {FIELD_LABELS[f]: [REDACTED, None] for f in PERSONAL_FIELDS[kind]})])


def delete_for_retention(session: Session, kind: Kind, reference: str) -> int:
    """Delete a record for good (not to the bin), with the personal values of its history.
    A case's actions go with it; returns how many."""
    row = _row(session, kind, reference)
    _refuse_held(session, row, kind)
    actions = _actions_of(session, kind, row.reference)
    for action in actions:
        _refuse_held(session, action, Kind.ACTION)
    for action in actions:
        _delete_row(session, Kind.ACTION, action)
    _delete_row(session, kind, row)
    return len(actions)


def _delete_row(session: Session, kind: Kind, row: Any) -> None:
    from sqlalchemy import delete

    reference = row.reference
    session.delete(row)
    session.flush()
    documents.delete_for_good(session, kind, reference)
    _redact_history(session, kind, reference)
    session.execute(delete(BinEntry).where(BinEntry.kind == kind.value,
                                           BinEntry.reference == reference))
    audit.log_many(session, [audit.event_values(
        audit.DELETE, kind.value, reference, {"Retention": ["kept", "deleted"]})])


def _actions_of(session: Session, kind: Kind, reference: str) -> list[Action]:
    """The actions whose Case is this complaint or dispute resolution case (none for others)."""
    if kind not in CASE_KINDS:
        return []
    return list(session.scalars(select(Action).where(Action.case_reference == reference)
                                .order_by(Action.reference)))


def _row(session: Session, kind: Kind, reference: str) -> Any:  # the kind's model
    row = find_row(session, kind, reference)
    if row is None:
        raise InputError(f"There is no {spec(kind).singular} “{reference}”.")
    return row


def _refuse_held(session: Session, row: Any, kind: Kind) -> None:
    if row.legal_hold:
        raise InputError(
            f"{kind.value} record “{row.reference}” is under legal hold; lift the hold first."
        )
    if kind is Kind.ACTION and row.case_reference in _held_cases(session):
        raise InputError(
            f"Action “{row.reference}” belongs to “{row.case_reference}”, which is under legal "
            "hold; lift the case's hold first."
        )


def _redact_history(session: Session, kind: Kind, reference: str) -> None:
    # a document's name ("Letter to Ann Smith.docx") is personal too
    labels = {FIELD_LABELS[f] for f in PERSONAL_FIELDS[kind]} | {documents.DOCUMENT_LABEL}
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
    """Where a name was found, as keys, not records (a common name matches hundreds of
    thousands: the records are read in chunks as they are written, by `found_records`).
    Live records by id, each kind's in reference order (kinds in their order); deleted records
    still in the bin by the bin entry's (kind, id), and records known only from their history
    (deleted, the bin since emptied) by (kind, reference), kinds in order, references sorted.
    A bin entry whose record is among the live ones found is left out, as is a record whose
    history holds too little to show it."""

    live: dict[Kind, list[int]]
    in_bin: list[tuple[str, int]]
    history_only: list[tuple[str, str]]

    def __len__(self) -> int:
        return sum(map(len, self.live.values())) + len(self.in_bin) + len(self.history_only)

    def kinds(self) -> list[Kind]:
        """The kinds of the records found, in order."""
        present = {kind for kind, ids in self.live.items() if ids}
        present.update(Kind(kind) for kind, _id in self.in_bin)
        present.update(Kind(kind) for kind, _reference in self.history_only)
        return [kind for kind in Kind if kind in present]


@dataclass(frozen=True)
class PackDocument:
    """A document of a record found: what it is, and the file name it has in the pack's
    folder (unique within the pack)."""

    info: DocumentInfo
    file_name: str


@dataclass(frozen=True)
class FoundRecord:
    """A record found, with its history (oldest first) and its documents (those in the bin
    too: they are still held)."""

    record: RecordData
    history: list[audit.AuditEntry]
    in_bin: bool = False
    # deleted and the bin emptied: the record as its history last knew it
    history_only: bool = False
    documents: tuple[PackDocument, ...] = ()

    @property
    def kind(self) -> Kind:
        return kind_of(self.record)


CHUNK = 2000  # records read at a time


def find_person(session: Session, name: str) -> list[RecordData]:
    """Every live record where `name` appears in a searched field or in the record's history
    (a name since changed or anonymised away is still found), compared with `fold`."""
    found = find_everywhere(session, name)
    return [record for kind, ids in found.live.items() for record in _load(session, kind, ids)]


def find_everywhere(session: Session, name: str) -> PersonFound:
    """Every record `name` appears in: in its searched fields, in its copy in the bin, in any
    value of its history, or in the name, email sender or subject of one of its documents
    (those in the bin too). One pass over each table (the audit trail's included), so the time
    grows with the records; what is kept grows with the matches, a reference and an id each."""
    needle = _needle(name)
    # each kind's live records found: reference -> id
    live: dict[Kind, dict[str, int]] = {kind: {} for kind in MODEL_OF}
    for kind, model in MODEL_OF.items():
        found = live[kind]
        columns = [getattr(model, f) for f in SEARCHED_FIELDS[kind]]
        for row_id, reference, *values in _stream(
                session, select(model.id, model.reference, *columns)):
            if _mentions(needle, values):
                found[reference] = row_id
    bin_found: dict[tuple[str, str], int] = {}  # (kind, reference) -> the bin entry's id
    for entry_id, entry_kind, data_text in _stream(
            session, select(BinEntry.id, BinEntry.kind, BinEntry.data)):
        if needle in fold(data_text):
            data = json.loads(data_text)
            if _mentions(needle, data.values()):
                record = from_plain(Kind(entry_kind), data)
                bin_found[(entry_kind, record.reference)] = entry_id
    # the history of a live record found already need not be searched
    found_by_kind = {kind.value: references for kind, references in live.items()}
    in_history: set[tuple[str, str]] = set()
    for event_kind, reference, changes in _stream(
            session, select(AuditEvent.kind, AuditEvent.reference, AuditEvent.changes)):
        references = found_by_kind.get(event_kind)
        if references is not None and reference in references:
            continue
        if (event_kind, reference) in in_history or needle not in fold(changes):
            continue
        if _mentions(needle, (v for pair in json.loads(changes).values()
                              for v in (pair if isinstance(pair, list) else [pair]))):
            in_history.add((event_kind, reference))
    # a document whose name, email sender or subject names the person: its record is found
    for key in documents.mentioning(session, lambda text: needle in fold(text)):
        references = found_by_kind.get(key[0])
        if references is None or key[1] not in references:
            in_history.add(key)
    gone = _live_from_history(session, in_history, live)
    _add_bin_entries(session, [key for key in gone if key not in bin_found], bin_found)
    _add_actions_of_cases(session, live)
    gone = [key for key in gone if key not in bin_found]
    in_bin = [(key[0], bin_found[key]) for key in sorted(
        bin_found, key=lambda k: (_KIND_ORDER[k[0]], k[1]))
        if not (key[0] in found_by_kind and key[1] in found_by_kind[key[0]])]
    history_only = _shown_in_chunks(session, sorted(
        gone, key=lambda k: (_KIND_ORDER[k[0]], k[1])))
    return PersonFound({kind: [found[reference] for reference in sorted(found)]
                        for kind, found in live.items()}, in_bin, history_only)


_KIND_ORDER = {kind.value: position for position, kind in enumerate(Kind)}
_KIND_OF = {kind.value: kind for kind in Kind}


def _stream(session: Session, query: Any) -> Iterable[Any]:
    """The rows of `query`, fetched a few thousand at a time, not all at once."""
    return session.execute(query, execution_options={"yield_per": CHUNK})


def _add_bin_entries(session: Session, keys: list[tuple[str, str]],
                     bin_found: dict[tuple[str, str], int]) -> None:
    """Those of `keys` (records not live) deleted into the bin: their latest bin entry, so a
    record found by its documents alone is shown from its copy in the bin."""
    for kind_name, reference in keys:
        entry_id = session.scalar(select(func.max(BinEntry.id)).where(
            BinEntry.kind == kind_name, BinEntry.reference == reference))
        if entry_id is not None:
            bin_found[(kind_name, reference)] = entry_id


def _add_actions_of_cases(session: Session, live: dict[Kind, dict[str, int]]) -> None:
    """The actions of the complaints and dispute resolution cases found: what was agreed at
    the end of the person's case is about them, whether or not its text names them."""
    cases = sorted({reference for kind in CASE_KINDS for reference in live[kind]})
    for start in range(0, len(cases), CHUNK):
        live[Kind.ACTION].update(session.execute(
            select(Action.reference, Action.id)
            .where(Action.case_reference.in_(cases[start:start + CHUNK]))).all())


def _live_from_history(session: Session, keys: set[tuple[str, str]],
                       live: dict[Kind, dict[str, int]]) -> list[tuple[str, str]]:
    """Add to `live` the live records among `keys` (found in their history); returns the
    other keys of a kind (records deleted)."""
    gone: list[tuple[str, str]] = []
    by_kind: dict[str, list[str]] = {}
    for kind_name, reference in keys:
        by_kind.setdefault(kind_name, []).append(reference)
    for kind_name, references in by_kind.items():
        kind = _KIND_OF.get(kind_name)
        if kind is None:
            continue
        model = MODEL_OF[kind]
        existing: dict[str, int] = {}
        for start in range(0, len(references), CHUNK):
            existing.update(session.execute(
                select(model.reference, model.id)
                .where(model.reference.in_(references[start:start + CHUNK])))
                .all())
        live[kind].update(existing)
        gone.extend((kind_name, r) for r in references if r not in existing)
    return gone


def _shown_in_chunks(session: Session, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        able = _shown_from_history(session, chunk)
        shown.extend(key for key in chunk if key in able)
    return shown


def _shown_from_history(session: Session, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of `keys` whose history holds enough to show the record."""
    histories = histories_of(session, keys)
    return {key for key in keys
            if _from_history(_KIND_OF[key[0]], key[1], histories.get(key, [])) is not None}


def histories_of(session: Session, keys: Iterable[tuple[str, str]]
                 ) -> dict[tuple[str, str], list[audit.AuditEntry]]:
    """The events of each (kind, reference) in `keys`, oldest first (read by reference, a
    chunk's worth of records at a time)."""
    by_kind: dict[str, list[str]] = {}
    for kind_name, reference in keys:
        by_kind.setdefault(kind_name, []).append(reference)
    result: dict[tuple[str, str], list[audit.AuditEntry]] = {}
    entry, loads = audit.AuditEntry, json.loads
    for kind_name, references in by_kind.items():
        for start in range(0, len(references), CHUNK):
            query = (select(AuditEvent.at, AuditEvent.user, AuditEvent.action,
                            AuditEvent.reference, AuditEvent.changes)
                     .where(AuditEvent.kind == kind_name,
                            AuditEvent.reference.in_(references[start:start + CHUNK]))
                     .order_by(AuditEvent.id))
            for at, user, action, reference, changes in session.execute(query):
                events = result.get((kind_name, reference))
                if events is None:
                    events = result[(kind_name, reference)] = []
                events.append(entry(at, user, action, kind_name, reference, loads(changes)))
    return result


def found_records(session: Session, found: PersonFound, chunk: int = CHUNK
                  ) -> Iterator[FoundRecord]:
    """The records of `found` with their histories, in its order, read `chunk` records at a
    time: what is held at once does not grow with the matches. Each record's documents are
    listed (not read) and given file names unique within the pack."""
    names = UniqueNames()
    for kind, ids in found.live.items():
        for start in range(0, len(ids), chunk):
            records = _load(session, kind, ids[start:start + chunk])
            yield from _with_history(session, records, names, in_bin=False,
                                     history_only=False)
    for start in range(0, len(found.in_bin), chunk):
        entries = found.in_bin[start:start + chunk]
        data: dict[int, str] = dict(session.execute(select(BinEntry.id, BinEntry.data).where(
            BinEntry.id.in_([entry_id for _kind, entry_id in entries]))).all())
        records = [from_plain(Kind(kind), json.loads(data[entry_id]))
                   for kind, entry_id in entries]
        yield from _with_history(session, records, names, in_bin=True, history_only=False)
    for start in range(0, len(found.history_only), chunk):
        keys = found.history_only[start:start + chunk]
        histories = histories_of(session, keys)
        for kind_name, reference in keys:
            history = histories.get((kind_name, reference), [])
            record = _from_history(_KIND_OF[kind_name], reference, history)
            if record is not None:
                yield FoundRecord(record, history, history_only=True)


def _with_history(session: Session, records: list[RecordData], names: UniqueNames, *,
                  in_bin: bool, history_only: bool) -> Iterator[FoundRecord]:
    keys = [(_KIND_NAMES[kind_of(record)], record.reference) for record in records]
    histories = histories_of(session, keys)
    listed = documents.listed_for_records(session, keys, with_binned=True)
    for key, record in zip(keys, records, strict=True):
        held = tuple(PackDocument(info, names.take(f"{info.reference} - {info.name}"))
                     for info in listed.get(key, ()))
        yield FoundRecord(record, histories.get(key, []), in_bin, history_only, held)


_KIND_NAMES = {kind: kind.value for kind in Kind}  # Enum.value is a slow look-up


def _load(session: Session, kind: Kind, ids: list[int]) -> list[RecordData]:
    """The records of `kind` with these ids, in the order of `ids`, as `records.to_data` makes
    them, read as plain rows (with the team's, root cause's and earlier stage's names joined
    in): a third of the time of loading mapped objects, for the tens of thousands a common name
    can match."""
    from cscdesk.domain.kinds import DATA_CLASS
    from cscdesk.store.records import pence_to_pounds

    model = MODEL_OF[kind]
    make = DATA_CLASS[kind]
    query = _load_query(kind)
    found: dict[int, RecordData] = {}
    for start in range(0, len(ids), 5000):
        for row in session.execute(query.where(model.id.in_(ids[start:start + 5000]))):
            values = row._asdict()
            row_id = values.pop("id_")
            if kind is Kind.COMPLAINT:
                values["root_cause"] = values["root_cause"] or ""
                values["escalated_from"] = values["escalated_from"] or ""
                values["adr_saving"] = pence_to_pounds(values.pop("adr_saving_pence"))
            elif kind is Kind.ACTION:
                values["amount"] = pence_to_pounds(values.pop("amount_pence"))
            found[row_id] = make(**values)
    return [found[row_id] for row_id in ids if row_id in found]


@cache
def _load_query(kind: Kind) -> Any:  # Select
    """The query `_load` reads a kind's records with, made once: the earlier stage's alias of
    the complaint table copies every column, in reference cycles that only the cycle
    collector frees, so one made for each chunk read left garbage growing with the records
    while the automatic collector is off (in the desktop app it runs only from the GUI
    thread's timer, `ui/collector.py`)."""
    from cscdesk.store.models import Complaint, RootCause, Team
    from cscdesk.store.records import _PLAIN_FIELDS

    model = MODEL_OF[kind]
    query = select(model.id.label("id_"), *(getattr(model, f) for f in _PLAIN_FIELDS[kind]),
                   Team.name.label("team")).join(Team, model.team_id == Team.id)
    if kind is Kind.COMPLAINT:
        earlier = aliased(Complaint)
        query = (query.add_columns(RootCause.name.label("root_cause"),
                                   earlier.reference.label("escalated_from"),
                                   Complaint.adr_saving_pence)
                 .outerjoin(RootCause, Complaint.root_cause_id == RootCause.id)
                 .outerjoin(earlier, Complaint.escalated_from_id == earlier.id))
    elif kind is Kind.ACTION:
        query = query.add_columns(Action.amount_pence)
    return query


def _from_history(kind: Kind, reference: str, history: list[audit.AuditEntry]
                  ) -> RecordData | None:
    """A record deleted for good, as its history last knew it (each field's latest value before
    the deletion), or None when the history holds too little to show it."""
    names = {FIELD_LABELS[n]: n for n in spec(kind).field_names}
    values: dict[str, object] = {}
    for entry in history:
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


def has_documents(session: Session, found: PersonFound) -> bool:
    """Whether any record of `found` has documents (before the pack is written, which reads
    the records a chunk at a time)."""
    for kind, ids in found.live.items():
        model = MODEL_OF[kind]
        for start in range(0, len(ids), CHUNK):
            if session.scalar(select(Document.id).join(model, and_(
                    Document.record_kind == kind.value,
                    Document.record_reference == model.reference))
                    .where(model.id.in_(ids[start:start + CHUNK])).limit(1)) is not None:
                return True
    entries = [entry_id for _kind, entry_id in found.in_bin]
    for start in range(0, len(entries), CHUNK):
        if session.scalar(select(Document.id).join(BinEntry, and_(
                Document.record_kind == BinEntry.kind,
                Document.record_reference == BinEntry.reference))
                .where(BinEntry.id.in_(entries[start:start + CHUNK])).limit(1)) is not None:
            return True
    return False
