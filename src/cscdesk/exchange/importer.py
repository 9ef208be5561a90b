"""Writing a read workbook into the database: all or nothing, idempotent by reference.

- `plan_import(db, parsed) -> ImportPlan`: what an import would do (per sheet: created,
  updated, unchanged; teams and root causes to add) and the problems only the database can
  reveal (an "Escalated from" naming no Stage N-1 complaint, an action's Case naming no
  complaint or dispute resolution case). Writes nothing.
- `check_workbook(db, path) -> (ParsedWorkbook, ImportPlan)`: read and plan in one call, raising
  WorkbookRejected with every problem at once (bad cells and database checks together).
- `apply_import(db, parsed, progress=None) -> ImportResult`: the same checks, then every write in
  ONE transaction; raises `WorkbookRejected` (nothing written) if any check fails. `progress`
  is called with (rows done, rows in all) as the work goes on.

Both open their own session, so the desktop app may call them off the GUI thread. Records
become rows and audit events through `store.record_rows`, the code the forms save with, here in
bulk (executemany statements of a few thousand rows); a row whose values are all the same as
stored is not touched at all (its updated_at stays), which makes a second import of a workbook
a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import FIELD_LABELS, spec
from cscdesk.domain.kinds import Kind, RecordData
from cscdesk.domain.validation import FieldError, validate
from cscdesk.exchange.cases import case_problems, named_cases, stored_cases
from cscdesk.exchange.duedates import DueDateTable
from cscdesk.exchange.escalation import escalation_problems
from cscdesk.exchange.layout import (
    ALL_SHEETS,
    BASELINE_BY_TEAM,
    BASELINE_FIGURES,
    OMBUDSMAN_LETTERS,
    RECORD_SHEETS,
    YEAR_SHEETS,
    CellType,
    SheetLayout,
    continued_key,
    header_key,
)
from cscdesk.exchange.paused_collector import collector_paused
from cscdesk.exchange.problems import CellProblem, WorkbookRejected, brief, shown
from cscdesk.exchange.reader import ParsedRecord, ParsedWorkbook, read_workbook
from cscdesk.store import lists
from cscdesk.store.bulk import bulk_writes
from cscdesk.store.engine import Database
from cscdesk.store.models import BaselineTeamCount, BaselineYear, OmbudsmanLetter
from cscdesk.store.record_rows import (
    BATCH,
    RecordRows,
    chunks,
    pounds_to_pence,
    stored_rows,
    update_by_id,
)

Progress = Callable[[int, int], None]

# Up to this many rows, due dates are worked out one by one (as the forms do).
_FEW_ROWS = 200


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportPlan:
    """What importing the workbook would do, or the problems that stop it."""

    counts: dict[str, SheetCounts]
    teams_added: list[str]
    root_causes_added: list[str]
    problems: list[CellProblem]
    # Sheets hidden in Excel that the import reads (as the workbook names them).
    hidden_sheets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def hidden_note(self) -> str:
        """A sentence naming the hidden sheets read, or "" when there are none."""
        return hidden_note(self.hidden_sheets)


@dataclass
class ImportResult:
    """What an import did, per sheet present (in the order of the sheet table) and to the pick
    lists."""

    counts: dict[str, SheetCounts]
    teams_added: list[str]
    root_causes_added: list[str]
    hidden_sheets: list[str] = field(default_factory=list)


def hidden_note(names: list[str]) -> str:
    """"Hidden sheets read too: …" naming them, so that nothing is imported unseen."""
    if not names:
        return ""
    shown_names = ", ".join(f"“{brief(name)}”" for name in names)
    noun = "sheet" if len(names) == 1 else "sheets"
    return f"Hidden {noun} read too (hidden in Excel): {shown_names}."


def plan_import(db: Database, parsed: ParsedWorkbook) -> ImportPlan:
    """Check `parsed` against the database and count what an import would do; writes nothing."""
    with collector_paused(), db.session() as session:
        work = _ImportWork(session, parsed)
        session.rollback()
    return ImportPlan(work.counts, work.teams.added, work.root_causes.added, work.problems,
                      list(parsed.hidden_sheets))


def check_workbook(db: Database, path: Path | str) -> tuple[ParsedWorkbook, ImportPlan]:
    """Read a workbook and plan its import; raise WorkbookRejected naming every problem, those
    in its cells and those only the database reveals, or WorkbookUnreadable."""
    try:
        parsed = read_workbook(path)
    except WorkbookRejected as rejected:
        raise with_database_checks(db, rejected) from None
    return parsed, checked_plan(db, parsed)


def checked_plan(db: Database, parsed: ParsedWorkbook) -> ImportPlan:
    """`plan_import`, raising WorkbookRejected when the database reveals problems."""
    plan = plan_import(db, parsed)
    if plan.problems:
        raise WorkbookRejected(plan.problems, f"The workbook {parsed.path.name}", parsed)
    return plan


def with_database_checks(db: Database | None, rejected: WorkbookRejected) -> WorkbookRejected:
    """The rejection of a workbook with bad cells, with the "Escalated from" and action Case
    problems added (checked against `db`, or against the workbook alone when there is no
    database yet), so that the officer sees every problem at once."""
    if rejected.parsed is None:
        return rejected
    if db is None:
        problems = [*escalation_problems(rejected.parsed, {}),
                    *case_problems(rejected.parsed, set())]
    else:
        with db.session() as session:
            work = _ImportWork(session, rejected.parsed, checks_only=True)
            session.rollback()
        problems = work.problems
    if not problems:
        return rejected
    return WorkbookRejected(_sorted([*rejected.problems, *problems]), rejected.source,
                            rejected.parsed)


def apply_import(
    db: Database, parsed: ParsedWorkbook, progress: Progress | None = None
) -> ImportResult:
    """Import `parsed` in one transaction; on any problem raise WorkbookRejected (no writes)."""
    with collector_paused(), db.transaction() as session:
        work = _ImportWork(session, parsed)
        if work.problems:
            raise WorkbookRejected(work.problems, f"The workbook {parsed.path.name}")
        with bulk_writes(session):
            work.write(progress)
    return ImportResult(work.counts, work.teams.added, work.root_causes.added,
                        list(parsed.hidden_sheets))


@dataclass
class _KindWork:
    """The rows of one sheet to insert and to update."""

    # New records, turned into rows only as they are written (a batch at a time), so that a
    # large import holds each record once, not also as a row and an audit event.
    new_records: list[RecordData] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    # (stored values with id, new values) of each changed record.
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


class _ImportWork:
    """Compares every workbook row with its stored row and prepares the bulk statements; the
    records' rows and audit events are made and written by `store.record_rows`, as the forms'
    are."""

    def __init__(self, session: Session, parsed: ParsedWorkbook, *, checks_only: bool = False
                 ) -> None:
        """Compare and check everything; with `checks_only` (a workbook already rejected for
        bad cells) only make the checks that need the database."""
        self.session = session
        self.parsed = parsed
        self.problems: list[CellProblem] = []
        self.counts: dict[str, SheetCounts] = {}
        self.work: dict[str, _KindWork] = {}
        calendar = lists.working_calendar(session)
        # A table of working days answers many due dates fast but takes a moment to list.
        many = parsed.row_count > _FEW_ROWS
        self.rows = RecordRows(session, due=DueDateTable(calendar).due if many
                               else calendar.response_due, trimmed=True)
        self.teams = self.rows.teams
        self.root_causes = self.rows.root_causes
        self.now = self.rows.now
        for layout in ALL_SHEETS:
            if layout.name in parsed.sheets:
                self.counts[layout.name] = SheetCounts()
                self.work[layout.name] = _KindWork()
        self.problems.extend(case_problems(
            parsed, stored_cases(session, named_cases(parsed))))
        if checks_only:
            self.problems.extend(escalation_problems(parsed, self._stored(Kind.COMPLAINT)))
            self.problems = _sorted(self.problems)
            return
        for kind in RECORD_SHEETS:
            if kind in parsed.records:
                self._compare_records(kind, parsed.records[kind])
        for layout in YEAR_SHEETS:
            if layout.name in parsed.sheets:
                self._compare_year_rows(layout)
        if BASELINE_BY_TEAM in parsed.sheets:
            self._compare_team_counts()
        self.problems = _sorted(self.problems)

    # -- records -------------------------------------------------------------------------

    def _stored(self, kind: Kind) -> dict[str, dict[str, Any]]:
        """The stored rows of a kind that the workbook can touch, by reference, as comparable
        column values (with id): those of its references and, for complaints, those its
        "Escalated from" cells name and those escalating from its references. Looked up by
        reference, so the work follows the workbook, not the size of the database."""
        rows = self.parsed.records.get(kind, [])
        wanted = {row.record.reference for row in rows}
        if kind is Kind.COMPLAINT:
            sources = {row.record.escalated_from.strip()  # type: ignore[union-attr]
                       for row in rows}
            stored = stored_rows(self.session, kind, wanted, escalating=True)
            stored.update(stored_rows(self.session, kind, sources - set(stored) - {""}))
            return stored
        return stored_rows(self.session, kind, wanted)

    def _compare_records(self, kind: Kind, rows: list[ParsedRecord]) -> None:
        stored = self._stored(kind)
        sheet = self.parsed.sheets[kind.value]
        counts, work = self.counts[kind.value], self.work[kind.value]
        keep = [name for name in spec(kind).optional_columns if name not in sheet.present]
        if kind is Kind.COMPLAINT:
            self.problems.extend(escalation_problems(self.parsed, stored))
        note_names, values_of = self.rows.note_names, self.rows.values
        for parsed_row in rows:
            record = parsed_row.record
            existing = stored.get(record.reference)
            if existing is None:
                note_names(record)  # new team and root cause names are counted in the plan
                work.new_records.append(record)
                counts.created += 1
                continue
            if keep:
                record = self._keep_stored(kind, parsed_row, existing, keep)
            values = values_of(record)
            before = dict(existing)
            del before["id"]
            if values == before:
                counts.unchanged += 1
            else:
                work.changed.append((existing, values))
                counts.updated += 1

    def _keep_stored(
        self, kind: Kind, parsed_row: ParsedRecord, existing: dict[str, Any], keep: list[str]
    ) -> RecordData:
        """The workbook's record with the stored values of the fields its sheet leaves out.

        What the two together break and the workbook's row alone does not (a stored Panel held
        after the sheet's Panel report received) is named at the cell concerned: a kept field
        by its stored value, a present one by the workbook's value, saying which value was kept.
        """
        record = replace(parsed_row.record, **{name: existing[name] for name in keep})
        errors = validate(record)
        if not errors:
            return record
        already = set(validate(parsed_row.record))  # the reader has named these
        sheet_name = parsed_row.sheet or self.parsed.sheets[kind.value].name
        for error in errors:
            if error in already:
                continue
            label = FIELD_LABELS[error.field]
            if error.field in keep:
                self.problems.append(CellProblem(
                    sheet_name, parsed_row.row, label, shown(existing[error.field]),
                    f"{error.message} (the stored {label} is kept because the sheet has no "
                    f"{label} column)"))
                continue
            causes = [FIELD_LABELS[name] for name in _causes(error, record, parsed_row.record,
                                                             keep)]
            verb = "is" if len(causes) == 1 else "are"
            note = (f" (the stored {' and '.join(causes)} {verb} kept because the sheet has no "
                    f"such column)") if causes else ""
            self.problems.append(CellProblem(
                sheet_name, parsed_row.row, label, shown(getattr(record, error.field)),
                error.message + note))
        return record

    def _problem(self, layout_name: str, row: int, column: str, value: str, message: str) -> None:
        """Record a problem under the sheet's name as the workbook spells it."""
        sheet_name = self.parsed.sheets[layout_name].name
        self.problems.append(CellProblem(sheet_name, row, column, value, message))

    # -- baseline figures and the Ombudsman's letters ----------------------------------------

    def _compare_year_rows(self, layout: SheetLayout) -> None:
        """A sheet of one row per year: a year not stored is created; a stored one gets the
        figures of the columns present (an absent column leaves its figure as stored)."""
        model = _TABLE_OF_SHEET[layout.name]
        names = [c.field for c in layout.columns if c.field != "year"]
        money = {c.field for c in layout.columns if c.cell is CellType.MONEY}
        stored = {
            row["year"]: dict(row)
            for row in self.session.execute(
                select(model.c.year, *(model.c[n] for n in names))
            ).mappings()
        }
        counts, work = self.counts[layout.name], self.work[layout.name]
        for parsed_row in self.parsed.year_rows(layout):
            given = {
                name: pounds_to_pence(value) if name in money else value  # type: ignore[arg-type]
                for name, value in parsed_row.figures.items()
            }
            existing = stored.get(parsed_row.year)
            if existing is None:
                work.inserts.append({"year": parsed_row.year, **given,
                                     "created_at": self.now, "updated_at": self.now})
                counts.created += 1
            elif all(existing[name] == value for name, value in given.items()):
                counts.unchanged += 1
            else:
                work.updates.append({**existing, **given, "updated_at": self.now})
                counts.updated += 1

    def _compare_team_counts(self) -> None:
        stored = {
            (year, table, team_id): (row_id, count)  # unpacked: `row.count` is tuple.count
            for row_id, year, table, team_id, count in self.session.execute(
                select(BaselineTeamCount.id, BaselineTeamCount.year, BaselineTeamCount.table,
                       BaselineTeamCount.team_id, BaselineTeamCount.count)
            )
        }
        counts, work = self.counts[BASELINE_BY_TEAM], self.work[BASELINE_BY_TEAM]
        for parsed_row in self.parsed.team_counts:
            team_id = self.teams.id_of(parsed_row.team)
            existing = stored.get((parsed_row.year, parsed_row.table, team_id))
            if existing is None:
                work.inserts.append({
                    "year": parsed_row.year, "table": parsed_row.table, "team_id": team_id,
                    "count": parsed_row.count, "created_at": self.now, "updated_at": self.now,
                })
                counts.created += 1
            elif existing[1] == parsed_row.count:
                counts.unchanged += 1
            else:
                work.updates.append({"id": existing[0], "count": parsed_row.count,
                                     "updated_at": self.now})
                counts.updated += 1

    # -- writing ---------------------------------------------------------------------------

    def write(self, progress: Progress | None) -> None:
        """Run the prepared statements in the caller's transaction."""
        total = self.parsed.row_count
        done = 0

        def advance(rows: int) -> None:
            nonlocal done
            done += rows
            if progress is not None:
                progress(min(done, total), total)

        advance(sum(c.unchanged for c in self.counts.values()))
        self.rows.insert_names(self.session)
        for name, work in self.work.items():
            kind = next((kind for kind in RECORD_SHEETS if kind.value == name), None)
            if kind is not None:
                self.rows.write(self.session, kind, work.new_records, work.changed, advance)
                continue
            table = _TABLE_OF_SHEET[name]
            for values in (*work.inserts, *work.updates):
                if "team_id" in values:
                    values["team_id"] = self.teams.real(values["team_id"])
            for chunk in chunks(work.inserts, BATCH):
                self.session.execute(table.insert(), chunk)
                advance(len(chunk))
            update_by_id(self.session, table, work.updates, advance)


def _causes(error: FieldError, merged: RecordData, given: RecordData, keep: list[str]
            ) -> list[str]:
    """The fewest kept fields whose stored values make `error` (absent with the workbook's
    values alone): dropped one by one from all of them while the error still goes away."""
    causes = [name for name in keep if getattr(merged, name) not in (None, "")]
    for name in list(causes):
        rest = [other for other in causes if other != name]
        if error not in validate(replace(merged, **{n: getattr(given, n) for n in rest})):
            causes = rest
    return causes


def _sorted(problems: list[CellProblem]) -> list[CellProblem]:
    """Sheet by sheet in the workbook's order of kinds, row by row (stable within a row)."""
    order = {layout.key: number for number, layout in enumerate(ALL_SHEETS)}

    def place(problem: CellProblem) -> tuple[int, int, int]:
        key, part = continued_key(problem.sheet)
        number = order.get(header_key(problem.sheet), order.get(key, 99))
        return number, part, problem.row or 0

    return sorted(problems, key=place)


_TABLE_OF_SHEET: dict[str, Any] = {
    BASELINE_FIGURES: BaselineYear.__table__,
    BASELINE_BY_TEAM: BaselineTeamCount.__table__,
    OMBUDSMAN_LETTERS: OmbudsmanLetter.__table__,
}
