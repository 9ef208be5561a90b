"""The dashboard: what needs the officer today, and how this year compares with the last.

The due and overdue lists say what is due: a complaint's response, or at Stage 3 the panel or
the panel's report before it (`store.listing.due_lists`); actions not done by their due date
are listed beneath. Open cases and these lists are small indexed queries; the year-to-date
comparison comes from the figures engine (the same figures as the appendix); a tab beside it
holds the appendix's five-year trends (`trends_view`), read last and only while on screen. All
are worked out off the GUI thread, the lists once the pane has first been painted: the work imports
SQLAlchemy, the models and the holiday tables, which would otherwise hold Python's lock while
the window is being put on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.kinds import Kind
from cscdesk.domain.years import ReportingYear
from cscdesk.presentation import time_left
from cscdesk.store.engine import Database
from cscdesk.store.list_terms import NOUNS, Status, has_status
from cscdesk.ui.simple_table import HeadedTableModel
from cscdesk.ui.trends_view import TrendsView
from cscdesk.ui.workers import Query

if TYPE_CHECKING:  # the holiday tables and the ORM are slow to import: the worker brings them
    from PySide6.QtGui import QPaintEvent

    from cscdesk.domain.workdays import WorkingCalendar
    from cscdesk.store.listing import ActionDueItem, DueItem

AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")

DUE_SOON_DAYS = 5
FIRST_PAINT_WAIT_MS = 1000  # a pane on screen waits at most this long for its first paint


class _DueModel(HeadedTableModel):
    """Items with a reference and a due date, and how long is left until it (or how late)."""

    KIND = Kind.COMPLAINT  # the kind of record a row opens

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []
        self.left: list[str] = []  # "3 left", "2 late" (working days)
        self.today = date.today()

    def set_items(self, items: list[Any], today: date, calendar: WorkingCalendar) -> None:
        self.beginResetModel()
        self.items = items
        self.today = today
        self.left = [time_left(calendar, item.due, today, short=True) for item in items]
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.items)

    def values(self, row: int) -> tuple[str, ...]:
        raise NotImplementedError

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.items[index.row()].reference
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.values(index.row())[index.column()]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class DueTableModel(_DueModel):
    """Complaints awaiting a step (due soon, or overdue): what is due is the response, or at
    Stage 3 the panel or the panel's report before it."""

    HEADINGS = ("Reference", "Stage", "Team", "Complainant", "What is due", "Due",
                "Working days")
    STRETCHED = ("Team", "Complainant")

    def values(self, row: int) -> tuple[str, ...]:
        item: DueItem = self.items[row]
        return (item.reference, str(item.stage), item.team, item.complainant, item.step,
                f"{item.due:%a %d/%m/%Y}", self.left[row])


class ActionTableModel(_DueModel):
    """Actions not done by their due date: the late working days say how long ago."""

    KIND = Kind.ACTION
    HEADINGS = ("Reference", "Case", "Kind", "Team", "Due", "Working days")
    STRETCHED = ("Kind", "Team")

    def values(self, row: int) -> tuple[str, ...]:
        item: ActionDueItem = self.items[row]
        return (item.reference, item.case_reference, item.action_kind.value, item.team,
                f"{item.due:%a %d/%m/%Y}", self.left[row])


def _due_table(model: DueTableModel | ActionTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Names share what is left, so the due date and its note stay in view.
    for heading in model.STRETCHED:
        header.setSectionResizeMode(model.HEADINGS.index(heading),
                                    QHeaderView.ResizeMode.Stretch)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    return table


# The comparison rows: label and how to read the figure from one year's figures.
_COMPARISON = (
    ("Representations", lambda y: y.representations),
    ("Initial feedback", lambda y: y.comparison.initial_feedback),
    ("Stage 1 complaints", lambda y: y.comparison.stage1),
    ("Stage 2 complaints", lambda y: y.comparison.stage2),
    ("Stage 3 complaints", lambda y: y.comparison.stage3),
    ("Cases closed", lambda y: y.comparison.closed),
    ("% upheld", lambda y: y.comparison.upheld_percent),
    ("% responded on time", lambda y: y.comparison.timeliness_percent),
    ("Enquiries", lambda y: y.enquiries_total),
    ("Compliments", lambda y: y.compliments),
    ("Dispute resolution", lambda y: y.dispute_resolution),
)


def comparison_rows(database: Database, today: date) -> list[tuple[str, str, str]]:
    """(label, this year so far, same point last year) from the figures engine."""
    from cscdesk.report.figures import compute_figures

    with database.session() as session:
        figures = compute_figures(session, ReportingYear.containing(today), as_of=today)

    def shown(value: int | None, label: str) -> str:
        if value is None:
            return "N/A"
        return f"{value}%" if label.startswith("%") else f"{value:,}"

    return [(label, shown(read(figures.current), label), shown(read(figures.previous), label))
            for label, read in _COMPARISON]


@dataclass(frozen=True)
class DashboardLists:
    today: date
    opened: dict[Kind, int]
    soon: list[DueItem]
    late: list[DueItem]
    late_total: int
    calendar: WorkingCalendar
    late_actions: list[ActionDueItem] = field(default_factory=list)
    late_actions_total: int = 0


def dashboard_lists(database: Database, today: date) -> DashboardLists:
    """Open counts, the due/overdue complaints and the overdue actions (small indexed
    queries, and the next step of the few open Stage 3 complaints)."""
    # SQLAlchemy with the models, and the holiday tables: slow to import, so here (off the GUI
    # thread).
    from cscdesk.store import listing, lists

    with database.session() as session:
        calendar = lists.working_calendar(session)
        due = listing.due_lists(session, today, calendar, DUE_SOON_DAYS)
        return DashboardLists(
            today=today,
            opened=listing.open_by_kind(session),
            soon=due.soon,
            late=due.late,
            late_total=due.late_total,
            calendar=calendar,
            late_actions=listing.overdue_actions(session, today),
            late_actions_total=listing.overdue_actions_count(session, today),
        )


def _keeping_place(table: QTableView, model: _DueModel, change: Callable[[], None]) -> None:
    """Run `change` (new items for `model`), keeping the selected complaint and the scroll."""
    current = table.currentIndex()
    reference = model.items[current.row()].reference if current.isValid() else None
    scrolled = table.verticalScrollBar().value()
    change()
    table.doItemsLayout()  # the scroll bar's range for the new rows
    row = next((number for number, item in enumerate(model.items)
                if item.reference == reference), None) if reference is not None else None
    if row is not None:
        table.selectionModel().setCurrentIndex(
            model.index(row, max(current.column(), 0)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
    table.verticalScrollBar().setValue(scrolled)


class DashboardPane(QWidget):
    """Signals:
        open_requested(kind, reference): a due or overdue complaint, or an overdue action,
            was chosen.
        list_requested(kind, status): an "open" count was chosen; show that list filtered.
    """

    open_requested = Signal(object, str)
    list_requested = Signal(object, object)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._task: Query[list[tuple[str, str, str]]] | None = None
        self._lists_task: Query[DashboardLists] | None = None
        self.lists_ready = False
        self._figures_shown = False  # this year's figures are on screen (not a placeholder)
        self._again = False  # a refresh asked for while one was running: run it after
        self._painted = False
        self._pending: Callable[[], None] | None = None  # the lists' work, until it may start
        self._waiting_for_paint = False
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._start_when_painted)
        self._today = date.today()
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)

        open_box = QGroupBox("Open cases")
        open_layout = QHBoxLayout(open_box)
        self.open_buttons: dict[Kind, QPushButton] = {}
        for kind in Kind:
            if has_status(kind):
                # Counted in the background: until then a quiet "… complaints", never blank.
                button = QPushButton(f"… {NOUNS[kind][1]}")
                button.setAccessibleName(f"Open {NOUNS[kind][1]}: being counted")
                button.setToolTip(f"Show the open {NOUNS[kind][1]}")
                button.clicked.connect(lambda _c=False, k=kind: self.list_requested.emit(
                    k, Status.OPEN))
                open_layout.addWidget(button)
                self.open_buttons[kind] = button
        open_layout.addStretch(1)

        self.due_model = DueTableModel(self)
        self.overdue_model = DueTableModel(self)
        self.due_label = QLabel(f"&Due in the next {DUE_SOON_DAYS} working days: …")
        self.overdue_label = QLabel("&Overdue: …")
        self.due_table = _due_table(self.due_model, "Due in the next 5 working days")
        self.overdue_table = _due_table(self.overdue_model, "Overdue")
        self.due_label.setBuddy(self.due_table)
        self.overdue_label.setBuddy(self.overdue_table)
        self.actions_model = ActionTableModel(self)
        self.actions_label = QLabel("Overdue ac&tions: …")
        self.actions_table = _due_table(self.actions_model, "Overdue actions")
        self.actions_label.setBuddy(self.actions_table)
        for table, model in ((self.due_table, self.due_model),
                             (self.overdue_table, self.overdue_model),
                             (self.actions_table, self.actions_model)):
            table.activated.connect(lambda index, m=model: self._open(m, index))

        self.year_box = QWidget()  # its tab names it
        self.year_grid = QGridLayout(self.year_box)
        # The five-year trends share the year's place (as a tab), so the lists keep their room.
        self.trends = TrendsView(database)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.year_box, "This reporting &year so far")
        self.tabs.addTab(self.trends, "Five-year t&rends")

        lists_row = QHBoxLayout()
        for label, table in ((self.overdue_label, self.overdue_table),
                             (self.due_label, self.due_table)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(table)
            lists_row.addLayout(column, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(open_box)
        layout.addLayout(lists_row, 2)
        layout.addWidget(self.actions_label)
        layout.addWidget(self.actions_table, 1)
        layout.addWidget(self.tabs)

    def refresh(self, today: date | None = None) -> None:
        """Reload in the background, as of `today` (by default the day it is): the first use
        of the holiday calendar alone can take a noticeable moment, and the window must stay
        responsive meanwhile. The first time, the work waits until the pane has been painted
        (see `_start_when_painted`).

        Another PC's saves can ask for refreshes in quick succession (`ui.live_updates`): one
        asked for while one runs waits for it to end, then runs once; what is shown stays
        until the new figures replace it (no placeholder, the tables' selection kept)."""
        if self._working():
            self._again = True
            return
        today = today or date.today()
        self.lists_ready = False
        self._today = today
        self.heading.setText(f"Today, {today:%A %d %B %Y}")
        database = self.database

        def start() -> None:
            self._lists_task = self._in_background(lambda: dashboard_lists(database, today),
                                                   self._show_lists)

        self._pending = start  # a newer refresh replaces a pending one
        if self._painted:
            self._start_pending()
        elif not self._start_timer.isActive():
            self._start_timer.start(0)  # once the event loop runs: is a paint coming?

    def _working(self) -> bool:
        return any(task is not None and task.running for task in (self._lists_task, self._task))

    def _task_ended(self) -> None:
        if self._again and not self._working():
            self._again = False
            self.refresh()

    def _start_when_painted(self) -> None:
        """A pane on screen but not painted yet waits for its first paint (paintEvent comes
        back here), at most FIRST_PAINT_WAIT_MS; a pane not on screen (built in advance, or
        in a test) starts at once."""
        if self.isVisible() and not self._painted and not self._waiting_for_paint:
            self._waiting_for_paint = True
            self._start_timer.start(FIRST_PAINT_WAIT_MS)
            return
        self._start_pending()

    def _start_pending(self) -> None:
        self._start_timer.stop()
        start, self._pending = self._pending, None
        if start is not None:
            start()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            if self._pending is not None:
                self._start_timer.start(0)  # after this paint, not in the middle of it

    def _show_lists(self, found: DashboardLists) -> None:
        for kind, button in self.open_buttons.items():
            singular, plural = NOUNS[kind]
            number = found.opened.get(kind, 0)
            button.setText(f"{number:,} {singular if number == 1 else plural}")
            button.setAccessibleName(f"Open {plural}: {number}")
        shown: tuple[tuple[QTableView, _DueModel, list[Any]], ...] = (
            (self.due_table, self.due_model, found.soon),
            (self.overdue_table, self.overdue_model, found.late),
            (self.actions_table, self.actions_model, found.late_actions))
        for table, model, items in shown:
            _keeping_place(table, model,
                           partial(model.set_items, items, found.today, found.calendar))
        self.due_label.setText(
            f"&Due in the next {DUE_SOON_DAYS} working days: {len(found.soon)}")
        self.overdue_label.setText(
            f"&Overdue: {found.late_total:,}{_more(found.late, found.late_total)}")
        self.actions_label.setText(f"Overdue ac&tions: {found.late_actions_total:,}"
                                   f"{_more(found.late_actions, found.late_actions_total)}")
        self.lists_ready = True
        self._start_comparison(found.today)

    def _start_comparison(self, today: date) -> None:
        self._today = today
        if not self._figures_shown:  # else the figures shown stay until the new ones come
            self._show_comparison([("Working out this year's figures…", "", "")])
        database = self.database
        self._task = self._in_background(lambda: comparison_rows(database, today),
                                         self._show_figures)

    def _show_figures(self, rows: list[tuple[str, str, str]]) -> None:
        self._figures_shown = True
        self._show_comparison(rows)
        self.trends.refresh(self._today)  # last, once the year's figures are in

    def _in_background(self, work: Callable[[], R], done: Callable[[R], None]) -> Query[R]:
        """Run `work` off the GUI thread; `done` gets its result, a failure is said in the
        figures box."""
        query = Query(lambda _progress: work(), on_done=done, on_failed=self._comparison_failed)
        query.ended.connect(self._task_ended)
        query.start()
        return query

    def _comparison_failed(self, error: Exception) -> None:
        self._figures_shown = False
        self._show_comparison([(f"The figures could not be worked out: {error}", "", "")])
        self.trends.refresh(self._today)

    def _show_comparison(self, rows: list[tuple[str, str, str]]) -> None:
        today = self._today
        while self.year_grid.count():
            item = self.year_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        year = ReportingYear.containing(today)
        headings = ("", f"{year.label} to {today:%d %b}", f"{year.previous.label} to same day")
        for column, text in enumerate(headings):
            heading = QLabel(f"<b>{text}</b>")
            self.year_grid.addWidget(heading, 0, column)
        for number, (label, this_year, last_year) in enumerate(rows, start=1):
            for column, text in enumerate((label, this_year, last_year)):
                cell = QLabel(text)
                if column:
                    cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.year_grid.addWidget(cell, number, column)
        self.year_grid.setColumnStretch(3, 1)

    def _open(self, model: _DueModel, index: QModelIndex) -> None:
        reference = model.data(model.index(index.row(), 0), Qt.ItemDataRole.UserRole)
        if reference:
            self.open_requested.emit(model.KIND, reference)


def _more(shown: list[Any], total: int) -> str:
    """" (the 200 due longest ago shown)" when the list holds fewer than there are."""
    return f" (the {len(shown)} due longest ago shown)" if total > len(shown) else ""
