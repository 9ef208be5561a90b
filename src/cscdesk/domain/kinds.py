"""The six record kinds and their fixed vocabularies, as plain dataclasses (their names,
labels and rules are described in `cscdesk.domain.kind_spec`).

These are what forms and the workbook produce and what validation checks; the store turns them
into rows. Teams and root causes are carried by name: the store resolves names to list entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    """Record kinds; the value is the interchange workbook's sheet name."""

    COMPLAINT = "Complaints"
    INITIAL_FEEDBACK = "Initial feedback"
    ENQUIRY = "Enquiries"
    COMPLIMENT = "Compliments"
    DISPUTE = "Dispute resolution"
    ACTION = "Actions"


class Outcome(StrEnum):
    UPHELD = "Upheld"
    PARTIALLY_UPHELD = "Partially upheld"
    NOT_UPHELD = "Not upheld"
    CANCELLED = "Cancelled"

    @property
    def counts_as_upheld(self) -> bool:
        return self in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD)


class EnquirySource(StrEnum):
    MP = "MP"
    MEP = "MEP"
    MEMBER = "Member"

    @property
    def plural_heading(self) -> str:
        """The appendix's wording: MP, MEP, Members."""
        return "Members" if self is EnquirySource.MEMBER else self.value


class ComplainantType(StrEnum):
    CHILD = "Child or young person"
    PARENT = "Parent or carer"
    FOSTER_CARER = "Foster carer"
    CARE_LEAVER = "Care leaver"
    SPECIAL_GUARDIAN = "Special guardian"
    ADOPTER = "Adopter or adoptive family"
    ADVOCATE = "Advocate on behalf of a child"
    OTHER = "Other"


class LgoOutcome(StrEnum):
    """The Ombudsman's decision on a complaint, in its own categories."""

    UPHELD_INJUSTICE = "Upheld: maladministration and injustice"
    UPHELD_NO_INJUSTICE = "Upheld: maladministration, no injustice"
    NOT_UPHELD = "Not upheld"
    CLOSED_EARLY = "Closed after initial enquiries"
    PREMATURE = "Premature"

    @property
    def counts_as_upheld(self) -> bool:
        return self in (LgoOutcome.UPHELD_INJUSTICE, LgoOutcome.UPHELD_NO_INJUSTICE)


class ActionKind(StrEnum):
    """What an action is: a lesson the service takes on, an Ombudsman's recommendation, or a
    remedy for the complainant (which may be a payment)."""

    LEARNING = "Learning / service improvement"
    OMBUDSMAN = "Ombudsman recommendation"
    REMEDY = "Remedy for the complainant"


STAGES = (1, 2, 3)


@dataclass
class ComplaintData:
    reference: str = ""
    received: date | None = None
    stage: int | None = None
    team: str = ""
    extended: bool = False
    responded: date | None = None
    closed: date | None = None
    outcome: Outcome | None = None
    root_cause: str = ""
    learning: str = ""
    adr: bool = False
    adr_saving: Decimal | None = None
    escalated_from: str = ""
    lgo_referred: date | None = None
    lgo_decision: str = ""
    complainant: str = ""
    summary: str = ""
    complainant_type: ComplainantType | None = None
    acknowledged: date | None = None
    notes: str = ""
    # Stage 2 steps (the adjudication is the response)
    statement_agreed: date | None = None
    investigating_officer: str = ""
    officer_appointed: date | None = None
    independent_person: str = ""
    person_appointed: date | None = None
    report_received: date | None = None
    # Stage 3 steps (the panel request is the Stage 3 record's Received date)
    panel_held: date | None = None
    panel_report: date | None = None
    # The Ombudsman's decision
    lgo_outcome: LgoOutcome | None = None
    lgo_decided: date | None = None
    lgo_remedy: str = ""
    lgo_compliance_due: date | None = None
    lgo_complied: date | None = None


@dataclass
class InitialFeedbackData:
    reference: str = ""
    received: date | None = None
    team: str = ""
    resolved: date | None = None
    summary: str = ""


@dataclass
class EnquiryData:
    reference: str = ""
    received: date | None = None
    source: EnquirySource | None = None
    team: str = ""
    enquirer: str = ""
    responded: date | None = None
    summary: str = ""


@dataclass
class ComplimentData:
    reference: str = ""
    received: date | None = None
    team: str = ""
    summary: str = ""


@dataclass
class DisputeData:
    reference: str = ""
    raised: date | None = None
    team: str = ""
    resolved: date | None = None
    summary: str = ""


@dataclass
class ActionData:
    """A promise made at the end of a case: learning, an Ombudsman recommendation or a remedy.
    `case_reference` names the complaint or dispute resolution case it comes from."""

    reference: str = ""
    agreed: date | None = None
    case_reference: str = ""
    action_kind: ActionKind | None = None
    team: str = ""
    what: str = ""
    due: date | None = None
    done: date | None = None
    evidence: str = ""
    amount: Decimal | None = None
    paid: date | None = None


RecordData = (ComplaintData | InitialFeedbackData | EnquiryData | ComplimentData | DisputeData
              | ActionData)

DATA_CLASS: dict[Kind, type] = {
    Kind.COMPLAINT: ComplaintData,
    Kind.INITIAL_FEEDBACK: InitialFeedbackData,
    Kind.ENQUIRY: EnquiryData,
    Kind.COMPLIMENT: ComplimentData,
    Kind.DISPUTE: DisputeData,
    Kind.ACTION: ActionData,
}
_KIND_OF_CLASS: dict[type, Kind] = {cls: kind for kind, cls in DATA_CLASS.items()}


def kind_of(record: RecordData) -> Kind:
    try:
        return _KIND_OF_CLASS[type(record)]
    except KeyError:
        raise TypeError(f"not a record: {record!r}") from None
