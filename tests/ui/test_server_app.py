"""The desktop app on a server database (team mode), against the session's real PostgreSQL
server: signing in (a login the server asks a password of, the credential store), the window's
title, About, Settings and backups, File › Open between a file and a server, the last one
remembered, and the app started as a process on a server URL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from ui_data import fill, shown_window

from cscdesk.domain.kinds import Kind
from cscdesk.store import records, server_password
from cscdesk.store.engine import open_database
from cscdesk.ui.about import AboutDialog
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.last_database import remember_location, remembered_location
from cscdesk.ui.server_signin import sign_in_to_server

pytestmark = pytest.mark.postgresql


class MemoryKeyring(KeyringBackend):
    """A credential store in memory (the PC's own is not touched by tests)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_password_left_in_memory():
    yield
    server_password._in_memory.clear()


def asked(dialogs: ScriptedDialogs) -> list[str]:
    return [text for kind, _title, text in dialogs.shown if kind == "ask_server_password"]


def test_a_trusted_login_is_signed_in_without_a_question(server_url, qtbot):
    dialogs = ScriptedDialogs()
    assert sign_in_to_server(None, server_url, dialogs)
    assert dialogs.shown == []


def test_the_password_is_asked_again_when_wrong_and_then_used_for_the_database(
        password_login, qtbot, cscdesk_home: Path):
    dialogs = ScriptedDialogs(("wrong", False), (password_login.password, False))
    assert sign_in_to_server(None, password_login.url, dialogs)
    first, second = asked(dialogs)
    assert password_login.login in first and "asks for the password" in first
    assert "did not accept that password" in second and "2 more tries" in second
    database = open_database(password_login.url)
    try:
        with database.transaction() as session:
            records.save(session, _compliment())
        with database.session() as session:
            assert records.load(session, Kind.COMPLIMENT, "CP-0001") == _compliment()
    finally:
        database.close()
    logs = "".join(path.read_text(errors="replace") for path in cscdesk_home.rglob("*.log"))
    assert password_login.password not in logs and "wrong" not in logs


def _compliment():  # type: ignore[no-untyped-def]
    from datetime import date

    from cscdesk.domain.kinds import ComplimentData

    return ComplimentData(reference="CP-0001", received=date(2026, 11, 2), team="Fostering",
                          summary="Thanks to the duty team")


def test_cancel_and_three_wrong_passwords_open_nothing(password_login, qtbot):
    cancelled = ScriptedDialogs()
    assert not sign_in_to_server(None, password_login.url, cancelled)
    assert len(asked(cancelled)) == 1 and not any(k == "error" for k, *_ in cancelled.shown)
    wrong = ScriptedDialogs(("a", False), ("b", False), ("c", False))
    assert not sign_in_to_server(None, password_login.url, wrong)
    assert len(asked(wrong)) == 3
    assert any(kind == "error" and "refused the password 3 times" in text
               for kind, _title, text in wrong.shown)
    assert server_password.password_for(password_login.url) is None


def test_a_remembered_password_is_used_and_a_changed_one_is_forgotten(
        password_login, memory_keyring, postgres, qtbot):
    url = password_login.url
    assert sign_in_to_server(None, url, ScriptedDialogs((password_login.password, True)))
    assert list(memory_keyring.kept.values()) == [password_login.password]
    (service, name), = memory_keyring.kept
    assert service == "cscdesk" and name.startswith(f"{password_login.login}@")

    server_password.drop(url)  # a new session of the app
    again = ScriptedDialogs()
    assert sign_in_to_server(None, url, again)
    assert again.shown == []  # no question: the credential store had it

    from psycopg import sql

    postgres.admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(password_login.login), sql.Literal("a new one")))
    server_password.drop(url)
    changed = ScriptedDialogs()  # asked, and cancelled
    assert not sign_in_to_server(None, url, changed)
    assert len(asked(changed)) == 1
    assert memory_keyring.kept == {}  # the refused password is not kept


def test_a_server_that_cannot_be_reached_is_said_in_a_sentence(tmp_path, qtbot):
    from cscdesk.store.location import ServerURL

    gone = ServerURL(f"postgresql:///cscdesk?host={tmp_path}&connect_timeout=2")
    dialogs = ScriptedDialogs()
    assert not sign_in_to_server(None, gone, dialogs)
    ((kind, _title, text),) = dialogs.shown
    assert kind == "error" and "Cannot use the server database" in text


def test_the_window_on_a_server_says_where_it_is(server_url, qtbot, cscdesk_home: Path):
    database = open_database(server_url)
    fill(database)
    window = shown_window(database, qtbot)
    assert f"{server_url.database} on {server_url.host}" in window.windowTitle()
    assert not window.action_move_in.isEnabled()

    about = AboutDialog(database.path)
    qtbot.addWidget(about)
    shown = {name: label.text() for name, label in about.path_labels.items()}
    assert shown["Database"] == server_url.database and shown["Signed in as"] == "postgres"
    assert shown["Backups"] == str(cscdesk_home / "data" / "backups")

    settings = window.show_pane("settings")
    text = settings.encryption_label.text()  # type: ignore[attr-defined]
    assert "on a server" in text and "NOT encrypted" in text  # a Unix socket: no TLS
    assert not settings.encrypt_button.isVisible()  # type: ignore[attr-defined]
    assert not window.backup_controller.action_restore.isEnabled()

    complaints = window.show_pane(Kind.COMPLAINT.name)
    assert complaints.model.rowCount() > 0  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_back_up_now_keeps_a_verified_archive_of_the_server_here(server_url, qtbot,
                                                                  cscdesk_home: Path):
    database = open_database(server_url)
    fill(database)
    window = shown_window(database, qtbot)
    controller = window.backup_controller
    operation = controller.back_up_now()
    qtbot.waitUntil(lambda: not operation.running, timeout=60_000)
    made = controller.last_result
    assert made is not None and made.backup.path.exists()
    assert made.backup.path.parent == cscdesk_home / "data" / "backups"
    qtbot.waitUntil(lambda: "Last copy on this PC" in controller.label.text(), timeout=10_000)
    assert controller.back_up_on_exit() is None  # nothing automatic on a server


def test_file_menu_opens_a_server_and_a_file_and_remembers_the_last(
        db_path: Path, server_url, qtbot):
    database = open_database(db_path)
    window = shown_window(database, qtbot)
    window.dialogs = ScriptedDialogs(str(server_url))
    assert window.open_server_database()
    assert window.database.on_server and database.closed
    assert server_url.database in window.windowTitle()
    assert remembered_location() == server_url

    window.dialogs = ScriptedDialogs(db_path)
    assert window.open_database_file()
    assert window.database.path == db_path and window.database.path.name in window.windowTitle()
    assert remembered_location() == db_path.absolute()


def test_an_address_that_is_not_a_server_is_named_and_nothing_changes(db_path, qtbot):
    database = open_database(db_path)
    window = shown_window(database, qtbot)
    window.dialogs = dialogs = ScriptedDialogs("cases.db")
    assert not window.open_server_database()
    assert window.database is database and not database.closed
    assert any(kind == "error" and "postgresql://" in text for kind, _t, text in dialogs.shown)


def test_a_remembered_file_that_is_gone_is_not_made_again(tmp_path: Path):
    remember_location(tmp_path / "moved away.db")
    assert remembered_location() is None


def test_the_app_opens_on_a_server_as_a_process(cli, server_url):
    shown = cli("--db", str(server_url),
                env={"CSCDESK_EXIT_AFTER_FIRST_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"})
    assert shown.returncode == 0, shown.stderr
    assert "first paint after" in shown.stderr


def test_the_app_starts_on_the_server_opened_last(cli, server_url, cscdesk_home: Path):
    remember_location(server_url)
    shown = cli(env={"CSCDESK_EXIT_AFTER_FIRST_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"})
    assert shown.returncode == 0, shown.stderr
    assert not (cscdesk_home / "data" / "cscdesk.db").exists()  # not this PC's own file
    assert os.environ.get("CSCDESK_DB") is None


def test_the_backup_folder_setting_is_not_offered_on_a_server(server_url, qtbot):
    from cscdesk import settings as options

    database = open_database(server_url)
    window = shown_window(database, qtbot)
    pane = window.show_pane("settings")
    folder = pane.inputs[options.BACKUP_FOLDER.key]  # type: ignore[attr-defined]
    assert not folder.isEnabled() and "this PC" in folder.toolTip()
    assert pane.inputs[options.REPORT_FOLDER.key].isEnabled()  # type: ignore[attr-defined]
