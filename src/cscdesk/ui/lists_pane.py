"""Teams and root causes: add, rename (everywhere), retire or restore, delete when unused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cscdesk.errors import UserFacingError
from cscdesk.store import listing, lists
from cscdesk.store.engine import Database
from cscdesk.store.listing import ListEntry
from cscdesk.store.models import RootCause, Team
from cscdesk.store.shared_values import SharedValueChanged
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.forms.conflict import KEEP_MINE, ConflictRow
from cscdesk.ui.permissions import CHANGE_LISTS, gate
from cscdesk.ui.simple_table import HeadedTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class EntryTableModel(HeadedTableModel):
    """Entries of one list with their usage; the name is edited in place (F2) to rename.

    Signals:
        rename_requested(entry_id, new_name): the officer edited a name.
    """

    rename_requested = Signal(int, str)
    HEADINGS = ("Name", "Records", "In pick lists")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[ListEntry] = []

    def set_entries(self, entries: list[ListEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (entry.name, f"{entry.used:,}",
                    "Retired" if entry.retired else "Yes")[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 0 else flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.EditRole:
            return False
        entry = self.entries[index.row()]
        if str(value).strip() and str(value).strip() != entry.name:
            self.rename_requested.emit(entry.id, str(value))
        return False  # the pane reloads from the database after the rename


class ListsPane(QWidget):
    """One shared pick list (teams or root causes).

    Signals:
        changed(): the list was changed.
    """

    changed = Signal()

    def __init__(self, database: Database, dialogs: UserDialogs,
                 model_class: type[Team] | type[RootCause], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.database = database
        self.dialogs = dialogs
        self.list_model = model_class
        self.noun = "team" if model_class is Team else "root cause"
        self.model = EntryTableModel(self)
        # Queued: the rename reloads the list, which must wait until the editor has closed.
        self.model.rename_requested.connect(self.rename, Qt.ConnectionType.QueuedConnection)

        self.new_name = QLineEdit()
        self.new_name.returnPressed.connect(self.add)
        new_label = labelled(f"&New {self.noun}:", self.new_name)
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(self.add)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Teams" if model_class is Team else "Root causes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.rename_button = QPushButton("Re&name (F2)")
        self.rename_button.clicked.connect(self._edit_current)
        self.retire_button = QPushButton("&Retire / restore")
        self.retire_button.clicked.connect(self.toggle_retired)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.clicked.connect(self.delete)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")

        add_row = QHBoxLayout()
        add_row.addWidget(new_label)
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        buttons = QHBoxLayout()
        for button in (self.rename_button, self.retire_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(add_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        if not gate(database.capabilities, CHANGE_LISTS,
                    (self.new_name, self.add_button, self.rename_button, self.retire_button,
                     self.delete_button)):
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def refresh(self) -> None:
        chosen = self.current_id()
        with self.database.session() as session:
            entries = listing.list_entries(session, self.list_model)
        self.model.set_entries(entries)
        self.select(chosen)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.entries[index.row()].id if index.isValid() else None

    def select(self, entry_id: int | None) -> None:
        for row, entry in enumerate(self.model.entries):
            if entry.id == entry_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return

    def _change(self, work: Callable[[Session], object], message: str,
                again: Callable[[], object] | None = None) -> bool:
        """Do `work` in one transaction. Changed on another PC since it was shown: theirs
        beside mine; keep mine does `again` (without the check), take theirs shows theirs."""
        try:
            with self.database.transaction() as session:
                work(session)
        except SharedValueChanged as changed:
            choice = self.dialogs.resolve_conflict(
                self, str(changed), [ConflictRow(c.label, c.mine, c.theirs)
                                     for c in changed.conflicts], deleted=False)
            self.refresh()  # theirs, shown
            if choice == KEEP_MINE and again is not None:
                again()
            return False
        except UserFacingError as error:
            self.dialogs.warn(self, "Cannot change the list", str(error))
            return False
        self.message.setText(message)
        self.refresh()
        self.changed.emit()
        return True

    def add(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            self.new_name.setFocus()
            return
        with self.database.session() as session:
            existing = lists.find_by_name(session, self.list_model, name)
        if existing is not None:
            self.dialogs.warn(self, "Cannot change the list",
                              f"“{existing.name}” is already in the list.")
            return
        if self._change(lambda s: lists.get_or_add(s, self.list_model, name), f"Added “{name}”."):
            self.new_name.clear()
            with self.database.session() as session:
                added = lists.find_by_name(session, self.list_model, name)
            self.select(added.id if added else None)

    def _shown(self, entry_id: int) -> ListEntry | None:
        return next((entry for entry in self.model.entries if entry.id == entry_id), None)

    def rename(self, entry_id: int, new_name: str, *, checked: bool = True) -> None:
        shown = self._shown(entry_id)
        name = shown.name if shown is not None and checked else None
        self._change(lambda s: lists.rename(s, self.list_model, entry_id, new_name, name),
                     f"Renamed to “{new_name.strip()}” on every record.",
                     lambda: self.rename(entry_id, new_name, checked=False))

    def _edit_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.table.edit(self.model.index(index.row(), 0))

    def toggle_retired(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        entry = self.model.entries[index.row()]
        verb = "Restored" if entry.retired else "Retired"
        self._change(lambda s: lists.set_retired(s, self.list_model, entry.id, not entry.retired,
                                                 entry.retired),
                     f"{verb} “{entry.name}”.")

    def delete(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        entry = self.model.entries[index.row()]
        if entry.used:
            self.dialogs.warn(
                self, "Cannot delete",
                f"“{entry.name}” is used by {entry.used:,} record{'s' if entry.used != 1 else ''}"
                " and cannot be deleted; retire it to hide it from the pick lists.")
            return
        if not self.dialogs.confirm(self, "Delete", f"Delete “{entry.name}”?"):
            return
        self._change(lambda s: lists.delete(s, self.list_model, entry.id, entry.name),
                     f"Deleted “{entry.name}”.")
