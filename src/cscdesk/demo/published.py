"""The published figures of the example appendix (2018/19 against 2017/18), as the demo keeps them.

The demo database is built so that its 2018/19 appendix shows these figures wherever they agree
with the counting rules. Where the example disagrees with itself, the adjustment is stated here
(and explained in docs/demo.md), so the code and the document cannot drift apart.
"""

from __future__ import annotations

from decimal import Decimal

YEAR = 2018  # the example's reporting year, 2018/19
PREVIOUS = YEAR - 1

# The comparison table, both rows exactly as published (all consistent once the area table
# below follows them).
INITIAL_FEEDBACK = {YEAR: 62, PREVIOUS: 33}
STAGE1 = {YEAR: 39, PREVIOUS: 48}
ADR_CASES = {YEAR: 1, PREVIOUS: 6}
CLOSED = {YEAR: 35, PREVIOUS: 48}
CANCELLED = {YEAR: 3, PREVIOUS: 2}
UPHELD = {YEAR: 18, PREVIOUS: 19}  # 18/35 = 51%, 19/48 = 40%
# Timeliness: 33 of 38 due in 2018/19 on time = 87%; 38 of 46 due in 2017/18 = 83%.
DUE = {YEAR: 38, PREVIOUS: 46}
ON_TIME = {YEAR: 33, PREVIOUS: 38}
ADR_SAVING = Decimal("1800")  # the one 2018/19 ADR case
PREVIOUS_ADR_SAVINGS = (Decimal("1800"), Decimal("1800"), Decimal("2400"), Decimal("1200"), None,
                        None)
DISPUTES = {YEAR: 13, PREVIOUS: 0}  # "did not exist in this form within 2017"

# Upheld complaints by area as published: team -> {year: (volume, upheld)}.
PUBLISHED_UPHELD_BY_AREA: dict[str, dict[int, tuple[int, int]]] = {
    "Adoption": {PREVIOUS: (6, 5), YEAR: (3, 2)},
    "Aftercare": {PREVIOUS: (0, 0), YEAR: (1, 1)},
    "Child Protection / LADO": {PREVIOUS: (4, 0), YEAR: (3, 1)},
    "Children and Families Assessment Team CFAT": {PREVIOUS: (7, 2), YEAR: (5, 2)},
    "Children Looked After": {PREVIOUS: (4, 2), YEAR: (0, 0)},
    "Disabled Children": {PREVIOUS: (3, 0), YEAR: (2, 1)},
    "Family Support Team 1": {PREVIOUS: (4, 2), YEAR: (4, 1)},
    "Family Support Team 2": {PREVIOUS: (1, 0), YEAR: (2, 2)},
    "Family Support Team 3": {PREVIOUS: (2, 0), YEAR: (1, 0)},
    "Family Support Team 4": {PREVIOUS: (10, 3), YEAR: (2, 0)},
    "Family Support Team 6": {PREVIOUS: (2, 2), YEAR: (1, 1)},
    "Fostering": {PREVIOUS: (1, 0), YEAR: (1, 1)},
    "MASH": {PREVIOUS: (1, 1), YEAR: (2, 0)},
    "Oaktree": {PREVIOUS: (0, 0), YEAR: (2, 2)},
    "Permanence/Court Work": {PREVIOUS: (0, 0), YEAR: (1, 1)},
    "Prevention & Support Services": {PREVIOUS: (2, 1), YEAR: (0, 0)},
    "Through Care 1": {PREVIOUS: (3, 2), YEAR: (2, 1)},
    "Through Care 2": {PREVIOUS: (1, 0), YEAR: (2, 1)},
    "Unaccompanied Asylum Seekers": {PREVIOUS: (1, 0), YEAR: (0, 0)},
}

# The published rows sum to 52 closed (20 upheld) in 2017/18 and 34 (17) in 2018/19, against
# "Cases closed in period" 48 (40% = 19) and 35 (51% = 18). The demo keeps the comparison table
# and changes one row per year so the area table adds up to it.
UPHELD_BY_AREA_ADJUSTMENTS: dict[tuple[str, int], tuple[int, int]] = {
    ("Family Support Team 4", PREVIOUS): (6, 2),  # published 10 with 30% (3)
    ("Aftercare", YEAR): (2, 2),  # published 1 with 100% (1)
}


def upheld_by_area(year: int) -> dict[str, tuple[int, int]]:
    """Team -> (closed volume, upheld) that the demo stores for `year` (2017 or 2018)."""
    table = {team: years[year] for team, years in PUBLISHED_UPHELD_BY_AREA.items()}
    for (team, adjusted_year), figures in UPHELD_BY_AREA_ADJUSTMENTS.items():
        if adjusted_year == year:
            table[team] = figures
    return {team: figures for team, figures in table.items() if figures[0] > 0}


# Enquiries by source and team. 2018/19 exactly as published (11, 18, 28); 2017/18 invented so
# that 2017/18's representations come to the published 183 (33 + 48 + 70 + 32).
ENQUIRIES: dict[int, dict[str, dict[str, int]]] = {
    YEAR: {
        "MP": {
            "Family Support Team 4": 3, "Fostering": 1, "Disabled Children": 1, "Finance": 1,
            "Through Care 3": 1, "Family Support Team 3": 1, "Permanence/Court Work": 1,
            "Adoption": 1, "Family Support Team 5": 1,
        },
        "MEP": {
            "CFAT": 3, "Family Support Team 3": 3, "Through Care 2": 3,
            "Family Support Team 4": 2, "Family Support Team 5": 2, "Disabled Children": 1,
            "Family Placement Service": 1, "Family Support Team 1": 1,
            "Family Support Team 2": 1, "Through Care 1": 1,
        },
        "Member": {
            "Child Protection/LADO": 6, "CFAT": 5, "Fostering": 3, "Family Support Team 3": 2,
            "Family Support Team 6": 1, "Aftercare": 1, "Commissioning": 1,
            "Family Placement Service": 1, "Family Support Team 4": 1,
            "Family Support Team 2": 1, "Family Support Team 5": 1, "Finance": 1, "Other": 1,
            "Permanence/Court Work": 1, "Through Care 2": 1, "Through Care 3": 1,
        },
    },
    PREVIOUS: {
        "MP": {
            "Family Support Team 4": 3, "CFAT": 2, "Fostering": 2, "Adoption": 1,
            "Disabled Children": 1, "Family Support Team 1": 1, "Finance": 1,
            "Through Care 1": 1, "Through Care 3": 1, "Child Protection/LADO": 1,
        },
        "MEP": {
            "CFAT": 4, "Family Support Team 2": 3, "Family Support Team 3": 3,
            "Through Care 2": 2, "Disabled Children": 2, "Family Support Team 5": 2,
            "Adoption": 1, "Family Placement Service": 1, "Fostering": 1, "MASH": 1,
            "Through Care 1": 1,
        },
        "Member": {
            "Child Protection/LADO": 7, "CFAT": 6, "Fostering": 4, "Family Support Team 4": 3,
            "Family Support Team 3": 2, "Family Support Team 6": 2, "Through Care 2": 2,
            "Adoption": 1, "Aftercare": 1, "Commissioning": 1, "Family Placement Service": 1,
            "Family Support Team 1": 1, "Finance": 1, "MASH": 1, "Other": 1,
            "Permanence/Court Work": 1,
        },
    },
}

COMPLIMENTS: dict[int, dict[str, int]] = {
    YEAR: {
        "Fostering": 6, "CFAT": 4, "Prevention & Support Service": 4, "Adoption": 2,
        "Safeguarding": 2, "Through Care 1": 2, "Family Support Team 4": 2, "Permanence": 1,
        "Children in Public Care": 1, "MASH": 1, "Aftercare": 1,
    },
    PREVIOUS: {
        "Fostering": 7, "Adoption": 5, "CFAT": 4, "Through Care 1": 3,
        "Prevention & Support Service": 3, "Family Support Team 2": 2, "MASH": 2,
        "Safeguarding": 2, "Aftercare": 1, "Children in Public Care": 1,
        "Family Support Team 4": 1, "Permanence": 1,
    },
}

# Root causes of the complaints closed and upheld in the year: (root cause, complaints,
# learning texts in the order the earliest closed complaint of each gives them).
ROOT_CAUSES: dict[int, list[tuple[str, int, list[str]]]] = {
    YEAR: [
        ("Communication", 7, [
            "Any changes in scheduled supervised contact will be communicated to relatives in "
            "a timely manner.",
            "Staff given reflective practice sessions to attune themselves with how service "
            "changes impact users.",
            "Better handling of Letterbox administration to ensure birth relatives and adoptive "
            "parents maintain proper contact.",
            "Recruitment of staff to allow for resumption of life story book productions.",
        ]),
        ("Decision Making", 4, [
            "Both sides of families to be contacted where children only live with one parent "
            "to ensure equal sharing of information.",
            "Staff retrained on LADO referrals and social workers to fully familiarise "
            "themselves with the case prior to initial meetings.",
        ]),
        ("Assessment", 3, [
            "Policy to be drafted to address the issue of savings for children in care.",
            "Further training to be provided to staff to consider the impact that professional "
            "opinion and timekeeping has on cases.",
        ]),
        ("Delays", 2, ["Allocation of cases to be reviewed weekly by the team manager."]),
        ("Missed contact", 2, [
            "Contact supervisors to confirm arrangements with families the day before.",
        ]),
    ],
    PREVIOUS: [
        ("Communication", 8, [
            "Ensuring that telephone calls are returned swiftly - These complaints related to a "
            "specific service, there is now a service standard in place to address this issue.",
            "Ensuring reports are quality checked to ensure they are grammatically correct - "
            "Routine case audits are now in place to quality assess reports for a % of cases.",
        ]),
        ("Decision Making", 5, [
            "Attention to detail with accuracy of reports - Case supervision and case audits "
            "are addressing any issues arising from report writing.",
        ]),
        ("Staff Conduct", 4, ["These have been dealt with in-line with process."]),
        ("Delays", 2, ["Allocation of cases to be reviewed weekly by the team manager."]),
    ],
}
