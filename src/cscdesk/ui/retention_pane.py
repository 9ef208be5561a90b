"""Retention review: records past the retention period, to anonymise or delete by choice.

Nothing is removed automatically; records under legal hold are listed but cannot be touched.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cscdesk import settings
from cscdesk.domain.kinds import Kind
from cscdesk.errors import UserFacingError
from cscdesk.store import documents, personal_data
from cscdesk.store.engine import Database
from cscdesk.store.records import CASE_KINDS
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.permissions import CHANGE_SETTINGS, WRITE_RECORDS, gate
from cscdesk.ui.simple_table import SimpleTableModel


class RetentionPane(QWidget):
    """Signals: data_changed — records were anonymised, deleted or held."""

    data_changed = Signal()

    def __init__(self, database: Database, dialogs: UserDialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database, self._dialogs = database, dialogs
        self._found: list[personal_data.RetentionCandidate] = []
        self.years = QSpinBox()
        self.years.setRange(1, 100)
        self.years.setSuffix(" years after closure")
        wide_enough = self.years.fontMetrics().horizontalAdvance("000 years after closure")
        self.years.setMaximumWidth(wide_enough + 48)
        with database.session() as session:
            self.years.setValue(settings.get(session, settings.RETENTION_YEARS))
        self.years.valueChanged.connect(self._years_changed)
        self._who = database.capabilities.read_audit  # who changed each last: the audit trail's
        self.model = SimpleTableModel(("Kind", "Reference", "Closed", "Legal hold",
                                       *(("Last changed by", "Last changed") if self._who
                                         else ())))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Records past the retention period")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.anonymise_button = QPushButton("&Anonymise selected…")
        self.delete_button = QPushButton("&Delete selected…")
        self.hold_button = QPushButton("Legal &hold on/off")
        self.anonymise_button.clicked.connect(lambda: self._act("anonymise"))
        self.delete_button.clicked.connect(lambda: self._act("delete"))
        self.hold_button.clicked.connect(self._toggle_hold)
        gate(database.capabilities, WRITE_RECORDS,
             (self.anonymise_button, self.delete_button, self.hold_button))
        gate(database.capabilities, CHANGE_SETTINGS, (self.years,))
        form = QFormLayout()
        form.addRow(labelled("&Keep case records", self.years), self.years)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.hold_button, self.anonymise_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        with self._database.session() as session:
            self._found = personal_data.retention_candidates(session, self.years.value(),
                                                             who=self._who)
        self.model.set_rows([(c.kind.value, c.reference, c.closed,
                              "CASE ON HOLD" if c.held_with_case
                              else "LEGAL HOLD" if c.legal_hold else "",
                              *((c.last_changed_by, c.last_changed_at) if self._who else ()))
                             for c in self._found])
        held = sum(c.legal_hold for c in self._found)
        self.summary.setText(f"{len(self._found)} records past the period ({held} on hold)")

    def _years_changed(self, years: int) -> None:
        with self._database.transaction() as session:
            settings.put(session, settings.RETENTION_YEARS, years)
        self.refresh()

    def _selected(self) -> list[personal_data.RetentionCandidate]:
        return [self._found[i.row()] for i in self.table.selectionModel().selectedRows()]

    def _act(self, action: str) -> None:
        chosen = [c for c in self._selected() if not c.legal_hold]
        if not chosen:
            self._dialogs.info(self, "Retention", "Select records that are not on legal hold.")
            return
        what = ("anonymise (names and summaries cleared; counts kept)" if action == "anonymise"
                else "delete for good")
        with_actions = ("A case's actions go with it. " if any(c.kind in CASE_KINDS
                                                               for c in chosen) else "")
        with self._database.session() as session:
            held_documents = documents.count_for(session, [(c.kind, c.reference)
                                                           for c in chosen])
        if held_documents:
            plural = held_documents != 1
            with_actions += (f"The {held_documents} document{'s' if plural else ''} kept with "
                             f"{'them' if len(chosen) > 1 else 'it'} "
                             f"{'are' if plural else 'is'} deleted for good too. ")
        # actions before cases: a case deleted takes its actions, which are then not there
        chosen.sort(key=lambda c: c.kind is not Kind.ACTION)
        from cscdesk.store.backup_folder import old_data_note

        # The database's own location: a file, or a server URL (a server has no `file`).
        note = old_data_note(self._database.path,
                             getattr(self._database, "passphrase", None))
        if not self._dialogs.confirm(self, "Retention",
                                     f"{what.capitalize()}: {len(chosen)} record(s)? "
                                     f"{with_actions}This cannot be undone.\n\n{note}"):
            return
        apply = (personal_data.anonymise if action == "anonymise"
                 else personal_data.delete_for_retention)
        try:
            with self._database.transaction() as session:
                for candidate in chosen:
                    apply(session, candidate.kind, candidate.reference)
        except UserFacingError as error:
            self._dialogs.warn(self, "Retention", str(error))
        self.refresh()
        self.data_changed.emit()

    def _toggle_hold(self) -> None:
        chosen = self._selected()
        if not chosen:
            self._dialogs.info(self, "Legal hold", "Select the records first.")
            return
        with self._database.transaction() as session:
            for candidate in chosen:
                personal_data.set_legal_hold(session, candidate.kind, candidate.reference,
                                             not candidate.legal_hold)
        self.refresh()
        self.data_changed.emit()
