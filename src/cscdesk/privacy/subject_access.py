"""A subject access pack: every record that mentions a person, with each record's history."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import FIELD_LABELS, spec
from cscdesk.domain.kinds import Kind, RecordData, kind_of
from cscdesk.privacy.sheets import Table, write_tables
from cscdesk.store import audit, personal_data


@dataclass(frozen=True)
class FoundRecord:
    record: RecordData
    history: list[audit.AuditEntry]
    in_bin: bool = False
    # deleted and the bin emptied: the record as its history last knew it
    history_only: bool = False

    @property
    def kind(self) -> Kind:
        return kind_of(self.record)


def gather(session: Session, name: str) -> list[FoundRecord]:
    """Every record mentioning `name` (see `personal_data.find_everywhere`: its fields, its copy
    in the bin or its history), with its history, kind by kind; deleted records still in the
    bin, or known only from their history, are included (they are still held) and marked."""
    found = personal_data.find_everywhere(session, name)
    chosen = [(_key(record), record, False, False) for record in found.live]
    live_keys = {key for key, *_ in chosen}
    chosen += [(key, record, True, False) for record in found.in_bin
               if (key := _key(record)) not in live_keys]
    chosen += [(_key(record), record, False, True) for record in found.history_only]
    histories = _histories(session, {key for key, *_ in chosen})
    return [FoundRecord(record, histories.get(key, []), in_bin=in_bin, history_only=history_only)
            for key, record, in_bin, history_only in chosen]


_KIND_NAMES = {kind: kind.value for kind in Kind}  # Enum.value is a slow look-up


def _key(record: RecordData) -> tuple[str, str]:
    """(kind, reference): how the history names a record. Made once a record (80,000 records
    for a common name)."""
    return _KIND_NAMES[kind_of(record)], record.reference


def _histories(session: Session, keys: set[tuple[str, str]]
               ) -> dict[tuple[str, str], list[audit.AuditEntry]]:
    """The events of every (kind, reference) in `keys`, oldest first, read in one pass."""
    from sqlalchemy import select

    from cscdesk.store.models import AuditEvent

    result: dict[tuple[str, str], list[audit.AuditEntry]] = {}
    if not keys:
        return result
    query = select(AuditEvent.at, AuditEvent.user, AuditEvent.action, AuditEvent.kind,
                   AuditEvent.reference, AuditEvent.changes).order_by(AuditEvent.id)
    for at, user, action, kind, reference, changes in session.execute(query):
        if (kind, reference) in keys:
            result.setdefault((kind, reference), []).append(
                audit.AuditEntry(at, user, action, kind, reference, json.loads(changes)))
    return result


def _value(value: object) -> object:
    if value is None or isinstance(value, str | int | bool):  # most values: nothing to do
        return value
    return audit.plain(value)


def tables(found: list[FoundRecord]) -> list[Table]:
    """One sheet per kind that has records, then a History sheet. Rows are made as the sheet
    is written (the workbook is written as rows come), not held: a common name can match
    hundreds of thousands of records, and the records themselves are in memory already."""
    result: list[Table] = []
    for kind in Kind:
        mine = [f for f in found if f.kind is kind]
        if mine:
            names = spec(kind).field_names
            result.append((kind.value, [*(FIELD_LABELS[n] for n in names), "Deleted (in bin)",
                                        "Deleted (history only)"], _rows(mine, names)))
    result.append(("History", ["Kind", "Reference", "When (UTC)", "Who", "Action", "Changes"],
                   _history_rows(found)))
    return result


def _rows(found: list[FoundRecord], names: Sequence[str]) -> Iterator[list[object]]:
    for f in found:
        record = f.record
        yield [*(_value(getattr(record, n)) for n in names), f.in_bin, f.history_only]


def _history_rows(found: list[FoundRecord]) -> Iterator[list[object]]:
    for f in found:
        for entry in f.history:
            yield [f.kind.value, entry.reference, entry.at, entry.user, entry.action,
                   json.dumps(entry.changes, ensure_ascii=False)]


def write_workbook(found: list[FoundRecord], path: Path) -> None:
    write_tables(path, tables(found))
