"""Screen-reader names: every input is announced by its visible label.

Every pane of the main window, every kind of record form, and the dialogs (annual appendix with
its wording, import, restore, About, history, the passphrase prompts, the idle lock) are opened
on a real database. Each widget a screen reader can land on — visible, and reached by Tab — is
asked through Qt's accessibility interface (`QAccessible.queryAccessibleInterface`) for the name
it is announced by, and these rules are checked. (A widget that hands its focus to another, its
focusProxy, is left out unless Qt announces it in that widget's place: a tab widget gives the
focus to its tab bar, a calendar to its grid, and a spin box's text box to the spin box, so only
those are announced; an editable combo box's text box is kept, see rule 3.)

1. The name is never empty.
2. A widget with a visible label — a QLabel whose buddy() it is, or the label of its
   QFormLayout row — is named by the label's words, exactly: the label's text without the "&"
   of its mnemonic and without a trailing ":" ("Sta&ge:" → "Stage"). Nothing is added (the
   group box a field sits in is announced by the screen reader itself, as it is seen) and
   nothing is kept that is only punctuation: a name "Stage:" fails.
   A label that goes on after its colon with a figure ("&Overdue: 3", the dashboard's live
   counts) names its widget by the words before the colon: the figure is the widget's content
   (the table's rows), and a name that changed at every reload would be announced again.
3. The text box inside an editable combo box (the combo hands it the focus) is named like the
   combo: a screen reader announces the text box, not the combo, while the officer types.
4. A button that can be ticked is announced as a check box (Qt gives a checkable button the
   check-box role), so it must look like one: a QCheckBox, or a plain button.

One exception, by Qt's design: on Linux and macOS Qt announces a combo box's current value as
its Name (`QAccessibleComboBox::text`, "on Linux we use relations for this, name is text"), and
AT-SPI screen readers take the label from the combo's "labelled by" relation instead. There the
test checks that relation points at the visible label, and checks the name Windows announces
(the widget's accessibleName, which Qt on Windows gives as the Name) by rule 2. On Windows, the
app's platform, the interface's own Name is checked like every other widget's.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QTableView,
    QWidget,
)
from ui_data import copied_database, fill, shown_window

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import records
from cscdesk.ui.dialog_service import ScriptedDialogs, UserDialogs
from cscdesk.ui.main_window import PANE_KEYS

# Qt names a combo box by its value on every Unix (QAccessibleComboBox, `#ifndef Q_OS_UNIX`).
COMBO_NAMED_BY_VALUE = sys.platform != "win32"
_MNEMONIC = re.compile(r"&(.)")
_COUNT_AFTER_COLON = re.compile(r"^(?P<words>.+?):\s*\d[\d,]*(\s*\(.*\))?$")


def label_words(text: str) -> str:
    """What a label says, as its widget's name: no mnemonic "&", no trailing ":" (rule 2)."""
    words = _MNEMONIC.sub(r"\1", text).strip()
    counted = _COUNT_AFTER_COLON.match(words)
    if counted:
        return counted["words"].strip()
    return words.removesuffix(":").rstrip()


@dataclass(frozen=True)
class Problem:
    window: str
    widget: str
    object_name: str
    name: str
    expected: str
    why: str

    def __str__(self) -> str:
        return (f"{self.window}: {self.widget} {self.object_name!r} is announced as "
                f"{self.name!r}; {self.why}" + (f" {self.expected!r}" if self.expected else ""))


def takes_tab_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def visible_labels(window: QWidget) -> dict[QWidget, QLabel]:
    """Each labelled widget's visible label: buddies first, then QFormLayout rows."""
    found: dict[QWidget, QLabel] = {}
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.isVisible() and label.text():
            found.setdefault(buddy, label)
    for form in window.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item is not None else None
            field = field_item.widget() if field_item is not None else None
            if isinstance(label, QLabel) and field is not None and label.isVisible():
                found.setdefault(field, label)
    return found


def announced_itself(widget: QWidget) -> bool:
    """False for a widget whose focus goes to another (focusProxy) that does not announce it as
    its own accessible child: the screen reader lands on the other one."""
    proxy = widget.focusProxy()
    if proxy is None:
        return True
    interface = QAccessible.queryAccessibleInterface(proxy)
    children = (interface.child(i) for i in range(interface.childCount())) if interface else ()
    return any(child is not None and child.object() is widget for child in children)


def labelled_as(widget: QWidget) -> QWidget:
    """The widget whose label names `widget`: an editable combo's text box is labelled as the
    combo (rule 3)."""
    parent = widget.parentWidget()
    if isinstance(parent, QComboBox) and parent.lineEdit() is widget:
        return parent
    return widget


def announced_name(widget: QWidget, interface: QAccessibleInterface) -> str:
    if isinstance(widget, QComboBox) and COMBO_NAMED_BY_VALUE:
        return widget.accessibleName()  # what Qt on Windows announces (see the module text)
    return interface.text(QAccessible.Text.Name)


def check_window(window: QWidget, where: str) -> list[Problem]:
    """Every visible widget of `window` that Tab reaches, against the rules."""
    labels = visible_labels(window)
    problems: list[Problem] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not (widget.isVisible() and takes_tab_focus(widget) and announced_itself(widget)):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        kind, object_name = type(widget).__name__, widget.objectName()

        def problem(name: str, expected: str, why: str) -> None:
            problems.append(Problem(where, kind, object_name, name, expected, why))  # noqa: B023

        if interface is None:
            problem("", "", "it has no accessibility interface")
            continue
        name = announced_name(widget, interface)
        if (interface.role() == QAccessible.Role.CheckBox
                and not isinstance(widget, (QCheckBox, QRadioButton))):
            problem(name, "", "it can be ticked, so Qt calls it a check box, but it looks like "
                              "a button (rule 4)")
        label = labels.get(labelled_as(widget))
        if not name.strip():
            problem(name, label_words(label.text()) if label else "",
                    "it has no name (rule 1)" + ("; its label says" if label else ""))
            continue
        if label is None:
            continue
        expected = label_words(label.text())
        if name != expected:
            problem(name, expected, "its visible label says")
        if isinstance(widget, QComboBox) and COMBO_NAMED_BY_VALUE:
            related = [target.object() for target, _relation in
                       interface.relations(QAccessible.RelationFlag.Label)]
            if label not in related:
                problem(name, expected, "its 'labelled by' relation does not lead to the label")
    return problems


def assert_named(found: list[Problem]) -> None:
    assert not found, "Widgets announced wrongly:\n" + "\n".join(map(str, found))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        fill(db)
        today = date.today()
        with db.transaction() as session:
            records.save(session, ComplaintData(
                "C-OLD-S2", today - timedelta(days=20), 2, "Fostering",
                escalated_from="C-OLD", complainant="Ann Smith", adr=True, summary="Stage 2"))
            records.save(session, ComplaintData(
                "C-OLD-S3", today - timedelta(days=5), 3, "Fostering",
                escalated_from="C-OLD-S2", complainant="Ann Smith",
                lgo_referred=today, summary="Stage 3"))
        yield db


@pytest.fixture
def window(database, qtbot):
    return shown_window(database, qtbot)


def shown(qtbot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


# --- the main window -------------------------------------------------------------------------


def test_every_pane_of_the_main_window(window, qtbot):
    found: list[Problem] = []
    for key in PANE_KEYS:
        pane = window.show_pane(key)
        if key == "dashboard":
            qtbot.waitUntil(lambda p=pane: p.lists_ready, timeout=10000)
        tabs = getattr(pane, "tabs", None)
        if tabs is not None:
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                found += check_window(window, f"{key} › {tabs.tabText(index).replace('&', '')}")
        else:
            found += check_window(window, key)
    assert_named(found)
    day = window.panes["settings"].new_day  # its calendar pops up from the box (Alt+Down)
    grid = day.calendarWidget().findChild(QTableView, "qt_calendar_calendarview")
    assert QAccessible.queryAccessibleInterface(grid).text(QAccessible.Text.Name) == "Day calendar"


# --- record forms ------------------------------------------------------------------------------


def form_cases() -> Iterator[tuple[Kind, str | None]]:
    for kind in Kind:
        yield kind, None
    yield from ((Kind.COMPLAINT, "C-DONE"), (Kind.COMPLAINT, "C-OLD-S2"),
                (Kind.COMPLAINT, "C-OLD-S3"), (Kind.INITIAL_FEEDBACK, "IF-1"),
                (Kind.ENQUIRY, "EN-1"), (Kind.COMPLIMENT, "CO-1"), (Kind.DISPUTE, "DR-1"))


def test_every_record_form(database, qtbot):
    from cscdesk.ui.forms import RecordFormDialog

    found: list[Problem] = []
    for kind, reference in form_cases():
        dialog = shown(qtbot, RecordFormDialog(None, database, kind, reference,
                                               ScriptedDialogs()))
        found += check_window(dialog, dialog.windowTitle().replace("[*]", ""))
        dialog.done(0)
    assert_named(found)


def test_the_calendar_of_a_date_box(database, qtbot):
    from cscdesk.ui.forms import RecordFormDialog

    dialog = shown(qtbot, RecordFormDialog(None, database, Kind.COMPLAINT, "C-OLD",
                                           ScriptedDialogs()))
    field = dialog.view.editors["received"].field
    field.show_calendar()
    popup = field._popup
    qtbot.waitUntil(popup.isVisible)
    found = check_window(popup, "Received's calendar")
    popup.close()
    assert_named(found)


def test_a_record_s_history(database, qtbot):
    from cscdesk.ui.history_dialog import HistoryDialog

    dialog = shown(qtbot, HistoryDialog(None, database, Kind.COMPLAINT, "C-OLD",
                                        ScriptedDialogs()))
    assert_named(check_window(dialog, "History"))


# --- dialogs -----------------------------------------------------------------------------------


def test_the_appendix_dialog_with_its_wording(database, qtbot):
    from cscdesk.ui.appendix_dialog import AppendixDialog

    dialog = shown(qtbot, AppendixDialog(database, ScriptedDialogs()))
    found = check_window(dialog, "Annual appendix")
    dialog.edit_toggle.setChecked(True)
    assert dialog.paragraphs.count() > 1
    for row in range(dialog.paragraphs.count()):
        dialog.paragraphs.setCurrentRow(row)
        page = dialog.paragraphs.item(row).text()
        found += check_window(dialog, f"Annual appendix › {page}")
    assert_named(found)


def test_the_import_dialog_s_pages(database, qtbot, tmp_path):
    pytest.importorskip("cscdesk.exchange")
    from cscdesk.ui.import_dialog import ImportDialog
    from workbooks import COMPLAINT_HEADER, write_workbook

    def complaint(reference: str, received: object) -> list[object]:
        row: list[object] = [None] * len(COMPLAINT_HEADER)
        row[:4] = [reference, received, 1, "Adoption"]
        return row

    def opened(path) -> ImportDialog:
        dialog = ImportDialog(database, ScriptedDialogs(), path)
        shown(qtbot, dialog)
        qtbot.waitUntil(lambda: not dialog.task.running, timeout=15000)
        return dialog

    good = write_workbook(tmp_path / "good.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-NEW-1", date(2024, 5, 1))]})
    bad = write_workbook(tmp_path / "bad.xlsx", {
        "Complaints": [COMPLAINT_HEADER, complaint("C-BAD", "31/02/2024")]})
    dialog = opened(good)
    found = check_window(dialog, "Import › plan")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported, timeout=15000)
    found += check_window(dialog, "Import › imported")
    found += check_window(opened(bad), "Import › problems")
    assert_named(found)


def test_the_restore_dialog(database, qtbot):
    from cscdesk.store import backup, backup_folder
    from cscdesk.ui.backup_ui import RestoreDialog

    folder = backup_folder.backup_folder_for(database.path)
    backup.backup_database(database.path, reason="manual")
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = shown(qtbot, RestoreDialog(parent, folder, database.path.stem, ScriptedDialogs()))
    assert dialog.backups
    assert_named(check_window(dialog, "Restore from backup"))


def test_the_about_dialog(database, qtbot):
    from cscdesk.ui.about import AboutDialog

    dialog = shown(qtbot, AboutDialog(database.path))
    found = check_window(dialog, "About")
    dialog.licence_button.click()
    assert dialog.licence_text.isVisible()
    found += check_window(dialog, "About, with the font licence")
    assert_named(found)


def answered(qtbot, ask: Callable[[], object], where: str) -> list[Problem]:
    """Run `ask`, which shows a modal dialog; check that dialog, then cancel it."""
    found: list[Problem] = []
    seen: list[QWidget] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        found.extend(check_window(dialog, where))
        dialog.reject()

    QTimer.singleShot(0, look)
    ask()
    assert seen, f"{where}: no dialog was shown"
    return found


def test_the_passphrase_prompts(database, qtbot):
    from cscdesk.ui import passphrase_dialogs

    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs = UserDialogs()
    found: list[Problem] = []
    found += answered(qtbot, lambda: passphrase_dialogs.ask_new_passphrase(
        parent, dialogs, "Encrypt the database"), "New passphrase")
    found += answered(qtbot, lambda: passphrase_dialogs.ask_current_passphrase(
        parent, dialogs, "Change the passphrase", "known"), "Current passphrase")
    found += answered(qtbot, lambda: dialogs.ask_passphrase(
        parent, "Encrypt the database", "Type the new passphrase again:"), "New passphrase again")
    found += answered(qtbot, lambda: dialogs.ask_passphrase(
        parent, "Encrypted database", f"{database.path.name} is encrypted. Type its passphrase "
        "to open it:"), "Start-up passphrase")
    assert_named(found)


def test_the_idle_lock(database, qtbot):
    from cscdesk.ui.idle_lock import LockDialog

    dialog = shown(qtbot, LockDialog(database.path.name, "a passphrase"))
    found = check_window(dialog, "Locked")
    dialog.quit_chosen = True
    dialog.reject()
    assert_named(found)


def test_the_crash_report(qtbot):
    from cscdesk.ui.crash import CrashDialog

    dialog = shown(qtbot, CrashDialog("Traceback …", None))
    assert_named(check_window(dialog, "Unexpected error"))


def test_the_rules_read_labels_as_a_screen_reader_should():
    assert label_words("Sta&ge:") == "Stage"
    assert label_words("Rock && roll:") == "Rock & roll"
    assert label_words("&Overdue: 1,204 (the 50 due longest ago shown)") == "Overdue"
    assert label_words("Due in the next 5 working days: 3") == "Due in the next 5 working days"
    assert label_words("Type its passphrase to open it:") == "Type its passphrase to open it"
