"""The About dialog names the version and where this PC keeps the database, backups and logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication

from cscdesk import __version__, settings
from cscdesk.ui.about import ICON_SIZES, AboutDialog, app_icon


@pytest.fixture
def dialog(database, qtbot) -> AboutDialog:
    about = AboutDialog(database.path)
    qtbot.addWidget(about)
    return about


def test_shows_the_version_and_the_default_locations(dialog, database, cscdesk_home: Path):
    labels = {name: label.text() for name, label in dialog.path_labels.items()}
    assert labels["Database"] == str(database.path.resolve())
    assert labels["Backups"] == str(cscdesk_home / "data" / "backups")
    assert labels["Log file"] == str(cscdesk_home / "logs" / "cscdesk.log")
    assert labels["Window settings"] == str(cscdesk_home / "config")
    assert f"cscdesk {__version__}" in dialog.details()


def test_backups_follow_the_folder_chosen_in_settings(database, qtbot, tmp_path: Path):
    chosen = tmp_path / "backup drive" / "cscdesk"
    with database.transaction() as session:
        settings.put(session, settings.BACKUP_FOLDER, str(chosen))
    about = AboutDialog(database.path)
    qtbot.addWidget(about)
    assert about.path_labels["Backups"].text() == str(chosen)


def test_copy_details_puts_every_location_on_the_clipboard(dialog, database, qtbot):
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.details()
    assert f"Database: {database.path.resolve()}" in copied
    assert "Backups: " in copied and "Log file: " in copied


def test_font_licence_is_shown_on_request(dialog, qtbot):
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.licence_text.isVisible()
    qtbot.mouseClick(dialog.licence_button, Qt.MouseButton.LeftButton)
    assert dialog.licence_text.isVisible()
    assert "Bitstream Vera" in dialog.licence_text.toPlainText()


def test_close_button_closes(dialog, qtbot):
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_app_icon_has_every_size(qapp):
    sizes = app_icon().availableSizes()
    assert {QSize(size, size) for size in ICON_SIZES} <= set(sizes)
