"""Shared fixtures: every test gets its own cscdesk home folder, so nothing touches real data."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# Test modules whose `database` tests run on both engines: a SQLite file, and a PostgreSQL
# database on the session's own server (tests that also take `db_path`, or are marked
# `sqlite_only`, are about files and run on SQLite only).
BOTH_ENGINES = {"test_store", "test_record_versions", "test_listing", "test_audit",
                "test_kind_spec", "test_references", "test_personal_data",
                "test_exchange_roundtrip", "test_exchange_export",
                "test_figures", "test_figures_baseline", "test_report_narrative",
                "test_exchange_limits", "test_exchange_rejects", "test_report_pdf",
                "test_figures_dataset", "test_casework_privacy"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: a test of SQLite files only")
    config.addinivalue_line("markers", "postgresql: runs against the session's PostgreSQL "
                            "server (skipped when none is installed)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if (module in BOTH_ENGINES and "database" in metafunc.fixturenames
            and "db_path" not in inspect.signature(metafunc.function).parameters
            and metafunc.definition.get_closest_marker("sqlite_only") is None):
        metafunc.parametrize("database", ["sqlite", pytest.param(
            "postgresql", marks=pytest.mark.postgresql)], indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest, db_path: Path) -> Iterator:
    """A fresh cscdesk database: a real SQLite file, or (parametrised "postgresql") an empty
    database at this version's schema on the session's PostgreSQL server."""
    from cscdesk.store.engine import open_database

    if getattr(request, "param", "sqlite") == "postgresql":
        db = open_database(request.getfixturevalue("server_url"))
    else:
        db = open_database(db_path)
    yield db
    db.close()


# --- The PostgreSQL server (tests/postgres_server.py) -----------------------------------------

_SERVER_SKIPPED = {"reason": "", "tests": 0}


def _server_unavailable() -> str | None:
    """Why the session cannot have its PostgreSQL server, or None when it can."""
    from postgres_server import HOW_TO_GET_IT, find_binaries

    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')."
    if find_binaries() is None:
        return (f"no PostgreSQL server binaries were found (initdb, pg_ctl, postgres); get "
                f"them with `{HOW_TO_GET_IT}`.")
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a server, the PostgreSQL half is left out (one line in the summary says so)."""
    server_tests = [item for item in items if item.get_closest_marker("postgresql")]
    if not server_tests:
        return
    reason = _server_unavailable()
    if reason is None:
        return
    _SERVER_SKIPPED.update(reason=reason, tests=len(server_tests))
    config.hook.pytest_deselected(items=server_tests)
    items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if _SERVER_SKIPPED["tests"]:
        terminalreporter.write_line(
            f"The PostgreSQL half of the tests was skipped ({_SERVER_SKIPPED['tests']} tests): "
            f"{_SERVER_SKIPPED['reason']}", yellow=True, bold=True)


def _server_databases(request: pytest.FixtureRequest) -> ServerDatabases:
    try:
        return request.getfixturevalue("postgres")
    except pytest.skip.Exception:
        _SERVER_SKIPPED["tests"] += 1
        raise


class ServerDatabases:
    """The session's server: fresh databases copied from a template set up once."""

    TEMPLATE = "cscdesk_template"

    def __init__(self, server) -> None:  # type: ignore[no-untyped-def]
        import psycopg

        self.server = server
        self.admin = psycopg.connect(server.url("postgres"), autocommit=True)
        self._made = 0
        self.admin.execute(f"CREATE DATABASE {self.TEMPLATE}")
        from cscdesk.store import server as store_server
        from cscdesk.store.location import ServerURL

        store_server.setup(ServerURL(server.url(self.TEMPLATE)))

    def new(self, *, empty: bool = False) -> str:
        """A new database's name: at this version's schema (copied from the template), or
        `empty` (no tables at all)."""
        self._made += 1
        name = f"test_{self._made}"
        template = "template0" if empty else self.TEMPLATE
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        return name

    def drop(self, name: str) -> None:
        self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.admin.close()
        self.server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[ServerDatabases]:
    """The session's own PostgreSQL server (started on first use, removed at the end)."""
    from postgres_server import PostgresServer

    reason = _server_unavailable()
    if reason is not None:  # a test not marked postgresql that asked for the server
        _SERVER_SKIPPED["reason"] = reason
        pytest.skip(reason)
    server = PostgresServer.start()
    try:
        databases = ServerDatabases(server)
    except BaseException:
        server.stop()
        raise
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture
def server_url(request: pytest.FixtureRequest) -> Iterator:
    """A `ServerURL` of a new database at this version's schema, dropped afterwards."""
    from cscdesk.store.location import ServerURL

    databases = _server_databases(request)
    name = databases.new()
    yield ServerURL(databases.server.url(name))
    databases.drop(name)


@pytest.fixture
def empty_server_url(request: pytest.FixtureRequest) -> Iterator:
    """A `ServerURL` of a new database with no tables (for setup), dropped afterwards."""
    from cscdesk.store.location import ServerURL

    databases = _server_databases(request)
    name = databases.new(empty=True)
    yield ServerURL(databases.server.url(name))
    databases.drop(name)


@dataclass(frozen=True)
class PasswordLogin:
    """A login that must give its password (and holds cscdesk_officer), on a fresh database."""

    url: Any  # ServerURL naming the login, without the password
    login: str
    password: str


@pytest.fixture
def password_login(request: pytest.FixtureRequest, server_url: Any) -> PasswordLogin:
    """`server_url`'s database reached as a new login that the server asks for a password."""
    import secrets
    from urllib.parse import quote

    from cscdesk.store.location import ServerURL

    databases = _server_databases(request)
    login = f"officer_{secrets.token_hex(4)}"
    password = "Correct horse & <battery> ’£"
    from psycopg import sql

    databases.admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
        sql.Identifier(login), sql.Literal(password)))
    databases.admin.execute(f"GRANT cscdesk_officer TO {login}")
    databases.server.require_password(login)
    url = str(server_url).replace("user=postgres", f"user={quote(login)}")
    return PasswordLogin(ServerURL(url), login, password)


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
