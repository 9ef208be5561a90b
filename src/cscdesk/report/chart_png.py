"""A bar chart as a PNG picture: the Word version's painter of `chart_scene`, with Pillow.

Pillow comes with ReportLab, so the picture needs no graphics library of its own (ReportLab's
own bitmap renderer needs Cairo, and matplotlib would not fit the app's bundle). It draws the
same scene as the PDF, in the same DejaVu Sans fonts, so the two look alike.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from cscdesk.paths import resource_path
from cscdesk.report import chart_scene
from cscdesk.report.charts import BarChart

_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # left/middle/right, at the baseline


def png_bytes(chart: BarChart, width: float, height: float, *, dpi: int = 200) -> bytes:
    """The chart as an RGB PNG of `width` × `height` points at `dpi` (written in the file, so
    Word places it at its size in points)."""
    scale = dpi / 72
    pixels_wide, pixels_high = round(width * scale), round(height * scale)
    image = Image.new("RGB", (pixels_wide, pixels_high), "white")
    draw = ImageDraw.Draw(image)

    def y_down(y: float) -> float:
        return (height - y) * scale

    for item in chart_scene.scene(chart, width, height):
        if isinstance(item, chart_scene.Box):
            # Pillow fills both corner pixels: the far edges are the pixels before them.
            left, right = round(item.x * scale), round((item.x + item.width) * scale) - 1
            top = round(y_down(item.y + item.height))
            bottom = round(y_down(item.y)) - 1
            if right >= left and bottom >= top:
                draw.rectangle((left, top, right, bottom), fill=item.fill)
        elif isinstance(item, chart_scene.Line):
            draw.line((item.x1 * scale, y_down(item.y1), item.x2 * scale, y_down(item.y2)),
                      fill=item.colour, width=max(1, round(item.width * scale)))
        else:
            draw.text((item.x * scale, y_down(item.y)), item.text, fill=item.colour,
                      font=_font(item.bold, round(item.size * scale, 2)),
                      anchor=_ANCHORS[item.anchor])
    stream = io.BytesIO()
    image.save(stream, "PNG", dpi=(dpi, dpi))
    return stream.getvalue()


@cache
def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at a size in pixels, loaded once per size. Basic layout (no HarfBuzz) gives
    the same text on every machine, whichever libraries Pillow was built with."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(resource_path(f"fonts/{name}")), size,
                              layout_engine=ImageFont.Layout.BASIC)
