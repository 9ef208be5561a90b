"""The documents kept with a record: adding, listing, reading and removing them.

A document belongs to one record, named by kind and reference (`models.Document`). Listing
never reads the bytes (the column is deferred), so a record with many documents opens as fast
as one without. Removing a document moves it to the bin (`binned_at`); its bytes stay until
the bin is emptied. Each change is an audit event of the record. Functions take the caller's
session and never commit.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, load_only

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.errors import InputError
from cscdesk.store import audit
from cscdesk.store.models import MODEL_OF, Document, utc_now

MAX_SIZE = 25 * 1024 * 1024  # bytes: what one document may hold
MAX_NAME = 255

# Audit actions of a record's documents.
ATTACH, REMOVE = "attach", "remove document"
DOCUMENT_LABEL = "Document"

_LISTED = (Document.id, Document.record_kind, Document.record_reference, Document.name,
           Document.content_type, Document.size, Document.created_at, Document.changed_by,
           Document.email_from, Document.email_date, Document.email_subject, Document.letter)


@dataclass(frozen=True)
class EmailFacts:
    """What an email says of itself, shown in the record's document list."""

    sender: str = ""
    sent: datetime | None = None
    subject: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """A document as listed: everything but its bytes."""

    id: int
    kind: Kind
    reference: str
    name: str
    content_type: str
    size: int
    added_at: datetime
    added_by: str
    email: EmailFacts | None
    letter: str

    @property
    def is_email(self) -> bool:
        return self.email is not None


def size_text(size: int) -> str:
    """"812 bytes", "200 KB", "12.5 MB": a size as a person reads it."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(name: str, size: int) -> None:
    """A document over the limit gets a sentence naming it, before anything is read or kept."""
    if size > MAX_SIZE:
        raise InputError(f"“{name}” is {size_text(size)}; a document may be at most "
                         f"{size_text(MAX_SIZE)}. Keep a smaller copy (a PDF rather than "
                         "scans, say) or leave the file where it is and note where.")


def add(session: Session, kind: Kind, reference: str, name: str, data: bytes, *,
        email: EmailFacts | None = None, letter: str = "") -> DocumentInfo:
    """Keep `data` as a document of the record; InputError when the record does not exist,
    the name is empty or the file is too large."""
    name = name.strip()
    if not name:
        raise InputError("A document needs a file name.")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:MAX_NAME - len(extension) - 1] + dot + extension) if dot else name[:MAX_NAME]
    check_size(name, len(data))
    model = MODEL_OF[kind]
    if session.scalar(select(model.id).where(model.reference == reference.strip())) is None:
        raise InputError(f"No {SPECS[kind].singular} has reference “{reference.strip()}”: "
                         "save the record before adding documents to it.")
    content_type = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
    row = Document(record_kind=kind.value, record_reference=reference.strip(), name=name,
                   content_type=content_type, size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), data=data,
                   email_from=(email.sender if email else "")[:400],
                   email_date=email.sent if email else None,
                   email_subject=(email.subject if email else "")[:400], letter=letter)
    session.add(row)
    session.flush()
    audit.log_many(session, [audit.event_values(ATTACH, kind.value, reference.strip(),
                                                {DOCUMENT_LABEL: [None, name]})])
    found = info(session, row.id)
    assert found is not None
    return found


def _info(row: Document) -> DocumentInfo:
    email = (EmailFacts(row.email_from, row.email_date, row.email_subject)
             if row.email_from or row.email_subject or row.email_date else None)
    return DocumentInfo(row.id, Kind(row.record_kind), row.record_reference, row.name,
                        row.content_type, row.size, row.created_at, row.changed_by, email,
                        row.letter)


def info(session: Session, document_id: int) -> DocumentInfo | None:
    row = session.scalars(select(Document).options(load_only(*_LISTED))
                          .where(Document.id == document_id)).first()
    return None if row is None else _info(row)


def list_for(session: Session, kind: Kind, reference: str) -> list[DocumentInfo]:
    """The record's documents not in the bin, oldest first; their bytes are not read."""
    rows = session.scalars(
        select(Document).options(load_only(*_LISTED))
        .where(Document.record_kind == kind.value,
               Document.record_reference == reference.strip(),
               Document.binned_at.is_(None))
        .order_by(Document.created_at, Document.id))
    return [_info(row) for row in rows]


def read(session: Session, document_id: int) -> bytes:
    """The document's bytes; InputError when it is gone."""
    data = session.scalar(select(Document.data).where(Document.id == document_id))
    if data is None:
        raise InputError("That document is no longer kept: someone may have removed it.")
    return bytes(data)


def remove(session: Session, document_id: int) -> DocumentInfo:
    """Move a document to the bin: it leaves the record's list; its bytes stay until the bin
    is emptied."""
    found = info(session, document_id)
    if found is None:
        raise InputError("That document is no longer kept: someone may have removed it.")
    session.execute(update(Document).where(Document.id == document_id)
                    .values(binned_at=utc_now()))
    audit.log_many(session, [audit.event_values(REMOVE, found.kind.value, found.reference,
                                                {DOCUMENT_LABEL: [found.name, None]})])
    return found


def follow_renamed_record(session: Session, kind: Kind, old_reference: str,
                          new_reference: str) -> None:
    """A record renamed: its documents go with it."""
    if old_reference.strip() == new_reference.strip():
        return
    session.execute(update(Document)
                    .where(Document.record_kind == kind.value,
                           Document.record_reference == old_reference.strip())
                    .values(record_reference=new_reference.strip()))
