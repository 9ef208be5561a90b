"""The server goes away under the app (a restart, a network drop): a save made meanwhile is
kept in its form, said calmly, and made once the server is back; nothing is half-written. The
test server here is the test's own, stopped and started under the open form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import records
from cscdesk.store import server as store_server
from cscdesk.store.engine import open_database
from cscdesk.store.location import ServerURL
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.forms import dialog as form_dialog

pytestmark = pytest.mark.postgresql


@pytest.fixture
def own_server(postgres):  # the session's server is only asked for: it says whether one runs
    import psycopg

    from postgres_server import PostgresServer

    server = PostgresServer.start()
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE cases")
        url = ServerURL(server.url("cases"))
        store_server.setup(url)
        yield server, url
    finally:
        server.stop()


def test_a_save_during_a_restart_is_made_once_the_server_is_back(own_server, qtbot,
                                                                 monkeypatch):
    monkeypatch.setattr(form_dialog, "RETRY_DELAYS_S", (1,))

    server, url = own_server
    database = open_database(url)
    try:
        with database.transaction() as session:
            records.save(session, ComplaintData("C-1", date(2026, 10, 1), 1, "Fostering",
                                                summary="Before"))
        form = RecordFormDialog(None, database, Kind.COMPLAINT, "C-1", ScriptedDialogs())
        qtbot.addWidget(form)
        form.show()
        summary = form.view.editors["summary"].input
        summary.setFocus()
        qtbot.keyClick(summary, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(summary, "Typed while the server restarts")
        server.pause()
        form.save_and_close()
        assert form.isVisible()  # kept open, nothing lost
        assert "connection to the server was lost" in form.status.text()
        assert form.record().summary == "Typed while the server restarts"
        server.resume()

        qtbot.waitUntil(lambda: not form.isVisible(), timeout=30_000)
        with database.session() as session:
            saved = records.load(session, Kind.COMPLAINT, "C-1")
        assert saved is not None and saved.summary == "Typed while the server restarts"
    finally:
        database.close()


def test_the_window_says_calmly_while_the_server_is_away(own_server, qtbot):
    from ui_data import shown_window

    server, url = own_server
    database = open_database(url)
    try:
        window = shown_window(database, qtbot)
        banner = window.live_updates.banner
        qtbot.waitUntil(window.live_updates.feed.listening.is_set, timeout=10_000)
        assert not banner.isVisible()
        server.pause()
        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        server.resume()
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20_000)
        assert "again" in window.statusBar().currentMessage()
    finally:
        database.close()
