"""What a complaint's "Ombudsman recommendation" actions say of its LGO compliance.

Decided (docs/decisions.md, "Casework"): when a complaint has such actions, compliance is due by
the latest of their due dates and complied on the latest of their done dates once every one is
done; those take the place of the dates typed on the complaint. Plain Python (no Qt).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cscdesk.domain.kinds import ActionData, ActionKind


@dataclass(frozen=True)
class Compliance:
    """The compliance the actions give: `due`, `complied` (None until all are done), and how
    many actions (`count`) and how many of them are still open (`open`)."""

    due: date | None
    complied: date | None
    count: int
    open: int

    def sentence(self) -> str:
        """For example "Due 12/06/2024, complied 10/06/2024: from 2 Ombudsman recommendation
        actions, used in place of the dates typed above."."""
        due = f"Due {self.due:%d/%m/%Y}" if self.due else "No due date"
        if self.complied is not None:
            done = f"complied {self.complied:%d/%m/%Y}"
        else:
            done = f"not complied yet ({self.open} of {self.count} open)"
        actions = ("1 Ombudsman recommendation action" if self.count == 1
                   else f"{self.count} Ombudsman recommendation actions")
        return f"{due}, {done}: from {actions}, used in place of the dates typed above."


def compliance_from(actions: Sequence[ActionData]) -> Compliance | None:
    """None when no action is an Ombudsman recommendation (the typed dates stand)."""
    recommended = [action for action in actions if action.action_kind is ActionKind.OMBUDSMAN]
    if not recommended:
        return None
    dues = [action.due for action in recommended if action.due is not None]
    dones = [action.done for action in recommended if action.done is not None]
    still_open = len(recommended) - len(dones)
    return Compliance(max(dues) if dues else None, max(dones) if not still_open else None,
                      len(recommended), still_open)
