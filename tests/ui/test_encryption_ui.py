"""Encryption in the app: the passphrase at start-up, the Settings buttons, encrypted backups
and the idle lock — on real files, searched byte by byte for the records' text."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy
from ui_data import copied_database, fill

from cscdesk.store import backup, backup_folder, backup_list, cipher, soundness
from cscdesk.store.encryption import change_encryption
from cscdesk.store.engine import open_database
from cscdesk.ui.app import EXIT_AFTER_FIRST_PAINT, run_app
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.main_window import MainWindow
from cscdesk.ui.passphrase_dialogs import LOST_WARNING
from cscdesk.ui.workers import wait_for_background_work

PASSPHRASE = "correct horse battery"
PLAIN_TEXT = b"Ann Smith"  # a complainant's name that fill() saves


@pytest.fixture(autouse=True)
def no_timed_daily_backup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cscdesk.ui.backup_ui.DAILY_CHECK_DELAY_MS", 3_600_000)


@pytest.fixture
def keep_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_app installs the crash hooks; put the test runner's back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


def make_database(db_path: Path, passphrase: str | None = None) -> None:
    with copied_database(db_path) as database:
        fill(database)
    if passphrase is not None:
        change_encryption(db_path, None, passphrase)


def files_holding(folder: Path, text: bytes) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and text in path.read_bytes()]


def open_window(database, qtbot, dialogs: ScriptedDialogs) -> MainWindow:
    window = MainWindow(database, dialogs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


# --- start-up ----------------------------------------------------------------------------------

def test_an_encrypted_database_asks_for_its_passphrase_at_start_and_opens(
        qapp, db_path, monkeypatch, keep_hooks, capsys):
    make_database(db_path, PASSPHRASE)
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAINT, "1")
    dialogs = ScriptedDialogs("Correct horse battery", PASSPHRASE)
    assert run_app(db_path, dialogs=dialogs) == 0
    kinds = [kind for kind, _title, _text in dialogs.shown]
    assert kinds[:3] == ["ask_passphrase", "warn", "ask_passphrase"]
    assert "2 more tries" in dialogs.shown[1][2]
    assert "first paint after" in capsys.readouterr().err


def test_a_wrong_passphrase_three_times_is_exit_1(qapp, db_path, keep_hooks, capsys):
    make_database(db_path, PASSPHRASE)
    dialogs = ScriptedDialogs("wrong one 1", "wrong one 2", "wrong one 3", PASSPHRASE)
    assert run_app(db_path, dialogs=dialogs) == 1
    kinds = [kind for kind, _title, _text in dialogs.shown]
    assert kinds == ["ask_passphrase", "warn", "ask_passphrase", "warn", "ask_passphrase",
                     "error"]
    assert list(dialogs.answers) == [PASSPHRASE]  # not asked a fourth time
    err = capsys.readouterr().err
    assert "wrong 3 times" in err and "Traceback" not in err


def test_cancel_at_start_is_exit_1_with_one_sentence(qapp, db_path, keep_hooks, capsys):
    make_database(db_path, PASSPHRASE)
    dialogs = ScriptedDialogs(None)
    assert run_app(db_path, dialogs=dialogs) == 1
    assert [kind for kind, _title, _text in dialogs.shown] == ["ask_passphrase"]
    assert "No passphrase was given" in capsys.readouterr().err


def test_a_damaged_encrypted_database_at_start_is_offered_its_backup(
        qapp, db_path, monkeypatch, keep_hooks):
    make_database(db_path, PASSPHRASE)  # the change leaves an encrypted backup of it
    damaged = bytearray(db_path.read_bytes())
    damaged[100:4096] = b"\x00" * 3996
    db_path.write_bytes(bytes(damaged))
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAINT, "1")
    dialogs = ScriptedDialogs(PASSPHRASE, True)
    assert run_app(db_path, dialogs=dialogs) == 0
    kinds = [kind for kind, _title, _text in dialogs.shown]
    assert kinds[:3] == ["ask_passphrase", "confirm", "info"]
    assert "probably damaged" in dialogs.shown[1][2]
    assert soundness.check_database(db_path, passphrase=PASSPHRASE).counts["complaint"] == 4
    assert cipher.looks_encrypted(db_path)


# --- settings: encrypting and decrypting -------------------------------------------------------

def test_settings_encrypt_a_plain_database_and_remove_the_encryption_again(
        db_path, tmp_path, qtbot):
    make_database(db_path)
    backup.backup_database(db_path)  # a plain backup, which must be encrypted too
    assert files_holding(tmp_path, PLAIN_TEXT)
    dialogs = ScriptedDialogs()
    window = open_window(open_database(db_path), qtbot, dialogs)
    pane = window.show_pane("settings")
    assert pane.encrypt_button.isEnabled() and not pane.decrypt_button.isEnabled()

    # Mistyped the second time, then too short, then right; then the plain warning, confirmed.
    dialogs.answers.extend([PASSPHRASE, "correct horse batter", "short", PASSPHRASE,
                            PASSPHRASE, True])
    pane.encrypt_button.click()
    qtbot.waitUntil(lambda: window.encryption_task is None, timeout=30_000)
    warnings = [text for kind, _title, text in dialogs.shown if kind == "warn"]
    assert warnings == ["The two passphrases are not the same. Try again.",
                        "A passphrase needs at least 8 characters."]
    confirm = next(text for kind, _title, text in dialogs.shown if kind == "confirm")
    assert LOST_WARNING in confirm
    assert dialogs.shown[-1][0] == "info", dialogs.shown[-1]
    assert "other folders" in dialogs.shown[-1][2]  # copies elsewhere stay readable: said
    assert "stay readable without any passphrase" in dialogs.shown[-1][2]
    assert window.database.encrypted and window.database.passphrase == PASSPHRASE
    assert window.idle_lock.watching  # the lock now applies
    assert cipher.looks_encrypted(db_path)
    wait_for_background_work()
    assert files_holding(tmp_path, PLAIN_TEXT) == []  # database, its backups: no plaintext
    pane = window.show_pane("settings")
    assert LOST_WARNING in pane.encryption_label.text()
    assert pane.decrypt_button.isEnabled() and not pane.encrypt_button.isEnabled()

    # A wrong current passphrase changes nothing.
    dialogs.answers.extend(["not the passphrase"])
    pane.decrypt_button.click()
    assert window.encryption_task is None and window.database.encrypted
    assert "not the current passphrase" in dialogs.shown[-1][2]

    dialogs.answers.extend([PASSPHRASE, True])
    pane.decrypt_button.click()
    qtbot.waitUntil(lambda: window.encryption_task is None, timeout=30_000)
    assert not window.database.encrypted
    assert not cipher.looks_encrypted(db_path)
    assert PLAIN_TEXT in db_path.read_bytes()
    assert window.show_pane("settings").encrypt_button.isEnabled()
    window.close()
    wait_for_background_work()
    window.database.close()


def test_a_failed_change_is_a_message_and_the_database_is_reopened_as_it_was(
        db_path, qtbot):
    make_database(db_path, PASSPHRASE)
    dialogs = ScriptedDialogs()
    window = open_window(open_database(db_path, passphrase=PASSPHRASE), qtbot, dialogs)
    window.change_encryption(PASSPHRASE, PASSPHRASE)  # the store refuses the same passphrase
    window.close()  # refused while the file may be rewritten
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.encryption_task is None, timeout=30_000)
    kind, _title, text = dialogs.shown[-1]
    assert kind == "error" and "same as the current one" in text and "as it was" in text
    assert window.database.encrypted
    with window.database.session() as session:  # open and usable again
        assert session.execute(sqlalchemy.text("SELECT count(*) FROM complaint")).scalar() == 4
    window.close()
    wait_for_background_work()
    window.database.close()


# --- backups -----------------------------------------------------------------------------------

def test_back_up_now_on_an_encrypted_database_writes_an_encrypted_backup(
        db_path, tmp_path, qtbot):
    make_database(db_path, PASSPHRASE)
    window = open_window(open_database(db_path, passphrase=PASSPHRASE), qtbot,
                         ScriptedDialogs())
    before = {info.path for info in backup_list.list_backups(
        backup_folder.backup_folder_for(db_path, PASSPHRASE), db_path.stem)}
    task = window.backup_controller.back_up_now()
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    made = window.backup_controller.last_result
    assert made is not None and made.backup is not None and made.backup.path not in before
    assert cipher.looks_encrypted(made.backup.path)
    assert PLAIN_TEXT not in made.backup.path.read_bytes()
    assert soundness.check_database(made.backup.path, passphrase=PASSPHRASE).counts
    window.close()
    wait_for_background_work()
    assert files_holding(tmp_path, PLAIN_TEXT) == []
    window.database.close()


# --- idle lock ---------------------------------------------------------------------------------

def test_the_idle_lock_hides_the_window_and_wants_the_passphrase(db_path, qtbot):
    make_database(db_path, PASSPHRASE)
    dialogs = ScriptedDialogs()
    window = open_window(open_database(db_path, passphrase=PASSPHRASE), qtbot, dialogs)
    lock = window.idle_lock
    lock.set_timeout_ms(50)
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible() and not window.isVisible()

    dialog.passphrase_edit.setText("Correct horse battery")
    dialog.unlock_button.click()
    assert lock.locked and not window.isVisible()
    assert "not the passphrase" in dialog.message.text()
    dialog.reject()  # Escape does not unlock either
    assert lock.locked

    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.unlock_button.click()
    assert not lock.locked and window.isVisible()
    assert lock.watching

    # Locked again after the next idle spell; Quit closes the window as File › Quit does.
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    lock.dialog.quit_button.click()
    assert not lock.locked and not window.isVisible()
    qtbot.waitUntil(lambda: window.backup_controller.exit_backup is not None, timeout=5_000)
    wait_for_background_work()
    window.database.close()


def test_a_plain_database_is_never_locked(db_path, qtbot):
    make_database(db_path)
    window = open_window(open_database(db_path), qtbot, ScriptedDialogs())
    lock = window.idle_lock
    assert lock.timeout_ms == 10 * 60_000  # the setting's default
    lock.set_timeout_ms(20)
    qtbot.wait(150)
    assert not lock.locked and window.isVisible()
    assert not lock.watching  # no filter on every event for a plain database
    window.close()
    wait_for_background_work()
    window.database.close()


def test_a_restored_file_with_another_passphrase_is_asked_for_it(db_path, tmp_path, qtbot):
    make_database(db_path, PASSPHRASE)
    other = tmp_path / "other" / db_path.name
    other.parent.mkdir()
    other.write_bytes(db_path.read_bytes())
    change_encryption(other, PASSPHRASE, "the passphrase of old")
    dialogs = ScriptedDialogs("the passphrase of old")
    window = open_window(open_database(db_path, passphrase=PASSPHRASE), qtbot, dialogs)
    wait_for_background_work()  # as a restore does before swapping the file in
    window.database.close()
    db_path.write_bytes(other.read_bytes())
    window.reopen_database(db_path)
    assert window.database.passphrase == "the passphrase of old"
    assert not window.database.closed
    wait_for_background_work()
    window.database.close()
    db_path.write_bytes(other.read_bytes())
    dialogs.answers.append(None)  # cancelled: nothing can be shown, the window closes
    window.reopen_database(db_path, passphrase=PASSPHRASE)
    assert [kind for kind, _title, _text in dialogs.shown][-1] == "error"
    assert not window.isVisible()
    wait_for_background_work()


def test_a_record_form_open_when_locking_is_veiled_not_closed(db_path, qtbot):
    from cscdesk.domain.kinds import Kind
    from cscdesk.ui.forms.dialog import RecordFormDialog

    make_database(db_path, PASSPHRASE)
    window = open_window(open_database(db_path, passphrase=PASSPHRASE), qtbot,
                         ScriptedDialogs())
    form = RecordFormDialog(window, window.database, Kind.COMPLIMENT, None, ScriptedDialogs())
    form.show()
    form.view.editors["reference"].input.setText("K-typed")
    lock = window.idle_lock
    lock.set_timeout_ms(50)
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
    assert form.isVisible() and not form.isEnabled() and form.windowOpacity() == 0.0
    lock.dialog.passphrase_edit.setText(PASSPHRASE)
    lock.dialog.unlock_button.click()
    assert form.isEnabled() and form.windowOpacity() == 1.0
    assert form.view.editors["reference"].input.text() == "K-typed"  # nothing lost
    lock.set_timeout_ms(0)
    form.done(0)
    window.close()
    wait_for_background_work()
    window.database.close()


def test_enter_with_the_passphrase_unlocks(qtbot):
    from PySide6.QtCore import Qt

    from cscdesk.ui.idle_lock import LockDialog

    lock = LockDialog("cases.db", "correct horse")
    qtbot.addWidget(lock)
    lock.show()
    assert lock.unlock_button.isDefault() and not lock.quit_button.isDefault()
    qtbot.keyClicks(lock.passphrase_edit, "correct horse")
    qtbot.keyClick(lock.passphrase_edit, Qt.Key.Key_Return)
    assert lock.result() == lock.DialogCode.Accepted and not lock.quit_chosen
