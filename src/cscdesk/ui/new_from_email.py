"""A new record from an email (File › New from email…, a list's button, or an `.eml`/`.msg`
dropped on a list): the form opens with the received date, the name, the summary (and, for a
complaint, the sender's addresses in Notes) proposed from the message, as if typed, so Esc
asks before they are thrown away. When the officer saves, the email is kept as the record's
document in the same transaction as the record: the record and its email, or neither.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    EnquiryData,
    InitialFeedbackData,
    Kind,
    RecordData,
)
from cscdesk.errors import InputError
from cscdesk.store.engine import Database
from cscdesk.ui.dialog_service import UserDialogs

if TYPE_CHECKING:
    from cscdesk.documents.emails import Email
    from cscdesk.ui.forms.document_store import PendingDocument

# The kinds a message from the public (or a member) starts.
EMAIL_KINDS = (Kind.COMPLAINT, Kind.INITIAL_FEEDBACK, Kind.ENQUIRY, Kind.COMPLIMENT)
EMAIL_FILTER = "Emails (*.eml *.msg);;All files (*)"
NEW_FROM_EMAIL_SHORTCUT = "Ctrl+Shift+E"


def proposed_record(kind: Kind, message: Email) -> RecordData:
    """The new record's values proposed from `message`: received date, name (complaint and
    enquiry only: the other kinds keep no name), summary, and for a complaint the addresses
    found (the sender's email address, a postal address in the body) in Notes."""
    from cscdesk.documents.emails import propose_record

    proposal = propose_record(message)
    received = proposal.get("received")
    received = received if isinstance(received, date) else None
    name = str(proposal.get("complainant_name") or "")
    address = str(proposal.get("complainant_address") or "")
    summary = str(proposal.get("summary") or "")
    if kind is Kind.COMPLAINT:
        return ComplaintData(received=received, stage=1, complainant=name, summary=summary,
                             notes=f"Address (from the email): {address}" if address else "")
    if kind is Kind.ENQUIRY:
        return EnquiryData(received=received, enquirer=name, summary=summary)
    if kind is Kind.COMPLIMENT:
        return ComplimentData(received=received, summary=summary)
    if kind is Kind.INITIAL_FEEDBACK:
        return InitialFeedbackData(received=received, summary=summary)
    raise InputError("Only a complaint, initial feedback, an enquiry or a compliment can be "
                     "made from an email.")


def read_email_file(path: Path) -> tuple[PendingDocument, Email]:
    """The email file, read and checked; InputError with a sentence naming it when it is not
    an email, too large or unreadable."""
    from cscdesk.documents.emails import is_email_name, read_email
    from cscdesk.ui.forms.document_store import read_file  # the forms: once one is opened

    if not is_email_name(path.name):
        raise InputError(f"“{path.name}” is not an email: a new record is made from an email "
                         "saved from the mail program as an .eml or .msg file (in Outlook, "
                         "drag the message to a folder, then onto the list).")
    pending = read_file(path)
    message = read_email(pending.name, pending.data)
    if message is None:  # as is_email_name said it would not be
        raise InputError(f"“{path.name}” is not an email.")
    return pending, message


def new_record_from_email(parent: QWidget | None, database: Database, kind: Kind, path: Path,
                          dialogs: UserDialogs) -> str | None:
    """Open a new record of `kind` proposed from the email at `path`; the reference saved
    (the email kept with it), or None when nothing was saved or the file is no email."""
    from cscdesk.ui.forms import open_record_form

    if kind not in EMAIL_KINDS:
        kind = Kind.COMPLAINT
    try:
        pending, message = read_email_file(path)
    except InputError as problem:
        dialogs.warn(parent, "No record made from the email", str(problem))
        return None
    return open_record_form(parent, database, kind, None, dialogs,
                            prefill=proposed_record(kind, message), attach_on_save=[pending])


