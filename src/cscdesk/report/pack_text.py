"""The optional sections' figures for `cscdesk figures`: as JSON-ready data and as lines for a
terminal. Both whole-year figures, computed whether or not the year's appendix prints them."""

from __future__ import annotations

from typing import Any

from cscdesk.report import statutory_printed, trends_printed
from cscdesk.report.figures_text import plain, table_lines
from cscdesk.report.statutory import StatutoryFigures
from cscdesk.report.trends import Trends


def pack_dict(statutory: StatutoryFigures, trends: Trends) -> dict[str, Any]:
    """`statutory` and `trends`: every figure, and each table as the appendix prints it
    (counts not suppressed)."""
    return {
        "statutory": {**plain(statutory),
                      "printed": statutory_printed.tables(statutory, suppress=False)},
        "trends": {**plain(trends), "printed": trends_printed.tables(trends)},
    }


def pack_lines(statutory: StatutoryFigures, trends: Trends) -> list[str]:
    lines = [f"Statutory content ({statutory.year.label}):"]
    if statutory.hand_entered:
        lines.append("  The year's figures were entered by hand: no breakdown by stage.")
    lines += table_lines(statutory_printed.tables(statutory, suppress=False))
    lines += ["", f"Five-year trends ({trends.years[0].label} to {trends.years[-1].label}):"]
    lines += table_lines(trends_printed.tables(trends))
    note = trends_printed.note(trends)
    if note:
        lines.append(f"  {note}")
    return lines
