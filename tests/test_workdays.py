from datetime import date

import pytest

from cscdesk.domain.workdays import WorkingCalendar, is_bank_holiday

calendar = WorkingCalendar()


def test_rules_example_friday_before_a_bank_holiday() -> None:
    # Received Friday 3 May 2024, 6 May is a bank holiday: Stage 1 due Monday 20 May 2024.
    assert calendar.response_due(date(2024, 5, 3), 1) == date(2024, 5, 20)


@pytest.mark.parametrize(
    ("received", "stage", "extended", "due"),
    [
        (date(2024, 5, 3), 1, True, date(2024, 6, 4)),  # 27 May is a bank holiday
        (date(2024, 5, 3), 2, False, date(2024, 6, 11)),
        (date(2024, 5, 3), 3, False, date(2024, 6, 18)),
        (date(2024, 5, 3), 3, True, date(2024, 6, 18)),  # an extension does not change Stage 3
    ],
)
def test_stage_lengths(received: date, stage: int, extended: bool, due: date) -> None:
    assert calendar.response_due(received, stage, extended) == due


def test_stage_2_extended_is_65_working_days() -> None:
    due = calendar.response_due(date(2024, 1, 2), 2, True)
    assert calendar.working_days_between(date(2024, 1, 2), due) == 65
    assert calendar.is_working_day(due)


def test_weekend_receipt_counts_from_the_next_working_day() -> None:
    # Saturday 6 and Sunday 7 Jan 2024: day 1 is Monday 8 Jan either way.
    saturday = calendar.response_due(date(2024, 1, 6), 1)
    sunday = calendar.response_due(date(2024, 1, 7), 1)
    friday = calendar.response_due(date(2024, 1, 5), 1)
    assert saturday == sunday == friday == date(2024, 1, 19)
    assert calendar.add_working_days(date(2024, 1, 6), 1) == date(2024, 1, 8)


@pytest.mark.parametrize(
    "day",
    [date(2022, 9, 19), date(2023, 5, 8), date(2024, 3, 29), date(2024, 4, 1), date(2024, 12, 26)],
)
def test_englands_bank_holidays_including_one_off_days(day: date) -> None:
    assert is_bank_holiday(day)
    assert not calendar.is_working_day(day)


def test_one_off_bank_holidays_move_due_dates() -> None:
    # Queen's funeral, Monday 19 September 2022: received Friday 16th, day 1 is Tuesday 20th.
    assert calendar.add_working_days(date(2022, 9, 16), 1) == date(2022, 9, 20)
    # Coronation, Monday 8 May 2023 (1 May also a bank holiday).
    assert calendar.response_due(date(2023, 4, 28), 1) == date(2023, 5, 16)


def test_substitute_days_are_not_working_days() -> None:
    # Christmas 2022 fell on a Sunday: Tuesday 27 December was the substitute day.
    assert is_bank_holiday(date(2022, 12, 27))
    assert calendar.add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


def test_scottish_only_days_are_working_days_in_england() -> None:
    assert calendar.is_working_day(date(2024, 1, 2))  # 2 January is a holiday only in Scotland
    assert calendar.is_working_day(date(2024, 8, 5))  # Scotland's August bank holiday


def test_extra_non_working_days() -> None:
    closure = WorkingCalendar([date(2024, 5, 7)])
    assert not closure.is_working_day(date(2024, 5, 7))
    assert closure.response_due(date(2024, 5, 3), 1) == date(2024, 5, 21)


def test_working_days_between_is_signed() -> None:
    assert calendar.working_days_between(date(2024, 5, 3), date(2024, 5, 20)) == 10
    assert calendar.working_days_between(date(2024, 5, 20), date(2024, 5, 3)) == -10
    assert calendar.working_days_between(date(2024, 5, 3), date(2024, 5, 3)) == 0
