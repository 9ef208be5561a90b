"""One description per record kind: its names, its fields and the rules that place, open and
close it.

Every table of kinds elsewhere (the store's models and lists, the workbook's sheets, the forms,
privacy, the command line) is derived from `SPECS` or looked up in it, so adding a kind starts
here (see docs/architecture.md). Plain data only: the dashboard reads the nouns before the ORM
is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from cscdesk.domain.kinds import (
    DATA_CLASS,
    ActionKind,
    ComplainantType,
    EnquirySource,
    Kind,
    LgoOutcome,
    Outcome,
    RecordData,
    kind_of,
)

Choices = type[StrEnum]  # a field's choices; named here, as `type` is a field in FieldSpec


class FieldType(StrEnum):
    """What a field holds, which decides its editor, its workbook cell and its length limit."""

    REFERENCE = "reference"  # a record's reference (its own, or the complaint it escalates from)
    LIST = "list"  # a name from a list the officer keeps: a team or a root cause
    LINE = "line"  # one line of text: a person's name, a short decision
    TEXT = "text"  # text of any length on several lines
    DATE = "date"
    YES_NO = "yes/no"
    STAGE = "stage"
    CHOICE = "choice"  # one of a fixed vocabulary (`FieldSpec.choices`)
    MONEY = "money"  # pounds and pence


# The longest text each type of field keeps: a reference, a one-line name, and what one Excel
# cell holds (32,767 UTF-16 units), so that every record can be exported and printed whole.
REFERENCE_LIMIT = 60
LINE_LIMIT = 200
TEXT_LIMIT = 32767
LIMITS: dict[FieldType, int] = {
    FieldType.REFERENCE: REFERENCE_LIMIT,
    FieldType.LIST: LINE_LIMIT,
    FieldType.LINE: LINE_LIMIT,
    FieldType.TEXT: TEXT_LIMIT,
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind.

    `required`: must have a value (marked * in the workbook). `personal`: can identify a person,
    so anonymising clears it. `subject_access`: searched for a person's name (the reference and
    the personal fields, and the complaint's learning, which may name someone). `list_search`:
    one of the words the list's search box reads (kept in the kind's search table by the
    triggers of migration 0003). `optional_column`: beyond rules.md's workbook columns (what
    the app records besides), so a workbook without the column keeps the stored value.
    """

    name: str
    label: str
    type: FieldType
    required: bool = False
    personal: bool = False
    subject_access: bool = False
    list_search: bool = False
    optional_column: bool = False
    choices: Choices | None = None

    @property
    def limit(self) -> int | None:
        """The longest text the field keeps, or None for fields that are not text."""
        return LIMITS.get(self.type)


@dataclass(frozen=True)
class KindSpec:
    """Everything that differs between kinds, in one place.

    `placed_by`: the date that places a record in a reporting year. `open_until`: the date whose
    absence keeps a record open (None: the kind is never open or closed). `overdue_after_due`:
    an open record awaiting its response is overdue once its due date has passed.
    `retained_from`: the date the retention period runs from. `list_columns`: what its list
    shows, in order: field names, and "status" and "due" (worked out, not typed in).
    """

    kind: Kind
    singular: str
    plural: str
    pane: str
    command_name: str
    table: str
    fields: tuple[FieldSpec, ...]
    placed_by: str
    open_until: str | None
    overdue_after_due: bool
    retained_from: str
    list_columns: tuple[str, ...]

    @property
    def sheet(self) -> str:
        """The interchange workbook's sheet name (the Kind's value)."""
        return self.kind.value

    @property
    def data_class(self) -> type:
        return DATA_CLASS[self.kind]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.singular} has no field {name!r}")

    def has_field(self, name: str) -> bool:
        return any(spec.name == name for spec in self.fields)

    @property
    def optional_columns(self) -> tuple[str, ...]:
        """Fields a workbook may leave out; the import then keeps their stored values."""
        return tuple(spec.name for spec in self.fields if spec.optional_column)

    @property
    def personal_fields(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields if spec.personal)

    @property
    def subject_access_fields(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields if spec.subject_access)

    @property
    def list_search_fields(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields if spec.list_search)

    @property
    def has_status(self) -> bool:
        """Whether records of the kind are open or closed."""
        return self.open_until is not None

    def noun(self, count: int) -> str:
        """"complaint" for one, "complaints" for any other number."""
        return self.singular if count == 1 else self.plural

    def placing_date(self, record: RecordData) -> date | None:
        value: date | None = getattr(record, self.placed_by)
        return value


_T = FieldType


def _reference() -> FieldSpec:
    return FieldSpec("reference", "Reference", _T.REFERENCE, required=True,
                     subject_access=True, list_search=True)


def _team() -> FieldSpec:
    return FieldSpec("team", "Team", _T.LIST, required=True)


def _date(name: str, label: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, _T.DATE, required=required)


def _summary() -> FieldSpec:
    return FieldSpec("summary", "Summary", _T.TEXT, personal=True, subject_access=True,
                     list_search=True)


def _step(name: str, label: str) -> FieldSpec:
    """A date of a casework step, beyond rules.md's columns."""
    return FieldSpec(name, label, _T.DATE, optional_column=True)


COMPLAINT = KindSpec(
    kind=Kind.COMPLAINT,
    singular="complaint",
    plural="complaints",
    pane="Complaints",
    command_name="complaint",
    table="complaint",
    fields=(
        _reference(),
        _date("received", "Received", required=True),
        FieldSpec("stage", "Stage", _T.STAGE, required=True),
        _team(),
        FieldSpec("extended", "Extended", _T.YES_NO),
        _date("responded", "Responded"),
        _date("closed", "Closed"),
        FieldSpec("outcome", "Outcome", _T.CHOICE, choices=Outcome),
        FieldSpec("root_cause", "Root cause", _T.LIST),
        FieldSpec("learning", "Learning", _T.TEXT, subject_access=True),
        FieldSpec("adr", "ADR", _T.YES_NO),
        FieldSpec("adr_saving", "ADR saving", _T.MONEY),
        FieldSpec("escalated_from", "Escalated from", _T.REFERENCE),
        _date("lgo_referred", "LGO referred"),
        FieldSpec("lgo_decision", "LGO decision", _T.LINE, personal=True, subject_access=True),
        FieldSpec("complainant", "Complainant", _T.LINE, personal=True, subject_access=True,
                  list_search=True),
        _summary(),
        # Beyond rules.md: what the case officer records in the app, so export -> import
        # loses nothing. Optional on import.
        FieldSpec("complainant_type", "Complainant type", _T.CHOICE, optional_column=True,
                  choices=ComplainantType),
        FieldSpec("acknowledged", "Acknowledged", _T.DATE, optional_column=True),
        FieldSpec("notes", "Notes", _T.TEXT, personal=True, subject_access=True,
                  optional_column=True),
        # The steps of Stages 2 and 3 and the Ombudsman's decision (docs/decisions.md,
        # "Casework"): optional columns too.
        _step("statement_agreed", "Statement agreed"),
        FieldSpec("investigating_officer", "Investigating officer", _T.LINE, personal=True,
                  subject_access=True, optional_column=True),
        _step("officer_appointed", "Investigating officer appointed"),
        FieldSpec("independent_person", "Independent person", _T.LINE, personal=True,
                  subject_access=True, optional_column=True),
        _step("person_appointed", "Independent person appointed"),
        _step("report_received", "Investigation report received"),
        _step("panel_held", "Panel held"),
        _step("panel_report", "Panel report received"),
        FieldSpec("lgo_outcome", "LGO outcome", _T.CHOICE, optional_column=True,
                  choices=LgoOutcome),
        _step("lgo_decided", "LGO decided"),
        FieldSpec("lgo_remedy", "LGO remedy recommended", _T.TEXT, personal=True,
                  subject_access=True, optional_column=True),
        _step("lgo_compliance_due", "LGO compliance due"),
        _step("lgo_complied", "LGO complied"),
    ),
    placed_by="received",
    open_until="closed",
    overdue_after_due=True,
    retained_from="closed",
    list_columns=("reference", "received", "status", "stage", "team", "complainant", "due",
                  "responded", "closed", "outcome"),
)

INITIAL_FEEDBACK = KindSpec(
    kind=Kind.INITIAL_FEEDBACK,
    singular="initial feedback",
    plural="initial feedback",
    pane="Initial feedback",
    command_name="initial-feedback",
    table="initial_feedback",
    fields=(
        _reference(),
        _date("received", "Received", required=True),
        _team(),
        _date("resolved", "Resolved"),
        _summary(),
    ),
    placed_by="received",
    open_until="resolved",
    overdue_after_due=False,
    retained_from="resolved",
    list_columns=("reference", "received", "status", "team", "resolved", "summary"),
)

ENQUIRY = KindSpec(
    kind=Kind.ENQUIRY,
    singular="enquiry",
    plural="enquiries",
    pane="Enquiries",
    command_name="enquiry",
    table="enquiry",
    fields=(
        _reference(),
        _date("received", "Received", required=True),
        FieldSpec("source", "Source", _T.CHOICE, required=True, choices=EnquirySource),
        _team(),
        FieldSpec("enquirer", "Enquirer", _T.LINE, personal=True, subject_access=True,
                  list_search=True),
        _date("responded", "Responded"),
        _summary(),
    ),
    placed_by="received",
    open_until="responded",
    overdue_after_due=False,
    retained_from="responded",
    list_columns=("reference", "received", "status", "source", "team", "enquirer", "responded",
                  "summary"),
)

COMPLIMENT = KindSpec(
    kind=Kind.COMPLIMENT,
    singular="compliment",
    plural="compliments",
    pane="Compliments",
    command_name="compliment",
    table="compliment",
    fields=(
        _reference(),
        _date("received", "Received", required=True),
        _team(),
        _summary(),
    ),
    placed_by="received",
    open_until=None,
    overdue_after_due=False,
    retained_from="received",
    list_columns=("reference", "received", "team", "summary"),
)

DISPUTE = KindSpec(
    kind=Kind.DISPUTE,
    singular="dispute resolution case",
    plural="dispute resolution cases",
    pane="Dispute resolution",
    command_name="dispute",
    table="dispute_resolution",
    fields=(
        _reference(),
        _date("raised", "Raised", required=True),
        _team(),
        _date("resolved", "Resolved"),
        _summary(),
    ),
    placed_by="raised",
    open_until="resolved",
    overdue_after_due=False,
    retained_from="resolved",
    list_columns=("reference", "raised", "status", "team", "resolved", "summary"),
)

ACTION = KindSpec(
    kind=Kind.ACTION,
    singular="action",
    plural="actions",
    pane="Actions",
    command_name="action",
    table="action",
    fields=(
        _reference(),
        _date("agreed", "Agreed", required=True),
        FieldSpec("case_reference", "Case", _T.REFERENCE, required=True, list_search=True),
        FieldSpec("action_kind", "Kind", _T.CHOICE, required=True, choices=ActionKind),
        _team(),
        FieldSpec("what", "What", _T.TEXT, required=True, personal=True, subject_access=True,
                  list_search=True),
        _date("due", "Due", required=True),
        _date("done", "Done"),
        FieldSpec("evidence", "Evidence", _T.TEXT, personal=True, subject_access=True),
        FieldSpec("amount", "Amount", _T.MONEY),
        _date("paid", "Paid"),
    ),
    placed_by="agreed",
    open_until="done",
    overdue_after_due=True,
    retained_from="done",
    list_columns=("reference", "agreed", "status", "action_kind", "team", "case_reference",
                  "due", "done", "what"),
)

SPECS: dict[Kind, KindSpec] = {
    spec.kind: spec
    for spec in (COMPLAINT, INITIAL_FEEDBACK, ENQUIRY, COMPLIMENT, DISPUTE, ACTION)
}


def spec(kind: Kind) -> KindSpec:
    return SPECS[kind]


def spec_of(record: RecordData) -> KindSpec:
    return SPECS[kind_of(record)]


def placing_date(record: RecordData) -> date | None:
    """The date that places `record` in a reporting year (Raised for disputes, else Received)."""
    return spec_of(record).placing_date(record)


def _labels() -> dict[str, str]:
    """Every field's label, across kinds: the same field has the same label everywhere."""
    labels: dict[str, str] = {}
    for kind_spec in SPECS.values():
        for field_spec in kind_spec.fields:
            assert labels.setdefault(field_spec.name, field_spec.label) == field_spec.label
    return labels


FIELD_LABELS: dict[str, str] = _labels()


def _check_fields_follow_data_classes() -> None:
    """The spec lists the fields of its data class, in the same order (the workbook's)."""
    for kind_spec in SPECS.values():
        names = tuple(f.name for f in fields(kind_spec.data_class))
        assert names == kind_spec.field_names, (kind_spec.kind, names)


_check_fields_follow_data_classes()
