"""The list search's fast path on a PostgreSQL server, read from the server's own query plans
(no timing): a rare word is found through the trigram index, not by walking the table in id
order, and a search's count joins only the open records, never every matching record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert

from cscdesk.domain.kinds import Kind
from cscdesk.store import listing, lists
from cscdesk.store.engine import open_database
from cscdesk.store.listing import ListQuery
from cscdesk.store.models import Complaint, Team

pytestmark = pytest.mark.postgresql

TODAY = date(2024, 6, 3)
RECORDS = 4000


@pytest.fixture(scope="module")
def many(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A server database of a few thousand complaints, analysed (plans need its statistics)."""
    databases = request.getfixturevalue("postgres")
    name = databases.new()
    from cscdesk.store.location import ServerURL

    db = open_database(ServerURL(databases.server.url(name)))
    with db.transaction() as session:
        teams = [lists.get_or_add(session, Team, f"{side} Fostering").id
                 for side in ("North", "South")]
        session.execute(insert(Complaint), [{
            "reference": f"C-{number:06d}", "received": TODAY - timedelta(days=number % 700),
            "stage": 1, "team_id": teams[number % 2], "extended": False,
            "due": TODAY - timedelta(days=number % 700) + timedelta(days=14),
            "closed": None if number % 40 else TODAY, "learning": "", "adr": False,
            "lgo_decision": "", "complainant": f"Person {number}",
            "summary": ("late letter about a visit" if number % 3 else "quiet")
            + (" zebra" if number % 400 == 7 else ""),
            "notes": "", "legal_hold": False} for number in range(RECORDS)])
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    yield db
    db.close()
    databases.drop(name)


@contextmanager
def statements(db: Any) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (and their parameters) sent while inside."""
    sent: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def plan(db: Any, statement: str, parameters: Any, connection: Any = None) -> dict[str, Any]:
    """The server's plan; a few thousand rows fit in a few pages, which PostgreSQL reads
    whole, so reading a whole table is ruled out (as at 200,000 records, where it is slow)."""
    if connection is None:
        with db.session() as session:
            return plan(db, statement, parameters, session.connection())
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    found = connection.exec_driver_sql(
        f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    return found[0]["Plan"]


def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from nodes(child)


def test_the_server_knows_a_rare_word_is_rare_and_can_use_the_trigram_index(many) -> None:
    """At 200,000 records a rare word is read through the trigram index in a few ms; when the
    planner took it for a common one (a subquery on the team table did that) it walked the
    whole search table in id order for a full page (70-100 ms)."""
    query = ListQuery(Kind.COMPLAINT, search="Zebra", today=TODAY)
    with statements(many) as sent, many.session() as session:
        counts, ids = listing.search_matches(session, query)
    assert counts.total == RECORDS // 400 and len(ids) == counts.total
    (statement, parameters), = [(s, p) for s, p in sent if "complaint_search" in s]
    steps = list(nodes(plan(many, statement, parameters)))
    scans = [step for step in steps if step.get("Relation Name") == "complaint_search"]
    assert scans and all(step["Plan Rows"] < 10 * counts.total for step in scans), scans
    with many.session() as session:  # and the index serves it, once whole reads are ruled out
        connection = session.connection()
        connection.exec_driver_sql("SET LOCAL enable_indexscan = off")
        steps = list(nodes(plan(many, statement, parameters, connection)))
    assert any(step.get("Index Name") == "ix_complaint_search_words" for step in steps), steps


def test_a_words_team_is_written_in_as_ids_not_asked_row_by_row(many) -> None:
    query = ListQuery(Kind.COMPLAINT, search="north late", today=TODAY)
    with statements(many) as sent, many.session() as session:
        counts = listing.count(session, query)
    assert counts.total == sum(1 for n in range(RECORDS) if n % 2 == 0 and n % 3)
    counted = [s for s, _p in sent if "count(" in s]
    assert counted and all("team.name" not in s and "array_agg" not in s for s in counted)


def test_a_searchs_count_joins_only_the_open_records(many) -> None:
    query = ListQuery(Kind.COMPLAINT, search="letter", today=TODAY)
    with statements(many) as sent, many.session() as session:
        counts = listing.count(session, query)
    matching = [n for n in range(RECORDS) if n % 3]
    assert counts.total == len(matching)
    assert counts.open == sum(1 for n in matching if n % 40)
    (statement, parameters), = [(s, p) for s, p in sent if "count(" in s]
    for step in nodes(plan(many, statement, parameters)):
        if step.get("Relation Name") == "complaint":  # read for its open records only
            conditions = " ".join(str(step.get(key, "")) for key in (
                "Filter", "Recheck Cond", "Index Cond"))
            assert "closed IS NULL" in conditions, step
        if step.get("Node Type") == "Bitmap Index Scan" and step.get("Index Name") == (
                "ix_complaint_closed"):
            assert "closed IS NULL" in step["Index Cond"], step


def test_a_word_of_one_letter_is_matched_without_lowering_every_row(many) -> None:
    """A first keystroke reads every row (no trigram in one letter): LIKE on its two
    spellings is about twice as quick as ILIKE, which lowers a copy of each row's text."""
    for typed in ("L", "l"):
        query = ListQuery(Kind.COMPLAINT, search=typed, today=TODAY)
        with statements(many) as sent, many.session() as session:
            counts = listing.count(session, query)
        assert counts.total == sum(1 for n in range(RECORDS) if n % 3)  # "late letter"
        counted = [s for s, _p in sent if "count(" in s]
        assert counted and all("ILIKE" not in s and "LIKE" in s for s in counted)
