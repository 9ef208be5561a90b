"""File → Import workbook… and Export workbook….

Import reads and checks the workbook off the GUI thread, shows what it would do (per sheet: new,
updated, unchanged) and only then writes it, in one transaction. A rejected workbook lists every
bad cell in a table the officer can sort and copy (Ctrl+C copies the chosen rows as
tab-separated text, ready for Excel or an email).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cscdesk import paths
from cscdesk.errors import UserFacingError
from cscdesk.store.engine import Database
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.simple_table import HeadedTableModel
from cscdesk.ui.window_settings import window_settings
from cscdesk.ui.workers import Job, Operation, Query, progress_dialog

if TYPE_CHECKING:  # the workbook code loads when a workbook is read or written
    from cscdesk.exchange import ExportResult

AnyIndex = QModelIndex | QPersistentModelIndex
WORKBOOK_FILTER = "Excel workbooks (*.xlsx)"
FOLDER_SETTING = "workbook_folder"


class ProblemsModel(HeadedTableModel):
    """Every bad cell of a rejected workbook: sheet, row, column, value, what is wrong."""

    HEADINGS = ("Sheet", "Row", "Column", "Value", "Problem")

    def __init__(self, problems: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = problems

    def row_total(self) -> int:
        return len(self.problems)

    def values(self, row: int) -> tuple[Any, ...]:
        problem = self.problems[row]
        return (problem.sheet, problem.row, problem.column, problem.value, problem.message)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.problems):
            return None
        value = self.values(index.row())[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:  # sorts rows as numbers, not text
            return -1 if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return str(value)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def rows_as_text(view: QTableView) -> str:
    """The selected rows (all rows when none is selected), with headings, tab-separated."""
    model = view.model()
    rows = sorted({index.row() for index in view.selectionModel().selectedIndexes()})
    if not rows:
        rows = list(range(model.rowCount()))
    columns = range(model.columnCount())
    lines = ["\t".join(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
    for row in rows:
        cells = (str(model.index(row, c).data() or "").replace("\t", " ").replace("\n", " ")
                 for c in columns)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


class CopyableTable(QTableView):
    """A table whose Ctrl+C copies whole rows (the view's own copies one cell)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(rows_as_text(self))
            return
        super().keyPressEvent(event)


class ProblemsView(QWidget):
    """The table of bad cells, sortable, with Ctrl+C and a Copy button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = CopyableTable()
        self.table.setAccessibleName("Problems")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table.setModel(self.proxy)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Copy the chosen rows (or all) as tab-separated text")
        self.copy_button.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_problems(self, problems: list[Any], file_name: str) -> None:
        count = len(problems)
        self.summary.setText(
            f"{file_name} was not imported: {count} problem{'s' if count != 1 else ''} found, "
            "and nothing was changed. Correct the workbook and import it again.")
        self.proxy.setSourceModel(ProblemsModel(problems, self))
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(rows_as_text(self.table))


class ImportDialog(QDialog):
    """Reading, the plan, then importing, in one window."""

    def __init__(self, database: Database, dialogs: UserDialogs, path: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.dialogs = dialogs
        self.path = path
        self.parsed: Any = None
        self.imported = False
        self.result: Any = None
        self.task: Job[Any] | None = None
        self.setWindowTitle(f"Import {path.name}")
        self.resize(760, 480)

        self.pages = QStackedWidget()
        self.progress_label = QLabel(f"Reading and checking {path.name}…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Progress")
        working = QWidget()
        working_layout = QVBoxLayout(working)
        working_layout.addWidget(self.progress_label)
        working_layout.addWidget(self.progress)
        working_layout.addStretch(1)

        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_table = QTableWidget(0, 4)
        self.plan_table.setAccessibleName("What the import will do")
        self.plan_table.setHorizontalHeaderLabels(["Sheet", "New", "Updated", "Unchanged"])
        self.plan_table.verticalHeader().hide()
        self.plan_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plan_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.lists_label = QLabel()
        self.lists_label.setWordWrap(True)
        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        plan_layout.addWidget(self.plan_label)
        plan_layout.addWidget(self.plan_table, 1)
        plan_layout.addWidget(self.lists_label)

        self.problems = ProblemsView()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        for page in (working, plan, self.problems, self.done_label):
            self.pages.addWidget(page)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("&Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.hide()
        self.import_button.clicked.connect(self.start_import)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        database, path = self.database, self.path
        self._start(Query(lambda _progress: _read_and_plan(database, path),
                          on_done=self._planned, on_failed=self._failed))

    # --- steps -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc or Close: not while the workbook is being read or written (it is never cut
        short, and the result must be seen)."""
        if self.task is not None and self.task.running:
            return
        super().reject()

    def _start(self, job: Job[Any]) -> None:
        self.pages.setCurrentIndex(0)
        self.close_button.setEnabled(False)
        self.task = job
        job.progress.connect(self._progressed)
        job.start()

    def _planned(self, outcome: tuple[Any, Any]) -> None:
        self.parsed, plan = outcome
        self.close_button.setEnabled(True)
        if plan.problems:
            self._show_problems(plan.problems)
            return
        self.plan_table.setRowCount(len(plan.counts))
        new = updated = 0
        for row, (sheet, counts) in enumerate(plan.counts.items()):
            new += counts.created
            updated += counts.updated
            for column, value in enumerate((sheet, f"{counts.created:,}",
                                            f"{counts.updated:,}", f"{counts.unchanged:,}")):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.plan_table.setItem(row, column, item)
        self.plan_label.setText(
            f"{self.path.name} is ready to import: {new:,} new and {updated:,} updated "
            "rows. Nothing has been changed yet.")
        added = []
        if plan.teams_added:
            added.append("New teams: " + ", ".join(plan.teams_added) + ".")
        if plan.root_causes_added:
            added.append("New root causes: " + ", ".join(plan.root_causes_added) + ".")
        added.extend(filter(None, [plan.hidden_note]))  # hidden sheets are read too: say so
        self.lists_label.setText(" ".join(added))
        self.pages.setCurrentIndex(1)
        nothing_to_do = new == 0 and updated == 0
        self.import_button.setVisible(not nothing_to_do)
        if nothing_to_do:
            self.plan_label.setText(f"{self.path.name} holds nothing new: every row is already "
                                    "in the database as it is.")
            self.close_button.setText("Close")  # there is nothing to cancel
            self.close_button.setDefault(True)
            self.close_button.setFocus()
            return
        self.import_button.setDefault(True)
        self.import_button.setFocus()

    def start_import(self) -> None:
        from cscdesk.exchange import apply_import

        self.import_button.hide()
        self.progress_label.setText(f"Importing {self.path.name}…")
        parsed = self.parsed
        database = self.database
        self._start(Operation("the import",
                              lambda progress: apply_import(database, parsed,
                                                            lambda d, t: progress(d, t, "")),
                              on_done=self._imported, on_failed=self._failed))

    def _imported(self, result: Any) -> None:
        self.imported = True
        self.result = result
        self.close_button.setEnabled(True)
        self.close_button.setText("Close")
        lines = [f"{sheet}: {counts.created:,} new, {counts.updated:,} updated"
                 for sheet, counts in result.counts.items()]
        self.done_label.setText(f"{self.path.name} was imported.\n\n" + "\n".join(lines))
        self.pages.setCurrentWidget(self.done_label)
        self._fit_to_current_page()

    def _fit_to_current_page(self) -> None:
        """A short result in a window its size, not one sized for the tables before it."""
        current = self.pages.currentWidget()
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            policy = (QSizePolicy.Policy.Preferred if page is current
                      else QSizePolicy.Policy.Ignored)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.pages.updateGeometry()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        width = max(min(self.width(), 480), self.minimumSizeHint().width())
        height = self.heightForWidth(width) if self.hasHeightForWidth() else -1
        self.resize(width, max(height, self.sizeHint().height()) + 24)

    def _progressed(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(done)

    def _failed(self, error: Exception) -> None:
        self.close_button.setEnabled(True)
        problems = getattr(error, "problems", None)
        if problems:
            self._show_problems(problems)
            return
        if isinstance(error, UserFacingError):
            self.dialogs.error(self, "Cannot import", str(error))
            self.reject()
            return
        raise error  # a bug: the crash hook reports it

    def _show_problems(self, problems: list[Any]) -> None:
        self.problems.show_problems(problems, self.path.name)
        self.pages.setCurrentWidget(self.problems)
        self.close_button.setText("Close")
        self.problems.table.setFocus()


def _read_and_plan(database: Database, path: Path) -> tuple[Any, Any]:
    """Read and plan; a rejection lists the cells' and the database's problems together."""
    from cscdesk.exchange import check_workbook

    return check_workbook(database, path)


def _workbook_folder() -> Path:
    stored = window_settings().value(FOLDER_SETTING, "")
    if isinstance(stored, str) and stored and Path(stored).is_dir():
        return Path(stored)
    return paths.default_report_dir()


def _remember_folder(path: Path) -> None:
    window_settings().setValue(FOLDER_SETTING, str(path.parent))


def import_workbook(parent: QWidget, database: Database, dialogs: UserDialogs) -> bool:
    """Ask for a workbook and import it; True when anything was imported."""
    path = dialogs.open_file(parent, "Import workbook", _workbook_folder(), WORKBOOK_FILTER)
    if path is None:
        return False
    _remember_folder(path)
    dialog = ImportDialog(database, dialogs, path, parent)
    dialog.exec()
    imported = dialog.imported
    dialog.deleteLater()  # here, in the GUI thread, not whenever a collection finds it
    return imported


def export_workbook(parent: QWidget, database: Database,
                    dialogs: UserDialogs) -> Operation[ExportResult] | None:
    """Ask where, then write every record to a workbook off the GUI thread."""
    suggested = _workbook_folder() / f"cscdesk-{date.today():%Y-%m-%d}.xlsx"
    path = dialogs.save_file(parent, "Export workbook", suggested, WORKBOOK_FILTER)
    if path is None:
        return None
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    _remember_folder(path)
    from cscdesk.exchange import export_workbook as write_workbook

    def exported(result: ExportResult) -> None:
        dialogs.info(parent, "Export workbook",
                     f"{result.total:,} records were written to {result.path}.")

    def failed(error: Exception) -> None:
        if isinstance(error, UserFacingError):
            dialogs.error(parent, "Cannot export", str(error))
            return
        raise error

    operation = Operation("the export",
                          lambda progress: write_workbook(database, path,
                                                          lambda d, t: progress(d, t, "")),
                          on_done=exported, on_failed=failed)
    progress = progress_dialog(parent, "Exporting the workbook…", operation)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    operation.start()
    return operation
