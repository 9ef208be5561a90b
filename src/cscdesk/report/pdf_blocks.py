"""The appendix's blocks (`blocks.py`) as ReportLab platypus flowables: the PDF's look.

Text is escaped in `layout` (Paragraph reads markup); a bold run is the only markup made here,
from escaped parts. Tables whose cells may run over a page are `SplittingTable`s, which split
tall rows in linear time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from reportlab.platypus import Flowable, Paragraph, Spacer

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

# A chart's height for its width, the same in the PDF and the Word version.
CHART_RATIO = 0.5


def flowables(items: Iterable[blocks.Block]) -> Iterator[Flowable]:
    for block in items:
        if isinstance(block, blocks.Paragraph):
            yield _paragraph(block)
        elif isinstance(block, blocks.Heading):
            yield para(block.text, "heading")
        elif isinstance(block, blocks.Table):
            yield _table(block)
        elif isinstance(block, blocks.Gap):
            yield Spacer(1, block.points)
        elif isinstance(block, blocks.Title):
            yield para(block.text, "title")
        else:
            yield _chart(block)


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

    return drawing(block.chart, TEXT_WIDTH, TEXT_WIDTH * CHART_RATIO)  # type: ignore[arg-type]
