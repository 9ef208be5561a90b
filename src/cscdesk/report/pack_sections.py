"""The annual report pack's optional sections, printed after the casework sections when chosen
for the year (`pack_choice`): five-year trends, then the statutory content of the 2006
Regulations (reg 13): timeliness and outcomes by stage, and who complained.

Each chart is followed by a small table of its figures: what members quote, and what a reader
who cannot see the chart reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from cscdesk.report import formatting as fmt
from cscdesk.report import statutory_printed, trends_printed
from cscdesk.report.blocks import Block, Chart, Gap, Heading, table, text
from cscdesk.report.content import AppendixContent
from cscdesk.report.pack_choice import OUTCOMES, TIMELINESS, TRENDS, WHO_COMPLAINED
from cscdesk.report.statutory import StatutoryFigures
from cscdesk.report.trends import Trends


def sections(content: AppendixContent) -> Iterable[Block]:
    """The chosen optional sections, in their fixed order."""
    if TRENDS in content.sections and content.trends is not None:
        yield from _trends(content.trends)
    statutory = content.statutory
    if statutory is None:
        return
    for key in (TIMELINESS, OUTCOMES, WHO_COMPLAINED):
        if key in content.sections:
            yield from _statutory(statutory, key, content.suppress_small)


def _trends(trends: Trends) -> Iterable[Block]:
    yield Heading(trends_printed.HEADING)
    yield text(trends_printed.intro(trends))
    for chart, rows, description in trends_printed.charts(trends):
        yield Chart(chart, description)
        yield table(rows)
        yield Gap(6)
    note = trends_printed.note(trends)
    if note:
        yield text(note, "note")


def _statutory(figures: StatutoryFigures, key: str, suppress: bool) -> Iterable[Block]:
    yield Heading(statutory_printed.HEADINGS[key])
    if figures.hand_entered:
        yield text(statutory_printed.hand_entered_sentence(figures, key))
        return
    yield text(statutory_printed.INTROS[key])
    yield table(statutory_printed.tables(figures, suppress=suppress)[key])
    if key == WHO_COMPLAINED and suppress:
        yield text(fmt.SUPPRESSED_NOTE, "note")
