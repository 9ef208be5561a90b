"""Bugs leave a crash file and a dialog; a database that cannot be opened is one sentence."""

from __future__ import annotations

import sys
import threading

from cscdesk.ui import crash
from cscdesk.ui.app import run_app
from cscdesk.ui.dialog_service import ScriptedDialogs


def raise_and_catch() -> tuple:
    try:
        {}["missing"]
    except KeyError:
        return sys.exc_info()
    raise AssertionError("not reached")


def test_the_hook_writes_a_crash_file_with_the_traceback(cscdesk_home, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.install_excepthook()
    assert sys.excepthook is crash.handle_exception
    # From a worker thread no dialog is shown (widgets belong to the GUI thread).
    worker = threading.Thread(target=lambda: {}["missing"])
    worker.start()
    worker.join()
    reports = list((cscdesk_home / "logs").glob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "KeyError" in text and "Traceback" in text and "cscdesk" in text
    assert "'missing'" not in text  # a value, never written to the log folder


def test_the_crash_dialog_shows_the_details(qtbot, cscdesk_home):
    text = crash.crash_text(*raise_and_catch())
    path = crash.write_crash_file(text)
    dialog = crash.CrashDialog(text, path)
    qtbot.addWidget(dialog)
    assert "KeyError" in dialog.details.toPlainText()
    assert path is not None and path.read_text(encoding="utf-8") == text


def test_a_file_that_is_not_a_database_is_a_sentence_and_exit_1(qapp, tmp_path, capsys,
                                                                  monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list", encoding="utf-8")
    dialogs = ScriptedDialogs()
    assert run_app(not_a_database, dialogs=dialogs) == 1
    kind, _title, text = dialogs.shown[0]
    assert kind == "error" and "is not a cscdesk database" in text
    assert "Traceback" not in capsys.readouterr().err


def test_a_damaged_database_at_start_is_restored_from_its_backup_and_opened(
        qapp, db_path, monkeypatch):
    from cscdesk.store import backup, soundness
    from cscdesk.store.engine import open_database
    from cscdesk.ui.app import EXIT_AFTER_FIRST_PAINT

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    open_database(db_path).close()
    backup.backup_database(db_path)
    damaged = bytearray(db_path.read_bytes())
    damaged[100:4096] = b"\x00" * 3996
    db_path.write_bytes(bytes(damaged))
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAINT, "1")
    dialogs = ScriptedDialogs(True)
    assert run_app(db_path, dialogs=dialogs) == 0
    assert [kind for kind, _title, _text in dialogs.shown][:2] == ["confirm", "info"]
    assert soundness.check_database(db_path).revision


def test_objects_alive_at_start_are_left_out_of_later_collections():
    import gc

    from cscdesk.ui.app import freeze_startup_objects

    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
