"""Settings, the appendix's wording and the names of teams are not saved over a colleague's
change unseen either (store.shared_values): two PCs (two `Database`s) on one server database,
real panes; a change to another value than the colleague's is saved without a question and
leaves theirs as it is."""

from __future__ import annotations

from datetime import date

import pytest

from cscdesk import settings
from cscdesk.domain.kinds import ComplaintData
from cscdesk.store import records
from cscdesk.store.engine import open_database
from cscdesk.store.models import Team
from cscdesk.ui.dialog_service import ScriptedDialogs
from cscdesk.ui.forms.conflict import KEEP_MINE, TAKE_THEIRS

pytestmark = pytest.mark.postgresql


@pytest.fixture
def two_pcs(server_url):
    first, second = open_database(server_url), open_database(server_url)
    with first.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2024, 10, 1), 1, "Fostering"))
    yield first, second
    first.close()
    second.close()


def stored(database, option):  # type: ignore[no-untyped-def]
    with database.session() as session:
        return settings.get(session, option)


def settings_pane(qtbot, database, dialogs):  # type: ignore[no-untyped-def]
    from cscdesk.ui.settings_pane import SettingsPane

    pane = SettingsPane(database, dialogs)
    qtbot.addWidget(pane)
    pane.refresh()
    return pane


def conflicts_shown(dialogs: ScriptedDialogs) -> list[str]:
    return [text for kind, _title, text in dialogs.shown if kind == "resolve_conflict"]


def test_a_setting_changed_on_both_pcs_is_not_saved_over_unseen(two_pcs, qtbot):
    ann, bob = two_pcs
    ann_pane = settings_pane(qtbot, ann, ScriptedDialogs())
    bob_dialogs = ScriptedDialogs("back")
    bob_pane = settings_pane(qtbot, bob, bob_dialogs)
    ann_pane.inputs[settings.COUNCIL_NAME.key].setText("Eastmere Council")
    ann_pane.save()
    bob_pane.inputs[settings.COUNCIL_NAME.key].setText("Westmere Council")
    bob_pane.save()
    (text,) = conflicts_shown(bob_dialogs)
    assert "changed on another PC by postgres at " in text and "Council name" in text
    row = bob_dialogs.conflict_rows[0]
    assert (row.mine, row.theirs) == ("Westmere Council", "Eastmere Council")
    assert stored(ann, settings.COUNCIL_NAME) == "Eastmere Council"
    assert bob_pane.inputs[settings.COUNCIL_NAME.key].text() == "Westmere Council"  # kept


def test_another_setting_is_saved_and_the_colleagues_stays(two_pcs, qtbot):
    ann, bob = two_pcs
    ann_pane = settings_pane(qtbot, ann, ScriptedDialogs())
    bob_dialogs = ScriptedDialogs()
    bob_pane = settings_pane(qtbot, bob, bob_dialogs)
    ann_pane.inputs[settings.COUNCIL_NAME.key].setText("Eastmere Council")
    ann_pane.save()
    bob_pane.inputs[settings.SERVICE_NAME.key].setText("Children's Services")
    bob_pane.save()
    assert conflicts_shown(bob_dialogs) == []
    assert stored(ann, settings.COUNCIL_NAME) == "Eastmere Council"
    assert stored(ann, settings.SERVICE_NAME) == "Children's Services"


@pytest.mark.parametrize("choice", [KEEP_MINE, TAKE_THEIRS])
def test_keep_mine_or_take_theirs(two_pcs, qtbot, choice):
    ann, bob = two_pcs
    ann_pane = settings_pane(qtbot, ann, ScriptedDialogs())
    bob_pane = settings_pane(qtbot, bob, ScriptedDialogs(choice))
    ann_pane.inputs[settings.COUNCIL_NAME.key].setText("Eastmere Council")
    ann_pane.save()
    bob_pane.inputs[settings.COUNCIL_NAME.key].setText("Westmere Council")
    bob_pane.save()
    if choice == KEEP_MINE:
        assert stored(ann, settings.COUNCIL_NAME) == "Westmere Council"
    else:
        assert stored(ann, settings.COUNCIL_NAME) == "Eastmere Council"
        assert bob_pane.inputs[settings.COUNCIL_NAME.key].text() == "Eastmere Council"


def test_a_team_renamed_on_another_pc_is_not_renamed_over(two_pcs, qtbot):
    from cscdesk.ui.lists_pane import ListsPane

    ann, bob = two_pcs
    panes = []
    for database, dialogs in ((ann, ScriptedDialogs()), (bob, ScriptedDialogs("back"))):
        pane = ListsPane(database, dialogs, Team)
        qtbot.addWidget(pane)
        pane.refresh()
        panes.append(pane)
    ann_pane, bob_pane = panes
    team_id = ann_pane.model.entries[0].id
    ann_pane.rename(team_id, "Fostering team")
    bob_pane.rename(team_id, "Fostering and adoption")
    assert "changed on another PC by postgres at " in conflicts_shown(bob_pane.dialogs)[0]
    assert [entry.name for entry in bob_pane.model.entries] == ["Fostering team"]  # theirs
    for pane in (bob_pane, ann_pane):
        pane.table.setCurrentIndex(pane.model.index(0, 0))
    bob_pane.toggle_retired()  # now from what is shown: no question
    assert len(conflicts_shown(bob_pane.dialogs)) == 1
    ann_pane.toggle_retired()  # ann still shows it in use: asked
    assert len(conflicts_shown(ann_pane.dialogs)) == 1
    assert [entry.retired for entry in ann_pane.model.entries] == [True]


def test_the_appendix_wording_is_not_saved_over_unseen(two_pcs, qtbot):
    from cscdesk.ui.appendix_dialog import AppendixDialog

    ann, bob = two_pcs
    dialogs = []
    for database, scripted in ((ann, ScriptedDialogs()), (bob, ScriptedDialogs("back"))):
        dialog = AppendixDialog(database, scripted)
        qtbot.addWidget(dialog)
        dialog.edit_toggle.setChecked(True)
        dialogs.append(dialog)
    ann_dialog, bob_dialog = dialogs
    first, second = list(ann_dialog.text_edits)[:2]
    ann_dialog.text_edits[first].setPlainText("Ann’s opening paragraph.")
    assert ann_dialog.save_texts()
    bob_dialog.text_edits[first].setPlainText("Bob’s opening paragraph.")
    assert not bob_dialog.save_texts()
    assert "wording" in conflicts_shown(bob_dialog.dialogs)[0]
    assert "by postgres at " in conflicts_shown(bob_dialog.dialogs)[0]
    bob_dialog.text_edits[first].setPlainText("Ann’s opening paragraph.")  # took theirs
    bob_dialog._opened_texts[first] = "Ann’s opening paragraph."
    bob_dialog.text_edits[second].setPlainText("Bob’s second paragraph.")
    assert bob_dialog.save_texts()
    with ann.session() as session:
        from cscdesk.report import narrative

        texts = narrative.texts_for(session, bob_dialog.chosen_year())
    assert texts[first].current == "Ann’s opening paragraph."
    assert texts[second].current == "Bob’s second paragraph."
