"""Backups in the app: "Back up now", "Restore from backup…", the last-backup label, and the
automatic backups on the first start of each day and on exit.

On a server database (team mode) the server's own backups are IT's (docs/server.md): "Back up
now" keeps a verified pg_dump archive in this PC's backup folder, nothing is backed up
automatically (ten officers' PCs would each dump the whole database every day), and restoring is
IT's, into an empty database (`cscdesk restore ARCHIVE --db URL`), so the menu item says that.

Every backup runs on the thread pool (a `workers.Operation`), never on the GUI thread; the backup on
exit starts once the window has closed, so it never holds the window open. A database found
damaged is offered the latest good backup.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cscdesk.errors import UserFacingError
from cscdesk.store import backup, backup_folder, backup_list, restoring, soundness, wording
from cscdesk.store.location import ServerURL
from cscdesk.store.lock import WriterLock, acquire_writer_lock
from cscdesk.store.server_backup import ServerBackupResult
from cscdesk.ui.contracts import AppWindow
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.workers import Operation, Query, wait_for_background_work

log = logging.getLogger(__name__)

WARN_AFTER = timedelta(days=7)
SERVER_RESTORE_NOTE = (
    "A server database is restored by IT, into an empty database: cscdesk restore ARCHIVE "
    "--db URL (docs/server.md).")
DAILY_CHECK_DELAY_MS = 3_000  # after start-up, so the first paint is not slowed
_WHEN = "%d %b %Y %H:%M"


def status_text(latest: backup_list.BackupInfo | None, now: datetime, *,
                backing_up: bool = False) -> tuple[str, bool]:
    """The status bar's words for the newest good backup, and whether they are a warning.

    No backup is no warning while one is being made (or about to be, at start): the first
    start of a new database must not flash red while its first backup is on its way.
    """
    if latest is None and backing_up:
        return "Making the first backup…", False
    if latest is None:
        return "No backup yet: use File › Back up now", True
    age = now.astimezone() - latest.created
    if age > WARN_AFTER:
        return (f"Last good backup: {latest.created:{_WHEN}} — none for {age.days} days; "
                "back up now", True)
    return f"Last good backup: {latest.created:{_WHEN}}", False


def newest_backup(database: Path, passphrase: str | None = None) -> backup_list.BackupInfo | None:
    """The newest listed backup of `database` whose file is still as it was made."""
    folder = backup_folder.backup_folder_for(database, passphrase)
    for info in backup_list.list_backups(folder, database.stem):
        if info.size_matches():
            return info
    return None


def newest_server_backup(server: ServerURL) -> backup_list.BackupInfo | None:
    """The newest archive of `server` kept in this PC's backup folder, still as it was made."""
    from cscdesk.store.server_backup import backup_stem, server_backup_folder

    for info in backup_list.list_backups(server_backup_folder(), backup_stem(server)):
        if info.size_matches():
            return info
    return None


def server_status_text(latest: backup_list.BackupInfo | None) -> str:
    """The status bar's words on a server database (never a warning: the server's own
    backups are IT's)."""
    if latest is None:
        return "Server database: backed up by IT (File › Back up now keeps a copy here)"
    return f"Last copy on this PC: {latest.created:{_WHEN}}"


def _no_backup_today(database: Path, passphrase: str | None = None) -> bool:
    latest = newest_backup(database, passphrase)
    return latest is None or latest.created.date() != datetime.now().date()


class BackupController(QObject):
    """What `install_backup_ui` adds to a window (the main window keeps it as
    `backup_controller`)."""

    def __init__(self, window: AppWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs: UserDialogs = window.dialogs
        self.label = QLabel()
        self.label.setObjectName("last_backup_label")
        window.statusBar().addPermanentWidget(self.label)
        self.action_backup = QAction("&Back up now", window)
        self.action_backup.setStatusTip("Make a verified backup of the database now")
        self.action_backup.triggered.connect(self.back_up_now)
        self.action_restore = QAction("&Restore from backup…", window)
        self.action_restore.setStatusTip("Replace the database with one of its backups")
        self.action_restore.triggered.connect(self.choose_and_restore)
        window.menu_file.addSeparator()
        window.menu_file.addAction(self.action_backup)
        window.menu_file.addAction(self.action_restore)
        window.toolbar.addAction(self.action_backup)
        self.running: Operation[backup.BackupResult | None] | Operation[
            restoring.PreparedRestore] | Operation[ServerBackupResult] | None = None
        self.daily_pending = True  # until the start-of-day backup has been started
        self.exit_backup: Query[backup.BackupResult] | None = None
        self.last_result: backup.BackupResult | ServerBackupResult | None = None
        self._exit_folder: Path | None = None
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.back_up_on_exit)
        self.database_changed()

    @property
    def database_path(self) -> Path:
        return self.window.database.file

    @property
    def server(self) -> ServerURL | None:
        """The open database's server, when it is a server database."""
        location = self.window.database.path
        return location if isinstance(location, ServerURL) else None

    def database_changed(self) -> None:
        """The window opened another database (a file or a server): say what applies to it."""
        on_server = self.server is not None
        self.action_restore.setEnabled(not on_server)
        self.action_restore.setStatusTip(SERVER_RESTORE_NOTE if on_server else
                                         "Replace the database with one of its backups")
        self.action_restore.setToolTip(SERVER_RESTORE_NOTE if on_server else
                                       "Replace the database with one of its backups")
        self.action_backup.setStatusTip(
            "Keep a verified copy of the server database (pg_dump) in this PC's backup folder"
            if on_server else "Make a verified backup of the database now")
        self.refresh_status()

    @property
    def passphrase(self) -> str | None:
        """The open database's passphrase (None when it is not encrypted): backups use it."""
        return self.window.database.passphrase

    # --- status ------------------------------------------------------------------------------

    def refresh_status(self) -> Query[backup_list.BackupInfo | None]:
        """Update the label from the backup folder (read off the GUI thread: it may be a share)."""
        server = self.server
        if server is not None:
            query = Query(lambda _progress: newest_server_backup(server),
                          on_done=self._show_server_status, on_failed=self._status_failed)
            query.start()
            return query
        path, passphrase = self.database_path, self.passphrase
        query = Query(lambda _progress: newest_backup(path, passphrase),
                      on_done=self._show_status, on_failed=self._status_failed)
        query.start()
        return query

    # Callbacks of jobs are methods, or have this controller as their context, so Qt drops
    # them when the window, and this controller with it, is deleted before the job ends.

    def _status_failed(self, _error: BaseException) -> None:
        self._show_status(None)

    def _show_server_status(self, latest: backup_list.BackupInfo | None) -> None:
        self.label.setText(server_status_text(latest))
        self.label.setStyleSheet("")

    def _show_status(self, latest: backup_list.BackupInfo | None) -> None:
        if self.server is not None:
            self._show_server_status(latest)
            return
        backing_up = self.daily_pending or (self.running is not None and self.running.running)
        text, warning = status_text(latest, datetime.now(), backing_up=backing_up)
        self.label.setText(text)
        self.label.setStyleSheet("color: #b00020; font-weight: bold;" if warning else "")

    # --- making backups ----------------------------------------------------------------------

    def _start_backup(self, reason: str, *, only_if_changed: bool
                      ) -> Operation[backup.BackupResult | None]:
        path, passphrase = self.database_path, self.passphrase

        def work(_progress: object) -> backup.BackupResult | None:
            if reason == "daily" and not _no_backup_today(path, passphrase):
                return None
            return backup.backup_database(path, reason=reason, only_if_changed=only_if_changed,
                                          passphrase=passphrase)

        operation = Operation("the backup", work, on_done=self._backed_up,
                              on_failed=partial(self._backup_failed, reason), context=self)
        self.running = operation
        self.action_backup.setEnabled(False)
        operation.ended.connect(self._backup_ended)
        operation.start()
        return operation

    def _backup_ended(self) -> None:
        self.action_backup.setEnabled(True)
        self.refresh_status()

    def _start_server_backup(self, server: ServerURL) -> Operation[ServerBackupResult]:
        from cscdesk.store.server_backup import backup_server

        operation = Operation("the backup",
                              lambda _progress: backup_server(server, reason="manual"),
                              on_done=self._backed_up,
                              on_failed=partial(self._backup_failed, "manual"), context=self)
        self.running = operation
        self.action_backup.setEnabled(False)
        operation.ended.connect(self._backup_ended)
        operation.start()
        return operation

    def back_up_now(self) -> Operation[backup.BackupResult | None] | Operation[
            ServerBackupResult]:
        server = self.server
        if server is not None:
            return self._start_server_backup(server)
        return self._start_backup("manual", only_if_changed=False)

    def back_up_if_first_start_today(self) -> Operation[backup.BackupResult | None] | None:
        """On start: a backup when none was made today and anything changed since the last
        (a file's only: a server's are IT's)."""
        self.daily_pending = False
        if self.server is not None:
            self.refresh_status()
            return None
        return self._start_backup("daily", only_if_changed=True)

    def _backed_up(self, result: backup.BackupResult | ServerBackupResult | None) -> None:
        self.last_result = result
        if result is not None and result.backup is not None:
            self.window.statusBar().showMessage(
                f"Backed up to {result.backup.path} ({wording.human_size(result.backup.size)}).",
                15_000,
            )

    def _backup_failed(self, reason: str, error: BaseException) -> None:
        if not isinstance(error, UserFacingError):
            raise error  # a bug: the crash handler reports it
        if isinstance(error, soundness.DatabaseDamaged):
            self.offer_latest_good_backup(str(error))
            return
        if reason == "manual":
            self.dialogs.error(self.window, "Backup failed", str(error))
        else:
            self.window.statusBar().showMessage(f"Automatic backup failed: {error}", 30_000)

    def back_up_on_exit(self, folder: Path | None = None) -> Query[backup.BackupResult] | None:
        """Once, after the window has closed: a backup if anything changed. The app waits for
        the thread pool before the process ends, so the backup is never cut short."""
        if self.exit_backup is not None:
            return self.exit_backup
        if self.server is not None:  # the server's backups are IT's
            return None
        path, passphrase = self.database_path, self.passphrase
        query = Query(lambda _progress: backup.backup_database(
            path, folder, reason="on exit", only_if_changed=True, passphrase=passphrase),
            on_failed=_exit_backup_failed)  # not a method: said even once the window has gone
        self.exit_backup = query
        query.start()
        return query

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.window and event.type() == QEvent.Type.Close
                and self.server is None):
            # The folder is settled now, while the database is surely still the window's.
            self._exit_folder = backup_folder.backup_folder_for(self.database_path, self.passphrase)
            QTimer.singleShot(0, self.window, self._after_close)  # dropped once it is deleted
        return False

    def _after_close(self) -> None:
        if not self.window.isVisible():  # the close was accepted
            self.back_up_on_exit(self._exit_folder)

    # --- restoring ---------------------------------------------------------------------------

    def choose_and_restore(self) -> Operation[restoring.PreparedRestore] | None:
        if self.server is not None:
            self.dialogs.info(self.window, "Restore from backup", SERVER_RESTORE_NOTE)
            return None
        folder = backup_folder.backup_folder_for(self.database_path, self.passphrase)
        dialog = RestoreDialog(self.window, folder, self.database_path.stem, self.dialogs,
                               self.passphrase)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        return self.restore_from(dialog.chosen)

    def offer_latest_good_backup(self, problem: str
                                 ) -> Operation[restoring.PreparedRestore] | None:
        folder = backup_folder.backup_folder_for(self.database_path, self.passphrase)
        good = backup_list.latest_good_backup(folder, self.database_path.stem, self.passphrase)
        if good is None:
            self.dialogs.error(self.window, "The database is damaged",
                               f"{problem} No good backup was found in {folder}.")
            return None
        if not self.dialogs.confirm(
            self.window, "The database is damaged",
            f"{problem}\n\nRestore the latest good backup, made {good.created:{_WHEN}} "
            f"({wording.describe_counts(good.counts)})?",
        ):
            return None
        return self.restore_from(good.path, confirmed=True)

    def restore_from(self, chosen: Path, *, confirmed: bool = False
                     ) -> Operation[restoring.PreparedRestore] | None:
        """Verify and stage off the GUI thread, then swap the file and reopen.

        A listed backup whose checksum differs is refused (with a sentence, from the task); a
        file no backup list names is restored only after a confirmation that says it cannot
        be verified, even when the restore was already confirmed."""
        listed = backup_list.manifest_entry(chosen) is not None
        if not listed:
            if not self.dialogs.confirm(
                self.window, "Restore an unverified file",
                f"{chosen.name} is not in a backup list, so cscdesk cannot verify that it is "
                "as it was made (it is still checked for damage before anything changes). "
                "Replace the database with it? The database as it is now is backed up first.",
            ):
                return None
        elif not confirmed and not self.dialogs.confirm(
            self.window, "Restore from backup",
            f"Replace the database with {chosen.name}? The database as it is now is backed up "
            "first.",
        ):
            return None
        live = self.database_path
        try:
            lock = acquire_writer_lock(live, "cscdesk")
        except UserFacingError as error:
            self.dialogs.error(self.window, "Restore failed", str(error))
            return None
        passphrase = self.passphrase
        operation = Operation("the restore",
                              lambda _progress: restoring.prepare_restore(
                                  chosen, live, passphrase=passphrase, unverified=not listed),
                              on_done=partial(self._swap_in, lock),
                              on_failed=partial(self._report_restore_failure, lock),
                              context=self)
        self.running = operation
        operation.start()
        return operation

    def _swap_in(self, lock: WriterLock, prepared: restoring.PreparedRestore) -> None:
        try:
            passphrase = self.passphrase
            # Nothing may still be reading the file that is about to be replaced.
            wait_for_background_work()
            self.window.database.close()
            restoring.finish_restore(prepared, passphrase)
        except UserFacingError as error:
            self._report_restore_failure(lock, error)
            self.window.reopen_database(prepared.live)
            return
        finally:
            prepared.discard()
        self.window.reopen_database(prepared.live)
        lock.release()
        self.dialogs.info(
            self.window, "Restored",
            f"The database now holds the backup {prepared.source.name} "
            f"({wording.describe_counts(prepared.facts.counts)}). "
            + " ".join(note for note in (prepared.protection_note, prepared.safety_note) if note),
        )
        self.refresh_status()

    def _report_restore_failure(self, lock: WriterLock, error: BaseException) -> None:
        lock.release()
        if not isinstance(error, UserFacingError):
            raise error
        self.dialogs.error(self.window, "Restore failed", str(error))


class RestoreDialog(QDialog):
    """The backups of this database, newest first: when, size, records, why, checked."""

    COLUMNS = ("Made", "Size", "Records", "Why", "Checked")

    def __init__(self, parent: QWidget, folder: Path, database: str,
                 dialogs: UserDialogs, passphrase: str | None = None) -> None:
        super().__init__(parent)
        self.passphrase = passphrase
        self.setWindowTitle("Restore from backup")
        self.folder = folder
        self.dialogs = dialogs
        self.chosen: Path | None = None
        self.backups = backup_list.list_backups(folder, database)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Backups in {folder}:" if self.backups else
                                f"There are no backups in {folder}."))
        self.table = QTableWidget(len(self.backups), len(self.COLUMNS), self)
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, info in enumerate(self.backups):
            for column, text in enumerate(self._cells(info)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                if column == 2:
                    item.setToolTip(wording.describe_counts(info.counts))
                self.table.setItem(row, column, item)
        if self.backups:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self._accept_selected())
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("&Restore selected")
        self.restore_button.setEnabled(bool(self.backups))
        self.other_button = QPushButton("&Other file…")
        self.verify_button = QPushButton("&Verify selected")
        self.verify_button.setEnabled(bool(self.backups))
        self.verify_button.setToolTip("Check the file against its checksum and SQLite's "
                                      "integrity check now")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.verify_button.clicked.connect(self.verify_selected)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button.clicked.connect(self._accept_selected)
        self.other_button.clicked.connect(self._choose_other)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 360)

    @staticmethod
    def _cells(info: backup_list.BackupInfo) -> tuple[str, ...]:
        if not info.listed:
            checked = "Not in the backup list"
        elif info.size_matches():
            checked = "Verified when made"
        else:
            checked = "Changed since made!"
        records = f"{info.records:,}" if info.listed else "?"
        return (f"{info.created:{_WHEN}}", wording.human_size(info.size), records,
                info.reason, checked)

    def verify_selected(self) -> Query[soundness.DatabaseFacts] | None:
        """Full check of the selected backup off the GUI thread; the result goes in its row."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        info = self.backups[row]
        self._checked_cell(row).setText("Checking…")
        passphrase = self.passphrase
        query = Query(lambda _progress: backup_list.verify_backup(info, passphrase),
                      on_done=partial(self._verified, row),
                      on_failed=partial(self._not_verified, row), context=self)
        query.start()
        return query

    def _checked_cell(self, row: int) -> QTableWidgetItem:
        item = self.table.item(row, 4)
        assert item is not None, "every row has its cells"
        return item

    def _verified(self, row: int, _facts: soundness.DatabaseFacts) -> None:
        item = self._checked_cell(row)
        if self.backups[row].listed and self.backups[row].sha256:
            item.setText("Verified now")
        else:  # sound, but nothing says it is as it was made
            item.setText("Sound; cannot be verified")
            item.setToolTip("Not in the backup list: no checksum says it is as it was made.")

    def _not_verified(self, row: int, error: BaseException) -> None:
        item = self._checked_cell(row)
        item.setText("Damaged!" if isinstance(error, UserFacingError) else "Not checked")
        item.setToolTip(str(error))

    def _accept_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.chosen = self.backups[rows[0].row()].path
        self.accept()

    def _choose_other(self) -> None:
        chosen = self.dialogs.open_file(self, "Restore from backup", self.folder,
                                        "cscdesk databases (*.db);;All files (*)")
        if chosen is not None:
            self.chosen = chosen
            self.accept()


def _exit_backup_failed(error: Exception) -> None:
    log.warning("backup on exit failed: %s", error)


def install_backup_ui(window: AppWindow) -> BackupController:
    """Add the backup actions and label to `window`; schedule the first-start-of-day backup."""
    controller = BackupController(window)
    QTimer.singleShot(DAILY_CHECK_DELAY_MS, controller, controller.back_up_if_first_start_today)
    return controller


def offer_restore_on_open_failure(database: Path, problem: str, dialogs: UserDialogs,
                                  parent: QWidget | None = None,
                                  passphrase: str | None = None) -> bool:
    """For start-up, when the database cannot be opened: offer its latest good backup
    (an encrypted database's backups are read with its `passphrase`).

    Returns True when it was restored (the caller opens the database again).
    """
    folder = backup_folder.backup_folder_for(database, passphrase)
    good = backup_list.latest_good_backup(folder, database.stem, passphrase)
    if good is None:
        return False
    if not dialogs.confirm(
        parent, "The database cannot be opened",
        f"{problem}\n\nRestore the latest good backup, made {good.created:{_WHEN}} "
        f"({wording.describe_counts(good.counts)})? The file as it is now is kept.",
    ):
        return False
    try:
        prepared = restoring.restore_database(good.path, database, passphrase=passphrase)
    except UserFacingError as error:
        dialogs.error(parent, "Restore failed", str(error))
        return False
    dialogs.info(parent, "Restored", " ".join(
        note for note in (f"Restored {good.path.name}.", prepared.protection_note,
                          prepared.safety_note) if note))
    return True
