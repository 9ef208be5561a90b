"""Which fields stop a record being saved, and with what sentence.

The rules are the domain's (`validate`); this adds what only the form knows: text that cannot be
read as a date or amount, a reference another record already has, and what the store refused.
No Qt here.
"""

from __future__ import annotations

from cscdesk.domain.kinds import DATA_CLASS, Kind, RecordData
from cscdesk.domain.validation import FieldError, validate
from cscdesk.store.engine import Database
from cscdesk.ui.forms.record_store import (
    case_lookup,
    duplicate_message,
    reference_exists,
    stage_lookup,
)


class RecordChecks:
    """Checks one form's record as it is typed; database look-ups are remembered until
    `forget()` (called after each save)."""

    def __init__(self, database: Database, kind: Kind, original_reference: str | None) -> None:
        self.database = database
        self.kind = kind
        self.original_reference = original_reference
        # The messages of a blank record are the "required" ones: they wait for a visit.
        self._blank = set(validate(DATA_CLASS[kind]()))
        self.forget()

    def forget(self) -> None:
        self._stage_of = stage_lookup(self.database)
        self._case_known = case_lookup(self.database)
        self._taken: dict[str, bool] = {}

    def reference_taken(self, reference: str) -> bool:
        """Whether another record of this kind has this reference."""
        key = reference.strip()
        if not key or key == self.original_reference:
            return False
        if key not in self._taken:
            self._taken[key] = reference_exists(self.database, self.kind, key)
        return self._taken[key]

    def errors(
        self, record: RecordData, unreadable: dict[str, str], refused: dict[str, str]
    ) -> dict[str, str]:
        """Field name → sentence. An unreadable entry speaks first for its field, then the
        domain's rules, then a taken reference, then what the store refused."""
        found = dict(unreadable)
        for error in validate(record, self._stage_of, self._case_known):
            found.setdefault(error.field, error.message)
        if self.reference_taken(record.reference):
            found.setdefault("reference", duplicate_message(self.kind, record.reference))
        for name, message in refused.items():
            found.setdefault(name, message)
        return found

    def waits_for_visit(self, name: str, message: str) -> bool:
        """A blank required field is not scolded before the officer has been there."""
        return FieldError(name, message) in self._blank
