"""A subject access pack: every record that mentions a person, with each record's history."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from cscdesk.domain.kinds import FIELD_LABELS, Kind, RecordData, field_names, kind_of
from cscdesk.privacy.sheets import Table, write_tables
from cscdesk.store import audit, personal_data


@dataclass(frozen=True)
class FoundRecord:
    record: RecordData
    history: list[audit.AuditEntry]

    @property
    def kind(self) -> Kind:
        return kind_of(self.record)


def gather(session: Session, name: str) -> list[FoundRecord]:
    """Every record mentioning `name`, with its history, kind by kind."""
    return [
        FoundRecord(record, audit.history(session, kind_of(record).value, record.reference))
        for record in personal_data.find_person(session, name)
    ]


def _value(value: object) -> object:
    return audit.plain(value) if not isinstance(value, str | int | bool) else value


def tables(found: list[FoundRecord]) -> list[Table]:
    """One sheet per kind that has records, then a History sheet."""
    result: list[Table] = []
    for kind in Kind:
        mine = [f.record for f in found if f.kind is kind]
        if mine:
            names = field_names(kind)
            rows = [[_value(asdict(r)[n]) for n in names] for r in mine]
            result.append((kind.value, [FIELD_LABELS[n] for n in names], rows))
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
