"""What a login's role allows on a server, as the app shows it: the server's own answers
(store.capabilities), and the controls switched off with a tooltip that says why. The server
refusing the same actions is tested in test_server_setup."""

from __future__ import annotations

import pytest
from psycopg import sql

from cscdesk.store.engine import open_database, server_problem_sentence
from cscdesk.store.location import ServerURL
from cscdesk.store.models import Team
from cscdesk.ui.dialog_service import ScriptedDialogs

pytestmark = pytest.mark.postgresql

ROLES = ("officer", "manager", "auditor")


@pytest.fixture
def as_role(server_url, postgres):
    """A function giving `server_url` signed in as a new login holding `role`."""
    made: list = []

    def signed_in(role: str) -> ServerURL:
        login = f"{role}_{len(made)}_{abs(hash(str(server_url))) % 10_000}"
        postgres.admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        postgres.admin.execute(sql.SQL("GRANT {} TO {}").format(
            sql.Identifier(f"cscdesk_{role}"), sql.Identifier(login)))
        database = open_database(ServerURL(str(server_url).replace("user=postgres",
                                                                   f"user={login}")))
        made.append(database)
        return database

    yield signed_in
    for database in made:
        database.close()


def test_each_role_is_read_from_the_server(as_role, server_url) -> None:
    expected = {"officer": (True, False, False, True), "manager": (False, True, True, False),
                "auditor": (False, False, False, True)}
    for role in ROLES:
        found = as_role(role).capabilities
        assert found.role == role
        assert (found.write_records, found.change_lists, found.change_settings,
                found.read_audit) == expected[role]
    owner = open_database(server_url)
    try:
        assert owner.capabilities.role == "owner" and owner.capabilities.write_records
    finally:
        owner.close()


def test_settings_and_lists_are_the_managers(as_role, qtbot) -> None:
    from cscdesk.ui.lists_pane import ListsPane
    from cscdesk.ui.settings_pane import SettingsPane

    for role, may in (("officer", False), ("manager", True), ("auditor", False)):
        database = as_role(role)
        settings = SettingsPane(database, ScriptedDialogs())
        lists = ListsPane(database, ScriptedDialogs(), Team)
        for pane in (settings, lists):
            qtbot.addWidget(pane)
        assert settings.save_button.isEnabled() is may
        assert settings.add_day_button.isEnabled() is may
        assert lists.rename_button.isEnabled() is may and lists.add_button.isEnabled() is may
        if not may:
            assert f"the {role} role" in settings.save_button.toolTip()
            assert "cscdesk server grant" in lists.rename_button.toolTip()


def test_records_work_is_the_officers_and_the_history_the_auditors(as_role, qtbot) -> None:
    from cscdesk.ui.privacy_pane import PrivacyPane

    for role, writes, reads_history in (("officer", True, True), ("manager", False, False),
                                        ("auditor", False, True)):
        pane = PrivacyPane(as_role(role), ScriptedDialogs())
        qtbot.addWidget(pane)
        pane.refresh()
        assert pane.retention.hold_button.isEnabled() is writes
        assert pane.subject_access.search_button.isEnabled() is reads_history
        if not writes:
            assert "may not add, change or delete records" in pane.bin.restore_button.toolTip()


def test_the_appendix_is_anyones_its_wording_the_managers(as_role, qtbot) -> None:
    from cscdesk.ui.appendix_dialog import AppendixDialog

    for role, may in (("officer", False), ("manager", True)):
        dialog = AppendixDialog(as_role(role), ScriptedDialogs())
        qtbot.addWidget(dialog)
        assert dialog.make_button.isEnabled()
        assert dialog.edit_toggle.isEnabled() is may and dialog.folder_button.isEnabled() is may


def test_a_refusal_nobody_foresaw_is_a_sentence(as_role) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    auditor = as_role("auditor")
    with pytest.raises(DBAPIError) as refused, auditor.transaction() as session:
        session.execute(text("UPDATE setting SET value = 'x'"))
    sentence = server_problem_sentence(refused.value)
    assert sentence is not None and sentence.startswith("Your login may not do this")
    assert server_problem_sentence(ValueError("a bug")) is None


def test_new_records_and_saves_are_the_officers(as_role, server_url, qtbot) -> None:
    from datetime import date

    from ui_data import shown_window

    from cscdesk.domain.kinds import ComplaintData, Kind
    from cscdesk.store import records
    from cscdesk.ui.forms import RecordFormDialog

    owner = open_database(server_url)
    with owner.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2026, 10, 1), 1, "Fostering"))
    owner.close()
    for role, writes, history in (("officer", True, True), ("manager", False, False),
                                  ("auditor", False, True)):
        database = as_role(role)
        window = shown_window(database, qtbot)
        window.show_pane(Kind.COMPLAINT.name)
        assert window.action_new.isEnabled() is writes
        assert window.action_import.isEnabled() is writes
        form = RecordFormDialog(window, database, Kind.COMPLAINT, "C-1", ScriptedDialogs())
        qtbot.addWidget(form)
        assert form.save_button.isEnabled() is writes
        assert form.delete_button.isEnabled() is writes
        assert form.history_button.isEnabled() is history
        assert form.view.editors["summary"].input.isEnabled() is writes
        if not writes:
            assert "Read only" in form.provenance.text()
            assert not form.save() and not form.delete()
        window.close()
