"""An input is announced by a screen reader with the words of its visible label.

`labelled(text, widget)` (or `name_after_label` for a label made elsewhere) is the one place a
label and its input are tied: the label's buddy is the input, so Alt+letter reaches it, and the
input's accessible name is the label's words — its text without the "&" of the mnemonic and
without a trailing ":" ("Sta&ge:" → "Stage"). An editable combo box's text box is named too: Qt
announces that text box, not the combo, while the officer types in it. A calendar has no label
of its own: `name_calendar` names it and its grid of days, which is what takes the focus.

tests/ui/test_accessible_names.py checks every form, pane and dialog against this rule.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QCalendarWidget, QComboBox, QLabel, QTableView, QWidget

_MNEMONIC = re.compile(r"&(.)")  # "&Year" → "Year"; "&&" is a written "&"


def label_words(text: str) -> str:
    """A label's text as its input's name: no mnemonic "&", no trailing ":"."""
    return _MNEMONIC.sub(r"\1", text).strip().removesuffix(":").rstrip()


def set_accessible_name(widget: QWidget, name: str) -> None:
    """Name `widget`, and the text box inside it when it is an editable combo box."""
    widget.setAccessibleName(name)
    line_edit = widget.lineEdit() if isinstance(widget, QComboBox) else None
    if line_edit is not None:
        line_edit.setAccessibleName(name)


def name_after_label(label: QLabel, widget: QWidget) -> QLabel:
    """Make `label` the label of `widget`: its buddy, and the words it is announced by."""
    label.setBuddy(widget)
    set_accessible_name(widget, label_words(label.text()))
    return label


def labelled(text: str, widget: QWidget) -> QLabel:
    """A new label saying `text` (with its "&" mnemonic) for `widget`, which it names."""
    return name_after_label(QLabel(text), widget)


def name_calendar(calendar: QCalendarWidget, name: str) -> None:
    """Name a calendar and its grid of days (the grid has the focus; Qt leaves it unnamed)."""
    calendar.setAccessibleName(name)
    grid = calendar.findChild(QTableView, "qt_calendar_calendarview")
    if grid is not None:
        grid.setAccessibleName(name)
