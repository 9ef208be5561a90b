"""No silent overwrite for the small shared values: settings, the appendix's wording, and
the names of teams and root causes (records have versions: `record_versions`).

A pane remembers the values it showed ("opened"). Saving writes only the values the officer
changed, and first compares each with what is stored now, in the same transaction, under an
advisory lock on a server (a file has one writer anyway): a value someone else changed since
— to anything other than what this officer typed — is not saved over; SharedValueChanged
names it, with their value beside the officer's, and nothing is written. Values the officer
did not touch are never written, so a colleague's change to another setting stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from cscdesk.errors import UserFacingError

# One lock for all of them: such saves are rare and short.
_LOCK = (0x43534344, 2)


@dataclass(frozen=True)
class ValueConflict:
    """One value changed both here and elsewhere."""

    label: str
    opened: str  # what the pane showed when it read it
    theirs: str  # stored now
    mine: str  # what this officer typed
    who: str = ""  # who wrote theirs (the row's changed_by), and when (UTC)
    at: datetime | None = None


class SharedValueChanged(UserFacingError):
    """`what` was changed elsewhere since it was shown; `conflicts` lists each value."""

    def __init__(self, what: str, conflicts: list[ValueConflict]) -> None:
        self.what, self.conflicts = what, conflicts
        labels = ", ".join(f"“{conflict.label}”" for conflict in conflicts)
        dated = [conflict for conflict in conflicts if conflict.at is not None]
        latest = max(dated, key=lambda conflict: conflict.at or datetime.min, default=None)
        by = ""
        if latest is not None and latest.at is not None:
            local = latest.at.replace(tzinfo=UTC).astimezone()
            by = (f" by {latest.who or 'someone'} at {local:%H:%M} on {local:%d/%m/%Y}")
        super().__init__(f"{what} changed on another PC{by} since you opened it ({labels}), "
                         "so your changes were not saved over theirs.")


def hold_shared_values(session: Session) -> None:
    """On a server: wait for, then hold to the end of the transaction, the one lock such
    saves take, so that a compare and its write are not split by another PC's save."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK[0]}, {_LOCK[1]})"))


def conflicts_of(labels: dict[str, str], opened: dict[str, str], now: dict[str, str],
                 mine: dict[str, str], written: dict[str, Any] | None = None
                 ) -> list[ValueConflict]:
    """The values of `mine` (only those the officer changed from `opened`) that are stored
    now as something else than was opened and than the officer typed; `written` gives the
    stored row of a key (its changed_by and updated_at), when there is one."""
    rows = written or {}
    return [ValueConflict(labels.get(key, key), opened[key], now.get(key, ""), value,
                          getattr(rows.get(key), "changed_by", "") or "",
                          getattr(rows.get(key), "updated_at", None))
            for key, value in mine.items()
            if key in opened and value != opened[key]
            and now.get(key, "") not in (opened[key], value)]


def changed_by_me(opened: dict[str, str], mine: dict[str, str]) -> dict[str, str]:
    """Only what the officer changed: the rest is not written (a colleague's change stays)."""
    return {key: value for key, value in mine.items() if opened.get(key) != value}
