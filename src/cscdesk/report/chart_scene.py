"""A bar chart laid out once, as boxes, lines and labels in points, for every painter.

The PDF (`chart_pdf`), the Word version's picture (`chart_png`) and the dashboard each only
paint the `scene` made here, so the three cannot disagree about where a bar, a gridline or a
word goes. Coordinates are points with the origin at the bottom left (ReportLab's way; a painter
whose y runs down flips it), and a label's y is its text baseline.

Text is measured with ReportLab's metrics of the DejaVu Sans fonts that every painter draws
with, so labels are placed (and wrapped) by the widths they will really have.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from cscdesk.report.charts import BarChart

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Box:
    """A filled rectangle (a bar or a legend swatch); (x, y) is its bottom-left corner."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float


@dataclass(frozen=True)
class Label:
    """One line of text; y is its baseline, x its start, middle or end as `anchor` says."""

    x: float
    y: float
    text: str
    size: float
    anchor: Anchor = "start"
    bold: bool = False
    colour: str = "#262626"


Primitive = Box | Line | Label
Scene = tuple[Primitive, ...]

PALETTE = ("#1F4E79", "#C55A11", "#6FA8DC", "#F4B183", "#404040", "#A5A5A5")
"""The series' colours, in order.

Printed in black and white, bars can only be told apart by how dark they are, so the first four
step from dark to light (grey levels, 0.299 R + 0.587 G + 0.114 B, of about 69, 114, 157 and
192 out of 255), the order in which a chart of two, three or four series takes them. Their hues
alternate between blue and orange: the one contrast that protanopes, deuteranopes and
tritanopes all still see, so neighbouring bars differ in hue for every reader as well as in
lightness for a photocopy. The two greys after them only serve a fifth and sixth series and
repeat the blues' lightness; a chart with more than four series is hard to read in any case.
Each bar's figure is also printed above it, so no reader depends on the colour alone.
"""

INK = "#262626"  # text: softer than black, still far above the contrast text needs
MUTED = "#595959"  # axis labels, "n/a", the axis itself
GRID = "#D9D9D9"

PAD = 2.0  # around the whole chart, so nothing touches the drawing's edge
TITLE_SIZE = 9.5
TITLE_LEADING = 12.0
AXIS_SIZE = 7.0
CATEGORY_SIZE = 7.5
CATEGORY_LEADING = 9.0
LEGEND_SIZE = 7.5
LEGEND_LEADING = 11.0
VALUE_SIZES = (6.5, 5.5)  # the value labels' size, and the smaller one tried when they crowd
SWATCH = 6.5
SWATCH_GAP = 3.0  # swatch to its name
LEGEND_SPACING = 12.0  # one legend item to the next
TICK = 3.0
GROUP_SHARE = 0.75  # of a category's width taken by its bars; the rest separates groups
BAR_GAP = 1.0  # between the bars of one group, so like colours never merge
MAX_BAR = 28.0  # a chart with few bars keeps them slim rather than filling the plot
NOT_KNOWN = "n/a"

# DejaVu Sans's vertical metrics, as fractions of the font size (units per em 2048).
CAP = 1493 / 2048
DESCENT = 483 / 2048

Measure = Callable[[str, float, bool], float]


def scene(chart: BarChart, width: float, height: float) -> Scene:
    """The chart laid out in a `width` × `height` points drawing.

    Top to bottom: the title (wrapped when long), the plot (y axis with 4 to 6 steps and light
    gridlines, a group of bars per category, each value above its bar when the values fit,
    `n/a` where a value is not known), the category labels, the legend (wrapped into rows).
    Raises ValueError when the drawing is too small to hold a plot.
    """
    return _layout(chart, width, height, _measure())


def axis(chart: BarChart) -> tuple[float, float]:
    """The y axis as (top, step): 0 to 100 by 20 for percentages; for counts the smallest step
    of 1, 2 or 5 × 10^n that reaches the largest value in at most six steps, and never fewer
    than four steps nor a top below 5 (a chart of zeros still gets an axis)."""
    if chart.percent:
        return 100.0, 20.0
    largest = max([value for series in chart.series for value in series.values
                   if value is not None] + [5.0])
    magnitude = 10.0 ** math.floor(math.log10(largest / 6))
    for multiple in (1, 2, 5, 10):
        step = round(multiple * magnitude, 9)
        steps = math.ceil(largest / step - 1e-9)
        if steps <= 6:
            return max(steps, 4) * step, step
    raise AssertionError("unreachable: a step of 10 × magnitude always fits")


def value_text(value: float, percent: bool) -> str:
    """A bar's figure as printed: `51%` (rounded half up) or a count (`12`, `2.5`)."""
    if percent:
        return f"{math.floor(value + 0.5)}%"
    return _number(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _measure() -> Measure:
    """ReportLab's string width in DejaVu Sans (regular or bold), the fonts registered.

    Imported here, not at the top: `layout` brings ReportLab's platypus (about 0.1 s), which
    the dashboard should pay only when it first lays a chart out, not when it starts.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from cscdesk.report.layout import FONT, FONT_BOLD, register_fonts

    register_fonts()

    def measure(text: str, size: float, bold: bool) -> float:
        return float(stringWidth(text, FONT_BOLD if bold else FONT, size))

    return measure


def _layout(chart: BarChart, width: float, height: float, measure: Measure) -> Scene:
    out: list[Primitive] = []
    inner = width - 2 * PAD

    # Title, from the top down.
    top = height - PAD
    title = _wrap(chart.title, inner, lambda text: measure(text, TITLE_SIZE, True))
    for index, line in enumerate(title):
        baseline = top - CAP * TITLE_SIZE - index * TITLE_LEADING
        out.append(Label(width / 2, baseline, line, TITLE_SIZE, "middle", True, INK))
    if title:
        top -= CAP * TITLE_SIZE + (len(title) - 1) * TITLE_LEADING + DESCENT * TITLE_SIZE + 6

    # Legend, from the bottom up (its rows are laid out first: they decide its height).
    legend = _legend_rows(chart, inner, measure)
    legend_height = sum(row_height for row_height, _ in legend)
    bottom = PAD + legend_height + (6 if legend else 0)

    # The y axis's labels decide where the plot starts.
    top_value, step = axis(chart)
    ticks = [step * index for index in range(round(top_value / step) + 1)]
    tick_texts = [f"{_number(tick)}%" if chart.percent else _number(tick) for tick in ticks]
    label_width = max(measure(text, AXIS_SIZE, False) for text in tick_texts)
    plot_left = PAD + label_width + 2 + TICK
    plot_right = width - PAD
    columns = max(len(chart.categories), 1)
    slot = (plot_right - plot_left) / columns

    # Category labels under the plot, wrapped to their slot; the plot sits on top of them.
    categories = [_wrap(text, slot - 2, lambda text: measure(text, CATEGORY_SIZE, False))
                  for text in chart.categories]
    category_lines = max((len(lines) for lines in categories), default=0)
    plot_bottom = bottom + (category_lines * CATEGORY_LEADING + 3 if category_lines else 0)
    # Above the top gridline: room for a full bar's value (and the top tick label's upper half).
    plot_top = top - (2 + CAP * VALUE_SIZES[0] + 1)
    plot_height = plot_top - plot_bottom
    if plot_height < 20 or slot < 4:
        raise ValueError(f"A {width:.0f} × {height:.0f} pt chart is too small for its plot "
                         f"({plot_right - plot_left:.0f} × {plot_height:.0f} pt left).")

    def y_of(value: float) -> float:
        return plot_bottom + plot_height * min(max(value, 0.0), top_value) / top_value

    # Gridlines with their labels, then the bars over them, then the axis lines over the bars.
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_of(tick)
        if tick > 0:
            out.append(Line(plot_left, y, plot_right, y, GRID, 0.5))
        out.append(Line(plot_left - TICK, y, plot_left, y, MUTED, 0.5))
        out.append(Label(plot_left - TICK - 2, y - CAP * AXIS_SIZE / 2, text, AXIS_SIZE, "end",
                         False, MUTED))

    out.extend(_bars(chart, plot_left, slot, y_of, measure))

    for x, lines in zip(_centres(plot_left, slot, len(chart.categories)), categories,
                        strict=True):
        for index, line in enumerate(lines):
            baseline = plot_bottom - 3 - CAP * CATEGORY_SIZE - index * CATEGORY_LEADING
            out.append(Label(x, baseline, line, CATEGORY_SIZE, "middle", False, INK))

    out.append(Line(plot_left, plot_bottom, plot_left, y_of(top_value), MUTED, 0.5))
    out.append(Line(plot_left - TICK, plot_bottom, plot_right, plot_bottom, MUTED, 0.75))

    out.extend(_legend(legend, width))
    return tuple(out)


def _centres(left: float, slot: float, count: int) -> list[float]:
    return [left + slot * (index + 0.5) for index in range(count)]


def _bars(chart: BarChart, plot_left: float, slot: float, y_of: Callable[[float], float],
          measure: Measure) -> list[Primitive]:
    """Each category's group of bars, centred in its slot, with the figures above them."""
    series_count = len(chart.series)
    if series_count == 0:
        return []
    bar = min((slot * GROUP_SHARE - BAR_GAP * (series_count - 1)) / series_count, MAX_BAR)
    bar = max(bar, 0.5)
    pitch = bar + BAR_GAP
    group = pitch * series_count - BAR_GAP
    base = y_of(0)

    texts = [value_text(value, chart.percent) for series in chart.series
             for value in series.values if value is not None]
    value_size: float | None = None
    for size in VALUE_SIZES:
        if all(measure(text, size, False) <= pitch - 0.5 for text in texts):
            value_size = size
            break
    missing_size = value_size or VALUE_SIZES[-1]

    shapes: list[Primitive] = []
    labels: list[Primitive] = []
    for centre, index in zip(_centres(plot_left, slot, len(chart.categories)),
                             range(len(chart.categories)), strict=True):
        left = centre - group / 2
        for number, series in enumerate(chart.series):
            x = left + number * pitch
            value = series.values[index] if index < len(series.values) else None
            if value is None:
                labels.append(Label(x + bar / 2, base + 2, NOT_KNOWN, missing_size, "middle",
                                    False, MUTED))
                continue
            top = y_of(value)
            if top > base:
                shapes.append(Box(x, base, bar, top - base, PALETTE[number % len(PALETTE)]))
            if value_size is not None:
                labels.append(Label(x + bar / 2, top + 2, value_text(value, chart.percent),
                                    value_size, "middle", False, INK))
    return shapes + labels


LegendItem = tuple[str, list[str], float]  # colour, lines of the name, width with the swatch
LegendRow = tuple[float, list[LegendItem]]  # height, items


def _legend_rows(chart: BarChart, available: float, measure: Measure) -> list[LegendRow]:
    """The series' legend items, filled into rows no wider than `available` (an item whose
    name alone is wider is wrapped onto lines of its own)."""
    rows: list[LegendRow] = []
    row: list[LegendItem] = []
    row_width = 0.0
    name_room = available - SWATCH - SWATCH_GAP
    for number, series in enumerate(chart.series):
        lines = _wrap(series.name, name_room, lambda text: measure(text, LEGEND_SIZE, False))
        lines = lines or [""]
        item_width = SWATCH + SWATCH_GAP + max(measure(line, LEGEND_SIZE, False)
                                               for line in lines)
        item = (PALETTE[number % len(PALETTE)], lines, item_width)
        needed = item_width if not row else row_width + LEGEND_SPACING + item_width
        if row and (needed > available or len(lines) > 1):
            rows.append((LEGEND_LEADING, row))
            row, row_width, needed = [], 0.0, item_width
        row.append(item)
        row_width = needed
        if len(lines) > 1:
            rows.append((LEGEND_LEADING * len(lines), row))
            row, row_width = [], 0.0
    if row:
        rows.append((LEGEND_LEADING, row))
    return rows


def _legend(rows: Sequence[LegendRow], width: float) -> list[Primitive]:
    """The legend rows drawn from the bottom of the chart up, each row centred."""
    out: list[Primitive] = []
    band_top = PAD + sum(height for height, _ in rows)
    # Each line's capitals and descenders centred in its band of LEGEND_LEADING.
    below_band_top = (LEGEND_LEADING + (CAP - DESCENT) * LEGEND_SIZE) / 2
    for height, items in rows:
        first_baseline = band_top - below_band_top
        band_top -= height
        row_width = sum(item[2] for item in items) + LEGEND_SPACING * (len(items) - 1)
        x = (width - row_width) / 2
        for colour, lines, item_width in items:
            swatch_bottom = first_baseline + (CAP * LEGEND_SIZE - SWATCH) / 2
            out.append(Box(x, swatch_bottom, SWATCH, SWATCH, colour))
            for index, line in enumerate(lines):
                out.append(Label(x + SWATCH + SWATCH_GAP, first_baseline - index * LEGEND_LEADING,
                                 line, LEGEND_SIZE, "start", False, INK))
            x += item_width + LEGEND_SPACING
    return out


def _wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` broken at spaces into lines no wider than `width`; a word wider than the whole
    line is cut short with an ellipsis rather than run over its neighbours."""
    lines: list[str] = []
    for word in text.split():
        if measure(word) > width:
            while len(word) > 1 and measure(word + "…") > width:
                word = word[:-1]
            word += "…"
        if lines and measure(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
