"""Background work never destroys a Qt object outside the GUI thread.

A widget freed from a worker thread killed the app (a segmentation fault) in half the sessions
that imported a workbook and then made the appendix: the worker allocating while it read the
fonts set Python's cycle collector off in that thread, and it freed the closed import dialog.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from cscdesk.ui.workers import Query

FLOW = Path(__file__).parent / "flows" / "import_then_appendix.py"


def allocate_cycles(_progress: object) -> int:
    """Work that allocates as ReportLab's font loading does: many small containers."""
    kept = [[n, {"n": n}] for n in range(200_000)]
    return len(kept)


def test_no_collection_runs_in_a_worker_thread_while_work_allocates(qtbot):
    """Cycles (and the widgets in them) are freed only in the GUI thread."""
    collected_in: set[str] = set()

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collected_in.add(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        results: list[int] = []
        for _ in range(3):
            Query(allocate_cycles, on_done=results.append).start()
        qtbot.waitUntil(lambda: len(results) == 3, timeout=60_000)
    finally:
        gc.callbacks.remove(note)
    assert collected_in <= {threading.main_thread().name}


def test_callbacks_given_a_context_are_dropped_with_it(qtbot):
    """As Qt's connect with a context: nothing is called on a dialog that has gone."""
    called: list[tuple[str, object]] = []
    kept, gone = QObject(), QObject()
    release = threading.Event()
    jobs = [Query(lambda _progress, name=name: release.wait(10) and name,
                  on_done=lambda value, name=name: called.append((name, value)),
                  context=context)
            for name, context in (("kept", kept), ("gone", gone))]
    for job in jobs:
        job.start()
    shiboken6.delete(gone)
    release.set()
    qtbot.waitUntil(lambda: not any(job.running for job in jobs), timeout=10_000)
    assert called == [("kept", "kept")]


def test_the_gui_thread_still_collects_cycles(qtbot):
    """With the automatic collector off, garbage cycles are still freed, by the timer."""
    threads: list[str] = []
    dialog = QDialog()
    dialog.cycle = dialog  # only the cycle collector can free it, as closed dialogs are
    dialog.destroyed.connect(lambda *_: threads.append(threading.current_thread().name),
                             Qt.ConnectionType.DirectConnection)
    del dialog
    survivors = [[n, {}] for n in range(5_000)]  # past the first threshold, as work does
    qtbot.waitUntil(lambda: bool(threads), timeout=5_000)
    assert len(survivors) == 5_000
    assert threads == [threading.main_thread().name]


@pytest.mark.slow
def test_import_then_appendix_never_crashes(tmp_path):
    """The whole flow in the real app, four sessions (before the fix, one in two died)."""
    for run in range(4):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        env = {**os.environ, "CSCDESK_HOME": str(folder / "home"),
               "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
        result = subprocess.run([sys.executable, str(FLOW), str(folder)], env=env,
                                capture_output=True, text=True, timeout=120, check=False)
        died = f" ({signal.Signals(-result.returncode).name})" if result.returncode < 0 else ""
        assert result.returncode == 0, (
            f"session {run} ended with {result.returncode}{died}:\n{result.stderr[-3000:]}")
        documents = folder / "home" / "Documents"
        assert "Complaints appendix" in result.stdout
        assert not [p.name for p in documents.iterdir() if p.name.endswith(".tmp")]
