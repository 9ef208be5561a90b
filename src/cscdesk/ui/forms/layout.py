"""Where each field of each kind sits: group boxes in reading order, which is also Tab order.

"due" is not a field of the record: it is the live due-date line of a complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind

DUE_LINE = "due"


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[str, ...]
    column: int = 0


LAYOUTS: dict[Kind, tuple[Section, ...]] = {
    Kind.COMPLAINT: (
        Section("Complaint", ("reference", "stage", "escalated_from", "received", "team",
                              "complainant", "complainant_type", "summary")),
        Section("Response", ("acknowledged", "extended", DUE_LINE, "responded", "notes")),
        Section("Outcome", ("closed", "outcome", "root_cause", "learning"), column=1),
        Section("Alternative dispute resolution (ADR)", ("adr", "adr_saving"), column=1),
        Section("Stage 2 steps", ("statement_agreed", "investigating_officer",
                                  "officer_appointed", "independent_person", "person_appointed",
                                  "report_received")),
        Section("Stage 3 steps", ("panel_held", "panel_report")),
        Section("Local Government Ombudsman (LGO)",
                ("lgo_referred", "lgo_decision", "lgo_outcome", "lgo_decided", "lgo_remedy",
                 "lgo_compliance_due", "lgo_complied"), column=1),
    ),
    Kind.INITIAL_FEEDBACK: (
        Section("Initial feedback", ("reference", "received", "team", "resolved", "summary")),
    ),
    Kind.ENQUIRY: (
        Section("Enquiry", ("reference", "received", "source", "team", "enquirer",
                            "responded", "summary")),
    ),
    Kind.COMPLIMENT: (
        Section("Compliment", ("reference", "received", "team", "summary")),
    ),
    Kind.DISPUTE: (
        Section("Dispute resolution", ("reference", "raised", "team", "resolved", "summary")),
    ),
    Kind.ACTION: (
        Section("Action", ("reference", "case_reference", "action_kind", "agreed", "team",
                           "what")),
        Section("Progress", ("due", "done", "evidence"), column=1),
        Section("Remedy", ("amount", "paid"), column=1),
    ),
}

# How the window title and messages name one record of each kind.
SINGULAR: dict[Kind, str] = {kind: kind_spec.singular for kind, kind_spec in SPECS.items()}
