"""Settings › Letters against a real database: the templates in use, Open in Word (a
temporary copy), Replace with my file (checked first) and Reset to the default, the merge
fields shown, and the buttons kept for the logins that may change settings."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from ui_data import copied_database

from cscdesk import letters
from cscdesk.store import letter_templates
from cscdesk.ui import temp_copies
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.letters_settings import LettersSettings
from cscdesk.ui.settings_pane import SettingsPane


def word_file(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


@pytest.fixture
def opened():
    """What the letters pane asked the system to open (nothing is opened for real)."""
    paths: list[Path] = []
    yield paths
    temp_copies.remove_all()


def make_pane(database, dialogs, opened, qtbot) -> LettersSettings:
    pane = LettersSettings(database, dialogs, open_path=lambda path: opened.append(path) or True)
    qtbot.addWidget(pane)
    pane.refresh()
    return pane


def test_the_templates_and_merge_fields_are_listed(database, qtbot, opened):
    pane = make_pane(database, ScriptedDialogs(), opened, qtbot)
    shown = [pane.template_list.item(row).text() for row in range(pane.template_list.count())]
    assert shown[0] == "Stage 1 acknowledgement — the default"
    assert len(shown) == len(letters.TEMPLATES)
    table = pane.fields_table
    rows = {table.item(row, 0).text(): table.item(row, 1).text()
            for row in range(table.rowCount())}
    assert rows["{{ due_date }}"].startswith("A complaint's response due date")
    assert "{{ officer_title }}" in rows and "{{ council_name }}" in rows
    assert not pane.reset_button.isEnabled()  # nothing to reset: the default is in use


def test_open_in_word_writes_a_temporary_copy(database, qtbot, opened):
    pane = make_pane(database, ScriptedDialogs(), opened, qtbot)
    pane.select("stage1_response")
    qtbot.mouseClick(pane.open_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].name == "Stage 1 response.docx"
    assert opened[0].read_bytes() == letters.templates.default_data("stage1_response")
    assert opened[0].parent.parent.name.startswith("cscdesk-")
    assert "temporary copy" in pane.message.text()
    temp_copies.remove_all()
    assert not opened[0].exists() and not opened[0].parent.parent.exists()


def test_replace_refuses_a_broken_file_then_keeps_a_good_one_and_resets(
        database, qtbot, opened, tmp_path):
    broken = word_file(tmp_path / "broken.docx", "Hello", "Dear {{ complainent }}")
    good = word_file(tmp_path / "ours.docx", "Dear {{ complainant_name }}, ref {{ reference }}")
    dialogs = ScriptedDialogs(broken, good, True)  # two files chosen, then "reset?" yes
    pane = make_pane(database, dialogs, opened, qtbot)
    changed: list[bool] = []
    pane.changed.connect(lambda: changed.append(True))
    pane.select("extension_notice")

    qtbot.mouseClick(pane.replace_button, Qt.MouseButton.LeftButton)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "Replace the Extension notice template")
    assert "“broken.docx” was not kept" in text and "Paragraph 2" in text
    assert "“complainent”" in text and "complainant_name" in text
    with database.session() as session:
        assert letter_templates.read(session, "extension_notice") is None

    qtbot.mouseClick(pane.replace_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        own = letter_templates.read(session, "extension_notice")
        assert own is not None and own.file_name == "ours.docx"
    assert pane.current().key == "extension_notice"
    assert pane.template_list.currentItem().text() == "Extension notice — your file “ours.docx”"
    assert pane.message.text() == "The Extension notice letter now uses your file “ours.docx”."
    assert pane.reset_button.isEnabled() and changed == [True]

    qtbot.mouseClick(pane.open_button, Qt.MouseButton.LeftButton)
    opened_text = [p.text for p in docx.Document(str(opened[-1])).paragraphs]
    assert opened_text == ["Dear {{ complainant_name }}, ref {{ reference }}"]

    qtbot.mouseClick(pane.reset_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown[-1][0] == "confirm" and "ours.docx" in dialogs.shown[-1][2]
    with database.session() as session:
        assert letter_templates.read(session, "extension_notice") is None
    assert pane.template_list.currentItem().text() == "Extension notice — the default"
    assert not pane.reset_button.isEnabled() and changed == [True, True]


def test_a_file_that_is_not_word_is_refused(database, qtbot, opened, tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    dialogs = ScriptedDialogs(pdf)
    pane = make_pane(database, dialogs, opened, qtbot)
    pane.replace()
    assert "“letter.pdf” is not a Word document (.docx)" in dialogs.shown[-1][2]


def test_the_settings_pane_has_a_letters_tab_and_the_sign_off(database, qtbot):
    from cscdesk import settings

    pane = SettingsPane(database, ScriptedDialogs())
    qtbot.addWidget(pane)
    pane.refresh()
    assert pane.tabs.tabText(1) == "&Letters" and pane.tabs.widget(1) is pane.letters
    officer = pane.inputs[settings.OFFICER_NAME.key]
    assert officer.accessibleName() == "Officer's name on letters"
    officer.setText("Zoë Ng")  # typed: keyClicks sends ASCII only
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        assert settings.get(session, settings.OFFICER_NAME) == "Zoë Ng"
        assert settings.get(session, settings.OFFICER_TITLE) == "Complaints Manager"


@pytest.mark.postgresql
def test_only_a_login_that_may_change_settings_replaces_templates(server_url, postgres,
                                                                   qtbot, tmp_path):
    from psycopg import sql

    from cscdesk.domain.kinds import ComplimentData, Kind
    from cscdesk.store import records
    from cscdesk.store.engine import open_database
    from cscdesk.store.location import ServerURL

    def signed_in(role: str):
        login = f"letters_{role}_{abs(hash(str(server_url))) % 10_000}"
        postgres.admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        postgres.admin.execute(sql.SQL("GRANT {} TO {}").format(
            sql.Identifier(f"cscdesk_{role}"), sql.Identifier(login)))
        return open_database(ServerURL(str(server_url).replace("user=postgres",
                                                               f"user={login}")))

    officer, manager = signed_in("officer"), signed_in("manager")
    try:
        for database, may in ((officer, False), (manager, True)):
            pane = LettersSettings(database, ScriptedDialogs())
            qtbot.addWidget(pane)
            pane.refresh()
            assert pane.replace_button.isEnabled() is may
            if not may:
                assert "the officer role" in pane.replace_button.toolTip()
        ours = word_file(tmp_path / "thanks.docx", "Thank you ({{ reference }}).")
        pane = LettersSettings(manager, ScriptedDialogs(ours))
        qtbot.addWidget(pane)
        pane.refresh()
        pane.select("compliment_thanks")
        pane.replace()
        with officer.transaction() as session:
            records.save(session, ComplimentData(reference="K-1", received=date(2024, 5, 3),
                                                      team="Fostering"))
        with officer.session() as session:  # the officer's letters use the manager's file
            _, data = letters.make_letter(session, Kind.COMPLIMENT, "K-1", "compliment_thanks")
        assert [p.text for p in docx.Document(io.BytesIO(data)).paragraphs] == [
            "Thank you (K-1)."]
    finally:
        officer.close()
        manager.close()
