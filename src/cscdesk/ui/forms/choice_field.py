"""A combo box with type-ahead, as a spreadsheet's AutoComplete: typing the start of a name
completes it in the box, the rest selected, so Tab or Enter takes it and typing on replaces it.

Two flavours: an open list (teams, root causes) accepts a new name, which the form adds to the
list when it saves; a closed list (outcome, source, complainant type) accepts only its items.
In both, a fragment from the middle of a name ("leav") stands for the only item containing it
once the officer leaves the box. A name that starts like an old one ("Foster" beside
"Fostering") is kept by deleting the completed part (Delete) before leaving.

The completion is written into the box rather than offered in a drop-down list of matches: on
X11 such a list opens in a window of its own, and when it opened a moment late the officer's
next keystrokes went back into this box instead of the next field. Alt+Down (or F4) still
drops down the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


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
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.setCompleter(completer)
        self.set_items(items)
        line_edit = self.lineEdit()
        assert line_edit is not None, "an editable combo box has its text box"
        line_edit.setPlaceholderText("Type to search or add" if open_list else "Type to search")
        line_edit.textChanged.connect(self.changed)
        line_edit.editingFinished.connect(self._tidy)

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
        self._show_start()

    def _show_start(self) -> None:
        """A name longer than the box shows its beginning, not its end."""
        line_edit = self.lineEdit()
        if line_edit is not None and not line_edit.hasFocus():
            line_edit.setCursorPosition(0)

    def match(self) -> str | None:
        """The item the text stands for: the same name in any case; or the only item
        containing the text, when no item starts with it (a start was offered in the box)."""
        text = self.text().casefold()
        if not text:
            return None
        for item in self.items():
            if item.casefold() == text:
                return item
        if any(item.casefold().startswith(text) for item in self.items()):
            return None
        containing = [item for item in self.items() if text in item.casefold()]
        return containing[0] if len(containing) == 1 else None

    def is_new(self) -> bool:
        """An open list's text that is not yet one of its items."""
        return self._open and bool(self.text()) and self.match() is None

    def error(self) -> str | None:
        if self._open or not self.text() or self.match() is not None:
            return None
        return f"{self._label}: choose one of {', '.join(self.items())}."

    def _tidy(self) -> None:
        """Once the officer leaves the box, show the item in its own spelling."""
        found = self.match()
        if found is not None and found != self.currentText():
            self.setEditText(found)
        self._show_start()
