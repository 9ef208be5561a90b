"""Closing always works: at once after start, and while work runs (which is said, finished,
and then the window closes by itself)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from ui_data import copied_database, shown_window

from cscdesk.ui.workers import Operation, Query

FLOW = Path(__file__).parent / "flows" / "close_at.py"


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


@pytest.fixture
def window(database, qtbot):
    return shown_window(database, qtbot)


def test_a_close_while_work_runs_says_so_finishes_it_then_closes(window, qtbot):
    release = threading.Event()
    finished: list[str] = []
    operation = Operation("the import", lambda _progress: release.wait(10) and "done",
                          on_done=finished.append)
    operation.start()
    window.close()
    assert window.isVisible()
    assert window.statusBar().currentMessage() == (
        "Finishing the import; cscdesk then closes by itself.")
    assert not window.menuBar().isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert finished == ["done"]


def test_reading_in_the_background_never_holds_the_window_open(window, qtbot):
    release = threading.Event()
    query = Query(lambda _progress: release.wait(10))  # a count, the dashboard's figures
    query.start()
    window.close()
    assert not window.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not query.running, timeout=10_000)


@pytest.mark.parametrize("delay_ms", [0, 30, 300])
@pytest.mark.parametrize("dialogs", ["scripted", "real"])
def test_a_close_right_after_start_ends_the_app(tmp_path, delay_ms, dialogs):
    """The app, as a process, on a new database: closed `delay_ms` after it is shown. With
    real dialogs the first start's question is a real window, which must neither stop the
    close nor appear after it (and keep the process alive)."""
    env = {**os.environ, "CSCDESK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, str(FLOW), str(tmp_path / "new.db"), str(delay_ms)]
    if dialogs == "real":
        command.append("--real-dialogs")
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "closed" in result.stdout
