"""Another officer's save shown on this PC within a second or so (a server database only).

The server tells every open app which tables a committed transaction changed
(`store.change_feed`, migration 0005). A timer here, in the GUI thread, takes those names every
POLL_MS and, only when some arrived:

- reloads the list or dashboard on screen, keeping the officer's place (the list keeps its
  search text, filters, selected record and scroll position: `RecordListPane.refresh`);
- marks the other panes the change touches stale, so they are read again when next shown
  (panes that hold what the officer may be editing, settings and the teams, are never
  reloaded under them);
- asks, for each open record form whose table changed, the record's version on the server: a
  form showing an older one gets a bar saying who changed or deleted it and when
  (`RecordFormDialog.show_changed_elsewhere`).

Record forms are modal, but a modal dialog runs an event loop of its own, in which this timer
still fires. A SQLite file has one writer, this app, which reloads after its own changes
(`data_changed`): nothing runs for a file.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLabel, QToolBar, QWidget

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.errors import UserFacingError
from cscdesk.store.change_feed import EVERYTHING, ChangeFeed
from cscdesk.store.location import ServerURL
from cscdesk.ui.workers import Query, thread_pool

if TYPE_CHECKING:
    from cscdesk.store.record_versions import LastChange
    from cscdesk.ui.contracts import Pane
    from cscdesk.ui.forms.dialog import RecordFormDialog
    from cscdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

POLL_MS = 500  # how often the GUI looks at what the feed heard (taking nothing costs nothing)

KIND_OF_TABLE = {kind_spec.table: kind for kind, kind_spec in SPECS.items()}
# Panes reloaded while on screen: they hold nothing the officer is typing (the teams and root
# causes only while no name is being edited in place).
LIVE_PANES = frozenset({"dashboard", *(kind.name for kind in Kind), "teams", "root_causes"})
RECORD_TABLE_PANES = ("dashboard", "privacy")  # beside the kind's own list: counts, retention
BIN_PANES = frozenset({"privacy"})


def panes_touched(tables: set[str]) -> set[str] | None:
    """The keys of the panes showing what changed in `tables`; None: every pane (the lists,
    settings and anything unknown are shown everywhere: names of teams, due dates)."""
    touched: set[str] = set()
    for table in tables:
        if table in KIND_OF_TABLE:
            touched.update((KIND_OF_TABLE[table].name, *RECORD_TABLE_PANES))
        elif table == "bin_entry":
            touched.update(BIN_PANES)
        else:
            return None
    return touched


class LiveUpdates(QObject):
    """Keeps a window on a server database up to date with other officers' changes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.feed: ChangeFeed | None = None
        self._caught_up = True  # read again once the feed listens (set False for a server)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.banner = _banner(window)
        self.database_changed()

    def database_changed(self) -> None:
        """The window opened another database: listen to it (a server) or to nothing."""
        self.stop()
        location = self.window.database.path
        if isinstance(location, ServerURL):
            self._caught_up = False
            self.feed = ChangeFeed(location)
            self.timer.start()

    def stop(self) -> None:
        """Stop listening (the window closes, or its database is being replaced)."""
        self.timer.stop()
        feed, self.feed = self.feed, None
        if feed is not None:
            feed.close()

    def poll(self) -> None:
        """Take what the feed heard; reload only when something changed."""
        if self.feed is None or self.window.database.closed:
            self.banner.hide()
            return
        if not self._caught_up and self.feed.listening.is_set():
            # a change committed between the window's first read and LISTEN was not heard:
            # read what is shown once more, now that nothing can slip by
            self._caught_up = True
            self.apply({EVERYTHING})
        lost = self.feed.failures > 0 and not self.feed.listening.is_set()
        if lost != self.banner.isVisible():
            self.banner.setVisible(lost)
            if not lost:
                self.window.statusBar().showMessage("Connected to the server again.", 10_000)
        tables = self.feed.take()
        if tables:
            self.apply(tables)

    def apply(self, tables: set[str]) -> None:
        """Show the changes to `tables`: what is on screen now, the rest when next shown."""
        window = self.window
        touched = None if EVERYTHING in tables else panes_touched(tables)
        current = window.current_key()
        for key, placed in window._placed.items():
            if touched is not None and key not in touched:
                continue
            if key == current and key in LIVE_PANES and not _editing(placed.widget):
                window._stale.discard(key)
                self._refresh(key, placed.pane)
            else:
                window._stale.add(key)
        self._check_forms(tables)

    def _refresh(self, key: str, pane: Pane) -> None:
        """Read the pane again; a server that does not answer just now is said in the status
        bar, not in a message the officer did not ask for (it is read again when next shown,
        and everything is once the feed hears the server again)."""
        try:
            pane.refresh()
        except Exception as error:
            from sqlalchemy.exc import SQLAlchemyError  # not before the window: it is slow

            if not isinstance(error, SQLAlchemyError | UserFacingError):
                raise  # a bug: the crash handler reports it
            self.window._stale.add(key)
            log.warning("a pane was not read again after a change notice: %s",
                        type(error).__name__)
            self.window.statusBar().showMessage(
                "Other officers' changes could not be read from the server just now; they "
                "will be shown when it answers.", 15_000)

    # --- open forms --------------------------------------------------------------------------

    def _check_forms(self, tables: set[str]) -> None:
        from cscdesk.ui.forms.dialog import RecordFormDialog

        for form in self.window.findChildren(RecordFormDialog):
            if (form.isVisible() and form.original_reference is not None
                    and (EVERYTHING in tables or SPECS[form.kind].table in tables)):
                self.check_form(form)

    def check_form(self, form: RecordFormDialog) -> None:
        """Ask the server, off the GUI thread, for the version of the form's record."""
        from cscdesk.store.record_versions import last_change, version_of

        database, kind, reference = form.database, form.kind, form.original_reference
        assert reference is not None
        asked = form.version

        who = database.capabilities.read_audit  # "by whom" is the audit trail's

        def work(_progress: object) -> tuple[int | None, LastChange | None]:
            with database.session() as session:
                return version_of(session, kind, reference), (
                    last_change(session, kind, reference) if who else None)

        Query(work, on_done=partial(_answer, form, asked), context=form).start(
            thread_pool("record-versions"))


def _editing(pane: QWidget) -> bool:
    """A name being edited in place in the pane's table (the Teams pane's F2)."""
    table = getattr(pane, "table", None)
    return (isinstance(table, QAbstractItemView)
            and table.state() == QAbstractItemView.State.EditingState)


def _answer(form: RecordFormDialog, asked: int | None,
            found: tuple[int | None, LastChange | None]) -> None:
    """Shown only if the form still holds the version asked about: a save of its own made
    meanwhile is answered by the check its own notice brings."""
    if form.version == asked and form.isVisible():
        form.show_changed_elsewhere(*found)


LOST_TEXT = ("Connection to the server lost — reconnecting… Open forms keep what is typed, and "
             "a save waits until the server is back.")


def _banner(window: MainWindow) -> QToolBar:
    """A calm bar across the top of the window, shown while the server cannot be reached."""
    bar = QToolBar("Connection", window)
    bar.setObjectName("connection_banner")
    bar.setMovable(False)
    bar.setFloatable(False)
    label = QLabel(LOST_TEXT)
    label.setAccessibleName("Connection")
    label.setStyleSheet("QLabel { background: #fff4ce; color: #3b2f00; padding: 6px; }")
    bar.addWidget(label)
    window.addToolBarBreak()
    window.addToolBar(bar)
    bar.toggleViewAction().setVisible(False)
    bar.hide()
    return bar


def install_live_updates(window: MainWindow) -> LiveUpdates:
    return LiveUpdates(window)
