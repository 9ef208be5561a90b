"""Guards against a Qt binding that damages the interpreter (PySide6 6.12.0 on Python 3.11
dropped a reference to None on every call returning nothing, and aborted long sessions)."""

import sys

from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setVisible(False)
    assert before - sys.getrefcount(None) < 100
