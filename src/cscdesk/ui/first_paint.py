"""Run something once a window has been painted for the first time.

A zero-delay timer may run before the window's first paint (on X11 and Windows the paint waits
for the window system), so work queued that way (a question, an import of SQLAlchemy) would
hold up what the officer sees first. This waits for the paint, or at most `at_most_ms`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterFirstPaint(QObject):
    def __init__(self, window: QWidget, callback: Callable[[], object], at_most_ms: int) -> None:
        super().__init__(window)
        self._callback: Callable[[], object] | None = callback
        window.installEventFilter(self)
        QTimer.singleShot(at_most_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._run)  # once this paint has been drawn
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        window = self.parent()
        if callback is not None and isinstance(window, QWidget):
            window.removeEventFilter(self)
            if window.isVisible():  # closed already (at once after start): nothing to do
                callback()


def after_first_paint(window: QWidget, callback: Callable[[], object],
                      at_most_ms: int = 1000) -> None:
    """Call `callback` once `window` has first been painted (or after `at_most_ms`), unless
    the window has been closed by then."""
    _AfterFirstPaint(window, callback, at_most_ms)
