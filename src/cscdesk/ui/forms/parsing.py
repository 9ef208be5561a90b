"""Reading what the officer types into date and money boxes, with a sentence when it is wrong.

Plain Python (no Qt) so the rules are easy to test: dates are typed day first, as dd/mm/yyyy,
with the shortcuts officers bring from spreadsheets (`t` for today, `1/12` without a year,
`23 Nov 2026` with the month's name).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

DATE_FORMAT_HINT = "dd/mm/yyyy"

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
# Without a year only a real month number is read, so a half-typed "03/0" stays "not a date".
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.\- ](0?[1-9]|1[0-2])$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED_MONTH = re.compile(
    r"^(\d{1,2})[/.\-\s]*([a-z]+)\.?(?:[/.,\-\s]*(\d{4}|\d{2}))?$", re.IGNORECASE
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
# Full names, three-letter abbreviations and the UK's "Sept".
_MONTH_NUMBERS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}
# The most recent 29 February can be eight years back (1896, then 1904: 1900 was not leap).
_YEARS_TO_LOOK_BACK = 9
_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


class ParseError(ValueError):
    """Text that cannot be read; `str()` is the sentence for the officer."""


def format_date(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def parse_date(text: str, label: str, today: date | None = None) -> date | None:
    """A date typed day first; blank is None.

    Read: dd/mm/yyyy (also d/m/yy, - . or space between), yyyy-mm-dd, `t` for today, a day and
    month name (`23 Nov 2026`, `23 November 2026`, `23-Sept-26`), and a day and month without a
    year (`1/12`, `23 Nov`), which is the most recent such date not after `today` (default: the
    real today): the dates of a case have mostly happened already (docs/decisions.md).
    """
    today = today or date.today()
    cleaned = text.strip()
    if not cleaned:
        return None
    if cleaned.lower() == "t":
        return today
    year: int | None
    if day_first := _DAY_FIRST.match(cleaned):
        day, month, year = int(day_first[1]), int(day_first[2]), _full_year(day_first[3])
    elif day_month := _DAY_MONTH.match(cleaned):
        day, month, year = int(day_month[1]), int(day_month[2]), None
    elif iso := _ISO.match(cleaned):
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
    elif named := _NAMED_MONTH.match(cleaned):
        if named[2].lower() not in _MONTH_NUMBERS:
            raise ParseError(f"{label}: “{cleaned}” is not a date (“{named[2]}” is not a month); "
                             f"type it as {DATE_FORMAT_HINT}.")
        day, month = int(named[1]), _MONTH_NUMBERS[named[2].lower()]
        year = _full_year(named[3]) if named[3] else None
    else:
        raise ParseError(f"{label}: “{cleaned}” is not a date; type it as {DATE_FORMAT_HINT}.")
    found = _real_date(year, month, day) if year is not None else _latest(month, day, today)
    if found is None:
        raise ParseError(
            f"{label}: “{cleaned}” is not a real date; type it as {DATE_FORMAT_HINT}."
        )
    return found


def _full_year(text: str) -> int:
    """Two-digit years are this century's ("24" is 2024)."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _latest(month: int, day: int, today: date) -> date | None:
    """The most recent day/month not after today: on 29/11/2026, 1/12 is 01/12/2025."""
    for year in range(today.year, today.year - _YEARS_TO_LOOK_BACK, -1):
        found = _real_date(year, month, day)
        if found is not None and found <= today:
            return found
    return None


def format_money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def parse_money(text: str, label: str) -> Decimal | None:
    """An amount in pounds such as 250, 1,250.50 or £80; blank is None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not _MONEY.match(cleaned):
        raise ParseError(
            f"{label}: “{cleaned}” is not an amount in pounds; type it as 250 or 1250.50."
        )
    try:
        return Decimal(cleaned.lstrip("£").strip().replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise ParseError(f"{label}: “{cleaned}” is not an amount in pounds.") from None
