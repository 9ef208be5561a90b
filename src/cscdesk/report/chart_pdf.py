"""A bar chart as ReportLab vector graphics: the PDF's painter of `chart_scene`.

Vector shapes rather than a picture keep the chart sharp at any zoom and its words real text
(searchable, read aloud, copied), like the rest of the appendix.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor

from cscdesk.report import chart_scene
from cscdesk.report.charts import BarChart
from cscdesk.report.layout import FONT, FONT_BOLD, register_fonts


def drawing(chart: BarChart, width: float, height: float) -> Drawing:
    """The chart as a `width` × `height` points Drawing, a flowable for a platypus story."""
    register_fonts()
    result = Drawing(width, height)
    for item in chart_scene.scene(chart, width, height):
        if isinstance(item, chart_scene.Box):
            box = Rect(item.x, item.y, item.width, item.height)
            # Set after construction: the type stubs mistype Rect's keyword arguments.
            box.fillColor, box.strokeColor, box.strokeWidth = HexColor(item.fill), None, 0
            result.add(box)
        elif isinstance(item, chart_scene.Line):
            result.add(Line(item.x1, item.y1, item.x2, item.y2,
                            strokeColor=HexColor(item.colour), strokeWidth=item.width))
        else:
            result.add(String(item.x, item.y, item.text, fontName=FONT_BOLD if item.bold else FONT,
                              fontSize=item.size, fillColor=HexColor(item.colour),
                              textAnchor=item.anchor))
    return result
