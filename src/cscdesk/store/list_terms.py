"""The words of the lists and the dashboard, without the SQL behind them.

`cscdesk.store.listing` (which needs SQLAlchemy and the models) uses and re-exports these; the
dashboard builds its buttons from them before the ORM has been imported, so its window can be
painted first.
"""

from __future__ import annotations

from enum import StrEnum

from cscdesk.domain.kinds import Kind

# Nouns for counts ("312 complaints"), singular and plural.
NOUNS: dict[Kind, tuple[str, str]] = {
    Kind.COMPLAINT: ("complaint", "complaints"),
    Kind.INITIAL_FEEDBACK: ("initial feedback", "initial feedback"),
    Kind.ENQUIRY: ("enquiry", "enquiries"),
    Kind.COMPLIMENT: ("compliment", "compliments"),
    Kind.DISPUTE: ("dispute resolution case", "dispute resolution cases"),
}


class Status(StrEnum):
    ALL = "All"
    OPEN = "Open"
    OVERDUE = "Overdue"
    CLOSED = "Closed"


def has_status(kind: Kind) -> bool:
    return kind is not Kind.COMPLIMENT


def has_overdue(kind: Kind) -> bool:
    return kind is Kind.COMPLAINT
