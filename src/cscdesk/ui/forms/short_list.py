"""The small read-only lists a record's form shows beneath its fields (its actions, its
documents): one row per item, picked whole, never edited in place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QTreeWidget


def short_list(object_name: str, accessible_name: str, headings: Sequence[str]) -> QTreeWidget:
    """A flat list with `headings`, one row selected at a time, read only."""
    table = QTreeWidget()
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setColumnCount(len(headings))
    table.setHeaderLabels(list(headings))
    table.setRootIsDecorated(False)
    table.setUniformRowHeights(True)
    table.setAllColumnsShowFocus(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table
