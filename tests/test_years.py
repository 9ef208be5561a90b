from datetime import date

import pytest

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError


@pytest.mark.parametrize("text", ["2018", "2018/19", "2018-19", " 2018 / 19 ", "2018-2019"])
def test_parse_accepts_the_written_forms(text: str) -> None:
    assert ReportingYear.parse(text) == ReportingYear(2018)


@pytest.mark.parametrize("text", ["18/19", "2018/20", "2018-2020", "last year", "", "1999/01"])
def test_parse_rejects_other_text_with_a_sentence(text: str) -> None:
    with pytest.raises(InputError, match="reporting year"):
        ReportingYear.parse(text)


def test_labels_and_bounds() -> None:
    year = ReportingYear(2018)
    assert year.label == "2018/19"
    assert year.long_label == "2018-2019"
    assert year.previous.long_label == "2017-2018"
    assert (year.start, year.end) == (date(2018, 4, 1), date(2019, 3, 31))
    assert ReportingYear(1999).label == "1999/00"


def test_31_march_and_1_april_boundary() -> None:
    assert ReportingYear.containing(date(2019, 3, 31)) == ReportingYear(2018)
    assert ReportingYear.containing(date(2019, 4, 1)) == ReportingYear(2019)
    assert date(2019, 3, 31) in ReportingYear(2018)
    assert date(2019, 4, 1) not in ReportingYear(2018)
    assert date(2018, 4, 1) in ReportingYear(2018)


def test_last_complete_year() -> None:
    assert ReportingYear.last_complete(date(2026, 11, 25)) == ReportingYear(2025)
    assert ReportingYear.last_complete(date(2026, 3, 31)) == ReportingYear(2024)
    assert ReportingYear.last_complete(date(2026, 4, 1)) == ReportingYear(2025)
