"""The "Five-Year Trends" section's words, charts and tables as the appendix prints them (plain
strings), from `trends.Trends`.

One source for the PDF, the Word version and `cscdesk figures --json`: each chart comes with
the table of the figures it draws (header first, every cell a string, as the appendix's other
tables) and a one-sentence alternative text made from the same figures, so a reader who cannot
see the bars loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cscdesk.report import formatting as fmt
from cscdesk.report.charts import BarChart, Series
from cscdesk.report.trends import Trends, TrendYear

HEADING = "Five-Year Trends:"


@dataclass(frozen=True)
class _Measure:
    """A row of a chart's table: its name, its words in the alternative text, its value."""

    name: str
    words: str
    value: Callable[[TrendYear], int | None]


@dataclass(frozen=True)
class _ChartSpec:
    key: str  # the table's name in `figures --json`
    title: str
    corner: str  # the header's first cell
    about: str  # what the chart shows, in the alternative text
    measures: tuple[_Measure, ...]
    percent: bool = False
    total: _Measure | None = None  # a last table row the chart does not draw


CHARTS = (
    _ChartSpec(
        key="representations",
        title="Representations by kind",
        corner="Representations",
        about="representations by kind",
        measures=(
            _Measure("Initial feedback", "initial feedback", lambda y: y.initial_feedback),
            _Measure("Complaints (Stages 1–3)", "complaints", lambda y: y.complaints),
            _Measure("Enquiries", "enquiries", lambda y: y.enquiries),
            _Measure("Compliments", "compliments", lambda y: y.compliments),
        ),
        total=_Measure("Total", "representations", lambda y: y.representations),
    ),
    _ChartSpec(
        key="timeliness_upheld",
        title="Stage 1 responses on time and complaints upheld (%)",
        corner="Percentage",
        about="the percentage of Stage 1 responses on time and of complaints upheld",
        measures=(
            _Measure("Stage 1 responses on time", "Stage 1 responses on time",
                     lambda y: y.stage1_on_time_percent),
            _Measure("Complaints upheld", "complaints upheld", lambda y: y.upheld_percent),
        ),
        percent=True,
    ),
    _ChartSpec(
        key="later_stages",
        title="Stage 2 and Stage 3 complaints",
        corner="Complaints",
        about="Stage 2 and Stage 3 complaints",
        measures=(
            _Measure("Stage 2", "Stage 2 complaints", lambda y: y.stage2),
            _Measure("Stage 3", "Stage 3 complaints", lambda y: y.stage3),
        ),
    ),
)


def _span(trends: Trends) -> str:
    labels = trends.labels
    return f"from {labels[0]} to {labels[-1]}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def intro(trends: Trends) -> str:
    return (f"The charts below show how the main figures have moved over the last "
            f"{fmt.number_word(len(trends.years))} reporting years, {_span(trends)}; the "
            "figures of each chart are in the table beneath it.")


def _cell(value: int | None, percent: bool) -> str:
    if percent:
        return fmt.format_percent(value)
    return fmt.NOT_APPLICABLE if value is None else str(value)


def _table(spec: _ChartSpec, trends: Trends) -> list[list[str]]:
    rows = [m for m in (*spec.measures, spec.total) if m is not None]
    return [[spec.corner, *trends.labels],
            *([m.name, *(_cell(m.value(y), spec.percent) for y in trends.years)]
              for m in rows)]


def _change(measure: _Measure, trends: Trends, percent: bool) -> str:
    """How one measure moved between its first and last known years, and its peak when that
    lies between them and above both, in a few words."""
    unit = "%" if percent else ""
    known = [(y.label, v) for y in trends.years if (v := measure.value(y)) is not None]
    if not known:
        return f"no figures for {measure.words}"
    (first_label, first), (last_label, last) = known[0], known[-1]
    if len(known) == 1:
        return f"{measure.words} stood at {first}{unit} in {first_label}"
    if first == last:
        words = f"{measure.words} stood at {first}{unit} in both {first_label} and {last_label}"
    elif first_label == trends.labels[0] and last_label == trends.labels[-1]:
        words = (f"{measure.words} {'rose' if last > first else 'fell'} from {first}{unit} "
                 f"to {last}{unit}")
    else:
        words = (f"{measure.words} {'rose' if last > first else 'fell'} from {first}{unit} "
                 f"in {first_label} to {last}{unit} in {last_label}")
    peak_label, peak = max(known[1:-1], key=lambda item: item[1], default=(None, last))
    if peak > max(first, last):
        words += f", peaking at {peak}{unit} in {peak_label}"
    return words


def _description(spec: _ChartSpec, trends: Trends) -> str:
    changes = [_change(m, trends, spec.percent) for m in spec.measures]
    return f"Bar chart of {spec.about} {_span(trends)}: {'; '.join(changes)}."


def charts(trends: Trends) -> list[tuple[BarChart, list[list[str]], str]]:
    """Each chart, the table of its figures (header first) and its alternative text."""
    found = []
    for spec in CHARTS:
        chart = BarChart(
            title=spec.title,
            categories=trends.labels,
            series=tuple(Series(m.name, tuple(None if (v := m.value(y)) is None else float(v)
                                              for y in trends.years))
                         for m in spec.measures),
            percent=spec.percent,
        )
        found.append((chart, _table(spec, trends), _description(spec, trends)))
    return found


# The words of the note for the trend fields entered by hand, in the charts' order.
_BY_HAND_WORDS = (
    ("initial feedback", {"initial_feedback"}),
    ("complaints", {"stage1", "stage2", "stage3", "upheld_percent", "stage1_on_time_percent"}),
    ("enquiries", {"enquiries"}),
    ("compliments", {"compliments"}),
)


def note(trends: Trends) -> str | None:
    """The sentence naming the years whose figures were entered by hand and which figures they
    are (e.g. "Figures entered by hand (not computed from case records): complaints and
    compliments of 2015/16 (without Stage 1 timeliness, shown as N/A)."), or None."""
    parts = []
    for year in trends.years:
        words = [word for word, keys in _BY_HAND_WORDS if keys & year.from_baseline]
        if not words:
            continue
        part = f"{_and(words)} of {year.label}"
        if "stage1_on_time_percent" in year.from_baseline:
            part += f" (without Stage 1 timeliness, shown as {fmt.NOT_APPLICABLE})"
        parts.append(part)
    if not parts:
        return None
    return f"Figures entered by hand (not computed from case records): {'; '.join(parts)}."


def tables(trends: Trends) -> dict[str, list[list[str]]]:
    """Every table of the section, by name (as `figures --json` prints them)."""
    return {spec.key: table for spec, (_, table, _) in zip(CHARTS, charts(trends), strict=True)}
