"""The lists' SQL: search, filters, order, paging, counts and dashboard queries on a real file."""

from __future__ import annotations

from datetime import date

import pytest

from cscdesk.domain.kinds import (
    ActionKind,
    ComplaintData,
    ComplimentData,
    EnquiryData,
    EnquirySource,
    Kind,
    Outcome,
)
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.domain.years import ReportingYear
from cscdesk.store import listing, lists, records
from cscdesk.store.listing import ListQuery, Status
from cscdesk.store.models import RootCause, Team

TODAY = date(2024, 6, 3)  # a Monday


@pytest.fixture
def filled(database):
    with database.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering",
                                            complainant="Ann Smith", summary="Late visit"))
        records.save(session, ComplaintData("C-2", date(2024, 5, 28), 1, "Adoption",
                                            complainant="Bob Jones", summary="Letter lost"))
        records.save(session, ComplaintData(
            "C-3", date(2023, 5, 2), 2, "Fostering", responded=date(2023, 6, 1),
            closed=date(2023, 6, 2), outcome=Outcome.UPHELD, summary="100% wrong_name"))
        records.save(session, ComplaintData("C-4", date(2024, 4, 2), 1, "Adoption",
                                            responded=date(2024, 4, 10), summary="Answered"))
        records.save(session, EnquiryData("E-1", date(2024, 5, 1), EnquirySource.MP,
                                          "Fostering", "Cllr Green"))
        records.save(session, ComplimentData("P-1", date(2024, 5, 1), "Adoption", "Thanks"))
    return database


def refs(database, query: ListQuery) -> list[str]:
    with database.session() as session:
        return [row.reference for row in listing.fetch_page(session, query, 0, 100)]


def test_default_order_is_newest_first(filled):
    assert refs(filled, ListQuery(Kind.COMPLAINT, today=TODAY)) == ["C-2", "C-1", "C-4", "C-3"]


def test_sort_by_team_then_reverse(filled):
    query = ListQuery(Kind.COMPLAINT, sort_key="team", descending=False, today=TODAY)
    assert refs(filled, query) == ["C-2", "C-4", "C-1", "C-3"]  # ties: first entered first
    assert set(refs(filled, query.with_changes(descending=True))[:2]) == {"C-1", "C-3"}


@pytest.mark.parametrize(("search", "expected"), [
    ("smith", ["C-1"]),                  # complainant, any case
    ("adoption", ["C-2", "C-4"]),        # team name
    ("letter", ["C-2"]),                 # summary
    ("C-3", ["C-3"]),                    # reference
    ("c-3", ["C-3"]),                    # one letter, either case (LIKE on a server)
    ("V", ["C-1"]),
    ("4", ["C-4"]),                      # no letter at all
    ("fostering late", ["C-1"]),         # every word must match somewhere
    ("100%", ["C-3"]),                   # % is literal
    ("_", ["C-3"]),                      # _ is literal
    ("nobody", []),
])
def test_search(filled, search, expected):
    assert refs(filled, ListQuery(Kind.COMPLAINT, search=search, today=TODAY)) == expected


def test_filters_and_counts(filled):
    base = ListQuery(Kind.COMPLAINT, today=TODAY)
    with filled.session() as session:
        assert listing.count(session, base) == listing.Counts(4, 3, 1)
        assert listing.count(session, base).text(Kind.COMPLAINT) == (
            "4 complaints, 3 open, 1 overdue")
        fostering = session.query(Team).filter_by(name="Fostering").one().id
    assert refs(filled, base.with_changes(status=Status.OVERDUE)) == ["C-1"]
    assert refs(filled, base.with_changes(status=Status.OPEN)) == ["C-2", "C-1", "C-4"]
    assert refs(filled, base.with_changes(status=Status.CLOSED)) == ["C-3"]
    assert refs(filled, base.with_changes(year=ReportingYear(2023))) == ["C-3"]
    assert refs(filled, base.with_changes(team_id=fostering)) == ["C-1", "C-3"]
    assert refs(filled, base.with_changes(stage=2)) == ["C-3"]
    with filled.session() as session:
        narrowed = base.with_changes(search="adoption", status=Status.OPEN)
        assert listing.count(session, narrowed) == listing.Counts(2, 2, 0)


def test_other_kinds(filled):
    enquiries = ListQuery(Kind.ENQUIRY, today=TODAY)
    assert refs(filled, enquiries.with_changes(search="green")) == ["E-1"]
    assert refs(filled, enquiries.with_changes(source=EnquirySource.MEP)) == []
    with filled.session() as session:
        assert listing.count(session, enquiries).text(Kind.ENQUIRY) == "1 enquiry, 1 open"
        compliments = ListQuery(Kind.COMPLIMENT, today=TODAY)
        assert listing.count(session, compliments).text(Kind.COMPLIMENT) == "1 compliment"
        row = listing.fetch_page(session, compliments, 0, 10)[0]
    assert row.values[2] == "Adoption" and not row.open and not row.overdue


def test_paging_covers_every_row_once(database):
    with database.transaction() as session:
        for number in range(25):
            records.save(session, ComplimentData(f"P-{number:02d}", date(2024, 5, 1), "A"))
    query = ListQuery(Kind.COMPLIMENT, sort_key="reference", descending=False)
    with database.session() as session:
        pages = [listing.fetch_page(session, query, offset, 10) for offset in (0, 10, 20)]
    seen = [row.reference for page in pages for row in page]
    assert seen == [f"P-{n:02d}" for n in range(25)]


def test_dashboard_queries(filled):
    calendar = WorkingCalendar()
    with filled.session() as session:
        assert listing.open_by_kind(session)[Kind.COMPLAINT] == 3
        assert [item.reference for item in listing.overdue(session, TODAY)] == ["C-1"]
        # C-2 received 28 May 2024, due 10 working days later: 11 June, within 5 working days?
        soon = listing.due_soon(session, date(2024, 6, 5), calendar)
        assert [item.reference for item in soon] == ["C-2"]


def test_list_entries_count_usage(filled):
    with filled.transaction() as session:
        lists.get_or_add(session, Team, "Unused team")
        lists.get_or_add(session, RootCause, "Communication")
    with filled.session() as session:
        teams = {entry.name: entry.used for entry in listing.list_entries(session, Team)}
        causes = {entry.name: entry.used for entry in listing.list_entries(session, RootCause)}
    assert teams == {"Adoption": 3, "Fostering": 3, "Unused team": 0}
    assert causes == {"Communication": 0}


def test_one_pass_search_orders_as_sql_does(filled):
    with filled.transaction() as session:  # ties and empty values in every column
        for number in range(6):
            records.save(session, ComplaintData(f"C-1{number}", date(2024, 5, 1), 1,
                                                "Fostering", summary="tie"))
    for column in (c.key for c in listing.columns(Kind.COMPLAINT)):
        for descending in (False, True):
            query = ListQuery(Kind.COMPLAINT, search="-", sort_key=column,
                              descending=descending, today=TODAY)
            with filled.session() as session:
                counts, ids = listing.search_matches(session, query)
                one_pass = [row.reference for row in listing.fetch_rows(session, query, ids)]
                expected = [row.reference for row in listing.fetch_page(session, query, 0, 100)]
                assert counts == listing.count(session, query)
                assert listing.search_matches(session, query, most=3) is None
            assert one_pass == expected, (column, descending)


@pytest.mark.parametrize("search", ["c-", "adoption", "fostering late", "o", "nobody", "100%"])
def test_a_search_counts_the_rows_it_lists_in_every_kind(filled, search):
    with filled.transaction() as session:  # an open complaint past its due date, and a closed
        records.save(session, ComplaintData("C-9", date(2024, 1, 2), 1, "Adoption",
                                            summary="Old letter"))
    for kind in Kind:
        query = ListQuery(kind, search=search, today=TODAY)
        with filled.session() as session:
            rows = listing.fetch_page(session, query, 0, 100)
            counts = listing.count(session, query)
        assert counts == listing.Counts(len(rows), sum(row.open for row in rows),
                                        sum(row.overdue for row in rows)), (kind, search)


def test_legal_hold_shows_in_the_list(filled):
    from cscdesk.store import personal_data

    query = ListQuery(Kind.COMPLAINT, today=TODAY)
    with filled.transaction() as session:
        first = listing.fetch_page(session, query, 0, 50)[0]
        personal_data.set_legal_hold(session, Kind.COMPLAINT, first.reference, True)
    with filled.session() as session:
        rows = listing.fetch_page(session, query, 0, 50)
    hold_index = [c.key for c in listing.columns(Kind.COMPLAINT)].index("hold")
    held = {row.reference: row.values[hold_index] for row in rows}
    assert held[first.reference] == "Legal hold"
    assert sorted(held.values()).count("") == len(rows) - 1


@pytest.mark.parametrize(("earlier", "later", "expected"), [
    ("C-04", "C-043", True),  # typing on
    ("smith", "smith late", True),  # another word
    ("late smith", "SMITH", False),  # a word dropped
    ("smi", "Ann SMITHS", True),  # ASCII case is folded, as LIKE folds it
    ("é", "É", False),  # LIKE does not fold other letters, so neither does this
    ("C-043", "C-04", False),  # a letter deleted
    ("", "smith", True),
    ("smith", "", False),
])
def test_a_search_narrows_an_earlier_one_only_when_its_matches_must_be_among_them(
        earlier, later, expected):
    before = ListQuery(Kind.COMPLAINT, search=earlier, today=TODAY)
    after = before.with_changes(search=later, sort_key="team", descending=False)
    assert listing.narrows(before, after) is expected


def test_other_filters_or_another_day_do_not_narrow():
    before = ListQuery(Kind.COMPLAINT, search="a", today=TODAY)
    assert not listing.narrows(before, before.with_changes(search="ab", team_id=3))
    assert not listing.narrows(before, before.with_changes(status=Status.OPEN))
    assert not listing.narrows(before, before.with_changes(today=date(2024, 6, 4)))
    assert not listing.narrows(before, ListQuery(Kind.ENQUIRY, search="a", today=TODAY))


def test_a_search_within_earlier_matches_reads_only_those(filled):
    query = ListQuery(Kind.COMPLAINT, search="C-", today=TODAY)
    with filled.session() as session:
        counts, ids = listing.search_matches(session, query)
        assert counts.total == 4
        narrower = query.with_changes(search="C- l")  # "Late visit", "Letter lost"
        _, expected = listing.search_matches(session, narrower)
        assert listing.search_matches(session, narrower, within=ids)[1] == expected
        assert len(expected) == 2
        assert listing.search_matches(session, narrower, within=expected[:1])[1] == expected[:1]
        assert listing.search_matches(session, narrower, within=[])[1] == []


@pytest.mark.sqlite_only  # SQLite's plans; tests/test_server_store.py asks PostgreSQL's
def test_pages_are_sorted_once_only_where_sqlite_cannot_walk_an_index(filled):
    with filled.session() as session:
        for kind in Kind:
            for column in listing.columns(kind):
                query = ListQuery(kind, sort_key=column.key, today=TODAY)
                walks = column.key in ("reference", "placed", "team") or (
                    kind is Kind.COMPLAINT and column.key in ("due", "closed")) or (
                    kind is Kind.ACTION and column.key in ("case_reference", "due", "done"))
                assert listing.pages_need_sorting(session, query) is not walks, (kind, column)
        odd = ListQuery(Kind.COMPLAINT, search="o'brien 100%", status=Status.OVERDUE,
                        year=ReportingYear(2024), sort_key="status", today=TODAY)
        assert listing.pages_need_sorting(session, odd)  # quotes and dates in the plan's SQL
        for kind in Kind:  # every filter's value can be written into the plan's SQL
            every = ListQuery(kind, search="a b", year=ReportingYear(2024), status=Status.OPEN,
                              team_id=1, stage=2 if kind is Kind.COMPLAINT else None,
                              source=EnquirySource.MP if kind is Kind.ENQUIRY else None,
                              action_kind=ActionKind.REMEDY if kind is Kind.ACTION else None,
                              today=TODAY)
            assert listing.pages_need_sorting(session, every, total=3) in (True, False)


def test_ordered_ids_follow_the_pages_order(filled):
    with filled.transaction() as session:
        for number in range(6):
            records.save(session, ComplaintData(f"C-1{number}", date(2024, 5, number + 1), 1,
                                                "Fostering", summary="tie"))
    for column in (c.key for c in listing.columns(Kind.COMPLAINT)):
        for descending in (False, True):
            query = ListQuery(Kind.COMPLAINT, sort_key=column, descending=descending,
                              today=TODAY)
            with filled.session() as session:
                by_id = [row.reference for row in listing.fetch_rows(
                    session, query, listing.ordered_ids(session, query))]
                paged = [row.reference for row in listing.fetch_page(session, query, 0, 100)]
            assert by_id == paged, (column, descending)


def expected_search_rows(session, kind: Kind) -> set[tuple[int, int, str]]:
    model = listing.MODEL_OF[kind]
    columns = {Kind.COMPLAINT: ("reference", "complainant", "summary"),
               Kind.ENQUIRY: ("reference", "enquirer", "summary")}.get(
        kind, ("reference", "summary"))
    return {(row.id, row.team_id, "\x1f".join(getattr(row, c) or "" for c in columns))
            for row in session.query(model)}


def stored_search_rows(session, kind: Kind) -> set[tuple[int, int, str]]:
    from cscdesk.store.models import SEARCH_TABLES

    table = SEARCH_TABLES[listing.MODEL_OF[kind]]
    return {tuple(row) for row in session.execute(table.select())}


def test_the_search_table_follows_every_change_to_the_records(filled):
    from cscdesk.store import personal_data, recycle_bin, undelete

    with filled.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Adoption",
                                            complainant="Ann Jones", summary="Late again"),
                     original_reference="C-1")  # team, complainant and summary change
        records.save(session, ComplaintData("C-2B", date(2024, 5, 28), 1, "Adoption",
                                            complainant="Bob Jones", summary="Letter lost"),
                     original_reference="C-2")  # a new reference
        records.delete(session, Kind.COMPLAINT, "C-3")
        personal_data.anonymise(session, Kind.COMPLAINT, "C-4")
        personal_data.anonymise(session, Kind.ENQUIRY, "E-1")
    with filled.transaction() as session:
        bin_id = recycle_bin.items(session)[0].id
        undelete.restore(session, bin_id)  # C-3 back
    with filled.session() as session:
        for kind in Kind:
            assert stored_search_rows(session, kind) == expected_search_rows(session, kind), kind
        assert len(stored_search_rows(session, Kind.COMPLAINT)) == 4
    query = ListQuery(Kind.COMPLAINT, search="jones late", today=TODAY)
    assert refs(filled, query) == ["C-1"]
