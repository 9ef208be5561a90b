"""The question of the council's and the service's names (asked by `first_start.py`, shown by
`UserDialogs.ask_council_names`): a module of its own, so neither imports the other."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cscdesk.ui.accessible_names import labelled

TITLE = "Your council and service"
EXPLANATION = (
    "The annual appendix names your council and service on every page. Type their names, "
    "or skip this: they can be changed at any time in Settings (Ctrl+0)."
)


class CouncilNamesDialog(QDialog):
    """Two boxes, Save (Enter) and Skip (Esc)."""

    def __init__(self, parent: QWidget | None, council: str, service: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.council = QLineEdit(council)
        self.council.setPlaceholderText("e.g. Eastmere Borough Council")
        self.service = QLineEdit(service)
        self.council.setMaxLength(200)
        self.service.setMaxLength(200)
        fields = QFormLayout()
        fields.addRow(labelled("&Council name:", self.council), self.council)
        fields.addRow(labelled("Se&rvice name:", self.service), self.service)
        buttons = QDialogButtonBox()
        self.skip_button = QPushButton("S&kip")
        self.save_button = QPushButton("&Save")
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(fields)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)  # once in the dialog, or the dialog picks its own
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())
        self.council.setFocus(Qt.FocusReason.OtherFocusReason)

    def names(self) -> tuple[str, str]:
        return self.council.text().strip(), self.service.text().strip()
