"""The statutory sections' words and tables as the appendix prints them (plain strings).

One source for the PDF, `cscdesk figures` and its JSON: each table is a list of rows, the
header first, each cell a string. A year whose figures were entered by hand has no records to
break down: each section prints `hand_entered_sentence` instead of its table.
"""

from __future__ import annotations

from cscdesk.report import formatting as fmt
from cscdesk.report.pack_choice import OUTCOMES, TIMELINESS, WHO_COMPLAINED
from cscdesk.report.statutory import StatutoryFigures

SECTIONS = (TIMELINESS, OUTCOMES, WHO_COMPLAINED)

HEADINGS = {
    TIMELINESS: "Timeliness by Stage:",
    OUTCOMES: "Outcomes by Stage:",
    WHO_COMPLAINED: "Who Complained:",
}
INTROS = {
    TIMELINESS: (
        "Complaints whose response was due during the reporting period, by stage: how many "
        "were answered on or before the due date and how many late (a complaint not yet "
        "answered counts as late), and how many of them had their time limit extended. "
        "Cancelled complaints are left out."
    ),
    OUTCOMES: (
        "Complaints closed during the reporting period, by stage and outcome, whenever they "
        "were received."
    ),
    WHO_COMPLAINED: (
        "Complaints received during the reporting period (all stages), by who made them."
    ),
}

_SUBJECTS = {
    TIMELINESS: "the timeliness of responses by stage",
    OUTCOMES: "the outcomes by stage",
    WHO_COMPLAINED: "who complained",
}

TIMELINESS_HEADER = ["Stage", "Due in period", "On time", "Late", "Of which extended",
                     "% on time"]
OUTCOMES_HEADER = ["Stage", "Upheld", "Partially upheld", "Not upheld", "Cancelled",
                   "Total closed"]
WHO_HEADER = ["Who complained", "Complaints received"]


def _stage(stage: int) -> str:
    return f"Stage {stage}"


def hand_entered_sentence(figures: StatutoryFigures, section: str) -> str:
    """What a section prints for a year whose figures were entered by hand."""
    return (f"The figures for {figures.year.label} were entered by hand, so "
            f"{_SUBJECTS[section]} cannot be given from case records.")


def timeliness_table(figures: StatutoryFigures) -> list[list[str]]:
    return [TIMELINESS_HEADER, *([_stage(t.stage), str(t.due), str(t.on_time), str(t.late),
                                  str(t.extended), fmt.format_percent(t.on_time_percent)]
                                 for t in figures.timeliness)]


def outcomes_table(figures: StatutoryFigures) -> list[list[str]]:
    return [OUTCOMES_HEADER, *([_stage(o.stage), str(o.upheld), str(o.partially_upheld),
                                str(o.not_upheld), str(o.cancelled), str(o.total)]
                               for o in figures.outcomes)]


def who_table(figures: StatutoryFigures, *, suppress: bool) -> list[list[str]]:
    """Complaints received by who made them; with `suppress`, 1 to 4 print as <5."""
    return [WHO_HEADER, *([c.group, fmt.format_count(c.count, suppress=suppress)]
                          for c in figures.who_complained)]


def tables(figures: StatutoryFigures, *, suppress: bool) -> dict[str, list[list[str]]]:
    """The three tables by name, as `figures --json` prints them; none for a hand-entered
    year, which prints its sentences instead."""
    if figures.hand_entered:
        return {}
    return {
        TIMELINESS: timeliness_table(figures),
        OUTCOMES: outcomes_table(figures),
        WHO_COMPLAINED: who_table(figures, suppress=suppress),
    }
