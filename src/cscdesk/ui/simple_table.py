"""Read-only table models over short lists held in memory (history, bin, problems, teams).

Long record lists use the paged model in `record_table.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cscdesk.presentation import display_value

Index = QModelIndex | QPersistentModelIndex


class HeadedTableModel(QAbstractTableModel):
    """A flat table with fixed headings; subclasses say how many rows and what each cell shows."""

    HEADINGS: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADINGS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADINGS)):
            return self.HEADINGS[section]
        return None


class SimpleTableModel(HeadedTableModel):
    """Rows of plain values under the given headings; UserRole gives the raw value."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[object]] = ()) -> None:
        super().__init__()
        self.HEADINGS = tuple(headers)
        self._rows = [list(r) for r in rows]

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def row_values(self, row: int) -> list[object]:
        return self._rows[row]

    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return display_value(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None
