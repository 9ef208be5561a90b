"""Starting the desktop application.

The crash hook goes in before the QApplication exists. A database that cannot be opened is a
sentence in a message box and exit status 1, never a traceback. An encrypted database asks for
its passphrase first (three tries; Cancel ends the app quietly with status 1). A server
database is signed in to first (`server_signin`: libpq's own ways, the credential store, else
a password typed, three tries). The database opened is remembered for the next start
(`last_database`).

For measuring start-up, `CSCDESK_EXIT_AFTER_FIRST_PAINT=1` makes the app print
"first paint after N.NNN s (cpu N.NNN s)" (seconds since the process started, and
the CPU time it used) to stderr once the window has
been painted with its first pane, and quit.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cscdesk.store.location import ServerURL
from cscdesk.ui.crash import install_excepthook

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from cscdesk.store.engine import Database
    from cscdesk.ui.dialog_service import UserDialogs

log = logging.getLogger(__name__)

EXIT_AFTER_FIRST_PAINT = "CSCDESK_EXIT_AFTER_FIRST_PAINT"


def _process_age() -> float:
    """Seconds since this process started (from /proc where there is one)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.process_time()


def freeze_startup_objects() -> None:
    """Collect once, then exempt every object alive so far from garbage collection.

    The window, Qt wrappers and SQLAlchemy's mappings are hundreds of thousands of objects that
    live as long as the app; a full collection walking them all took 20-70 ms, enough to make
    a keystroke in the search box miss 100 ms now and then. Frozen, they are not walked again.
    """
    gc.collect()
    gc.freeze()


def run_app(db_path: Path | ServerURL, *, dialogs: UserDialogs | None = None,
            argv: list[str] | None = None, instead: Path | None = None) -> int:
    """Open the main window on `db_path` (a file, or a server database) and run until it
    closes; returns the exit status. When `db_path` is the server remembered from last time
    and it cannot be used now, the officer is offered the file `instead` (this PC's own)."""
    install_excepthook()
    from PySide6.QtWidgets import QApplication

    from cscdesk.errors import UserFacingError
    from cscdesk.store.cipher import WrongPassphrase
    from cscdesk.store.lock import DatabaseInUse
    from cscdesk.store.opening import open_database
    from cscdesk.ui.dialog_service import UserDialogs
    from cscdesk.ui.passphrase_dialogs import (
        PassphraseCancelled,
        ask_start_passphrase,
        damaged_sentence,
        may_be_encrypted,
    )

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication), "a widget application, not a core one"
    app.setApplicationName("cscdesk")
    app.setApplicationDisplayName("cscdesk")
    app.setOrganizationName("cscdesk")
    from cscdesk.ui.collector import MainThreadCollector

    MainThreadCollector.install(app)  # cycles (and the widgets in them) freed in this thread
    from cscdesk.ui.about import app_icon

    app.setWindowIcon(app_icon())
    from cscdesk.ui.focus_return import FocusReturn

    FocusReturn.install()
    dialogs = dialogs or UserDialogs()
    if isinstance(db_path, ServerURL):
        database = _open_server(db_path, dialogs)
        if database is not None:
            return _run_window(app, database, dialogs)
        if instead is None or not dialogs.confirm(
                None, "Work on this PC's database instead?",
                f"The server database {db_path.database} on {db_path.host} was not opened. "
                f"Open the database file on this PC ({instead}) instead? Records added there "
                "are not on the server."):
            return 1
        db_path = instead
    db_path = Path(db_path)
    passphrase: str | None = None
    try:
        if may_be_encrypted(db_path):
            passphrase = ask_start_passphrase(db_path, dialogs)
    except PassphraseCancelled as error:
        print(f"cscdesk: {error}", file=sys.stderr)
        return 1
    except WrongPassphrase as error:
        return _cannot_open(db_path, error, dialogs)
    try:
        database = open_database(db_path, passphrase=passphrase)
    except DatabaseInUse as error:
        return _cannot_open(db_path, error, dialogs)
    except UserFacingError as error:
        # A damaged file: offer the latest good backup, then try once more.
        from cscdesk.ui.backup_ui import offer_restore_on_open_failure

        # The passphrase was checked against the file or its newest backup: refused now, the
        # file is damaged.
        problem = damaged_sentence(db_path) if isinstance(error, WrongPassphrase) else str(error)
        if not offer_restore_on_open_failure(db_path, problem, dialogs,
                                             passphrase=passphrase):
            return _cannot_open(db_path, error, dialogs)
        try:
            database = open_database(db_path, passphrase=passphrase)
        except UserFacingError as again:
            return _cannot_open(db_path, again, dialogs)
    return _run_window(app, database, dialogs)


def _open_server(server: ServerURL, dialogs: UserDialogs) -> Database | None:
    """The server database, signed in to; None when it cannot be used (said already)."""
    from cscdesk.errors import UserFacingError
    from cscdesk.store.opening import open_database
    from cscdesk.ui.server_signin import sign_in_to_server

    if not sign_in_to_server(None, server, dialogs):
        print(f"cscdesk: {server} was not opened.", file=sys.stderr)
        return None
    try:
        return open_database(server)
    except UserFacingError as error:
        _cannot_open(server, error, dialogs)
        return None


def _run_window(app: QApplication, database: Database, dialogs: UserDialogs) -> int:
    """Show the main window on the open `database` until it closes; then close it."""
    from PySide6.QtCore import QTimer

    from cscdesk.ui.main_window import MainWindow
    from cscdesk.ui.workers import wait_for_background_work

    try:
        window = MainWindow(database, dialogs)
        window.show()
        if os.environ.get(EXIT_AFTER_FIRST_PAINT) == "1":
            def report_first_paint() -> None:
                window.repaint()
                print(f"first paint after {_process_age():.3f} s "
                      f"(cpu {time.process_time():.3f} s)", file=sys.stderr, flush=True)
                window.close()

            QTimer.singleShot(0, report_first_paint)
        else:
            from cscdesk.ui.first_paint import after_first_paint

            def once_on_screen() -> None:
                freeze_startup_objects()
                from cscdesk.ui.first_start import ask_names_at_first_start  # SQLAlchemy

                ask_names_at_first_start(window, database, dialogs)

            after_first_paint(window, once_on_screen)
        return int(app.exec())
    finally:
        wait_for_background_work()
        database.close()
        from cscdesk.ui import temp_copies

        temp_copies.remove_all()  # copies of documents opened, however the window closed


def _cannot_open(db_path: Path | ServerURL, error: Exception, dialogs: UserDialogs) -> int:
    """The database cannot be used: one sentence on stderr and in a message box; exit 1."""
    log.warning("cannot open %s: %s", db_path, error)
    print(f"cscdesk: {error}", file=sys.stderr)
    dialogs.error(None, "cscdesk cannot open the database", str(error))
    return 1
