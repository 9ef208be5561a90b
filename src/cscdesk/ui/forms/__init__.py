"""The record forms: one dialog per record, for every kind, new or existing.

`open_record_form` is the entry point for the rest of the application.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from cscdesk.domain.kinds import Kind, RecordData
from cscdesk.errors import UserFacingError
from cscdesk.store.engine import Database
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.forms.dialog import RecordFormDialog
from cscdesk.ui.forms.document_store import PendingDocument

__all__ = ["RecordFormDialog", "open_record_form"]


def open_record_form(
    parent: QWidget | None,
    database: Database,
    kind: Kind,
    reference: str | None = None,
    dialogs: UserDialogs | None = None,
    prefill: RecordData | None = None,
    attach_on_save: Sequence[PendingDocument] = (),
) -> str | None:
    """Show the form modally; returns the reference last saved, or None if nothing was saved
    (cancelled) or the record was deleted. "Escalate" continues with the new linked complaint.
    `attach_on_save` (the email a new record is made from) is kept in the record's first save."""
    dialogs = dialogs or UserDialogs()
    try:
        dialog = RecordFormDialog(parent, database, kind, reference, dialogs, prefill=prefill,
                                  attach_on_save=attach_on_save)
    except UserFacingError as problem:
        dialogs.warn(parent, "Cannot open the record", str(problem))
        return None
    saved: str | None = None
    while True:
        dialog.exec()
        if dialog.saved_reference:
            saved = dialog.saved_reference
        if dialog.deleted:
            saved = None
        following = dialog.escalation
        dialog.deleteLater()
        if following is None:
            return saved
        dialog = RecordFormDialog(parent, database, Kind.COMPLAINT, None, dialogs,
                                  prefill=following)
