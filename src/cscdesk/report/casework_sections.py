"""The casework sections the appendix adds after the example's, each only when the year has such
data: Stage 2 and Stage 3 steps, learning and actions, remedies, Ombudsman decisions.

Their words and cells come from `casework_printed`; the tables are ruled grids whose header row
repeats when a table runs over a page, as the example's tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from cscdesk.domain import steps
from cscdesk.domain.workdays import RESPONSE_DAYS
from cscdesk.report import casework_printed as printed
from cscdesk.report.casework import ACTIONS, OMBUDSMAN, REMEDIES, STEPS, CaseworkFigures
from cscdesk.report.layout import TEXT_WIDTH, grid, para

_NAME_WIDTH = 9.5 * cm  # the example's team tables: a name, then a number
_NUMBER_WIDTH = 4.0 * cm


def sections(casework: CaseworkFigures | None) -> Iterable[Flowable]:
    """The casework sections the year has data for, in order (nothing for an `as_of` cut)."""
    if casework is None:
        return
    for key, section in ((STEPS, _steps), (ACTIONS, _actions), (REMEDIES, _remedies),
                         (OMBUDSMAN, _ombudsman)):
        if key in casework.shown:
            yield para(printed.HEADINGS[key], "heading")
            yield from section(casework)


def _widths(first: float, columns: int) -> list[float]:
    return [first] + [(TEXT_WIDTH - first) / (columns - 1)] * (columns - 1)


def _pair_table(rows: Sequence[Sequence[str]]) -> Flowable:
    return grid(rows, [_NAME_WIDTH, _NUMBER_WIDTH])


def steps_intro() -> str:
    normal, extended = RESPONSE_DAYS[2]
    return (
        "Each step of a Stage 2 or Stage 3 complaint has its own time limit, counted in working "
        f"days: at Stage 2 the adjudication (the response) within {normal} working days of the "
        f"complaint, or {extended} when extended; at Stage 3 the review panel within "
        f"{steps.PANEL_DAYS} working days of the request, the panel's report within "
        f"{steps.PANEL_REPORT_DAYS} working days of the panel, and the council's response "
        f"within {steps.STAGE3_RESPONSE_DAYS} working days of the report. The table counts the "
        "steps due during the reporting period; a step not yet taken counts as late.")


ACTIONS_INTRO = (
    "Actions are agreed at the end of a case to put things right and to learn from it: "
    "learning and service improvements, the Ombudsman's recommendations and remedies for "
    "complainants. Each has a team that owns it and a date by which it is due.")
LETTER_INTRO = "The Ombudsman's annual letter gives these figures for the year."


def _steps(casework: CaseworkFigures) -> Iterable[Flowable]:
    yield para(steps_intro())
    yield grid(printed.steps_table(casework), _widths(6.2 * cm, 5))


def _actions(casework: CaseworkFigures) -> Iterable[Flowable]:
    yield para(ACTIONS_INTRO)
    yield para(printed.actions_sentence(casework))
    yield grid(printed.actions_table(casework), _widths(7.4 * cm, 4))


def _remedies(casework: CaseworkFigures) -> Iterable[Flowable]:
    yield para(printed.remedies_sentence(casework))
    yield grid(printed.remedies_table(casework), [TEXT_WIDTH / 3] * 3)


def _ombudsman(casework: CaseworkFigures) -> Iterable[Flowable]:
    ombudsman = casework.ombudsman
    yield para(printed.decisions_sentence(casework))
    if ombudsman.decided:
        yield _pair_table(printed.decisions_table(casework))
        yield Spacer(1, 6)
    yield para(printed.compliance_sentence(casework))
    if ombudsman.compliance.due:
        yield _pair_table(printed.compliance_table(casework))
        yield Spacer(1, 6)
    letter = printed.letter_table(casework)
    if letter is not None:
        yield para(LETTER_INTRO)
        yield _pair_table(letter)
