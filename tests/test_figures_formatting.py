"""How the appendix writes numbers: rounding, N/A, signs, suppression, money."""

from __future__ import annotations

import pytest

from cscdesk.report import formatting as fmt


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(101, 200, 51), (1, 2, 50), (1, 8, 13), (5, 8, 63), (3, 8, 38), (2, 3, 67), (1, 3, 33),
     (0, 5, 0), (5, 5, 100), (0, 0, None), (1, 40, 3), (199, 400, 50)],
)
def test_percent_rounds_half_up(numerator, denominator, expected):
    assert fmt.percent(numerator, denominator) == expected


def test_percent_text():
    assert fmt.format_percent(51) == "51%"
    assert fmt.format_percent(None) == "N/A"


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(62, 33, "+29"), (39, 48, "-9"), (3, 3, "0"), (0, 0, "N/A"), (0, 4, "-4"), (4, 0, "+4")],
)
def test_count_difference(current, previous, expected):
    assert fmt.format_signed(fmt.count_difference(current, previous)) == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(51, 40, "+11%"), (83, 87, "-4%"), (50, 50, "0%"), (None, 40, "N/A"), (40, None, "N/A"),
     (0, 0, "0%")],
)
def test_points_difference(current, previous, expected):
    assert fmt.format_points(fmt.points_difference(current, previous)) == expected


@pytest.mark.parametrize(
    ("volume", "upheld", "expected"),
    [(6, 5, "83% (5)"), (4, 0, "0%"), (0, 0, "N/A"), (3, 2, "67% (2)"), (1, 1, "100% (1)"),
     (200, 101, "51% (101)")],
)
def test_upheld_cell(volume, upheld, expected):
    assert fmt.format_upheld(volume, upheld) == expected


def test_upheld_cell_of_hand_entered_year_without_counts():
    assert fmt.format_upheld(5, None, upheld_percent=40) == "40%"


def test_small_number_suppression():
    assert [fmt.format_count(n, suppress=True) for n in (0, 1, 4, 5, 12)] == \
        ["0", "<5", "<5", "5", "12"]
    assert fmt.format_count(3) == "3"
    assert fmt.format_upheld(6, 2, suppress=True) == "33% (<5)"


def test_money():
    assert fmt.format_money(180000) == "£1800"
    assert fmt.format_money(50050) == "£500.50"
    assert fmt.format_money(5) == "£0.05"
