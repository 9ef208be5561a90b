"""A new record from an email: an .eml (made here with the standard library: an RFC 2047 encoded
subject and a latin-1 body) dropped on the complaints list opens a new complaint with the
received date, name, summary and address proposed; Esc asks; saving keeps the email with the
record in the same save. A file that is not an email gets a sentence. Real widgets, real
SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path

import pytest
from file_drops import drop
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui_data import copied_database, shown_window

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Kind
from cscdesk.store import documents, records
from cscdesk.ui.forms import RecordFormDialog

SUBJECT = "Plainte à propos de la visite, très en retard"
BODY = ("Bonjour,\n\nLa visite prévue le 2 mai n'a pas eu lieu. Je suis très déçue.\n\n"
        "12 Rue de l'Église\nLeeds LS1 4AB\n\nCordialement,\nRenée Façade\n")


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        with db.transaction() as session:  # the officer's references: C-0100, EN-0100
            records.save(session, ComplaintData("C-0100", date(2024, 5, 1), 1, "Fostering"))
            records.save(session, EnquiryData("EN-0100", date(2024, 5, 1), EnquirySource.MP,
                                                "Fostering"))
        yield db


def eml(path: Path) -> Path:
    message = MIMEText(BODY, "plain", "iso-8859-1")  # a latin-1 body
    message["From"] = formataddr(("Renée Façade", "renee@example.org"), "utf-8")
    message["To"] = "complaints@council.example"
    message["Subject"] = Header(SUBJECT, "iso-8859-1")  # =?iso-8859-1?q?...?=
    message["Date"] = "Tue, 14 May 2024 09:30:00 +0100"
    path.write_bytes(message.as_bytes())
    assert b"=?iso-8859-1?" in path.read_bytes() and b"\xe9" not in path.read_bytes()[:200]
    return path


def in_next_form(action: Callable[[RecordFormDialog], None]) -> list[str]:
    """Run `action` on the modal form that opens next; the problems met (asserted after)."""
    problems = ["no form opened"]
    tries = iter(range(100))

    def act() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, RecordFormDialog):
            if next(tries, None) is not None:
                QTimer.singleShot(20, act)
            return
        problems.clear()
        try:
            action(modal)
        except (AssertionError, KeyError) as problem:
            problems.append(str(problem) or repr(problem))
        if modal.isVisible():
            problems.append(f"still open: {modal.errors() or modal.status.text()}")
            modal.done(0)

    QTimer.singleShot(0, act)
    return problems


def test_an_email_dropped_on_the_complaints_list_proposes_a_complaint_kept_with_it(
        qtbot, database, tmp_path) -> None:
    mail = eml(tmp_path / "Plainte de Renée.eml")
    window = shown_window(database, qtbot)
    pane = window.show_pane(Kind.COMPLAINT.name)
    window.dialogs.answers.extend(["cancel", True])  # Esc: back to the form; a new team: yes
    proposed: dict[str, object] = {}

    def check_and_save(form: RecordFormDialog) -> None:
        editors = form.view.editors
        proposed.update({name: editors[name].get() for name in
                         ("reference", "received", "stage", "complainant", "summary",
                          "notes")})
        assert form.windowTitle().startswith("New complaint")
        assert form.is_dirty()  # proposed as if typed: Esc asks
        form.reject()
        assert form.isVisible()  # "cancel": back to the form
        assert form.documents_note.text() == (
            "“Plainte de Renée.eml” will be kept with the complaint when you save it.")
        editors["team"].set("Fostering")
        form.save_and_close()

    problems = in_next_form(check_and_save)
    assert drop(pane.table, [mail])
    assert problems == []

    assert proposed["reference"] == "C-0101"  # the next reference, as on a blank form
    assert proposed["received"] == date(2024, 5, 14)
    assert proposed["stage"] == 1
    assert proposed["complainant"] == "Renée Façade"
    summary = str(proposed["summary"])
    assert summary.startswith(SUBJECT)
    assert "La visite prévue le 2 mai n'a pas eu lieu. Je suis très déçue." in summary
    assert "renee@example.org" in str(proposed["notes"])
    assert "12 Rue de l'Église" in str(proposed["notes"])
    reference = str(proposed["reference"])
    with database.session() as session:
        saved = records.load(session, Kind.COMPLAINT, reference)
        assert saved is not None and saved.complainant == "Renée Façade"
        (kept,) = documents.list_for(session, Kind.COMPLAINT, reference)
        assert documents.read(session, kept.id) == mail.read_bytes()
    assert kept.name == "Plainte de Renée.eml"
    assert kept.email is not None and kept.email.subject == SUBJECT
    assert kept.email.sender == "Renée Façade <renee@example.org>"


def test_a_record_from_an_email_not_saved_keeps_nothing(qtbot, database, tmp_path) -> None:
    mail = eml(tmp_path / "mail.eml")
    window = shown_window(database, qtbot)
    window.show_pane(Kind.ENQUIRY.name)
    window.dialogs.answers.extend([mail, "discard"])  # the file chosen; Esc: discard

    def look_and_leave(form: RecordFormDialog) -> None:
        assert form.kind is Kind.ENQUIRY
        assert form.view.editors["enquirer"].get() == "Renée Façade"
        form.reject()

    problems = in_next_form(look_and_leave)
    assert window.new_from_email() is None  # File › New from email…
    assert problems == []
    with database.session() as session:
        assert records.load(session, Kind.ENQUIRY, "EN-0101") is None
        from sqlalchemy import func, select

        from cscdesk.store.models import Document

        assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_a_file_that_is_not_an_email_gets_a_sentence(qtbot, database, tmp_path) -> None:
    note = tmp_path / "notes.txt"
    note.write_text("not an email")
    window = shown_window(database, qtbot)
    pane = window.show_pane(Kind.COMPLIMENT.name)
    assert drop(pane.table, [note])
    (kind, title, text), = window.dialogs.shown
    assert (kind, title) == ("warn", "No record made from the email")
    assert text.startswith("“notes.txt” is not an email: a new record is made from an email")
    assert pane.email_button is not None and "Ctrl+Shift+E" in pane.email_button.toolTip()
