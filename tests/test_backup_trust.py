"""Nothing lost, nothing leaked: a changed backup is never trusted, restoring keeps the
database's protection, a backup folder that disappears is a sentence — on real files, with the
command line as real subprocesses."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from cscdesk.store import backup, backup_folder, backup_list, restoring, soundness
from test_backup import fill


def tamper(path: Path, old: bytes = b"Thanks f", new: bytes = b"TAMPERED") -> None:
    """Change 8 bytes of a record's text inside the file, keeping its size (and SQLite's
    integrity check happy: page contents carry no checksum)."""
    assert len(old) == len(new)
    data = bytearray(path.read_bytes())
    at = data.index(old)
    data[at:at + len(new)] = new
    path.write_bytes(bytes(data))


def live_holds(path: Path, text: str) -> int:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT count(*) FROM compliment WHERE summary LIKE ?",
                           (f"%{text}%",)).fetchone()[0]
    finally:
        raw.close()


# --- 1. a tampered backup ----------------------------------------------------------------------

def test_a_tampered_listed_backup_is_refused_by_check_and_restore(cli, db_path: Path,
                                                                  tmp_path: Path) -> None:
    fill(db_path, 30)
    folder = tmp_path / "backups"
    folder.mkdir()
    made = backup.backup_database(db_path, folder).backup
    assert made is not None
    size = made.path.stat().st_size
    tamper(made.path)
    assert made.path.stat().st_size == size
    assert soundness.check_database(made.path).counts["compliment"] == 30  # SQLite sees no harm
    checked = cli("--db", db_path, "check", made.path)
    assert checked.returncode == 1, checked.stdout
    assert "has changed since it was made" in checked.stderr and "Traceback" not in checked.stderr
    assert "is sound" not in checked.stdout
    before = db_path.read_bytes()
    restored = cli("--db", db_path, "restore", made.path, "--backups", folder)
    assert restored.returncode == 1
    assert "has changed since it was made" in restored.stderr
    assert "Nothing was restored" in restored.stderr
    assert db_path.read_bytes() == before and live_holds(db_path, "TAMPERED") == 0
    # --unverified does not override a checksum that differs
    forced = cli("--db", db_path, "restore", made.path, "--unverified", "--backups", folder)
    assert forced.returncode == 1 and db_path.read_bytes() == before
    with pytest.raises(backup_list.BackupChanged):
        restoring.restore_database(made.path, db_path, folder)
    assert backup_list.latest_good_backup(folder, "cases") is None


def test_an_unlisted_file_cannot_be_verified_and_needs_unverified(cli, db_path: Path,
                                                                 tmp_path: Path) -> None:
    fill(db_path, 30)
    folder = tmp_path / "backups"
    folder.mkdir()
    made = backup.backup_database(db_path, folder).backup
    assert made is not None
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    copy = Path(shutil.copy(made.path, elsewhere / made.path.name))
    checked = cli("--db", db_path, "check", copy)
    assert checked.returncode == 0, checked.stderr
    assert "is sound" in checked.stdout and "cannot verify" in checked.stdout
    listed = cli("--db", db_path, "check", made.path)
    assert listed.returncode == 0 and "checksum matches the backup list" in listed.stdout
    fill(db_path, 5, prefix="LATER")
    before = db_path.read_bytes()
    refused = cli("--db", db_path, "restore", copy, "--backups", folder)
    assert refused.returncode == 1
    assert "cannot verify" in refused.stderr and "--unverified" in refused.stderr
    assert db_path.read_bytes() == before
    restored = cli("--db", db_path, "restore", copy, "--unverified", "--backups", folder)
    assert restored.returncode == 0, restored.stderr
    assert soundness.check_database(db_path).counts["compliment"] == 30
    # a listed, unchanged backup needs no flag
    again = cli("--db", db_path, "restore", made.path, "--backups", folder)
    assert again.returncode == 0, again.stderr


# --- 6. the backup folder removed mid-backup -------------------------------------------------

@pytest.mark.parametrize("moment", ["_verify_copy", "sha256_of", "read_manifest"])
def test_a_backup_folder_removed_mid_backup_is_a_sentence_naming_it(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """The folder (a USB stick pulled out, a share gone) disappears at three moments of a real
    backup of a real file; each gives the sentence, never a FileNotFoundError, and leaves
    nothing behind."""
    fill(db_path, 300)
    folder = tmp_path / "stick" / "backups"
    folder.mkdir(parents=True)
    real = getattr(backup, moment)

    def folder_removed(*args, **kwargs):  # type: ignore[no-untyped-def]
        # all at once, as a stick pulled out: the checksum is taken while the copy is being
        # checked, and SQLite may add a file to the folder while it is being emptied
        while folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(backup, moment, folder_removed)
    before = db_path.read_bytes()
    with pytest.raises(backup_folder.BackupFolderError) as caught:
        backup.backup_database(db_path, folder)
    assert str(folder) in str(caught.value) and "disappeared" in str(caught.value)
    assert "Nothing was backed up" in str(caught.value)
    assert not folder.exists()  # nothing re-created, nothing half-written
    assert sorted(p.name for p in (tmp_path / "stick").iterdir()) == []
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob(".cases*tmp*"))


def test_the_command_line_says_which_backup_folder_disappeared(db_path: Path,
                                                              tmp_path: Path) -> None:
    """A real `cscdesk backup` whose folder is removed while it waits for the folder's lock
    (after making and verifying its copy, just before naming it): a sentence, exit 1."""
    import subprocess
    import sys
    import time

    from cscdesk.store.lock import FileLock

    fill(db_path, 300)
    folder = tmp_path / "share"
    folder.mkdir()
    held = FileLock(folder / ".cscdesk-backups.lock")  # as another backup into the folder
    assert held.try_acquire("another backup")
    process = subprocess.Popen(
        [sys.executable, "-m", "cscdesk", "--db", str(db_path), "backup", "--to", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".cases") for p in folder.iterdir()):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.01)
        time.sleep(3)  # the copy is made and verified; the command waits for the lock
        shutil.rmtree(folder)
    finally:
        held.release()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, (out, err)
    assert "unexpected error" not in err and "Traceback" not in err
    assert f"The backup folder {folder} disappeared" in err
    assert not folder.exists()


# --- 2. restoring keeps the database's protection ----------------------------------------------

def test_restoring_a_backup_made_before_encrypting_keeps_the_database_encrypted(
    cli, db_path: Path, tmp_path: Path
) -> None:
    from cscdesk.store import cipher
    from test_encryption import PASSPHRASE, plaintext_in, write
    from test_encryption import fill as fill_secrets

    key = write(tmp_path / "key.txt", PASSPHRASE)
    fill_secrets(db_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    cli("--db", db_path, "backup", "--to", usb, check=True)  # made before encrypting
    (old,) = usb.glob("cases-*.db")
    assert plaintext_in(old)
    cli("--db", db_path, "encrypt", "--new-passphrase-file", key, check=True)
    assert cipher.looks_encrypted(db_path)
    before = db_path.read_bytes()
    refused = cli("--db", db_path, "restore", old, "--backups", usb)  # no passphrase given
    assert refused.returncode == 1 and "passphrase is needed" in refused.stderr
    assert db_path.read_bytes() == before
    restored = cli("--db", db_path, "--passphrase-file", key, "restore", old, "--backups", usb)
    assert restored.returncode == 0, restored.stderr
    assert "encrypted with the database's current passphrase" in restored.stdout
    assert cipher.looks_encrypted(db_path) and plaintext_in(db_path) == []
    assert soundness.check_database(db_path, passphrase=PASSPHRASE).counts["complaint"] == 1
    later = tmp_path / "later"
    later.mkdir()
    cli("--db", db_path, "--passphrase-file", key, "backup", "--to", later, check=True)
    (made,) = later.glob("cases-*.db")
    assert plaintext_in(made) == []
    safety = [p for p in usb.glob("cases-*.db") if p != old]
    assert safety and all(plaintext_in(p) == [] for p in safety)  # "before restore": encrypted


def test_restoring_an_encrypted_backup_says_so(db_path: Path, tmp_path: Path) -> None:
    from cscdesk.store import cipher
    from test_encryption import PASSPHRASE
    from test_encryption import fill as fill_secrets

    fill_secrets(db_path, PASSPHRASE)
    folder = tmp_path / "backups"
    folder.mkdir()
    made = backup.backup_database(db_path, folder, passphrase=PASSPHRASE).backup
    assert made is not None
    prepared = restoring.restore_database(made.path, db_path, folder, passphrase=PASSPHRASE)
    assert "encrypted with the current passphrase" in prepared.protection_note
    assert cipher.looks_encrypted(db_path)


# --- 3. an interrupted encrypt -----------------------------------------------------------------

def test_an_interrupted_encrypt_is_finished_by_running_it_again(cli, db_path: Path,
                                                                tmp_path: Path) -> None:
    """The state an `encrypt` killed after swapping in the encrypted database leaves: the
    database encrypted, its listed backups still plain (made with the store's own steps, on
    real files)."""
    from cscdesk.store import cipher, encryption
    from test_encryption import PASSPHRASE, plaintext_in, write
    from test_encryption import fill as fill_secrets

    key = write(tmp_path / "key.txt", PASSPHRASE)
    fill_secrets(db_path)
    made = backup.backup_database(db_path).backup  # into the default folder, listed
    assert made is not None and plaintext_in(made.path)
    counts = soundness.check_database(db_path).counts
    encryption._convert_file(db_path, None, PASSPHRASE, counts)  # ... and then it was killed
    assert cipher.looks_encrypted(db_path) and plaintext_in(made.path)

    checked = cli("--db", db_path, "--passphrase-file", key, "check")
    assert checked.returncode == 1 and "is sound" in checked.stdout
    assert "not encrypted" in checked.stderr and str(made.path) in checked.stderr
    assert "cscdesk encrypt" in checked.stderr

    again = cli("--db", db_path, "--passphrase-file", key, "encrypt",
                "--new-passphrase-file", key)
    assert again.returncode == 0, again.stderr
    assert "finished encrypting 1 backup(s)" in again.stdout
    assert "stay readable without any passphrase" in again.stdout
    assert plaintext_in(made.path) == []
    # the list is updated
    assert backup_list.verify_backup(backup_list.manifest_entry(made.path), PASSPHRASE)
    assert cli("--db", db_path, "--passphrase-file", key, "check").returncode == 0

    nothing_left = cli("--db", db_path, "--passphrase-file", key, "encrypt",
                       "--new-passphrase-file", key)
    assert nothing_left.returncode == 1
    assert "same as the current one" in nothing_left.stderr
    assert "encrypted already" in nothing_left.stderr


def test_running_encrypt_again_without_the_current_passphrase_also_resumes(
    cli, db_path: Path, tmp_path: Path
) -> None:
    from cscdesk.store import encryption
    from test_encryption import PASSPHRASE, plaintext_in, write
    from test_encryption import fill as fill_secrets

    key = write(tmp_path / "key.txt", PASSPHRASE)
    other = write(tmp_path / "other.txt", "another passphrase")
    fill_secrets(db_path)
    made = backup.backup_database(db_path).backup
    assert made is not None
    encryption._convert_file(db_path, None, PASSPHRASE, soundness.check_database(db_path).counts)
    wrong = cli("--db", db_path, "encrypt", "--new-passphrase-file", other)
    assert wrong.returncode == 1 and "encrypted already" in wrong.stderr
    assert plaintext_in(made.path)
    same = cli("--db", db_path, "encrypt", "--new-passphrase-file", key)  # as the first time
    assert same.returncode == 0, same.stderr
    assert plaintext_in(made.path) == []


def test_encrypt_says_backups_in_other_folders_stay_readable(cli, db_path: Path,
                                                             tmp_path: Path) -> None:
    from test_encryption import PASSPHRASE, plaintext_in, write
    from test_encryption import fill as fill_secrets

    key = write(tmp_path / "key.txt", PASSPHRASE)
    fill_secrets(db_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    cli("--db", db_path, "backup", "--to", usb, check=True)
    result = cli("--db", db_path, "encrypt", "--new-passphrase-file", key, check=True)
    assert "is now encrypted" in result.stdout
    assert "--to FOLDER" in result.stdout and "stay readable" in result.stdout
    (left,) = usb.glob("cases-*.db")
    assert plaintext_in(left)  # as said: not rewritten


# --- 4. anonymised or purged data remains in older backups -------------------------------------

def _old_complaint(path: Path) -> None:
    from datetime import date

    from cscdesk.domain.kinds import ComplaintData, Outcome
    from cscdesk.store import records
    from cscdesk.store.engine import open_database

    db = open_database(path)
    with db.transaction() as session:
        for reference in ("C-1", "C-2"):
            records.save(session, ComplaintData(
                reference, date(2015, 5, 1), 1, "Adoption", closed=date(2015, 6, 1),
                outcome=Outcome.UPHELD, complainant="Zoe Oldbackup"))
    db.close()


def test_anonymise_and_purge_say_older_backups_keep_the_data_and_for_how_long(
    cli, db_path: Path
) -> None:
    from cscdesk import settings
    from test_backup import set_setting

    _old_complaint(db_path)
    set_setting(db_path, settings.KEEP_MONTHLY, 6)
    made = backup.backup_database(db_path).backup
    assert made is not None
    anonymised = cli("--db", db_path, "anonymise", "--kind", "complaint", "C-1", check=True)
    assert "Anonymised 1" in anonymised.stdout
    assert "Backups made before still hold the data" in anonymised.stdout
    assert "up to about 6 months" in anonymised.stdout
    purged = cli("--db", db_path, "purge", "--kind", "complaint", "C-2", check=True)
    assert "Backups made before still hold the data" in purged.stdout
    assert b"Zoe Oldbackup" in made.path.read_bytes()  # as said
    set_setting(db_path, settings.KEEP_MONTHLY, 0)
    set_setting(db_path, settings.KEEP_WEEKLY, 0)
    assert "up to about 14 days" in backup_folder.old_data_note(db_path)


def test_the_retention_confirmation_says_older_backups_keep_the_data(qtbot, db_path: Path
                                                                    ) -> None:
    from cscdesk.store.engine import open_database
    from cscdesk.ui.dialog_service import ScriptedDialogs
    from cscdesk.ui.privacy_pane import PrivacyPane

    _old_complaint(db_path)
    database = open_database(db_path)
    try:
        dialogs = ScriptedDialogs(False, False)
        pane = PrivacyPane(database, dialogs)
        qtbot.addWidget(pane)
        for button in (pane.retention.anonymise_button, pane.retention.delete_button):
            pane.retention.table.selectRow(0)
            button.click()  # answered No
            kind, _title, text = dialogs.shown[-1]
            assert kind == "confirm" and "This cannot be undone" in text
            assert "Backups made before still hold the data" in text
            assert "up to about 12 months" in text
        assert pane.retention.model.rowCount() == 2
    finally:
        database.close()


# --- 5. a leftover or foreign -wal beside the database -----------------------------------------

_KILLED_WRITER = """
import os, signal, sys
from sqlalchemy import text
from cscdesk.store.engine import open_database
db = open_database(sys.argv[1])
with db.transaction() as session:
    session.execute(text("UPDATE compliment SET summary = 'SAVED BEFORE THE CRASH' WHERE id <= 7"))
os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_after_saving(path: Path) -> None:
    """A real program saves into `path`, then dies without closing it: its -wal stays."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert Path(f"{path}-wal").stat().st_size > 0


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_check_reports_a_wal_left_by_a_program_that_died(cli, db_path: Path) -> None:
    fill(db_path, 300)
    _killed_after_saving(db_path)
    Path(f"{db_path}-shm").unlink()  # as after copying the folder, or a reboot
    before = _files(db_path.parent)
    checked = cli("--db", db_path, "check")
    assert checked.returncode == 0, checked.stderr
    assert "is sound" in checked.stdout and "300 compliments" in checked.stdout
    assert "cases.db-wal beside it was left by a program that ended without closing" \
        in checked.stdout
    assert "1 save(s) not yet written" in checked.stdout
    assert _files(db_path.parent) == before  # read-only: nothing written, no -shm made
    assert live_holds(db_path, "SAVED BEFORE THE CRASH") == 7  # the log is the database's


def test_check_refuses_a_wal_that_belongs_to_another_database(cli, db_path: Path,
                                                              tmp_path: Path) -> None:
    """The old -wal stays beside a backup copied over the database by hand."""
    fill(db_path, 300)
    made = backup.backup_database(db_path, tmp_path).backup
    assert made is not None
    other = tmp_path / "other" / "cases.db"
    fill(other, 300, prefix="OTHER")
    _killed_after_saving(other)
    shutil.copyfile(f"{other}-wal", f"{db_path}-wal")
    before = _files(db_path.parent)
    checked = cli("--db", db_path, "check")
    assert checked.returncode == 1, checked.stdout
    assert f"{db_path}-wal does not belong to {db_path}" in checked.stderr
    assert "the database file alone is sound" in checked.stderr
    assert "Move cases.db-wal" in checked.stderr and "Traceback" not in checked.stderr
    assert _files(db_path.parent) == before
    Path(f"{db_path}-wal").unlink()  # as the sentence says
    assert cli("--db", db_path, "check").returncode == 0


def test_check_refuses_a_wal_that_is_no_log_at_all(cli, db_path: Path) -> None:
    fill(db_path, 30)
    Path(f"{db_path}-wal").write_bytes(b"Reference,Received\n" * 100)
    before = _files(db_path.parent)
    checked = cli("--db", db_path, "check")
    assert checked.returncode == 1
    assert "does not belong" in checked.stderr and "not an SQLite write-ahead log" \
        in checked.stderr
    assert _files(db_path.parent) == before


def test_check_says_nothing_of_the_wal_of_a_database_in_use(cli, db_path: Path) -> None:
    from sqlalchemy import text

    from cscdesk.store.engine import open_database

    fill(db_path, 30)
    db = open_database(db_path)  # holds the writer lock, as the app does
    try:
        with db.transaction() as session:
            session.execute(text("UPDATE compliment SET summary = 'x' WHERE id = 1"))
        assert Path(f"{db_path}-wal").stat().st_size > 0
        checked = cli("--db", db_path, "check")
        assert checked.returncode == 0, checked.stderr
        assert "left by a program" not in checked.stdout
    finally:
        db.close()
