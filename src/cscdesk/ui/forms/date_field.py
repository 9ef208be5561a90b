"""A date box that may be empty: typed as dd/mm/yyyy or picked from a calendar.

QDateEdit cannot be empty, and many dates of a case (Responded, Closed) are empty for weeks, so
this is a line edit that reads day-first dates, with a calendar button (Alt+Down or F4 from the
keyboard). The text is kept as typed until the officer leaves the box, then tidied. As in a
spreadsheet, Ctrl+; puts today's date in the box (`t` typed alone means today too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cscdesk.ui.accessible_names import name_calendar
from cscdesk.ui.forms.parsing import DATE_FORMAT_HINT, ParseError, format_date, parse_date


class _CalendarPopup(QFrame):
    """The calendar shown under a date box; Enter or a click picks, Esc closes."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget, label: str) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        name_calendar(self.calendar, f"{label} calendar")  # e.g. "Received calendar"
        self.calendar.setGridVisible(False)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)

    def _pick(self, day: QDate) -> None:
        self.picked.emit(day)
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """An optional date: `value()` is the date or None; `error()` says why text is unreadable.

    `today` is asked for the date whenever one is needed (tests pass a fixed day), so a box left
    open overnight does not keep yesterday.

    Signals:
        changed: the text changed (typed, picked, set or Ctrl+;).
    """

    changed = Signal()

    def __init__(
        self,
        label: str,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._today = today
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(DATE_FORMAT_HINT)
        self.edit.setToolTip(
            f"Type the date as {DATE_FORMAT_HINT} (or 1/12, 23 Nov 2026); Ctrl+; or t for today;"
            " Alt+Down for a calendar."
        )
        self.edit.setMaxLength(24)  # room for "23 September 2026" with spaces around
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip(f"Pick {label} from a calendar (Alt+Down)")
        self.button.setAccessibleName(f"Pick {label} from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._tidy)
        self.button.clicked.connect(self.show_calendar)
        self.edit.installEventFilter(self)
        self._popup: _CalendarPopup | None = None

    def value(self) -> date | None:
        try:
            return parse_date(self.edit.text(), self._label, self._today())
        except ParseError:
            return None

    def error(self) -> str | None:
        try:
            parse_date(self.edit.text(), self._label, self._today())
        except ParseError as problem:
            return str(problem)
        return None

    def set_value(self, value: date | None) -> None:
        self.edit.setText(format_date(value))

    def text(self) -> str:
        return self.edit.text()

    def put_today(self) -> None:
        """Ctrl+;: today's date replaces the text, as an edit the officer can undo (Ctrl+Z)."""
        self.edit.selectAll()
        self.edit.insert(format_date(self._today()))

    def _tidy(self) -> None:
        """Rewrite a readable date as dd/mm/yyyy once the officer leaves the box."""
        if self.error() is None:
            tidy = format_date(self.value())
            if tidy != self.edit.text():
                self.edit.setText(tidy)

    def show_calendar(self) -> None:
        if self._popup is None:
            self._popup = _CalendarPopup(self, self._label)
            self._popup.picked.connect(self._picked)
        current = self.value() or self._today()
        self._popup.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self._popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._popup.show()
        self._popup.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self.set_value(date(day.year(), day.month(), day.day()))
        self.edit.setFocus()

    @staticmethod
    def _is_today_key(event: QKeyEvent) -> bool:
        """Ctrl+; (also with Shift, where a keyboard layout needs it for the semicolon)."""
        return (
            event.key() == Qt.Key.Key_Semicolon
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            and not event.modifiers() & Qt.KeyboardModifier.AltModifier
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or watched is not self.edit:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.ShortcutOverride and self._is_today_key(event):
            event.accept()  # claimed, so no window shortcut takes Ctrl+;
            return True
        if event.type() == QEvent.Type.KeyPress:
            if self._is_today_key(event):
                self.put_today()
                return True
            alt_down = (
                event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.show_calendar()
                return True
        return super().eventFilter(watched, event)
