"""Invented people and case summaries: plainly fictional, so nobody mistakes the demo for real data.

Some names carry accents and apostrophes on purpose, so lists, forms and reports show them as typed.
"""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Ada", "Bartholomew", "Clementine", "Dorian", "Elowen", "Fitzgerald", "Gwendolyn", "Horatio",
    "Isolde", "Jasper", "Kerensa", "Lysander", "Marigold", "Nathaniel", "Ottoline", "Peregrine",
    "Quentin", "Rosamund", "Septimus", "Tamsin", "Ulysses", "Venetia", "Wilfred", "Xanthe",
    "Yorick", "Zoë", "Siân", "Renée", "Åsa", "Noémie",
)
SURNAMES = (
    "Applethwaite", "Brackenbury", "Cobblestone", "Dewberry", "Elderflower", "Fernsby",
    "Gooseberry", "Hollowell", "Inkpen", "Juniper", "Kettleworth", "Larkspur", "Mossgrove",
    "Nettlefold", "O’Marigold", "Pennywhistle", "Quillfeather", "Rookwood", "Thistlewood",
    "Underhill", "Vantablack", "Wobblestone", "Yarrowby", "Zephyrine", "Ffolkes-Périgord",
)

COMPLAINT_SUMMARIES = (
    "Parent unhappy that supervised contact was changed at short notice.",
    "Foster carer says calls to the social worker were not returned for two weeks.",
    "Young person disagrees with the outcome of the child and family assessment.",
    "Grandparent was not told about the child protection conference.",
    "Care leaver says the pathway plan was never shared with them.",
    "Adoptive family says letterbox letters were delayed for months.",
    "Parent says the report to court contained factual errors.",
    "Carer disputes the decision to end the short-break placement.",
    "Family says the allocated worker changed three times in a year.",
    "Young person's savings were not transferred when the placement ended.",
    "Parent says a home visit was cancelled without explanation.",
    "Relative disagrees with the decision not to assess them as a kinship carer.",
)
FEEDBACK_SUMMARIES = (
    "Asked for the social worker's new contact details.",
    "Concern that a meeting time clashes with school hours.",
    "Wants to know when the next review will be held.",
    "Reports a missed phone call from the duty team.",
    "Asked for a copy of the last review minutes.",
    "Worried that a visit letter went to an old address.",
)
ENQUIRY_SUMMARIES = (
    "Asked on behalf of a constituent about the progress of an assessment.",
    "Raised a resident's concern about support for a disabled child.",
    "Asked why a family's case was closed.",
    "Asked about placement arrangements for a looked-after child.",
    "Followed up a constituent's complaint about contact arrangements.",
)
COMPLIMENT_SUMMARIES = (
    "Thanked the team for support through a difficult year.",
    "Praised the social worker's patience and clear explanations.",
    "Foster carer thanked the team for quick help at a weekend.",
    "Young person wrote to say the worker “really listened”.",
    "Family thanked the team for arranging a birthday contact visit.",
)
DISPUTE_SUMMARIES = (
    "IRO concerned that the care plan's actions are overdue.",
    "IRO disagrees with the proposed change of placement.",
    "IRO asked for the permanence plan to be brought forward.",
    "IRO concerned that statutory visits were missed.",
)
LGO_DECISIONS = (
    "Not upheld: no fault found.",
    "Upheld: apology and £250 for time and trouble agreed.",
    "Closed after initial enquiries.",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def enquirer(rng: random.Random, source: str) -> str:
    """An invented MP, MEP or councillor."""
    name = person(rng)
    if source == "Member":
        return f"Cllr {name}"
    return f"{name} {source}"


def complainant(rng: random.Random) -> str:
    return person(rng)

# Root causes of later years and the learning an upheld complaint of each might record.
LEARNING: dict[str, tuple[str, ...]] = {
    "Communication": (
        "Letters about changes to contact to be sent at least five working days ahead.",
        "Duty team to return calls within one working day.",
    ),
    "Decision Making": (
        "Decisions on kinship assessments to be recorded with reasons and shared in writing.",
        "Managers to review decisions to close a case before the family is told.",
    ),
    "Assessment": (
        "Assessments to include the views of both parents wherever it is safe.",
    ),
    "Delays": (
        "Allocation of cases to be reviewed weekly by the team manager.",
        "Pathway plans to be shared within 20 working days of the review.",
    ),
    "Missed contact": (
        "Contact supervisors to confirm arrangements with families the day before.",
    ),
    "Staff Conduct": (
        "Dealt with in line with the conduct procedure.",
    ),
    "Policy / Procedure": (
        "Savings policy for children in care to be published on the website.",
    ),
}
