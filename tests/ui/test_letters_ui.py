"""Letter… on a record's form: the templates that fit the record, the letter kept as its document
and opened, every character of the complainant's name as typed in the .docx (read back with
python-docx), the form saved first after asking, and a broken template saying why with nothing
kept. Real widgets on a real SQLite file; only the system's "open this file" is recorded."""

from __future__ import annotations

import io
from datetime import date

import docx
import file_drops
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_data import copied_database

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import documents, letter_templates, records
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms import RecordFormDialog
from cscdesk.ui.letter_chooser import LetterChooser

NAME = "Zoë O’Brien & <Sons> “Café” Ltd"


opened = file_drops.opened  # the recorder of files handed to the system viewer


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        with db.transaction() as session:
            records.save(session, ComplaintData("C-1", date(2024, 5, 1), 1, "Fostering",
                                                complainant=NAME, summary="Late visit"))
        yield db


def form(qtbot, database, dialogs=None) -> RecordFormDialog:
    dialog = RecordFormDialog(None, database, Kind.COMPLAINT, "C-1", dialogs or ScriptedDialogs())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def choose_in_next_chooser(qtbot, title: str, seen: list[str]) -> None:
    """When the chooser opens: note its templates, go to `title` with the keyboard, Enter."""
    tries = iter(range(100))

    def act() -> None:
        chooser = QApplication.activeModalWidget()
        if not isinstance(chooser, LetterChooser):
            if next(tries, None) is not None:
                QTimer.singleShot(20, act)
            return
        items = [chooser.list.item(row).text() for row in range(chooser.list.count())]
        seen.extend(items)
        if title not in items:
            chooser.reject()
            return
        for _ in range(items.index(title)):
            qtbot.keyClick(chooser.list, Qt.Key.Key_Down)
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, act)


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_letter_from_a_complaint_is_kept_opened_and_has_the_name_as_typed(
        qtbot, database, opened) -> None:
    dialog = form(qtbot, database)
    seen: list[str] = []
    choose_in_next_chooser(qtbot, "Stage 1 acknowledgement", seen)
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Letter…

    assert "Stage 1 acknowledgement" in seen and "Stage 1 response" in seen
    assert "Stage 2 acknowledgement" not in seen  # only what fits a Stage 1 complaint
    (name,) = dialog.documents.names()
    assert name.startswith("C-1 Stage 1 acknowledgement ") and name.endswith(".docx")
    (copy,) = opened
    assert copy.name == name
    with database.session() as session:
        (kept,) = documents.list_for(session, Kind.COMPLAINT, "C-1")
        data = documents.read(session, kept.id)
    assert kept.letter == "acknowledgement_stage1"
    assert copy.read_bytes() == data
    assert NAME in text_of(data)
    assert dialog.isVisible() and not dialog.is_dirty()


def test_unsaved_changes_are_saved_first_after_asking(qtbot, database, opened) -> None:
    dialogs = ScriptedDialogs(True)  # Yes, save first
    dialog = form(qtbot, database, dialogs)
    dialog.view.editors["complainant"].set("Mr Ó Súilleabháin")
    assert dialog.is_dirty()
    choose_in_next_chooser(qtbot, "Stage 1 response", [])
    made = dialog.make_letter()

    assert made is not None
    assert dialogs.shown[0][1] == "Save before the letter?"
    assert dialogs.confirm_defaults == [True]
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-1").complainant == "Mr Ó Súilleabháin"
        assert "Dear Mr Ó Súilleabháin," in text_of(documents.read(session, made.id))
    assert not dialog.is_dirty()


def test_no_to_saving_first_makes_no_letter(qtbot, database, opened) -> None:
    dialogs = ScriptedDialogs(False)
    dialog = form(qtbot, database, dialogs)
    dialog.view.editors["summary"].set("Changed")
    assert dialog.make_letter() is None
    assert dialog.is_dirty() and dialog.documents.names() == [] and opened == []


def test_a_broken_template_says_why_and_nothing_is_kept(qtbot, database, opened) -> None:
    broken = docx.Document()
    broken.add_paragraph("Dear {{ complainant_nme }}, about {% if %}")
    buffer = io.BytesIO()
    broken.save(buffer)
    with database.transaction() as session:  # a council's file, gone wrong since it was kept
        letter_templates.replace(session, "acknowledgement_stage1", "Our ack.docx",
                                 buffer.getvalue())
    dialogs = ScriptedDialogs()
    dialog = form(qtbot, database, dialogs)
    choose_in_next_chooser(qtbot, "Stage 1 acknowledgement", [])
    assert dialog.make_letter() is None

    (kind, title, text), = dialogs.shown
    assert (kind, title) == ("warn", "No letter made")
    assert text.startswith("The Stage 1 acknowledgement template cannot be used:")
    assert "Settings › Letters" in text
    assert dialog.documents.names() == [] and opened == []
    with database.session() as session:
        assert documents.list_for(session, Kind.COMPLAINT, "C-1") == []
