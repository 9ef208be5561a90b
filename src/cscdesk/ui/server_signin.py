"""Signing in to a server database before it is opened: libpq's own ways first, then the
credential store, then the officer types the password (three tries).

Reaching the server can take seconds (a slow network, a server that is down: libpq gives up
after `SERVER_CONNECT_TIMEOUT_S`), so the attempt runs on a plain Python thread that touches no
Qt object while the GUI thread keeps painting and shows "Connecting…" after a moment.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from cscdesk.store import server_password
from cscdesk.store.engine import SERVER_CONNECT_TIMEOUT_S, server_sentence
from cscdesk.store.location import ServerURL
from cscdesk.ui.dialog_service import UserDialogs

TRIES = 3
SHOW_WAITING_AFTER_S = 0.4


def _attempt(server: ServerURL) -> BaseException | None:
    """Connect once and close: None when the server let us in, else why not."""
    import psycopg

    try:
        psycopg.connect(server.url, connect_timeout=SERVER_CONNECT_TIMEOUT_S,
                        application_name="cscdesk",
                        **server_password.connection_keywords(server)).close()
    except Exception as error:  # psycopg.Error, or a URL libpq cannot read
        return error
    return None


def reach(parent: QWidget | None, server: ServerURL) -> BaseException | None:
    """`_attempt` on a thread, the window kept alive; a note shows if it takes a while."""
    outcome: list[BaseException | None] = []
    thread = threading.Thread(target=lambda: outcome.append(_attempt(server)),
                              name="cscdesk-sign-in", daemon=True)
    thread.start()
    began = time.monotonic()
    waiting: QProgressDialog | None = None
    try:
        while thread.is_alive():
            if waiting is None and time.monotonic() - began > SHOW_WAITING_AFTER_S:
                waiting = QProgressDialog(f"Connecting to {server.host}…", "", 0, 0, parent)
                waiting.setWindowTitle("cscdesk")
                waiting.setCancelButton(None)  # nothing to cancel: libpq gives up by itself
                waiting.setWindowModality(Qt.WindowModality.ApplicationModal)
                waiting.show()
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            thread.join(0.02)
    finally:
        if waiting is not None:
            waiting.close()
            waiting.deleteLater()
    return outcome[0] if outcome else None


def sign_in_to_server(parent: QWidget | None, server: ServerURL, dialogs: UserDialogs) -> bool:
    """True when `server` can be reached now (the password, if one was needed, is then used
    for this session); False when the officer cancelled or it failed, having said why."""
    error = reach(parent, server)
    if error is None:
        return True
    if not server_password.wants_password(error):
        dialogs.error(parent, "Cannot reach the server", server_sentence(server, error))
        return False
    kept = server_password.remembered(server)
    if kept is not None and server_password.password_for(server) is None:
        server_password.use(server, kept)
        error = reach(parent, server)
        if error is None:
            return True
        if not server_password.wants_password(error):
            dialogs.error(parent, "Cannot reach the server", server_sentence(server, error))
            return False
        server_password.forget(server)  # changed since: ask, and keep the new one if wanted
    login = server_password.login_of(server)
    text = (f"The server {server.host} asks for the password of your login “{login}” to "
            f"open the database {server.database}.")
    for attempt in range(1, TRIES + 1):
        answer = dialogs.ask_server_password(parent, text,
                                             can_remember=server_password.keyring_available())
        if answer is None:
            return False
        password, keep = answer
        server_password.use(server, password)
        error = reach(parent, server)
        if error is None:
            if keep and not server_password.remember(server, password):
                dialogs.warn(parent, "Password not remembered",
                             "This PC's credential store did not take the password, so it "
                             "will be asked for again next time.")
            return True
        server_password.drop(server)
        if not server_password.wants_password(error):
            dialogs.error(parent, "Cannot reach the server", server_sentence(server, error))
            return False
        left = TRIES - attempt
        text = (f"The server {server.host} did not accept that password for “{login}” "
                f"(passwords are case-sensitive). {left} more {'try' if left == 1 else 'tries'}.")
    dialogs.error(parent, "Not signed in",
                  f"The server {server.host} refused the password {TRIES} times, so the "
                  f"database {server.database} was not opened.")
    return False
