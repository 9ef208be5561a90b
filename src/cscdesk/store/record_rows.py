"""A record's row: the one way a validated record becomes the values of its database row, and
the audit event of that change.

The forms (`store.records.save`, one record at a time) and the workbook import
(`exchange.importer`, tens of thousands at once) both write records through `RecordRows`:

- `values(record)` gives the row's values: the fields copied as they are (text trimmed), team
  and root cause names resolved to list ids (`NameIds`, read once; a new name is added to its
  list), pounds to pence, and a complaint's due date; "escalated_from" stays a reference until
  the row is written;
- `created_event` / `updated_event` give the audit event ({label: [old, new]}, names for ids,
  pounds for pence, blanks as None), the same as `audit.differences` of the records;
- `write(session, kind, created, changed)` inserts (`store.bulk.insert_many`) and updates
  with executemany statements of plain dicts, a batch of `BATCH` rows at a time, writes the
  audit events, and links complaints to the ones they escalate from by id.

Engine-neutral SQLAlchemy Core (no SQL of one database), so the same code can carry a
database to a PostgreSQL server. Lookups are by the references and names given, in chunks,
so the work follows the records written, not the size of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from json.encoder import encode_basestring as _json_text  # json.dumps's (C) string writer
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from cscdesk.domain.kind_spec import FieldType, spec
from cscdesk.domain.kinds import Kind, RecordData, kind_of
from cscdesk.domain.record_values import plain
from cscdesk.store import audit
from cscdesk.store.bulk import insert_many, table_of
from cscdesk.store.models import MODEL_OF, Complaint, RootCause, Team, utc_now

# Rows in one executemany statement, and values in one IN (…) list.
BATCH = 5000
CHUNK = 900
# The complaint a complaint escalates from: one alias for every read (a new one per read made
# SQLAlchemy build and compile the statement afresh each time, a millisecond of every save).
_ESCALATED_FROM = aliased(Complaint, name="escalated_from_complaint")

# Fields whose column has another name and value: names become list ids, pounds become pence.
_RENAMED = {"team": "team_id", "root_cause": "root_cause_id", "adr_saving": "adr_saving_pence",
            "amount": "amount_pence"}
# Money fields, kept in pence: (field, column) of each kind.
_MONEY: dict[type, tuple[tuple[str, str], ...]] = {
    spec(kind).data_class: tuple((field.name, _RENAMED[field.name]) for field in spec(kind).fields
                                 if field.type is FieldType.MONEY)
    for kind in Kind
}

# Field types held as text, trimmed when stored.
_TEXT_TYPES = (FieldType.REFERENCE, FieldType.LIST, FieldType.LINE, FieldType.TEXT)
_TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    spec(kind).data_class: tuple(field.name for field in spec(kind).fields
                                 if field.type in _TEXT_TYPES)
    for kind in Kind
}

DueDate = Callable[[date, int, bool], date]
Advance = Callable[[int], None]


def pounds_to_pence(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def pence_to_pounds(pence: int | None) -> Decimal | None:
    return None if pence is None else (Decimal(pence) / 100).normalize() + Decimal(0)


def plain_fields(kind: Kind) -> tuple[str, ...]:
    """The fields copied as they are between a record and its row (the others are converted)."""
    return tuple(name for name in spec(kind).field_names
                 if name not in _RENAMED and name != "escalated_from")


def stored_columns(kind: Kind) -> list[str]:
    """The row values a record of this kind sets: its fields, with names resolved to ids,
    pounds to pence, and (for complaints) the due date; "escalated_from" stays a reference."""
    names = [_RENAMED.get(name, name) for name in spec(kind).field_names]
    return [*names, "due"] if kind is Kind.COMPLAINT else names


class NameIds:
    """A pick list (teams or root causes) read once: names match ignoring case and surrounding
    spaces; a name not yet in the list gets a placeholder id (negative) until `insert_added`
    adds it, with the spelling first given."""

    def __init__(self, session: Session, model: type[Team] | type[RootCause]) -> None:
        self.model = model
        self.names: dict[int, str] = dict(session.execute(select(model.id, model.name)).all())
        self.ids: dict[str, int] = {
            name.strip().lower(): entry_id for entry_id, name in self.names.items()
        }
        self.added: list[str] = []
        self.inserted = 0  # how many of `added` are in the database
        self.real_ids: dict[int, int] = {}  # placeholder -> id, once inserted

    def id_of(self, name: str) -> int:
        key = name.strip().lower()
        found = self.ids.get(key)
        if found is None:
            self.added.append(name.strip())
            found = self.ids[key] = -len(self.added)
            self.names[found] = name.strip()
        return found

    def real(self, entry_id: int) -> int:
        """The database id of an id `id_of` gave (placeholders once inserted)."""
        return self.real_ids[entry_id] if entry_id < 0 else entry_id

    def insert_added(self, session: Session, now: datetime) -> None:
        """Add the new names to the list; their placeholders then stand for the new ids."""
        new = self.added[self.inserted:]
        if not new:
            return
        table = table_of(self.model)
        session.execute(table.insert(), [
            {"name": name, "retired": False, "created_at": now, "updated_at": now}
            for name in new
        ])
        real: dict[str, int] = {}
        for chunk in chunks(new, CHUNK):
            real.update(session.execute(
                select(self.model.name, self.model.id).where(self.model.name.in_(chunk))).all())
        for number, name in enumerate(new, start=self.inserted + 1):
            self.real_ids[-number] = real[name]
            self.names[real[name]] = name
        for key, entry_id in self.ids.items():
            if entry_id < 0:
                self.ids[key] = self.real_ids.get(entry_id, entry_id)
        self.inserted = len(self.added)


class RecordRows:
    """Rows and audit events of records, for one transaction: the forms make one per save, the
    import one per workbook.

    `due` gives a complaint's response due date (the calendar's `response_due`, or a faster
    table of the same answers for many rows); by default the database's working calendar.
    """

    def __init__(self, session: Session, *, due: DueDate | None = None,
                 user: str | None = None, trimmed: bool = False) -> None:
        """`trimmed`: the records' text is known to be trimmed already (as the workbook
        reader gives it), so `values` need not trim it again."""
        self.trimmed = trimmed
        if due is None:
            from cscdesk.store.lists import working_calendar

            due = working_calendar(session).response_due
        self.due = due
        self.teams = NameIds(session, Team)
        self.root_causes = NameIds(session, RootCause)
        self.user = user or audit.current_user()
        self.now = utc_now()

    # -- values ----------------------------------------------------------------------------

    def values(self, record: RecordData) -> dict[str, Any]:
        """The stored columns of a validated record (see `stored_columns`)."""
        values: dict[str, Any] = record.__dict__.copy()
        if not self.trimmed:
            for name in _TEXT_FIELDS[record.__class__]:
                value = values[name]
                if value.__class__ is str:
                    values[name] = value.strip()
        values["team_id"] = self.teams.id_of(values.pop("team"))
        for name, column in _MONEY[record.__class__]:
            amount = values.pop(name)
            values[column] = None if amount is None else pounds_to_pence(amount)
        if "root_cause" in values:  # a complaint
            cause = values.pop("root_cause")
            values["root_cause_id"] = self.root_causes.id_of(cause) if cause else None
            values["due"] = self.due(values["received"], values["stage"], values["extended"])
        return values

    def note_names(self, record: RecordData) -> None:
        """Note the team and root cause names a record will add to the lists (counted in an
        import's plan) without making its row."""
        self.teams.id_of(record.team)
        cause = getattr(record, "root_cause", "")
        if cause and cause.strip():
            self.root_causes.id_of(cause)

    # -- audit events ----------------------------------------------------------------------

    def audit_fields(self, kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
        """A row's fields by label, as the audit trail records them (names for ids, pounds for
        pence, plain JSON values, blank as None)."""
        shape = _SHAPES[kind]
        fields: dict[str, Any] = {}
        for label, name in shape.texts:
            fields[label] = values[name] or None
        for label, name in shape.dates:
            value = values[name]
            fields[label] = None if value is None else value.isoformat()
        for label, name in shape.as_is:
            fields[label] = values[name]
        for label, name in shape.others:
            value = plain(values[name])
            fields[label] = None if value == "" else value
        fields[shape.team] = self.teams.names[values["team_id"]]
        if shape.root_cause:
            cause = values["root_cause_id"]
            fields[shape.root_cause] = None if cause is None else self.root_causes.names[cause]
        for label, column in shape.money:
            fields[label] = _pounds_text(values[column])
        return fields

    def created_event(self, kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
        """The event of a new record: {label: [None, value]} for every field with a value
        (what `audit.differences` of nothing and the record gives), written as
        `audit.event_values` writes it (keys sorted) without a JSON encoder per event."""
        shape = _SHAPES[kind]
        new: dict[str, str] = {}  # label -> the value in JSON
        for label, name in shape.texts:
            if value := values[name]:
                new[label] = _json_text(value)
        for label, name in shape.dates:
            if (value := values[name]) is not None:
                new[label] = f'"{value.isoformat()}"'
        for label, name in shape.as_is:
            if (value := values[name]) is not None:
                new[label] = _json_plain(value)
        for label, name in shape.others:
            value = plain(values[name])
            if value is not None and value != "":
                new[label] = _json_plain(value)
        new[shape.team] = _json_text(self.teams.names[values["team_id"]])
        if shape.root_cause and (cause := values["root_cause_id"]) is not None:
            new[shape.root_cause] = _json_text(self.root_causes.names[cause])
        for label, column in shape.money:
            if (pence := values[column]) is not None:
                new[label] = _json_text(str(pence_to_pounds(pence)))
        changes = ", ".join(f'"{label}": [null, {value}]' for label, value in sorted(new.items()))
        return audit.event_row(audit.CREATE, kind.value, values["reference"], f"{{{changes}}}",
                               self.user, self.now)

    def updated_event(self, kind: Kind, before_values: dict[str, Any],
                      values: dict[str, Any]) -> dict[str, Any] | None:
        """None when no field changed (only the computed due date moved: the calendar
        changed)."""
        before = self.audit_fields(kind, before_values)
        after = self.audit_fields(kind, values)
        changes = {label: [before[label], new] for label, new in after.items()
                   if before[label] != new}
        if not changes:
            return None
        return audit.event_values(audit.UPDATE, kind.value, values["reference"], changes,
                                  self.user, self.now)

    # -- writing ---------------------------------------------------------------------------

    def write(self, session: Session, kind: Kind, created: Sequence[RecordData],
              changed: Sequence[tuple[dict[str, Any], dict[str, Any]]],
              advance: Advance | None = None) -> None:
        """Insert the `created` records and update the `changed` rows (stored values with
        "id", new values), each with its audit event, in the caller's transaction. Rows are
        made a batch at a time, so a large import holds each record once."""
        advance = advance or _ignore
        table = MODEL_OF[kind].__table__
        complaints = kind is Kind.COMPLAINT
        links: list[tuple[str, str]] = []  # (new complaint, the one it escalates from)
        for batch in batches(created, BATCH):
            rows = [self.values(record) for record in batch]
            self.insert_names(session)
            audit.log_many(session, [self.created_event(kind, row) for row in rows])
            new_row = {"created_at": self.now, "updated_at": self.now, "legal_hold": False}
            for row in rows:
                self._real_ids(row)
                row.update(new_row)
                if complaints:
                    source = row.pop("escalated_from")
                    if source:
                        links.append((row["reference"], source))
                    row["escalated_from_id"] = None
            insert_many(session, table, rows)
            advance(len(rows))
        updates: list[dict[str, Any]] = []
        if changed:
            self.insert_names(session)
        for batch in batches(changed, BATCH):
            audit.log_many(session, [event for before, values in batch
                                 if (event := self.updated_event(kind, before, values))])
            for before, values in batch:
                row = dict(values)
                row["id"] = before["id"]
                row["updated_at"] = self.now
                self._real_ids(row)
                updates.append(row)
        if complaints:
            _link_complaints(session, links, updates)
        update_by_id(session, table, updates, advance, new_version=True)

    def insert_names(self, session: Session) -> None:
        """Add the team and root cause names noted so far that the lists lack."""
        self.teams.insert_added(session, self.now)
        self.root_causes.insert_added(session, self.now)

    def _real_ids(self, row: dict[str, Any]) -> None:
        """The list ids of a row made before its new names were added."""
        if row["team_id"] < 0:
            row["team_id"] = self.teams.real(row["team_id"])
        cause = row.get("root_cause_id")
        if cause is not None and cause < 0:
            row["root_cause_id"] = self.root_causes.real(cause)


def _ignore(_rows: int) -> None:
    return None


@dataclass(frozen=True)
class _Shape:
    """A kind's fields as the audit trail records them, (label, column) grouped by how their
    value is written: text (blank as None), dates (ISO), as they are (Yes/No, stage), in
    `record_values.plain`'s form (choices); the labels of the fields stored as list ids; and
    (label, column) of the money fields, stored as pence."""

    texts: tuple[tuple[str, str], ...]
    dates: tuple[tuple[str, str], ...]
    as_is: tuple[tuple[str, str], ...]
    others: tuple[tuple[str, str], ...]
    team: str
    root_cause: str = ""
    money: tuple[tuple[str, str], ...] = ()


def _shape(kind: Kind) -> _Shape:
    groups: dict[str, list[tuple[str, str]]] = {"texts": [], "dates": [], "as_is": [],
                                                "others": []}
    special: dict[str, str] = {}
    money: list[tuple[str, str]] = []
    for field in spec(kind).fields:
        if field.type is FieldType.MONEY:
            money.append((field.label, _RENAMED[field.name]))
        elif field.name in _RENAMED:
            special[field.name] = field.label
        elif field.type in _TEXT_TYPES:
            groups["texts"].append((field.label, field.name))
        elif field.type is FieldType.DATE:
            groups["dates"].append((field.label, field.name))
        elif field.type in (FieldType.YES_NO, FieldType.STAGE):
            groups["as_is"].append((field.label, field.name))
        else:
            groups["others"].append((field.label, field.name))
    return _Shape(tuple(groups["texts"]), tuple(groups["dates"]), tuple(groups["as_is"]),
                  tuple(groups["others"]), money=tuple(money), **special)


_SHAPES: dict[Kind, _Shape] = {kind: _shape(kind) for kind in Kind}


def _json_plain(value: Any) -> str:
    """A plain value (`record_values.plain`'s) as json.dumps writes it."""
    kind = value.__class__
    if kind is str:
        return _json_text(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return audit.encode(value)


def _check_labels() -> None:
    """Labels are written into the events' JSON as they are: they need no escaping."""
    for shape in _SHAPES.values():
        for group in (shape.texts, shape.dates, shape.as_is, shape.others):
            for label, _name in group:
                assert audit.encode(label) == f'"{label}"', label


_check_labels()


def _pounds_text(pence: int | None) -> str | None:
    """Pence as the audit trail writes pounds (`record_values.plain` of the Decimal)."""
    return None if pence is None else str(pence_to_pounds(pence))


def update_by_id(session: Session, table: Any, rows: list[dict[str, Any]],
                 advance: Advance | None = None, *, new_version: bool = False) -> None:
    """Core executemany UPDATE by primary key; the SET list is the rows' other keys (every
    row of one call has the same keys). With `new_version` (a change of a record's values)
    each row's version goes one up, in the statement, so concurrent writers never reuse one."""
    key = next(iter(table.primary_key.columns)).name
    statement = table.update().where(table.c[key] == bindparam("_key"))
    if new_version:
        statement = statement.values(version=table.c.version + 1)
    for chunk in chunks(rows, BATCH):
        renamed = [{("_key" if name == key else name): value for name, value in row.items()}
                   for row in chunk]
        session.execute(statement, renamed)
        if advance is not None:
            advance(len(chunk))


def complaint_ids(session: Session, references: Iterable[str]) -> dict[str, int]:
    """The ids of the complaints with these references (those that exist)."""
    ids: dict[str, int] = {}
    statement = select(Complaint.reference, Complaint.id).where(
        Complaint.reference.in_(bindparam("keys", expanding=True)))
    for chunk in chunks(sorted(set(references)), CHUNK):
        ids.update(session.execute(statement, {"keys": list(chunk)}).all())
    return ids


def _link_complaints(session: Session, links: list[tuple[str, str]],
                     updates: list[dict[str, Any]]) -> None:
    """Escalation links by id, once every new complaint has one: those of the new complaints
    are set here, those of the updated ones in their rows (written next)."""
    for values in updates:
        values["escalated_from_id"] = values.pop("escalated_from") or None
    wanted = {source for _reference, source in links}
    wanted.update(values["escalated_from_id"] for values in updates
                  if values["escalated_from_id"])
    wanted.update(reference for reference, _source in links)
    if not wanted:
        return
    ids = complaint_ids(session, wanted)
    for values in updates:
        if values["escalated_from_id"]:
            values["escalated_from_id"] = ids[values["escalated_from_id"]]
    update_by_id(session, Complaint.__table__,
                 [{"id": ids[reference], "escalated_from_id": ids[source]}
                  for reference, source in links])


def stored_rows(session: Session, kind: Kind, references: Iterable[str], *,
                escalating: bool = False) -> dict[str, dict[str, Any]]:
    """The stored rows of a kind with these references, by reference, as `stored_columns`
    values with "id" ("escalated_from" as a reference, "" for none). With `escalating`
    (complaints), also the complaints that escalate from them. Looked up by reference in
    chunks, so the work follows the references given, not the size of the database."""
    model = MODEL_OF[kind]
    names = [name for name in stored_columns(kind) if name != "escalated_from"]
    query: Select[Any] = select(model.id, *(getattr(model, name) for name in names))
    complaints = kind is Kind.COMPLAINT
    if complaints:
        parent = _ESCALATED_FROM
        query = query.add_columns(parent.reference.label("escalated_from")).outerjoin(
            parent, Complaint.escalated_from_id == parent.id
        )
    stored: dict[str, dict[str, Any]] = {}
    wanted = sorted(set(references))

    def load(statement: Any, keys: Sequence[Any]) -> None:
        for chunk in chunks(keys, CHUNK):
            for row in session.execute(statement, {"keys": list(chunk)}).mappings():
                values = dict(row)
                if complaints and values["escalated_from"] is None:
                    values["escalated_from"] = ""
                stored[values["reference"]] = values

    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    load(query.where(model.reference.in_(keys)), wanted)
    if complaints and escalating:
        parents = [values["id"] for values in stored.values()]
        load(query.where(Complaint.escalated_from_id.in_(keys)), parents)
    return stored


def save_one(session: Session, record: RecordData, stored: dict[str, Any] | None,
             rows: RecordRows) -> bool:
    """Write one validated record: a new row when `stored` is None, else an update of the
    stored row (`stored_rows` values with "id") when any value differs. Returns whether
    anything was written."""
    kind = kind_of(record)
    if stored is None:
        rows.write(session, kind, [record], [])
        return True
    before = dict(stored)
    row_id = before.pop("id")
    values = rows.values(record)
    if values == before:
        return False
    rows.write(session, kind, [], [({**before, "id": row_id}, values)])
    return True


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def batches(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
