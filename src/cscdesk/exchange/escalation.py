"""The "Escalated from" rule across a workbook and the database.

A Stage 2 or 3 complaint must escalate from a complaint of the stage before, found in the same
workbook (in any row order; its stage there counts) or already stored. A stored complaint whose
stage the workbook changes must not break a stored escalation from it. The rule's wording is
domain.validation's; this module only supplies the stage lookup.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.domain.validation import validate
from cscdesk.exchange.problems import CellProblem
from cscdesk.exchange.reader import ParsedWorkbook


def escalation_problems(
    parsed: ParsedWorkbook, stored: dict[str, dict[str, Any]]
) -> list[CellProblem]:
    """Every breach of the rule; `stored` maps each stored complaint's reference to at least its
    "stage" and "escalated_from" (a reference, "" for none)."""
    rows = parsed.records.get(Kind.COMPLAINT, [])
    in_workbook = {row.record.reference: row.record.stage for row in rows
                   if isinstance(row.record, ComplaintData)}
    sheet = parsed.sheets.get(Kind.COMPLAINT.value)
    sheet_name = sheet.name if sheet is not None else Kind.COMPLAINT.value
    problems: list[CellProblem] = []

    def stage_of(reference: str) -> int | None:
        reference = reference.strip()
        if reference in in_workbook:
            return in_workbook[reference]
        existing = stored.get(reference)
        return None if existing is None else existing["stage"]

    def checkable(record: ComplaintData) -> bool:
        """Only what needs the lookup: the reader has checked the rest of the rule."""
        source = record.escalated_from.strip()
        return (
            bool(source) and record.stage in (2, 3) and source != record.reference
            and not (source in in_workbook and in_workbook[source] is None)
        )

    children: dict[str, list[str]] = defaultdict(list)
    for reference, values in stored.items():
        if values["escalated_from"]:
            children[values["escalated_from"]].append(reference)
    for parsed_row in rows:
        record = parsed_row.record
        assert isinstance(record, ComplaintData)
        if checkable(record):
            problems.extend(
                CellProblem(parsed_row.sheet or sheet_name, parsed_row.row,
                            FIELD_LABELS["escalated_from"],
                            record.escalated_from, error.message)
                for error in validate(record, stage_of)
                if error.field == "escalated_from"
            )
        existing = stored.get(record.reference)
        if existing is None or record.stage is None or existing["stage"] == record.stage:
            continue
        for child in children.get(record.reference, ()):
            child_stage = stored[child]["stage"]
            if child not in in_workbook and child_stage != record.stage + 1:
                problems.append(CellProblem(
                    parsed_row.sheet or sheet_name, parsed_row.row, FIELD_LABELS["stage"],
                    str(record.stage),
                    f"Stored complaint “{child}” (Stage {child_stage}) escalates from this "
                    f"complaint, so it must stay Stage {child_stage - 1}.",
                ))
    return problems
