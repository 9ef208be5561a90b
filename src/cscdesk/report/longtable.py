"""A ruled table whose cells may hold any amount of text, split over pages in linear time.

ReportLab's own Table with `splitInRow` re-measures every remaining paragraph of a tall row at
each page break, which costs time in proportion to the square of the text (a thousand learning
lines took 18 seconds). This flowable measures each paragraph once and, when the frame asks
it to split, builds an ordinary Table (header plus what fits) and keeps the rest for the next
page, so the header row is repeated on every page the table runs onto.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import Flowable, Table

Cell = list[Flowable]
Row = list[Cell]
# Builds the real table from rows of cells (the first row is the header).
TableMaker = Callable[[list[Row]], Table]

_SAFETY = 4.0  # points kept free below a split, for rounding in ReportLab's own measure


class SplittingTable(Flowable):
    """Header row plus body rows of flowable lists; column widths fixed."""

    def __init__(self, header: Row, rows: Sequence[Row], widths: Sequence[float],
                 make_table: TableMaker, padding: float,
                 heights: dict[tuple[Flowable, int], float] | None = None) -> None:
        super().__init__()
        # Measured heights, shared with the continuations: each paragraph is measured once.
        self._heights = heights if heights is not None else {}
        self._header = header
        self._rows = [list(map(list, row)) for row in rows]
        self._widths = list(widths)
        self._make_table = make_table
        self._padding = padding
        self._table: Table | None = None
        self.width = sum(self._widths)

    def _flowable_height(self, flowable: Flowable, column: int) -> float:
        key = (flowable, column)  # the object itself: an id could be reused once freed
        height = self._heights.get(key)
        if height is None:
            inner = self._widths[column] - 2 * self._padding
            height = self._heights[key] = flowable.wrap(inner, 10**6)[1]
        return height

    def _cell_height(self, cell: Cell, column: int) -> float:
        if not cell:
            return 2 * self._padding
        total = sum(self._flowable_height(f, column) + f.getSpaceBefore() + f.getSpaceAfter()
                    for f in cell)
        return total - cell[0].getSpaceBefore() - cell[-1].getSpaceAfter() + 2 * self._padding

    def _row_height(self, row: Row) -> float:
        return max(self._cell_height(cell, i) for i, cell in enumerate(row))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        height = self._row_height(self._header) + sum(self._row_height(r) for r in self._rows)
        if height <= available_height:
            self._table = self._make_table([self._header, *self._rows])
            return self._table.wrap(available_width, available_height)
        self._table = None
        return self.width, height

    def draw(self) -> None:
        if self._table is None:  # pragma: no cover - the frame splits what does not fit
            self._table = self._make_table([self._header, *self._rows])
            self._table.wrap(self.width, 10**6)
        self._table.drawOn(self.canv, 0, 0)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self._row_height(self._header) - _SAFETY
        taken: list[Row] = []
        rest = list(self._rows)
        while rest:
            height = self._row_height(rest[0])
            if height <= room:
                taken.append(rest.pop(0))
                room -= height
                continue
            first, second = self._split_row(rest[0], room - 2 * self._padding)
            if first is not None:
                taken.append(first)
                rest[0] = second
            break
        if not taken:
            return []
        parts: list[Flowable] = [self._make_table([self._header, *taken])]
        if rest:
            parts.append(SplittingTable(self._header, rest, self._widths, self._make_table,
                                        self._padding, self._heights))
        return parts

    def _split_row(self, row: Row, room: float) -> tuple[Row | None, Row]:
        """The part of each cell that fits in `room` points, and what is left of each."""
        firsts: Row = []
        seconds: Row = []
        for column, cell in enumerate(row):
            used = 0.0
            kept: Cell = []
            left = list(cell)
            while left:
                flowable = left[0]
                gap = (flowable.getSpaceBefore() if kept else 0.0)
                height = self._flowable_height(flowable, column)
                if used + gap + height <= room:
                    kept.append(left.pop(0))
                    used += gap + height + flowable.getSpaceAfter()
                    continue
                inner = self._widths[column] - 2 * self._padding
                pieces = flowable.split(inner, room - used - gap) if room - used - gap > 0 else []
                if len(pieces) >= 2:
                    kept.append(pieces[0])
                    left[0:1] = pieces[1:]
                break
            firsts.append(kept)
            seconds.append(left)
        if not any(firsts[1:]) and len(row) > 1 and any(seconds[1:]):
            return None, row  # nothing of the content fits: start the row on the next page
        return firsts, seconds
