"""Validation of one record: every rule of the business contract, each error naming its field.

Used by the forms (inline messages), the workbook import (per cell) and the store (last line of
defence), so the rules live only here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cscdesk.domain.kind_spec import (
    FIELD_LABELS,
    LINE_LIMIT,
    REFERENCE_LIMIT,
    SPECS,
    TEXT_LIMIT,
    FieldSpec,
    FieldType,
    KindSpec,
)
from cscdesk.domain.kinds import (
    STAGES,
    ActionData,
    ActionKind,
    ComplaintData,
    EnquiryData,
    RecordData,
)
from cscdesk.domain.steps import order_errors

# The limits of `kind_spec`, by the names the forms and exports know them by.
MAX_REFERENCE_LENGTH = REFERENCE_LIMIT
MAX_NAME_LENGTH = LINE_LIMIT
MAX_TEXT_LENGTH = TEXT_LIMIT

# Given a complaint reference, the stage of that complaint, or None when there is no such complaint.
StageLookup = Callable[[str], int | None]
# Given a reference, whether a complaint or dispute resolution case has it (an action's Case).
CaseLookup = Callable[[str], bool]


@dataclass(frozen=True)
class FieldError:
    """One broken rule: the field it concerns and a sentence the officer can act on."""

    field: str
    message: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class _KindChecks:
    """What the checks need from a kind's description, worked out once per kind (an import
    validates tens of thousands of records)."""

    placed: str
    later_dates: tuple[str, ...]
    lines: tuple[FieldSpec, ...]
    texts: tuple[FieldSpec, ...]

    @classmethod
    def of(cls, kind_spec: KindSpec) -> _KindChecks:
        return cls(
            placed=kind_spec.placed_by,
            later_dates=tuple(f.name for f in kind_spec.fields
                              if f.type is FieldType.DATE and f.name != kind_spec.placed_by),
            lines=tuple(f for f in kind_spec.fields if f.type is FieldType.LINE),
            texts=tuple(f for f in kind_spec.fields if f.type is FieldType.TEXT),
        )


_CHECKS: dict[type, _KindChecks] = {
    kind_spec.data_class: _KindChecks.of(kind_spec) for kind_spec in SPECS.values()
}


def validate(record: RecordData, stage_of: StageLookup | None = None,
             case_known: CaseLookup | None = None) -> list[FieldError]:
    """Every rule the record breaks, in field order; an empty list means it may be saved.

    `stage_of` resolves "Escalated from", and `case_known` an action's Case; without them those
    rules are checked only for shape.
    """
    errors: list[FieldError] = []
    checks = _CHECKS[type(record)]
    _check_reference(record.reference, errors)
    placed_field = checks.placed
    placed: date | None = getattr(record, placed_field)
    if placed is None:
        errors.append(FieldError(placed_field, f"{FIELD_LABELS[placed_field]} date is required."))
    if isinstance(record, ComplaintData) and record.stage not in STAGES:
        errors.append(FieldError("stage", "Stage must be 1, 2 or 3."))
    if isinstance(record, EnquiryData) and record.source is None:
        errors.append(FieldError("source", "Source is required: MP, MEP or Member."))
    _check_name("team", record.team, errors, required=True)
    for later in checks.later_dates:
        value = getattr(record, later)
        if value is not None and placed is not None and value < placed:
            errors.append(
                FieldError(
                    later,
                    f"{FIELD_LABELS[later]} ({value:%d/%m/%Y}) is before "
                    f"{FIELD_LABELS[placed_field]} ({placed:%d/%m/%Y}).",
                )
            )
    if isinstance(record, ComplaintData):
        _check_complaint(record, stage_of, errors)
    if isinstance(record, ActionData):
        _check_action(record, case_known, errors)
    _check_lengths(record, checks, errors)
    return errors


def text_length(text: str) -> int:
    """Length as Excel counts it (UTF-16 units: an emoji counts two)."""
    if len(text) * 2 <= MAX_TEXT_LENGTH or text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _check_lengths(record: RecordData, checks: _KindChecks, errors: list[FieldError]) -> None:
    """No text longer than its limit: names and one-line fields as the forms' boxes allow,
    long texts as one Excel cell holds."""
    for field in checks.lines:
        value = getattr(record, field.name)
        if value and len(value) > MAX_NAME_LENGTH and len(value.strip()) > MAX_NAME_LENGTH:
            errors.append(FieldError(
                field.name, f"{field.label} is longer than {MAX_NAME_LENGTH} characters."))
    for field in checks.texts:
        value = getattr(record, field.name)
        if value and len(value) > MAX_TEXT_LENGTH // 2 and text_length(value) > MAX_TEXT_LENGTH:
            errors.append(FieldError(
                field.name, f"{field.label} holds {text_length(value):,} characters; at most "
                f"{MAX_TEXT_LENGTH:,} are kept (what one Excel cell holds)."))


def _check_reference(reference: str, errors: list[FieldError]) -> None:
    text = reference.strip()
    if not text:
        errors.append(FieldError("reference", "Reference is required."))
    elif len(text) > MAX_REFERENCE_LENGTH:
        errors.append(
            FieldError("reference", f"Reference is longer than {MAX_REFERENCE_LENGTH} characters.")
        )


def _check_name(field: str, value: str, errors: list[FieldError], *, required: bool) -> None:
    text = value.strip()
    if required and not text:
        errors.append(FieldError(field, f"{FIELD_LABELS[field]} is required."))
    elif len(text) > MAX_NAME_LENGTH:
        errors.append(
            FieldError(field, f"{FIELD_LABELS[field]} is longer than {MAX_NAME_LENGTH} characters.")
        )


def _check_complaint(
    record: ComplaintData, stage_of: StageLookup | None, errors: list[FieldError]
) -> None:
    if (record.outcome is None) != (record.closed is None):
        missing = "closed" if record.closed is None else "outcome"
        errors.append(
            FieldError(missing, "Outcome and Closed go together: give both or neither.")
        )
    _check_name("root_cause", record.root_cause, errors, required=False)
    if record.adr_saving is not None:
        if record.adr_saving < 0:
            errors.append(FieldError("adr_saving", "ADR saving cannot be negative."))
        elif not record.adr:
            errors.append(FieldError("adr_saving", "ADR saving is given but ADR is No."))
    if record.lgo_decision.strip() and record.lgo_referred is None:
        errors.append(
            FieldError("lgo_referred", "An LGO decision needs the date it was referred.")
        )
    _check_escalation(record, stage_of, errors)
    for field, message in order_errors(record):
        if FieldError(field, message) not in errors:
            errors.append(FieldError(field, message))


def _check_action(record: ActionData, case_known: CaseLookup | None,
                  errors: list[FieldError]) -> None:
    """An action names its case, says what it is and when it is due; only a remedy carries
    money, and a payment needs its amount."""
    case = record.case_reference.strip()
    if not case:
        errors.append(FieldError(
            "case_reference", "Case is required: the reference of the complaint or dispute "
                              "resolution case the action comes from."))
    elif len(case) > MAX_REFERENCE_LENGTH:
        errors.append(FieldError(
            "case_reference", f"Case is longer than {MAX_REFERENCE_LENGTH} characters."))
    elif case_known is not None and not case_known(case):
        errors.append(FieldError(
            "case_reference", f"No complaint or dispute resolution case has reference "
                              f"“{case}”."))
    if record.action_kind is None:
        errors.append(FieldError("action_kind", "Kind is required: "
                                 + ", ".join(kind.value for kind in ActionKind) + "."))
    if not record.what.strip():
        errors.append(FieldError("what", "What is required: the action agreed."))
    if record.due is None:
        errors.append(FieldError("due", "Due date is required."))
    remedy = record.action_kind is ActionKind.REMEDY
    if record.amount is not None:
        if record.amount < 0:
            errors.append(FieldError("amount", "Amount cannot be negative."))
        elif record.action_kind is not None and not remedy:
            errors.append(FieldError("amount", "Only a remedy for the complainant carries an "
                                               "amount."))
    if record.paid is not None:
        if record.action_kind is not None and not remedy:
            errors.append(FieldError("paid", "Only a remedy for the complainant is paid."))
        elif record.amount is None:
            errors.append(FieldError("amount", "Paid is given: give the amount paid."))


def _check_escalation(
    record: ComplaintData, stage_of: StageLookup | None, errors: list[FieldError]
) -> None:
    source = record.escalated_from.strip()
    if not source:
        return
    if len(source) > MAX_REFERENCE_LENGTH:
        errors.append(FieldError(
            "escalated_from",
            f"{FIELD_LABELS['escalated_from']} is longer than {MAX_REFERENCE_LENGTH} characters."))
        return
    if record.stage == 1:
        errors.append(
            FieldError("escalated_from", "A Stage 1 complaint cannot be escalated from another.")
        )
        return
    if source == record.reference.strip():
        errors.append(FieldError("escalated_from", "A complaint cannot escalate from itself."))
        return
    if stage_of is None or record.stage not in STAGES:
        return
    earlier = stage_of(source)
    if earlier is None:
        errors.append(FieldError("escalated_from", f"No complaint has reference “{source}”."))
    elif earlier != record.stage - 1:
        errors.append(
            FieldError(
                "escalated_from",
                f"“{source}” is a Stage {earlier} complaint; a Stage {record.stage} complaint "
                f"escalates from Stage {record.stage - 1}.",
            )
        )
