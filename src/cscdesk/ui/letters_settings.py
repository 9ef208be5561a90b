"""Settings › Letters: the letter templates in use, and the merge fields they may hold.

Each template is the default shipped with cscdesk or the council's own Word file. "Open in
Word…" opens a temporary copy (`temp_copies`); "Replace with my file…" checks the chosen file
first and refuses a broken one with the sentences naming each problem; "Reset to the default"
goes back to the shipped file. Replacing and resetting are settings: on a server, only a
login that may change settings can use them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cscdesk.errors import InputError
from cscdesk.letters import FIELDS, TEMPLATES, Template, replace_template, reset_template
from cscdesk.letters.templates import template_by_key, template_data
from cscdesk.store import letter_templates
from cscdesk.store.documents import check_size
from cscdesk.store.engine import Database
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.permissions import CHANGE_SETTINGS, gate
from cscdesk.ui.temp_copies import write_temp_copy

WORD_FILES = "Word documents (*.docx)"
OpenPath = Callable[[Path], bool]


def open_with_system(path: Path) -> bool:
    """Open `path` in the program the system uses for it (Word for a .docx)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class LettersSettings(QWidget):
    """Signals:
        changed(): a template was replaced or reset.
    """

    changed = Signal()

    def __init__(self, database: Database, dialogs: UserDialogs,
                 parent: QWidget | None = None, open_path: OpenPath = open_with_system
                 ) -> None:
        super().__init__(parent)
        self.database = database
        self.dialogs = dialogs
        self.open_path = open_path
        self._own: dict[str, str] = {}  # key -> the council's file name

        self.template_list = QListWidget()
        templates_label = labelled("&Templates:", self.template_list)
        self.template_list.currentRowChanged.connect(self._show_current)
        self.open_button = QPushButton("&Open in Word…")
        self.replace_button = QPushButton("Re&place with my file…")
        self.reset_button = QPushButton("Reset to the &default")
        self.open_button.clicked.connect(self.open_in_word)
        self.replace_button.clicked.connect(self.replace)
        self.reset_button.clicked.connect(self.reset)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setAccessibleName("About the template")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Letters message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for button in (self.open_button, self.replace_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(templates_label)
        left.addWidget(self.template_list, 1)
        left.addWidget(self.about)
        left.addLayout(buttons)
        left.addWidget(self.message)

        self.fields_table = self._fields_table()
        fields_label = labelled("&Merge fields (type them in a template as {{ name }}):",
                                self.fields_table)
        right = QVBoxLayout()
        right.addWidget(fields_label)
        right.addWidget(self.fields_table, 1)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._may_change = gate(database.capabilities, CHANGE_SETTINGS,
                                (self.replace_button, self.reset_button))

    @staticmethod
    def _fields_table() -> QTableWidget:
        table = QTableWidget(len(FIELDS), 3)
        table.setHorizontalHeaderLabels(["Field", "Meaning", "Example"])
        for row, field in enumerate(FIELDS):
            for column, text in enumerate((f"{{{{ {field.name} }}}}", field.meaning,
                                           field.example)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.setWordWrap(True)
        return table

    def refresh(self) -> None:
        """Read which templates are the council's own files."""
        with self.database.session() as session:
            self._own = letter_templates.replaced_keys(session)
        row = max(self.template_list.currentRow(), 0)
        self.template_list.clear()
        for template in TEMPLATES:
            own = self._own.get(template.key)
            shown = f"{template.title} — your file “{own}”" if own else (
                f"{template.title} — the default")
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, template.key)
            self.template_list.addItem(item)
        self.template_list.setCurrentRow(row)

    def current(self) -> Template | None:
        item = self.template_list.currentItem()
        return None if item is None else template_by_key(item.data(Qt.ItemDataRole.UserRole))

    def select(self, key: str) -> None:
        for row in range(self.template_list.count()):
            if self.template_list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.template_list.setCurrentRow(row)

    def _show_current(self) -> None:
        template = self.current()
        own = template is not None and template.key in self._own
        self.about.setText("" if template is None else template.about)
        self.reset_button.setEnabled(self._may_change and own)

    def open_in_word(self) -> None:
        """A temporary copy of the template in use, opened in Word: changes to it are not
        kept until the file is saved elsewhere and chosen with "Replace with my file…"."""
        template = self.current()
        if template is None:
            return
        with self.database.session() as session:
            data = template_data(session, template.key)
        path = write_temp_copy(f"{template.title}.docx", data)
        if not self.open_path(path):
            self.dialogs.warn(self, "Open in Word",
                              f"The {template.title} template could not be opened: this PC "
                              f"has no program for Word documents. A copy is at {path}.")
            return
        self.message.setText(
            f"The {template.title} template is open in a temporary copy. To use your changes, "
            "save it in your own folder, then choose “Replace with my file…”.")

    def replace(self) -> None:
        template = self.current()
        if template is None:
            return
        title = f"Replace the {template.title} template"
        path = self.dialogs.open_file(self, title, Path.home(), WORD_FILES)
        if path is None:
            return
        try:
            check_size(path.name, path.stat().st_size)
            data = path.read_bytes()
            with self.database.transaction() as session:
                replace_template(session, template.key, path.name, data)
        except InputError as refused:
            self.dialogs.warn(self, title, str(refused))
            return
        except OSError as error:
            self.dialogs.warn(self, title, f"“{path.name}” could not be read: "
                              f"{error.strerror or error}.")
            return
        self._after_change(template, f"The {template.title} letter now uses your file "
                                     f"“{path.name}”.")

    def reset(self) -> None:
        template = self.current()
        if template is None or template.key not in self._own:
            return
        title = "Reset to the default"
        if not self.dialogs.confirm(
                self, title, f"Use cscdesk's default {template.title} template again? Your "
                f"file “{self._own[template.key]}” will no longer be used, and is not kept."):
            return
        with self.database.transaction() as session:
            reset_template(session, template.key)
        self._after_change(template, f"The {template.title} letter uses the default again.")

    def _after_change(self, template: Template, message: str) -> None:
        self.refresh()
        self.select(template.key)
        self.message.setText(message)
        self.changed.emit()
