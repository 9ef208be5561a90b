"""Data protection: the bin, retention review and subject access, as tabs of one pane."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cscdesk.store.engine import Database
from cscdesk.ui.bin_pane import BinPane
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.retention_pane import RetentionPane
from cscdesk.ui.subject_access_pane import SubjectAccessPane


class PrivacyPane(QWidget):
    """Signals: data_changed — records were restored, anonymised, deleted or held."""

    data_changed = Signal()

    def __init__(self, database: Database, dialogs: UserDialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bin = BinPane(database, dialogs)
        self.retention = RetentionPane(database, dialogs)
        self.subject_access = SubjectAccessPane(database, dialogs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.subject_access, "&Subject access")
        self.tabs.addTab(self.retention, "&Retention review")
        self.tabs.addTab(self.bin, "&Bin")
        for pane in (self.bin, self.retention):
            pane.data_changed.connect(self.data_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.bin.refresh()
        self.retention.refresh()
