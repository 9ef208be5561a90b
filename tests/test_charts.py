"""The bar chart's one layout (`chart_scene`) and its two painters: the PDF's vector drawing,
read back with pdfplumber, and the Word version's PNG, read back with Pillow."""

from __future__ import annotations

import io
import time

import pdfplumber
import pytest
from PIL import Image
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate, Spacer

from cscdesk.report import chart_scene
from cscdesk.report.chart_pdf import drawing
from cscdesk.report.chart_png import png_bytes
from cscdesk.report.chart_scene import PALETTE, Box, Label, Line, axis, scene
from cscdesk.report.charts import BarChart, Series
from cscdesk.report.layout import FONT, FONT_BOLD, MARGIN, TEXT_WIDTH, register_fonts

CM = 72 / 2.54
WIDTH, HEIGHT = 16 * CM, 8 * CM

VOLUMES = BarChart(
    "Representations received",
    ("2016/17", "2017/18", "2018/19"),
    (Series("Initial feedback", (50.0, 61.0, 62.0)),
     Series("Complaints", (30.0, None, 39.0)),
     Series("Compliments", (12.0, 20.0, 26.0))),
)
RATES = BarChart(
    "% upheld and % on time",
    ("2017/18", "2018/19"),
    (Series("% upheld", (41.0, 52.5)), Series("% on time", (67.0, 100.0))),
    percent=True,
)
ZEROS = BarChart("Ombudsman complaints", ("2017/18", "2018/19"),
                 (Series("LGO complaints", (0.0, 0.0)),))
AWKWARD = BarChart(
    "Complaints & “representations” <North> £",
    ("Through Care <North>", "AT&T £5"),
    (Series("“Stage 1” & <2>", (3.0, 4.0)), Series("Cost > £500", (1.0, None))),
)
CROWDED = BarChart(
    "Every kind of record over ten years, by the stage it reached",
    tuple(f"{year}/{(year + 1) % 100:02d}" for year in range(2009, 2019)),
    tuple(Series(name, tuple(float(n % 7) for n in range(10)))
          for name in ("Initial feedback received", "Stage 1 complaints received",
                       "Stage 2 complaints received", "Stage 3 complaints received",
                       "Enquiries from MPs and Members", "External compliments received")),
)


def labels(items: chart_scene.Scene) -> list[Label]:
    return [item for item in items if isinstance(item, Label)]


def texts(items: chart_scene.Scene) -> list[str]:
    return [label.text for label in labels(items)]


def zero_line(items: chart_scene.Scene) -> Line:
    """The x axis: the lowest long horizontal line."""
    return min((item for item in items if isinstance(item, Line) and item.y1 == item.y2
                and item.x2 - item.x1 > 50), key=lambda line: line.y1)


def bars(items: chart_scene.Scene) -> list[Box]:
    """The boxes standing on the x axis (legend swatches stand below it), in drawing order:
    category by category, series by series within one."""
    base = zero_line(items).y1
    return [item for item in items if isinstance(item, Box) and abs(item.y - base) < 1e-9]


def gridline_ys(items: chart_scene.Scene) -> list[float]:
    return sorted(item.y1 for item in items
                  if isinstance(item, Line) and item.colour == chart_scene.GRID)


def extent(label: Label) -> tuple[float, float, float, float]:
    """Left, right, bottom and top of the label's ink (capitals to descenders)."""
    register_fonts()
    width = stringWidth(label.text, FONT_BOLD if label.bold else FONT, label.size)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return (left, left + width, label.y - chart_scene.DESCENT * label.size,
            label.y + chart_scene.CAP * label.size)


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


# --- the layout ---------------------------------------------------------------------------


def test_bar_heights_are_proportional_to_values_and_the_axis_covers_the_largest() -> None:
    items = scene(VOLUMES, WIDTH, HEIGHT)
    # Largest value 62: steps of 1, 2 and 5 need more than six steps (62, 31, 13); 10 needs 7;
    # so the step is 20 (4 steps) and the axis runs 0, 20, 40, 60, 80.
    assert axis(VOLUMES) == (80.0, 20.0)
    assert texts(items)[1:6] == ["0", "20", "40", "60", "80"]  # after the title
    base = zero_line(items).y1
    top = gridline_ys(items)[-1]  # the 80 line
    # 8 bars: one value is not known. Category by category, series by series.
    values = [50, 30, 12, 61, 20, 62, 39, 26]
    found = bars(items)
    assert len(found) == 8
    for box, value in zip(found, values, strict=True):
        assert box.height == pytest.approx((top - base) * value / 80)
    # Each series keeps its colour in every group, in the palette's order.
    assert [box.fill for box in found] == [PALETTE[i] for i in (0, 1, 2, 0, 2, 0, 1, 2)]
    # Groups stand in category order, each bar's figure printed just above it.
    assert [box.x for box in found] == sorted(box.x for box in found)
    for box, value in zip(found, values, strict=True):
        above = [label for label in labels(items) if label.text == str(value)
                 and label.x == pytest.approx(box.x + box.width / 2)]
        assert above and above[0].y == pytest.approx(box.y + box.height + 2)


@pytest.mark.parametrize(("largest", "expected"), [
    (0, (5, 1)),  # at least 5: a chart of zeros still has an axis
    (3, (5, 1)),
    (5, (5, 1)),
    (6, (6, 1)),
    (7, (8, 2)),  # 7 steps of 1 are too many; 2 covers it in 4
    (13, (20, 5)),  # 7 steps of 2 too many; 5 needs 3, raised to the least of 4
    (60, (60, 10)),
    (61, (80, 20)),
    (99, (100, 20)),
    (1340, (2000, 500)),  # 14 of 100, 7 of 200, 3 of 500 raised to 4
])
def test_count_axis_has_four_to_six_nice_steps_covering_the_largest_value(
        largest: float, expected: tuple[float, float]) -> None:
    chart = BarChart("t", ("a", "b"), (Series("s", (largest, None)),))
    top, step = axis(chart)
    assert (top, step) == expected
    assert top >= largest and 4 <= top / step <= 6


def test_not_known_prints_n_a_in_place_of_its_bar() -> None:
    items = scene(VOLUMES, WIDTH, HEIGHT)
    (missing,) = [label for label in labels(items) if label.text == "n/a"]
    found = bars(items)
    # Complaints in 2017/18 sits between that year's initial feedback and compliments bars.
    feedback, compliments = found[3], found[4]
    assert feedback.x + feedback.width < missing.x < compliments.x
    assert missing.y > zero_line(items).y1
    assert not any(box.x <= missing.x <= box.x + box.width for box in found)


def test_percent_axis_runs_0_to_100_and_values_round_half_up() -> None:
    items = scene(RATES, WIDTH, HEIGHT)
    assert axis(RATES) == (100.0, 20.0)
    assert [t for t in texts(items) if t.endswith("%") and not t.startswith("%")][:6] == [
        "0%", "20%", "40%", "60%", "80%", "100%"]
    # 52.5 → 53%; 100% reaches the top gridline exactly.
    assert {"41%", "53%", "67%", "100%"} <= set(texts(items))
    found = bars(items)
    assert found[3].y + found[3].height == pytest.approx(gridline_ys(items)[-1])


def test_a_chart_of_zeros_is_an_axis_with_zero_figures_and_no_bars() -> None:
    items = scene(ZEROS, WIDTH, HEIGHT)
    assert bars(items) == []
    assert [t for t in texts(items) if t.isdigit()] == ["0", "1", "2", "3", "4", "5", "0", "0"]
    assert len(gridline_ys(items)) == 5  # 1 to 5; 0 is the axis itself


def test_legend_wraps_into_rows_within_the_width() -> None:
    narrow = 7 * CM
    items = scene(CROWDED, narrow, 9 * CM)
    names = {series.name for series in CROWDED.series}
    legend = [label for label in labels(items) if label.text in names]
    assert {label.text for label in legend} == names
    assert len({label.y for label in legend}) >= 3  # six long names in 7 cm: several rows
    for label in legend:
        left, right, _, _ = extent(label)
        assert left >= 0 and right <= narrow
    # Each name's swatch, in its series' colour, stands just before it on its row.
    for series_number, series in enumerate(CROWDED.series):
        (label,) = [label for label in legend if label.text == series.name]
        swatches = [item for item in items if isinstance(item, Box)
                    and item.x + item.width < label.x <= item.x + item.width + 4
                    and item.y < label.y + 6 and item.y + item.height > label.y]
        assert [swatch.fill for swatch in swatches] == [PALETTE[series_number]]


@pytest.mark.parametrize("chart", [VOLUMES, RATES, ZEROS, AWKWARD, CROWDED],
                         ids=["volumes", "rates", "zeros", "awkward", "crowded"])
@pytest.mark.parametrize("size", [(WIDTH, HEIGHT), (TEXT_WIDTH, 6 * CM), (8 * CM, 8 * CM)],
                         ids=["16x8", "text-width", "8x8"])
def test_nothing_is_clipped_and_no_words_overlap(chart: BarChart,
                                                 size: tuple[float, float]) -> None:
    width, height = size
    items = scene(chart, width, height)
    spans = [extent(label) for label in labels(items)]
    boxes = [(box.x, box.x + box.width, box.y, box.y + box.height)
             for box in items if isinstance(box, Box)]
    for span in spans + boxes:
        left, right, bottom, top = span
        assert left >= 0 and right <= width and bottom >= 0 and top <= height
    for index, span in enumerate(spans):
        assert not any(overlap(span, other) for other in spans[index + 1:]), span
        assert not any(overlap(span, box) for box in boxes), span


def test_awkward_text_survives_as_typed_and_the_layout_is_deterministic() -> None:
    items = scene(AWKWARD, WIDTH, HEIGHT)
    for text in ("Complaints & “representations” <North> £", "Through Care <North>",
                 "AT&T £5", "“Stage 1” & <2>", "Cost > £500"):
        assert text in texts(items)
    assert scene(AWKWARD, WIDTH, HEIGHT) == items


def test_too_small_a_drawing_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        scene(VOLUMES, WIDTH, 2 * CM)


# --- the PDF ------------------------------------------------------------------------------


def pdf_with(chart: BarChart) -> bytes:
    stream = io.BytesIO()
    document = SimpleDocTemplate(stream, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=MARGIN, bottomMargin=MARGIN)
    document.build([Spacer(1, 10), drawing(chart, TEXT_WIDTH, 8 * CM), Spacer(1, 10)])
    return stream.getvalue()


def test_pdf_drawing_has_the_words_and_bars() -> None:
    with pdfplumber.open(io.BytesIO(pdf_with(VOLUMES))) as document:
        (page,) = document.pages
        text = page.extract_text()
        rects = page.rects
    for words in ("Representations received", "Initial feedback", "Complaints", "Compliments",
                  "2016/17", "2018/19", "n/a", "50", "61", "62", "30", "39", "12", "20", "26"):
        assert words in text
    items = scene(VOLUMES, TEXT_WIDTH, 8 * CM)
    # Eight bars and three legend swatches, each as tall as laid out.
    assert len(rects) == 11
    heights = sorted(round(box.height, 2) for box in items if isinstance(box, Box))
    assert sorted(round(rect["height"], 2) for rect in rects) == heights
    fills = {tuple(round(c, 3) for c in rect["non_stroking_color"]) for rect in rects}
    assert fills == {tuple(round(int(colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))
                     for colour in PALETTE[:3]}


def test_pdf_prints_awkward_text_as_typed() -> None:
    with pdfplumber.open(io.BytesIO(pdf_with(AWKWARD))) as document:
        text = document.pages[0].extract_text()
    for words in ("Complaints & “representations” <North> £", "Through Care <North>",
                  "AT&T £5", "“Stage 1” & <2>", "Cost > £500"):
        assert words in text


# --- the PNG ------------------------------------------------------------------------------


def test_png_has_the_size_of_its_dpi_and_each_bar_its_series_colour() -> None:
    data = png_bytes(VOLUMES, WIDTH, HEIGHT, dpi=200)
    image = Image.open(io.BytesIO(data))
    # 16 cm at 200 dpi: 16 / 2.54 × 200 = 1259.8 → 1260 pixels; 8 cm → 630.
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.size == (1260, 630)
    assert image.info["dpi"] == pytest.approx((200, 200), abs=0.01)
    scale = 200 / 72
    for box in bars(scene(VOLUMES, WIDTH, HEIGHT)):
        centre = (int((box.x + box.width / 2) * scale),
                  int((HEIGHT - box.y - box.height / 2) * scale))
        red, green, blue = image.getpixel(centre)
        assert f"#{red:02X}{green:02X}{blue:02X}" == box.fill
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((1259, 629)) == (255, 255, 255)


def test_png_at_another_dpi_and_with_awkward_text() -> None:
    image = Image.open(io.BytesIO(png_bytes(AWKWARD, 8 * CM, 6 * CM, dpi=96)))
    # 8 cm at 96 dpi: 302.4 → 302 pixels; 6 cm: 226.8 → 227.
    assert image.size == (302, 227)
    # PNG keeps pixels per metre: 96 dpi is stored as 3780 and read back as 96.012.
    assert image.info["dpi"] == pytest.approx((96, 96), abs=0.02)


def test_png_is_fast() -> None:
    png_bytes(VOLUMES, WIDTH, HEIGHT)  # fonts loaded once
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        png_bytes(VOLUMES, WIDTH, HEIGHT)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1
