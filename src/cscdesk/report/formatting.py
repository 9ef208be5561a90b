"""How the appendix writes its numbers: pure functions, no database, no PDF.

The rules (rules.md, "Figures of the appendix"): percentages are whole numbers rounded half up
(50.5 -> 51) and a rate over nothing is `N/A`; the Difference row writes counts as `+29`, `-9`,
`0` (`N/A` when both years are 0) and percentages in percentage points (`+11%`, `-4%`, `0%`,
`N/A` when either side is `N/A`).
"""

from __future__ import annotations

NOT_APPLICABLE = "N/A"
SUPPRESSED = "<5"
SUPPRESS_BELOW = 5
# Printed under a table whose small counts are suppressed.
SUPPRESSED_NOTE = "Counts from 1 to 4 are shown as <5 to protect the people concerned."


def percent(numerator: int, denominator: int) -> int | None:
    """100 * numerator / denominator as a whole number rounded half up; None over nothing.

    Integer arithmetic, so 101/200 is exactly 50.5 and becomes 51 (floats would round it to
    50 or 51 by accident of representation).
    """
    if denominator <= 0:
        return None
    return (200 * numerator + denominator) // (2 * denominator)


def format_percent(value: int | None) -> str:
    """`51%`, or `N/A` for a rate over nothing."""
    return NOT_APPLICABLE if value is None else f"{value}%"


def count_difference(current: int, previous: int) -> int | None:
    """Current minus previous; None (`N/A`) when both are 0."""
    if current == 0 and previous == 0:
        return None
    return current - previous


def points_difference(current: int | None, previous: int | None) -> int | None:
    """Difference of two percentages in percentage points; None when either is `N/A`."""
    if current is None or previous is None:
        return None
    return current - previous


def format_signed(value: int | None) -> str:
    """`+29`, `-9`, `0` or `N/A`."""
    if value is None:
        return NOT_APPLICABLE
    return f"+{value}" if value > 0 else str(value)


def format_points(value: int | None) -> str:
    """`+11%`, `-4%`, `0%` or `N/A`."""
    return NOT_APPLICABLE if value is None else f"{format_signed(value)}%"


def format_count(value: int, *, suppress: bool = False) -> str:
    """A count in a team table; with suppression, 1 to 4 print as `<5` (0 reveals nobody)."""
    if suppress and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return str(value)


def format_upheld(volume: int, upheld: int | None, *, suppress: bool = False,
                  upheld_percent: int | None = None) -> str:
    """The upheld cell of the by-area table: `67% (2)`, `0%` when none, `N/A` over nothing.

    `upheld_percent` is used only when the count is unknown (a hand-entered year).
    """
    if volume == 0:
        return NOT_APPLICABLE
    if upheld is None:
        return format_percent(upheld_percent)
    if upheld == 0:
        return "0%"
    return f"{format_percent(percent(upheld, volume))} ({format_count(upheld, suppress=suppress)})"


def format_money(pence: int) -> str:
    """`£1800`, or `£1800.50` when there are pence (the example writes no thousands separator)."""
    pounds, rest = divmod(pence, 100)
    return f"£{pounds}" if rest == 0 else f"£{pounds}.{rest:02d}"


def number_word(value: int) -> str:
    """`one` to `ten` as words (the example says "The one case"), other numbers as digits."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[value] if 0 <= value < len(words) else str(value)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return singular if count == 1 else (plural_form or singular + "s")
