"""The "Actions" part of a complaint's or dispute resolution case's form: the case's actions in a
small table, with "Add action…". Enter or a double-click opens the action picked.

It only shows and asks; the dialog (`dialog.py`) opens the action forms and reloads the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
)

from cscdesk.domain.kinds import ActionData
from cscdesk.ui.forms.short_list import short_list

HEADINGS = ("Reference", "Kind", "What", "Due", "Done", "Status")
ADD_SHORTCUT = "Ctrl+Shift+N"
ADD_MNEMONIC = "a"  # "&Add action…": no field label of these forms takes it
VISIBLE_ROWS = 5


def action_status(action: ActionData, today: date) -> str:
    """As the Actions list says it: Done once it has a done date, Overdue after its due date."""
    if action.done is not None:
        return "Done"
    if action.due is not None and action.due < today:
        return "Overdue"
    return "Open"


class ActionsPanel(QGroupBox):
    """Signals: `add_requested()`; `open_requested(reference)`."""

    add_requested = Signal()
    open_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__("Actions")
        self.table = short_list("case_actions", "Actions", HEADINGS)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.header().setStretchLastSection(False)
        line = self.table.fontMetrics().lineSpacing()
        self.table.setFixedHeight(self.table.header().sizeHint().height()
                                  + (line + 6) * VISIBLE_ROWS + 4)
        self.table.itemDoubleClicked.connect(self._open_item)
        self.table.installEventFilter(self)
        self.empty = QLabel("No actions yet.")
        self.add_button = QPushButton(f"&{ADD_MNEMONIC.upper()}dd action…")
        self.add_button.setToolTip(f"A new action of this case ({ADD_SHORTCUT})")
        self.add_button.setAutoDefault(False)  # Enter on it adds; it never becomes the default
        self.add_button.clicked.connect(self.add_requested)
        row = QHBoxLayout()
        row.addWidget(self.empty, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)

    def show_actions(self, actions: Sequence[ActionData], today: date) -> None:
        """Fill the table, keeping the row picked when it is still there."""
        current = self.current_reference()
        self.table.clear()
        for action in actions:
            item = QTreeWidgetItem([
                action.reference,
                action.action_kind.value if action.action_kind else "",
                " ".join(action.what.split()),
                f"{action.due:%d/%m/%Y}" if action.due else "",
                f"{action.done:%d/%m/%Y}" if action.done else "",
                action_status(action, today),
            ])
            item.setToolTip(2, action.what)
            self.table.addTopLevelItem(item)
            if action.reference == current:
                self.table.setCurrentItem(item)
        first = self.table.topLevelItem(0)
        if self.table.currentItem() is None and first is not None:
            self.table.setCurrentItem(first)
        count = len(actions)
        self.empty.setText("No actions yet." if not count else
                           "1 action." if count == 1 else f"{count} actions.")
        self.table.setAccessibleDescription(self.empty.text())

    def references(self) -> list[str]:
        items = (self.table.topLevelItem(row) for row in range(self.table.topLevelItemCount()))
        return [item.text(0) for item in items if item is not None]

    def current_reference(self) -> str | None:
        item = self.table.currentItem()
        return item.text(0) if item is not None else None

    def _open_item(self, item: QTreeWidgetItem) -> None:
        self.open_requested.emit(item.text(0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter opens the action picked (and never reaches the form's Save)."""
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            reference = self.current_reference()
            if reference is not None:
                self.open_requested.emit(reference)
            return True
        return super().eventFilter(watched, event)
