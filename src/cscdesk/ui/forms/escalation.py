"""Escalating a complaint: the next stage is a new record linked to this one.

Plain Python (no Qt): which stage comes next, the suggested reference and the prefilled record.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cscdesk.domain.kinds import ComplaintData

_STAGE_SUFFIX = re.compile(r"^(.*?)-S[123]$", re.IGNORECASE)


def next_stage(stage: int | None) -> int | None:
    """Stage 1 escalates to 2, Stage 2 to 3; Stage 3 is the last."""
    return stage + 1 if stage in (1, 2) else None


def suggest_reference(reference: str, stage: int, taken: Callable[[str], bool]) -> str:
    """"<ref>-S<stage>" ("C-101" → "C-101-S2", "C-101-S2" → "C-101-S3"), made unique if taken."""
    text = reference.strip()
    suffixed = _STAGE_SUFFIX.match(text)
    base = suffixed[1] if suffixed else text
    candidate = f"{base}-S{stage}"
    number = 2
    while taken(candidate) and number < 100:
        candidate = f"{base}-S{stage}-{number}"
        number += 1
    return candidate


def escalation_prefill(record: ComplaintData, taken: Callable[[str], bool]) -> ComplaintData:
    """The new complaint of the next stage: same team and complainant, linked to this one."""
    stage = next_stage(record.stage)
    if stage is None:
        raise ValueError("A Stage 3 complaint cannot be escalated.")
    return ComplaintData(
        reference=suggest_reference(record.reference, stage, taken),
        stage=stage,
        team=record.team,
        complainant=record.complainant,
        complainant_type=record.complainant_type,
        escalated_from=record.reference.strip(),
    )
