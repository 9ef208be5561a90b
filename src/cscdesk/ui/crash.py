"""Bugs are crashes we see: log the traceback, write a crash file, show the details.

`install_excepthook()` runs before the QApplication is created, so even a failure while the
window is being built is caught. Expected problems (UserFacingError) never come here: they are
shown as plain messages where they happen.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from cscdesk import __version__, paths
from cscdesk.atomic import atomic_path
from cscdesk.errors import UserFacingError
from cscdesk.logs import private_traceback

log = logging.getLogger(__name__)

_showing = threading.Lock()


def crash_text(kind: type[BaseException], error: BaseException,
               trace: TracebackType | None) -> str:
    """The report: versions, time and the traceback (without values: it is kept in the log
    folder, which holds no personal data; see `logs.private_traceback`)."""
    lines = [
        f"cscdesk {__version__} crashed at {datetime.now():%Y-%m-%d %H:%M:%S}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        "",
        private_traceback(error if error.__traceback__ is not None or trace is None
                          else error.with_traceback(trace)),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_file(text: str) -> Path | None:
    """Write the report under the log folder; None when even that is impossible."""
    folder = paths.log_dir()
    name = f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        with atomic_path(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
    except (OSError, UserFacingError):
        log.exception("cannot write the crash report")
        return None
    return target


def handle_exception(kind: type[BaseException], error: BaseException,
                     trace: TracebackType | None) -> None:
    """The exception hook: log, write the crash file, show a dialog if there is an app."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    if _said_as_a_server_problem(error):
        return
    log.critical("unexpected error", exc_info=(kind, error, trace))
    text = crash_text(kind, error, trace)
    crash_file = write_crash_file(text)
    print(text, file=sys.stderr)
    if threading.current_thread() is not threading.main_thread():
        return  # widgets only on the GUI thread; the log and the file have it
    if QApplication.instance() is None or not _showing.acquire(blocking=False):
        return
    try:
        CrashDialog(text, crash_file).exec()
    finally:
        _showing.release()


def _said_as_a_server_problem(error: BaseException) -> bool:
    """A server's refusal (the login's role) or a lost connection that no part of the app
    expected is not a crash: the transaction was rolled back; say so in a sentence."""
    from cscdesk.store.engine import server_problem_sentence

    sentence = server_problem_sentence(error)
    if sentence is None:
        return False
    log.warning("server problem: %s", sentence)
    if (threading.current_thread() is threading.main_thread()
            and QApplication.instance() is not None):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(QApplication.activeWindow(), "Not done", sentence)
    return True


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    handle_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def install_excepthook() -> None:
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook


class CrashDialog(QDialog):
    """Says that something went wrong, where the report is, and shows the details."""

    def __init__(self, text: str, crash_file: Path | None) -> None:
        super().__init__()
        self.setWindowTitle("cscdesk: unexpected error")
        where = (f"A report was saved as {crash_file}." if crash_file
                 else "The report could not be saved; copy the details below.")
        message = QLabel(
            "Something unexpected went wrong. The last action may not have finished; "
            f"records already saved are safe. {where}"
        )
        message.setWordWrap(True)
        self.details = QPlainTextEdit(text)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Details")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(text))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(720, 420)
