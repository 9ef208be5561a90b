""""Escalated from": as the officer types, the complaints of the stage before that match
(by reference, complainant or team) are listed under the box; the box keeps the reference.

Down and Up pick a complaint, Enter or Tab takes it (Enter then moves on, as everywhere in the
form), Esc hides the list, and a click takes a row. Until a row is picked the box keeps what
was typed, so a reference typed in full is kept as it is, and one that does not exist gets
the form's usual sentence.

The list is a plain child of the form laid over the fields below the box, not a window of its
own: the keyboard never leaves the box, so fast typing cannot be taken by a list that opens a
moment late (as a drop-down did on X11; see `choice_field.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from cscdesk.store.suggestions import EarlierComplaint

VISIBLE_ROWS = 8
HEADINGS = ("Reference", "Complainant", "Team")


class EarlierStagePicker(QObject):
    """Lists the matches of `search(stage, text)` under `edit` while the officer types;
    `stage()` is the stage to list (None: nothing to offer, as at Stage 1)."""

    def __init__(
        self,
        edit: QLineEdit,
        overlay_parent: QWidget,
        stage: Callable[[], int | None],
        search: Callable[[int, str], Sequence[EarlierComplaint]],
    ) -> None:
        super().__init__(edit)
        self.edit = edit
        self._stage = stage
        self._search = search
        self.list = QTreeWidget(overlay_parent)
        self.list.setObjectName("earlier_stage_matches")
        self.list.setAccessibleName("Complaints of the stage before")
        self.list.setColumnCount(len(HEADINGS))
        self.list.setHeaderLabels(list(HEADINGS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the box
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.header().setStretchLastSection(True)
        self.list.setFrameShape(QTreeWidget.Shape.Box)
        self.list.hide()
        self.list.itemClicked.connect(self._clicked)
        edit.textEdited.connect(self._typed)
        edit.installEventFilter(self)

    # ----- what is shown ---------------------------------------------------------------------

    def matches(self) -> list[str]:
        """The references listed now (none while the list is hidden)."""
        if not self.list.isVisible():
            return []
        items = (self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount()))
        return [item.text(0) for item in items if item is not None]

    def picked(self) -> str | None:
        item = self.list.currentItem()
        return item.text(0) if item is not None and self.list.isVisible() else None

    def hide(self) -> None:
        self.list.hide()
        self.list.clear()

    def _typed(self, text: str) -> None:
        stage = self._stage()
        if stage is None or not text.strip() or not self.edit.hasFocus():
            self.hide()
            return
        found = self._search(stage, text)
        if not found:
            self.hide()
            return
        self.list.clear()
        for match in found:
            item = QTreeWidgetItem([match.reference, match.complainant, match.team])
            item.setToolTip(0, f"Stage {stage}, received {match.received:%d/%m/%Y}")
            self.list.addTopLevelItem(item)
        self.list.setCurrentIndex(QModelIndex())  # none picked until Down or Up
        self.list.clearSelection()
        self._place(len(found))

    def _place(self, rows: int) -> None:
        """Under the box, as wide as the form allows, at most `VISIBLE_ROWS` rows high."""
        parent = self.list.parentWidget()
        assert parent is not None, "the list lies over the form"
        corner = self.edit.mapTo(parent, QPoint(0, self.edit.height()))
        row_height = self.list.sizeHintForRow(0) if rows else self.edit.height()
        header = self.list.header().sizeHint().height()
        height = header + row_height * min(rows, VISIBLE_ROWS) + 2 * self.list.frameWidth() + 2
        width = max(self.edit.width(), min(parent.width() - corner.x() - 8,
                                           self.edit.width() * 2))
        height = min(height, max(parent.height() - corner.y() - 4, row_height * 2))
        self.list.setGeometry(corner.x(), corner.y(), width, height)
        self.list.show()
        self.list.raise_()

    # ----- the keyboard ------------------------------------------------------------------------

    def _move(self, step: int) -> None:
        count = self.list.topLevelItemCount()
        current = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(current) if current is not None else -1
        start = 0 if step > 0 else count - 1  # the first press picks the first (or last) row
        row = start if row < 0 else max(0, min(count - 1, row + step))
        item = self.list.topLevelItem(row)
        if item is not None:  # the list is shown only with matches in it
            self.list.setCurrentItem(item)

    def take(self) -> None:
        """Put the picked complaint's reference in the box (the form sees the text change)."""
        reference = self.picked()
        self.hide()
        if reference is not None and reference != self.edit.text():
            self.edit.setText(reference)

    def _clicked(self, item: QTreeWidgetItem) -> None:
        self.list.setCurrentItem(item)
        self.take()
        self.edit.setFocus(Qt.FocusReason.MouseFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.edit or not self.list.isVisible():
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(VISIBLE_ROWS if key == Qt.Key.Key_PageDown else -VISIBLE_ROWS)
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()  # Esc hides the list; the form stays open
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                       Qt.Key.Key_Backtab):
                self.take()
                return False  # and the key does what it always does (move on)
        elif event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                event.accept()  # Esc is the list's, not the dialog's Cancel
                return True
        elif event.type() == QEvent.Type.FocusOut:
            self.hide()
        return False
