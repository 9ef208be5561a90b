"""Long work (import, export, the appendix, counts) off the GUI thread, as typed jobs.

Two kinds, as in Anki's `QueryOp`/`CollectionOp`:

- `Query[T]` only reads (a list's count, the dashboard's figures): a close leaves it to end
  unseen.
- `Operation[T]` writes, or its result must be seen ("the import"): a close waits for it and
  says so by the operation's name.

Each job runs a plain function `work(progress) -> T` on a Qt thread pool; `progress(done,
total, text)` may be called from that thread. `on_done(result)` and `on_failed(error)` are
called in the GUI thread, so they may touch widgets; a bound method of a Qt object is dropped
with its object, and so is any callback given a `context` object (as Qt's connect with a
context does: `on_done=partial(self._verified, row), context=self`). Each job opens its own
database session.

Why it is built this way: a Qt object must be destroyed in the thread it belongs to. A worker
thread that held the last reference to a job (or to a dialog its function captured) would
destroy it there, and the process dies in Qt (a segmentation fault one run in two). So the
worker thread never touches a Qt object of ours: it runs a plain `_Run`, which drops its
function before it reports, and reports through one `_Mailbox` that lives as long as the
application. The GUI thread keeps every job, with its function, until the report has arrived.
(`collector.py` keeps Python's cycle collector off the worker threads for the same reason.)
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, SignalInstance
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int, str], None]
OnFailed = Callable[[Exception], None]

_pools: dict[str, QThreadPool] = {}


def thread_pool(name: str, threads: int = 1) -> QThreadPool:
    """A pool of its own for short, frequent work (list counts), so it never waits behind
    long work (the appendix, the dashboard's figures) in the global pool."""
    if name not in _pools:
        pool = QThreadPool()
        pool.setMaxThreadCount(threads)
        _pools[name] = pool
    return _pools[name]


class _Run:
    """What a worker thread holds: the function, then its outcome. No Qt object."""

    def __init__(self, number: int, work: Callable[[Progress], object]) -> None:
        self.number = number
        self.work: Callable[[Progress], object] | None = work
        self.outcome: tuple[bool, object] | None = None

    def run(self) -> None:
        """In the worker thread."""
        work, self.work = self.work, None  # the job in the GUI thread still holds it
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
        self.jobs: dict[int, tuple[Job[Any], _Run]] = {}
        self._progressed.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._finished.connect(self._deliver_finished, Qt.ConnectionType.QueuedConnection)

    def post_progress(self, number: int, done: int, total: int, text: str) -> None:
        self._post(self._progressed, number, done, total, text)

    def post_finished(self, number: int) -> None:
        self._post(self._finished, number)

    @staticmethod
    def _post(signal: SignalInstance, *values: object) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the process is ending and the application has gone
            log.info("background work finished after the application closed")

    def _deliver_progress(self, number: int, done: int, total: int, text: str) -> None:
        entry = self.jobs.get(number)
        if entry is not None:
            entry[0].progress.emit(done, total, text)

    def _deliver_finished(self, number: int) -> None:
        job, run = self.jobs.pop(number)
        outcome, run.outcome = run.outcome, None
        assert outcome is not None
        job._deliver(*outcome)


_the_mailbox: _Mailbox | None = None
_mailbox_lock = threading.Lock()
_numbers = itertools.count(1)


def _mailbox() -> _Mailbox:
    global _the_mailbox
    with _mailbox_lock:
        if _the_mailbox is None:  # first made by Job.start, in the GUI thread
            _the_mailbox = _Mailbox()
        return _the_mailbox


def work_to_finish() -> list[str]:
    """What running operations must finish before the app closes ("the import", …), in order."""
    if _the_mailbox is None:
        return []
    return [job.closing_waits_for for job, _run in _the_mailbox.jobs.values()
            if job.closing_waits_for]


class _Relay(QObject):
    """A job's callbacks, called only while `context` lives: a child of it, so Qt drops the
    connections to it with the context, as it does for a bound method of a Qt object."""

    def __init__(self, context: QObject, on_done: Callable[[Any], object] | None,
                 on_failed: OnFailed | None) -> None:
        super().__init__(context)
        self._on_done = on_done
        self._on_failed = on_failed

    def done(self, value: object) -> None:
        if self._on_done is not None:
            self._on_done(value)

    def failed(self, error: Exception) -> None:
        if self._on_failed is not None:
            self._on_failed(error)


class Job(QObject, Generic[T]):
    """One piece of background work, kept alive by the GUI thread until it has reported.
    Made as a `Query` or an `Operation`.

    Signals (delivered in the GUI thread):
        progress(done, total, text): from the work, as it goes (total 0 = unknown).
        ended(): after `on_done` or `on_failed`.
    """

    progress = Signal(int, int, str)
    ended = Signal()
    _succeeded = Signal(object)
    _failed = Signal(object)

    closing_waits_for: str = ""  # what a close says it is finishing; "": it may be dropped

    def __init__(self, work: Callable[[Progress], T], *,
                 on_done: Callable[[T], object] | None = None,
                 on_failed: OnFailed | None = None,
                 context: QObject | None = None) -> None:
        """`on_failed` gets the exception `work` raised (UserFacingError or a bug); without
        it a failure is only logged. With `context`, neither is called once it is deleted."""
        super().__init__()
        self._work: Callable[[Progress], T] | None = work
        self.running = False
        if context is not None:
            relay = _Relay(context, on_done, on_failed)
            self._succeeded.connect(relay.done)
            self._failed.connect(relay.failed)
            self.ended.connect(relay.deleteLater)
            return
        if on_done is not None:
            self._succeeded.connect(on_done)
        if on_failed is not None:
            self._failed.connect(on_failed)

    def start(self, pool: QThreadPool | None = None) -> None:
        assert self._work is not None, "a job runs once"
        run = _Run(next(_numbers), self._work)
        _mailbox().jobs[run.number] = (self, run)
        self.running = True
        (pool or QThreadPool.globalInstance()).start(run.run)

    def _deliver(self, succeeded: bool, value: object) -> None:
        """In the GUI thread, once the worker has let go of everything."""
        self.running = False
        self._work = None
        try:
            if succeeded:
                self._succeeded.emit(value)
            else:
                self._failed.emit(value)
        finally:
            self.ended.emit()


class Query(Job[T]):
    """Work a close of the window need not wait for: reads (a count, the figures), and the
    backup that starts once the window has closed."""


class Operation(Job[T]):
    """Writes, or its result must be seen: a close waits for it, saying "Finishing `name`"."""

    def __init__(self, name: str, work: Callable[[Progress], T], *,
                 on_done: Callable[[T], object] | None = None,
                 on_failed: OnFailed | None = None,
                 context: QObject | None = None) -> None:
        super().__init__(work, on_done=on_done, on_failed=on_failed, context=context)
        self.closing_waits_for = name


def wait_for_background_work(timeout_ms: int = 30_000) -> bool:
    """Let running work finish before the process ends (an import is never cut short)."""
    done = QThreadPool.globalInstance().waitForDone(timeout_ms)
    return all([pool.waitForDone(timeout_ms) for pool in _pools.values()]) and done


def progress_dialog(parent: QWidget, title: str, job: Job[Any]) -> QProgressDialog:
    """A progress dialog that appears only if the job takes over half a second."""
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

    job.progress.connect(on_progress)
    job.ended.connect(dialog.close)
    job.ended.connect(dialog.deleteLater)
    return dialog

