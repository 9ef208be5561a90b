"""Saving, loading and deleting records of every kind, by reference.

Callers pass domain dataclasses and get dataclasses back; ORM objects never leave a session.
Functions take the caller's session and never commit. A record's values reach its row (and
the audit trail) through `store.record_rows`, the same code the workbook import writes with.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import spec
from cscdesk.domain.kinds import (
    ActionData,
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    InitialFeedbackData,
    Kind,
    RecordData,
    kind_of,
)
from cscdesk.domain.validation import CaseLookup, FieldError, StageLookup, validate
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.errors import InputError
from cscdesk.store import audit, lists, record_rows, record_versions, recycle_bin
from cscdesk.store.models import (
    MODEL_OF,
    Action,
    Complaint,
    Compliment,
    DisputeResolution,
    Enquiry,
    InitialFeedback,
)
from cscdesk.store.record_rows import pence_to_pounds, plain_fields, pounds_to_pence

__all__ = ["MODEL_OF", "RecordInvalid", "actions_of", "case_lookup", "delete", "find_row",
           "later_stage", "load", "pence_to_pounds", "pounds_to_pence", "save", "stage_lookup",
           "to_data"]

# The kinds whose records can carry actions (an action's Case names one of them).
CASE_KINDS = (Kind.COMPLAINT, Kind.DISPUTE)

# The fields copied as they are between a dataclass and its row (others need converting).
_PLAIN_FIELDS: dict[Kind, tuple[str, ...]] = {kind: plain_fields(kind) for kind in Kind}


class RecordInvalid(InputError):
    """A record broke the rules; `errors` names each field."""

    def __init__(self, reference: str, errors: list[FieldError]) -> None:
        self.errors = errors
        details = "; ".join(f"{e.label}: {e.message}" for e in errors)
        super().__init__(f"Record “{reference}” cannot be saved. {details}")


def stage_lookup(session: Session) -> StageLookup:
    """Resolve an "Escalated from" reference to that complaint's stage, from the database."""

    def stage_of(reference: str) -> int | None:
        return session.scalar(
            select(Complaint.stage).where(Complaint.reference == reference.strip())
        )

    return stage_of


def case_lookup(session: Session) -> CaseLookup:
    """Whether a complaint or dispute resolution case has a reference (an action's Case)."""

    def known(reference: str) -> bool:
        return any(find_row(session, kind, reference) is not None for kind in CASE_KINDS)

    return known


def actions_of(session: Session, case_reference: str) -> list[ActionData]:
    """The actions of a complaint or dispute resolution case, by Agreed then reference."""
    rows = session.scalars(
        select(Action).where(Action.case_reference == case_reference.strip())
        .order_by(Action.agreed, Action.reference))
    return [_action_data(row) for row in rows]


def find_row(session: Session, kind: Kind, reference: str, *, lock: bool = False
             ) -> Any | None:
    """The record's row; with `lock`, read afresh and locked to the end of the transaction
    (on a server: a save checking its version; a file has one writer anyway)."""
    model = MODEL_OF[kind]
    statement = select(model).where(model.reference == reference.strip())
    if lock:
        statement = statement.with_for_update(of=model).execution_options(
            populate_existing=True)
    return session.scalars(statement).first()


def save(
    session: Session,
    record: RecordData,
    *,
    calendar: WorkingCalendar | None = None,
    original_reference: str | None = None,
    expected_version: int | None = None,
) -> tuple[Any, bool]:
    """Insert or update a record, matched by reference (or by `original_reference` when the
    form renamed it). Returns the row and whether it was created. Raises RecordInvalid.

    With `expected_version` (a form's save), the record must still be at that version:
    otherwise RecordChangedElsewhere is raised and nothing is written (`record_versions`)."""
    kind = kind_of(record)
    errors = validate(record, stage_lookup(session), case_lookup(session))
    if errors:
        raise RecordInvalid(record.reference, errors)
    row = find_row(session, kind, original_reference or record.reference,
                   lock=expected_version is not None)
    if expected_version is not None:
        record_versions.refuse_if_changed(session, kind, original_reference or record.reference,
                                          row, expected_version, locked=True)
    if original_reference and original_reference.strip() != record.reference.strip():
        clash = find_row(session, kind, record.reference)
        if clash is not None:
            raise RecordInvalid(
                record.reference,
                [FieldError("reference", f"Another record already has reference "
                                         f"“{record.reference.strip()}”.")],
            )
    calendar = calendar or lists.working_calendar(session)
    stored = None
    if row is not None:
        stored = record_rows.stored_rows(session, kind, [row.reference])[row.reference]
    session.flush()  # the rows are written with Core statements, after any pending ORM work
    rows = record_rows.RecordRows(session, due=calendar.response_due)
    record_rows.save_one(session, record, stored, rows)
    if original_reference and kind in CASE_KINDS:
        rename_case(session, kind, original_reference, record.reference)
    if original_reference:
        from cscdesk.store import documents

        documents.follow_renamed_record(session, kind, original_reference, record.reference)
    model = MODEL_OF[kind]
    row = session.scalars(
        select(model).where(model.reference == record.reference.strip())
        .execution_options(populate_existing=True)
    ).one()
    return row, stored is None


def to_data(row: Any) -> RecordData:
    """The dataclass of a stored row."""
    if isinstance(row, Complaint):
        return ComplaintData(
            reference=row.reference, received=row.received, stage=row.stage,
            team=row.team.name, extended=row.extended, responded=row.responded,
            closed=row.closed, outcome=row.outcome,
            root_cause=row.root_cause.name if row.root_cause else "",
            learning=row.learning, adr=row.adr,
            adr_saving=pence_to_pounds(row.adr_saving_pence),
            escalated_from=row.escalated_from.reference if row.escalated_from else "",
            lgo_referred=row.lgo_referred, lgo_decision=row.lgo_decision,
            complainant=row.complainant, summary=row.summary,
            complainant_type=row.complainant_type, acknowledged=row.acknowledged,
            notes=row.notes, statement_agreed=row.statement_agreed,
            investigating_officer=row.investigating_officer,
            officer_appointed=row.officer_appointed, independent_person=row.independent_person,
            person_appointed=row.person_appointed, report_received=row.report_received,
            panel_held=row.panel_held, panel_report=row.panel_report,
            lgo_outcome=row.lgo_outcome, lgo_decided=row.lgo_decided,
            lgo_remedy=row.lgo_remedy, lgo_compliance_due=row.lgo_compliance_due,
            lgo_complied=row.lgo_complied,
        )
    if isinstance(row, Action):
        return _action_data(row)
    if isinstance(row, InitialFeedback):
        return InitialFeedbackData(row.reference, row.received, row.team.name, row.resolved,
                                   row.summary)
    if isinstance(row, Enquiry):
        return EnquiryData(row.reference, row.received, row.source, row.team.name,
                           row.enquirer, row.responded, row.summary)
    if isinstance(row, Compliment):
        return ComplimentData(row.reference, row.received, row.team.name, row.summary)
    if isinstance(row, DisputeResolution):
        return DisputeData(row.reference, row.raised, row.team.name, row.resolved, row.summary)
    raise TypeError(f"not a record row: {row!r}")


def _action_data(row: Action) -> ActionData:
    return ActionData(row.reference, row.agreed, row.case_reference, row.action_kind,
                      row.team.name, row.what, row.due, row.done, row.evidence,
                      pence_to_pounds(row.amount_pence), row.paid)


def load(session: Session, kind: Kind, reference: str) -> RecordData | None:
    row = find_row(session, kind, reference)
    return None if row is None else to_data(row)


def later_stage(session: Session, reference: str) -> str | None:
    """The reference of a complaint escalated from complaint `reference`, if there is one."""
    row = find_row(session, Kind.COMPLAINT, reference)
    if row is None:
        return None
    return session.scalar(
        select(Complaint.reference).where(Complaint.escalated_from_id == row.id)
    )


def delete(session: Session, kind: Kind, reference: str,
           expected_version: int | None = None) -> bool:
    """Move a record to the bin (see `store.recycle_bin`); a complaint that a later stage escalates
    from cannot be deleted. With `expected_version` (a form's delete), a record changed or
    deleted by someone else since is not deleted: RecordChangedElsewhere."""
    row = find_row(session, kind, reference)
    if expected_version is not None:
        record_versions.refuse_if_changed(session, kind, reference, row, expected_version,
                                          deleting=True)
    if row is None:
        return False
    if kind is Kind.COMPLAINT:
        later = later_stage(session, row.reference)
        if later is not None:
            raise InputError(
                f"Complaint “{row.reference}” cannot be deleted: “{later}” escalates from it."
            )
    if kind in CASE_KINDS:
        _refuse_if_it_has_actions(session, kind, row.reference)
    data = to_data(row)
    recycle_bin.put(session, data)
    session.delete(row)
    session.flush()
    audit.log_change(session, data, None)
    return True


def _refuse_if_it_has_actions(session: Session, kind: Kind, reference: str) -> None:
    """A case whose actions are still recorded is not deleted: they would name nothing."""
    actions = session.scalars(select(Action.reference).where(
        Action.case_reference == reference).order_by(Action.reference).limit(4)).all()
    if actions:
        listed = ", ".join(f"“{action}”" for action in actions[:3])
        more = " and more" if len(actions) > 3 else ""
        raise InputError(f"The {spec(kind).singular} “{reference}” cannot be deleted: actions "
                         f"{listed}{more} come from it. Delete or move those first.")


def rename_case(session: Session, kind: Kind, old_reference: str, new_reference: str) -> None:
    """A complaint or dispute case renamed: its actions follow it (unless a case of the other
    kind still has the old reference, when they stay with that one)."""
    if old_reference.strip() == new_reference.strip():
        return
    if any(find_row(session, other, old_reference) is not None
           for other in CASE_KINDS if other is not kind):
        return
    session.execute(update(Action)
                    .where(Action.case_reference == old_reference.strip())
                    .values(case_reference=new_reference.strip()))
