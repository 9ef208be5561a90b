"""What a form's Documents section asks of the database and the disk, each in one short
session (one per document).

No Qt here: the section calls these and shows what they return or raise. A file that cannot be
kept (too large, unreadable) is a sentence naming it; the other files are still attached, each
in its own transaction, so one bad file never loses the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cscdesk.documents.emails import is_email_name, read_email
from cscdesk.domain.kinds import Kind
from cscdesk.errors import InputError
from cscdesk.store import documents
from cscdesk.store.documents import DocumentInfo, EmailFacts
from cscdesk.store.engine import Database


@dataclass(frozen=True)
class PendingDocument:
    """A file read but not yet kept: the email a new record was made from waits for the
    record's first save, and is kept in that save's transaction."""

    name: str
    data: bytes
    email: EmailFacts | None = None


@dataclass
class Attached:
    """What an attach did: the documents kept and a sentence for each file that was not."""

    added: list[DocumentInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_file(path: Path) -> PendingDocument:
    """A file from the disk, with what it says of itself when it is an email; InputError
    naming it when it is too large or cannot be read (the size is checked before reading)."""
    name = path.name
    try:
        if path.is_dir():
            raise InputError(f"“{name}” is a folder: attach the files inside it instead.")
        documents.check_size(name, path.stat().st_size)
        data = path.read_bytes()
    except OSError as problem:
        reason = problem.strerror or type(problem).__name__
        raise InputError(f"“{name}” could not be read ({reason.lower()}); it was not "
                         "attached.") from problem
    documents.check_size(name, len(data))  # it may have grown since
    return PendingDocument(name, data, email_facts(name, data))


def email_facts(name: str, data: bytes) -> EmailFacts | None:
    """Sender, date and subject of an `.eml`/`.msg` file; None for any other file."""
    if not is_email_name(name):
        return None
    found = read_email(name, data)
    return found.facts if found is not None else None


def keep(database: Database, kind: Kind, reference: str, pending: PendingDocument,
         letter: str = "") -> DocumentInfo:
    """Keep one document of the record, in its own transaction."""
    with database.transaction() as session:
        return documents.add(session, kind, reference, pending.name, pending.data,
                             email=pending.email, letter=letter)


def attach_paths(database: Database, kind: Kind, reference: str, paths: Sequence[Path],
                 progress: Callable[[int, str], bool] | None = None) -> Attached:
    """Attach each file to the record. `progress(done, name)` is told before each file and
    may return False to stop (the files kept so far stay)."""
    outcome = Attached()
    for number, path in enumerate(paths):
        if progress is not None and not progress(number, path.name):
            break
        try:
            outcome.added.append(keep(database, kind, reference, read_file(path)))
        except InputError as problem:
            outcome.problems.append(str(problem))
    return outcome


def list_documents(database: Database, kind: Kind, reference: str) -> list[DocumentInfo]:
    """The record's documents, without their bytes."""
    with database.session() as session:
        return documents.list_for(session, kind, reference)


def read_document(database: Database, document_id: int) -> bytes:
    with database.session() as session:
        return documents.read(session, document_id)


def remove_document(database: Database, document_id: int) -> DocumentInfo:
    """Move one document to the bin."""
    with database.transaction() as session:
        return documents.remove(session, document_id)
