"""How plain values read to a person: dates dd/mm/yyyy, Yes/No, enums by their wording."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum


def display_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
