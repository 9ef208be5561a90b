"""An action's Case across a workbook and the database.

Every row of the Actions sheet names the complaint or dispute resolution case it comes from,
by reference: one in the same workbook (on the Complaints or Dispute resolution sheet, in any
order) or one already stored. The rule's wording is domain.validation's; this module only
supplies the lookup, asking the database about the references the sheet names and no others.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import ActionData, Kind
from cscdesk.domain.validation import validate
from cscdesk.exchange.problems import CellProblem
from cscdesk.exchange.reader import ParsedWorkbook
from cscdesk.store.models import MODEL_OF
from cscdesk.store.record_rows import CHUNK, chunks
from cscdesk.store.records import CASE_KINDS


def named_cases(parsed: ParsedWorkbook) -> set[str]:
    """The references the Actions sheet gives as Case (trimmed, blanks left out)."""
    return {row.record.case_reference.strip() for row in parsed.records.get(Kind.ACTION, [])
            if isinstance(row.record, ActionData) and row.record.case_reference.strip()}


def stored_cases(session: Session, references: set[str]) -> set[str]:
    """Those of `references` that a stored complaint or dispute resolution case has, asked
    in chunks: the work follows the workbook, not the size of the database."""
    found: set[str] = set()
    wanted = sorted(references)
    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    for kind in CASE_KINDS:
        model = MODEL_OF[kind]
        statement = select(model.reference).where(model.reference.in_(keys))
        for chunk in chunks(wanted, CHUNK):
            found.update(session.scalars(statement, {"keys": list(chunk)}))
    return found


def case_problems(parsed: ParsedWorkbook, stored: set[str]) -> list[CellProblem]:
    """A problem for every action whose Case names no complaint or dispute resolution case in
    the workbook nor among `stored` (the stored references of `named_cases`)."""
    rows = parsed.records.get(Kind.ACTION, [])
    if not rows:
        return []
    known = set(stored)
    for kind in CASE_KINDS:
        known.update(row.record.reference.strip() for row in parsed.records.get(kind, []))
    known.discard("")
    sheet = parsed.sheets.get(Kind.ACTION.value)
    sheet_name = sheet.name if sheet is not None else Kind.ACTION.value
    label = FIELD_LABELS["case_reference"]

    def case_known(reference: str) -> bool:
        return reference.strip() in known

    problems: list[CellProblem] = []
    for parsed_row in rows:
        record = parsed_row.record
        assert isinstance(record, ActionData)
        case = record.case_reference.strip()
        if not case or case in known:
            continue  # a blank Case is the reader's problem (required)
        shape = {error for error in validate(record) if error.field == "case_reference"}
        problems.extend(  # only what the lookup adds: the reader has named the rest
            CellProblem(parsed_row.sheet or sheet_name, parsed_row.row, label,
                        record.case_reference, error.message)
            for error in validate(record, case_known=case_known)
            if error.field == "case_reference" and error not in shape
        )
    return problems
