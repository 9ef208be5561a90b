"""Where the window keeps its own state (geometry, the pane shown, the last workbook folder).

A module of its own so that the main window and the dialogs it opens both read it without
importing each other.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from cscdesk import paths

WINDOW_SETTINGS_FILE = "window.ini"


def window_settings() -> QSettings:
    """Per-user window state in the app's config folder (never the registry)."""
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / WINDOW_SETTINGS_FILE), QSettings.Format.IniFormat)
