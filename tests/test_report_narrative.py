"""Editable paragraphs and root-cause themes, stored per year in the database."""
# ruff: noqa: F811  (the `database` fixture is imported from test_figures_dataset)

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from cscdesk import settings
from cscdesk.domain.kinds import ComplaintData, Outcome
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.report import narrative
from cscdesk.report.content import load_content
from cscdesk.report.figures import Theme
from cscdesk.store import records
from test_figures_dataset import database, empty_database_file  # noqa: F401

Y = ReportingYear(2018)


def test_defaults_are_the_example_wording(database):
    with database.session() as session:
        items = narrative.texts_for(session, Y)
    assert list(items) == list(narrative.TEXT_LABELS)
    adr = items["adr"]
    assert adr.default.startswith("Complainants are seeking resolution")
    assert len(narrative.paragraphs(adr.default)) == 2
    assert adr.current == adr.default and not adr.edited
    assert "Independent Reviewing Officer (IRO)" in items["dispute_resolution"].default


def test_edit_is_per_year_and_reset_restores_the_default(database):
    with database.transaction() as session:
        narrative.save_texts(session, Y, {"initial_feedback": "  Our own words.\r\n  "})
    with database.session() as session:
        this_year = narrative.texts_for(session, Y)["initial_feedback"]
        other_year = narrative.texts_for(session, Y.previous)["initial_feedback"]
    assert this_year.current == "Our own words." and this_year.edited
    assert not other_year.edited
    with database.transaction() as session:
        narrative.reset(session, Y, "initial_feedback")
    with database.session() as session:
        assert not narrative.texts_for(session, Y)["initial_feedback"].edited


def test_saving_the_default_text_removes_the_edit(database):
    default = narrative.default_text("adr")
    with database.transaction() as session:
        narrative.save_texts(session, 2018, {"adr": "Changed."})
        narrative.save_texts(session, 2018, {"adr": default + "\n"})
    with database.session() as session:
        rows = session.execute(text("SELECT COUNT(*) FROM narrative_text")).scalar()
    assert rows == 0


def test_unknown_key_is_refused(database):
    with database.transaction() as session, pytest.raises(InputError, match="not a paragraph"):
        narrative.save_texts(session, Y, {"nonsense": "x"})


def test_themes_are_proposed_then_edited_then_reset(database):
    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C1", date(2018, 5, 1), 1, "Adoption", closed=date(2018, 5, 2),
            outcome=Outcome.UPHELD, root_cause="Communication", learning="Call back."))
    with database.session() as session:
        item = narrative.themes_for(session, Y)
    assert [t.name for t in item.proposed.themes] == ["Communication"]
    assert item.current == item.proposed and not item.current.edited

    with database.transaction() as session:
        narrative.save_themes(session, Y, [
            Theme("Communication & <tone>", None, ("Call back.", "  ", "Write plainly.")),
            Theme("", None, ()),
        ])
    with database.session() as session:
        item = narrative.themes_for(session, Y)
        content = load_content(session, Y)
    assert item.current.edited
    assert [(t.name, t.learning) for t in item.current.themes] == [
        ("Communication & <tone>", ("Call back.", "Write plainly."))]
    assert content.themes_current == item.current
    assert not content.themes_previous.edited

    with database.transaction() as session:
        narrative.reset(session, Y, narrative.THEMES_KEY)
    with database.session() as session:
        assert not narrative.themes_for(session, Y).current.edited


def test_more_than_three_themes_are_refused(database):
    themes = [Theme(f"T{i}", None, ()) for i in range(4)]
    with database.transaction() as session, pytest.raises(InputError, match="at most 3"):
        narrative.save_themes(session, Y, themes)


def test_content_uses_settings_and_edits(database):
    with database.transaction() as session:
        settings.put(session, settings.COUNCIL_NAME, "Borsetshire County Council")
        settings.put(session, settings.APPENDIX_NUMBER, "Appendix 3")
        settings.put(session, settings.SMALL_NUMBER_SUPPRESSION, True)
        narrative.save_texts(session, Y, {"adr": "First.\n\nSecond."})
    with database.session() as session:
        content = load_content(session, Y)
        forced = load_content(session, Y, suppress_small=False)
    assert content.title == ("Appendix 3 - 2018/19 - Children's Social Care – Complaints & "
                             "Representations")
    assert content.council_name == "Borsetshire County Council"
    assert content.suppress_small and not forced.suppress_small
    assert content.texts["adr"] == "First.\n\nSecond."
