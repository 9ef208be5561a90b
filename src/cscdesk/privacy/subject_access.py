"""A subject access pack: every record that mentions a person, with each record's history."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from cscdesk.domain.kinds import FIELD_LABELS, Kind, RecordData, field_names, kind_of
from cscdesk.privacy.sheets import Table, write_tables
from cscdesk.store import audit, personal_data, recycle_bin


@dataclass(frozen=True)
class FoundRecord:
    record: RecordData
    history: list[audit.AuditEntry]
    in_bin: bool = False

    @property
    def kind(self) -> Kind:
        return kind_of(self.record)


def gather(session: Session, name: str) -> list[FoundRecord]:
    """Every record mentioning `name`, with its history, kind by kind; deleted records still in
    the bin are included (they are still held) and marked."""
    live = personal_data.find_person(session, name)
    deleted = recycle_bin.mentioning(session, name)
    return [
        FoundRecord(record, audit.history(session, kind_of(record).value, record.reference),
                    in_bin=record in deleted and record not in live)
        for record in [*live, *(r for r in deleted if r not in live)]
    ]


def _value(value: object) -> object:
    return audit.plain(value) if not isinstance(value, str | int | bool) else value


def tables(found: list[FoundRecord]) -> list[Table]:
    """One sheet per kind that has records, then a History sheet."""
    result: list[Table] = []
    for kind in Kind:
        mine = [f for f in found if f.kind is kind]
        if mine:
            names = field_names(kind)
            rows = [[*(_value(asdict(f.record)[n]) for n in names), f.in_bin] for f in mine]
            result.append((kind.value, [*(FIELD_LABELS[n] for n in names), "Deleted (in bin)"],
                           rows))
    history_rows = [
        [f.kind.value, entry.reference, entry.at, entry.user, entry.action,
         json.dumps(entry.changes, ensure_ascii=False)]
        for f in found for entry in f.history
    ]
    result.append(("History", ["Kind", "Reference", "When (UTC)", "Who", "Action", "Changes"],
                   history_rows))
    return result


def write_workbook(found: list[FoundRecord], path: Path) -> None:
    write_tables(path, tables(found))
