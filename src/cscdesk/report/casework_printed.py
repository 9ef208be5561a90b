"""The casework sections' words and tables as the appendix prints them (plain strings).

One source for the PDF (`casework_sections`), `cscdesk figures` and its JSON: each table is a
list of rows, the header first, each cell a string.
"""

from __future__ import annotations

from cscdesk.report import formatting as fmt
from cscdesk.report.casework import (
    ACTIONS,
    OMBUDSMAN,
    REMEDIES,
    STEPS,
    CaseworkFigures,
)
from cscdesk.store.ombudsman_letters import FIGURES as LETTER_FIGURES
from cscdesk.store.ombudsman_letters import PERCENT_FIGURES

HEADINGS = {
    STEPS: "Stage 2 and Stage 3 Steps:",
    ACTIONS: "Learning and Actions:",
    REMEDIES: "Remedies:",
    OMBUDSMAN: "Ombudsman Decisions:",
}
STEPS_HEADER = ["Step", "Due in period", "On time", "Late", "% on time"]
ACTIONS_HEADER = ["Team", "Agreed", "Completed", "Overdue at year end"]
REMEDIES_HEADER = ["Remedies agreed", "Of which financial", "Total paid"]
DECISIONS_HEADER = ["Ombudsman decision", "Number"]
COMPLIANCE_HEADER = ["Ombudsman recommendations due in period", "Number"]
LETTER_HEADER_SECOND = "Figure"


def _count(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {fmt.plural(count, singular, plural)}"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def steps_table(casework: CaseworkFigures) -> list[list[str]]:
    return [STEPS_HEADER, *([s.label, str(s.due), str(s.on_time), str(s.late),
                             fmt.format_percent(s.on_time_percent)] for s in casework.steps)]


def actions_sentence(casework: CaseworkFigures) -> str:
    actions = casework.actions
    agreed = ("no actions were agreed" if actions.agreed == 0
              else f"{_count(actions.agreed, 'action')} {_were(actions.agreed)} agreed")
    completed = ("none were completed" if actions.completed == 0
                 else f"{actions.completed} {_were(actions.completed)} completed")
    overdue = actions.overdue_at_year_end
    at_end = (f"At the end of the period ({casework.year_end:%d/%m/%Y}) "
              + ("no actions were open and overdue." if overdue == 0
                 else f"{_count(overdue, 'action')} {_were(overdue)} open and overdue."))
    return f"During the reporting period {agreed} and {completed}. {at_end}"


def actions_table(casework: CaseworkFigures, *, suppress: bool = False) -> list[list[str]]:
    """Actions by team; with `suppress`, counts of 1 to 4 print as <5 (a team table)."""
    def count(value: int) -> str:
        return fmt.format_count(value, suppress=suppress)

    return [ACTIONS_HEADER, *([t.team, count(t.agreed), count(t.completed), count(t.overdue)]
                              for t in casework.actions.by_team)]


def remedies_sentence(casework: CaseworkFigures) -> str:
    remedies = casework.remedies
    if remedies.agreed == 0:
        agreed = "No remedies for complainants were agreed during the reporting period"
    else:
        agreed = (f"{_count(remedies.agreed, 'remedy', 'remedies')} for complainants "
                  f"{_were(remedies.agreed)} agreed during the reporting period, "
                  f"{remedies.financial} of them financial")
    if remedies.paid == 0:
        paid = "no payments were made during the period"
    else:
        paid = (f"{_count(remedies.paid, 'payment')} totalling "
                f"{fmt.format_money(remedies.paid_pence)} {_were(remedies.paid)} made during "
                "the period")
    return f"{agreed}; {paid}."


def remedies_table(casework: CaseworkFigures) -> list[list[str]]:
    remedies = casework.remedies
    return [REMEDIES_HEADER, [str(remedies.agreed), str(remedies.financial),
                              fmt.format_money(remedies.paid_pence)]]


def decisions_sentence(casework: CaseworkFigures) -> str:
    decided = casework.ombudsman.decided
    if decided == 0:
        return "No Ombudsman decisions on complaints were recorded during the reporting period."
    return (f"The Ombudsman decided {_count(decided, 'complaint')} during the reporting "
            "period, as below.")


def decisions_table(casework: CaseworkFigures) -> list[list[str]]:
    ombudsman = casework.ombudsman
    return [DECISIONS_HEADER, *([d.outcome, str(d.count)] for d in ombudsman.decisions),
            ["Total", str(ombudsman.decided)]]


def compliance_sentence(casework: CaseworkFigures) -> str:
    due = casework.ombudsman.compliance.due
    if due == 0:
        return "No Ombudsman recommendations fell due during the reporting period."
    return (f"{_count(due, 'Ombudsman recommendation')} fell due during the reporting "
            "period, as below.")


def compliance_table(casework: CaseworkFigures) -> list[list[str]]:
    compliance = casework.ombudsman.compliance
    return [COMPLIANCE_HEADER,
            ["Complied with on time", str(compliance.on_time)],
            ["Complied with late", str(compliance.late)],
            ["Not yet complied with", str(compliance.not_yet)],
            ["Total", str(compliance.due)]]


def letter_heading(casework: CaseworkFigures) -> str:
    return f"The Ombudsman's annual letter for {casework.year.label}"


def letter_table(casework: CaseworkFigures) -> list[list[str]] | None:
    """The letter's figures that were given, or None when no letter was entered."""
    letter = casework.ombudsman.letter
    if letter is None:
        return None
    return [[letter_heading(casework), LETTER_HEADER_SECOND],
            *([LETTER_FIGURES[key], f"{value}%" if key in PERCENT_FIGURES else str(value)]
              for key, value in letter.given())]


def tables(casework: CaseworkFigures) -> dict[str, list[list[str]]]:
    """Every table of the sections shown, by name (as `figures --json` prints them)."""
    found: dict[str, list[list[str]]] = {}
    if STEPS in casework.shown:
        found["steps"] = steps_table(casework)
    if ACTIONS in casework.shown:
        found["actions_by_team"] = actions_table(casework)
    if REMEDIES in casework.shown:
        found["remedies"] = remedies_table(casework)
    if OMBUDSMAN in casework.shown:
        if casework.ombudsman.decided:
            found["ombudsman_decisions"] = decisions_table(casework)
        if casework.ombudsman.compliance.due:
            found["ombudsman_compliance"] = compliance_table(casework)
        letter = letter_table(casework)
        if letter is not None:
            found["ombudsman_letter"] = letter
    return found
