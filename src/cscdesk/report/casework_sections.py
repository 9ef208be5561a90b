"""The casework sections the appendix adds after the example's, each only when the year has such
data: Stage 2 and Stage 3 steps, learning and actions, remedies, Ombudsman decisions.

Their words and cells come from `casework_printed`; the tables are ruled grids whose header row
repeats when a table runs over a page, as the example's tables. They are plain blocks
(`blocks.py`), printed alike in the PDF and the Word version.
"""

from __future__ import annotations

from collections.abc import Iterable

from cscdesk.report import casework_printed as printed
from cscdesk.report.blocks import CM, TEXT_WIDTH, Block, Gap, Heading, Table, table, text
from cscdesk.report.casework import ACTIONS, OMBUDSMAN, REMEDIES, STEPS, CaseworkFigures

cm = CM

_NAME_WIDTH = 9.5 * cm  # the example's team tables: a name, then a number
_NUMBER_WIDTH = 4.0 * cm


def sections(casework: CaseworkFigures | None, *, suppress: bool = False
             ) -> Iterable[Block]:
    """The casework sections the year has data for, in order (nothing for an `as_of` cut).
    `suppress`: the team table prints counts of 1 to 4 as <5, as the example's team tables."""
    if casework is None:
        return
    for key in (STEPS, ACTIONS, REMEDIES, OMBUDSMAN):
        if key in casework.shown:
            yield Heading(printed.HEADINGS[key])
            if key == ACTIONS:
                yield from _actions(casework, suppress)
            else:
                yield from _SECTIONS[key](casework)


def _widths(first: float, columns: int) -> list[float]:
    return [first] + [(TEXT_WIDTH - first) / (columns - 1)] * (columns - 1)


def _pair_table(rows: list[list[str]]) -> Table:
    return table(rows, [_NAME_WIDTH, _NUMBER_WIDTH])


# The working days each step allows (rules.md, and `domain.steps` for Stage 3), as the lead
# sentence says them: written out, because importing those modules loads the bank holidays,
# which printing a sentence should not pay for (tests check they agree).
STEP_DAYS = {"stage2": 25, "stage2_extended": 65, "panel": 30, "panel_report": 5,
             "stage3_response": 15}


def steps_intro() -> str:
    days = STEP_DAYS
    return (
        "Each step of a Stage 2 or Stage 3 complaint has its own time limit, counted in working "
        f"days: at Stage 2 the adjudication (the response) within {days['stage2']} working "
        f"days of the complaint, or {days['stage2_extended']} when extended; at Stage 3 the "
        f"review panel within {days['panel']} working days of the request, the panel's report "
        f"within {days['panel_report']} working days of the panel, and the council's response "
        f"within {days['stage3_response']} working days of the report. The table counts the "
        "steps due during the reporting period; a step not yet taken counts as late.")


ACTIONS_INTRO = (
    "Actions are agreed at the end of a case to put things right and to learn from it: "
    "learning and service improvements, the Ombudsman's recommendations and remedies for "
    "complainants. Each has a team that owns it and a date by which it is due.")
LETTER_INTRO = "The Ombudsman's annual letter gives these figures for the year."


def _steps(casework: CaseworkFigures) -> Iterable[Block]:
    yield text(steps_intro())
    yield table(printed.steps_table(casework), _widths(6.2 * cm, 5))


def _actions(casework: CaseworkFigures, suppress: bool) -> Iterable[Block]:
    yield text(ACTIONS_INTRO)
    yield text(printed.actions_sentence(casework))
    yield table(printed.actions_table(casework, suppress=suppress), _widths(7.4 * cm, 4))


def _remedies(casework: CaseworkFigures) -> Iterable[Block]:
    yield text(printed.remedies_sentence(casework))
    yield table(printed.remedies_table(casework), [TEXT_WIDTH / 3] * 3)


def _ombudsman(casework: CaseworkFigures) -> Iterable[Block]:
    ombudsman = casework.ombudsman
    yield text(printed.decisions_sentence(casework))
    if ombudsman.decided:
        yield _pair_table(printed.decisions_table(casework))
        yield Gap(6)
    yield text(printed.compliance_sentence(casework))
    if ombudsman.compliance.due:
        yield _pair_table(printed.compliance_table(casework))
        yield Gap(6)
    letter = printed.letter_table(casework)
    if letter is not None:
        yield text(LETTER_INTRO)
        yield _pair_table(letter)


_SECTIONS = {STEPS: _steps, REMEDIES: _remedies, OMBUDSMAN: _ombudsman}
