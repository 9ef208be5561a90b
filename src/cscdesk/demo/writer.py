"""Storing the demo's records in bulk, with the same rules as `store.records.save`.

Saving two thousand records one by one through the form's path takes seconds; the app's quick
start cannot wait that long. Each record is still checked by `domain.validation.validate`
(escalations included), its due date still comes from the WorkingCalendar, teams and root causes
are still resolved through `store.lists`, and each gets its "create" audit event; only the
inserts are grouped, one statement per kind and stage.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cscdesk.domain.kinds import ComplaintData, RecordData, kind_of
from cscdesk.domain.validation import validate
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.store import audit, lists, records
from cscdesk.store.models import Complaint, RootCause, Team

# Dataclass fields that are not a column of the same name.
_CONVERTED = {"team", "root_cause", "adr_saving", "escalated_from"}


class _Names:
    """Team or root-cause ids by name, each added to its list once."""

    def __init__(self, session: Session, model: type[Team] | type[RootCause]) -> None:
        self._session, self._model = session, model
        self._ids: dict[str, int] = {}

    def id_of(self, name: str) -> int:
        key = name.strip().lower()
        if key not in self._ids:
            self._ids[key] = lists.get_or_add(self._session, self._model, name).id
        return self._ids[key]


def store_records(session: Session, batch: list[RecordData], calendar: WorkingCalendar) -> None:
    """Validate and insert `batch` (earlier stages before the complaints escalated from them)."""
    teams, causes = _Names(session, Team), _Names(session, RootCause)
    stages: dict[str, int] = {}
    complaint_ids: dict[str, int] = {}
    user = audit.current_user()
    groups: dict[tuple[type, int], list[RecordData]] = {}
    for record in batch:
        groups.setdefault((type(record), getattr(record, "stage", 0) or 0), []).append(record)
    for (_cls, stage), group in groups.items():
        rows = []
        for record in group:
            errors = validate(record, stages.get)
            if errors:
                raise records.RecordInvalid(record.reference, errors)
            rows.append(_values(record, teams, causes, complaint_ids, calendar))
            if isinstance(record, ComplaintData):
                stages[record.reference] = stage
        kind = kind_of(group[0])
        model = records.MODEL_OF[kind]
        session.execute(insert(model), rows)
        audit.log_many(session, [
            audit.event_values(audit.CREATE, kind.value, record.reference,
                               audit.differences(None, record), user)
            for record in group
        ])
        if model is Complaint:
            stored = select(Complaint.reference, Complaint.id).where(Complaint.stage == stage)
            complaint_ids.update((ref, id_) for ref, id_ in session.execute(stored))


def _values(record: RecordData, teams: _Names, causes: _Names, complaint_ids: dict[str, int],
            calendar: WorkingCalendar) -> dict[str, Any]:
    values = {}
    for field in fields(record):
        if field.name not in _CONVERTED:
            value = getattr(record, field.name)
            values[field.name] = value.strip() if isinstance(value, str) else value
    values["team_id"] = teams.id_of(record.team)
    if isinstance(record, ComplaintData):
        assert record.received is not None and record.stage is not None
        values["root_cause_id"] = (causes.id_of(record.root_cause)
                                   if record.root_cause.strip() else None)
        values["adr_saving_pence"] = records.pounds_to_pence(record.adr_saving)
        values["escalated_from_id"] = (complaint_ids[record.escalated_from.strip()]
                                       if record.escalated_from.strip() else None)
        values["due"] = calendar.response_due(record.received, record.stage, record.extended)
    return values
