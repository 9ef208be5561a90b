"""The appendix's blocks (`blocks.py`) as ReportLab platypus flowables: the PDF's look.

Text is escaped in `layout` (Paragraph reads markup); a bold run is the only markup made here,
from escaped parts. Tables whose cells may run over a page are `SplittingTable`s, which split
tall rows in linear time.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from cscdesk.report import blocks
from cscdesk.report.layout import (
    CELL_PADDING,
    TEXT_WIDTH,
    escape_text,
    fitted_widths,
    grid,
    para,
    ruled_table,
    styles,
)
from cscdesk.report.longtable import SplittingTable


def flowables(items: Iterable[blocks.Block]) -> list[Flowable]:
    """The blocks' flowables. A chart is kept on one page with the table of its figures
    beneath and the sentence before it, so no chart is parted from its figures."""
    made: list[Flowable] = []
    pending: list[Flowable] = []  # a chart and what stays with it, until its table comes
    for block in items:
        if isinstance(block, blocks.Chart):
            _keep(made, pending)
            pending = [*_lead_in(made), _chart(block)]
            continue
        flowable = _flowable(block)
        if pending and isinstance(block, blocks.Table):
            pending.append(flowable)
            _keep(made, pending)
            pending = []
            continue
        _keep(made, pending)
        pending = []
        made.append(flowable)
    _keep(made, pending)
    return made


def _lead_in(made: list[Flowable]) -> list[Flowable]:
    """The sentence just before a chart, and the heading before that sentence, taken off
    `made` to go with the chart."""
    taken: list[Flowable] = []
    for wanted in ("body", "heading"):
        last = made[-1] if made else None
        if not isinstance(last, Paragraph) or last.style.name != wanted:
            break
        taken.insert(0, made.pop())
    return taken


def _keep(made: list[Flowable], pending: list[Flowable]) -> None:
    if pending:
        made.append(KeepTogether(pending))


def _flowable(block: blocks.Block) -> Flowable:
    if isinstance(block, blocks.Paragraph):
        return _paragraph(block)
    if isinstance(block, blocks.Heading):
        return para(block.text, "heading")
    if isinstance(block, blocks.Table):
        return _table(block)
    if isinstance(block, blocks.Gap):
        return Spacer(1, block.points)
    if isinstance(block, blocks.Title):
        return para(block.text, "title")
    return _chart(block)


def _paragraph(block: blocks.Paragraph) -> Flowable:
    if block.style == "bullet":
        return Paragraph(escape_text(block.text), styles()["bullet"], bulletText="•")
    if any(run.bold for run in block.runs):
        markup = "".join(f"<b>{escape_text(run.text)}</b>" if run.bold else escape_text(run.text)
                         for run in block.runs)
        return para("", block.style, markup=markup)
    return para(block.text, block.style)


def _cell_flowables(cell: blocks.Cell) -> list[Flowable]:
    if isinstance(cell, str):
        return [para(cell, "cell")]
    return [para(line.text, line.style) for line in cell]


def _table(block: blocks.Table) -> Flowable:
    header, *body = block.rows
    if block.long:
        widths = list(block.widths or [TEXT_WIDTH / len(header)] * len(header))
        return SplittingTable([[para(blocks.cell_text(cell), "cell_head")] for cell in header],
                              [[_cell_flowables(cell) for cell in row] for row in body],
                              widths, lambda cells: ruled_table(cells, widths), CELL_PADDING)
    rows = [[blocks.cell_text(cell) for cell in row] for row in block.rows]
    widths = list(block.widths) if block.widths else fitted_widths(rows, TEXT_WIDTH)
    return grid(rows, widths)


def _chart(block: blocks.Chart) -> Flowable:
    from cscdesk.report.chart_pdf import drawing

    return drawing(block.chart, TEXT_WIDTH, TEXT_WIDTH * blocks.CHART_RATIO)
