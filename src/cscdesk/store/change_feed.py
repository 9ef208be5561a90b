"""Which tables other officers changed: PostgreSQL's change notices, heard on a thread.

A server database sends `pg_notify('cscdesk_changes', TABLE)` when a transaction that changed
one of the tables an app shows commits (migration 0005): nothing for a rolled-back one, one
notice per table and transaction. A `ChangeFeed` listens on a connection of its own
(autocommit, so it never holds a transaction open) on a daemon thread, and collects the
tables' names in a set the GUI takes from (`take()`) on its own timer: no query runs while
nothing changes, and a burst of saves is one reload.

The thread never touches a Qt object (see `ui.workers`) and never raises: a dropped connection
(a server restart, the network, an administrator ending it) is logged once and opened again
with growing pauses; notices sent meanwhile are lost, so a reconnection reports `EVERYTHING`
changed. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cscdesk.store.location import ServerURL

log = logging.getLogger(__name__)

CHANNEL = "cscdesk_changes"
EVERYTHING = "*"  # taken when notices may have been missed: read everything shown again
POLL_S = 0.25  # how long the thread waits for notices before it looks at its stop flag
FIRST_RETRY_S = 0.5  # pauses between reconnections double up to MAX_RETRY_S
MAX_RETRY_S = 30.0
CONNECT_TIMEOUT_S = 10
# A connection that died silently (a cable pulled) is noticed by TCP keepalives, not by waiting.
KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
              "keepalives_count": 3}


def _connect(server: ServerURL) -> Any:
    """A psycopg connection listening on CHANNEL (the officer's password, if one was typed)."""
    import psycopg

    from cscdesk.store.server_password import connection_keywords

    connection = psycopg.connect(server.url, autocommit=True,
                                 application_name="cscdesk changes",
                                 connect_timeout=CONNECT_TIMEOUT_S,
                                 **KEEPALIVES, **connection_keywords(server))
    try:
        connection.execute(f"LISTEN {CHANNEL}")
    except BaseException:
        connection.close()
        raise
    return connection


class ChangeFeed:
    """The names of the tables changed on `server` since they were last taken.

    `listening` is set while LISTEN is in force (a change committed before it is not heard);
    `failures` counts the connections that failed or dropped, `reconnections` those opened
    again after one did.
    """

    def __init__(self, server: ServerURL) -> None:
        self.server = server
        self._changed: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.listening = threading.Event()
        self.failures = 0
        self.reconnections = 0
        self._thread = threading.Thread(target=self._run, name="cscdesk change feed",
                                        daemon=True)
        self._thread.start()

    def take(self) -> set[str]:
        """The tables changed since the last take (EVERYTHING after a reconnection); empties
        the set."""
        with self._lock:
            changed, self._changed = self._changed, set()
        return changed

    def _add(self, tables: Iterable[str]) -> None:
        with self._lock:
            self._changed.update(tables)

    @property
    def closed(self) -> bool:
        return self._stop.is_set()

    def close(self, timeout_s: float = 2.0) -> None:
        """Stop listening; the thread closes its connection within POLL_S."""
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout_s)

    # --- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        """Listen until closed; reconnect after a failure. Never raises."""
        pause = FIRST_RETRY_S
        failed = False
        while not self._stop.is_set():
            connection = None
            try:
                connection = _connect(self.server)
                self.listening.set()
                if failed:
                    self.reconnections += 1
                    self._add((EVERYTHING,))  # what was sent while away is lost
                    log.info("change notices from %s heard again", self.server)
                failed, pause = False, FIRST_RETRY_S
                self._listen(connection)
            except Exception as error:  # the server or the network: try again later
                self.listening.clear()
                self.failures += 1
                if not failed:
                    from cscdesk.logs import safe_message

                    log.warning("change notices from %s are not heard (%s: %s); trying again",
                                self.server, type(error).__name__, safe_message(error))
                failed = True
            finally:
                if connection is not None:
                    self._close_quietly(connection)
            if failed and self._stop.wait(pause):
                break
            pause = min(pause * 2, MAX_RETRY_S)
        self.listening.clear()

    def _listen(self, connection: Any) -> None:
        while not self._stop.is_set():
            tables = {notice.payload for notice in connection.notifies(timeout=POLL_S)
                      if notice.channel == CHANNEL}
            if tables:
                self._add(tables)

    @staticmethod
    def _close_quietly(connection: Any) -> None:
        try:
            connection.close()
        except Exception as error:  # already broken: nothing more to release
            log.debug("change feed connection not closed cleanly: %s", type(error).__name__)
