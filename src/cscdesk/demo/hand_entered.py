"""Invented hand-entered figures for 2015/16, the year before the demo's records start, so the
2016/17 appendix compares with something and shows how such figures are printed."""

from __future__ import annotations

from cscdesk.demo.designed import Y2 as FIRST_RECORDED_YEAR
from cscdesk.report.baseline import BaselineFigures

HAND_ENTERED = BaselineFigures(
    year=FIRST_RECORDED_YEAR - 1,
    initial_feedback=28, stage1=44, stage2=1, stage3=0, adr_cases=0, adr_saving_pence=0,
    closed=41, cancelled=2, upheld_percent=37, timeliness_percent=79,  # 15 of 41 upheld
    lgo=1, dispute_resolution=0,
    enquiries_mp=12, enquiries_mep=17, enquiries_member=30, compliments=22,
    teams={
        "closed_volume": (
            ("Adoption", 5), ("Child Protection / LADO", 3),
            ("Children and Families Assessment Team CFAT", 8), ("Children Looked After", 4),
            ("Disabled Children", 2), ("Family Support Team 1", 5), ("Family Support Team 2", 3),
            ("Family Support Team 4", 6), ("Fostering", 2), ("Through Care 1", 3),
        ),
        "upheld": (
            ("Adoption", 2), ("Children and Families Assessment Team CFAT", 3),
            ("Children Looked After", 2), ("Family Support Team 1", 2),
            ("Family Support Team 4", 3), ("Fostering", 1), ("Through Care 1", 2),
        ),
        "enquiries_mp": (
            ("Family Support Team 4", 3), ("CFAT", 2), ("Fostering", 2), ("Adoption", 1),
            ("Disabled Children", 1), ("Finance", 1), ("MASH", 1), ("Through Care 1", 1),
        ),
        "enquiries_mep": (
            ("CFAT", 4), ("Family Support Team 3", 3), ("Through Care 2", 3),
            ("Disabled Children", 2), ("Family Support Team 2", 2), ("Adoption", 1),
            ("Fostering", 1), ("MASH", 1),
        ),
        "enquiries_member": (
            ("Child Protection/LADO", 7), ("CFAT", 6), ("Fostering", 4),
            ("Family Support Team 4", 3), ("Family Support Team 3", 2), ("Through Care 2", 2),
            ("Adoption", 1), ("Aftercare", 1), ("Commissioning", 1), ("Finance", 1), ("MASH", 1),
            ("Other", 1),
        ),
        "compliments": (
            ("Fostering", 6), ("Adoption", 4), ("CFAT", 3), ("Through Care 1", 3), ("MASH", 2),
            ("Prevention & Support Service", 2), ("Aftercare", 1), ("Safeguarding", 1),
        ),
    },
)
