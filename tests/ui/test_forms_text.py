"""What the forms read from typed text and the sentences they show (no widgets needed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.ui.forms.due_text import describe_due
from cscdesk.ui.forms.escalation import next_stage, suggest_reference
from cscdesk.ui.forms.parsing import ParseError, format_date, parse_date, parse_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [("03/05/2024", date(2024, 5, 3)), ("3/5/2024", date(2024, 5, 3)),
     ("3/5/24", date(2024, 5, 3)), ("03-05-2024", date(2024, 5, 3)),
     ("03.05.2024", date(2024, 5, 3)), ("2024-05-03", date(2024, 5, 3)),
     ("  29/02/2024 ", date(2024, 2, 29)), ("", None), ("   ", None)],
)
def test_dates_are_read_day_first(text: str, expected: date | None) -> None:
    assert parse_date(text, "Received") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("29/02/2023", "Received: “29/02/2023” is not a real date; type it as dd/mm/yyyy."),
     ("13/13/2024", "Received: “13/13/2024” is not a real date; type it as dd/mm/yyyy."),
     ("May 3rd", "Received: “May 3rd” is not a date; type it as dd/mm/yyyy."),
     ("03/13", "Received: “03/13” is not a date; type it as dd/mm/yyyy.")],
)
def test_unreadable_dates_get_a_sentence_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_date(text, "Received")
    assert str(raised.value) == message


def test_dates_are_written_day_first() -> None:
    assert format_date(date(2024, 5, 3)) == "03/05/2024"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("250", Decimal("250")), ("1,250.50", Decimal("1250.50")), ("£80", Decimal("80")),
     ("0.5", Decimal("0.5")), ("", None)],
)
def test_amounts_in_pounds(text: str, expected: Decimal | None) -> None:
    assert parse_money(text, "ADR saving") == expected


@pytest.mark.parametrize("text", ["12.345", "ten", "-5", "1,25"])
def test_unreadable_amounts(text: str) -> None:
    with pytest.raises(ParseError, match=r"ADR saving: .* is not an amount in pounds"):
        parse_money(text, "ADR saving")


def test_due_sentence() -> None:
    calendar = WorkingCalendar()
    received = date(2024, 5, 3)  # a Friday before the May Day bank holiday
    assert describe_due(calendar, received, 1, False, None, date(2024, 5, 20)) == (
        "Monday 20/05/2024 · due today")
    assert describe_due(calendar, received, 1, False, None, date(2024, 5, 17)) == (
        "Monday 20/05/2024 · 1 working day left")
    assert describe_due(calendar, received, 1, False, None, date(2024, 5, 21)) == (
        "Monday 20/05/2024 · overdue by 1 working day")
    assert describe_due(calendar, received, 1, False, date(2024, 5, 22), date(2024, 6, 1)) == (
        "Monday 20/05/2024 · responded 2 working days late")
    assert describe_due(calendar, received, 2, True, None, date(2024, 5, 3)).startswith(
        "Tuesday 06/08/2024")  # Stage 2 extended: 65 working days
    assert describe_due(calendar, received, 1, False, None, date(2024, 6, 1),
                        closed=date(2024, 5, 9)) == (
        "Monday 20/05/2024 · closed with no response date")  # a withdrawn complaint: not overdue
    assert describe_due(calendar, None, 1, False, None, date(2024, 5, 3)) == (
        "Shown when Received and Stage are filled in.")


def test_extra_non_working_days_move_the_due_date() -> None:
    calendar = WorkingCalendar([date(2024, 5, 20)])
    assert describe_due(calendar, date(2024, 5, 3), 1, False, None, date(2024, 5, 3)).startswith(
        "Tuesday 21/05/2024")


def test_escalation_references() -> None:
    taken = {"C-1-S2"}
    assert suggest_reference("C-9", 2, taken.__contains__) == "C-9-S2"
    assert suggest_reference("C-9-S2", 3, taken.__contains__) == "C-9-S3"
    assert suggest_reference("C-1", 2, taken.__contains__) == "C-1-S2-2"
    assert [next_stage(stage) for stage in (1, 2, 3)] == [2, 3, None]


def test_no_verdict_on_a_response_dated_before_receipt() -> None:
    calendar = WorkingCalendar()
    assert describe_due(calendar, date(2024, 5, 3), 1, False, date(2024, 5, 2),
                        date(2024, 6, 1)) == "Monday 20/05/2024"


def test_time_left_is_in_working_days_as_the_dashboard_says_it() -> None:
    from cscdesk.presentation import time_left

    calendar = WorkingCalendar()
    due = date(2024, 5, 20)  # a Monday
    assert time_left(calendar, due, date(2024, 5, 10)) == "6 working days left"  # not 10 days
    assert time_left(calendar, due, due) == "due today"
    assert time_left(calendar, due, date(2024, 5, 28)) == "overdue by 5 working days"
    friday = date(2024, 5, 24)
    assert time_left(calendar, friday, date(2024, 5, 25)) == "overdue"  # the Saturday after
    assert time_left(calendar, friday, date(2024, 5, 28)) == "overdue by 1 working day"  # bank hol.
    assert time_left(calendar, due, date(2024, 5, 28), short=True) == "5 late"
    assert time_left(calendar, due, date(2024, 5, 10), short=True) == "6 left"
