"""Encryption at rest: the database and every backup, through the store and the command line."""

from datetime import date
from pathlib import Path

import pytest

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Kind
from cscdesk.store import backup, backup_list, cipher, encryption, records, restoring, soundness
from cscdesk.store.engine import open_database

PASSPHRASE = "correct horse 'battery' ”staple”"
SECRETS = (b"Quentin Plaintext", b"SECRET-REF", b"Private words", b"Zebra Team")


def fill(path: Path, passphrase: str | None = None) -> None:
    db = open_database(path, passphrase=passphrase)
    with db.transaction() as session:
        records.save(session, ComplaintData(
            "SECRET-REF", date(2024, 5, 3), 1, "Zebra Team", complainant="Quentin Plaintext",
            summary="Private words"))
        records.save(session, EnquiryData("E-1", date(2024, 5, 3), EnquirySource.MP, "MASH"))
    db.close()


def plaintext_in(path: Path) -> list[bytes]:
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            data += extra.read_bytes()
    return [secret for secret in SECRETS if secret in data]


def write(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_an_encrypted_database_holds_no_plaintext_and_needs_its_passphrase(db_path) -> None:
    fill(db_path, PASSPHRASE)
    assert cipher.looks_encrypted(db_path)
    assert plaintext_in(db_path) == []
    with pytest.raises(cipher.PassphraseNeeded):
        open_database(db_path)
    with pytest.raises(cipher.WrongPassphrase, match="does not open"):
        open_database(db_path, passphrase="wrong passphrase")
    db = open_database(db_path, passphrase=PASSPHRASE)
    with db.session() as session:
        assert records.load(session, Kind.COMPLAINT, "SECRET-REF").complainant \
            == "Quentin Plaintext"
    db.close()


def test_a_backup_of_an_encrypted_database_is_encrypted_and_restores(db_path, tmp_path) -> None:
    fill(db_path, PASSPHRASE)
    (tmp_path / "backups").mkdir()
    made = backup.backup_database(db_path, tmp_path / "backups", passphrase=PASSPHRASE).backup
    assert made is not None and plaintext_in(made.path) == []
    assert backup_list.verify_backup(made, PASSPHRASE).counts["complaint"] == 1
    with pytest.raises(cipher.PassphraseNeeded):
        soundness.check_database(made.path)
    restoring.restore_database(made.path, db_path, tmp_path / "backups", passphrase=PASSPHRASE)
    assert soundness.check_database(db_path, passphrase=PASSPHRASE).counts["enquiry"] == 1


def test_encrypting_changing_and_removing_covers_the_backups(db_path, tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    fill(db_path)
    old = backup.backup_database(db_path, folder).backup
    assert old is not None and plaintext_in(old.path)
    first = encryption.change_encryption(db_path, None, PASSPHRASE, folder)
    assert first.encrypted and first.backups_rewritten == 2  # the old one and the safety one
    assert plaintext_in(db_path) == [] and plaintext_in(old.path) == []
    assert all(backup_list.verify_backup(b, PASSPHRASE) for b in backup_list.list_backups(folder))
    with pytest.raises(cipher.WrongPassphrase):
        encryption.change_encryption(db_path, "not the passphrase", "another one!")
    with pytest.raises(Exception, match="at least 8"):
        encryption.change_encryption(db_path, PASSPHRASE, "short")
    encryption.change_encryption(db_path, PASSPHRASE, "the second passphrase", folder)
    with pytest.raises(cipher.WrongPassphrase):
        open_database(db_path, passphrase=PASSPHRASE)
    encryption.change_encryption(db_path, "the second passphrase", None, folder)
    assert not cipher.looks_encrypted(db_path)
    open_database(db_path).close()


def test_the_command_line_works_on_an_encrypted_database(cli, db_path, tmp_path) -> None:
    key = write(tmp_path / "key.txt", PASSPHRASE)
    new_key = write(tmp_path / "new.txt", "a brand new passphrase")
    fill(db_path)
    db = ["--db", db_path]
    result = cli(*db, "encrypt", "--new-passphrase-file", key, check=True)
    assert "is now encrypted" in result.stdout and "nobody can recover" in result.stdout
    refused = cli(*db, "check")
    assert refused.returncode == 1 and "passphrase is needed" in refused.stderr
    assert "Traceback" not in refused.stderr
    cli(*db, "--passphrase-file", key, "check", check=True)
    workbook, pdf = tmp_path / "out.xlsx", tmp_path / "out.pdf"
    cli(*db, "--passphrase-file", key, "export", workbook, check=True)
    cli(*db, "--passphrase-file", key, "import", workbook, check=True)
    cli(*db, "--passphrase-file", key, "report", "--year", "2024", "--output", pdf, check=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    (tmp_path / "b").mkdir()
    made = cli(*db, "--passphrase-file", key, "backup", "--to", tmp_path / "b", check=True)
    assert "Backed up" in made.stdout
    (copy,) = (tmp_path / "b").glob("*.db")
    assert plaintext_in(copy) == []
    cli(*db, "--passphrase-file", key, "restore", copy, "--backups", tmp_path / "b", check=True)
    wrong = cli(*db, "--passphrase-file", new_key, "check")
    assert wrong.returncode == 1 and "does not open" in wrong.stderr
    cli(*db, "--passphrase-file", key, "encrypt", "--new-passphrase-file", new_key, check=True)
    cli(*db, "--passphrase-file", new_key, "decrypt", check=True)
    assert not cipher.looks_encrypted(db_path)
    missing = cli(*db, "--passphrase-file", tmp_path / "nope.txt", "check")
    assert missing.returncode == 1 and "Cannot read the passphrase file" in missing.stderr


def test_an_encrypted_database_serves_many_threads_at_once(db_path) -> None:
    """SQLCipher's default pool closed connections other threads were using (a crash)."""
    import threading

    from sqlalchemy import text

    fill(db_path, PASSPHRASE)
    db = open_database(db_path, passphrase=PASSPHRASE)
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(30):
                with db.session() as session:
                    assert session.execute(text("SELECT count(*) FROM complaint")).scalar() == 1
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=read) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()
    assert failures == []
