"""Controls the signed-in login may not use on a server database are switched off, each with
a tooltip that says why (`store.capabilities`); the server would refuse them anyway."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from cscdesk.store.capabilities import Capabilities

WRITE_RECORDS = "add, change or delete records"
CHANGE_LISTS = "rename or retire teams and root causes, or change the non-working days"
CHANGE_SETTINGS = "change the settings or the appendix's wording"
READ_AUDIT = "read the audit trail"


def allowed(capabilities: Capabilities, what: str) -> bool:
    return {WRITE_RECORDS: capabilities.write_records,
            CHANGE_LISTS: capabilities.change_lists,
            CHANGE_SETTINGS: capabilities.change_settings,
            READ_AUDIT: capabilities.read_audit}[what]


def gate(capabilities: Capabilities, what: str, controls: Iterable[QWidget | QAction]) -> bool:
    """Switch `controls` off with the reason when the login may not do `what`; True when it
    may (the controls are then left as they are: their own state still applies)."""
    if allowed(capabilities, what):
        return True
    reason = capabilities.refusal(what)
    for control in controls:
        control.setEnabled(False)
        control.setToolTip(reason)
        if isinstance(control, QAction):
            control.setStatusTip(reason)
    return False
