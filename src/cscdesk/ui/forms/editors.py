"""One editor per field: the widget, how to read and fill it, and how it can be unreadable.

The dialog treats every field alike through `Editor`, so adding a field is one line in `layout.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from cscdesk.domain.kinds import STAGES
from cscdesk.domain.validation import MAX_NAME_LENGTH, MAX_REFERENCE_LENGTH
from cscdesk.ui.forms.choice_field import ChoiceField
from cscdesk.ui.forms.date_field import DateField
from cscdesk.ui.forms.parsing import ParseError, format_money, parse_money


class Editor:
    """A field's widget (`widget`, placed in the form) and its input (`input`, takes focus)."""

    widget: QWidget
    input: QWidget

    def get(self) -> Any:
        raise NotImplementedError

    def set(self, value: Any) -> None:
        raise NotImplementedError

    def error(self) -> str | None:
        """A sentence when the text cannot be read (a bad date, a bad amount), else None."""
        return None

    def snapshot(self) -> str:
        """The raw content, to tell whether the officer changed anything."""
        raise NotImplementedError

    def on_change(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError


class TextEditor(Editor):
    def __init__(self, max_length: int = MAX_NAME_LENGTH) -> None:
        self.widget = self.input = self.edit = QLineEdit()
        self.edit.setMaxLength(max_length + 20)  # longer text gets the domain's sentence

    def get(self) -> str:
        return self.edit.text()

    def set(self, value: str) -> None:
        self.edit.setText(value or "")

    def snapshot(self) -> str:
        return self.edit.text()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.edit.textChanged.connect(lambda *_: callback())


class ReferenceEditor(TextEditor):
    def __init__(self) -> None:
        super().__init__(MAX_REFERENCE_LENGTH)


class _LinesEdit(QPlainTextEdit):
    """A text box that asks for a few lines, not Qt's default of about ten: a form of several
    such boxes then fits a 1366 × 768 screen with messages showing (it scrolls beyond)."""

    def __init__(self, preferred_lines: int) -> None:
        super().__init__()
        self._preferred_lines = preferred_lines

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        line = self.fontMetrics().lineSpacing()
        return QSize(hint.width(), line * self._preferred_lines + 12)


class MultilineEditor(Editor):
    """Summary, learning and notes: several lines; Tab moves on rather than typing a tab."""

    def __init__(self, preferred_lines: int = 4) -> None:
        self.widget = self.input = self.edit = _LinesEdit(preferred_lines)
        self.edit.setTabChangesFocus(True)
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setMinimumHeight(line * 3 + 12)
        self.edit.setMaximumHeight(line * 6 + 12)

    def get(self) -> str:
        return self.edit.toPlainText()

    def set(self, value: str) -> None:
        self.edit.setPlainText(value or "")

    def snapshot(self) -> str:
        return self.edit.toPlainText()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.edit.textChanged.connect(lambda *_: callback())


class DateEditor(Editor):
    def __init__(self, label: str) -> None:
        self.widget = self.field = DateField(label)
        self.input = self.field.edit

    def get(self) -> date | None:
        return self.field.value()

    def set(self, value: date | None) -> None:
        self.field.set_value(value)

    def error(self) -> str | None:
        return self.field.error()

    def snapshot(self) -> str:
        return self.field.text().strip()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.field.changed.connect(lambda *_: callback())


class CheckEditor(Editor):
    """A yes/no fact (Extended, ADR): ticked is Yes; Space toggles it."""

    def __init__(self) -> None:
        self.widget = self.input = self.box = QCheckBox("Yes")

    def get(self) -> bool:
        return self.box.isChecked()

    def set(self, value: bool) -> None:
        self.box.setChecked(bool(value))

    def snapshot(self) -> str:
        return str(self.box.isChecked())

    def on_change(self, callback: Callable[[], None]) -> None:
        self.box.toggled.connect(lambda *_: callback())


class StageEditor(Editor):
    """Stage 1, 2 or 3: typing the digit picks it."""

    def __init__(self) -> None:
        self.widget = self.input = self.combo = QComboBox()
        self.combo.addItems([str(stage) for stage in STAGES])

    def get(self) -> int:
        return int(self.combo.currentText())

    def set(self, value: int | None) -> None:
        self.combo.setCurrentText(str(value or STAGES[0]))

    def snapshot(self) -> str:
        return self.combo.currentText()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.combo.currentIndexChanged.connect(lambda *_: callback())


class MoneyEditor(Editor):
    """An amount in pounds, such as the ADR saving."""

    def __init__(self, label: str) -> None:
        self._label = label
        self.widget = QWidget()
        self.input = self.edit = QLineEdit()
        self.edit.setPlaceholderText("0.00")
        pound = QLabel("£")
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pound)
        layout.addWidget(self.edit, 1)

    def get(self) -> Decimal | None:
        try:
            return parse_money(self.edit.text(), self._label)
        except ParseError:
            return None

    def set(self, value: Decimal | None) -> None:
        self.edit.setText(format_money(value))

    def error(self) -> str | None:
        try:
            parse_money(self.edit.text(), self._label)
        except ParseError as problem:
            return str(problem)
        return None

    def snapshot(self) -> str:
        return self.edit.text().strip()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.edit.textChanged.connect(lambda *_: callback())


class NameListEditor(Editor):
    """A team or root cause: pick from the list or type a new name (added when saved)."""

    def __init__(self, label: str, names: Sequence[str]) -> None:
        self.widget = self.input = self.choice = ChoiceField(label, names, open_list=True)

    def get(self) -> str:
        return self.choice.match() or self.choice.text()

    def set(self, value: str) -> None:
        self.choice.set_text(value or "")

    def snapshot(self) -> str:
        return self.choice.text()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.choice.changed.connect(lambda *_: callback())


class EnumEditor(Editor):
    """A value from a fixed vocabulary (Outcome, Source, Complainant type); blank is None."""

    def __init__(self, label: str, enum: type[StrEnum]) -> None:
        self._enum = enum
        items = [member.value for member in enum]
        self.widget = self.input = self.choice = ChoiceField(label, items, open_list=False)

    def get(self) -> StrEnum | None:
        found = self.choice.match()
        return None if found is None else self._enum(found)

    def set(self, value: StrEnum | None) -> None:
        self.choice.set_text("" if value is None else value.value)

    def error(self) -> str | None:
        return self.choice.error()

    def snapshot(self) -> str:
        return self.choice.text()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.choice.changed.connect(lambda *_: callback())
