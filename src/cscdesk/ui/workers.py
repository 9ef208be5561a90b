"""Long work (import, export, the appendix) off the GUI thread, with progress.

A `Task` runs a plain function on a Qt thread pool; the function gets a `progress(done, total,
text)` callback it may call from its thread. Results, failures and progress arrive as the Task's
signals in the GUI thread, so slots may touch widgets. Each task opens its own database session.

Why it is built this way: a Qt object must be destroyed in the thread it belongs to. A worker
thread that held the last reference to a task (or to a dialog its function captured) would
destroy it there, and the process dies in Qt (a segmentation fault one run in two). So the
worker thread never touches a Qt object of ours: it runs a plain `_Job`, which drops its
function before it reports, and reports through one `_Mailbox` that lives as long as the
application. The GUI thread keeps every task, with its function, until the report has arrived.
(`collector.py` keeps Python's cycle collector off the worker threads for the same reason.)
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

_pools: dict[str, QThreadPool] = {}


def thread_pool(name: str, threads: int = 1) -> QThreadPool:
    """A pool of its own for short, frequent work (list counts), so it never waits behind
    long work (the appendix, the dashboard's figures) in the global pool."""
    if name not in _pools:
        pool = QThreadPool()
        pool.setMaxThreadCount(threads)
        _pools[name] = pool
    return _pools[name]


class _Job:
    """What a worker thread holds: the function, then its outcome. No Qt object."""

    def __init__(self, number: int, work: Callable[[Progress], Any]) -> None:
        self.number = number
        self.work: Callable[[Progress], Any] | None = work
        self.outcome: tuple[bool, Any] | None = None

    def run(self) -> None:
        """In the worker thread."""
        work, self.work = self.work, None  # the task in the GUI thread still holds it
        assert work is not None
        try:
            self.outcome = (True, work(self._progress))
        except Exception as error:  # reported to the GUI thread, which decides
            from cscdesk.logs import safe_message  # the log holds no record's text

            log.info("background work failed: %s: %s", type(error).__name__, safe_message(error))
            self.outcome = (False, error)
        del work  # dropped here, before the report: the GUI thread lets go last
        _mailbox().post_finished(self.number)

    def _progress(self, done: int, total: int, text: str = "") -> None:
        _mailbox().post_progress(self.number, done, total, text)


class _Mailbox(QObject):
    """The one object worker threads signal through; created in the GUI thread, never deleted
    while the application runs. Its slots run in the GUI thread (queued)."""

    _progressed = Signal(int, int, int, str)
    _finished = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.tasks: dict[int, tuple[Task, _Job]] = {}
        self._progressed.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._finished.connect(self._deliver_finished, Qt.ConnectionType.QueuedConnection)

    def post_progress(self, number: int, done: int, total: int, text: str) -> None:
        self._post(self._progressed, number, done, total, text)

    def post_finished(self, number: int) -> None:
        self._post(self._finished, number)

    @staticmethod
    def _post(signal: Any, *values: Any) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the process is ending and the application has gone
            log.info("background work finished after the application closed")

    def _deliver_progress(self, number: int, done: int, total: int, text: str) -> None:
        entry = self.tasks.get(number)
        if entry is not None:
            entry[0].progress.emit(done, total, text)

    def _deliver_finished(self, number: int) -> None:
        task, job = self.tasks.pop(number)
        outcome, job.outcome = job.outcome, None
        assert outcome is not None
        task._deliver(*outcome)


_the_mailbox: _Mailbox | None = None
_mailbox_lock = threading.Lock()
_numbers = itertools.count(1)


def _mailbox() -> _Mailbox:
    global _the_mailbox
    with _mailbox_lock:
        if _the_mailbox is None:  # first made by Task.start, in the GUI thread
            _the_mailbox = _Mailbox()
        return _the_mailbox


def work_to_finish() -> list[str]:
    """What running tasks must finish before the app closes ("the import", …), in order."""
    if _the_mailbox is None:
        return []
    return [task.finish_before_closing for task, _job in _the_mailbox.tasks.values()
            if task.finish_before_closing]


class Task(QObject):
    """One piece of background work, kept alive by the GUI thread until it has reported.

    Signals (all delivered in the GUI thread):
        progress(done, total, text): from the work, as it goes (total 0 = unknown).
        succeeded(result): the function's return value.
        failed(error): the exception it raised (UserFacingError or a bug).
        ended(): after succeeded or failed.
    """

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    ended = Signal()

    def __init__(self, work: Callable[[Progress], Any], *,
                 finish_before_closing: str = "") -> None:
        """`finish_before_closing` names work that writes or must be seen ("the import"): a
        close waits for it and says so. Reads are left to end while the window closes."""
        super().__init__()
        self._work: Callable[[Progress], Any] | None = work
        self.finish_before_closing = finish_before_closing
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        assert self._work is not None, "a task runs once"
        job = _Job(next(_numbers), self._work)
        _mailbox().tasks[job.number] = (self, job)
        self.running = True
        (pool or QThreadPool.globalInstance()).start(job.run)

    def _deliver(self, succeeded: bool, value: Any) -> None:
        """In the GUI thread, once the worker has let go of everything."""
        self.running = False
        self._work = None
        try:
            if succeeded:
                self.succeeded.emit(value)
            else:
                self.failed.emit(value)
        finally:
            self.ended.emit()


def wait_for_background_work(timeout_ms: int = 30_000) -> bool:
    """Let running work finish before the process ends (an import is never cut short)."""
    done = QThreadPool.globalInstance().waitForDone(timeout_ms)
    return all([pool.waitForDone(timeout_ms) for pool in _pools.values()]) and done


def progress_dialog(parent: QWidget, title: str, task: Task) -> QProgressDialog:
    """A progress dialog that appears only if the task takes over half a second."""
    dialog = QProgressDialog(title, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def on_progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    task.progress.connect(on_progress)
    task.ended.connect(dialog.close)
    task.ended.connect(dialog.deleteLater)
    return dialog
