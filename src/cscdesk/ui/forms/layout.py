"""Where each field of each kind sits: group boxes in reading order, which is also Tab order.

"due" is not a field of the record: it is the live due-date line of a complaint. Other
read-only lines (the working days used, the Stage 3 clocks, the Ombudsman compliance that
actions give) are `Line`s of a section, placed before one of its fields or at its end.
"""

from __future__ import annotations

from dataclasses import dataclass

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.domain.steps import PANEL, PANEL_REPORT, RESPONSE

DUE_LINE = "due"


@dataclass(frozen=True)
class Line:
    """A read-only line of a section: `name` (the form's key for it), its row label, and the
    field it stands before ("" for the end of the section)."""

    name: str
    label: str
    before: str = ""


@dataclass(frozen=True)
class Section:
    """A group box of fields. With `stage`, it is shown only for a complaint at that stage;
    with `shown_by`, only once that field is filled in (the Ombudsman's decision, once the
    complaint was referred). Either way it stays shown while one of its fields still holds
    something, so nothing typed is hidden."""

    title: str
    fields: tuple[str, ...]
    column: int = 0
    stage: int | None = None
    lines: tuple[Line, ...] = ()
    shown_by: str = ""

    @property
    def conditional(self) -> bool:
        return self.stage is not None or bool(self.shown_by)


# The read-only lines' names.
DAYS_USED_LINE = "days used"
COMPLIANCE_LINE = "compliance from actions"
CLOCK_LINES = {PANEL: "panel clock", PANEL_REPORT: "panel report clock",
               RESPONSE: "response clock"}
DAYS_USED_LABEL = "Days used"
COMPLIANCE_LABEL = "From actions"
CLOCK_LABELS = {PANEL: "Panel due", PANEL_REPORT: "Panel report due",
                RESPONSE: "Response due"}
# At Stage 3 the due line is rules.md's 30 working days (the appendix's timeliness), beside the
# steps' own clocks: it is named for what it is.
STAGE3_DUE_LABEL = "Due overall"

# Texts that are seldom long, given three lines rather than four (the complaint form then fits
# a 1366 × 768 laptop).
SHORT_TEXTS = frozenset({"lgo_remedy"})

# The kinds whose records carry actions: their forms list them (existing records only).
CASE_KINDS = (Kind.COMPLAINT, Kind.DISPUTE)


LAYOUTS: dict[Kind, tuple[Section, ...]] = {
    # Reading order, which is Tab order: the first column top to bottom, then the second.
    # The steps come before the response they lead to (Stage 2's adjudication is Responded).
    Kind.COMPLAINT: (
        Section("Complaint", ("reference", "stage", "escalated_from", "received", "team",
                              "complainant", "complainant_type", "summary")),
        Section("Stage 2 steps", ("statement_agreed", "investigating_officer",
                                  "officer_appointed", "independent_person", "person_appointed",
                                  "report_received"), stage=2),
        Section("Stage 3 steps", ("panel_held", "panel_report"), stage=3,
                lines=(Line(CLOCK_LINES[PANEL], CLOCK_LABELS[PANEL], "panel_held"),
                       Line(CLOCK_LINES[PANEL_REPORT], CLOCK_LABELS[PANEL_REPORT],
                            "panel_report"),
                       Line(CLOCK_LINES[RESPONSE], CLOCK_LABELS[RESPONSE]))),
        Section("Response", ("acknowledged", "extended", DUE_LINE, "responded", "notes"),
                lines=(Line(DAYS_USED_LINE, DAYS_USED_LABEL, "responded"),)),
        Section("Outcome", ("closed", "outcome", "root_cause", "learning"), column=1),
        Section("Alternative dispute resolution (ADR)", ("adr", "adr_saving"), column=1),
        Section("Local Government Ombudsman (LGO)", ("lgo_referred", "lgo_decision"),
                column=1),
        Section("The Ombudsman's decision",
                ("lgo_outcome", "lgo_decided", "lgo_remedy", "lgo_compliance_due",
                 "lgo_complied"), column=1, shown_by="lgo_referred",
                lines=(Line(COMPLIANCE_LINE, COMPLIANCE_LABEL),)),
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
