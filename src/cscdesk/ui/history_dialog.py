"""A record's History and legal hold, opened from its form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.kinds import Kind
from cscdesk.errors import UserFacingError
from cscdesk.store import personal_data
from cscdesk.store.engine import Database
from cscdesk.store.records import find_row
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.history_view import HistoryView
from cscdesk.ui.permissions import WRITE_RECORDS, gate


class HistoryDialog(QDialog):
    """Every change to one record, and its legal hold switch."""

    def __init__(self, parent: QWidget | None, database: Database, kind: Kind, reference: str,
                 dialogs: UserDialogs) -> None:
        super().__init__(parent)
        self._database, self._kind, self._reference = database, kind, reference
        self._dialogs = dialogs
        self.setWindowTitle(f"History of {reference}")
        self.history = HistoryView(database)
        self.hold_label = QLabel()
        self.hold_button = QPushButton()
        self.hold_button.clicked.connect(self.toggle_hold)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.hold_label, 1)
        row.addWidget(self.hold_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.history, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(820, 420)
        gate(database.capabilities, WRITE_RECORDS, (self.hold_button,))
        self.refresh()

    def is_held(self) -> bool:
        with self._database.session() as session:
            row = find_row(session, self._kind, self._reference)
            return bool(row is not None and row.legal_hold)

    def refresh(self) -> None:
        self.history.load(self._kind.value, self._reference)
        held = self.is_held()
        self.hold_label.setText(
            "LEGAL HOLD: this record is kept whatever the retention period."
            if held else "No legal hold: retention review may offer this record once it is old."
        )
        self.hold_button.setText("Lift legal &hold…" if held else "Place legal &hold")

    def toggle_hold(self) -> None:
        held = self.is_held()
        if held and not self._dialogs.confirm(
            self, "Legal hold", f"Lift the legal hold on {self._reference}?"
        ):
            return
        try:
            with self._database.transaction() as session:
                personal_data.set_legal_hold(session, self._kind, self._reference, not held)
        except UserFacingError as error:
            self._dialogs.warn(self, "Legal hold", str(error))
        self.refresh()
