"""Files dropped from the file manager, and the system viewer replaced by a recorder: what the
documents, letters and new-from-email tests share (a module takes the fixture with
`opened = file_drops.opened`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def drop(widget: QWidget, paths: list[Path], *, corner: bool = False) -> bool:
    """Files dragged from the file manager and dropped on `widget` (its centre, or near its
    top-left `corner`, clear of the fields), delivered to its window as the window system
    does; whether they were taken."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    window = widget.window()
    inside = QPoint(2, 2) if corner else QPoint(widget.width() // 2, widget.height() // 2)
    point = widget.mapTo(window, inside)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.windowHandle(), enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.windowHandle(), event)
    return bool(event.isAccepted())


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the app asked the system to open, in order (nothing is opened)."""
    urls: list[Path] = []

    def record(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls
