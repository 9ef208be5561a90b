"""Message boxes and file dialogs behind one small service, so tests can answer them.

Widgets receive a `UserDialogs` and call it instead of QMessageBox/QFileDialog statics; tests pass
a `ScriptedDialogs` with the answers they want, without patching Qt globally.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cscdesk.ui.accessible_names import name_after_label


class UserDialogs:
    """The real dialogs."""

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str, *,
                default_yes: bool = False) -> bool:
        """Yes or No. Enter answers No, unless `default_yes` (for a question where either
        answer loses nothing, such as adding a new team when saving)."""
        standard = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent, title, text, standard.Yes | standard.No,
            standard.Yes if default_yes else standard.No,
        )
        return answer == standard.Yes

    def save_discard_cancel(self, parent: QWidget | None, title: str, text: str) -> str:
        """Returns "save", "discard" or "cancel". Enter saves, Esc cancels, and Alt+S, Alt+D
        and Alt+C reach each button (Qt's own button texts carry no underlined letter)."""
        standard = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, title, text, standard.NoButton, parent)
        answers = {standard.Save: ("&Save", "save"), standard.Discard: ("&Discard", "discard"),
                   standard.Cancel: ("&Cancel", "cancel")}
        for which, (label, _answer) in answers.items():
            box.addButton(which).setText(label)
        box.setDefaultButton(standard.Save)
        box.setEscapeButton(standard.Cancel)
        box.exec()
        clicked = box.clickedButton()
        which = box.standardButton(clicked) if clicked is not None else standard.Cancel
        return answers.get(which, ("", "cancel"))[1]

    def ask_council_names(self, parent: QWidget | None, council: str, service: str
                          ) -> tuple[str, str] | None:
        """The council's and the service's names (the first start's question, in
        `first_start.py`), shown with these; None when skipped."""
        from cscdesk.ui.council_names import CouncilNamesDialog

        dialog = CouncilNamesDialog(parent, council, service)
        # Not modal: the window under it can still be closed (closing it closes this too),
        # which a modal question at start-up would stop.
        dialog.setModal(False)
        waiting = QEventLoop()
        dialog.finished.connect(waiting.quit)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()  # the keyboard goes to it, as to a modal question
        waiting.exec()
        try:
            return dialog.names() if dialog.result() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def ask_passphrase(self, parent: QWidget | None, title: str, text: str) -> str | None:
        """A passphrase typed out of sight; None when cancelled. The box is named by the
        question's words (QInputDialog's own name for it keeps the question's ":")."""
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(text)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        label, edit = dialog.findChild(QLabel), dialog.findChild(QLineEdit)
        if label is not None and edit is not None:
            name_after_label(label, edit)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.textValue() if accepted else None
        finally:
            dialog.deleteLater()

    def ask_server_password(self, parent: QWidget | None, text: str, *, can_remember: bool
                            ) -> tuple[str, bool] | None:
        """A server login's password typed out of sight, and whether to remember it on this
        PC (offered only where there is a credential store); None when cancelled."""
        dialog = QDialog(parent)
        dialog.setWindowTitle("Sign in to the server")
        layout = QVBoxLayout(dialog)
        label = QLabel(text)
        label.setWordWrap(True)
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        label.setBuddy(edit)
        name_after_label(label, edit)
        keep = QCheckBox("&Remember the password on this PC")
        keep.setEnabled(can_remember)
        keep.setToolTip("Kept in this PC's credential store (on Windows, the Credential "
                        "Manager), never in a file." if can_remember else
                        "This PC has no credential store cscdesk can use.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Sign in")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        for widget in (label, edit, keep, buttons):
            layout.addWidget(widget)
        edit.setFocus()
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return edit.text(), keep.isChecked()
        finally:
            dialog.deleteLater()

    def resolve_conflict(self, parent: QWidget | None, text: str, rows: list[Any], *,
                         deleted: bool, deleting: bool = False) -> str:
        """After a save or delete refused because someone else changed the record: "keep
        mine", "take theirs" or "back" (see `forms.conflict`)."""
        from cscdesk.ui.forms.conflict import ConflictDialog

        dialog = ConflictDialog(parent, text, rows, deleted=deleted, deleting=deleting)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()

    def ask_text(self, parent: QWidget | None, title: str, text: str, value: str = ""
                 ) -> str | None:
        """One line of text (a server's URL); None when cancelled."""
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(text)
        dialog.setTextValue(value)
        label, edit = dialog.findChild(QLabel), dialog.findChild(QLineEdit)
        if label is not None and edit is not None:
            name_after_label(label, edit)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("m" * 48))
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.textValue().strip() if accepted else None
        finally:
            dialog.deleteLater()

    def open_file(self, parent: QWidget | None, title: str, folder: Path, filter_: str
                  ) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, str(_existing(folder)), filter_)
        return Path(name) if name else None

    def open_files(self, parent: QWidget | None, title: str, folder: Path, filter_: str
                   ) -> list[Path]:
        """Several files, or none when the officer cancels."""
        names, _ = QFileDialog.getOpenFileNames(parent, title, str(_existing(folder)), filter_)
        return [Path(name) for name in names]

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, filter_: str
                  ) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filter_)
        return Path(name) if name else None

    def choose_folder(self, parent: QWidget | None, title: str, folder: Path) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, str(_existing(folder)))
        return Path(name) if name else None


def _existing(folder: Path) -> Path:
    """`folder`, or its nearest parent that exists (a file chooser given a missing folder
    opens its parent with the folder's name typed in as the file name)."""
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
    return Path.home()


class ScriptedDialogs(UserDialogs):
    """For tests: answers come from a queue; every message shown is recorded in `shown`."""

    def __init__(self, *answers: object) -> None:
        self.answers: deque[Any] = deque(answers)  # whatever each question should get
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_defaults: list[bool] = []  # each confirm's default_yes, in turn
        self.conflict_rows: list[Any] = []  # the last conflict's rows (forms.conflict)

    def _next(self, default: Any) -> Any:
        return self.answers.popleft() if self.answers else default

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("warn", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def confirm(self, parent: QWidget | None, title: str, text: str, *,
                default_yes: bool = False) -> bool:
        self.shown.append(("confirm", title, text))
        self.confirm_defaults.append(default_yes)
        return bool(self._next(True))

    def ask_council_names(self, parent: QWidget | None, council: str, service: str
                          ) -> tuple[str, str] | None:
        self.shown.append(("ask_council_names", council, service))
        return self._next(None)

    def save_discard_cancel(self, parent: QWidget | None, title: str, text: str) -> str:
        self.shown.append(("save_discard_cancel", title, text))
        return str(self._next("cancel"))

    def ask_passphrase(self, parent: QWidget | None, title: str, text: str) -> str | None:
        self.shown.append(("ask_passphrase", title, text))
        return self._next(None)

    def ask_server_password(self, parent: QWidget | None, text: str, *, can_remember: bool
                            ) -> tuple[str, bool] | None:
        self.shown.append(("ask_server_password", "Sign in to the server", text))
        return self._next(None)

    def resolve_conflict(self, parent: QWidget | None, text: str, rows: list[Any], *,
                         deleted: bool, deleting: bool = False) -> str:
        self.shown.append(("resolve_conflict", "Changed by someone else", text))
        self.conflict_rows = rows
        return str(self._next("back"))

    def ask_text(self, parent: QWidget | None, title: str, text: str, value: str = ""
                 ) -> str | None:
        self.shown.append(("ask_text", title, text))
        return self._next(None)

    def open_file(self, parent: QWidget | None, title: str, folder: Path, filter_: str
                  ) -> Path | None:
        self.shown.append(("open_file", title, str(folder)))
        return self._next(None)

    def open_files(self, parent: QWidget | None, title: str, folder: Path, filter_: str
                   ) -> list[Path]:
        self.shown.append(("open_files", title, str(folder)))
        answer = self._next([])
        return list(answer)

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, filter_: str
                  ) -> Path | None:
        self.shown.append(("save_file", title, str(suggested)))
        return self._next(None)

    def choose_folder(self, parent: QWidget | None, title: str, folder: Path) -> Path | None:
        self.shown.append(("choose_folder", title, str(folder)))
        return self._next(None)
