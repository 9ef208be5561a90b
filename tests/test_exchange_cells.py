"""Reading single cells (as python-calamine hands them over) and the bulk due-date calculator."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from cscdesk.domain.kinds import ComplainantType, EnquirySource, Outcome
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.exchange import cells
from cscdesk.exchange.cells import CellError
from cscdesk.exchange.duedates import DueDateTable
from cscdesk.exchange.layout import BASELINE_FIGURES_SHEET, header_key, read_table
from cscdesk.exchange.reader import column_letter


@pytest.mark.parametrize(("value", "expected"), [
    (date(2024, 5, 3), date(2024, 5, 3)),
    (datetime(2024, 5, 3, 14, 30), date(2024, 5, 3)),
    ("2024-05-03", date(2024, 5, 3)),
    (" 2024-5-3 ", date(2024, 5, 3)),
    ("2024-05-03 00:00:00", date(2024, 5, 3)),
    ("03/05/2024", date(2024, 5, 3)),
    ("3/5/2024", date(2024, 5, 3)),
    (45415.0, date(2024, 5, 3)),
    (45415, date(2024, 5, 3)),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_dates_in_every_accepted_form(value: object, expected: date | None) -> None:
    assert cells.read_date(value) == expected


@pytest.mark.parametrize("value", [
    "31/02/2024", "2024-02-30", "05/03/24", "3 May 2024", "2024/05/03", "tomorrow", 45415.5,
    True, "0224-05-03", "03/05/2204", -5.0, 1e12,
])
def test_bad_dates_are_refused_with_a_hint(value: object) -> None:
    with pytest.raises(CellError) as caught:
        cells.read_date(value)
    assert str(caught.value).endswith(".")


@pytest.mark.parametrize(("value", "expected"), [
    ("Yes", True), ("YES", True), (" yes ", True), ("No", False), ("no", False),
    ("", False), (None, False), (True, True), (False, False),
])
def test_yes_no(value: object, expected: bool) -> None:
    assert cells.read_yes_no(value) is expected


@pytest.mark.parametrize("value", ["Y", "N", "true", "1", 1.0, "maybe"])
def test_yes_no_refuses_anything_else(value: object) -> None:
    with pytest.raises(CellError, match="Yes or No"):
        cells.read_yes_no(value)


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, 1), (2, 2), ("3", 3), (" 2 ", 2), ("Stage 2", 2), ("stage 3", 3), ("", None),
])
def test_stage(value: object, expected: int | None) -> None:
    assert cells.read_stage(value) == expected


@pytest.mark.parametrize("value", [0, 4, 1.5, "one", "Stage 4", True])
def test_bad_stage(value: object) -> None:
    with pytest.raises(CellError, match="1, 2 or 3"):
        cells.read_stage(value)


def test_choices_ignore_case_and_spaces() -> None:
    outcome = cells.choice_reader(Outcome)
    assert outcome(" partially  UPHELD ") is Outcome.PARTIALLY_UPHELD
    assert outcome("") is None
    with pytest.raises(CellError, match="Upheld, Partially upheld, Not upheld or Cancelled"):
        outcome("Won")
    source = cells.choice_reader(EnquirySource, {"Members": EnquirySource.MEMBER})
    assert source("members") is EnquirySource.MEMBER and source("mep") is EnquirySource.MEP
    assert cells.choice_reader(ComplainantType)("foster CARER") is ComplainantType.FOSTER_CARER


@pytest.mark.parametrize(("value", "expected"), [
    (1800.0, Decimal("1800.00")), (1800.5, Decimal("1800.50")), (0.1, Decimal("0.10")),
    ("£1,800.50", Decimal("1800.50")), ("1800", Decimal("1800.00")), ("-5", Decimal("-5.00")),
    ("", None), (None, None),
])
def test_money(value: object, expected: Decimal | None) -> None:
    assert cells.read_money(value) == expected


@pytest.mark.parametrize("value", ["lots", "1.234", 0.125, "£", True, "1,80.0.1"])
def test_bad_money(value: object) -> None:
    with pytest.raises(CellError):
        cells.read_money(value)


def test_text_turns_numbers_and_dates_into_what_excel_shows() -> None:
    assert cells.read_text(1234.0) == "1234"
    assert cells.read_text(12.5) == "12.5"
    assert cells.read_text("  padded  ") == "padded"
    assert cells.read_text("=SUM(A1)") == "=SUM(A1)"
    assert cells.read_text(date(2024, 5, 3)) == "2024-05-03"
    assert cells.read_text(None) == ""


def test_counts_percentages_years_and_tables() -> None:
    assert cells.read_count(12.0) == 12 and cells.read_count("") is None
    assert cells.read_percent("71%") == 71 and cells.read_percent(100) == 100
    assert cells.read_year("2017/18") == 2017 and cells.read_year(2017.0) == 2017
    assert cells.read_year("2017-2018") == 2017
    assert read_table("ENQUIRIES members") == "enquiries_member"
    assert read_table("closed_volume") == "closed_volume"
    for bad, reader in ((-1, cells.read_count), (2.5, cells.read_count),
                        (0.51, cells.read_percent), (101, cells.read_percent),
                        ("2017/19", cells.read_year), ("next year", cells.read_year),
                        ("Biggest", read_table)):
        with pytest.raises(CellError):
            reader(bad)


def test_header_keys_and_column_letters() -> None:
    assert header_key("  Escalated   From * ") == "escalated from"
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]
    labels = [column.label for column in BASELINE_FIGURES_SHEET.columns]
    assert labels[:3] == ["Year", "Initial feedback", "Stage 1"] and "ADR saving" in labels


def test_bulk_due_dates_agree_with_the_working_calendar() -> None:
    calendar = WorkingCalendar([date(2024, 12, 27), date(2019, 1, 2)])
    bulk = DueDateTable(calendar)
    rng = random.Random(3)
    days = [date(2024, 5, 3), date(2022, 9, 16), date(2023, 5, 5), date(2030, 1, 1),
            date(2001, 6, 1)] + [date(2010, 1, 1) + timedelta(days=rng.randrange(6000))
                                 for _ in range(300)]
    for received in days:
        for stage in (1, 2, 3):
            for extended in (False, True):
                assert bulk.due(received, stage, extended) == calendar.response_due(
                    received, stage, extended), (received, stage, extended)
    assert bulk.due(date(2024, 5, 3), 1, False) == date(2024, 5, 20)
