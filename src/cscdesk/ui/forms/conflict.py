"""When a save or delete finds that someone else changed the record since the form opened it
(`store.record_versions.RecordChangedElsewhere`): their values beside the officer's, field by
field, and the choice — keep mine (saved over theirs, knowingly), take theirs (the form shows
their record), or go back to the form. "Copy my text" puts every value the officer typed on the
clipboard first, so nothing typed can be lost whatever they choose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.kind_spec import FIELD_LABELS
from cscdesk.domain.kinds import RecordData

KEEP_MINE, TAKE_THEIRS, BACK = "keep mine", "take theirs", "back"
_DIFFERENT = QColor("#fff3c4")


@dataclass(frozen=True)
class ConflictRow:
    label: str
    mine: str
    theirs: str

    @property
    def differs(self) -> bool:
        return self.mine != self.theirs


def shown(value: object) -> str:
    """A value as the form shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def conflict_rows(mine: RecordData, theirs: RecordData | None) -> list[ConflictRow]:
    """Every field of the record: the officer's value and the other's ("—" when deleted)."""
    return [ConflictRow(FIELD_LABELS.get(name, name), shown(getattr(mine, name)),
                        "(deleted)" if theirs is None else shown(getattr(theirs, name)))
            for name in mine.__dataclass_fields__]


def my_text(rows: list[ConflictRow]) -> str:
    """What the officer typed, one "Label: value" line per field, for the clipboard."""
    return "\n".join(f"{row.label}: {row.mine}" for row in rows)


class ConflictDialog(QDialog):
    """The choice after a refused save (or delete); `choice` is KEEP_MINE, TAKE_THEIRS or BACK."""

    def __init__(self, parent: QWidget | None, text: str, rows: list[ConflictRow], *,
                 deleted: bool, deleting: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed by someone else")
        self.choice = BACK
        self.rows = rows
        layout = QVBoxLayout(self)
        said = QLabel(text + ("" if deleting else
                              " Their values are beside yours; the fields that differ are "
                              "marked."))
        said.setWordWrap(True)
        layout.addWidget(said)
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["Field", "Yours", "Theirs now"])
        table.setAccessibleName("Your values and theirs")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        for number, row in enumerate(rows):
            for column, value in enumerate((row.label + (" (differs)" if row.differs else ""),
                                            row.mine, row.theirs)):
                item = QTableWidgetItem(value)
                if row.differs:
                    item.setBackground(QBrush(_DIFFERENT))
                table.setItem(number, column, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        table.resizeRowsToContents()
        self.table = table
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy my text")
        self.copy_button.setToolTip("Every value you typed, as text, to paste anywhere")
        self.copy_button.clicked.connect(self.copy_mine)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_button: QPushButton | None = None
        if not deleting:
            self.keep_button = QPushButton("Save the record again from mine" if deleted
                                           else "&Keep mine (save over theirs)")
            self.keep_button.clicked.connect(lambda: self._chosen(KEEP_MINE))
            buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.take_button: QPushButton | None = None
        if not deleted:
            self.take_button = QPushButton("&Take theirs")
            self.take_button.setToolTip("Show their record in the form (yours is left only "
                                        "on the clipboard if you copied it)")
            self.take_button.clicked.connect(lambda: self._chosen(TAKE_THEIRS))
            buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.AcceptRole)
        back = buttons.addButton("&Back to my form", QDialogButtonBox.ButtonRole.RejectRole)
        back.clicked.connect(self.reject)
        back.setDefault(True)  # Enter or Esc: nothing is decided, nothing lost
        layout.addWidget(buttons)
        self.resize(720, 520)

    def _chosen(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def copy_mine(self) -> None:
        QGuiApplication.clipboard().setText(my_text(self.rows))
        self.copy_button.setText("Copied ✓")
