"""A combo box with type-ahead: typing any part of a name, in any case, offers the matches.

Two flavours: an open list (teams, root causes) accepts a new name, which the form adds to the
list when it saves; a closed list (outcome, source, complainant type) accepts only its items and
completes a typed fragment that matches exactly one of them.

In both, while the officer types, the item the fragment stands for (the only one containing it,
or the only one starting with it) is highlighted in the list of matches, and leaving the box
with Tab or Enter takes it, as a spreadsheet's AutoComplete does; Esc closes the list and keeps
what was typed (a new team whose name starts like an old one).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

_LEAVING_KEYS = frozenset({Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return,
                           Qt.Key.Key_Enter})


class _KeyReportingEdit(QLineEdit):
    """A line edit that says which key it has just handled (the text is up to date then)."""

    key_handled = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        self.key_handled.emit(event.key())


class ChoiceField(QComboBox):
    """An editable combo box over `items`; `value()` is the canonical item or the typed text.

    Signals:
        changed: the text changed.
    """

    changed = Signal()

    def __init__(
        self,
        label: str,
        items: Sequence[str],
        *,
        open_list: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._open = open_list
        self.setEditable(True)
        edit = _KeyReportingEdit(self)
        self.setLineEdit(edit)  # before the completer: the line edit owns it
        edit.key_handled.connect(self._after_key)
        self._suggested: tuple[str, str] | None = None  # (text typed, item it stands for)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.set_items(items)
        self.lineEdit().setPlaceholderText(
            "Type to search or add" if open_list else "Type to search"
        )
        self.lineEdit().textChanged.connect(self.changed)
        self.lineEdit().editingFinished.connect(self._tidy)

    def set_items(self, items: Sequence[str]) -> None:
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        entries = list(items) if self._open else ["", *items]
        self.addItems(entries)
        self._model.setStringList([item for item in entries if item])
        self.setEditText(text)
        self.blockSignals(False)

    def items(self) -> list[str]:
        return [self.itemText(i) for i in range(self.count()) if self.itemText(i)]

    def text(self) -> str:
        return self.currentText().strip()

    def set_text(self, text: str) -> None:
        if text and self._open and text not in self.items():
            self.addItem(text)  # a retired team still shows on the records that use it
            self._model.setStringList(self.items())
        self.setEditText(text)

    def match(self) -> str | None:
        """The item the text stands for: the same name in any case, or (closed lists) the only
        item containing the text."""
        text = self.text().casefold()
        if not text:
            return None
        for item in self.items():
            if item.casefold() == text:
                return item
        if not self._open:
            partial = [item for item in self.items() if text in item.casefold()]
            if len(partial) == 1:
                return partial[0]
        return None

    def is_new(self) -> bool:
        """An open list's text that is not yet one of its items."""
        return self._open and bool(self.text()) and self.match() is None

    def error(self) -> str | None:
        if self._open or not self.text() or self.match() is not None:
            return None
        return f"{self._label}: choose one of {', '.join(self.items())}."

    def suggestion(self) -> str | None:
        """The item a typed fragment stands for: the only one containing it, or else the only
        one starting with it."""
        text = self.text().casefold()
        if not text:
            return None
        containing = [item for item in self.items() if text in item.casefold()]
        if len(containing) == 1:
            return containing[0]
        starting = [item for item in containing if item.casefold().startswith(text)]
        return starting[0] if len(starting) == 1 else None

    def _after_key(self, key: int) -> None:
        if key == Qt.Key.Key_Escape:
            self._suggested = None  # the officer dismissed the list: keep what was typed
        elif key not in _LEAVING_KEYS:
            found = self.suggestion()
            self._suggested = (self.text(), found) if found else None
            self._highlight(found)

    def _highlight(self, item: str | None) -> None:
        """Mark `item` in the open list of matches without putting it in the box yet (typing
        on must add to what was typed, not to the item)."""
        completer = self.completer()
        if item is None or completer is None or not completer.popup().isVisible():
            return
        matches = completer.completionModel()
        for row in range(matches.rowCount()):
            index = matches.index(row, 0)
            if index.data() == item:
                selection = completer.popup().selectionModel()
                selection.blockSignals(True)  # the completer would copy it into the box
                selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                selection.blockSignals(False)
                completer.popup().viewport().update()
                return

    def _tidy(self) -> None:
        """Once the officer leaves the box, take the highlighted item, or show the typed item
        in its own spelling."""
        found = self.match()
        if found is None and self._suggested is not None and self._suggested[0] == self.text():
            found = self._suggested[1]
        self._suggested = None
        if found is not None and found != self.currentText():
            self.setEditText(found)
