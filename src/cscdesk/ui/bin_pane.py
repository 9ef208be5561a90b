"""The bin: deleted records and removed documents, which can be put back until the bin is
emptied. A document removed on its own is a row of its own ("Document", "letter.docx of
complaint C-1"); the documents that went with a deleted record come back with it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cscdesk.errors import UserFacingError
from cscdesk.store import documents, recycle_bin, undelete
from cscdesk.store.engine import Database
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.permissions import WRITE_RECORDS, gate
from cscdesk.ui.simple_table import SimpleTableModel


class BinPane(QWidget):
    """Signals: data_changed — a record was restored or the bin emptied."""

    data_changed = Signal()

    def __init__(self, database: Database, dialogs: UserDialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database, self._dialogs = database, dialogs
        # each row: ("record", bin entry id) or ("document", document id)
        self._ids: list[tuple[str, int]] = []
        self.model = SimpleTableModel(("Kind", "Reference", "Deleted (UTC)", "Deleted by"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Deleted records")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.restore_button = QPushButton("&Restore selected")
        self.empty_button = QPushButton("&Empty the bin…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self.empty)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.empty_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        with self._database.session() as session:
            items = recycle_bin.items(session)
            removed = recycle_bin.binned_documents(session)
        self._ids = [("record", item.id) for item in items]
        self._ids += [("document", document.id) for document in removed]
        rows: list[tuple[object, ...]] = [(i.kind.value, i.reference, i.deleted_at, i.deleted_by)
                                          for i in items]
        rows += [(documents.DOCUMENT_LABEL, d.label.split(": ", 1)[1], d.binned_at,
                  d.removed_by) for d in removed]
        self.model.set_rows(rows)
        summary = f"{len(items)} deleted record{'s' if len(items) != 1 else ''}"
        if removed:
            summary += f", {len(removed)} removed document{'s' if len(removed) != 1 else ''}"
        self.summary.setText(summary)
        self.empty_button.setEnabled(bool(rows))
        self.restore_button.setEnabled(bool(rows))
        gate(self._database.capabilities, WRITE_RECORDS,
             (self.empty_button, self.restore_button))

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._dialogs.info(self, "Restore", "Select a record to restore first.")
            return
        what, item_id = self._ids[rows[0].row()]
        try:
            with self._database.transaction() as session:
                if what == "document":
                    document = documents.restore(session, item_id)
                    back = f"“{document.name}” is back with {document.reference}."
                else:
                    record = undelete.restore(session, item_id)
                    back = f"“{record.reference}” is back."
        except UserFacingError as error:
            self._dialogs.warn(self, "Restore", str(error))
            return
        self.refresh()
        self.data_changed.emit()
        self._dialogs.info(self, "Restore", back)

    def empty(self) -> None:
        question = ("Delete every record and document in the bin for good? This cannot be "
                    "undone; the audit trail will record it.")
        if not self._dialogs.confirm(self, "Empty the bin", question):
            return
        with self._database.transaction() as session:
            recycle_bin.empty(session)
        self.refresh()
        self.data_changed.emit()
