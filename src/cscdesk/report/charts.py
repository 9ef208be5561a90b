"""The appendix's charts as data: one grouped bar chart per trend, drawn by three painters
(ReportLab's vector graphics in the PDF, a PNG for the Word version, Qt on the dashboard) from
the one `scene` laid out here, so the three look alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """One set of bars, a value per category; None where the figure is not known (a year whose
    figures were entered by hand without it)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class BarChart:
    """Bars grouped by category (the years, oldest first), one bar per series in each group.
    `percent`: the axis runs from 0 to 100 and the labels end in %."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False
