"""The small list of letter templates that fit a record: Up and Down pick one, Enter makes it,
Esc goes back. Each template's line says what the letter is for."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cscdesk.ui.accessible_names import labelled


class LetterChooser(QDialog):
    """`templates` are (key, title, what it says); `chosen` is the key after Enter/Make."""

    def __init__(self, parent: QWidget | None, templates: Sequence[tuple[str, str, str]],
                 which: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Letter for {which}")
        self.chosen: str | None = None
        self.list = QListWidget()
        for key, title, about in templates:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(about)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(self._describe)
        label = labelled("&Template:", self.list)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.about.setAccessibleName("About the template")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Make letter")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(self.about)
        layout.addWidget(buttons)
        line = self.list.fontMetrics().lineSpacing()
        self.list.setMinimumHeight((line + 6) * min(max(len(templates), 3), 8) + 8)
        self.list.setMinimumWidth(self.list.fontMetrics().horizontalAdvance("m" * 30))
        self._describe(self.list.currentItem())
        self.list.setFocus()

    def _describe(self, item: QListWidgetItem | None) -> None:
        text = item.toolTip() if item is not None else ""
        self.about.setText(text)
        self.list.setAccessibleDescription(text)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        super().accept()


def choose_letter(parent: QWidget | None, templates: Sequence[tuple[str, str, str]],
                  which: str) -> str | None:
    """The key of the template chosen; None when cancelled."""
    dialog = LetterChooser(parent, templates, which)
    try:
        dialog.exec()
        return dialog.chosen
    finally:
        dialog.deleteLater()
