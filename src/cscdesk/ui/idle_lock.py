"""Locking an encrypted database's window after a spell with no keyboard or mouse use.

An application-wide event filter notes activity; after `idle_lock_minutes` (a setting; 0 =
never) with none, the main window is hidden behind a modal dialog that asks for the passphrase
again. A plain (unencrypted) database is never locked: anyone at the PC could read the file.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cscdesk import settings
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.contracts import AppWindow
from cscdesk.ui.passphrase_dialogs import same_passphrase

log = logging.getLogger(__name__)

ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
})


class LockDialog(QDialog):
    """Asks for the passphrase; Unlock checks it, Quit ends the app as closing it would."""

    def __init__(self, database_name: str, passphrase: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("cscdesk is locked")
        self.setModal(True)
        self._passphrase = passphrase
        self.quit_chosen = False
        layout = QVBoxLayout(self)
        text = QLabel(f"{database_name} was locked after a time with no use. "
                      "Type its passphrase to carry on.")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        row = QFormLayout()
        row.addRow(labelled("&Passphrase:", self.passphrase_edit), self.passphrase_edit)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setAccessibleName("Lock message")
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.unlock_button = QPushButton("&Unlock")
        self.quit_button = QPushButton("&Quit")
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.quit_button.clicked.connect(self._quit)
        layout.addWidget(buttons)
        self.unlock_button.setDefault(True)  # once in the dialog, or the dialog picks its own

    def try_unlock(self) -> bool:
        if same_passphrase(self.passphrase_edit.text(), self._passphrase):
            self.passphrase_edit.clear()
            self.accept()
            return True
        self.passphrase_edit.clear()
        self.message.setText("That is not the passphrase. Passphrases are case-sensitive.")
        self.passphrase_edit.setFocus()
        return False

    def _quit(self) -> None:
        self.quit_chosen = True
        self.reject()

    def reject(self) -> None:
        """Escape does not unlock: only Quit closes the dialog without the passphrase."""
        if self.quit_chosen:
            super().reject()


class IdleLock(QObject):
    """Watches the application's input; locks `window` when it has been idle too long."""

    def __init__(self, window: AppWindow, timeout_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: LockDialog | None = None
        self.veiled: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.timeout_ms = 0
        self.watching = False
        self.set_timeout_ms(timeout_ms if timeout_ms is not None else self._setting_ms())

    def _setting_ms(self) -> int:
        """The setting, read only for an encrypted database: a plain one is never locked, so
        the window opens without waiting for a query and keeps the default until it is
        encrypted (the window reopens the database then, and this is read again)."""
        if not self._encrypted():
            return max(int(settings.IDLE_LOCK_MINUTES.default), 0) * 60_000
        try:
            with self.window.database.session() as session:
                minutes = settings.get(session, settings.IDLE_LOCK_MINUTES)
        except Exception as error:  # a closed or unreadable database: keep the default
            log.info("idle lock setting not read: %s", error)
            minutes = settings.IDLE_LOCK_MINUTES.default
        return max(int(minutes), 0) * 60_000

    def reread_setting(self) -> None:
        """After the settings may have changed."""
        self.set_timeout_ms(self._setting_ms())

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """0 turns the lock off."""
        self.timeout_ms = max(timeout_ms, 0)
        self.restart()

    def restart(self) -> None:
        """Start counting idle time again; input is watched only while a lock could happen,
        so a plain database costs nothing per event."""
        active = bool(self.timeout_ms) and self._encrypted()
        self._watch(active)
        if active and self.dialog is None:
            self.timer.start(self.timeout_ms)
        else:
            self.timer.stop()

    def _encrypted(self) -> bool:
        return self.window.database.encrypted

    def _watch(self, active: bool) -> None:
        app = QApplication.instance()
        if app is None or active == self.watching:
            return
        if active:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self.watching = active

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.dialog is None and self.timeout_ms:
            self.timer.start(self.timeout_ms)
        return False

    def lock(self) -> None:
        """Hide the window behind the lock dialog (only an encrypted database is locked)."""
        database = self.window.database
        if (self.dialog is not None or self.window.changing_encryption() or not database.encrypted
                or not self.window.isVisible()):
            self.restart()
            return
        log.info("locking after %d ms idle", self.timeout_ms)
        dialog = LockDialog(database.file.name, database.passphrase)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._unlocked)
        self.dialog = dialog
        # A record form open on top stays open (hiding a dialog would end it and lose what was
        # typed) but is made invisible and inert until the passphrase is given again.
        self.veiled = [w for w in QApplication.topLevelWidgets()
                       if w.isVisible() and w is not self.window and w is not dialog]
        for widget in self.veiled:
            widget.setWindowOpacity(0.0)
            widget.setEnabled(False)
        dialog.show()
        self.window.hide()

    def _unlocked(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if dialog.quit_chosen:
            self.window.close()
            QApplication.quit()
            return
        self.window.show()
        for widget in self.veiled:
            widget.setEnabled(True)
            widget.setWindowOpacity(1.0)
        self.veiled = []
        self.window.raise_()
        self.window.activateWindow()
        self.restart()


def install_idle_lock(window: AppWindow, timeout_ms: int | None = None) -> IdleLock:
    """The window's idle lock; its timeout comes from the setting unless given (tests)."""
    lock = IdleLock(window, timeout_ms)
    window.data_changed.connect(lock.reread_setting)
    return lock
