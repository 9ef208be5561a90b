"""The appendix figures as plain data (for JSON) and as readable text (for the terminal)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from cscdesk.domain.years import ReportingYear
from cscdesk.report import casework_printed
from cscdesk.report import formatting as fmt
from cscdesk.report.casework import CaseworkFigures
from cscdesk.report.figures import AppendixFigures, ComparisonRow, DifferenceRow, YearFigures

COMPARISON_COLUMNS = (
    ("initial_feedback", "Initial Feedback"),
    ("stage1", "Stage 1 complaints"),
    ("stage2", "Stage 2 complaints"),
    ("stage3", "Stage 3 complaints"),
    ("adr_cases", "Alternative Dispute Resolution Cases"),
    ("closed", "Cases closed in period*"),
    ("cancelled", "Cases Cancelled"),
    ("upheld_percent", "% of complaints upheld in period"),
    ("timeliness_percent", "% timeliness of response for those due in period"),
)
_PERCENT_COLUMNS = {"upheld_percent", "timeliness_percent"}


def plain(value: Any) -> Any:
    """Figures (dataclasses, years, dates) as JSON-ready data."""
    if isinstance(value, ReportingYear):
        return value.label
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def printed_row(row: ComparisonRow) -> list[str]:
    """A comparison row's cells as the appendix prints them."""
    return [fmt.format_percent(getattr(row, key)) if key in _PERCENT_COLUMNS
            else str(getattr(row, key)) for key, _ in COMPARISON_COLUMNS]


def printed_difference(row: DifferenceRow) -> list[str]:
    return [fmt.format_points(getattr(row, key)) if key in _PERCENT_COLUMNS
            else fmt.format_signed(getattr(row, key)) for key, _ in COMPARISON_COLUMNS]


def as_dict(figures: AppendixFigures) -> dict[str, Any]:
    """Every figure as JSON-ready data, plus the comparison table as printed."""
    data = plain(figures)
    data["printed"] = {
        "comparison": [
            ["Feedback:", *(heading for _, heading in COMPARISON_COLUMNS)],
            [figures.current.label, *printed_row(figures.current.comparison)],
            [figures.previous.label, *printed_row(figures.previous.comparison)],
            ["Difference", *printed_difference(figures.difference)],
        ],
        "upheld_by_area": [
            ["Complaint Area", f"Volume {figures.previous.year.long_label}", "% Upheld",
             f"Volume {figures.year.long_label}", "% Upheld"],
            *([a.team, str(a.previous_volume), fmt.format_upheld(a.previous_volume,
                                                                 a.previous_upheld),
               str(a.volume), fmt.format_upheld(a.volume, a.upheld)]
              for a in figures.upheld_by_area),
        ],
    }
    if figures.casework is not None:
        data["casework"]["printed"] = casework_printed.tables(figures.casework)
    return data


def _casework_lines(casework: CaseworkFigures) -> list[str]:
    """The casework figures of the sections the appendix shows, table by table."""
    if not casework.shown:
        return [f"Casework ({casework.year.label}): none of its sections is shown (no Stage 2 "
                "or 3 step due, no action, remedy or Ombudsman decision, no annual letter)"]
    lines = [f"Casework ({casework.year.label}): sections shown: {', '.join(casework.shown)}"]
    return lines + table_lines(casework_printed.tables(casework))


def table_lines(tables: dict[str, list[list[str]]]) -> list[str]:
    """Printed tables by name, laid out in columns for a terminal."""
    lines = []
    for name, rows in tables.items():
        lines.append(f"  {name.replace('_', ' ').capitalize()}:")
        widths = [max(len(cell) for cell in column) for column in zip(*rows, strict=True)]
        lines.extend("    " + f"{row[0]:<{widths[0]}}  " + "  ".join(
            f"{cell:>{width}}" for cell, width in zip(row[1:], widths[1:], strict=True))
            for row in rows)
    return lines


def _year_lines(year: YearFigures) -> list[str]:
    lines = [
        f"{year.label} ({year.period_start:%d/%m/%Y} to {year.period_end:%d/%m/%Y})",
        f"  Representations: {year.representations}",
        f"  LGO complaints: {year.lgo}",
        f"  ADR saving: {fmt.format_money(year.adr_saving_pence)}",
        f"  Dispute resolution cases: {year.dispute_resolution}",
        "  Enquiries: " + ", ".join(f"{e.count} {e.heading}" for e in year.enquiries),
    ]
    for enquiry in year.enquiries:
        for team in enquiry.teams:
            lines.append(f"    {enquiry.heading}: {team.team}: {team.count}")
    lines.append(f"  Compliments: {year.compliments}")
    lines.extend(f"    {t.team}: {t.count}" for t in year.compliments_by_team)
    lines.append("  Root causes:" if year.themes.themes else "  Root causes: none")
    for theme in year.themes.themes:
        lines.append(f"    {theme.name} ({theme.count})")
        lines.extend(f"      - {text}" for text in theme.learning)
    if year.from_baseline:
        lines.append("  Entered by hand: " + ", ".join(sorted(year.from_baseline)))
    return lines


def as_text(figures: AppendixFigures) -> str:
    """The figures laid out for reading in a terminal."""
    heading = f"Appendix figures for {figures.year.label}, compared with {figures.previous.label}"
    if figures.as_of is not None:
        heading += f", both up to the same point ({figures.as_of:%d/%m/%Y})"
    table = as_dict(figures)["printed"]
    lines = [heading, "", "Complaints comparison:"]
    rows = table["comparison"][1:]
    lines.append(f"  {'':<48} " + " ".join(f"{row[0]:>10}" for row in rows))
    for index, (_, name) in enumerate(COMPARISON_COLUMNS, start=1):
        lines.append(f"  {name[:48]:<48} " + " ".join(f"{row[index]:>10}" for row in rows))
    lines += ["", "Upheld complaints by area:"]
    for row in table["upheld_by_area"]:
        lines.append(f"  {row[0][:40]:<40} {row[1]:>8} {row[2]:>10} {row[3]:>8} {row[4]:>10}")
    lines.append("")
    lines += _year_lines(figures.current)
    lines.append("")
    lines += _year_lines(figures.previous)
    if figures.casework is not None:
        lines.append("")
        lines += _casework_lines(figures.casework)
    return "\n".join(lines)
