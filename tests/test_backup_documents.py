"""Documents in backups: counted with their bytes in the backup list, checked against the
sha256 taken when each was added, and brought back byte for byte by a restore (file and
server databases)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.errors import DatabaseError
from cscdesk.store import backup, backup_list, documents, records, restoring, server_backup
from cscdesk.store.backup_list import MANIFEST_NAME
from cscdesk.store.check_report import check_report
from cscdesk.store.engine import open_database
from cscdesk.store.soundness import DOCUMENT_BYTES, DatabaseDamaged, check_database

LETTER = "Dear Ms O’Brien & family,\nthank you — « café » <b>.\n".encode()
SCAN = bytes(range(256)) * 300  # 76,800 bytes, every byte value


def with_documents(target) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Two complaints with three documents (one in the bin); their names and sha256s."""
    db = open_database(target)
    try:
        with db.transaction() as session:
            for reference in ("C-0001", "C-0002"):
                records.save(session, ComplaintData(reference, date(2026, 11, 2), 1, "Adoption",
                                                    summary="late letter"))
            documents.add(session, Kind.COMPLAINT, "C-0001", "letter.txt", LETTER)
            documents.add(session, Kind.COMPLAINT, "C-0001", "scan.pdf", SCAN)
            binned = documents.add(session, Kind.COMPLAINT, "C-0002", "draft.eml", b"Subject: x")
            documents.remove(session, binned.id)
    finally:
        db.close()
    return {"letter.txt": hashlib.sha256(LETTER).hexdigest(),
            "scan.pdf": hashlib.sha256(SCAN).hexdigest(),
            "draft.eml": hashlib.sha256(b"Subject: x").hexdigest()}


def kept(target) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every document's name and the sha256 of the bytes read back through the store."""
    db = open_database(target)
    try:
        with db.session() as session:
            listed = (documents.list_for(session, Kind.COMPLAINT, "C-0001")
                      + documents.list_for(session, Kind.COMPLAINT, "C-0002"))
            found = {info.name: hashlib.sha256(documents.read(session, info.id)).hexdigest()
                     for info in listed}
            binned = session.connection().exec_driver_sql(
                "SELECT name, data FROM document WHERE binned_at IS NOT NULL").all()
            found.update({name: hashlib.sha256(bytes(data)).hexdigest()
                          for name, data in binned})
            return found
    finally:
        db.close()


def test_the_backup_list_counts_documents_and_their_bytes(db_path: Path, tmp_path: Path):
    with_documents(db_path)
    made = backup.backup_database(db_path, tmp_path).backup
    assert made is not None
    assert made.documents == 3
    assert made.document_bytes == len(LETTER) + len(SCAN) + len(b"Subject: x")
    [entry] = json.loads((tmp_path / MANIFEST_NAME).read_text())["backups"]
    assert entry["counts"]["document"] == 3
    assert entry["counts"][DOCUMENT_BYTES] == made.document_bytes
    assert made.records == 2  # documents are not records
    facts = backup_list.verify_backup(made)
    assert (facts.documents, facts.document_bytes) == (3, made.document_bytes)
    lines = check_report(db_path, made.path).lines
    assert "It keeps 3 documents (75 KB), each with the bytes it was added with." in lines


def test_restore_brings_every_document_back_byte_for_byte(db_path: Path, tmp_path: Path):
    added = with_documents(db_path)
    made = backup.backup_database(db_path, tmp_path).backup
    assert made is not None
    db = open_database(db_path)
    with db.transaction() as session:
        session.connection().exec_driver_sql("DELETE FROM document")
    db.close()
    assert kept(db_path) == {}
    restoring.restore_database(made.path, db_path, tmp_path)
    assert kept(db_path) == added
    assert check_database(db_path).document_bytes == made.document_bytes


def test_a_document_whose_bytes_changed_fails_the_check_and_the_backup(db_path: Path,
                                                                       tmp_path: Path):
    """A same-length change inside a document passes SQLite's integrity check; only the
    document's sha256 sees it."""
    with_documents(db_path)
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("UPDATE document SET data = ? WHERE name = 'scan.pdf'",
                    (SCAN[:-1] + b"!",))
    raw.close()
    with pytest.raises(DatabaseDamaged, match=r"1 document\(s\) do not match.*“scan.pdf” of "
                       "Complaints C-0001"):
        check_database(db_path)
    with pytest.raises(DatabaseDamaged, match=r"scan\.pdf.*The backup was not kept"):
        backup.backup_database(db_path, tmp_path)
    assert backup_list.list_backups(tmp_path) == []


def test_a_backup_whose_document_bytes_differ_from_the_list_is_refused(db_path: Path,
                                                                       tmp_path: Path):
    with_documents(db_path)
    made = backup.backup_database(db_path, tmp_path).backup
    assert made is not None
    data = bytearray(made.path.read_bytes())
    at = data.find(SCAN[1000:1100])
    data[at:at + 4] = b"XXXX"  # inside the scan: SQLite's structure is untouched
    made.path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="has changed since it was made"):
        restoring.restore_database(made.path, db_path, tmp_path)
    with pytest.raises(DatabaseDamaged, match=r"scan\.pdf"):
        check_database(made.path)


@pytest.mark.postgresql
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_server_archive_holds_the_documents_and_restores_them(server_url, empty_server_url,
                                                               tmp_path: Path):
    added = with_documents(server_url)
    result = server_backup.backup_server(server_url, tmp_path)
    assert result.backup is not None and result.backup.counts["document"] == 3
    assert "document" in server_backup.archive_counts(result.backup.path)
    server_backup.restore_archive(result.backup.path, empty_server_url)
    assert kept(empty_server_url) == added
