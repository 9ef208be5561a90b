"""A bar chart on screen: the dashboard's painter of `report.chart_scene`, with QPainter.

It paints the same scene as the appendix's PDF and Word version, so the dashboard's chart
looks like the printed one: a point of the scene is a point on screen (the widget's logical
DPI / 72 pixels), in the same DejaVu Sans. The scene is laid out for the
widget's size, once per size (laying out measures every label), and a widget too small for
a plot shows nothing rather than failing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from cscdesk.report import chart_scene
from cscdesk.report.charts import BarChart

FAMILY = "DejaVu Sans"  # the scene measures its labels in this font
PAPER = QColor("white")  # the scene's colours are chosen for white paper, in any desktop theme

_Map = Callable[[float], float]  # points to pixels, along one axis


@cache
def _family() -> str:
    """DejaVu Sans, the shipped font the scene measured its labels in (loaded into Qt from
    resources/fonts once, as a council PC does not have it); else the application's own font:
    Qt measures whichever it is when it anchors a label, so a label stays centred either way."""
    if not QFontDatabase.hasFamily(FAMILY):
        from cscdesk.paths import resource_path

        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            QFontDatabase.addApplicationFont(str(resource_path(f"fonts/{name}")))
    return FAMILY if QFontDatabase.hasFamily(FAMILY) else QApplication.font().family()


class ChartView(QWidget):
    """One BarChart, painted to fill the widget; named by its title and described by its
    alternative text for a screen reader, which reaches it with Tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart: BarChart | None = None
        # The scene for the last size painted, keyed by that size in points (None: too small).
        self._cached: tuple[tuple[float, float], chart_scene.Scene | None] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def chart(self) -> BarChart | None:
        return self._chart

    def set_chart(self, chart: BarChart | None, description: str = "") -> None:
        if chart != self._chart:
            self._chart = chart
            self._cached = None
        self.setAccessibleName(chart.title if chart is not None else "")
        self.setAccessibleDescription(description)
        # Tab reaches a chart, so a screen reader reads its description; nothing drawn, no stop.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if chart is None else Qt.FocusPolicy.TabFocus)
        self.update()

    def sizeHint(self) -> QSize:
        # Modest: the chart grows into whatever room its layout gives, never asking for more.
        return QSize(480, 180)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 80)

    def pixels_per_point(self) -> float:
        return self.logicalDpiY() / 72

    def scene(self) -> chart_scene.Scene | None:
        """The scene at the widget's present size; None when there is no chart or the widget
        is too small for one."""
        if self._chart is None:
            return None
        scale = self.pixels_per_point()
        size = (self.width() / scale, self.height() / scale)
        if self._cached is None or self._cached[0] != size:
            try:
                laid_out: chart_scene.Scene | None = chart_scene.scene(self._chart, *size)
            except ValueError:  # too small for a plot
                laid_out = None
            self._cached = (size, laid_out)
        return self._cached[1]

    def paintEvent(self, event: QPaintEvent) -> None:
        laid_out = self.scene()
        if laid_out is None:
            return
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), PAPER)
            self._paint(painter, laid_out)
            if self.hasFocus():
                pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        finally:
            painter.end()

    def _paint(self, painter: QPainter, laid_out: chart_scene.Scene) -> None:
        scale = self.pixels_per_point()
        height = self.height()

        def x_of(x: float) -> float:
            return x * scale

        def y_of(y: float) -> float:  # points up from the bottom → pixels down from the top
            return height - y * scale

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for item in laid_out:  # in the scene's order: gridlines under bars, axes over them
            if isinstance(item, chart_scene.Box):
                # Whole pixels, as the PNG: bars with sharp edges, like colours never blurred.
                left, right = round(x_of(item.x)), round(x_of(item.x + item.width))
                top, bottom = round(y_of(item.y + item.height)), round(y_of(item.y))
                if right > left and bottom > top:
                    painter.fillRect(left, top, right - left, bottom - top, QColor(item.fill))
            elif isinstance(item, chart_scene.Line):
                self._line(painter, item, x_of, y_of, scale)
            else:
                font = _font(item.size, item.bold)
                painter.setFont(font)
                painter.setPen(QColor(item.colour))
                x = x_of(item.x)
                if item.anchor != "start":
                    advance = QFontMetricsF(font, self).horizontalAdvance(item.text)
                    x -= advance / 2 if item.anchor == "middle" else advance
                painter.drawText(QPointF(x, y_of(item.y)), item.text)

    @staticmethod
    def _line(painter: QPainter, item: chart_scene.Line, x_of: _Map, y_of: _Map,
              scale: float) -> None:
        """A line at least a pixel wide; an axis or gridline centred on a pixel, so a thin
        line is one crisp pixel rather than two faint ones."""
        width = max(1, round(item.width * scale))
        pen = QPen(QColor(item.colour), width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        x1, y1, x2, y2 = x_of(item.x1), y_of(item.y1), x_of(item.x2), y_of(item.y2)
        offset = 0.5 if width % 2 else 0.0
        if y1 == y2:
            y1 = y2 = math.floor(y1) + offset
        elif x1 == x2:
            x1 = x2 = math.floor(x1) + offset
        painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))



@cache
def _font(size: float, bold: bool) -> QFont:
    """The labels' font at `size` points. Unkerned, and hinted only vertically, so a label's
    width is its design width: the width the scene allowed for it."""
    font = QFont(_family())
    font.setPointSizeF(size)
    font.setBold(bold)
    font.setKerning(False)
    font.setHintingPreference(QFont.HintingPreference.PreferVerticalHinting)
    return font
