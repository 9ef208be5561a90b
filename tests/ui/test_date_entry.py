"""Typing dates as officers do in a spreadsheet: Ctrl+; and `t` for today, `1/12` without a year,
and month names (`23 Nov 2026`), in the parser and in a real date box."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from cscdesk.domain.kinds import Kind
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.forms.date_field import DateField
from cscdesk.ui.forms.parsing import ParseError, parse_date

TODAY = date(2026, 11, 29)  # a Sunday late in November, so "1/12" is last year's
CTRL = Qt.KeyboardModifier.ControlModifier


# --- The parser -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["t", "T", "  t ", "T\t"])
def test_t_alone_is_today(text: str) -> None:
    assert parse_date(text, "Received", TODAY) == TODAY


def test_today_defaults_to_the_real_today() -> None:
    before = date.today()
    assert parse_date("t", "Received") in {before, date.today()}
    assert parse_date("1/1", "Received") == date(date.today().year, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/12", date(2025, 12, 1)),  # 1 December 2026 is still to come: last year's
     ("28/11", date(2026, 11, 28)), ("29/11", TODAY), ("30/11", date(2025, 11, 30)),
     ("01/01", date(2026, 1, 1)), ("31/12", date(2025, 12, 31)),
     ("1.12", date(2025, 12, 1)), ("1-12", date(2025, 12, 1)), (" 5/6 ", date(2026, 6, 5))],
)
def test_a_day_and_month_is_the_most_recent_such_date_not_in_the_future(
    text: str, expected: date
) -> None:
    assert parse_date(text, "Received", TODAY) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [(TODAY, date(2024, 2, 29)), (date(2024, 2, 29), date(2024, 2, 29)),
     (date(2024, 2, 28), date(2020, 2, 29)), (date(2028, 3, 1), date(2028, 2, 29)),
     (date(2104, 2, 28), date(2096, 2, 29))],  # 2100 is not a leap year: eight years back
)
def test_29_february_without_a_year_is_the_last_one_that_has_been(
    today: date, expected: date
) -> None:
    assert parse_date("29/2", "Received", today) == expected


@pytest.mark.parametrize("today", [date(2026, 1, 1), date(2024, 2, 29), date(2025, 12, 31)])
def test_no_day_and_month_without_a_year_is_in_the_future_or_a_year_back(today: date) -> None:
    day = date(2024, 1, 1)
    while day.year == 2024:  # every day of a leap year
        found = parse_date(f"{day.day}/{day.month}", "Received", today)
        assert found is not None and (found.month, found.day) == (day.month, day.day)
        assert found <= today
        if (day.month, day.day) != (2, 29):
            assert today - found < timedelta(days=366)
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("23 Nov 2026", date(2026, 11, 23)), ("23 November 2026", date(2026, 11, 23)),
     ("23 nov 2026", date(2026, 11, 23)), ("23-Nov-2026", date(2026, 11, 23)),
     ("23 NOVEMBER 2026", date(2026, 11, 23)), ("23 Sept 2026", date(2026, 9, 23)),
     ("23 Sep 2026", date(2026, 9, 23)), ("23 September 2026", date(2026, 9, 23)),
     ("3 Jun 2026", date(2026, 6, 3)), ("3 July 2026", date(2026, 7, 3)),
     ("23 Nov 26", date(2026, 11, 23)), ("23Nov2026", date(2026, 11, 23)),
     ("23 Nov, 2026", date(2026, 11, 23)), ("5 May 2027", date(2027, 5, 5)),  # future: as typed
     ("23 Nov", date(2026, 11, 23)), ("1 Dec", date(2025, 12, 1)),
     ("29 Feb", date(2024, 2, 29))],
)
def test_month_names_are_read(text: str, expected: date) -> None:
    assert parse_date(text, "Received", TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("03/05/2024", date(2024, 5, 3)), ("3/5/24", date(2024, 5, 3)),
     ("2024-05-03", date(2024, 5, 3)), ("03 05 2024", date(2024, 5, 3)), ("", None)],
)
def test_dates_with_a_year_mean_what_they_did(text: str, expected: date | None) -> None:
    assert parse_date(text, "Received", TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("23 Nox 2026",
      "Closed: “23 Nox 2026” is not a date (“Nox” is not a month); type it as dd/mm/yyyy."),
     ("31 Feb 2026", "Closed: “31 Feb 2026” is not a real date; type it as dd/mm/yyyy."),
     ("31/2", "Closed: “31/2” is not a real date; type it as dd/mm/yyyy."),
     ("30 Feb", "Closed: “30 Feb” is not a real date; type it as dd/mm/yyyy."),
     ("32/1", "Closed: “32/1” is not a real date; type it as dd/mm/yyyy."),
     ("03/0", "Closed: “03/0” is not a date; type it as dd/mm/yyyy."),  # half-typed
     ("13/13", "Closed: “13/13” is not a date; type it as dd/mm/yyyy."),
     ("tt", "Closed: “tt” is not a date; type it as dd/mm/yyyy."),
     ("t/12", "Closed: “t/12” is not a date; type it as dd/mm/yyyy."),
     ("Nov 23 2026", "Closed: “Nov 23 2026” is not a date; type it as dd/mm/yyyy."),
     ("23 Nov 202", "Closed: “23 Nov 202” is not a date; type it as dd/mm/yyyy.")],
)
def test_unreadable_dates_still_name_the_field_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_date(text, "Closed", TODAY)
    assert str(raised.value) == message


# --- The date box ---------------------------------------------------------------------------


class Box:
    """A date box with a line edit after it to Tab to, in a shown window."""

    def __init__(self, qtbot, today: date = TODAY) -> None:
        self.window = QWidget()
        self.field = DateField("Received", today=lambda: today)
        self.after = QLineEdit()
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.field)
        layout.addWidget(self.after)
        qtbot.addWidget(self.window)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        self.field.edit.setFocus()
        self.changes = 0
        self.field.changed.connect(self._count)

    def _count(self) -> None:
        self.changes += 1


@pytest.mark.parametrize("text", ["t", "T", " t "])
def test_t_typed_alone_becomes_today_on_leaving_the_box(qtbot, text: str) -> None:
    box = Box(qtbot)
    qtbot.keyClicks(box.field.edit, text)
    assert box.field.value() == TODAY
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Tab)
    assert box.after.hasFocus()
    assert box.field.text() == "29/11/2026"
    assert box.field.value() == TODAY and box.field.error() is None


def test_ctrl_semicolon_puts_today_over_the_text_and_says_it_changed(qtbot) -> None:
    box = Box(qtbot)
    box.field.set_value(date(2020, 1, 12))
    box.changes = 0
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Semicolon, CTRL)
    assert box.field.text() == "29/11/2026"
    assert box.field.value() == TODAY
    assert box.changes >= 1
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Z, CTRL)  # an edit like any other: undone
    assert box.field.text() == "12/01/2020"


def test_ctrl_semicolon_in_an_empty_box_and_with_the_cursor_mid_text(qtbot) -> None:
    box = Box(qtbot)
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Semicolon, CTRL)
    assert box.field.text() == "29/11/2026"
    qtbot.keyClicks(box.field.edit, "garbage")
    box.field.edit.setCursorPosition(3)
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Semicolon, CTRL)
    assert box.field.text() == "29/11/2026"


def test_ctrl_semicolon_is_not_taken_by_a_window_shortcut(qtbot) -> None:
    box = Box(qtbot)
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence("Ctrl+;"), box.window)
    shortcut.activated.connect(lambda: fired.append(True))
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Semicolon, CTRL)
    assert box.field.value() == TODAY
    assert fired == []


@pytest.mark.parametrize(
    ("text", "tidy"),
    [("1/12", "01/12/2025"), ("28/11", "28/11/2026"), ("29/2", "29/02/2024"),
     ("23 November 2026", "23/11/2026"), ("23 September 2026", "23/09/2026"),
     ("23-Nov-2026", "23/11/2026"), ("23 Sept 2026", "23/09/2026"), ("23 nov", "23/11/2026")],
)
def test_short_and_named_dates_are_tidied_on_leaving_the_box(
    qtbot, text: str, tidy: str
) -> None:
    box = Box(qtbot)
    qtbot.keyClicks(box.field.edit, text)
    assert box.field.text() == text  # kept as typed while typing
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Tab)
    assert box.field.text() == tidy
    assert box.field.error() is None


def test_an_unknown_month_is_left_as_typed_with_a_sentence(qtbot) -> None:
    box = Box(qtbot)
    qtbot.keyClicks(box.field.edit, "23 Nox 2026")
    qtbot.keyClick(box.field.edit, Qt.Key.Key_Tab)
    assert box.field.text() == "23 Nox 2026"
    assert box.field.value() is None
    assert box.field.error() == (
        "Received: “23 Nox 2026” is not a date (“Nox” is not a month); type it as dd/mm/yyyy."
    )


def test_the_tooltip_tells_of_the_shortcuts(qtbot) -> None:
    box = Box(qtbot)
    tip = box.field.edit.toolTip()
    assert "Ctrl+;" in tip and "t for today" in tip and "Alt+Down" in tip


def test_in_a_form_ctrl_semicolon_and_t_are_unsaved_changes(qtbot, database) -> None:
    dialog = RecordFormDialog(None, database, Kind.COMPLAINT, None, ScriptedDialogs())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    received = dialog.view.editors["received"]
    received.input.setFocus()
    assert not dialog.is_dirty()
    before = date.today()
    qtbot.keyClick(received.input, Qt.Key.Key_Semicolon, CTRL)
    assert received.get() in {before, date.today()}
    assert dialog.is_dirty()
    assert dialog.isVisible()  # the key reached the box, not the form

    responded = dialog.view.editors["responded"]
    responded.input.setFocus()
    qtbot.keyClicks(responded.input, "t")
    qtbot.keyClick(responded.input, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not responded.input
    assert responded.get() in {before, date.today()}
    assert responded.snapshot() == responded.input.text() != "t"
