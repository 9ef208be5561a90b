"""Reading one cell: what python-calamine hands over (str, float, int, bool, date, datetime)
turned into the value a record field holds, or a CellError saying what is wrong with it.

These are the cell-level rules of the workbook (a date, Yes/No, a stage, a choice from a fixed
list, an amount of money); the rules that concern a whole record live in domain.validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from cscdesk.domain.kinds import STAGES
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError

EARLIEST_YEAR = 1950
LATEST_YEAR = 2199
# Excel's day 0 for serial numbers (the 1900 leap-year bug makes it 30 December 1899).
EXCEL_EPOCH = date(1899, 12, 30)
DATE_HINT = "write it as DD/MM/YYYY or YYYY-MM-DD, or make it an Excel date"

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_MONEY_TEXT = re.compile(r"^£?\s*([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)$")


class CellError(ValueError):
    """The cell's value is not acceptable; the message is a sentence for the officer."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value: object) -> str:
    """Any cell as text: whole numbers without `.0`, dates as YYYY-MM-DD."""
    if value.__class__ is str:
        return value.strip()
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.min.time() else (
            value.date().isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_date(value: object) -> date | None:
    """An Excel date cell, an Excel serial number, or YYYY-MM-DD / DD/MM/YYYY text."""
    if value.__class__ is date:
        return _plausible(value)
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
    if isinstance(value, bool):
        raise CellError(f"This is not a date; {DATE_HINT}.")
    if isinstance(value, int | float):
        if not float(value).is_integer():
            raise CellError(f"This number is not a whole day; {DATE_HINT}.")
        try:
            return _plausible(EXCEL_EPOCH + timedelta(days=int(value)))
        except OverflowError:
            raise CellError(f"This is not a date; {DATE_HINT}.") from None
    if isinstance(value, str):
        text = value.strip()
        iso = _ISO_DATE.match(text)
        uk = _UK_DATE.match(text)
        parts = (iso[1], iso[2], iso[3]) if iso else (uk[3], uk[2], uk[1]) if uk else None
        if parts is not None:
            year, month, day = parts
            try:
                written = date(int(year), int(month), int(day))
            except ValueError:
                raise CellError(f"This day does not exist in the calendar; {DATE_HINT}.") from None
            return _plausible(written)
    raise CellError(f"This is not a date; {DATE_HINT}.")


def _plausible(day: date) -> date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:  # a typo such as 0224 or 2204
        raise CellError(f"The year {day.year} is not plausible; check the date.")
    return day


def read_yes_no(value: object) -> bool:
    """Yes, No or blank (= No), any case; a TRUE/FALSE cell is taken as Yes/No."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "yes":
            return True
        if text == "no":
            return False
    raise CellError("Write Yes or No (or leave it blank for No).")


def read_stage(value: object) -> int | None:
    """1, 2 or 3, as a number or as text (`2`, `Stage 2`); blank is left to validation."""
    if is_blank(value):
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().removeprefix("stage").strip()
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is not None and number.is_integer() and int(number) in STAGES:
        return int(number)
    raise CellError("Stage must be 1, 2 or 3.")


def choice_reader(
    enum_class: type[StrEnum], aliases: dict[str, StrEnum] | None = None
) -> Callable[[object], StrEnum | None]:
    """A reader for a fixed list of values, matched ignoring case and surrounding spaces."""
    by_text: dict[str, StrEnum] = {member.value.lower(): member for member in enum_class}
    by_text.update({alias.lower(): member for alias, member in (aliases or {}).items()})
    allowed = _spoken_list([member.value for member in enum_class])

    def read(value: object) -> StrEnum | None:
        if is_blank(value):
            return None
        if isinstance(value, str):
            found = by_text.get(" ".join(value.split()).lower())
            if found is not None:
                return found
        raise CellError(f"Write one of {allowed}.")

    return read


def read_money(value: object) -> Decimal | None:
    """Pounds as a number or as text (`£1,800.50`); at most two decimal places."""
    if is_blank(value):
        return None
    amount: Decimal | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(float(value)))
    elif isinstance(value, str):
        text = value.strip()
        negative = text.startswith("-")
        match = _MONEY_TEXT.match(text.lstrip("-").strip())
        if match:
            try:
                amount = Decimal(match[1].replace(",", ""))
            except InvalidOperation:
                amount = None
            if amount is not None and negative:
                amount = -amount
    if amount is None or not amount.is_finite():
        raise CellError("Write an amount in pounds, such as 1800 or 1800.50.")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("An amount in pounds has at most two decimal places (pence).")
    if abs(amount) >= Decimal("1e12"):
        raise CellError("This amount is too large (a million million pounds or more); check it.")
    return amount.quantize(Decimal("0.01"))


def read_count(value: object) -> int | None:
    """A whole number of 0 or more; blank means not known."""
    if is_blank(value):
        return None
    number = _number(value)
    if number is None or not number.is_integer() or number < 0 or number >= 1e9:
        raise CellError("Write a whole number of 0 or more (or leave it blank if not known).")
    return int(number)


def read_percent(value: object) -> int | None:
    """A whole percentage from 0 to 100 (`51` or `51%` as text); blank means not known.

    A fraction such as 0.51 (a cell formatted as a percentage) is refused rather than guessed at.
    """
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _number(value.strip()[:-1])
    else:
        number = _number(value)
    if number is None or not number.is_integer() or not 0 <= number <= 100:
        raise CellError("Write a whole percentage from 0 to 100, such as 51.")
    return int(number)


def read_year(value: object) -> int | None:
    """A reporting year as 2017/18, 2017-18 or 2017; returns the year it starts."""
    if is_blank(value):
        return None
    text = read_text(value)
    try:
        return ReportingYear.parse(text).start_year
    except InputError:
        raise CellError("Write a reporting year such as 2017/18.") from None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def _spoken_list(values: list[str]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]
