"""After a dialog closes, the window under it takes the keyboard back (no window manager)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow, QVBoxLayout

from cscdesk.ui.focus_return import FocusReturn


@pytest.fixture
def focus_return(qapp):
    FocusReturn.install()
    yield
    for helper in qapp.findChildren(FocusReturn):
        helper.setParent(None)
        helper.deleteLater()


def dialog_over(window: QMainWindow) -> QDialog:
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLineEdit())
    return dialog


def test_closing_a_dialog_gives_the_keyboard_back_to_the_window_under_it(qtbot, focus_return):
    window = QMainWindow()
    window.setCentralWidget(QLineEdit())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    form = dialog_over(window)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    question = dialog_over(form)  # a message box over the form, closed with the form
    question.show()
    question.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is question)
    question.hide()
    form.hide()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


@pytest.mark.parametrize(("key", "modifier", "answer"), [
    ("Return", "NoModifier", "save"), ("Escape", "NoModifier", "cancel"),
    ("D", "AltModifier", "discard"), ("S", "AltModifier", "save"), ("C", "AltModifier", "cancel"),
])
def test_the_unsaved_changes_question_answers_to_the_keyboard(qtbot, key, modifier, answer):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    from cscdesk.ui.dialog_service import UserDialogs

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(10, press)  # not shown yet
            return
        if QApplication.activeWindow() is not box:
            box.activateWindow()  # Alt+letter works in the active window only
            QTimer.singleShot(10, press)
            return
        target = QApplication.focusWidget() or box
        qtbot.keyClick(target, getattr(Qt.Key, f"Key_{key}"),
                       getattr(Qt.KeyboardModifier, modifier))
        QTimer.singleShot(500, box.close)  # the key did nothing: end the test, not hang

    QTimer.singleShot(0, press)
    assert UserDialogs().save_discard_cancel(None, "Unsaved changes", "Save?") == answer
