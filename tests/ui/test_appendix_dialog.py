"""The "Annual appendix…" dialog: the year, the wording, the PDF in the report folder."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from ui_data import copied_database

from cscdesk import settings
from cscdesk.domain.kinds import ComplaintData, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.store import records
from cscdesk.ui.appendix_dialog import AppendixDialog
from cscdesk.ui.dialog_service import ScriptedDialogs

pytest.importorskip("cscdesk.report.appendix")
pdfplumber = pytest.importorskip("pdfplumber")

TODAY = date(2025, 6, 1)


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


@pytest.fixture
def dialog(database, qtbot, tmp_path):
    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C-1", date(2024, 5, 1), 1, "Fostering", responded=date(2024, 5, 7),
            closed=date(2024, 5, 8), outcome=Outcome.UPHELD, root_cause="Communication",
            learning="Call back within a day"))
        settings.put(session, settings.REPORT_FOLDER, str(tmp_path / "reports"))
    dialog = AppendixDialog(database, ScriptedDialogs(), today=TODAY)
    qtbot.addWidget(dialog)
    opened: list = []
    dialog.open_file = lambda path: opened.append(path) or True
    dialog.opened = opened
    return dialog


def test_the_default_year_is_the_last_complete_one(dialog):
    assert dialog.chosen_year() == ReportingYear(2024)
    assert dialog.year.accessibleName() == "Year"
    assert dialog.editor.isHidden()  # it asks only the year unless asked for more


def test_make_pdf_writes_into_the_report_folder_and_opens_it(dialog, qtbot, tmp_path):
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    expected = tmp_path / "reports" / "Complaints appendix 2024-2025.pdf"
    assert dialog.written == expected and dialog.opened == [expected]
    with pdfplumber.open(expected) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "2024/25" in text


def test_edited_wording_is_stored_and_printed(dialog, qtbot, database):
    from cscdesk.report import narrative

    dialog.edit_toggle.setChecked(True)
    assert dialog.paragraphs.count() == len(narrative.TEXT_LABELS) + 1
    key = "adr"
    dialog.text_edits[key].setPlainText("Our own words about ADR & <mediation>.")
    dialog.theme_editor.names[0].setText("Poor communication")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    with database.session() as session:
        texts = narrative.texts_for(session, ReportingYear(2024))
        themes = narrative.themes_for(session, ReportingYear(2024))
    assert texts[key].current == "Our own words about ADR & <mediation>."
    assert themes.current.themes[0].name == "Poor communication"
    with pdfplumber.open(dialog.written) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "Our own words about ADR & <mediation>." in text


def test_enter_in_the_year_box_makes_the_pdf(dialog, qtbot):
    from PySide6.QtWidgets import QApplication

    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert dialog.make_button.isDefault() and not dialog.folder_button.isDefault()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    assert dialog.dialogs.shown == []  # no folder chooser: the PDF went to the report folder


def test_a_long_folder_and_the_result_line_leave_the_year_and_buttons_their_room(
        database, qtbot, tmp_path):
    """A council's OneDrive path is long: the dialog keeps its size and its row widths."""
    folder = (tmp_path / "Users" / "firstname.lastname" / "OneDrive - Eastmere Borough Council"
              / "Documents" / "Committee papers" / "Complaints and representations" / "2025")
    folder.mkdir(parents=True)
    with database.transaction() as session:
        settings.put(session, settings.REPORT_FOLDER, str(folder))
    dialog = AppendixDialog(database, ScriptedDialogs(), today=TODAY)
    qtbot.addWidget(dialog)
    dialog.open_file = lambda _path: True
    dialog.show()
    qtbot.waitExposed(dialog)
    before = (dialog.width(), dialog.year.width(), dialog.folder_button.width())
    assert dialog.folder_button.width() >= dialog.folder_button.sizeHint().width()
    assert dialog.folder_label.toolTip() == str(folder)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    qtbot.wait(50)
    assert (dialog.width(), dialog.year.width(), dialog.folder_button.width()) == before
    assert dialog.status.text() == ("Written: Complaints appendix 2024-2025.pdf, in the folder "
                                    "above.")


def test_ticked_sections_are_remembered_with_the_year_and_the_word_version_prints_them(
        dialog, qtbot, database, tmp_path):
    import docx
    from PySide6.QtWidgets import QApplication

    from cscdesk.report.pack_choice import chosen_sections

    boxes = dialog.section_boxes
    assert not any(box.isChecked() for box in boxes.values())  # a year never chosen: none
    assert boxes["who_complained"].text() == "Who &complained"
    boxes["who_complained"].setChecked(True)
    boxes["timeliness"].setChecked(True)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    expected = tmp_path / "reports" / "Complaints appendix 2024-2025.docx"
    assert dialog.written == expected and dialog.opened == [expected]
    words = [p.text for p in docx.Document(str(expected)).paragraphs]
    assert "Who Complained:" in words and "Timeliness by Stage:" in words
    assert "Five-Year Trends:" not in words
    with database.session() as session:
        assert chosen_sections(session, ReportingYear(2024)) == {"who_complained", "timeliness"}
    dialog.year.addItem("2023/24", 2023)
    dialog.year.setCurrentIndex(dialog.year.findData(2023))  # another year: its own choice
    assert not any(box.isChecked() for box in boxes.values())
    dialog.year.setCurrentIndex(dialog.year.findData(2024))
    assert boxes["who_complained"].isChecked() and boxes["timeliness"].isChecked()
