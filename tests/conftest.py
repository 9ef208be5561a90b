"""Shared fixtures: every test gets its own cscdesk home folder, so nothing touches real data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def cscdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every cscdesk folder (data, logs, config, backups) into this test's temp folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CSCDESK_HOME", str(home))
    monkeypatch.delenv("CSCDESK_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def collector_in_gui_thread(request: pytest.FixtureRequest) -> None:
    """Widget tests run as the app does: cycles are collected in the GUI thread only."""
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        from cscdesk.ui.collector import MainThreadCollector

        MainThreadCollector.install(request.getfixturevalue("qapp"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cases.db"


@pytest.fixture
def database(db_path: Path) -> Iterator:
    """A fresh cscdesk database in a real SQLite file."""
    from cscdesk.store.engine import open_database

    db = open_database(db_path)
    yield db
    db.close()


def run_cli(*args: str | os.PathLike, check: bool = False, timeout: float = 120,
            env: dict[str, str] | None = None, preexec_fn=None
            ) -> subprocess.CompletedProcess[str]:
    """Run `python -m cscdesk ARGS` as a real subprocess, as a user would (`preexec_fn` runs in
    the child first: a file size limit, fewer privileges; see test_nothing_lost)."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "cscdesk", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=full_env, check=False,
        preexec_fn=preexec_fn,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"cscdesk {args} failed ({result.returncode}):\n{result.stderr}")
    return result


@pytest.fixture
def cli():
    """The `run_cli` helper as a fixture."""
    return run_cli
