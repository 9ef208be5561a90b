"""The "Move to a server…" dialog on real files and the session's real PostgreSQL server: a
move from the keyboard (rows on the server, the sentence, the server offered, the file's bytes
unchanged), a server in use refused, a bad URL or a missing file said beside its field, the
passphrase of an encrypted file, and the dialog for the app's open database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from ui_data import copied_database, fill

from cscdesk.store.location import ServerURL
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.move_in_dialog import MoveInDialog, move_in_from_window
from move_in_checks import file_counts, server_counts, sha256

PASSPHRASE = "correct horse battery"
MOVE_TIMEOUT = 120_000  # ms: two shared cores, the figures of every year compared





@pytest.fixture
def cases_file(db_path: Path) -> Path:
    """A closed database file with four complaints and a record of every other kind."""
    with copied_database(db_path) as database:
        fill(database)
    return db_path


def encrypted_copy(cases_file: Path, path: Path) -> Path:
    from cscdesk.store.encryption import change_encryption

    path.write_bytes(cases_file.read_bytes())
    change_encryption(path, None, PASSPHRASE)
    return path


def shown(qtbot, dialog: MoveInDialog) -> MoveInDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def move(qtbot, dialog: MoveInDialog, url: ServerURL | str) -> None:
    """Type the URL, click Move, wait for the outcome."""
    dialog.url_edit.setText(str(url))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert dialog.task is not None
    qtbot.waitUntil(lambda: not dialog.running(), timeout=MOVE_TIMEOUT)


# --- checked before anything starts (no server needed) ------------------------------------------

def test_the_fields_are_labelled_for_the_keyboard_and_a_screen_reader(qtbot, tmp_path):
    dialog = shown(qtbot, MoveInDialog(tmp_path / "cases.db", ScriptedDialogs()))
    labels = {label.buddy(): label.text() for label in dialog.findChildren(QLabel)
              if label.buddy() is not None}
    assert labels[dialog.file_edit] == "Database &file:"
    assert labels[dialog.url_edit] == "Server &URL:"
    assert dialog.file_edit.accessibleName() == "Database file"
    assert dialog.url_edit.accessibleName() == "Server URL"
    assert dialog.url_edit.placeholderText() == (
        "postgresql://server.council.local/cscdesk?sslmode=verify-full")
    assert dialog.file_edit.text() == str(tmp_path / "cases.db")
    assert dialog.move_button.isDefault() and dialog.move_button.text() == "&Move"
    assert "one transaction" in dialog.explanation.text()
    assert "not changed" in dialog.explanation.text() and "empty" in dialog.explanation.text()
    for widget in dialog.findChildren(QWidget):  # what Tab reaches is announced by a name
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            interface = QAccessible.queryAccessibleInterface(widget)
            assert interface.text(QAccessible.Text.Name).strip(), widget


def test_a_password_in_the_url_is_said_beside_the_field_and_nothing_starts(
        qtbot, cases_file):
    dialog = shown(qtbot, MoveInDialog(cases_file, ScriptedDialogs()))
    dialog.url_edit.setText("postgresql://ann:secret@db.council.local/cscdesk")
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)

    assert dialog.task is None
    assert dialog.dialogs.shown == []  # no sign-in, no message box
    assert dialog.url_problem.isVisible()
    assert dialog.url_problem.text().startswith("A password does not belong in the server URL")
    assert dialog.url_edit.accessibleDescription() == dialog.url_problem.text()
    assert not dialog.file_problem.isVisible()
    assert "Traceback" not in dialog.url_problem.text() and dialog.isVisible()
    qtbot.keyClicks(dialog.url_edit, "x")  # typing again clears it
    assert not dialog.url_problem.isVisible()


def test_a_missing_file_and_an_empty_url_are_said_beside_their_fields(qtbot, tmp_path):
    missing = tmp_path / "nowhere" / "cases.db"
    dialog = shown(qtbot, MoveInDialog(missing, ScriptedDialogs()))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)

    assert dialog.task is None and dialog.dialogs.shown == []
    assert dialog.file_problem.text() == f"There is no database file at {missing}."
    assert "postgresql://SERVER/DATABASE" in dialog.url_problem.text()
    assert dialog.focusWidget() is dialog.file_edit  # the first problem


def test_choose_puts_the_chosen_file_in_the_field(qtbot, cases_file, tmp_path):
    dialogs = ScriptedDialogs(cases_file)
    dialog = shown(qtbot, MoveInDialog(None, dialogs))
    assert dialog.file_edit.text() == ""
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown[0][0] == "open_file"
    assert dialog.file_edit.text() == str(cases_file)


# --- against the server -----------------------------------------------------------------------

@pytest.mark.postgresql
def test_a_file_moves_in_from_the_keyboard_and_the_server_is_offered(
        qtbot, cases_file, server_url):
    before = sha256(cases_file)
    expected = file_counts(cases_file)
    assert expected["complaint"] == 4 and expected["audit_event"] > 0
    dialog = shown(qtbot, MoveInDialog(cases_file, ScriptedDialogs()))
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.url_edit)
    qtbot.keyClicks(dialog.url_edit, str(server_url))
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)  # Enter starts the move

    assert dialog.running()
    assert dialog.busy.isVisible() and "about a minute for 100,000 records" in (
        dialog.status.text())
    assert not any(button.isEnabled() for button in (
        dialog.move_button, dialog.close_button, dialog.choose_button))
    qtbot.waitUntil(lambda: not dialog.running(), timeout=MOVE_TIMEOUT)

    assert dialog.outcome is not None
    assert dialog.status.text() == dialog.outcome.sentence(cases_file, server_url)
    assert dialog.status.text().startswith(f"Moved {cases_file} into {server_url}: 8 records")
    assert server_counts(server_url) == expected
    assert sha256(cases_file) == before
    assert not dialog.busy.isVisible() and dialog.move_button.isHidden()
    assert dialog.open_button.isVisible() and dialog.open_button.isDefault()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.moved_to == server_url
    assert dialog.result() == MoveInDialog.DialogCode.Accepted


@pytest.mark.postgresql
def test_a_server_database_in_use_is_refused_in_the_dialog_and_nothing_is_written(
        qtbot, cases_file, server_url):
    import psycopg

    with psycopg.connect(str(server_url), autocommit=True) as connection:
        connection.execute("INSERT INTO setting (key, value, created_at, updated_at) "
                           "VALUES ('report_folder', '/tmp', now(), now())")
    before = sha256(cases_file)
    dialog = shown(qtbot, MoveInDialog(cases_file, ScriptedDialogs()))

    move(qtbot, dialog, server_url)

    assert "is not empty" in dialog.status.text() and "setting (1)" in dialog.status.text()
    assert "nothing was written" in dialog.status.text()
    counts = server_counts(server_url)
    assert counts["setting"] == 1 and sum(counts.values()) == 1
    assert sha256(cases_file) == before
    assert dialog.outcome is None and dialog.moved_to is None
    assert dialog.move_button.isEnabled() and dialog.open_button.isHidden()
    assert dialog.close_button.isEnabled() and dialog.url_edit.isEnabled()
    assert dialog.dialogs.shown == []  # said in the dialog, not in a message box
    dialog.reject()
    assert not dialog.isVisible() and dialog.moved_to is None


@pytest.mark.postgresql
def test_a_server_the_sign_in_cannot_reach_starts_nothing(qtbot, cases_file, server_url):
    nowhere = ServerURL(server_url.url.replace(f"/{server_url.database}", "/no_such_db", 1))
    assert nowhere.database == "no_such_db"
    dialogs = ScriptedDialogs()
    dialog = shown(qtbot, MoveInDialog(cases_file, dialogs))
    dialog.url_edit.setText(str(nowhere))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)

    assert dialog.task is None  # the sign-in said why, in its own message
    assert [kind for kind, _title, _text in dialogs.shown] == ["error"]
    assert "no_such_db" in dialogs.shown[0][2]
    assert dialog.move_button.isEnabled() and dialog.focusWidget() is dialog.url_edit


@pytest.mark.postgresql
def test_the_dialog_stays_open_while_the_move_runs(qtbot, cases_file, server_url):
    dialog = shown(qtbot, MoveInDialog(cases_file, ScriptedDialogs()))
    dialog.url_edit.setText(str(server_url))
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert dialog.running()

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()

    assert dialog.isVisible()
    assert "one transaction" in dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.running(), timeout=MOVE_TIMEOUT)
    assert dialog.outcome is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # now it closes, and opens nothing
    assert not dialog.isVisible() and dialog.moved_to is None


@pytest.mark.postgresql
def test_another_encrypted_file_is_asked_for_its_passphrase(
        qtbot, cases_file, tmp_path, server_url):
    pytest.importorskip("sqlcipher3")
    secret = encrypted_copy(cases_file, tmp_path / "secret.db")
    before = sha256(secret)
    dialogs = ScriptedDialogs(None, "Correct horse battery", PASSPHRASE)
    dialog = shown(qtbot, MoveInDialog(cases_file, dialogs))
    dialog.file_edit.setText(str(secret))
    dialog.url_edit.setText(str(server_url))

    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)  # cancelled
    assert dialog.task is None
    assert dialog.file_problem.text() == f"No passphrase was given, so {secret} was not moved."

    move(qtbot, dialog, server_url)  # a wrong one, then the right one

    assert [kind for kind, _title, _text in dialogs.shown] == [
        "ask_passphrase", "ask_passphrase", "warn", "ask_passphrase"]
    assert dialog.outcome is not None, dialog.status.text()
    assert server_counts(server_url)["complaint"] == 4
    assert sha256(secret) == before


# --- from the main window ---------------------------------------------------------------------

def when_shown(act: Callable[[MoveInDialog], bool]) -> None:
    """Call `act` on the modal dialog every 50 ms once it is shown, until it says it is done."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MoveInDialog) or not act(dialog):
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)


def app_window(qtbot, database) -> QWidget:
    from cscdesk.ui.contracts import AppWindow

    window = AppWindow()
    window.database = database
    qtbot.addWidget(window)
    return window


@pytest.mark.postgresql
def test_the_open_encrypted_database_moves_with_its_passphrase_and_the_server_is_returned(
        qtbot, cases_file, tmp_path, server_url):
    pytest.importorskip("sqlcipher3")
    from cscdesk.store.engine import open_database

    secret = encrypted_copy(cases_file, tmp_path / "secret.db")
    database = open_database(secret, passphrase=PASSPHRASE)  # open, as in the app
    dialogs = ScriptedDialogs()
    seen: list[str] = []

    def drive(dialog: MoveInDialog) -> bool:
        if not seen:
            seen.append(dialog.file_edit.text())
            dialog.url_edit.setText(str(server_url))
            dialog.move_button.click()
            return False
        if dialog.running():
            return False
        seen.append(dialog.status.text())
        (dialog.open_button if dialog.outcome else dialog.close_button).click()
        return True

    try:
        when_shown(drive)
        chosen = move_in_from_window(app_window(qtbot, database), dialogs)
    finally:
        database.close()

    assert seen[0] == str(secret)
    assert seen[1].startswith("Moved"), seen[1]
    assert chosen == server_url
    assert dialogs.shown == []  # the open database's passphrase was not asked for
    assert server_counts(server_url)["complaint"] == 4


@pytest.mark.postgresql
def test_a_window_on_a_server_database_starts_with_no_file(qtbot, server_url):
    from cscdesk.store.engine import open_database

    database = open_database(server_url)
    seen: list[str] = []

    def look_and_close(dialog: MoveInDialog) -> bool:
        seen.append(dialog.file_edit.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        return True

    try:
        when_shown(look_and_close)
        assert move_in_from_window(app_window(qtbot, database), ScriptedDialogs()) is None
    finally:
        database.close()
    assert seen == [""]

