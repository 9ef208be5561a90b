"""The documents kept with a record: adding, listing, reading and removing them.

A document belongs to one record, named by kind and reference (`models.Document`). Listing
never reads the bytes (the column is deferred), so a record with many documents opens as fast
as one without. Removing a document moves it to the bin (`binned_at`); its bytes stay until
the bin is emptied. Each change is an audit event of the record. Functions take the caller's
session and never commit.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, load_only

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.errors import InputError
from cscdesk.store import audit
from cscdesk.store.models import MODEL_OF, AuditEvent, Document, utc_now

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
        shown = size_text(size)
        if shown == size_text(MAX_SIZE):  # only just over: "25.0 MB" would read as allowed
            shown = f"{size:,} bytes"
        raise InputError(f"“{name}” is {shown}; a document may be at most "
                         f"{MAX_SIZE // (1024 * 1024)} MB ({MAX_SIZE:,} bytes). Keep a smaller "
                         "copy (a PDF rather than "
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


# ---- the bin ------------------------------------------------------------------------------
# A document removed on its own is in the bin by itself and is restored by itself. When its
# record is deleted, the documents still with it go to the bin at the very time written on the
# record's bin entry, which is how restoring the record brings back those, and only those.

RESTORE_DOCUMENT, DELETE_DOCUMENTS = "restore document", "delete documents"
DOCUMENTS_LABEL = "Documents"


@dataclass(frozen=True)
class BinnedDocument:
    """A document in the bin, removed on its own (not with its record)."""

    id: int
    kind: Kind
    reference: str
    name: str
    binned_at: datetime
    size: int
    removed_by: str = ""

    @property
    def label(self) -> str:
        """"Document: letter.docx of complaint C-1"."""
        return f"{DOCUMENT_LABEL}: {self.name} of {SPECS[self.kind].singular} {self.reference}"


def bin_with_record(session: Session, kind: Kind, reference: str, at: datetime) -> int:
    """The record is being deleted: its documents go to the bin with it, marked `at` (the
    time on its bin entry). Returns how many."""
    result = session.execute(update(Document).where(
        Document.record_kind == kind.value, Document.record_reference == reference.strip(),
        Document.binned_at.is_(None)).values(binned_at=at))
    return int(getattr(result, "rowcount", 0) or 0)


def restore_with_record(session: Session, kind: Kind, reference: str, at: datetime) -> int:
    """The record is back from the bin: so are the documents that went with it."""
    result = session.execute(update(Document).where(
        Document.record_kind == kind.value, Document.record_reference == reference.strip(),
        Document.binned_at == at).values(binned_at=None))
    return int(getattr(result, "rowcount", 0) or 0)


def binned(session: Session, deleted_records: set[tuple[str, str, datetime]] | None = None
           ) -> list[BinnedDocument]:
    """The documents in the bin on their own, newest first; `deleted_records` ((kind,
    reference, deleted at) of the records in the bin) leaves out those that went with one."""
    rows = session.execute(
        select(Document.id, Document.record_kind, Document.record_reference, Document.name,
               Document.binned_at, Document.size)
        .where(Document.binned_at.is_not(None))
        .order_by(Document.binned_at.desc(), Document.id.desc())).all()
    gone_with = deleted_records or set()
    return [BinnedDocument(row[0], Kind(row[1]), row[2], row[3], row[4] or utc_now(), row[5],
                           _removed_by(session, row[1], row[2], row[3]))
            for row in rows
            if (row[1], row[2], row[4]) not in gone_with]


def _removed_by(session: Session, kind_name: str, reference: str, name: str) -> str:
    """Who removed the document, from the record's audit trail ("" when it does not say)."""
    events = session.execute(
        select(AuditEvent.user, AuditEvent.changes)
        .where(AuditEvent.action == REMOVE, AuditEvent.kind == kind_name,
               AuditEvent.reference == reference)
        .order_by(AuditEvent.id.desc())).all()
    for user, changes in events:
        if json.loads(changes).get(DOCUMENT_LABEL, [None])[0] == name:
            return str(user)
    return ""


def restore(session: Session, document_id: int) -> DocumentInfo:
    """Put a document back with its record; InputError when the record is not there."""
    row = session.execute(select(Document.record_kind, Document.record_reference, Document.name,
                                 Document.binned_at).where(Document.id == document_id)).first()
    if row is None or row[3] is None:
        raise InputError("That document is no longer in the bin.")
    kind = Kind(row[0])
    model = MODEL_OF[kind]
    if session.scalar(select(model.id).where(model.reference == row[1])) is None:
        raise InputError(f"“{row[2]}” cannot be restored: its {SPECS[kind].singular} “{row[1]}” "
                         "is not there. Restore the record first.")
    session.execute(update(Document).where(Document.id == document_id).values(binned_at=None))
    audit.log_many(session, [audit.event_values(RESTORE_DOCUMENT, kind.value, row[1],
                                                {DOCUMENT_LABEL: [None, row[2]]})])
    found = info(session, document_id)
    assert found is not None
    return found


def empty_bin(session: Session) -> int:
    """Delete every document in the bin for good (bytes and all); returns how many. The
    caller audits emptying the bin."""
    result = session.execute(delete(Document).where(Document.binned_at.is_not(None)))
    return int(getattr(result, "rowcount", 0) or 0)


def delete_for_good(session: Session, kind: Kind, reference: str) -> int:
    """Delete every document of a record, in the bin or not, bytes and all (anonymising or
    retention: documents are personal data). Audited with how many went; returns it."""
    result = session.execute(delete(Document).where(
        Document.record_kind == kind.value, Document.record_reference == reference.strip()))
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        audit.log_many(session, [audit.event_values(DELETE_DOCUMENTS, kind.value,
                                                    reference.strip(),
                                                    {DOCUMENTS_LABEL: [count, 0]})])
    return count


# ---- reading many: subject access and the workbook ----------------------------------------

def listed_for_records(session: Session, keys: list[tuple[str, str]], *,
                       with_binned: bool = False) -> dict[tuple[str, str], list[DocumentInfo]]:
    """The documents of each (kind value, reference) in `keys`, oldest first, without their
    bytes; with `with_binned`, those in the bin too."""
    found: dict[tuple[str, str], list[DocumentInfo]] = {}
    by_kind: dict[str, list[str]] = {}
    for kind_name, reference in keys:
        by_kind.setdefault(kind_name, []).append(reference)
    for kind_name, references in by_kind.items():
        for start in range(0, len(references), 2000):
            query = (select(Document).options(load_only(*_LISTED))
                     .where(Document.record_kind == kind_name,
                            Document.record_reference.in_(references[start:start + 2000]))
                     .order_by(Document.created_at, Document.id))
            if not with_binned:
                query = query.where(Document.binned_at.is_(None))
            for row in session.scalars(query):
                found.setdefault((kind_name, row.record_reference), []).append(_info(row))
    return found


def every_listed(session: Session) -> Iterator[DocumentInfo]:
    """Every document not in the bin, by kind, reference and age, a chunk at a time; no bytes."""
    query = (select(Document).options(load_only(*_LISTED)).where(Document.binned_at.is_(None))
             .order_by(Document.record_kind, Document.record_reference, Document.created_at,
                       Document.id))
    for row in session.scalars(query, execution_options={"yield_per": 500}):
        yield _info(row)


def mentioning(session: Session, matches: Callable[[str], bool]
               ) -> set[tuple[str, str]]:
    """The (kind value, reference) of the records with a document whose name, email sender or
    email subject `matches` (the bin included: a removed document is still held)."""
    found: set[tuple[str, str]] = set()
    query = select(Document.record_kind, Document.record_reference, Document.name,
                   Document.email_from, Document.email_subject)
    for kind_name, reference, *texts in session.execute(
            query, execution_options={"yield_per": 2000}):
        if any(text and matches(text) for text in texts):
            found.add((kind_name, reference))
    return found


def count_for(session: Session, keys: list[tuple[Kind, str]]) -> int:
    """How many documents the records `keys` hold, the bin's included."""
    total = 0
    for kind, reference in keys:
        total += session.scalar(select(func.count()).select_from(Document).where(
            Document.record_kind == kind.value,
            Document.record_reference == reference.strip())) or 0
    return total
