"""Documents across schemas and engines: a database at every earlier schema (0001 to 0007)
upgrades to 0008 with the document table empty and usable (SQLite by opening the file,
PostgreSQL by `cscdesk server upgrade`); moving a file into a server carries its documents and
letter templates with their bytes intact; an encrypted file does not show a document's text."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import test_casework_migration as earlier
from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import documents, records, recycle_bin
from cscdesk.store.engine import make_engine
from cscdesk.store.models import Document, LetterTemplate
from cscdesk.store.revision import HEAD_REVISION

EARLIER = [*earlier.EARLIER, "0007"]
PAYLOAD = "Dear Ms Ōkafor — QUIXOTIC-MARMALADE-7731 — your visit".encode() * 50


def _check_documents_work(db: Any) -> None:
    """The upgraded database: no documents, and one added, listed, read, binned and back."""
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(LetterTemplate)) == 0
    with db.transaction() as session:
        added = documents.add(session, Kind.COMPLAINT, "C-1", "letter.docx", PAYLOAD)
    with db.transaction() as session:
        documents.remove(session, added.id)
    with db.transaction() as session:
        assert [b.name for b in recycle_bin.binned_documents(session)] == ["letter.docx"]
        documents.restore(session, added.id)
    with db.session() as session:
        assert [d.name for d in documents.list_for(session, Kind.COMPLAINT, "C-1")] == [
            "letter.docx"]
        assert documents.read(session, added.id) == PAYLOAD


@pytest.mark.parametrize("revision", EARLIER)
def test_a_file_at_each_earlier_schema_upgrades_with_an_empty_document_table(
        tmp_path: Path, revision: str) -> None:
    from cscdesk.store.opening import open_database

    path = tmp_path / f"at-{revision}.db"
    engine = make_engine(path, foreign_keys=False)
    before = earlier._at(engine, revision)
    engine.dispose()
    db = open_database(path, before_migration=lambda _path: None)
    try:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT version_num FROM alembic_version"
                                              ).scalar() == HEAD_REVISION == "0008"
        _check_documents_work(db)
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(
                records.MODEL_OF[Kind.COMPLAINT])) == before["complaint"]
    finally:
        db.close()


@pytest.mark.postgresql
@pytest.mark.parametrize("revision", EARLIER)
def test_a_server_at_each_earlier_schema_upgrades_with_the_command(
        cli, empty_server_url, revision: str) -> None:
    from cscdesk.store.engine import make_server_engine, open_database

    engine = make_server_engine(empty_server_url)
    earlier._at(engine, revision)
    engine.dispose()
    upgraded = cli("server", "upgrade", str(empty_server_url))
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"from schema {revision} to" in upgraded.stdout
    db = open_database(empty_server_url)
    try:
        _check_documents_work(db)
    finally:
        db.close()


@pytest.mark.postgresql
def test_moving_in_carries_documents_and_letter_templates_with_their_bytes(
        db_path: Path, server_url: Any) -> None:
    import psycopg

    from cscdesk.store.engine import open_database
    from cscdesk.store.move_in import move_in

    files = {"letter.docx": PAYLOAD, "photo.jpg": bytes(range(256)) * 4000,
             "empty.txt": b"", "email.eml": b"Subject: x\r\n\r\n\x00\xff"}
    db = open_database(db_path)
    try:
        with db.transaction() as session:
            records.save(session, ComplaintData("C-1", received=date(2026, 3, 2), stage=1,
                                                team="Adoption", complainant="Ann"))
            for name, data in files.items():
                documents.add(session, Kind.COMPLAINT, "C-1", name, data)
            documents.remove(session, documents.list_for(session, Kind.COMPLAINT, "C-1")[-1].id)
            session.add(LetterTemplate(key="stage1_response", file_name="Our letter.docx",
                                       data=b"PK\x03\x04 council's own"))
        with db.session() as session:
            added_by = {d.name: d.added_by for d in documents.list_for(session, Kind.COMPLAINT,
                                                                       "C-1")}
    finally:
        db.close()
    outcome = move_in(db_path, server_url)
    assert outcome.counts["document"] == 4 and outcome.counts["letter_template"] == 1
    with psycopg.connect(str(server_url), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT name, sha256, encode(sha256(data), 'hex'), changed_by, binned_at IS NULL "
            "FROM document ORDER BY id").fetchall()
        template = connection.execute(
            "SELECT file_name, encode(sha256(data), 'hex') FROM letter_template").fetchone()
    assert [row[0] for row in rows] == list(files)
    for name, stored, held, changed_by, listed in rows:
        assert stored == held == hashlib.sha256(files[name]).hexdigest()
        assert changed_by == added_by.get(name, changed_by)  # who added it, not the login
        assert listed == (name != "email.eml")  # the bin kept
    assert template == ("Our letter.docx",
                        hashlib.sha256(b"PK\x03\x04 council's own").hexdigest())
    db = open_database(server_url)
    try:
        with db.transaction() as session:  # the server's id sequence moved past the copies
            more = documents.add(session, Kind.COMPLAINT, "C-1", "after.txt", b"after")
        assert more.id == 5
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_an_encrypted_file_does_not_show_a_documents_text(tmp_path: Path) -> None:
    from cscdesk.store.engine import open_database

    secret = b"QUIXOTIC-MARMALADE-7731"
    for passphrase in (None, "correct horse battery staple"):
        path = tmp_path / f"{'encrypted' if passphrase else 'plain'}.db"
        db = open_database(path, passphrase=passphrase)
        try:
            with db.transaction() as session:
                records.save(session, ComplaintData("C-1", received=date(2026, 3, 2),
                                                    stage=1, team="Adoption"))
                documents.add(session, Kind.COMPLAINT, "C-1", "letter.txt", PAYLOAD)
        finally:
            db.close()
        held = b"".join(p.read_bytes() for p in tmp_path.glob(f"{path.name}*"))
        assert (secret in held) is (passphrase is None), path.name
