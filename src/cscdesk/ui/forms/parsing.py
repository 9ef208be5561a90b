"""Reading what the officer types into date and money boxes, with a sentence when it is wrong.

Plain Python (no Qt) so the rules are easy to test: dates are typed day first, as dd/mm/yyyy.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

DATE_FORMAT_HINT = "dd/mm/yyyy"

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


class ParseError(ValueError):
    """Text that cannot be read; `str()` is the sentence for the officer."""


def format_date(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def parse_date(text: str, label: str) -> date | None:
    """A date typed as dd/mm/yyyy (also d/m/yy, - or . between, yyyy-mm-dd); blank is None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    day_first = _DAY_FIRST.match(cleaned)
    iso = _ISO.match(cleaned)
    if day_first:
        day, month, year_text = int(day_first[1]), int(day_first[2]), day_first[3]
        year = int(year_text) + 2000 if len(year_text) == 2 else int(year_text)
    elif iso:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
    else:
        raise ParseError(f"{label}: “{cleaned}” is not a date; type it as {DATE_FORMAT_HINT}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(
            f"{label}: “{cleaned}” is not a real date; type it as {DATE_FORMAT_HINT}."
        ) from None


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
