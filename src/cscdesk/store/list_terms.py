"""The words of the lists and the dashboard, without the SQL behind them.

`cscdesk.store.listing` (which needs SQLAlchemy and the models) uses and re-exports these; the
dashboard builds its buttons from them before the ORM has been imported, so its window can be
painted first.
"""

from __future__ import annotations

from enum import StrEnum

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind

# Nouns for counts ("312 complaints"), singular and plural.
NOUNS: dict[Kind, tuple[str, str]] = {
    kind: (spec.singular, spec.plural) for kind, spec in SPECS.items()
}


class Status(StrEnum):
    ALL = "All"
    OPEN = "Open"
    OVERDUE = "Overdue"
    CLOSED = "Closed"


def has_status(kind: Kind) -> bool:
    return SPECS[kind].has_status


def closed_word(kind: Kind) -> str:
    """How a list says a record is no longer open: an action is "Done", a case "Closed"."""
    return "Done" if kind is Kind.ACTION else Status.CLOSED.value


def has_overdue(kind: Kind) -> bool:
    return SPECS[kind].overdue_after_due
