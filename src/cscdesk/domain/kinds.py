"""The five record kinds and their fixed vocabularies, as plain dataclasses (their names,
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


RecordData = ComplaintData | InitialFeedbackData | EnquiryData | ComplimentData | DisputeData

DATA_CLASS: dict[Kind, type] = {
    Kind.COMPLAINT: ComplaintData,
    Kind.INITIAL_FEEDBACK: InitialFeedbackData,
    Kind.ENQUIRY: EnquiryData,
    Kind.COMPLIMENT: ComplimentData,
    Kind.DISPUTE: DisputeData,
}
_KIND_OF_CLASS: dict[type, Kind] = {cls: kind for kind, cls in DATA_CLASS.items()}


def kind_of(record: RecordData) -> Kind:
    try:
        return _KIND_OF_CLASS[type(record)]
    except KeyError:
        raise TypeError(f"not a record: {record!r}") from None
