"""The dashboard's due lists on chosen days: what is due (the response; at Stage 3 the panel,
the panel's report or the response, each on its own clock), across weekends, bank holidays
and substitute days; overdue actions; the Actions list's filters. Both engines.

The due dates below are counted by hand from the calendar (bank holidays named beside them),
not by the code under test."""

from __future__ import annotations

from datetime import date

import pytest

from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, Kind, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.store import listing, lists, records
from cscdesk.store.listing import DueItem, ListQuery, Status

pytestmark = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)

TODAY = date(2024, 6, 3)  # a Monday; 5 working days on: Monday 10 June 2024


def stage3(reference: str, received: date, *, panel_held: date | None = None,
           panel_report: date | None = None, responded: date | None = None,
           closed: date | None = None) -> ComplaintData:
    return ComplaintData(reference, received, 3, "Fostering", complainant="Ann Smith",
                         panel_held=panel_held, panel_report=panel_report,
                         responded=responded, closed=closed,
                         outcome=Outcome.NOT_UPHELD if closed else None)


@pytest.fixture
def steps(database):
    with database.transaction() as session:
        # Stage 3, panel not yet held: due 30 working days from the request, Fri 19 April
        # 2024, over the bank holidays of 6 and 27 May: Tuesday 4 June.
        records.save(session, stage3("S3-PANEL", date(2024, 4, 19)))
        # Panel held Fri 24 May 2024: its report within 5 working days, 27 May a bank
        # holiday: Monday 3 June (today). rules.md's due date (30 working days from 1 March)
        # passed in April, but the step's clock is what is due now.
        records.save(session, stage3("S3-REPORT", date(2024, 3, 1),
                                     panel_held=date(2024, 5, 24)))
        # Report received Thu 21 March 2024: the response within 15 working days, over Good
        # Friday and Easter Monday: Monday 15 April. Overdue.
        records.save(session, stage3("S3-RESPONSE", date(2024, 1, 10),
                                     panel_held=date(2024, 2, 20),
                                     panel_report=date(2024, 3, 21)))
        # Awaiting nothing: responded (its earlier steps never recorded), or closed.
        records.save(session, stage3("S3-ANSWERED", date(2024, 1, 10),
                                     responded=date(2024, 2, 1)))
        records.save(session, stage3("S3-CLOSED", date(2024, 1, 10),
                                     responded=date(2024, 2, 1), closed=date(2024, 2, 2)))
        # Stage 1 received Tue 21 May 2024: 10 working days over 27 May: Wednesday 5 June.
        records.save(session, ComplaintData("S1-SOON", date(2024, 5, 21), 1, "Adoption",
                                            complainant="Bob Jones"))
        # Stage 2 received Fri 1 March 2024: 25 working days over Easter: Tuesday 9 April.
        records.save(session, ComplaintData("S2-LATE", date(2024, 3, 1), 2, "Adoption"))
    return database


def shown(items: list[DueItem]) -> list[tuple[str, str, date]]:
    return [(item.reference, item.step, item.due) for item in items]


def test_stage3_complaints_are_listed_by_their_next_steps_clock(steps):
    with steps.session() as session:
        calendar = lists.working_calendar(session)
        found = listing.due_lists(session, TODAY, calendar, 5)
    assert shown(found.soon) == [
        ("S3-REPORT", "panel report", date(2024, 6, 3)),
        ("S3-PANEL", "panel", date(2024, 6, 4)),
        ("S1-SOON", "response", date(2024, 6, 5)),
    ]
    assert shown(found.late) == [
        ("S2-LATE", "response", date(2024, 4, 9)),
        ("S3-RESPONSE", "response", date(2024, 4, 15)),
    ]
    assert found.late_total == 2
    assert {item.stage for item in found.soon} == {1, 3}
    assert found.soon[0].team == "Fostering" and found.soon[0].complainant == "Ann Smith"


def test_the_older_calls_give_the_same_lists(steps):
    with steps.session() as session:
        calendar = lists.working_calendar(session)
        assert shown(listing.due_soon(session, TODAY, calendar)) == shown(
            listing.due_lists(session, TODAY, calendar).soon)
        assert [item.reference for item in listing.overdue(session, TODAY)] == [
            "S2-LATE", "S3-RESPONSE"]
        assert listing.overdue_count(session, TODAY) == 2


def test_a_step_is_overdue_the_day_after_it_was_due_and_due_soon_until_then(steps):
    with steps.session() as session:
        calendar = lists.working_calendar(session)
        # Tuesday 4 June: the panel's report (due 3 June) is late now, the panel due today.
        found = listing.due_lists(session, date(2024, 6, 4), calendar)
        # Saturday 25 May: 5 working days on is Monday 3 June (27 May a bank holiday).
        weekend = listing.due_lists(session, date(2024, 5, 25), calendar)
    assert ("S3-REPORT", "panel report", date(2024, 6, 3)) in shown(found.late)
    assert shown(found.soon)[0] == ("S3-PANEL", "panel", date(2024, 6, 4))
    assert shown(weekend.soon) == [("S3-REPORT", "panel report", date(2024, 6, 3))]


def test_the_limit_keeps_the_longest_overdue_and_counts_them_all(steps):
    with steps.session() as session:
        calendar = lists.working_calendar(session)
        found = listing.due_lists(session, TODAY, calendar, limit=1)
    assert shown(found.late) == [("S2-LATE", "response", date(2024, 4, 9))]
    assert found.late_total == 2
    assert shown(found.soon) == [("S3-REPORT", "panel report", date(2024, 6, 3))]


def test_substitute_bank_holidays_move_a_steps_clock(database):
    # Christmas 2021 fell on a Saturday and Sunday: Monday 27 and Tuesday 28 December were the
    # bank holidays; New Year's Day (Saturday) was Monday 3 January 2022. A panel held on
    # Wednesday 22 December 2021: its report due 23, 24, 29, 30, 31 December: Friday 31.
    with database.transaction() as session:
        records.save(session, stage3("S3-XMAS", date(2021, 11, 1),
                                     panel_held=date(2021, 12, 22)))
    with database.session() as session:
        calendar = lists.working_calendar(session)
        before = listing.due_lists(session, date(2021, 12, 24), calendar, 5)
        after = listing.due_lists(session, date(2022, 1, 4), calendar, 5)
    assert shown(before.soon) == [("S3-XMAS", "panel report", date(2021, 12, 31))]
    assert shown(after.late) == [("S3-XMAS", "panel report", date(2021, 12, 31))]
    assert calendar.working_days_between(date(2021, 12, 31), date(2022, 1, 4)) == 1


def test_a_non_working_day_of_the_councils_own_moves_a_steps_clock(steps):
    with steps.transaction() as session:
        lists.add_non_working_day(session, date(2024, 5, 28), "Office closed")
    with steps.session() as session:
        calendar = lists.working_calendar(session)
        found = listing.due_lists(session, TODAY, calendar)
    assert ("S3-REPORT", "panel report", date(2024, 6, 4)) in shown(found.soon)


# --- actions ---------------------------------------------------------------------------------


def action(reference: str, kind: ActionKind, due: date, *, done: date | None = None,
           team: str = "Fostering", case: str = "S2-LATE") -> ActionData:
    return ActionData(reference, date(2024, 4, 2), case, kind, team, f"What {reference}", due,
                      done)


@pytest.fixture
def actions(steps):
    with steps.transaction() as session:
        records.save(session, action("A-1", ActionKind.LEARNING, date(2024, 5, 31)))
        records.save(session, action("A-2", ActionKind.OMBUDSMAN, date(2024, 5, 1),
                                     team="Adoption", case="S3-RESPONSE"))
        records.save(session, action("A-3", ActionKind.REMEDY, TODAY))  # due today: not late
        records.save(session, action("A-4", ActionKind.LEARNING, date(2024, 5, 1),
                                     done=date(2024, 5, 2)))
        records.save(session, ActionData("A-5", date(2023, 4, 3), "S2-LATE",
                                         ActionKind.LEARNING, "Adoption", "Old", date(2023, 5, 1)))
    return steps


def test_overdue_actions_longest_overdue_first(actions):
    with actions.session() as session:
        late = listing.overdue_actions(session, TODAY)
        assert listing.overdue_actions_count(session, TODAY) == 3
        assert [item.reference for item in listing.overdue_actions(session, TODAY, 1)] == ["A-5"]
    assert [(item.reference, item.case_reference, item.action_kind, item.team, item.due)
            for item in late] == [
        ("A-5", "S2-LATE", ActionKind.LEARNING, "Adoption", date(2023, 5, 1)),
        ("A-2", "S3-RESPONSE", ActionKind.OMBUDSMAN, "Adoption", date(2024, 5, 1)),
        ("A-1", "S2-LATE", ActionKind.LEARNING, "Fostering", date(2024, 5, 31)),
    ]


def refs(database, query: ListQuery) -> list[str]:
    with database.session() as session:
        return [row.reference for row in listing.fetch_page(session, query, 0, 100)]


def test_the_actions_list_filters_by_kind_status_team_and_year(actions):
    base = ListQuery(Kind.ACTION, sort_key="reference", descending=False, today=TODAY)
    assert refs(actions, base) == ["A-1", "A-2", "A-3", "A-4", "A-5"]
    learning = base.with_changes(action_kind=ActionKind.LEARNING)
    assert refs(actions, learning) == ["A-1", "A-4", "A-5"]
    assert refs(actions, learning.with_changes(status=Status.OVERDUE)) == ["A-1", "A-5"]
    assert refs(actions, base.with_changes(status=Status.OPEN)) == ["A-1", "A-2", "A-3", "A-5"]
    assert refs(actions, base.with_changes(status=Status.CLOSED)) == ["A-4"]
    assert refs(actions, base.with_changes(year=ReportingYear(2023))) == ["A-5"]
    with actions.session() as session:
        adoption = next(team_id for team_id, name, _retired in listing.team_choices(session)
                        if name == "Adoption")
        assert listing.count(session, base).text(Kind.ACTION) == (
            "5 actions, 4 open, 3 overdue")
        assert listing.count(session, learning) == listing.Counts(3, 2, 2)
        rows = listing.fetch_page(session, base.with_changes(status=Status.OVERDUE), 0, 10)
    assert refs(actions, base.with_changes(team_id=adoption)) == ["A-2", "A-5"]
    assert [row.overdue for row in rows] == [True, True, True]
    headings = [column.label for column in listing.columns(Kind.ACTION)]
    assert headings[:8] == ["Reference", "Agreed", "Status", "Kind", "Team", "Case", "Due",
                            "Done"]
    assert rows[0].values[headings.index("Status")] == "Overdue"
    assert rows[0].values[headings.index("Case")] == "S2-LATE"


def test_an_action_search_finds_its_case_and_words(actions):
    query = ListQuery(Kind.ACTION, search="S3-RESPONSE", today=TODAY)
    assert refs(actions, query) == ["A-2"]
    with actions.session() as session:
        counts, ids = listing.search_matches(session, query.with_changes(search="what"))
    assert counts.total == 4 and len(ids) == 4  # A-5's words are "Old"
