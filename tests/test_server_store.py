"""The store on a PostgreSQL server: what the SQLite tests check with file-only means (the
append-only trail, query plans), and what only a server has (the trigram index)."""

from __future__ import annotations

from datetime import date

import pytest

from cscdesk.domain.kinds import ComplaintData, EnquirySource, Kind, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.store import listing, records
from cscdesk.store.engine import open_database
from cscdesk.store.listing import ListQuery, Status

pytestmark = pytest.mark.postgresql

TODAY = date(2024, 6, 3)


@pytest.fixture
def server_db(server_url):
    db = open_database(server_url)
    assert db.on_server and db.writer_lock is None and not db.encrypted
    yield db
    db.close()


def test_the_trail_is_append_only_in_the_server_itself(server_db, server_url) -> None:
    import psycopg

    with server_db.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 3), 1, "Adoption"))
    with psycopg.connect(str(server_url), autocommit=True) as connection:  # even the owner
        for statement in ("DELETE FROM audit_event", "UPDATE audit_event SET \"user\" = 'x'",
                          "TRUNCATE audit_event"):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation,
                               match="append-only"):
                connection.execute(statement)
        connection.execute("UPDATE audit_event SET changes = '{}'")  # anonymising may


def test_search_folds_case_and_reads_the_trigram_index(server_db) -> None:
    with server_db.transaction() as session:
        for number in range(300):
            records.save(session, ComplaintData(
                f"C-{number}", date(2024, 5, 1), 1, "Fostering", complainant=f"Person {number}",
                summary="Quiet" if number != 7 else "Lost LETTER"))
    query = ListQuery(Kind.COMPLAINT, search="letter", today=TODAY)
    with server_db.session() as session:
        assert [row.reference for row in listing.fetch_page(session, query, 0, 10)] == ["C-7"]
        assert listing.count(session, query).total == 1
        connection = session.connection()
        connection.exec_driver_sql("ANALYZE complaint_search")
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a small table, else
        plan = connection.exec_driver_sql(
            "EXPLAIN SELECT id FROM complaint_search WHERE words ILIKE '%%letter%%'").all()
    assert any("ix_complaint_search_words" in row[0] for row in plan), plan


def test_pages_need_sorting_asks_the_servers_plan_for_every_filter(server_db) -> None:
    with server_db.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering",
                                            complainant="O'Brien", summary="100% wrong"))
    with server_db.session() as session:
        for kind in Kind:
            every = ListQuery(kind, search="o'brien 100%", year=ReportingYear(2024),
                              status=Status.OPEN, team_id=1,
                              stage=2 if kind is Kind.COMPLAINT else None,
                              source=EnquirySource.MP if kind is Kind.ENQUIRY else None,
                              today=TODAY)
            for total in (None, 3):
                assert listing.pages_need_sorting(session, every, total=total) in (True, False)
        status = ListQuery(Kind.COMPLAINT, sort_key="status", today=TODAY)
        assert listing.pages_need_sorting(session, status)


def test_empty_values_sort_first_as_in_sqlite(server_db) -> None:
    with server_db.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering",
                                            closed=date(2024, 5, 2), outcome=Outcome.UPHELD))
        records.save(session, ComplaintData("C-2", date(2024, 5, 1), 1, "Fostering"))
    query = ListQuery(Kind.COMPLAINT, sort_key="closed", descending=False, today=TODAY)
    with server_db.session() as session:
        assert [r.reference for r in listing.fetch_page(session, query, 0, 9)] == ["C-2", "C-1"]
        assert listing.search_matches(session, query.with_changes(search="c-"))[1] == [
            session.scalar(listing.select(listing.MODEL_OF[Kind.COMPLAINT].id).where(
                listing.MODEL_OF[Kind.COMPLAINT].reference == reference))
            for reference in ("C-2", "C-1")]
