"""The casework sections of the appendix PDF, read back with pdfplumber: headings after the
example's sections, sentences and every table cell (expected values worked out by hand in
test_figures_casework), and nothing new, nor any change, for a year without such data."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData
from cscdesk.domain.years import ReportingYear
from cscdesk.report.content import load_content
from cscdesk.store import records
from test_figures_casework import (
    EMPTY_YEAR,
    EXPECTED_ACTIONS_BY_TEAM,
    EXPECTED_COMPLIANCE,
    EXPECTED_DECISIONS,
    EXPECTED_LETTER,
    EXPECTED_REMEDIES,
    EXPECTED_STEPS,
    Y,
    load_casework,
)
from test_figures_dataset import load_dataset
from test_report_pdf import read_pdf, render, table_starting

both_engines = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)

HEADINGS = ["Stage 2 and Stage 3 Steps:", "Learning and Actions:", "Remedies:",
            "Ombudsman Decisions:"]


def _pdf(database, year, *, without_casework=False):
    with database.session() as session:
        content = load_content(session, year)
    if without_casework:
        content = dataclasses.replace(
            content, figures=dataclasses.replace(content.figures, casework=None))
    return read_pdf(render(content))


def _without_footers(text: str) -> str:
    return " ".join(re.sub(r"The Council – Children's Social Care Page \d+ of \d+", " ",
                           text).split())


@both_engines
def test_the_casework_sections_follow_the_example_s(database):
    load_casework(database)
    tables, text, _, _ = _pdf(database, Y)
    expected_in_order = [
        "External Compliments:",
        "Stage 2 and Stage 3 Steps:",
        "at Stage 2 the adjudication (the response) within 25 working days of the complaint, "
        "or 65 when extended; at Stage 3 the review panel within 30 working days of the "
        "request, the panel's report within 5 working days of the panel, and the council's "
        "response within 15 working days of the report.",
        "a step not yet taken counts as late.",
        "Learning and Actions:",
        "During the reporting period 10 actions were agreed and 7 were completed. At the end "
        "of the period (31/03/2019) 4 actions were open and overdue.",
        "Remedies:",
        "3 remedies for complainants were agreed during the reporting period, 2 of them "
        "financial; 2 payments totalling £325 were made during the period.",
        "Ombudsman Decisions:",
        "The Ombudsman decided 3 complaints during the reporting period, as below.",
        "3 Ombudsman recommendations fell due during the reporting period, as below.",
        "The Ombudsman's annual letter gives these figures for the year.",
    ]
    position = 0
    for sentence in expected_in_order:
        found = text.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)
    assert "Secret" not in text and "Action A1" not in text  # names, evidence, what: never

    assert table_starting(tables, "Step") == [
        ["Step", "Due in period", "On time", "Late", "% on time"], *EXPECTED_STEPS]
    assert table_starting(tables, "Team") == [
        ["Team", "Agreed", "Completed", "Overdue at year end"], *EXPECTED_ACTIONS_BY_TEAM]
    assert table_starting(tables, "Remedies agreed") == [
        ["Remedies agreed", "Of which financial", "Total paid"], EXPECTED_REMEDIES]
    assert table_starting(tables, "Ombudsman decision") == [
        ["Ombudsman decision", "Number"], *EXPECTED_DECISIONS]
    assert table_starting(tables, "Ombudsman recommendations due in period") == [
        ["Ombudsman recommendations due in period", "Number"], *EXPECTED_COMPLIANCE]
    assert table_starting(tables, "The Ombudsman's annual letter for 2018/19") == [
        ["The Ombudsman's annual letter for 2018/19", "Figure"], *EXPECTED_LETTER]


def test_the_example_s_sections_are_unchanged_before_them(database):
    load_casework(database)
    tables, text, _, _ = _pdf(database, Y)
    old_tables, old_text, _, _ = _pdf(database, Y, without_casework=True)
    start = text.index(HEADINGS[0])
    assert _without_footers(text[:start]) == _without_footers(old_text)
    assert tables[:len(old_tables)] == old_tables


@both_engines
def test_a_year_without_casework_prints_what_it_printed_before(database):
    """The crafted dataset's 2017/18 (complaints, enquiries, compliments; no Stage 2 or 3 step
    due, no action, decision or letter), then with the casework records the empty 2016/17."""
    load_dataset(database)
    for year in (ReportingYear(2017), EMPTY_YEAR):
        if year == EMPTY_YEAR:
            load_casework(database)
        tables, text, _, pages = _pdf(database, year)
        assert not [heading for heading in HEADINGS if heading in text], year
        old_tables, old_text, _, old_pages = _pdf(database, year, without_casework=True)
        assert (tables, text, pages) == (old_tables, old_text, old_pages)


def test_a_long_actions_table_repeats_its_header_on_each_page(database):
    teams = [f"Team {n:03d} <North> & South" for n in range(90)]
    with database.transaction() as session:
        records.save(session, ComplaintData("C-1", date(2018, 5, 1), 1, "Adoption"))
        for number, team in enumerate(teams):
            records.save(session, ActionData(
                f"A-{number}", date(2018, 6, 1), "C-1", ActionKind.LEARNING, team, "Do it",
                date(2018, 7, 1), date(2018, 6, 20)))
    tables, _, _, _ = _pdf(database, Y)
    parts = [table for table in tables if table and table[0][0] == "Team"]
    assert len(parts) >= 2
    assert all(part[0] == ["Team", "Agreed", "Completed", "Overdue at year end"]
               for part in parts)
    assert table_starting(tables, "Team")[1:] == [[team, "1", "1", "0"] for team in teams]


def test_the_lead_sentence_says_the_working_days_of_the_rules():
    from cscdesk.domain import steps
    from cscdesk.domain.workdays import RESPONSE_DAYS
    from cscdesk.report.casework_sections import STEP_DAYS

    rules = {"stage2": RESPONSE_DAYS[2][0], "stage2_extended": RESPONSE_DAYS[2][1],
             "panel": steps.PANEL_DAYS, "panel_report": steps.PANEL_REPORT_DAYS,
             "stage3_response": steps.STAGE3_RESPONSE_DAYS}
    assert rules == STEP_DAYS


def test_a_report_without_stage3_panels_never_loads_the_bank_holidays(database, tmp_path):
    """Loading them costs about 0.1 s; the crafted dataset's Stage 2 step section needs only
    the stored due dates."""
    import subprocess
    import sys

    load_dataset(database)
    database.close()
    code = ("import sys; from cscdesk.report.appendix import make_appendix_from_file; "
            "make_appendix_from_file(sys.argv[1], '2018', sys.argv[2]); "
            "print('holidays' in sys.modules)")
    output = tmp_path / "a.pdf"
    result = subprocess.run([sys.executable, "-c", code, str(database.path), str(output)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    tables, _, _, _ = read_pdf(output.read_bytes())
    assert table_starting(tables, "Step")[1] == [
        "Stage 2 adjudication (response)", "1", "1", "0", "100%"]  # C5: due 9/07, on time
