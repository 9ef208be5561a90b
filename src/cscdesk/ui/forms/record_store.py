"""What a form asks of the database, each in one short session (one per officer action).

No Qt here: the dialog calls these and turns what they raise into messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cscdesk.domain.kinds import ActionData, Kind, RecordData, kind_of
from cscdesk.domain.references import next_reference
from cscdesk.domain.validation import CaseLookup, FieldError, StageLookup
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.errors import InputError
from cscdesk.store import documents, lists, record_versions, records, suggestions
from cscdesk.store.engine import Database
from cscdesk.store.models import RootCause, Team
from cscdesk.store.record_versions import LastChange
from cscdesk.ui.forms.document_store import PendingDocument
from cscdesk.ui.forms.layout import SINGULAR


@dataclass
class FormStart:
    """Everything a form reads when it opens."""

    record: RecordData | None
    teams: list[str]
    root_causes: list[str]
    calendar: WorkingCalendar
    proposed_reference: str = ""  # a new record's: the next in the last one's pattern
    version: int | None = None  # the record's, for a save that must not overwrite a colleague
    made: LastChange | None = None  # who made the record and when (its first audit event)
    changed: LastChange | None = None  # who changed it last and when


def duplicate_message(kind: Kind, reference: str) -> str:
    return f"Another {SINGULAR[kind]} already has reference “{reference.strip()}”."


def open_form_data(database: Database, kind: Kind, reference: str | None) -> FormStart:
    """The record (when editing) or the reference proposed for a new one, the pick lists and
    the working calendar, read once."""
    with database.session() as session:
        record = None
        proposed = ""
        version = made = changed = None
        if not reference:
            proposed = next_reference(
                suggestions.last_reference(session, kind),
                lambda candidate: records.find_row(session, kind, candidate) is not None,
            )
        else:
            # the version before the values: a change committed in between then makes a save
            # refused (and shown), never a change overwritten unseen
            version = record_versions.version_of(session, kind, reference)
            record = records.load(session, kind, reference)
            if record is None:
                raise InputError(
                    f"There is no {SINGULAR[kind]} with reference “{reference.strip()}”; "
                    "it may have been deleted."
                )
            if database.capabilities.read_audit:  # who and when: the audit trail's
                made = record_versions.first_change(session, kind, reference)
                changed = record_versions.last_change(session, kind, reference)
        return FormStart(
            record,
            lists.active_names(session, Team),
            lists.active_names(session, RootCause),
            lists.working_calendar(session),
            proposed,
            version,
            made,
            changed,
        )


def save_record(database: Database, record: RecordData, original_reference: str | None,
                expected_version: int | None = None,
                attach: Sequence[PendingDocument] = ()) -> int:
    """Insert (when `original_reference` is None) or update, all or nothing; returns the
    record's version now.

    A new record never overwrites an existing one with the same reference, and an update
    with the `expected_version` the form opened never overwrites someone else's change
    (RecordChangedElsewhere). Raises records.RecordInvalid naming the fields, or another
    UserFacingError / SQLAlchemyError. `attach` (the email a new record was made from) is kept
    as the record's documents in the same transaction: the record and its email, or neither.
    """
    kind = kind_of(record)
    with database.transaction() as session:
        if original_reference is None and records.find_row(session, kind, record.reference):
            raise records.RecordInvalid(
                record.reference,
                [FieldError("reference", duplicate_message(kind, record.reference))],
            )
        row, _created = records.save(session, record, original_reference=original_reference,
                                     expected_version=expected_version)
        for pending in attach:
            documents.add(session, kind, record.reference, pending.name, pending.data,
                          email=pending.email)
        return int(row.version)


def delete_record(database: Database, kind: Kind, reference: str,
                  expected_version: int | None = None) -> None:
    """Delete one record; raises InputError when a later stage escalates from it, and
    RecordChangedElsewhere when it is no longer at `expected_version`."""
    with database.transaction() as session:
        records.delete(session, kind, reference, expected_version=expected_version)


def reference_exists(database: Database, kind: Kind, reference: str) -> bool:
    with database.session() as session:
        return records.find_row(session, kind, reference) is not None


def stage_lookup(database: Database) -> StageLookup:
    """Resolve "Escalated from" references, each looked up once in a short session."""
    known: dict[str, int | None] = {}

    def stage_of(reference: str) -> int | None:
        key = reference.strip()
        if key not in known:
            with database.session() as session:
                known[key] = records.stage_lookup(session)(key)
        return known[key]

    return stage_of


def earlier_stage_matches(database: Database, stage: int, text: str
                          ) -> list[suggestions.EarlierComplaint]:
    """Complaints at `stage` matching the words typed (see `suggestions`)."""
    with database.session() as session:
        return suggestions.earlier_stage_complaints(session, stage, text)


def later_stage_of(database: Database, reference: str) -> str | None:
    """The reference of a complaint that escalates from this one, if any."""
    with database.session() as session:
        return records.later_stage(session, reference)


def case_lookup(database: Database) -> CaseLookup:
    """Whether a complaint or dispute resolution case has a reference (an action's Case), each
    reference looked up once in a short session."""
    known: dict[str, bool] = {}

    def case_known(reference: str) -> bool:
        key = reference.strip()
        if key not in known:
            with database.session() as session:
                known[key] = records.case_lookup(session)(key)
        return known[key]

    return case_known


def case_actions(database: Database, case_reference: str) -> list[ActionData]:
    """The actions of a complaint or dispute resolution case, oldest agreed first."""
    with database.session() as session:
        return records.actions_of(session, case_reference)
