"""The app's backup actions on a stand-in main window that offers what the real one does."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QToolBar

from cscdesk import paths, settings
from cscdesk.store import backup, backup_list, soundness
from cscdesk.store.engine import Database, open_database
from cscdesk.ui.backup_ui import BackupController, RestoreDialog, install_backup_ui, status_text
from cscdesk.ui.contracts import AppWindow
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.workers import wait_for_background_work
from test_backup import damage, fill, set_setting


class StandInWindow(AppWindow):
    """What backups need of the main window (`contracts.AppWindow`), and no more."""

    def __init__(self, database: Database, dialogs: ScriptedDialogs) -> None:
        super().__init__()
        self.database = database
        self.dialogs = dialogs
        self.menu_file = QMenu("&File", self)
        self.menuBar().addMenu(self.menu_file)
        self.toolbar = QToolBar("Main", self)
        self.addToolBar(self.toolbar)
        self.reopened: list[Path] = []

    def reopen_database(self, path: Path) -> None:
        self.reopened.append(path)
        old, self.database = self.database, open_database(path)
        old.close()


@pytest.fixture(autouse=True)
def no_timed_daily_backup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-of-day backup is started by hand in these tests, never by its timer."""
    monkeypatch.setattr("cscdesk.ui.backup_ui.DAILY_CHECK_DELAY_MS", 3_600_000)


@pytest.fixture
def window(db_path: Path, qtbot):
    fill(db_path, 40)
    database = open_database(db_path)
    window = StandInWindow(database, ScriptedDialogs())
    qtbot.addWidget(window)
    controller = install_backup_ui(window)
    qtbot.waitUntil(lambda: controller.label.text() != "", timeout=10_000)
    yield window
    close_and_wait(window, qtbot)


def close_and_wait(window: StandInWindow, qtbot) -> None:
    """Close as the app would and let the backup on exit finish within this test."""
    window.close()
    controller = controller_of(window)
    qtbot.waitUntil(lambda: controller.exit_backup is not None, timeout=10_000)
    finish(qtbot, controller.exit_backup)
    wait_for_background_work()  # nothing left running once the test is over
    window.database.close()


def finish(qtbot, task) -> None:
    assert task is not None
    if task.running:
        with qtbot.waitSignal(task.ended, timeout=20_000):
            pass


def controller_of(window: StandInWindow) -> BackupController:
    controller = window.findChild(BackupController)
    assert controller is not None
    return controller


def test_actions_and_the_warning_when_there_is_no_backup(window: StandInWindow, qtbot) -> None:
    controller = controller_of(window)
    assert controller.action_backup in window.menu_file.actions()
    assert controller.action_restore in window.menu_file.actions()
    assert controller.action_backup in window.toolbar.actions()
    # At start the first backup is on its way: said calmly, not in red.
    assert controller.label.text() == "Making the first backup…"
    assert controller.label.styleSheet() == ""
    controller.daily_pending = False  # as when the start-of-day backup made none
    controller.refresh_status()
    qtbot.waitUntil(lambda: controller.label.text().startswith("No backup yet"))
    assert "color" in controller.label.styleSheet()


def test_back_up_now_runs_off_the_gui_thread_and_updates_the_label(
    window: StandInWindow, qtbot
) -> None:
    controller = controller_of(window)
    with qtbot.waitSignal(controller.action_backup.triggered):
        controller.action_backup.trigger()
    finish(qtbot, controller.running)
    made = backup_list.list_backups(paths.default_backup_dir())
    assert len(made) == 1 and made[0].counts["compliment"] == 40
    qtbot.waitUntil(lambda: controller.label.text().startswith("Last good backup:"))
    assert controller.label.styleSheet() == ""


def test_status_text_warns_after_seven_days() -> None:
    now = datetime(2026, 11, 25, 12, 0).astimezone()
    info = backup_list.BackupInfo(Path("x.db"), "x", now - timedelta(days=9), 1)
    text, warning = status_text(info, now)
    assert warning and "none for 9 days" in text
    text, warning = status_text(
        backup_list.BackupInfo(Path("x.db"), "x", now - timedelta(days=1), 1), now)
    assert not warning and text == f"Last good backup: {now - timedelta(days=1):%d %b %Y %H:%M}"


def test_an_unusable_backup_folder_is_a_message(window: StandInWindow, db_path: Path,
                                                tmp_path: Path, qtbot) -> None:
    (tmp_path / "a-file").write_text("x")
    set_setting(db_path, settings.BACKUP_FOLDER, str(tmp_path / "a-file" / "backups"))
    before = db_path.read_bytes()
    finish(qtbot, controller_of(window).back_up_now())
    kind, title, text = window.dialogs.shown[-1]
    assert (kind, title) == ("error", "Backup failed") and "is a file, not a folder" in text
    assert db_path.read_bytes() == before


def test_restore_dialog_lists_backups_and_restoring_reopens(
    window: StandInWindow, db_path: Path, qtbot
) -> None:
    controller = controller_of(window)
    finish(qtbot, controller.back_up_now())
    fill(db_path, 5, prefix="LATER")
    dialog = RestoreDialog(window, paths.default_backup_dir(), "cases", window.dialogs)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells[2] == "40" and cells[3] == "manual" and cells[4] == "Verified when made"
    finish(qtbot, dialog.verify_selected())
    assert dialog.table.item(0, 4).text() == "Verified now"
    chosen = dialog.backups[0].path
    finish(qtbot, controller.restore_from(chosen))
    assert window.reopened == [db_path]
    assert soundness.check_database(db_path).counts["compliment"] == 40
    kind, title, text = window.dialogs.shown[-1]
    assert (kind, title) == ("info", "Restored") and "backed up to" in text
    with window.database.session() as session:  # the reopened database works
        assert session.connection().exec_driver_sql(
            "SELECT count(*) FROM compliment").scalar() == 40
    assert len(backup_list.list_backups(paths.default_backup_dir())) == 2  # + before restore


def test_a_damaged_database_is_offered_its_latest_good_backup(
    db_path: Path, qtbot
) -> None:
    fill(db_path, 3000)
    good = backup.backup_database(db_path).backup
    assert good is not None
    damage(db_path)
    window = StandInWindow(open_database(db_path), ScriptedDialogs(True))
    qtbot.addWidget(window)
    controller = install_backup_ui(window)
    finish(qtbot, controller.back_up_now())
    assert window.dialogs.shown[0][1] == "The database is damaged"
    finish(qtbot, controller.running)
    assert window.reopened == [db_path]
    assert soundness.check_database(db_path).counts["compliment"] == 3000
    close_and_wait(window, qtbot)


def test_backup_on_exit_starts_after_the_window_has_closed(window: StandInWindow,
                                                           qtbot) -> None:
    controller = controller_of(window)
    window.show()
    window.close()
    assert controller.exit_backup is None  # closing did no backup work itself
    assert not window.isVisible()
    qtbot.waitUntil(lambda: controller.exit_backup is not None)
    finish(qtbot, controller.exit_backup)
    made = backup_list.list_backups(paths.default_backup_dir())
    assert [info.reason for info in made] == ["on exit"]
    again = controller.exit_backup
    assert controller.back_up_on_exit() is again  # once per exit


def test_first_start_of_the_day_backs_up_once_and_only_if_changed(
    window: StandInWindow, qtbot
) -> None:
    controller = controller_of(window)
    finish(qtbot, controller.back_up_if_first_start_today())
    assert controller.last_result is not None and controller.last_result.backup is not None
    finish(qtbot, controller.back_up_if_first_start_today())
    assert controller.last_result is None  # one was already made today
    assert len(backup_list.list_backups(paths.default_backup_dir())) == 1


def test_a_damaged_backup_is_refused_and_the_database_stays(window: StandInWindow,
                                                            db_path: Path, qtbot) -> None:
    controller = controller_of(window)
    finish(qtbot, controller.back_up_now())
    chosen = backup_list.list_backups(paths.default_backup_dir())[0].path
    damage(chosen)
    dialog = RestoreDialog(window, chosen.parent, "cases", window.dialogs)
    qtbot.addWidget(dialog)
    finish(qtbot, dialog.verify_selected())
    assert dialog.table.item(0, 4).text() == "Damaged!"
    assert "changed since it was made" in dialog.table.item(0, 4).toolTip()
    before = db_path.read_bytes()
    finish(qtbot, controller.restore_from(chosen))
    kind, title, text = window.dialogs.shown[-1]
    assert (kind, title) == ("error", "Restore failed") and "Nothing was restored" in text
    assert window.reopened == [] and db_path.read_bytes() == before
    window.database.close()  # the restore let go of its hold on the lock too
    from cscdesk.store.lock import lock_path_for

    assert not lock_path_for(db_path).exists()
    window.database = open_database(db_path)


def test_a_database_that_cannot_be_opened_is_offered_its_latest_good_backup(
    db_path: Path,
) -> None:
    from cscdesk.errors import DatabaseError
    from cscdesk.ui.backup_ui import offer_restore_on_open_failure

    fill(db_path, 30)
    backup.backup_database(db_path)
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\x00" * 3996  # the first page's table of tables is gone
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as caught:
        open_database(db_path)
    dialogs = ScriptedDialogs(True)
    assert offer_restore_on_open_failure(db_path, str(caught.value), dialogs)
    assert dialogs.shown[0][1] == "The database cannot be opened"
    open_database(db_path).close()
    assert soundness.check_database(db_path).counts["compliment"] == 30
    assert not offer_restore_on_open_failure(db_path.with_name("other.db"), "gone", dialogs)


def test_a_tampered_backup_is_refused_with_a_sentence(window: StandInWindow, db_path: Path,
                                                      qtbot) -> None:
    from test_backup_trust import live_holds, tamper

    controller = controller_of(window)
    finish(qtbot, controller.back_up_now())
    chosen = backup_list.list_backups(paths.default_backup_dir())[0].path
    tamper(chosen)  # same size: the list still says "Verified when made"
    before = db_path.read_bytes()
    finish(qtbot, controller.restore_from(chosen))
    kind, title, text = window.dialogs.shown[-1]
    assert (kind, title) == ("error", "Restore failed")
    assert "has changed since it was made" in text and "Nothing was restored" in text
    assert window.reopened == [] and db_path.read_bytes() == before
    assert live_holds(db_path, "TAMPERED") == 0


@pytest.mark.parametrize("answer", [False, True])
def test_an_other_file_is_restored_only_after_saying_it_cannot_be_verified(
    window: StandInWindow, db_path: Path, tmp_path: Path, qtbot, answer: bool
) -> None:
    import shutil

    controller = controller_of(window)
    finish(qtbot, controller.back_up_now())
    made = backup_list.list_backups(paths.default_backup_dir())[0].path
    other = Path(shutil.copy(made, tmp_path / "from-the-old-pc.db"))
    fill(db_path, 5, prefix="LATER")
    window.dialogs.answers.extend([other, answer])
    dialog = RestoreDialog(window, made.parent, "cases", window.dialogs)
    qtbot.addWidget(dialog)
    dialog._choose_other()
    assert dialog.chosen == other
    task = controller.restore_from(dialog.chosen)
    _kind, _title, text = [shown for shown in window.dialogs.shown if shown[0] == "confirm"][-1]
    assert "cannot verify" in text and other.name in text
    if not answer:
        assert task is None and soundness.check_database(db_path).counts["compliment"] == 45
        return
    finish(qtbot, task)
    assert window.reopened == [db_path]
    assert soundness.check_database(db_path).counts["compliment"] == 40


def test_restoring_a_plain_backup_into_an_encrypted_database_keeps_it_encrypted(
    db_path: Path, tmp_path: Path, qtbot
) -> None:
    from cscdesk.store import cipher
    from cscdesk.store.encryption import change_encryption
    from test_encryption import PASSPHRASE

    class EncryptedStandIn(StandInWindow):
        def reopen_database(self, path: Path) -> None:
            self.reopened.append(path)
            old, self.database = self.database, open_database(path, passphrase=PASSPHRASE)
            old.close()

    fill(db_path, 40)
    usb = tmp_path / "usb"
    usb.mkdir()
    plain = backup.backup_database(db_path, usb).backup  # made before encrypting, elsewhere
    assert plain is not None
    change_encryption(db_path, None, PASSPHRASE)
    window = EncryptedStandIn(open_database(db_path, passphrase=PASSPHRASE), ScriptedDialogs())
    qtbot.addWidget(window)
    controller = install_backup_ui(window)
    finish(qtbot, controller.restore_from(plain.path))
    assert window.reopened == [db_path]
    assert cipher.looks_encrypted(db_path)
    assert soundness.check_database(db_path, passphrase=PASSPHRASE).counts["compliment"] == 40
    kind, title, text = window.dialogs.shown[-1]
    assert (kind, title) == ("info", "Restored")
    assert "encrypted with the database's current passphrase" in text
    close_and_wait(window, qtbot)
    assert b"Thanks from family" not in db_path.read_bytes()
    assert all(b"Thanks from family" not in p.read_bytes()
               for p in paths.default_backup_dir().glob("*.db"))


def test_verifying_an_unlisted_file_does_not_call_it_verified(window: StandInWindow,
                                                              qtbot) -> None:
    import shutil

    controller = controller_of(window)
    finish(qtbot, controller.back_up_now())
    folder = paths.default_backup_dir()
    made = backup_list.list_backups(folder)[0].path
    shutil.copy(made, folder / "cases-2020-01-01T120000.db")  # named like one, not listed
    dialog = RestoreDialog(window, folder, "cases", window.dialogs)
    qtbot.addWidget(dialog)
    row = next(i for i, info in enumerate(dialog.backups) if not info.listed)
    assert dialog.table.item(row, 4).text() == "Not in the backup list"
    dialog.table.selectRow(row)
    finish(qtbot, dialog.verify_selected())
    assert dialog.table.item(row, 4).text() == "Sound; cannot be verified"
