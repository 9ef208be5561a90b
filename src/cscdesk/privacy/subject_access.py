"""A subject access pack: every record that mentions a person, with each record's history.

A common name can match hundreds of thousands of records, so nothing holds them all: the search
(`personal_data.find_everywhere`) keeps where each record is (an id, or a kind and reference),
the records and their histories are read a chunk at a time in the pack's order
(`found_records`), and each is written to the workbook and the PDF as it comes, both in one
pass when both are asked for (`write_pack`). The records' documents are written as files to a
folder beside the pack, named after it (`documents_folder`), and listed in the pack."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import FIELD_LABELS, spec
from cscdesk.domain.kinds import Kind
from cscdesk.domain.record_values import plain
from cscdesk.privacy.sheets import Table, TableWriter, tables_writer
from cscdesk.store import documents, personal_data
from cscdesk.store.personal_data import FoundRecord, PackDocument, PersonFound

__all__ = ["FoundRecord", "PersonFound", "Writer", "documents_folder", "documents_writer",
           "found_records", "gather", "tables", "workbook_writer", "write_documents",
           "write_pack", "write_workbook"]

# What writes a pack's records as they come: opened on a file, called with each record.
Writer = Callable[[FoundRecord], None]

HISTORY_HEADERS = ("Kind", "Reference", "When (UTC)", "Who", "Action", "Changes")
DOCUMENT_HEADERS = ("Kind", "Reference", "Document", "Type", "Size (bytes)", "Added (UTC)",
                    "Added by", "Email from", "Email sent (UTC)", "Email subject", "File")


def documents_folder(pack: Path) -> Path:
    """Where a pack's documents are written: a folder beside it, named after it
    ("Subject access - Ann Smith.xlsx" -> "Subject access - Ann Smith - documents")."""
    return pack.with_name(f"{pack.stem} - documents")


def _document_row(kind: Kind, document: PackDocument, folder: str) -> list[object]:
    info = document.info
    email = info.email
    return [kind.value, info.reference, info.name, info.content_type, info.size, info.added_at,
            info.added_by, email.sender if email else "", email.sent if email else None,
            email.subject if email else "",
            f"{folder}/{document.file_name}" if folder else document.file_name]


def gather(session: Session, name: str) -> list[FoundRecord]:
    """Every record mentioning `name` (see `personal_data.find_everywhere`: its fields, its copy
    in the bin or its history), with its history, kind by kind; deleted records still in the
    bin, or known only from their history, are included (they are still held) and marked.
    All of them at once: for a pack written to files, `found_records` reads them as written."""
    return list(found_records(session, personal_data.find_everywhere(session, name)))


def found_records(session: Session, found: PersonFound) -> Iterator[FoundRecord]:
    """The records `found`, each with its history, in the pack's order, read a chunk at a
    time (the session must stay open while they are used)."""
    return personal_data.found_records(session, found)


def _value(value: object) -> object:
    if value is None or isinstance(value, str | int | bool):  # most values: nothing to do
        return value
    return plain(value)


def _headers(kind: Kind) -> list[str]:
    return [*(FIELD_LABELS[n] for n in spec(kind).field_names), "Deleted (in bin)",
            "Deleted (history only)"]


def tables(found: list[FoundRecord], folder: str = "") -> list[Table]:
    """One sheet per kind that has records, then a History sheet, then a Documents sheet
    when any record has documents, as (name, headers, rows)."""
    result: list[Table] = []
    for kind in Kind:
        mine = [f for f in found if f.kind is kind]
        if mine:
            names = spec(kind).field_names
            result.append((kind.value, _headers(kind), _rows(mine, names)))
    result.append(("History", HISTORY_HEADERS, _history_rows(found)))
    if any(f.documents for f in found):
        result.append(("Documents", DOCUMENT_HEADERS,
                       iter([_document_row(f.kind, d, folder) for f in found
                             for d in f.documents])))
    return result


def _rows(found: list[FoundRecord], names: Sequence[str]) -> Iterator[list[object]]:
    for f in found:
        record = f.record
        yield [*(_value(getattr(record, n)) for n in names), f.in_bin, f.history_only]


def _history_rows(found: list[FoundRecord]) -> Iterator[list[object]]:
    for f in found:
        for entry in f.history:
            yield [f.kind.value, entry.reference, entry.at, entry.user, entry.action,
                   json.dumps(entry.changes, ensure_ascii=False)]


@contextlib.contextmanager
def workbook_writer(path: Path, kinds: Sequence[Kind], folder: str = "") -> Iterator[Writer]:
    """The workbook at `path` (whole or not at all), written as records are given: one sheet
    per kind in `kinds` (those with records, in order), then a History sheet, then (when any
    record has documents) a Documents sheet: each document's facts and its file in `folder`
    (the name of the pack's documents folder). Each record's row on its kind's sheet, its
    events on History, rows in the order given."""
    with tables_writer(path) as book:
        sheets: dict[Kind, tuple[TableWriter, tuple[str, ...]]] = {
            kind: (book.table(kind.value, _headers(kind)), spec(kind).field_names)
            for kind in kinds}
        history = book.table("History", HISTORY_HEADERS)
        held: list[TableWriter] = []  # made with the first document: none, no sheet
        dumps = json.JSONEncoder(ensure_ascii=False).encode  # as json.dumps(ensure_ascii=False)

        def add(item: FoundRecord) -> None:
            record = item.record
            kind = item.kind
            sheet, names = sheets[kind]
            sheet.add([*(_value(getattr(record, n)) for n in names), item.in_bin,
                       item.history_only])
            if item.history:
                name = kind.value
                for entry in item.history:
                    history.add([name, entry.reference, entry.at, entry.user, entry.action,
                                 dumps(entry.changes)])
            for document in item.documents:
                if not held:
                    held.append(book.table("Documents", DOCUMENT_HEADERS))
                held[0].add(_document_row(kind, document, folder))

        yield add


def write_workbook(found: list[FoundRecord], path: Path, folder: str = "") -> None:
    kinds = {f.kind for f in found}
    with workbook_writer(path, [kind for kind in Kind if kind in kinds], folder) as add:
        for item in found:
            add(item)


@contextlib.contextmanager
def documents_writer(session: Session, folder: Path) -> Iterator[Writer]:
    """The records' documents written to `folder` as records are given, one file each under
    its pack name, the bytes read one document at a time. The folder is made under a
    temporary name and put in place (replacing an earlier pack's) only when all is written;
    no folder is made when no record has documents."""
    temporary = folder.with_name(f".{folder.name}.part")
    made = False

    def add(item: FoundRecord) -> None:
        nonlocal made
        for document in item.documents:
            if not made:
                shutil.rmtree(temporary, ignore_errors=True)
                temporary.mkdir(parents=False)
                made = True
            (temporary / document.file_name).write_bytes(documents.read(session,
                                                                        document.info.id))

    try:
        yield add
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    if made:
        if folder.exists():
            shutil.rmtree(folder)
        temporary.rename(folder)


def write_documents(session: Session, found: Sequence[FoundRecord], folder: Path) -> int:
    """Write the documents of `found` to `folder` (see `documents_writer`); how many."""
    with documents_writer(session, folder) as add:
        for item in found:
            add(item)
    return sum(len(item.documents) for item in found)


class _Elsewhere(Exception):
    """Thrown into a writer when another writer of the pack failed: its file is abandoned,
    and the other's error is what is said (not mistaken for this writer's own)."""


def write_pack(records: Iterable[FoundRecord],
               writers: Sequence[AbstractContextManager[Writer]]) -> None:
    """Write `records` to every writer in one pass: each record is given to each writer in
    turn. A writer's own failure is said as it says it; the others abandon their files."""
    with contextlib.ExitStack() as stack:
        adds = [stack.enter_context(_abandoned_if_others_fail(writer)) for writer in writers]
        for record in records:
            for add in adds:
                add(record)


@contextlib.contextmanager
def _abandoned_if_others_fail(writer: AbstractContextManager[Writer]) -> Iterator[Writer]:
    add = writer.__enter__()
    try:
        yield add
    except BaseException:
        with contextlib.suppress(_Elsewhere):
            writer.__exit__(_Elsewhere, _Elsewhere(), None)
        raise
    writer.__exit__(None, None, None)
