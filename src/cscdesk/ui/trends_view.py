"""The dashboard's five-year trends: the appendix's "Five-Year Trends" charts on screen, one at
a time, each beside the table of the figures it draws.

The charts, tables, alternative texts and the note on hand-entered years are the appendix's
own (`report.trends_printed`), so the screen and the printed page cannot disagree. They are
worked out off the GUI thread, as the dashboard's other figures are, and only while the view is
on screen: a refresh asked for while it is hidden (another PC's save, on the other tab) is
remembered and done when it is next shown, so a busy server costs nothing until the officer
looks. Until new figures arrive, the ones shown stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.years import ReportingYear
from cscdesk.store.engine import Database
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.simple_table import Index, SimpleTableModel
from cscdesk.ui.workers import Query

if TYPE_CHECKING:  # the figures engine is slow to import: the worker brings it
    from PySide6.QtGui import QShowEvent

    from cscdesk.report.charts import BarChart
    from cscdesk.ui.chart_painter import ChartView

WORKING = "Working out the five-year trends…"


@dataclass(frozen=True)
class TrendsFound:
    """What the view shows for the five years ending with `year`: each chart with its table
    of figures (header first) and alternative text, the note on hand-entered figures, and the
    years that may be chosen (newest first)."""

    year: ReportingYear
    charts: list[tuple[BarChart, list[list[str]], str]]
    note: str | None
    years: list[ReportingYear]


def trends_found(database: Database, year: ReportingYear, today: date) -> TrendsFound:
    """The trends of the five years ending with `year` (off the GUI thread)."""
    # The figures engine, SQLAlchemy and ReportLab (whose font metrics lay a chart out) are
    # slow to import and the fonts slow to read: here, not on the GUI thread.
    from cscdesk.domain.kinds import Kind
    from cscdesk.report import trends_printed
    from cscdesk.report.layout import register_fonts
    from cscdesk.report.trends import compute_trends
    from cscdesk.store import listing

    register_fonts()
    with database.session() as session:
        trends = compute_trends(session, year)
        years = listing.year_choices(session, Kind.COMPLAINT, today)
    choices = sorted({*years, year, ReportingYear.last_complete(today)}, reverse=True)
    return TrendsFound(year, trends_printed.charts(trends), trends_printed.note(trends),
                       choices)


class FiguresModel(SimpleTableModel):
    """A chart's table of figures: its header row gives the headings, which change with the
    years shown; the figures are right-aligned, as in the appendix."""

    def __init__(self) -> None:
        super().__init__(())

    def set_table(self, table: list[list[str]]) -> None:
        self.beginResetModel()
        self.HEADINGS = tuple(table[0]) if table else ()
        self._rows = [list(row) for row in table[1:]]
        self.endResetModel()

    def table(self) -> list[list[str]]:
        """The table shown, header first (as `trends_printed` gives it)."""
        return [list(self.HEADINGS), *([str(value) for value in self.row_values(row)]
                                       for row in range(self.row_total()))]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid():
            if index.column() == 0:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


class TrendsView(QWidget):
    """The five years ending with the year chosen (by default the last complete one): the
    chart chosen, the table of its figures, and the note on figures entered by hand."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.today = date.today()
        self._chosen: ReportingYear | None = None  # None: the last complete year, as days pass
        self.found: TrendsFound | None = None
        self.task: Query[TrendsFound] | None = None
        self._stale = True  # to be read when next on screen
        self._again = False  # asked for while a read ran: read once more after it

        self.chart_choice = QComboBox()
        self.chart_choice.setEnabled(False)  # until the charts are known
        self.chart_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.chart_choice.currentIndexChanged.connect(self._show_chart)
        self.year_choice = QComboBox()
        self.year_choice.addItem(self.year().label, self.year().start_year)
        self.year_choice.currentIndexChanged.connect(self._year_chosen)
        self.chart_view: ChartView | None = None  # made when first shown (see `_chart`)
        self.model = FiguresModel()
        self.model.setParent(self)
        self.table = _figures_table(self.model)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.status = QLabel(WORKING)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")

        choices = QHBoxLayout()
        choices.addWidget(labelled("&Chart:", self.chart_choice))
        choices.addWidget(self.chart_choice)
        choices.addSpacing(12)
        choices.addWidget(labelled("Five years &ending:", self.year_choice))
        choices.addWidget(self.year_choice)
        choices.addStretch(1)

        # The figures' column is as wide as the widest table, so the chart keeps its place
        # when another chart is chosen.
        self.figures_column = QWidget()
        figures = QVBoxLayout(self.figures_column)
        figures.setContentsMargins(0, 0, 0, 0)
        figures.addWidget(self.table)
        figures.addWidget(self.note)  # under the figures, where the rows leave room
        figures.addWidget(self.status)
        figures.addStretch(1)
        self._below = QHBoxLayout()
        self._below.addWidget(self.figures_column)

        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addLayout(self._below, 1)

    def year(self) -> ReportingYear:
        """The year whose five years are shown (or asked for)."""
        return self._chosen or ReportingYear.last_complete(self.today)

    def refresh(self, today: date | None = None) -> None:
        """Read the trends again, as of `today`: now when on screen, else when next shown."""
        self.today = today or date.today()
        self._stale = True
        if self.isVisible():
            self._load()

    def _chart(self) -> ChartView:
        """The chart's widget, made the first time it is needed: its painter (QPainter, the
        fonts, the scene's layout) is imported then, not while the window first appears."""
        if self.chart_view is None:
            from cscdesk.ui.chart_painter import ChartView

            self.chart_view = ChartView()
            self._below.addWidget(self.chart_view, 1)
        return self.chart_view

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._chart()
        if self._stale:
            self._load()

    def _load(self) -> None:
        if self.task is not None and self.task.running:
            self._again = True  # one read at a time; the newest wish runs after it
            return
        self._stale = False
        database, year, today = self.database, self.year(), self.today
        if self.found is None:
            self.status.setText(WORKING)
            self.status.show()
        self.task = Query(lambda _progress: trends_found(database, year, today),
                          on_done=self._show, on_failed=self._failed)
        self.task.ended.connect(self._ended)
        self.task.start()

    def _ended(self) -> None:
        if self._again:
            self._again = False
            self._stale = True
            if self.isVisible():
                self._load()

    def _year_chosen(self, index: int) -> None:
        if index < 0:
            return
        self._chosen = ReportingYear(self.year_choice.itemData(index))
        self._stale = True
        if self.isVisible():
            self._load()

    def _show(self, found: TrendsFound) -> None:
        if found.year != self.year():
            return  # another year was chosen meanwhile: its read follows this one
        self.found = found
        with QSignalBlocker(self.year_choice):
            self.year_choice.clear()
            for year in found.years:
                self.year_choice.addItem(year.label, year.start_year)
            self.year_choice.setCurrentIndex(self.year_choice.findData(found.year.start_year))
        titles = [chart.title for chart, _table, _text in found.charts]
        if titles != [self.chart_choice.itemText(i) for i in range(self.chart_choice.count())]:
            with QSignalBlocker(self.chart_choice):
                kept = max(self.chart_choice.currentIndex(), 0)
                self.chart_choice.clear()
                self.chart_choice.addItems(titles)
                self.chart_choice.setCurrentIndex(min(kept, len(titles) - 1))
        self.chart_choice.setEnabled(bool(titles))
        widths = []
        for _chart, table, _text in found.charts:
            self.model.set_table(table)
            widths.append(_fit(self.table).width())
        self.figures_column.setMinimumWidth(max(widths, default=0))
        self.status.hide()
        self.note.setText(found.note or "")
        self.note.setVisible(found.note is not None)
        self._show_chart(self.chart_choice.currentIndex())

    def _show_chart(self, index: int) -> None:
        if self.found is None or not 0 <= index < len(self.found.charts):
            return
        chart, table, description = self.found.charts[index]
        self._chart().set_chart(chart, description)
        self.model.set_table(table)
        self.table.setAccessibleName(f"Figures of the chart: {chart.title}")
        self.table.show()
        _fit(self.table)

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"The five-year trends could not be worked out: {error}")
        self.status.show()


def _figures_table(model: FiguresModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.setTabKeyNavigation(False)  # Tab leaves the table, to the chart
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    table.hide()  # until there are figures
    return table


def _fit(table: QTableView) -> QSize:
    """Size the table to its cells (a handful of rows, read whole without scrolling); the
    size it now has."""
    table.resizeColumnsToContents()
    table.resizeRowsToContents()
    frame = 2 * table.frameWidth()
    header = table.horizontalHeader()
    width = sum(header.sectionSize(column) for column in range(header.count())) + frame
    rows = table.verticalHeader()
    height = (header.sizeHint().height()
              + sum(rows.sectionSize(row) for row in range(rows.count())) + frame)
    table.setFixedSize(width, height)
    return QSize(width, height)
