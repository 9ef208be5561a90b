"""A read-only table model over a short list of rows, for small lists (history, bin, problems).

Long record lists use the paged model in `record_table.py`; this one holds its rows in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cscdesk.presentation import display_value

Index = QModelIndex | QPersistentModelIndex


class SimpleTableModel(QAbstractTableModel):
    """Rows of plain values under fixed headers; the sort role gives the raw value."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[object]] = ()) -> None:
        super().__init__()
        self._headers = list(headers)
        self._rows = [list(r) for r in rows]

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def row_values(self, row: int) -> list[object]:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return display_value(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
