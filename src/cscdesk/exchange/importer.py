"""Writing a read workbook into the database: all or nothing, idempotent by reference.

- `plan_import(db, parsed) -> ImportPlan`: what an import would do (per sheet: created,
  updated, unchanged; teams and root causes to add) and the problems only the database can
  reveal (an "Escalated from" naming no Stage N-1 complaint). Writes nothing.
- `check_workbook(db, path) -> (ParsedWorkbook, ImportPlan)`: read and plan in one call, raising
  WorkbookRejected with every problem at once (bad cells and database checks together).
- `apply_import(db, parsed, progress=None) -> ImportResult`: the same checks, then every write in
  ONE transaction; raises `WorkbookRejected` (nothing written) if any check fails. `progress`
  is called with (rows done, rows in all) as the work goes on.

Both open their own session, so the desktop app may call them off the GUI thread. Rows are
written with bulk INSERT/UPDATE statements; a row whose values are all the same as stored is
not touched at all (its updated_at stays), which makes a second import of a workbook a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.orm import Session, aliased

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import DATA_CLASS, ComplaintData, Kind, RecordData
from cscdesk.domain.validation import validate
from cscdesk.exchange.duedates import DueDateTable
from cscdesk.exchange.escalation import escalation_problems
from cscdesk.exchange.layout import (
    ALL_SHEETS,
    BASELINE_BY_TEAM,
    BASELINE_FIGURES,
    BASELINE_FIGURES_SHEET,
    RECORD_SHEETS,
    CellType,
    continued_key,
    header_key,
)
from cscdesk.exchange.problems import CellProblem, WorkbookRejected, brief, shown
from cscdesk.exchange.reader import ParsedRecord, ParsedWorkbook, read_workbook
from cscdesk.store import audit, lists
from cscdesk.store.engine import Database
from cscdesk.store.models import (
    BaselineTeamCount,
    BaselineYear,
    Complaint,
    RootCause,
    Team,
    utc_now,
)
from cscdesk.store.records import MODEL_OF, pence_to_pounds, pounds_to_pence

Progress = Callable[[int, int], None]

# Complaint fields that rules.md does not list: a workbook without their columns keeps the
# stored values instead of clearing them.
KEEP_WHEN_ABSENT = ("complainant_type", "acknowledged", "notes")
BATCH = 5000


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
    with db.session() as session:
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
    """The rejection of a workbook with bad cells, with the "Escalated from" problems added
    (checked against `db`, or against the workbook alone when there is no database yet), so
    that the officer sees every problem at once."""
    if rejected.parsed is None:
        return rejected
    if db is None:
        problems = escalation_problems(rejected.parsed, {})
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
    with db.transaction() as session:
        work = _ImportWork(session, parsed)
        if work.problems:
            raise WorkbookRejected(work.problems, f"The workbook {parsed.path.name}")
        work.write(progress)
    return ImportResult(work.counts, work.teams.added, work.root_causes.added,
                        list(parsed.hidden_sheets))


class _NameList:
    """A pick list (teams or root causes) resolved once: names match ignoring case; a name not
    yet known gets a placeholder id until it is inserted."""

    def __init__(self, session: Session, model: type[Team] | type[RootCause]) -> None:
        self.model = model
        self.names: dict[int, str] = dict(session.execute(select(model.id, model.name)).all())
        self.ids: dict[str, int] = {
            name.strip().lower(): entry_id for entry_id, name in self.names.items()
        }
        self.added: list[str] = []

    def id_of(self, name: str) -> int:
        key = name.strip().lower()
        found = self.ids.get(key)
        if found is None:
            self.added.append(name.strip())
            found = self.ids[key] = -len(self.added)
            self.names[found] = name.strip()
        return found

    def insert_added(self, session: Session) -> dict[int, int]:
        """Insert the new names; returns placeholder id -> real id."""
        if not self.added:
            return {}
        now = utc_now()
        session.execute(insert(self.model), [
            {"name": name, "retired": False, "created_at": now, "updated_at": now}
            for name in self.added
        ])
        real = dict(session.execute(
            select(self.model.name, self.model.id).where(self.model.name.in_(self.added))
        ).all())
        mapping = {-(number + 1): real[name] for number, name in enumerate(self.added)}
        for key, placeholder in list(self.ids.items()):
            if placeholder < 0:
                self.ids[key] = mapping[placeholder]
        for placeholder, real_id in mapping.items():
            self.names[real_id] = self.names[placeholder]
        return mapping


@dataclass
class _KindWork:
    """The rows of one sheet to insert and to update."""

    # New records, turned into rows only as they are written (a batch at a time), so that a
    # large import holds each record once, not also as a row and an audit event.
    new_records: list[RecordData] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    # Stored values of each updated record, for the audit trail (same order as `updates`).
    before: list[dict[str, Any]] = field(default_factory=list)


class _ImportWork:
    """Compares every workbook row with its stored row and prepares the bulk statements."""

    def __init__(self, session: Session, parsed: ParsedWorkbook, *, checks_only: bool = False
                 ) -> None:
        """Compare and check everything; with `checks_only` (a workbook already rejected for
        bad cells) only make the checks that need the database."""
        self.session = session
        self.parsed = parsed
        self.problems: list[CellProblem] = []
        self.counts: dict[str, SheetCounts] = {}
        self.work: dict[str, _KindWork] = {}
        self.teams = _NameList(session, Team)
        self.root_causes = _NameList(session, RootCause)
        self.due_dates = DueDateTable(lists.working_calendar(session))
        self.now = utc_now()
        self.user = audit.current_user()
        for layout in ALL_SHEETS:
            if layout.name in parsed.sheets:
                self.counts[layout.name] = SheetCounts()
                self.work[layout.name] = _KindWork()
        if checks_only:
            self.problems.extend(escalation_problems(parsed, self._stored(Kind.COMPLAINT)))
            self.problems = _sorted(self.problems)
            return
        for kind in RECORD_SHEETS:
            if kind in parsed.records:
                self._compare_records(kind, parsed.records[kind])
        if BASELINE_FIGURES in parsed.sheets:
            self._compare_baseline_years()
        if BASELINE_BY_TEAM in parsed.sheets:
            self._compare_team_counts()
        self.problems = _sorted(self.problems)

    # -- records -------------------------------------------------------------------------

    def _values(self, record: RecordData) -> dict[str, Any]:
        """The stored columns of a record (see `stored_columns`)."""
        values: dict[str, Any] = dict(record.__dict__)
        values["team_id"] = self.teams.id_of(values.pop("team"))
        if isinstance(record, ComplaintData):
            cause = values.pop("root_cause")
            values["root_cause_id"] = self.root_causes.id_of(cause) if cause else None
            values["adr_saving_pence"] = pounds_to_pence(values.pop("adr_saving"))
            assert record.received is not None and record.stage is not None
            values["due"] = self.due_dates.due(record.received, record.stage, record.extended)
        return values

    def _stored(self, kind: Kind) -> dict[str, dict[str, Any]]:
        """The stored rows of a kind that the workbook can touch, by reference, as comparable
        column values (with id): those of its references and, for complaints, those its
        "Escalated from" cells name and those escalating from its references. Looked up by
        reference, so the work follows the workbook, not the size of the database."""
        model = MODEL_OF[kind]
        names = [name for name in stored_columns(kind) if name != "escalated_from"]
        query: Select[Any] = select(model.id, *(getattr(model, name) for name in names))
        if kind is Kind.COMPLAINT:
            parent = aliased(Complaint)
            query = query.add_columns(parent.reference.label("escalated_from")).outerjoin(
                parent, Complaint.escalated_from_id == parent.id
            )
        rows = self.parsed.records.get(kind, [])
        wanted = {row.record.reference for row in rows}
        if kind is Kind.COMPLAINT:
            wanted.update(row.record.escalated_from.strip() for row in rows  # type: ignore[union-attr]
                          if row.record.escalated_from.strip())  # type: ignore[union-attr]
        stored: dict[str, dict[str, Any]] = {}

        def load(condition: Any) -> None:
            for row in self.session.execute(query.where(condition)).mappings():
                values = dict(row)
                if kind is Kind.COMPLAINT and values["escalated_from"] is None:
                    values["escalated_from"] = ""
                stored[values["reference"]] = values

        for chunk in _chunks(sorted(wanted), 900):
            load(model.reference.in_(chunk))
        if kind is Kind.COMPLAINT:
            parents = [values["id"] for reference, values in stored.items()
                       if reference in wanted]
            for chunk in _chunks(parents, 900):
                load(Complaint.escalated_from_id.in_(chunk))
        return stored

    def _compare_records(self, kind: Kind, rows: list[ParsedRecord]) -> None:
        stored = self._stored(kind)
        sheet = self.parsed.sheets[kind.value]
        counts, work = self.counts[kind.value], self.work[kind.value]
        keep = [name for name in KEEP_WHEN_ABSENT
                if kind is Kind.COMPLAINT and name not in sheet.present]
        if kind is Kind.COMPLAINT:
            self.problems.extend(escalation_problems(self.parsed, stored))
        for parsed_row in rows:
            record = parsed_row.record
            existing = stored.get(record.reference)
            if existing is not None and keep:
                record = self._keep_stored(parsed_row, existing, keep)
            if existing is None:
                self._values(record)  # new team and root cause names are noted here
                work.new_records.append(record)
                counts.created += 1
                continue
            values = self._values(record)
            row_id = existing.pop("id")
            if values == existing:
                counts.unchanged += 1
            else:
                work.before.append(existing)
                values["id"] = row_id
                values["updated_at"] = self.now
                work.updates.append(values)
                counts.updated += 1

    def _keep_stored(
        self, parsed_row: ParsedRecord, existing: dict[str, Any], keep: list[str]
    ) -> RecordData:
        """The workbook's record with the stored values of the fields its sheet leaves out."""
        record = replace(parsed_row.record, **{name: existing[name] for name in keep})
        for error in validate(record):
            if error.field in keep:
                label = FIELD_LABELS[error.field]
                sheet_name = parsed_row.sheet or self.parsed.sheets[Kind.COMPLAINT.value].name
                self.problems.append(CellProblem(
                    sheet_name, parsed_row.row, label, shown(existing[error.field]),
                    f"{error.message} (the stored {label} is kept because the sheet has no "
                    f"{label} column)"))
        return record

    def _problem(self, layout_name: str, row: int, column: str, value: str, message: str) -> None:
        """Record a problem under the sheet's name as the workbook spells it."""
        sheet_name = self.parsed.sheets[layout_name].name
        self.problems.append(CellProblem(sheet_name, row, column, value, message))

    # -- baseline figures ------------------------------------------------------------------

    def _compare_baseline_years(self) -> None:
        names = [c.field for c in BASELINE_FIGURES_SHEET.columns if c.field != "year"]
        money = {c.field for c in BASELINE_FIGURES_SHEET.columns if c.cell is CellType.MONEY}
        stored = {
            row["year"]: dict(row)
            for row in self.session.execute(
                select(BaselineYear.year, *(getattr(BaselineYear, n) for n in names))
            ).mappings()
        }
        counts, work = self.counts[BASELINE_FIGURES], self.work[BASELINE_FIGURES]
        for parsed_row in self.parsed.baseline_years:
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
            (row.year, row.table, row.team_id): (row.id, row.count)
            for row in self.session.execute(
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
        team_ids = self.teams.insert_added(self.session)
        cause_ids = self.root_causes.insert_added(self.session)
        for name, work in self.work.items():
            for values in (*work.inserts, *work.updates):
                if values.get("team_id", 0) < 0:
                    values["team_id"] = team_ids[values["team_id"]]
                if (values.get("root_cause_id") or 0) < 0:
                    values["root_cause_id"] = cause_ids[values["root_cause_id"]]
            model = _MODEL_OF_SHEET[name]
            kind = next((kind for kind in RECORD_SHEETS if kind.value == name), None)
            if kind is None:
                self._insert(model, work.inserts, advance)
                self._update(model, work.updates, advance)
                continue
            links: list[tuple[str, str]] = []  # (new complaint, the one it escalates from)
            for batch in _batches(work.new_records, BATCH):
                rows = [self._new_row(record) for record in batch]
                audit.log_many(self.session, [self._created_event(kind, row) for row in rows])
                if model is Complaint:
                    for row in rows:
                        source = row.pop("escalated_from")
                        if source:
                            links.append((row["reference"], source))
                        row["escalated_from_id"] = None
                self._insert(model, rows, advance)
            for batch in _batches(zip(work.before, work.updates, strict=True), BATCH):
                audit.log_many(self.session, [
                    event for before, values in batch
                    if (event := self._updated_event(kind, before, values)) is not None])
            if model is Complaint:
                self._link_complaints(work, links)
            self._update(model, work.updates, advance)

    def _new_row(self, record: RecordData) -> dict[str, Any]:
        values = self._values(record)
        values["created_at"] = values["updated_at"] = self.now
        return values

    def _created_event(self, kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
        """The audit event of a created record, in the form `store.audit.differences` gives:
        {label: [old, new]}, blanks as None."""
        after = self._audit_fields(kind, values)
        changes = {label: [None, new] for label, new in after.items() if new is not None}
        return audit.event_values(audit.CREATE, kind.value, values["reference"], changes,
                                  self.user)

    def _updated_event(self, kind: Kind, before_values: dict[str, Any],
                       values: dict[str, Any]) -> dict[str, Any] | None:
        """The audit event of a changed record; None when only the computed due date moved
        (the calendar changed)."""
        before = self._audit_fields(kind, before_values)
        after = self._audit_fields(kind, values)
        changes = {label: [before[label], new] for label, new in after.items()
                   if before[label] != new}
        if not changes:
            return None
        return audit.event_values(audit.UPDATE, kind.value, values["reference"], changes,
                                  self.user)

    def _audit_fields(self, kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
        """A record's fields by label, as the audit trail records them (names for ids,
        pounds for pence, plain JSON values, blank as None)."""
        result: dict[str, Any] = {}
        for name, label in _AUDIT_FIELDS[kind]:
            if name == "team":
                value: Any = self.teams.names[values["team_id"]]
            elif name == "root_cause":
                cause = values["root_cause_id"]
                value = None if cause is None else self.root_causes.names[cause]
            elif name == "adr_saving":
                value = pence_to_pounds(values["adr_saving_pence"])
            else:
                value = values[name]
            value = audit.plain(value)
            result[label] = None if value == "" else value
        return result

    def _link_complaints(self, work: _KindWork, links: list[tuple[str, str]]) -> None:
        """Escalation links by id, once every new complaint has one: those of the new
        complaints are set here, those of the updated ones in their rows (written next)."""
        for values in work.updates:
            values["escalated_from_id"] = values.pop("escalated_from") or None
        wanted = {source for _reference, source in links}
        wanted.update(values["escalated_from_id"] for values in work.updates
                      if values["escalated_from_id"])
        wanted.update(reference for reference, _source in links)
        ids: dict[str, int] = {}
        for chunk in _chunks(sorted(wanted), 900):
            ids.update(self.session.execute(
                select(Complaint.reference, Complaint.id).where(Complaint.reference.in_(chunk))
            ).all())
        for values in work.updates:
            if values["escalated_from_id"]:
                values["escalated_from_id"] = ids[values["escalated_from_id"]]
        self._update(Complaint, [{"id": ids[reference], "escalated_from_id": ids[source]}
                                 for reference, source in links], lambda _rows: None)

    def _insert(self, model: type, rows: list[dict[str, Any]],
                advance: Callable[[int], None]) -> None:
        """Core executemany INSERT: every row has the same keys, so one statement a batch."""
        table = model.__table__  # type: ignore[attr-defined]
        for chunk in _chunks(rows, BATCH):
            if chunk:
                self.session.execute(table.insert(), chunk)
                advance(len(chunk))

    def _update(self, model: type, rows: list[dict[str, Any]],
                advance: Callable[[int], None]) -> None:
        """Core executemany UPDATE by primary key; the SET list is the rows' other keys."""
        table = model.__table__  # type: ignore[attr-defined]
        key = next(iter(table.primary_key.columns)).name
        statement = table.update().where(table.c[key] == bindparam("_key"))
        for chunk in _chunks(rows, BATCH):
            renamed = [{("_key" if name == key else name): value for name, value in row.items()}
                       for row in chunk]
            self.session.execute(statement, renamed)
            advance(len(chunk))


def _sorted(problems: list[CellProblem]) -> list[CellProblem]:
    """Sheet by sheet in the workbook's order of kinds, row by row (stable within a row)."""
    order = {layout.key: number for number, layout in enumerate(ALL_SHEETS)}

    def place(problem: CellProblem) -> tuple[int, int, int]:
        key, part = continued_key(problem.sheet)
        number = order.get(header_key(problem.sheet), order.get(key, 99))
        return number, part, problem.row or 0

    return sorted(problems, key=place)


def stored_columns(kind: Kind) -> list[str]:
    """The row values a record of this kind sets: its fields, with names resolved to ids,
    pounds to pence, and (for complaints) the due date; "escalated_from" stays a reference."""
    renamed = {"team": "team_id", "root_cause": "root_cause_id", "adr_saving": "adr_saving_pence"}
    names = [renamed.get(item.name, item.name) for item in fields(DATA_CLASS[kind])]
    return [*names, "due"] if kind is Kind.COMPLAINT else names


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _batches(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


_AUDIT_FIELDS: dict[Kind, list[tuple[str, str]]] = {
    kind: [(item.name, FIELD_LABELS.get(item.name, item.name)) for item in fields(DATA_CLASS[kind])]
    for kind in RECORD_SHEETS
}

_MODEL_OF_SHEET: dict[str, type] = {
    **{kind.value: MODEL_OF[kind] for kind in RECORD_SHEETS},
    BASELINE_FIGURES: BaselineYear,
    BASELINE_BY_TEAM: BaselineTeamCount,
}
