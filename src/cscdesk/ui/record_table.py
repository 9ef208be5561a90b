"""The list of one record kind: a paged table model over SQL, and the pane around it.

The model holds only the pages the view has asked for (`canFetchMore`/`fetchMore`); sorting,
searching and counting are done by `cscdesk.store.listing` in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.kind_spec import spec
from cscdesk.domain.kinds import ActionKind, EnquirySource, Kind
from cscdesk.domain.years import ReportingYear
from cscdesk.store import listing
from cscdesk.store.engine import Database
from cscdesk.store.listing import Counts, ListQuery, ListRow, Status
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.new_from_email import EMAIL_KINDS, NEW_FROM_EMAIL_SHORTCUT
from cscdesk.ui.workers import Query, thread_pool

PAGE_SIZE = 200
# A search matching many records walks an index until it has found a page: its first page is
# kept to about two screens so the list answers a keystroke quickly; scrolling fetches more.
FIRST_SEARCH_PAGE = 60
SEARCH_DELAY_MS = 60  # wait this long after a keystroke before searching (a little debounce)

OVERDUE_BACKGROUND = QColor("#fbe9e7")
OVERDUE_TEXT = QColor("#8c1d18")
_OVERDUE_BRUSH: QBrush | None = None
_OVERDUE_TEXT_BRUSH: QBrush | None = None
_BOLD: QFont | None = None

AnyIndex = QModelIndex | QPersistentModelIndex

OVERDUE_TIP = {Kind.COMPLAINT: "Overdue: the response is past its due date.",
               Kind.ACTION: "Overdue: the action is past its due date and not done."}
# What the search box reads (`KindSpec` fields marked list_search, and the team's name).
SEARCH_HINT = {Kind.ACTION: "Reference, case, team or what"}

# Roles as plain ints: data() runs for every cell and role on every paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter.value)


@dataclass(frozen=True)
class ListPlace:
    """Where the officer is in a list: kept when it is read again."""

    current: str | None  # the reference of the current (selected) record
    column: int  # the current cell's column
    top: str | None  # the reference of the record at the top of the view
    scrolled: int  # the vertical scroll bar's value (0: at the top, where new records show)
    sideways: int
    rows: int  # the rows loaded (scrolled through)


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value  # an enum such as Outcome
    text = str(value)
    return text if len(text) <= 120 else text[:117].rstrip() + "…"


def _bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class RecordTableModel(QAbstractTableModel):
    """Rows of one kind, fetched from SQL a page at a time.

    Signals:
        counts_changed(Counts | None): after every reload, the totals of the current query
            (None while they are being counted in the background, then the totals).
    """

    counts_changed = Signal(object)

    def __init__(self, database: Database, kind: Kind, parent: QWidget | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.database = database
        self.kind = kind
        self.page_size = page_size
        self.columns = listing.columns(kind)
        self.query = ListQuery(kind)
        self.counts: Counts | None = Counts(0, 0, 0)
        self._rows: list[ListRow] = []
        self._texts: list[tuple[str, ...] | None] = []  # formatted when first painted
        self._ids: list[int] | None = None  # every match of a search, in order, when few
        self._ids_query: ListQuery | None = None  # the query `_ids` are the matches of
        self._order_checked = False  # whether SQLite's plan for this order has been asked
        self._generation = 0
        self._counted_query: ListQuery | None = None  # the query `counts` belong to
        self._exhausted = True
        self.one_pass_limit = listing.ONE_PASS_LIMIT
        global _OVERDUE_BRUSH, _OVERDUE_TEXT_BRUSH, _BOLD
        if _BOLD is None:  # made once, after the application exists
            _OVERDUE_BRUSH = QBrush(OVERDUE_BACKGROUND)
            _OVERDUE_TEXT_BRUSH = QBrush(OVERDUE_TEXT)
            _BOLD = _bold_font()

    # --- loading ---------------------------------------------------------------------------

    def set_query(self, query: ListQuery, *, new_order_only: bool = False,
                  rows_wanted: int = 0) -> None:
        self.query = query
        self.reload(new_order_only=new_order_only, rows_wanted=rows_wanted)

    def reload(self, *, new_order_only: bool = False, rows_wanted: int = 0) -> None:
        """Fetch the first page of the current query and its counts (today as of now); at
        least `rows_wanted` rows when there are that many (a list read again keeps the rows
        the officer had scrolled through, so the place they were at is still there).

        A search that matches a thousand records or fewer is found in one pass, which
        also gives the counts and the order of every match; later pages are then read by id.
        A search matching more shows its first page at once (walking an index in order finds
        it quickly) and counts in the background: `counts` is None until they arrive.
        An order SQLite cannot walk an index for (status, say) is read whole at the first
        scroll (`fetchMore`), so later pages do not sort every record again.
        """
        previous = self._counted_query
        self.query = self.query.with_changes(today=date.today())
        self._generation += 1
        counts: Counts | None
        only_order_changed = (
            new_order_only and self.counts is not None and previous is not None
            and self._ids_query is None  # a short search is sorted again in one pass
            and previous.with_changes(sort_key=self.query.sort_key,
                                      descending=self.query.descending) == self.query)
        within = (self._ids if self._ids is not None and self._ids_query is not None
                  and listing.narrows(self._ids_query, self.query) else None)
        self._ids = self._ids_query = None
        self._order_checked = False
        first_page = max(self.page_size, rows_wanted)
        with self.database.session() as session:
            matches = (listing.search_matches(session, self.query, self.one_pass_limit,
                                              within=within)
                       if self.query.search.split() and not only_order_changed else None)
            if only_order_changed:  # a new order of the same records: the counts stand
                counts = self.counts
                assert counts is not None  # as `only_order_changed` asks
                rows = listing.fetch_page(session, self.query, 0, first_page,
                                          total=counts.total)
            elif matches is not None:
                counts, self._ids = matches
                self._ids_query = self.query
                rows = listing.fetch_rows(session, self.query, self._ids[:first_page])
            elif self.query.search.split():
                counts = None
                first_page = max(min(self.page_size, FIRST_SEARCH_PAGE), rows_wanted)
                rows = listing.fetch_page(session, self.query, 0, first_page)
            else:
                counts = listing.count(session, self.query)
                rows = (listing.fetch_page(session, self.query, 0, first_page,
                                           total=counts.total) if counts.total else [])
        self.beginResetModel()
        self.counts = counts
        self._rows = rows
        self._texts = [None] * len(rows)
        self._exhausted = len(rows) < first_page or (
            counts is not None and len(rows) >= counts.total)
        self._counted_query = self.query if counts is not None else None
        self.endResetModel()
        self.counts_changed.emit(counts)
        if counts is None:
            self._count_in_background()

    def forget_matches(self) -> None:
        """The data changed: the next search reads the table again, not the last matches."""
        self._ids_query = None

    def _count_in_background(self) -> None:
        generation, query, database = self._generation, self.query, self.database

        def work(_progress: object) -> tuple[int, Counts]:
            with database.session() as session:
                return generation, listing.count(session, query)

        # A bound slot: dropped if the model goes.
        Query(work, on_done=self._counted).start(thread_pool("list-counts"))

    def _counted(self, counted: tuple[int, Counts]) -> None:
        generation, counts = counted
        if generation != self._generation:
            return  # the officer has typed on; a newer count is coming
        self.counts = counts
        self._counted_query = self.query
        self._exhausted = self._exhausted or len(self._rows) >= counts.total
        self.counts_changed.emit(counts)

    @property
    def counting(self) -> bool:
        return self.counts is None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        with self.database.session() as session:
            total = self.counts.total if self.counts is not None else None
            if self._ids is None and not self._order_checked:
                self._order_checked = True  # once per query, not at every page
                if listing.pages_need_sorting(session, self.query, total=total):
                    # Each page would sort every match again: sort once, then read by id.
                    self._ids = listing.ordered_ids(session, self.query, total=total)
            if self._ids is not None:
                more = listing.fetch_rows(session, self.query, self._ids[
                    len(self._rows):len(self._rows) + self.page_size])
            else:
                more = listing.fetch_page(session, self.query, len(self._rows),
                                          self.page_size, total=total)
        self._exhausted = len(more) < self.page_size
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self._texts.extend([None] * len(more))
            self.endInsertRows()
        if self.counts is not None and len(self._rows) >= self.counts.total:
            self._exhausted = True

    # --- the model interface ---------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].label
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Called for every cell and role on each paint, so it reads prepared values only."""
        if not index.isValid():
            return None
        row_number = index.row()
        if row_number >= len(self._rows):
            return None
        if role == _DISPLAY:
            texts = self._texts[row_number]
            if texts is None:
                texts = self._texts[row_number] = tuple(
                    map(format_value, self._rows[row_number].values))
            return texts[index.column()]
        if role == _ALIGNMENT:
            return _CENTRE if self.columns[index.column()].kind_of_value == "number" else None
        if role == _USER:
            return self._rows[row_number].reference
        row = self._rows[row_number]
        if not row.overdue:
            if role == _TOOLTIP and self.columns[index.column()].key in ("summary", "what"):
                return str(row.values[index.column()] or "") or None
            return None
        is_status = self.columns[index.column()].key == "status"
        if role == _BACKGROUND:
            return _OVERDUE_BRUSH
        if role == _FOREGROUND and is_status:
            return _OVERDUE_TEXT_BRUSH
        if role == _FONT and is_status:
            return _BOLD
        if role == _TOOLTIP and is_status:
            return OVERDUE_TIP.get(self.kind, OVERDUE_TIP[Kind.COMPLAINT])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key if 0 <= column < len(self.columns) else "placed"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.query.sort_key, self.query.descending) or not self._rows:
            self.set_query(self.query.with_changes(sort_key=key, descending=descending),
                           new_order_only=True)

    def reference_at(self, row: int) -> str | None:
        return self._rows[row].reference if 0 <= row < len(self._rows) else None

    def row_of(self, reference: str) -> int | None:
        """The row showing the record `reference`, if it is loaded."""
        return next((number for number, row in enumerate(self._rows)
                     if row.reference == reference), None)


class SearchBox(QLineEdit):
    """Esc clears the search; Esc on an empty box or Down moves to the list."""

    leave = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Down):
            self.leave.emit()
            return
        super().keyPressEvent(event)


def _dropped_files(data: QMimeData) -> list[Path]:
    """The local files being dragged (a dragged link or text is not one)."""
    return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]


def _set_choices(combo: QComboBox, choices: list[tuple[str, Any]]) -> None:
    """Offer `choices` (text, value), keeping the value chosen; a combo box already offering
    them is left alone (a list read again after another PC's save leaves an open one open)."""
    if [(combo.itemText(number), combo.itemData(number))
            for number in range(combo.count())] == choices:
        return
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, value in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))
    combo.blockSignals(False)


def _labelled(label_text: str, widget: QWidget, layout: QHBoxLayout) -> QLabel:
    """A label tied to its input; the input's accessible name is the label's words."""
    label = labelled(label_text, widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    return label


class RecordListPane(QWidget):
    """Search, filters, counts and the table of one kind.

    Signals:
        open_requested(kind, reference): the officer chose a record (Enter or double-click).
        email_requested(kind, path or None): a new record from an email: the file dropped on
            the list, or None for "New from email…" (the window asks for the file).
    """

    open_requested = Signal(object, str)
    email_requested = Signal(object, object)

    def __init__(self, database: Database, kind: Kind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.kind = kind
        self.model = RecordTableModel(database, kind, self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._build()
        self._fill_choices()
        self.model.counts_changed.connect(self._show_counts)

    def _build(self) -> None:
        filters = QHBoxLayout()
        self.search = SearchBox()
        self.search.setPlaceholderText(
            SEARCH_HINT.get(self.kind, "Reference, team, name or summary"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.search.leave.connect(self._focus_table)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 18)
        _labelled("&Search", self.search, filters)
        filters.setStretchFactor(self.search, 3)
        self.year = QComboBox()
        _labelled("&Year", self.year, filters)
        self.status = QComboBox()
        if listing.has_status(self.kind):
            statuses = [Status.ALL, Status.OPEN, *((Status.OVERDUE,)
                        if listing.has_overdue(self.kind) else ()), Status.CLOSED]
            for status in statuses:
                shown = (listing.closed_word(self.kind) if status is Status.CLOSED
                         else status.value)
                self.status.addItem(shown, status.value)
            _labelled("Stat&us", self.status, filters)
        else:
            self.status.addItem(Status.ALL.value, Status.ALL.value)
            self.status.hide()
        self.team = QComboBox()
        self.team.setMinimumContentsLength(10)
        self.team.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        _labelled("&Team", self.team, filters)
        self.stage = QComboBox()
        if spec(self.kind).has_field("stage"):
            self.stage.addItem("All stages", None)
            for number in (1, 2, 3):
                self.stage.addItem(f"Stage {number}", number)
            _labelled("Sta&ge", self.stage, filters)
        elif spec(self.kind).has_field("source"):
            self.stage.addItem("All sources", None)
            for source in EnquirySource:
                self.stage.addItem(source.value, source.value)
            _labelled("S&ource", self.stage, filters)
        elif spec(self.kind).has_field("action_kind"):
            self.stage.addItem("All kinds", None)
            for action_kind in ActionKind:
                self.stage.addItem(action_kind.value, action_kind.value)
            _labelled("&Kind", self.stage, filters)
        else:
            self.stage.addItem("", None)
            self.stage.hide()
        for combo in (self.year, self.status, self.team, self.stage):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())

        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Counts")
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableView()
        self.table.setAccessibleName(listing.NOUNS[self.kind][1].capitalize())
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self._size_columns()
        self.table.viewport().installEventFilter(self)  # fit the columns to the room given
        self.table.activated.connect(self._activated)

        counts_row = QHBoxLayout()
        counts_row.addWidget(self.counts_label, 1)
        self.email_button: QPushButton | None = None
        if self.kind in EMAIL_KINDS:
            # An email saved from the mail program, dropped here or chosen, proposes a record.
            self.email_button = QPushButton("New from emai&l…")
            self.email_button.setToolTip(
                f"A new {listing.NOUNS[self.kind][0]} proposed from an email (.eml or .msg) "
                f"({NEW_FROM_EMAIL_SHORTCUT}); you can also drop the email on the list")
            self.email_button.clicked.connect(
                lambda _checked=False: self.email_requested.emit(self.kind, None))
            counts_row.addWidget(self.email_button)
            self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(counts_row)
        layout.addWidget(self.table, 1)

    # Widths in digits; the columns of names and words give up room when the window is narrow
    # (a 1366 × 768 laptop), so every column fits without scrolling sideways.
    COLUMN_DIGITS: ClassVar[dict[str, int]] = {
        "reference": 11, "placed": 10, "due": 10, "responded": 10, "closed": 10, "resolved": 10,
        "stage": 5, "team": 20, "complainant": 16, "enquirer": 16, "outcome": 14, "source": 7,
        "summary": 40, "status": 8, "hold": 9, "case_reference": 11, "action_kind": 18,
        "done": 10, "what": 40}
    FLEXIBLE: ClassVar[frozenset[str]] = frozenset(
        {"team", "complainant", "enquirer", "outcome", "summary", "action_kind", "what"})
    FLEXIBLE_MINIMUM_DIGITS = 9

    def _size_columns(self) -> None:
        digit = self.table.fontMetrics().horizontalAdvance("0")
        padding = 16
        wanted = [self.COLUMN_DIGITS.get(column.key, 12) * digit + padding
                  for column in self.model.columns]
        flexible = [number for number, column in enumerate(self.model.columns)
                    if column.key in self.FLEXIBLE]
        room = self.table.viewport().width()
        fixed = sum(width for number, width in enumerate(wanted) if number not in flexible)
        asked = sum(wanted[number] for number in flexible)
        if room > fixed and flexible and fixed + asked > room:
            smallest = self.FLEXIBLE_MINIMUM_DIGITS * digit + padding
            shrinking, left = list(flexible), room - fixed
            while shrinking:  # each gives up room in proportion; none below `smallest`
                share = left / sum(wanted[number] for number in shrinking)
                floored = [n for n in shrinking if wanted[n] * share < smallest]
                if not floored:
                    for number in shrinking:
                        wanted[number] = int(wanted[number] * share)
                    break
                for number in floored:
                    wanted[number] = smallest
                    left -= smallest
                    shrinking.remove(number)
        for number, width in enumerate(wanted):
            self.table.setColumnWidth(number, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._size_columns()
        return super().eventFilter(watched, event)

    def _fill_choices(self) -> None:
        """Years and teams offered by the filters, keeping what is chosen."""
        with self.database.session() as session:
            years = listing.year_choices(session, self.kind)
            teams = listing.team_choices(session)
        _set_choices(self.year, [("All years", None),
                                 *((year.label, year.start_year) for year in years)])
        _set_choices(self.team, [("All teams", None), *(
            (f"{name} (retired)" if retired else name, team_id)
            for team_id, name, retired in teams)])

    def current_query(self) -> ListQuery:
        """The filters as chosen (combo boxes hold plain values: Qt compares those reliably)."""
        year = self.year.currentData()
        source = self.stage.currentData() if spec(self.kind).has_field("source") else None
        action_kind = (self.stage.currentData() if spec(self.kind).has_field("action_kind")
                       else None)
        return self.model.query.with_changes(
            search=self.search.text().strip(),
            year=ReportingYear(year) if year is not None else None,
            status=Status(self.status.currentData() or Status.ALL.value),
            team_id=self.team.currentData(),
            stage=self.stage.currentData() if spec(self.kind).has_field("stage") else None,
            source=EnquirySource(source) if source else None,
            action_kind=ActionKind(action_kind) if action_kind else None,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())

    def _search_now(self) -> None:
        if self._search_timer.isActive():
            self.apply_filters()
        self._focus_table()

    def refresh(self) -> None:
        """Reload after the data changed (filters' choices too), here or on another PC (a
        server's change notices, `ui.live_updates`): the officer keeps their place, the search
        text and filters, the selected record (by reference, wherever it moved to; none when
        it is no longer listed) and the records they had scrolled to."""
        place = self._place()
        self.model.forget_matches()
        self._fill_choices()
        self._search_timer.stop()
        self.model.set_query(self.current_query(), rows_wanted=place.rows)
        self._return_to(place)

    def _place(self) -> ListPlace:
        table = self.table
        current = table.currentIndex()
        top_row = table.rowAt(0)
        return ListPlace(
            current=self.model.reference_at(current.row()) if current.isValid() else None,
            column=max(current.column(), 0),
            top=self.model.reference_at(top_row) if top_row >= 0 else None,
            scrolled=table.verticalScrollBar().value(),
            sideways=table.horizontalScrollBar().value(),
            rows=self.model.rowCount(),
        )

    def _return_to(self, place: ListPlace) -> None:
        table = self.table
        table.doItemsLayout()  # the scroll bars' ranges for the rows read, before moving them
        if place.current is not None:
            row = self.model.row_of(place.current)
            if row is not None:
                table.selectionModel().setCurrentIndex(
                    self.model.index(row, place.column),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        top = self.model.row_of(place.top) if place.top is not None and place.scrolled else None
        if top is not None:  # the same record at the top: new ones above it stay out of view
            table.scrollTo(self.model.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            table.verticalScrollBar().setValue(place.scrolled)
        table.horizontalScrollBar().setValue(place.sideways)

    def show_status(self, status: Status) -> None:
        """Show only open, overdue or closed records (the dashboard's links)."""
        found = self.status.findData(status.value)
        if found >= 0:
            self.status.setCurrentIndex(found)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_counts(self, counts: Counts | None) -> None:
        self.counts_label.setText("Counting…" if counts is None else counts.text(self.kind))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.kind in EMAIL_KINDS and _dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.kind in EMAIL_KINDS and _dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """An email dropped on the list: a new record of this kind from it (the window says
        why a file that is not one cannot be)."""
        paths = _dropped_files(event.mimeData())
        if self.kind not in EMAIL_KINDS or not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        for path in paths:
            self.email_requested.emit(self.kind, path)

    def _activated(self, index: QModelIndex) -> None:
        reference = self.model.reference_at(index.row())
        if reference is not None:
            self.open_requested.emit(self.kind, reference)
