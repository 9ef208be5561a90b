"""The About dialog: the version, where this PC keeps cscdesk's files, and the font licence.

IT staff open it to find the database, the backups and the logs on an officer's PC, so every
path is selectable, and "Copy details" puts the same text on the clipboard for a support call.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cscdesk import __version__, paths
from cscdesk.logs import log_file
from cscdesk.store.location import ServerURL

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
FONT_LICENCE_FILE = "fonts/DejaVu-LICENSE.txt"
FONT_LICENCE_SUMMARY = (
    "Reports are set in the DejaVu fonts, shipped with cscdesk under the Bitstream Vera and "
    "DejaVu licence, which allows them to be used and redistributed freely."
)


def app_icon() -> QIcon:
    """The cscdesk icon in every size shipped in resources/icons."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(paths.resource_path(f"icons/cscdesk-{size}.png")))
    return icon


def program_folder() -> Path:
    """Where the running program is installed: the bundle folder, or the package's folder."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Locations:
    """Every place cscdesk reads or writes for the database it has open: a file on this PC,
    or a server database (then its server, database and the login used, and no file)."""

    database: Path | ServerURL
    backups: Path
    logs: Path
    window_settings: Path
    program: Path

    def rows(self) -> list[tuple[str, str]]:
        if isinstance(self.database, ServerURL):
            from cscdesk.store.server_password import login_of

            where = [("Server", self.database.host), ("Database", self.database.database),
                     ("Signed in as", login_of(self.database)),
                     ("Connection", self.database.url)]
        else:
            where = [("Database", str(self.database))]
        return [
            *where,
            ("Backups", str(self.backups)),
            ("Log file", str(self.logs)),
            ("Window settings", str(self.window_settings)),
            ("Program", str(self.program)),
        ]


def locations_for(database: Path | ServerURL) -> Locations:
    """The backups folder is the one set in the database's settings, else the default (a
    server's archives go to this PC's backup folder unless `cscdesk backup --to` says)."""
    from cscdesk.store.backup_folder import backup_folder_for

    if isinstance(database, ServerURL):
        from cscdesk.store.server_backup import server_backup_folder

        where: Path | ServerURL = database
        backups = server_backup_folder()
    else:
        where, backups = Path(database).resolve(), backup_folder_for(Path(database))
    return Locations(
        database=where,
        backups=backups,
        logs=log_file(),
        window_settings=paths.config_dir(),
        program=program_folder(),
    )


def font_licence_text() -> str:
    try:
        return paths.resource_path(FONT_LICENCE_FILE).read_text(encoding="utf-8")
    except OSError:
        return FONT_LICENCE_SUMMARY


class AboutDialog(QDialog):
    """Version, data locations and licences; nothing here changes any data."""

    def __init__(self, database_path: Path | ServerURL, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About cscdesk")
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(560)
        self.locations = locations_for(database_path)
        self.path_labels: dict[str, QLabel] = {}

        layout = QVBoxLayout(self)
        layout.addLayout(self._heading())
        layout.addSpacing(6)
        layout.addLayout(self._locations_form())
        layout.addSpacing(6)

        licence = QLabel(FONT_LICENCE_SUMMARY)
        licence.setWordWrap(True)
        layout.addWidget(licence)
        self.licence_text = QPlainTextEdit(font_licence_text())
        self.licence_text.setReadOnly(True)
        self.licence_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.licence_text.setAccessibleName("Font licence")
        self.licence_text.setVisible(False)
        self.licence_text.setMinimumHeight(180)
        layout.addWidget(self.licence_text)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # A plain button that says what it does (a checkable one is announced as a check box).
        self.licence_button = QPushButton("Show font &licence")
        self.licence_button.clicked.connect(self.toggle_licence)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.licence_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def toggle_licence(self) -> None:
        shown = self.licence_text.isHidden()
        self.licence_text.setVisible(shown)
        self.licence_button.setText("Hide font &licence" if shown else "Show font &licence")

    def _heading(self) -> QHBoxLayout:
        row = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(QPixmap(str(paths.resource_path("icons/cscdesk-64.png"))))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(
            f"<b>cscdesk {__version__}</b><br>"
            "Complaints, representations and the annual report for Children's Social Care."
        )
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(title, 1)
        return row

    def _locations_form(self) -> QFormLayout:
        form = QFormLayout()
        for label, text in self.locations.rows():
            value = QLabel(text)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", value)
            self.path_labels[label] = value
        return form

    def details(self) -> str:
        """Plain text for a support call: version, platform and every location."""
        lines = [
            f"cscdesk {__version__}",
            f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
            f"System: {platform.platform()}",
        ]
        lines += [f"{label}: {path}" for label, path in self.locations.rows()]
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())


def show_about(parent: QWidget | None, database_path: Path | ServerURL) -> None:
    """Show the About dialog for the open database and wait until it is closed."""
    AboutDialog(database_path, parent).exec()
