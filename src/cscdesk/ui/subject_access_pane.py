"""Subject access: find a person across every record and export what was found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cscdesk import paths
from cscdesk.errors import UserFacingError
from cscdesk.privacy import subject_access
from cscdesk.store.engine import Database
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.permissions import READ_AUDIT, gate
from cscdesk.ui.simple_table import SimpleTableModel


class SubjectAccessPane(QWidget):
    def __init__(self, database: Database, dialogs: UserDialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database, self._dialogs = database, dialogs
        self._found: list[subject_access.FoundRecord] = []
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Smith")
        self.name.returnPressed.connect(self.search)
        self.search_button = QPushButton("&Search")
        self.search_button.clicked.connect(self.search)
        self.export_button = QPushButton("&Export workbook…")
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)
        self.pdf_button = QPushButton("Export &PDF…")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.pdf_button.setEnabled(False)
        # the pack holds each record's history, and names found only in the audit trail
        gate(database.capabilities, READ_AUDIT, (self.name, self.search_button))
        self.model = SimpleTableModel(("Kind", "Reference", "Received / raised", "Changes"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Records found")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel("Search every kind of record for a person's name.")
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.search_button)
        form.addRow(labelled("Person's &name", self.name), row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addLayout(bottom)

    def search(self) -> None:
        try:
            with self._database.session() as session:
                self._found = subject_access.gather(session, self.name.text())
        except UserFacingError as error:
            self._dialogs.warn(self, "Subject access", str(error))
            return
        rows = []
        for found in self._found:
            record = found.record
            placed = getattr(record, "received", None) or getattr(record, "raised", None)
            rows.append((found.kind.value, record.reference, placed, len(found.history)))
        self.model.set_rows(rows)
        self.summary.setText(f"{len(self._found)} record(s) mention “{self.name.text().strip()}”.")
        self.export_button.setEnabled(bool(self._found))
        self.pdf_button.setEnabled(bool(self._found))

    def export(self) -> None:
        self._export(".xlsx", "Excel workbook (*.xlsx)",
                     lambda target, folder: subject_access.write_workbook(self._found, target,
                                                                          folder))

    def export_pdf(self) -> None:
        from cscdesk.privacy.subject_access_pdf import write_pdf

        name = self.name.text().strip()
        self._export(".pdf", "PDF (*.pdf)",
                     lambda target, folder: write_pdf(self._found, name, target, folder))

    def _write_documents(self, target: Path) -> Path | None:
        """The records' documents, one file each, in a folder beside the pack named after it;
        None when they have none."""
        if not any(found.documents for found in self._found):
            return None
        folder = subject_access.documents_folder(target)
        with self._database.session() as session:
            subject_access.write_documents(session, self._found, folder)
        return folder

    def _export(self, suffix: str, filter_: str,
                write: Callable[[Path, str], object]) -> None:
        name = self.name.text().strip()
        suggested = paths.default_report_dir() / f"Subject access - {name}{suffix}"
        target = self._dialogs.save_file(self, "Export subject access", suggested, filter_)
        if target is None:
            return
        target = Path(target)
        with_documents = any(found.documents for found in self._found)
        folder = subject_access.documents_folder(target).name if with_documents else ""
        try:
            write(target, folder)
            written = self._write_documents(target)
        except UserFacingError as error:
            self._dialogs.warn(self, "Subject access", str(error))
            return
        except OSError as error:
            self._dialogs.warn(self, "Subject access",
                               f"The documents could not be written beside {target}: "
                               f"{error.strerror or error}. Choose another folder.")
            return
        also = f" and the records' documents to {written}" if written is not None else ""
        self._dialogs.info(self, "Subject access", f"Wrote {target}{also}.")
