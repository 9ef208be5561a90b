"""The main window: navigation, panes, menus, toolbar and the keyboard shortcuts.

Other parts plug in through what `contracts.AppWindow` declares: `database`, `dialogs`,
`menu_file`, `toolbar`, `statusBar()`, `reopen_database(path, passphrase=None)` (keeps the
current passphrase by default), `changing_encryption()` and the `data_changed` signal, emitted
after any change to the data; panes meet `contracts.Pane`. Panes are built when first shown, so
the window opens quickly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.errors import InputError, UserFacingError
from cscdesk.store.engine import Database
from cscdesk.store.list_terms import Status
from cscdesk.store.location import DatabaseLocation, ServerURL
from cscdesk.store.opening import open_database
from cscdesk.ui.contracts import AppWindow, Pane, RecordsPane
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.passphrase_dialogs import LOST_WARNING as LOST_PASSPHRASE
from cscdesk.ui.window_settings import window_settings
from cscdesk.ui.workers import Operation, work_to_finish

# Backups copied elsewhere (`cscdesk backup --to`, or by hand) are not in the backup folder, so an
# encryption change cannot reach them: the officer is told what they still need.
OTHER_FOLDERS_PLAIN = (
    "Copies of backups kept in other folders (a USB stick, a share) are not rewritten: they stay "
    "readable without any passphrase. Delete them, or replace them with new backups."
)
OTHER_FOLDERS_CHANGED = (
    "Copies of backups kept in other folders (a USB stick, a share) are not rewritten: they still "
    "open with the old passphrase."
)

if TYPE_CHECKING:
    from cscdesk.store.encryption import EncryptionChange
    from cscdesk.ui.backup_ui import BackupController
    from cscdesk.ui.idle_lock import IdleLock
    from cscdesk.ui.live_updates import LiveUpdates

log = logging.getLogger(__name__)

CLOSE_POLL_MS = 100  # how often a close waiting for work looks again
NEW_RECORD_TIP = "New record of the kind shown (Ctrl+N)"
NEW_FROM_EMAIL_TIP = ("A new complaint, initial feedback, enquiry or compliment (the kind shown) "
                      "proposed from an email saved as .eml or .msg (Ctrl+Shift+E)")

# Navigation, in order; Ctrl+1 .. Ctrl+9 and Ctrl+0 reach the first ten (Dashboard and the six
# kinds first, then Teams, Root causes and Settings).
PANES: tuple[tuple[str, str], ...] = (
    ("dashboard", "Dashboard"),
    *((kind.name, kind_spec.pane) for kind, kind_spec in SPECS.items()),
    ("teams", "Teams"),
    ("root_causes", "Root causes"),
    ("settings", "Settings"),
    ("privacy", "Data protection"),
)
PANE_KEYS = tuple(key for key, _label in PANES)


def pane_shortcut(number: int) -> str | None:
    """The keys of the `number`th pane (from 1): Ctrl+1 .. Ctrl+9, then Ctrl+0 for the tenth,
    as the digits lie on the keyboard."""
    if number <= 9:
        return f"Ctrl+{number}"
    return "Ctrl+0" if number == 10 else None


@dataclass(frozen=True)
class PlacedPane:
    """A built pane: one object, seen as the widget the window shows and as the contract it
    calls (Python's types cannot say "a QWidget that is also a Pane")."""

    widget: QWidget
    pane: Pane
    records: RecordsPane | None = None  # a kind's list


@dataclass(frozen=True)
class EncryptionRequest:
    """The encryption change under way: its outcome reopens `path` with one passphrase."""

    path: Path
    old: str | None
    new: str | None


class MainWindow(AppWindow):
    """Signals: data_changed (see `AppWindow`)."""

    def __init__(self, database: Database, dialogs: UserDialogs | None = None) -> None:
        super().__init__()
        self.database = database
        self.dialogs = dialogs or UserDialogs()
        self._placed: dict[str, PlacedPane] = {}
        self._stale: set[str] = set()  # built panes to read again when next shown
        self.encryption_task: Operation[EncryptionChange] | None = None
        self._encryption: EncryptionRequest | None = None
        self._closing_timer: QTimer | None = None
        self.settings = window_settings()
        self._build_navigation()
        self._build_actions()
        self._install_plugins()
        self._show_title()
        self.data_changed.connect(self._on_data_changed)
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self._first_geometry()
        last = self.settings.value("pane", "dashboard")
        self.show_pane(last if last in PANE_KEYS else "dashboard")

    def _first_geometry(self) -> None:
        """1280 × 800, or nine tenths of a smaller screen (a 1366 × 768 laptop), centred."""
        available = self.screen().availableGeometry()
        width = min(1280, int(available.width() * 0.9))
        height = min(800, int(available.height() * 0.9))
        self.resize(width, height)
        self.move(available.x() + (available.width() - width) // 2,
                  available.y() + (available.height() - height) // 2)

    # --- building --------------------------------------------------------------------------

    def _build_navigation(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Navigation")
        for number, (key, label) in enumerate(PANES, start=1):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            shortcut = pane_shortcut(number)
            if shortcut is not None:
                item.setToolTip(shortcut)
            self.navigation.addItem(item)
        width = self.navigation.fontMetrics().horizontalAdvance("Dispute resolution") + 48
        self.navigation.setFixedWidth(width)
        self.navigation.setSpacing(2)
        self.navigation.currentRowChanged.connect(self._navigated)
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._central = central

    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                menu: QMenu | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        menus = self.menuBar()
        self.menu_file = menus.addMenu("&File")
        self.menu_go = menus.addMenu("&Go")
        self.menu_help = menus.addMenu("&Help")
        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)

        self.action_new = self._action("&New record", self.new_record,
                                       QKeySequence.StandardKey.New, self.menu_file)
        self.action_new.setToolTip(NEW_RECORD_TIP)
        self.action_from_email = self._action("New from emai&l…", self.new_from_email,
                                              "Ctrl+Shift+E", self.menu_file)
        self.action_from_email.setToolTip(NEW_FROM_EMAIL_TIP)
        self._action("&Find", self.focus_search, QKeySequence.StandardKey.Find, self.menu_go)
        self.menu_file.addSeparator()
        self._action("&Open database file…", self.open_database_file,
                     QKeySequence.StandardKey.Open, self.menu_file)
        self._action("Open ser&ver database…", self.open_server_database, menu=self.menu_file)
        self.action_move_in = self._action("&Move to a server…", self.move_to_server,
                                           menu=self.menu_file)
        self.menu_file.addSeparator()
        self.action_import = self._action("&Import workbook…", self.import_workbook,
                                          menu=self.menu_file)
        self._action("&Export workbook…", self.export_workbook, menu=self.menu_file)
        self.action_appendix = self._action("Annual &appendix…", self.make_appendix,
                                            menu=self.menu_file)
        self.menu_file.addSeparator()
        self.menu_go.addSeparator()
        for number, (key, label) in enumerate(PANES, start=1):
            self._action(label, partial(self.show_pane, key), pane_shortcut(number),
                         self.menu_go)
        self._action("&About cscdesk…", self.show_about, menu=self.menu_help)
        self.toolbar.addAction(self.action_new)
        self.toolbar.addAction(self.action_appendix)

    def _install_plugins(self) -> None:
        """Backups add their own menu items, toolbar button and status-bar label."""
        from cscdesk.ui.backup_ui import install_backup_ui

        self.backup_controller: BackupController = install_backup_ui(self)
        from cscdesk.ui.idle_lock import install_idle_lock

        self.idle_lock: IdleLock = install_idle_lock(self)
        from cscdesk.ui.live_updates import install_live_updates

        self.live_updates: LiveUpdates = install_live_updates(self)  # a server's changes
        self.menu_file.addSeparator()
        self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, self.menu_file)

    def _allow_record_writing(self) -> None:
        """New record and Import only for a login that may write records (on a server)."""
        from cscdesk.ui.permissions import WRITE_RECORDS, gate

        actions = (self.action_new, self.action_import, self.action_from_email)
        for action in actions:
            action.setEnabled(True)
        self.action_new.setToolTip(NEW_RECORD_TIP)
        self.action_from_email.setToolTip(NEW_FROM_EMAIL_TIP)
        self.action_import.setToolTip("")
        gate(self.database.capabilities, WRITE_RECORDS, actions)

    def _show_title(self) -> None:
        location = self.database.path
        if isinstance(location, ServerURL):
            self.setWindowTitle(f"{location.database} on {location.host} — cscdesk")
            self.setWindowFilePath("")
            self.action_move_in.setEnabled(False)
            self.action_move_in.setStatusTip("The open database is already on a server.")
            return
        path = location.absolute()  # "--db cases.db" names its folder, not "."
        self.setWindowTitle(f"{path.name} ({path.parent}) — cscdesk")
        self.setWindowFilePath(str(path))
        self.action_move_in.setEnabled(True)
        self.action_move_in.setStatusTip(
            "Copy this database file into an empty server database, for a team")

    # --- panes -----------------------------------------------------------------------------

    def _make_pane(self, key: str) -> PlacedPane:
        if key == "dashboard":
            from cscdesk.ui.dashboard import DashboardPane

            dashboard = DashboardPane(self.database)
            dashboard.open_requested.connect(self.open_record)
            dashboard.list_requested.connect(self.show_list)
            return PlacedPane(dashboard, dashboard)
        if key in Kind.__members__:
            from cscdesk.ui.record_table import RecordListPane

            records = RecordListPane(self.database, Kind[key])
            records.open_requested.connect(self.open_record)
            records.email_requested.connect(self.new_from_email_of)
            return PlacedPane(records, records, records)
        if key in ("teams", "root_causes"):
            from cscdesk.store.models import RootCause, Team  # SQLAlchemy: not before the window
            from cscdesk.ui.lists_pane import ListsPane

            entries = ListsPane(self.database, self.dialogs,
                                Team if key == "teams" else RootCause)
            entries.changed.connect(self.data_changed.emit)
            return PlacedPane(entries, entries)
        if key == "privacy":
            from cscdesk.ui.privacy_pane import PrivacyPane

            privacy = PrivacyPane(self.database, self.dialogs)
            privacy.data_changed.connect(self.data_changed.emit)
            return PlacedPane(privacy, privacy)
        from cscdesk.ui.settings_pane import SettingsPane

        settings = SettingsPane(self.database, self.dialogs,
                                change_encryption=self.change_encryption)
        settings.changed.connect(self.data_changed.emit)
        return PlacedPane(settings, settings)

    def _place(self, key: str) -> PlacedPane:
        """The pane for `key`, built (and read) on first use."""
        if key not in self._placed:
            placed = self._make_pane(key)
            placed.pane.refresh()
            self._placed[key] = placed
            self.stack.addWidget(placed.widget)
        return self._placed[key]

    @property
    def panes(self) -> dict[str, QWidget]:
        """The panes built so far, by key."""
        return {key: placed.widget for key, placed in self._placed.items()}

    def current_key(self) -> str:
        row = self.navigation.currentRow()
        return PANE_KEYS[row] if 0 <= row < len(PANE_KEYS) else "dashboard"

    def show_pane(self, key: str) -> QWidget:
        row = PANE_KEYS.index(key)
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)  # calls _navigated
        else:
            self._navigated(row)
        return self._placed[key].widget

    def _navigated(self, row: int) -> None:
        if not 0 <= row < len(PANE_KEYS):
            return
        key = PANE_KEYS[row]
        placed = self._place(key)
        if key in self._stale:
            self._stale.discard(key)
            placed.pane.refresh()
        self.stack.setCurrentWidget(placed.widget)
        self._allow_record_writing()
        self.settings.setValue("pane", key)

    def _records(self, kind: Kind) -> RecordsPane:
        """Show the list of `kind` and return it."""
        self.show_pane(kind.name)
        records = self._placed[kind.name].records
        assert records is not None, "each kind's pane is its list"
        return records

    def show_list(self, kind: Kind, status: Status | None = None) -> None:
        records = self._records(kind)
        if status is not None:
            records.show_status(status)

    def current_kind(self) -> Kind:
        key = self.current_key()
        return Kind[key] if key in Kind.__members__ else Kind.COMPLAINT

    def focus_search(self) -> None:
        self._records(self.current_kind()).focus_search()

    # --- data changes ----------------------------------------------------------------------

    def _on_data_changed(self) -> None:
        """Reload what is shown now; other panes reload when next shown."""
        self._stale.update(self._placed)
        current = self._placed.get(self.current_key())
        if current is not None:
            self._stale.discard(self.current_key())
            current.pane.refresh()

    def reopen_database(self, path: DatabaseLocation, passphrase: str | None = None) -> bool:
        """Open another database (after a restore or an encryption change, or one the officer
        chose) and show it from scratch; an encrypted file is opened with `passphrase`, by
        default the current one (a plain file ignores it). False when it could not be opened
        (said in a message; the window keeps the database it had, if it is still open)."""
        try:
            database = self._open_asking(path, passphrase or self.database.passphrase)
        except UserFacingError as error:
            self.dialogs.error(self, "Cannot open the database", str(error))
            if self.database.closed:  # a restore swapped the file: nothing is left to show
                self.close()
            return False
        old = self.database
        self.database = database
        key = self.current_key()
        for placed in self._placed.values():
            self.stack.removeWidget(placed.widget)
            placed.widget.deleteLater()
        self._placed.clear()
        self._stale.clear()
        old.close()
        self._show_title()
        self.backup_controller.database_changed()
        self.live_updates.database_changed()
        self.show_pane(key)
        self.data_changed.emit()
        return True

    def _open_asking(self, path: DatabaseLocation, passphrase: str | None) -> Database:
        """Open `path`; when it needs another passphrase (a backup made before the passphrase
        was changed), ask for it, three tries at most."""
        from cscdesk.store.cipher import PassphraseNeeded, WrongPassphrase

        if isinstance(path, ServerURL):
            return open_database(path)
        for _attempt in range(3):
            try:
                return open_database(path, passphrase=passphrase)
            except (PassphraseNeeded, WrongPassphrase) as error:
                last = error
                passphrase = self.dialogs.ask_passphrase(
                    self, "Passphrase of the restored database",
                    f"{Path(path).name} needs the passphrase it had when its backup was made.")
                if passphrase is None:
                    break
        raise last

    def change_encryption(self, old: str | None, new: str | None
                          ) -> Operation[EncryptionChange] | None:
        """Encrypt (`old` None), change the passphrase of, or decrypt (`new` None) the database
        and its backups, off the GUI thread; the database is closed meanwhile and reopened after,
        as it was if the change failed."""
        from cscdesk.store.encryption import change_encryption
        from cscdesk.ui.workers import progress_dialog, wait_for_background_work

        if self.encryption_task is not None:
            return None
        path = self.database.file
        wait_for_background_work()  # nothing may read the file while it is rewritten
        self.database.close()
        operation = Operation("the encryption change",
                              lambda _progress: change_encryption(path, old, new),
                              on_done=self._encryption_changed,
                              on_failed=self._encryption_failed)
        operation.ended.connect(self._encryption_ended)
        self.encryption_task = operation
        self._encryption = EncryptionRequest(path, old, new)
        for part in self._parts():
            part.setEnabled(False)
        words = ("Encrypting" if old is None else "Removing encryption from" if new is None
                 else "Changing the passphrase of")
        dialog = progress_dialog(self, f"{words} the database and its backups…", operation)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        operation.start()
        return operation

    def changing_encryption(self) -> bool:
        return self.encryption_task is not None

    def _encryption_changed(self, change: EncryptionChange) -> None:
        request = self._encryption
        assert request is not None
        self.reopen_database(request.path, request.new or request.old)
        if change.encrypted:
            text = "The database is encrypted. " + LOST_PASSPHRASE
        else:
            text = "The database is no longer encrypted."
        text += f" {change.backups_rewritten} backup(s) were rewritten to match."
        if change.backups_left:
            names = ", ".join(path.name for path in change.backups_left)
            text += (f" These backups were made with another passphrase and were left as they "
                     f"are: {names}.")
        if change.encrypted:
            text += " " + (OTHER_FOLDERS_CHANGED if request.old else OTHER_FOLDERS_PLAIN)
        self.dialogs.info(self, "Encryption", text)

    def _encryption_failed(self, error: Exception) -> None:
        request = self._encryption
        assert request is not None
        self.reopen_database(request.path, request.old)
        if not isinstance(error, UserFacingError):
            raise error  # a bug: the crash handler reports it
        self.dialogs.error(self, "Encryption not changed",
                           f"{error} The database is as it was.")

    def _encryption_ended(self) -> None:
        self.encryption_task = None
        self._encryption = None
        for part in self._parts():
            part.setEnabled(True)

    def _parts(self) -> tuple[QWidget, ...]:
        """What the officer uses: off while the encryption changes or a close waits."""
        return (self._central, self.menuBar(), self.toolbar)

    # --- opening another database ----------------------------------------------------------

    def open_database_file(self) -> bool:
        """File › Open database file…: a cscdesk file on this PC or a share."""
        from cscdesk import paths

        here = self.database.path
        folder = here.parent if isinstance(here, Path) else paths.default_database_path().parent
        chosen = self.dialogs.open_file(self, "Open a database file", folder,
                                        "cscdesk databases (*.db);;All files (*)")
        return chosen is not None and self.switch_to(chosen)

    def open_server_database(self) -> bool:
        """File › Open server database…: the address IT gave (no password in it)."""
        from cscdesk.store.location import is_server
        from cscdesk.ui.last_database import last_server

        here = self.database.path
        text = self.dialogs.ask_text(
            self, "Open a server database",
            "The server database's address, as IT gave it (for example "
            "postgresql://server.council.local/cscdesk?sslmode=verify-full):",
            str(here) if isinstance(here, ServerURL) else last_server())
        if not text:
            return False
        try:
            if not is_server(text):
                raise InputError(f"“{text}” is not a server database's address: it starts "
                                 "with postgresql:// (IT has it).")
            server = ServerURL(text)
        except InputError as error:
            self.dialogs.error(self, "Open a server database", str(error))
            return False
        return self.switch_to(server)

    def move_to_server(self) -> bool:
        """File › Move to a server…: copy this file into an empty server database, then
        offer to work on the server."""
        from cscdesk.ui.move_in_dialog import move_in_from_window

        moved_to = move_in_from_window(self, self.dialogs)
        return moved_to is not None and self.switch_to(moved_to)

    def switch_to(self, location: DatabaseLocation) -> bool:
        """Close the open database and open `location` (signing in to a server, asking an
        encrypted file's passphrase); the window keeps the one it had if that fails."""
        from cscdesk.ui.last_database import remember_location
        from cscdesk.ui.workers import wait_for_background_work

        if _same_place(location, self.database.path):
            self.dialogs.info(self, "Open a database", f"{location} is the database open now.")
            return False
        busy = work_to_finish()
        if busy:
            self.dialogs.info(self, "Open a database",
                              f"Wait for {' and '.join(dict.fromkeys(busy))} to finish first.")
            return False
        passphrase: str | None = None
        if isinstance(location, ServerURL):
            from cscdesk.ui.server_signin import sign_in_to_server

            if not sign_in_to_server(self, location, self.dialogs):
                return False
        else:
            from cscdesk.ui.passphrase_dialogs import (
                PassphraseCancelled,
                ask_start_passphrase,
                may_be_encrypted,
            )

            if not location.is_file():
                self.dialogs.error(self, "Open a database",
                                   f"There is no database file at {location}.")
                return False
            if may_be_encrypted(location):
                try:
                    passphrase = ask_start_passphrase(location, self.dialogs, self)
                except PassphraseCancelled:
                    return False
                except UserFacingError as error:
                    self.dialogs.error(self, "Cannot open the database", str(error))
                    return False
        wait_for_background_work()  # nothing may still read the database being closed
        if not self.reopen_database(location, passphrase):
            return False
        remember_location(location)
        self.statusBar().showMessage(f"Opened {location}.", 10_000)
        return True

    # --- records ---------------------------------------------------------------------------

    def new_record(self) -> None:
        self.open_record(self.current_kind(), None)

    def open_record(self, kind: Kind, reference: str | None) -> None:
        from cscdesk.ui.forms import open_record_form

        try:
            open_record_form(self, self.database, kind, reference, dialogs=self.dialogs)
        except UserFacingError as error:
            self.dialogs.error(self, "Record", str(error))
        # Saved, escalated or deleted: the lists and counts may have changed either way.
        self.data_changed.emit()

    def new_from_email(self) -> str | None:
        """File › New from email… (Ctrl+Shift+E): a record of the kind shown (a complaint
        from any pane but the lists of initial feedback, enquiries and compliments)."""
        return self.new_from_email_of(self.current_kind(), None)

    def new_from_email_of(self, kind: Kind, path: Path | None) -> str | None:
        """A new record of `kind` proposed from the email at `path` (asked for when None);
        the email is kept with it when it is saved."""
        from cscdesk.ui.new_from_email import EMAIL_FILTER, EMAIL_KINDS, new_record_from_email

        if not self.action_from_email.isEnabled():
            return None  # this login may not add records
        kind = kind if kind in EMAIL_KINDS else Kind.COMPLAINT
        if path is None:
            path = self.dialogs.open_file(self, "New record from an email", Path.home(),
                                          EMAIL_FILTER)
            if path is None:
                return None
        try:
            saved = new_record_from_email(self, self.database, kind, path, self.dialogs)
        except UserFacingError as error:
            self.dialogs.error(self, "Record", str(error))
            saved = None
        self.data_changed.emit()
        return saved

    # --- long actions ----------------------------------------------------------------------

    def import_workbook(self) -> None:
        from cscdesk.ui.import_dialog import import_workbook

        if import_workbook(self, self.database, self.dialogs):
            self.data_changed.emit()

    def export_workbook(self) -> None:
        from cscdesk.ui.import_dialog import export_workbook

        export_workbook(self, self.database, self.dialogs)

    def make_appendix(self) -> None:
        from cscdesk.ui.appendix_dialog import AppendixDialog

        dialog = AppendixDialog(self.database, self.dialogs, self)
        dialog.exec()
        texts_saved = dialog.texts_saved
        dialog.deleteLater()  # here, in the GUI thread, not whenever a collection finds it
        if texts_saved:
            self.data_changed.emit()

    def show_about(self) -> None:
        from cscdesk.ui.about import show_about

        show_about(self, self.database.path)

    # --- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing always works: with work still running (an import, a backup, the encryption
        change), the window says so, finishes it, then closes by itself."""
        if work_to_finish():
            event.ignore()
            self._close_when_work_ends()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("pane", self.current_key())
        self.settings.sync()
        self.live_updates.stop()
        super().closeEvent(event)
        for dialog in self.findChildren(QDialog):  # a question left open goes with the window
            if dialog.isVisible():
                dialog.reject()
        from cscdesk.ui import temp_copies

        temp_copies.remove_all()  # the documents and letters opened this session

    def _close_when_work_ends(self) -> None:
        if self._closing_timer is not None:
            return
        work = " and ".join(dict.fromkeys(work_to_finish()))
        self.statusBar().showMessage(f"Finishing {work}; cscdesk then closes by itself.")
        for part in self._parts():
            part.setEnabled(False)
        self._closing_timer = QTimer(self)
        self._closing_timer.setInterval(CLOSE_POLL_MS)
        self._closing_timer.timeout.connect(self._close_if_idle)
        self._closing_timer.start()

    def _close_if_idle(self) -> None:
        if not work_to_finish():
            assert self._closing_timer is not None
            self._closing_timer.stop()
            self.close()


def _same_place(one: DatabaseLocation, other: DatabaseLocation) -> bool:
    if isinstance(one, ServerURL) or isinstance(other, ServerURL):
        return one == other
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False
