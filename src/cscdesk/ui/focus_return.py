"""Gives the keyboard back to the window under a dialog when the dialog closes.

A window manager does this on a desktop. On a bare X server (a kiosk, a remote session with no
window manager) nothing does: the dialog's window goes, the keyboard focus goes with it, and the
officer's next keystrokes are lost. Qt reports the focus leaving a widget for none; if, a
moment later, that widget's window has closed and no window of ours is active, the window under
it is asked to take the keyboard back. Switching to another program is never undone: the
window the focus left is still open then.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FocusReturn(QObject):
    """Install once per application with `FocusReturn.install()`."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.focusChanged.connect(self._focus_changed)

    @classmethod
    def install(cls) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and app.findChild(cls) is None:
            cls(app)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is None and old is not None and shiboken6.isValid(old):
            windows = [old.window()]  # the one the focus left, then each under it
            while (under := windows[-1].parentWidget()) is not None:
                windows.append(under.window())
            QTimer.singleShot(0, lambda: self._give_back(windows))

    @staticmethod
    def _give_back(windows: list[QWidget]) -> None:
        """To the nearest window still open under the one the focus left, once that one has
        closed (a message box and the form under it can close together)."""
        left, *below = windows
        if shiboken6.isValid(left) and left.isVisible():
            return  # the officer went to another program: leave the focus there
        if QApplication.activeWindow() is not None:
            return  # a window manager (or Qt) has already seen to it
        for window in below:
            if shiboken6.isValid(window) and window.isVisible():
                window.activateWindow()
                return
