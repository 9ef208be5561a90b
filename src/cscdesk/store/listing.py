"""The SQL behind the app's lists and dashboard: paging, sorting, search, filters and counts.

No Qt here: the UI hands in a `ListQuery` and gets plain `ListRow`s and `Counts` back. Sorting,
searching and counting all happen in SQL, so a list of 100,000 records costs one page of rows.

What "open" and "overdue" mean comes from each kind's description (`domain.kind_spec`): open
while its `open_until` date is empty (compliments are neither open nor closed); overdue, for a
kind whose response has a due date (complaints), when open, not yet responded to, and due
before today; an action is overdue when it is not done and was due before today.

The dashboard's "due soon" and "overdue" lists say what is due: a Stage 1 or 2 complaint's
response (by its due date, in SQL), or a Stage 3 complaint's next step (the panel, the panel's
report or the response, by `domain.steps.next_clock`, worked out in Python for the few open
Stage 3 complaints awaiting their response).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, SQLColumnExpression

from cscdesk.domain.kind_spec import SPECS, FieldType, KindSpec, spec
from cscdesk.domain.kinds import ActionKind, ComplaintData, EnquirySource, Kind
from cscdesk.domain.years import ReportingYear
from cscdesk.store.list_terms import (  # also read as listing.Status etc.
    NOUNS,
    Status,
    closed_word,
    has_overdue,
    has_status,
)
from cscdesk.store.lists import name_order
from cscdesk.store.models import (
    MODEL_OF,
    SEARCH_TABLE_OF,
    Action,
    Complaint,
    RootCause,
    Team,
)

if TYPE_CHECKING:  # the holiday tables are slow to import; the caller brings a calendar
    from cscdesk.domain.workdays import WorkingCalendar

# A search with fewer matches than this is sorted after filtering rather than by walking an
# index in order (walking an index for a rare match reads the whole table in index order).
_SMALL_RESULT = 1000
ONE_PASS_LIMIT = _SMALL_RESULT  # see search_matches


@dataclass(frozen=True)
class Column:
    """One column of a list: its key, its heading and the SQL it shows and sorts by."""

    key: str
    label: str
    kind_of_value: str = "text"  # "text", "date", "number"


@dataclass(frozen=True)
class ListQuery:
    """What the officer asked to see: filters, search and order."""

    kind: Kind
    search: str = ""
    year: ReportingYear | None = None
    status: Status = Status.ALL
    team_id: int | None = None
    stage: int | None = None
    source: EnquirySource | None = None
    action_kind: ActionKind | None = None
    sort_key: str = "placed"
    descending: bool = True
    today: date = field(default_factory=date.today)

    def with_changes(self, **changes: Any) -> ListQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class ListRow:
    """One row as the list shows it; `values` follow `columns(kind)`."""

    reference: str
    values: tuple[Any, ...]
    open: bool
    overdue: bool


@dataclass(frozen=True)
class Counts:
    total: int
    open: int
    overdue: int

    def text(self, kind: Kind) -> str:
        """"312 complaints, 14 open, 3 overdue" (only the parts that apply to the kind)."""
        singular, plural = NOUNS[kind]
        parts = [f"{self.total:,} {singular if self.total == 1 else plural}"]
        if has_status(kind):
            parts.append(f"{self.open:,} open")
        if has_overdue(kind):
            parts.append(f"{self.overdue:,} overdue")
        return ", ".join(parts)


# Columns worked out rather than typed in; every other column is a field of the kind.
_WORKED_OUT = {"status": Column("status", "Status"), "due": Column("due", "Due", "date")}
_VALUE_KIND = {FieldType.DATE: "date", FieldType.STAGE: "number"}


def _column(kind_spec: KindSpec, name: str) -> Column:
    if name in _WORKED_OUT:
        return _WORKED_OUT[name]
    field = kind_spec.field(name)
    key = "placed" if name == kind_spec.placed_by else name
    return Column(key, field.label, _VALUE_KIND.get(field.type, "text"))


_COLUMNS: dict[Kind, tuple[Column, ...]] = {
    kind: tuple(_column(kind_spec, name) for name in kind_spec.list_columns)
    for kind, kind_spec in SPECS.items()
}


# Legal hold is shown in every list, so nobody misses it.
_HOLD = Column("hold", "Legal hold")


def columns(kind: Kind) -> tuple[Column, ...]:
    return (*_COLUMNS[kind], _HOLD)


def placed_column(kind: Kind) -> Any:
    """The date that places a record in a reporting year."""
    return getattr(MODEL_OF[kind], spec(kind).placed_by)


def _open_condition(kind: Kind) -> ColumnElement[bool]:
    open_until = spec(kind).open_until
    if open_until is None:
        return false()
    column: ColumnElement[Any] = getattr(MODEL_OF[kind], open_until)
    return column.is_(None)


def _overdue_condition(kind: Kind, today: date) -> ColumnElement[bool]:
    """Open, not yet responded to, and due before today (the response is what `due` is for)."""
    if not spec(kind).overdue_after_due:
        return false()
    model = MODEL_OF[kind]
    if not spec(kind).has_field("responded"):  # an action: due until it is done
        return and_(_open_condition(kind), model.due < today)
    return and_(_open_condition(kind), model.responded.is_(None), model.due < today)


def _status_text(kind: Kind, today: date) -> ColumnElement[str]:
    if not has_status(kind):
        return literal("")
    whens = []
    if has_overdue(kind):
        whens.append((_overdue_condition(kind, today), "Overdue"))
    whens.append((_open_condition(kind), "Open"))
    return case(*whens, else_=closed_word(kind))


def _expressions(kind: Kind, today: date) -> dict[str, SQLColumnExpression[Any]]:
    model = MODEL_OF[kind]
    found: dict[str, SQLColumnExpression[Any]] = {
        "reference": model.reference,
        "placed": placed_column(kind),
        "team": Team.name,
        "status": _status_text(kind, today),
        "hold": case((model.legal_hold.is_(True), "Legal hold"), else_=""),
    }
    for key in spec(kind).list_columns:
        if key not in found and hasattr(model, key):
            found[key] = getattr(model, key)
    return found


def on_server(session: Session) -> bool:
    """True for a PostgreSQL database: its LIKE is case-sensitive (ILIKE folds case, as
    SQLite's LIKE does), and its NULLs sort last unless told otherwise."""
    return session.get_bind().dialect.name == "postgresql"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _server_teams(session: Session, query: ListQuery) -> list[list[int]] | None:
    """On a server (PostgreSQL): for each word of the search, the ids of the teams whose name
    holds it, asked of the small team table once; None on SQLite (see `_word_conditions`)."""
    if not on_server(session):
        return None
    words = query.search.split()
    if not words:
        return []
    found = session.execute(select(*(
        func.array_agg(Team.id).filter(_server_match(Team.name, word)) for word in words))).one()
    return [sorted(ids or ()) for ids in found]


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _server_match(words: Any, word: str) -> ColumnElement[bool]:
    """On a server: `words` (a column) holds `word`, A-Z in any case (as SQLite's LIKE).

    A word of ASCII with at most one letter in it (a first keystroke, "c-0123") is matched as
    the one or two spellings LIKE (case-sensitive) can find ("%c-0123%" or "%C-0123%"): LIKE
    needs no lowered copy of each row's text, so it checks a row in about half the time of
    ILIKE, which matters when every row is read (a word of one or two characters has no
    trigram for the index). Other words are matched with ILIKE.
    """
    if not word.isascii():
        # ILIKE would fold accented letters too where the server's locale knows them (a
        # UTF-8 server: "zoë" would find "ZOË"), which a file does not: A-Z in any case, every
        # other character as typed, in a regular expression (served by the trigram index)
        return words.regexp_match(_ascii_folding_pattern(word))
    letters = [char for char in word if char in _ASCII_LETTERS]
    if len(letters) > 1:
        return words.ilike(f"%{_escape_like(word)}%", escape="\\")
    spellings = dict.fromkeys((word.lower(), word.upper()))  # the same when no letter
    return or_(*(words.like(f"%{_escape_like(spelling)}%", escape="\\")
                 for spelling in spellings))


def _ascii_folding_pattern(word: str) -> str:
    """A POSIX regular expression finding `word` with A-Z in either case and any other
    character only as it is (SQLite's LIKE)."""
    parts = []
    for char in word:
        if char in _ASCII_LETTERS:
            parts.append(f"[{char.lower()}{char.upper()}]")
        elif char.isalnum() or not char.isascii():
            parts.append(char)
        else:
            parts.append("\\" + char)  # a regular expression's own characters, as typed
    return "".join(parts)


def _word_conditions(query: ListQuery, teams: Sequence[Sequence[int]] | None = None
                     ) -> list[ColumnElement[bool]]:
    """Every word must appear in one of: reference, team, complainant/enquirer, summary.

    The words are read from the kind's narrow search table (reference, complainant or enquirer
    and summary in one column, kept by triggers), a third of the reading of the record table.
    `teams`, on a server (PostgreSQL), are `_server_teams`: the match is then `_server_match`
    (ILIKE or LIKE, served by the search table's trigram index), or-ed with the matching
    teams' ids written in as numbers, so the planner knows how few rows a word matches (a
    subquery there made it guess a quarter of the table, and walk the whole table in id order
    for a rare word).
    """
    searched = SEARCH_TABLE_OF[query.kind]
    conditions = []
    # str.split splits at char(31): no word spans columns
    for number, word in enumerate(query.search.split()):
        pattern = f"%{_escape_like(word)}%"
        if teams is not None:
            found = _server_match(searched.c.words, word)
            team_ids = teams[number]
            conditions.append(or_(found, searched.c.team_id.in_(team_ids)) if team_ids
                              else found)
            continue
        # Team names are matched in the small team table once, not joined row by row.
        named = select(Team.id).where(Team.name.like(pattern, escape="\\")).scalar_subquery()
        conditions.append(or_(searched.c.words.like(pattern, escape="\\"),
                              searched.c.team_id.in_(named)))
    return conditions


def _search_condition(query: ListQuery, *, walking: bool,
                      teams: Sequence[Sequence[int]] | None = None
                      ) -> ColumnElement[bool] | None:
    """The search as a condition on the record table. `walking`: the caller walks an index
    in order and stops at a page, so each record is checked as it comes (a common word finds
    a page at once); otherwise every match is listed first, in one pass of the narrow table."""
    words = _word_conditions(query, teams)
    if not words:
        return None
    model = MODEL_OF[query.kind]
    searched = SEARCH_TABLE_OF[query.kind]
    if walking:
        return exists().where(searched.c.id == model.id, *words)
    return model.id.in_(select(searched.c.id).where(*words))


def _filters(query: ListQuery, *, walking: bool = False, search: bool = True,
             teams: Sequence[Sequence[int]] | None = None) -> list[ColumnElement[bool]]:
    model = MODEL_OF[query.kind]
    conditions: list[ColumnElement[bool]] = []
    if query.year is not None:
        placed = placed_column(query.kind)
        conditions.append(placed.between(query.year.start, query.year.end))
    if query.status is Status.OPEN:
        conditions.append(_open_condition(query.kind))
    elif query.status is Status.OVERDUE:
        conditions.append(_overdue_condition(query.kind, query.today))
    elif query.status is Status.CLOSED and has_status(query.kind):
        conditions.append(~_open_condition(query.kind))
    elif query.status is Status.CLOSED:
        conditions.append(false())
    if query.team_id is not None:
        conditions.append(model.team_id == query.team_id)
    if query.stage is not None and spec(query.kind).has_field("stage"):
        conditions.append(model.stage == query.stage)
    if query.source is not None and spec(query.kind).has_field("source"):
        conditions.append(model.source == query.source)
    if query.action_kind is not None and spec(query.kind).has_field("action_kind"):
        conditions.append(model.action_kind == query.action_kind)
    found = _search_condition(query, walking=walking, teams=teams) if search else None
    if found is not None:
        conditions.append(found)
    return conditions


def _base(query: ListQuery, *selected: Any, walking: bool = False,
          teams: Sequence[Sequence[int]] | None = None) -> Select[Any]:
    model = MODEL_OF[query.kind]
    statement = select(*selected).select_from(model).join(Team, Team.id == model.team_id)
    conditions = _filters(query, walking=walking, teams=teams)
    return statement.where(*conditions) if conditions else statement


def count(session: Session, query: ListQuery) -> Counts:
    """How many records match, and how many of those are open and overdue (one pass)."""
    teams = _server_teams(session, query)
    if teams and _only_searched(query):
        return _count_searched(session, query, teams)
    open_sum = func.coalesce(func.sum(case((_open_condition(query.kind), 1), else_=0)), 0)
    overdue_sum = func.coalesce(
        func.sum(case((_overdue_condition(query.kind, query.today), 1), else_=0)), 0
    )
    # No join to team: filters and search name teams by id, so SQLite reads one table.
    model = MODEL_OF[query.kind]
    statement = select(func.count(), open_sum, overdue_sum).select_from(model)
    conditions = _filters(query, teams=teams)
    if conditions:
        statement = statement.where(*conditions)
    total, open_count, overdue_count = session.execute(statement).one()
    return Counts(int(total), int(open_count), int(overdue_count))


def _only_searched(query: ListQuery) -> bool:
    """True when the search is the only filter (as while typing in the search box)."""
    return query == ListQuery(query.kind, search=query.search, sort_key=query.sort_key,
                              descending=query.descending, today=query.today)


def _count_searched(session: Session, query: ListQuery, teams: Sequence[Sequence[int]]
                    ) -> Counts:
    """`count` of a search and nothing else, on a server: read from the narrow search table,
    joined only to the few open records (a common word matches tens of thousands of records,
    and joining each to its wide record to see whether it is open cost most of the count)."""
    model = MODEL_OF[query.kind]
    searched = SEARCH_TABLE_OF[query.kind]
    if not has_status(query.kind):
        statement = select(func.count(), literal(0), literal(0)).select_from(searched)
    else:
        open_rows = (select(model.id.label("id"),
                            _overdue_condition(query.kind, query.today).label("overdue"))
                     .where(_open_condition(query.kind)).subquery("open_rows"))
        statement = select(func.count(), func.count(open_rows.c.id),
                           func.count(open_rows.c.id).filter(open_rows.c.overdue)).select_from(
            searched.outerjoin(open_rows, open_rows.c.id == searched.c.id))
    total, open_count, overdue_count = session.execute(
        statement.where(*_word_conditions(query, teams))).one()
    return Counts(int(total), int(open_count), int(overdue_count))


def _rare(query: ListQuery, total: int | None) -> bool:
    """A search known to match few records: better listed whole and sorted than found by
    walking an index in order (which reads the whole table in that order for a rare word)."""
    return total is not None and total < _SMALL_RESULT and bool(query.search.split())


def _ordered(query: ListQuery, statement: Select[Any], total: int | None,
             server: bool = False) -> Select[Any]:
    """`statement` in the asked order, ties broken by newest record first.

    `total`, when the caller knows it, lets a rare search skip walking an index in order.
    On a `server` empty values come first, as in SQLite (PostgreSQL puts NULLs last).
    """
    model = MODEL_OF[query.kind]
    expressions = _expressions(query.kind, query.today)
    order = expressions.get(query.sort_key, expressions["placed"])
    if (not server and _rare(query, total)
            and query.sort_key in ("placed", "due", "closed", "team")):
        order = order.op("||")("")  # an expression, so SQLite sorts the few matches instead
    empty_first = server and _may_be_empty(order)  # else the plain order walks an index
    if server and isinstance(getattr(order, "type", None), String):
        # text by code point, as SQLite compares it, whatever the server's locale (an en-GB
        # server's own collation sorts as a dictionary does: "alpha" before "AT&T")
        order = order.collate("C")
    if query.descending:
        last = order.desc().nulls_last() if empty_first else order.desc()
        return statement.order_by(last, model.id.desc())
    first = order.asc().nulls_first() if empty_first else order.asc()
    return statement.order_by(first, model.id.asc())


def _may_be_empty(expression: Any) -> bool:
    """False for a column that is never NULL (a record's placing date, its reference, a
    team's name), whose order needs no word on NULLs."""
    column = getattr(expression, "expression", expression)
    return bool(getattr(column, "nullable", True))


def fetch_page(
    session: Session, query: ListQuery, offset: int, limit: int, *, total: int | None = None
) -> list[ListRow]:
    """One page of rows in the asked order (ties broken by newest record first)."""
    model = MODEL_OF[query.kind]
    expressions = _expressions(query.kind, query.today)
    shown = [expressions[column.key] for column in columns(query.kind)]
    teams = _server_teams(session, query)
    server = teams is not None
    statement = _base(
        query, model.reference, *shown, _open_condition(query.kind),
        _overdue_condition(query.kind, query.today), walking=not _rare(query, total),
        teams=teams,
    )
    statement = _ordered(query, statement, total, server).limit(limit).offset(offset)
    rows = []
    for row in session.execute(statement):
        values = tuple(row[1:-2])
        rows.append(ListRow(row[0], values, bool(row[-2]), bool(row[-1])))
    return rows


def pages_need_sorting(session: Session, query: ListQuery, *, total: int | None = None) -> bool:
    """True when SQLite cannot walk an index in the asked order, so every page of
    `fetch_page` would sort all the matches again (a status or stage column, say).

    Then `ordered_ids` once and `fetch_rows` per page do better. The database's own query
    plan says which case this is, for these filters and this order (on a server: whether the
    plan sorts).
    """
    model = MODEL_OF[query.kind]
    teams = _server_teams(session, query)
    server = teams is not None
    statement = _ordered(query, _base(query, model.id, walking=not _rare(query, total),
                                      teams=teams), total, server)
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    if server:
        found = session.connection().exec_driver_sql(
            f"EXPLAIN (FORMAT JSON) {compiled}".replace("%", "%%")).scalar()
        return _plan_sorts(found[0]["Plan"] if found else {})
    plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return any("TEMP B-TREE FOR ORDER BY" in str(step[-1]) for step in plan)


def _plan_sorts(node: dict[str, Any]) -> bool:
    """A PostgreSQL plan (JSON) that sorts the rows, at any level."""
    return node.get("Node Type") in ("Sort", "Incremental Sort") or any(
        _plan_sorts(child) for child in node.get("Plans", ()))


def ordered_ids(session: Session, query: ListQuery, *, total: int | None = None) -> list[int]:
    """Every matching record's id in the asked order: sorted once, then read page by page."""
    model = MODEL_OF[query.kind]
    teams = _server_teams(session, query)
    statement = _ordered(query, _base(query, model.id, teams=teams), total, teams is not None)
    return list(session.connection().execute(statement).scalars())


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def narrows(earlier: ListQuery, later: ListQuery) -> bool:
    """True when every record `later` matches is sure to be among those `earlier` matched.

    So it is when only the search (and the order) changed and every earlier word lies inside
    some later word: typing on, "C-043" to "C-0432", or adding a word. Case is folded for
    ASCII letters only, as SQLite's LIKE folds it.
    """
    if replace(later, search=earlier.search, sort_key=earlier.sort_key,
               descending=earlier.descending) != earlier:  # other filters, or another day
        return False
    later_words = [word.translate(_ASCII_LOWER) for word in later.search.split()]
    return all(any(word.translate(_ASCII_LOWER) in longer for longer in later_words)
               for word in earlier.search.split())


def search_matches(session: Session, query: ListQuery, most: int = _SMALL_RESULT, *,
                   within: Sequence[int] | None = None) -> tuple[Counts, list[int]] | None:
    """For a search: every match's id in the asked order, and the counts, in one pass.

    Returns None when more than `most` records match (a common word): then `count` and
    `fetch_page` do better, since walking an index in order finds a page of them quickly.
    The scan stops at the (most + 1)th match, so finding that out is cheap too.
    `within`: the ids an earlier search found, when `narrows` says the matches are among
    them; then only those rows are read instead of the whole table (typing on is cheap).
    """
    model = MODEL_OF[query.kind]
    expressions = _expressions(query.kind, query.today)
    key = expressions.get(query.sort_key, expressions["placed"])
    selected = (model.id, key, _open_condition(query.kind),
                _overdue_condition(query.kind, query.today))
    teams = _server_teams(session, query)
    if within is not None:
        statement = _base(query, *selected, walking=True, teams=teams).where(
            model.id.in_(list(within)))
    else:  # read the narrow search table in order; look up the record of each match only
        searched = SEARCH_TABLE_OF[query.kind]
        statement = (select(*selected).select_from(searched)
                     .join(model, model.id == searched.c.id)
                     .join(Team, Team.id == model.team_id)
                     .where(*_word_conditions(query, teams), *_filters(query, search=False)))
    found = list(session.execute(statement.limit(most + 1)).all())
    if len(found) > most:
        return None
    # SQLite's order: NULL before any value, text by code point, then the id breaks ties.
    found.sort(key=lambda row: (row[1] is not None, row[1] if row[1] is not None else 0,
                                row[0]), reverse=query.descending)
    counts = Counts(len(found), sum(bool(row[2]) for row in found),
                    sum(bool(row[3]) for row in found))
    return counts, [row[0] for row in found]


def fetch_rows(session: Session, query: ListQuery, ids: Sequence[int]) -> list[ListRow]:
    """The rows of these records, in the order of `ids` (a page of `search_matches`)."""
    if not ids:
        return []
    model = MODEL_OF[query.kind]
    expressions = _expressions(query.kind, query.today)
    shown = [expressions[column.key] for column in columns(query.kind)]
    statement = (
        select(model.id, model.reference, *shown, _open_condition(query.kind),
               _overdue_condition(query.kind, query.today))
        .select_from(model).join(Team, Team.id == model.team_id)
        .where(model.id.in_(list(ids)))
    )
    by_id = {row[0]: ListRow(row[1], tuple(row[2:-2]), bool(row[-2]), bool(row[-1]))
             for row in session.execute(statement)}
    return [by_id[record_id] for record_id in ids if record_id in by_id]


def team_choices(session: Session) -> list[tuple[int, str, bool]]:
    """(id, name, retired) of every team, for the filter (retired teams still have records)."""
    statement = select(Team.id, Team.name, Team.retired)
    rows = sorted(session.execute(statement), key=lambda row: (name_order(row.name), row.id))
    return [(row.id, row.name, bool(row.retired)) for row in rows]


def year_choices(session: Session, kind: Kind, today: date | None = None) -> list[ReportingYear]:
    """Reporting years from the oldest record of the kind to this year, newest first."""
    placed = placed_column(kind)
    oldest, newest = session.execute(select(func.min(placed), func.max(placed))).one()
    current = ReportingYear.containing(today or date.today())
    if oldest is None:
        return [current]
    last = max(current, ReportingYear.containing(newest))
    first = ReportingYear.containing(oldest)
    return [ReportingYear(y) for y in range(last.start_year, first.start_year - 1, -1)]


# --- Teams and root causes -----------------------------------------------------------------


@dataclass(frozen=True)
class ListEntry:
    """A team or root cause as its pane shows it: how many records use it."""

    id: int
    name: str
    retired: bool
    used: int


def list_entries(session: Session, model: type[Team] | type[RootCause]) -> list[ListEntry]:
    """Every entry with its usage, in two or three grouped queries rather than one per entry."""
    from cscdesk.store.models import RECORD_MODELS, BaselineTeamCount

    used: dict[int, int] = {}
    if model is RootCause:
        sources: Sequence[tuple[Any, Any]] = [(Complaint, Complaint.root_cause_id)]
    else:
        sources = [(m, m.team_id) for m in (*RECORD_MODELS, BaselineTeamCount)]
    for source, column in sources:
        statement = select(column, func.count()).select_from(source).group_by(column)
        for entry_id, number in session.execute(statement):
            if entry_id is not None:
                used[entry_id] = used.get(entry_id, 0) + int(number)
    statement = select(model.id, model.name, model.retired)
    rows = sorted(session.execute(statement), key=lambda row: (name_order(row.name), row.id))
    return [ListEntry(row.id, row.name, bool(row.retired), used.get(row.id, 0))
            for row in rows]


# --- Dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """An open complaint awaiting a step, for the dashboard: `step` says what is due (the
    response; at Stage 3 the panel or the panel's report before it)."""

    reference: str
    stage: int
    team: str
    complainant: str
    due: date
    step: str  # domain.steps.RESPONSE, PANEL or PANEL_REPORT


@dataclass(frozen=True)
class DueLists:
    """The dashboard's complaint lists: due soon, overdue (the longest overdue first, at most
    the limit) and how many are overdue in all."""

    soon: list[DueItem]
    late: list[DueItem]
    late_total: int


@dataclass(frozen=True)
class ActionDueItem:
    """An action not done by its due date, for the dashboard."""

    reference: str
    case_reference: str
    action_kind: ActionKind
    team: str
    due: date


def open_by_kind(session: Session) -> dict[Kind, int]:
    """Open records of every kind that can be open."""
    result: dict[Kind, int] = {}
    for kind, model in MODEL_OF.items():
        if has_status(kind):
            statement = select(func.count()).select_from(model).where(_open_condition(kind))
            result[kind] = int(session.scalar(statement) or 0)
    return result


def _awaiting(*conditions: ColumnElement[bool]) -> tuple[ColumnElement[bool], ...]:
    """Open complaints awaiting their response."""
    return (Complaint.closed.is_(None), Complaint.responded.is_(None), *conditions)


# Stage 1 and 2: the response, due on the record's due date (rules.md), found by its index.
_BY_DUE_DATE = Complaint.stage != 3


def _awaiting_response(*conditions: ColumnElement[bool], limit: int
                       ) -> Select[str, int, str, str, date]:
    return (
        select(Complaint.reference, Complaint.stage, Team.name, Complaint.complainant,
               Complaint.due)
        .join(Team, Team.id == Complaint.team_id)
        .where(*_awaiting(_BY_DUE_DATE, *conditions))
        .order_by(Complaint.due, Complaint.reference)
        .limit(limit)
    )


def stage3_next_steps(session: Session, calendar: WorkingCalendar) -> list[DueItem]:
    """Each open Stage 3 complaint awaiting its response, with its next step and when that is
    due (`domain.steps.next_clock`), soonest first. A Stage 3 complaint whose response is
    sent awaits nothing, whatever steps before it were not recorded."""
    from cscdesk.domain.steps import next_clock  # with the holiday tables: not at start-up

    statement = (
        select(Complaint.reference, Team.name, Complaint.complainant, Complaint.received,
               Complaint.extended, Complaint.panel_held, Complaint.panel_report)
        .join(Team, Team.id == Complaint.team_id)
        .where(*_awaiting(Complaint.stage == 3))
    )
    found = []
    for reference, team, complainant, received, extended, panel_held, panel_report in (
            session.execute(statement)):
        record = ComplaintData(reference, received, 3, team, extended=bool(extended),
                               complainant=complainant or "", panel_held=panel_held,
                               panel_report=panel_report)
        clock = next_clock(record, calendar)
        if clock is not None:
            found.append(DueItem(reference, 3, team, complainant or "", clock.due, clock.step))
    return sorted(found, key=_due_order)


def _due_order(item: DueItem) -> tuple[date, str]:
    return item.due, item.reference


def due_lists(session: Session, today: date, calendar: WorkingCalendar, days: int = 5,
              limit: int = 200) -> DueLists:
    """The dashboard's lists: what is due from today to the `days`th working day after it,
    and what is overdue (due before today), each soonest due first, at most `limit`."""
    from cscdesk.domain.steps import RESPONSE

    horizon = calendar.add_working_days(today, days)
    stage3 = stage3_next_steps(session, calendar)

    def responses(*conditions: ColumnElement[bool]) -> list[DueItem]:
        return [DueItem(reference, stage, team, complainant, due, RESPONSE)
                for reference, stage, team, complainant, due in session.execute(
                    _awaiting_response(*conditions, limit=limit))]

    soon = responses(Complaint.due >= today, Complaint.due <= horizon)
    soon += [item for item in stage3 if today <= item.due <= horizon]
    late = responses(Complaint.due < today)
    late_stage3 = [item for item in stage3 if item.due < today]
    late_total = len(late_stage3) + int(session.scalar(
        select(func.count()).select_from(Complaint).where(
            *_awaiting(_BY_DUE_DATE, Complaint.due < today))) or 0)
    return DueLists(sorted(soon, key=_due_order)[:limit],
                    sorted(late + late_stage3, key=_due_order)[:limit], late_total)


def due_soon(session: Session, today: date, calendar: WorkingCalendar, days: int = 5,
             limit: int = 200) -> list[DueItem]:
    """Complaints with a step due from today to the `days`th working day after it."""
    return due_lists(session, today, calendar, days, limit).soon


def overdue(session: Session, today: date, limit: int = 200,
            calendar: WorkingCalendar | None = None) -> list[DueItem]:
    """Complaints with a step whose due date has passed, oldest due first."""
    calendar = calendar or _calendar(session)
    return due_lists(session, today, calendar, limit=limit).late


def overdue_count(session: Session, today: date,
                  calendar: WorkingCalendar | None = None) -> int:
    """How many complaints have a step overdue (as `overdue` lists them)."""
    calendar = calendar or _calendar(session)
    return due_lists(session, today, calendar, limit=0).late_total


def _calendar(session: Session) -> WorkingCalendar:
    from cscdesk.store.lists import working_calendar

    return working_calendar(session)


def _actions_overdue(today: date) -> ColumnElement[bool]:
    return _overdue_condition(Kind.ACTION, today)


def overdue_actions(session: Session, today: date, limit: int = 200) -> list[ActionDueItem]:
    """Actions not done and due before today, the longest overdue first."""
    statement = (
        select(Action.reference, Action.case_reference, Action.action_kind, Team.name,
               Action.due)
        .join(Team, Team.id == Action.team_id)
        .where(_actions_overdue(today))
        .order_by(Action.due, Action.reference)
        .limit(limit)
    )
    return [ActionDueItem(*row) for row in session.execute(statement)]


def overdue_actions_count(session: Session, today: date) -> int:
    statement = select(func.count()).select_from(Action).where(_actions_overdue(today))
    return int(session.scalar(statement) or 0)
