"""File → Move to a server…: copy a single PC's database file into an empty server database.

The app's face of `cscdesk server move-in FILE URL` (`store.move_in`, docs/server.md "Moving in
from a single PC"): the officer, or IT at the officer's PC, names the file (the open database
by default) and the server database, and the move runs off the GUI thread as an `Operation`.

- Checked before anything starts, and said beside the field (never as a traceback): the URL
  must be a `ServerURL` (a password in it is refused), the file must exist.
- An encrypted file: the open database's passphrase is handed in (`passphrase=`) and used
  for that file without asking. Another encrypted file chosen here is asked for with the
  start-up question (`passphrase_dialogs.ask_start_passphrase`: three tries, case-sensitive),
  which needs nothing new and tells a wrong passphrase from a damaged file; it is kept only in
  this dialog, for a second try after a refusal.
- Then `server_signin.sign_in_to_server` makes sure the server can be reached (a password
  from .pgpass, single sign-on, the keyring or its own prompt); when it says no it has already
  said why, and nothing is started.
- While the move runs the dialog cannot be closed: the move is one transaction on the server,
  which closing the window would not stop, and its outcome (moved, or nothing written) must be
  seen. The app's close waits for it as for any `Operation`.
- Afterwards the dialog shows `MoveOutcome.sentence` and offers "Open the server database"
  (`moved_to` is set and the dialog accepted), or the refusal's sentence, with the fields
  ready for another try.

`move_in_from_window` is what the main window calls; nothing here edits its menu.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cscdesk import paths
from cscdesk.errors import UserFacingError
from cscdesk.store.location import ServerURL
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.workers import Operation

if TYPE_CHECKING:  # the store's SQLAlchemy code loads when the move starts
    from cscdesk.store.move_in import MoveOutcome
    from cscdesk.ui.contracts import AppWindow

log = logging.getLogger(__name__)

TITLE = "Move to a server"
URL_PLACEHOLDER = "postgresql://server.council.local/cscdesk?sslmode=verify-full"
DATABASE_FILTER = "cscdesk databases (*.db);;All files (*)"
MOVING = "Moving… this takes about a minute for 100,000 records."
ONE_TRANSACTION = ("The move is one transaction on the server: it cannot be stopped part way, "
                   "so this window stays open until it has finished.")
EXPLANATION = (
    "Every record, list, setting, narrative text, baseline figure, the bin and the whole "
    "audit trail of the file are copied into the server database in one transaction, then "
    "checked table by table and figure by figure (every reporting year's appendix) before "
    "they are kept. If anything differs, nothing is kept on the server. The file is only read: "
    "it is not changed.\n\nThe server database must have been set up by IT (“cscdesk server "
    "setup”) and be empty.")


def _same_file(one: Path, other: Path | None) -> bool:
    if other is None:
        return False
    try:
        return one.samefile(other)
    except OSError:
        return one.resolve() == other.resolve()


class MoveInDialog(QDialog):
    """The file, the server, then the move. `moved_to` is the server to open once the officer
    chooses "Open the server database" (the dialog is then accepted); None otherwise."""

    def __init__(self, file: Path | None, dialogs: UserDialogs, parent: QWidget | None = None,
                 *, passphrase: str | None = None) -> None:
        """`file` is the app's open database (None for none); `passphrase` opens it when it is
        encrypted."""
        super().__init__(parent)
        self.dialogs = dialogs
        self.given_file = Path(file) if file is not None else None
        self.passphrase = passphrase
        self.moved_to: ServerURL | None = None
        self.outcome: MoveOutcome | None = None
        self.task: Operation[MoveOutcome] | None = None
        self._asked: tuple[Path, str] | None = None  # another encrypted file's passphrase
        self._server: ServerURL | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)

        self.file_edit = QLineEdit(str(self.given_file) if self.given_file else "")
        self.file_edit.setPlaceholderText("The database file (.db) to move")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setToolTip("Choose another database file")
        self.choose_button.clicked.connect(self._choose_file)
        self.file_problem = self._problem_label()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(URL_PLACEHOLDER)
        self.url_edit.setToolTip("The server database's URL from IT, without a password")
        self.url_problem = self._problem_label()
        self.file_edit.textEdited.connect(lambda _text: self._clear(self.file_edit))
        self.url_edit.textEdited.connect(lambda _text: self._clear(self.url_edit))

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        file_column = QVBoxLayout()
        file_column.addLayout(file_row)
        file_column.addWidget(self.file_problem)
        url_column = QVBoxLayout()
        url_column.addWidget(self.url_edit)
        url_column.addWidget(self.url_problem)
        form = QFormLayout()
        form.addRow(labelled("Database &file:", self.file_edit), file_column)
        form.addRow(labelled("Server &URL:", self.url_edit), url_column)

        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: one transaction
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Moving")
        self.busy.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.buttons = QDialogButtonBox()
        self.move_button = self.buttons.addButton("&Move",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setToolTip("Copy the file into the server database, checked")
        self.move_button.clicked.connect(self.start)
        self.open_button = self.buttons.addButton("&Open the server database",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.clicked.connect(self.open_server)
        self.open_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(self.busy)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.buttons)
        self.move_button.setDefault(True)  # Enter in either box starts the move
        (self.file_edit if self.given_file is None else self.url_edit).setFocus()

    @staticmethod
    def _problem_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet("color: #b00020;")
        label.hide()
        return label

    # --- the fields ------------------------------------------------------------------------

    def _say(self, field: QLineEdit, text: str) -> None:
        """A problem with one field, shown under it and told to a screen reader with it."""
        problem = self.file_problem if field is self.file_edit else self.url_problem
        problem.setText(text)
        problem.setVisible(bool(text))
        field.setAccessibleDescription(text)

    def _clear(self, field: QLineEdit) -> None:
        self._say(field, "")

    def _choose_file(self) -> None:
        current = self.file_edit.text().strip()
        folder = Path(current).expanduser().parent if current else paths.data_dir()
        chosen = self.dialogs.open_file(self, "The database file to move", folder,
                                        DATABASE_FILTER)
        if chosen is None:
            return
        self.file_edit.setText(str(chosen))
        self._clear(self.file_edit)
        self.url_edit.setFocus()

    def chosen_file(self) -> Path | None:
        """The file typed or chosen, when it exists; else None, with the reason beside it."""
        text = self.file_edit.text().strip()
        if not text:
            self._say(self.file_edit, "Choose the database file to move.")
            return None
        file = Path(text).expanduser()
        if not file.is_file():
            self._say(self.file_edit, f"There is no database file at {file}.")
            return None
        return file

    def chosen_server(self) -> ServerURL | None:
        """The server URL typed, when it is one; else None, with the reason beside it."""
        text = self.url_edit.text().strip()
        if not text:
            self._say(self.url_edit, "Type the server database's URL from IT, as "
                                     "postgresql://SERVER/DATABASE.")
            return None
        try:
            return ServerURL(text)
        except UserFacingError as error:
            self._say(self.url_edit, str(error))
            return None

    def _passphrase_for(self, file: Path) -> tuple[bool, str | None]:
        """(go on, the passphrase): the one handed in for the open file; for another encrypted
        file the one the officer types (go on is False when cancelled or wrong, said)."""
        from cscdesk.ui.passphrase_dialogs import ask_start_passphrase, may_be_encrypted

        if _same_file(file, self.given_file) and self.passphrase is not None:
            return True, self.passphrase
        if not may_be_encrypted(file):
            return True, None
        if self._asked is not None and _same_file(file, self._asked[0]):
            return True, self._asked[1]
        try:
            passphrase = ask_start_passphrase(file, self.dialogs, self)
        except UserFacingError as error:
            self._say(self.file_edit, str(error).replace("was not opened", "was not moved"))
            self.file_edit.setFocus()
            return False, None
        self._asked = (file, passphrase)
        return True, passphrase

    # --- the move --------------------------------------------------------------------------

    def running(self) -> bool:
        return self.task is not None and self.task.running

    def start(self) -> None:
        """Check the fields, get the passphrase, sign in, then move off the GUI thread."""
        if self.running() or self.outcome is not None:
            return
        self.status.clear()
        file, server = self.chosen_file(), self.chosen_server()
        if file is not None:
            self._clear(self.file_edit)
        if server is not None:
            self._clear(self.url_edit)
        if file is None or server is None:
            (self.file_edit if file is None else self.url_edit).setFocus()
            return
        go_on, passphrase = self._passphrase_for(file)
        if not go_on:
            return
        from cscdesk.ui.server_signin import sign_in_to_server  # loaded when first used

        if not sign_in_to_server(self, server, self.dialogs):
            self.url_edit.setFocus()
            return  # it has said why
        from cscdesk.store.move_in import move_in

        self._server = server
        self._show_running(True)
        self.status.setText(f"{MOVING} {ONE_TRANSACTION}")
        log.info("moving a database file into %s from the app", server)
        self.task = Operation(
            "the move to the server",
            lambda _progress: move_in(file, server, passphrase=passphrase),
            on_done=partial(self._moved, file, server), on_failed=self._failed, context=self)
        self.task.start()

    def _show_running(self, running: bool) -> None:
        for widget in (self.file_edit, self.choose_button, self.url_edit, self.move_button,
                       self.close_button):
            widget.setEnabled(not running)
        self.busy.setVisible(running)

    def _moved(self, file: Path, server: ServerURL, outcome: MoveOutcome) -> None:
        self.outcome = outcome
        self._show_running(False)
        for widget in (self.file_edit, self.choose_button, self.url_edit):
            widget.setEnabled(False)  # done: a second move would only be refused
        self.status.setText(outcome.sentence(file, server))
        self.move_button.hide()
        self.open_button.show()
        self.open_button.setDefault(True)
        self.open_button.setFocus()

    def _failed(self, error: Exception) -> None:
        self._show_running(False)
        if not isinstance(error, UserFacingError):
            self.status.setText("The move stopped because of a fault in cscdesk.")
            raise error  # a bug: the crash hook reports it
        self.status.setText(str(error))
        self.move_button.setFocus()

    def open_server(self) -> None:
        """The dialog's result: the server the app opens next."""
        if self.outcome is None or self._server is None:
            return
        self.moved_to = self._server
        self.accept()

    def reject(self) -> None:
        """Esc, Close or the window's own close: not while the move runs (say why)."""
        if self.running():
            self.status.setText(f"{MOVING} {ONE_TRANSACTION}")
            return
        super().reject()


def move_in_from_window(window: AppWindow, dialogs: UserDialogs) -> ServerURL | None:
    """The dialog for the app's open database, modal; the server to open, or None.

    A window already on a server database starts with the file field empty."""
    database = window.database
    file = database.path if isinstance(database.path, Path) else None
    dialog = MoveInDialog(file, dialogs, window,
                          passphrase=database.passphrase if file is not None else None)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.moved_to if accepted else None
    finally:
        dialog.deleteLater()  # here, in the GUI thread
