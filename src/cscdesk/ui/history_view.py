"""A record's History: every change, field by field, from the audit trail."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget

from cscdesk.store import audit
from cscdesk.store.engine import Database
from cscdesk.ui.simple_table import SimpleTableModel

HEADERS = ("When (UTC)", "Who", "Action", "Field", "Was", "Now")


def history_rows(entries: list[audit.AuditEntry]) -> list[tuple[object, ...]]:
    """One row per changed field (an event without fields gets one row of its own)."""
    rows: list[tuple[object, ...]] = []
    for entry in entries:
        if not entry.changes:
            rows.append((entry.at, entry.user, entry.action, "", "", ""))
        for field, (old, new) in entry.changes.items():
            rows.append((entry.at, entry.user, entry.action, field, old, new))
    return rows


class HistoryView(QWidget):
    """Shows the history of one record; `load` reads it in a short session."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.model = SimpleTableModel(HEADERS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("History")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def load(self, kind: str, reference: str) -> None:
        with self._database.session() as session:
            entries = audit.history(session, kind, reference)
        self.model.set_rows(history_rows(entries))
        self.table.resizeColumnsToContents()
