"""Long work (import, export, the appendix) off the GUI thread, with progress.

A `Task` runs a plain function on Qt's thread pool; the function gets a `progress(done, total,
text)` callback it may call from its thread. Results, failures and progress arrive as signals in
the GUI thread (queued), so slots may touch widgets. Each task opens its own database session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

_running: set[Task] = set()  # keeps running tasks alive until they report
_pools: dict[str, QThreadPool] = {}


def thread_pool(name: str, threads: int = 1) -> QThreadPool:
    """A pool of its own for short, frequent work (list counts), so it never waits behind
    long work (the appendix, the dashboard's figures) in the global pool."""
    if name not in _pools:
        pool = QThreadPool()
        pool.setMaxThreadCount(threads)
        _pools[name] = pool
    return _pools[name]


class _Relay(QObject):
    """Signals emitted from the worker thread; Task's slots receive them queued, in the GUI
    thread, and re-emit Task's public signals there (so plain Python callables connected to
    them also run in the GUI thread)."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """One piece of background work.

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

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._work = work
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._relay.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        _running.add(self)
        self.running = True
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def _run(self) -> None:
        """In the worker thread."""
        try:
            result = self._work(self._report_progress)
        except Exception as error:  # reported to the GUI thread, which decides
            log.info("background work failed: %r", error)
            self._emit(self._relay.failed, error)
        else:
            self._emit(self._relay.succeeded, result)

    def _report_progress(self, done: int, total: int, text: str = "") -> None:
        self._emit(self._relay.progress, done, total, text)

    @staticmethod
    def _emit(signal: Any, *values: Any) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the application is closing and the task object is gone
            log.info("background work finished after its receiver closed")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.emit(done, total, text)

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        self._finish()
        self.succeeded.emit(result)
        self.ended.emit()

    @Slot(object)
    def _on_failed(self, error: Any) -> None:
        self._finish()
        try:
            self.failed.emit(error)
        finally:
            self.ended.emit()

    def _finish(self) -> None:
        self.running = False
        _running.discard(self)


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


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
