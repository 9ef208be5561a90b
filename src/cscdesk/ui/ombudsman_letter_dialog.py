"""The Ombudsman's annual letter figures of one reporting year, entered and changed by hand.

Opened from the "Annual appendix…" dialog for the year chosen there. Each figure is a whole
number; the percentages are from 0 to 100; a box left empty means the letter does not give that
figure. The figures are read and written by `store.ombudsman_letters`. Like the other settings,
only a login that may change the settings can save them (`permissions.CHANGE_SETTINGS`), and a
figure changed on another PC since the dialog opened is not saved over unseen
(`store.shared_values`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import UserFacingError
from cscdesk.store import ombudsman_letters
from cscdesk.store.engine import Database
from cscdesk.store.ombudsman_letters import FIGURES, PERCENT_FIGURES, Letter
from cscdesk.store.shared_values import (
    SharedValueChanged,
    changed_by_me,
    conflicts_of,
    hold_shared_values,
)
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.forms.conflict import KEEP_MINE, TAKE_THEIRS, ConflictRow
from cscdesk.ui.permissions import CHANGE_SETTINGS, gate

TITLE = "The Ombudsman's annual letter"

# The boxes' labels, with the letter each is reached by (Alt+letter), in the letter's order.
BOX_LABELS: dict[str, str] = {
    "decided": "Complaints &decided:",
    "upheld_percent": "Complaints &upheld (%):",
    "compliance_percent": "&Compliance with the Ombudsman's recommendations (%):",
    "satisfactory_remedy_percent": "Satisfactory &remedy provided by the council (%):",
    "similar_upheld_percent": "&Average upheld for similar councils (%):",
}


def _words(key: str) -> str:
    return FIGURES[key] + (" (%)" if key in PERCENT_FIGURES else "")


def read_figure(key: str, text: str) -> tuple[int | None, str | None]:
    """The figure typed in a box (None when empty), or the sentence saying what is wrong.

    A percentage may be typed with its sign ("45%")."""
    typed = text.strip()
    if key in PERCENT_FIGURES and typed.endswith("%"):
        typed = typed[:-1].strip()
    if not typed:
        return None, None
    if not typed.isascii() or not typed.isdigit():
        return None, f"{_words(key)}: “{text.strip()}” is not a whole number."
    value = int(typed)
    if key in PERCENT_FIGURES and value > 100:
        return None, f"{_words(key)}: {value} is not a percentage from 0 to 100."
    return value, None


def _texts(letter: Letter | None) -> dict[str, str]:
    """Each figure as its box shows it ("" when not given)."""
    return {key: "" if letter is None or getattr(letter, key) is None
            else str(getattr(letter, key)) for key in FIGURES}


class OmbudsmanLetterDialog(QDialog):
    """One year's letter figures; Save (Enter) stores them, Close (Esc) leaves them."""

    def __init__(self, database: Database, dialogs: UserDialogs, year: ReportingYear,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.dialogs = dialogs
        self.year = year
        self.saved = False
        self.setWindowTitle(f"{TITLE}, {year.label}")
        self.setMinimumWidth(560)

        intro = QLabel(f"The figures of the Ombudsman's annual letter about {year.label}. "
                       "Leave a box empty when the letter does not give that figure.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[str, QLineEdit] = {}
        for key, label_text in BOX_LABELS.items():
            box = QLineEdit()
            box.setMaxLength(9)
            box.setPlaceholderText("0 to 100" if key in PERCENT_FIGURES else "a number")
            form.addRow(labelled(label_text, box), box)
            box.returnPressed.connect(self.save_and_close)
            self.boxes[key] = box
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.clicked.connect(self.save_and_close)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.save_button.setDefault(True)
        self.load()
        if not gate(database.capabilities, CHANGE_SETTINGS,
                    (self.save_button, *self.boxes.values())):
            self.status.setText("These figures can be read here, not changed: "
                                + database.capabilities.refusal(CHANGE_SETTINGS))

    def load(self) -> None:
        with self.database.session() as session:
            letter = ombudsman_letters.load(session, self.year)
        self._opened = _texts(letter)
        for key, box in self.boxes.items():
            box.setText(self._opened[key])

    def figures(self) -> tuple[dict[str, int | None], list[tuple[str, str]]]:
        """The figures typed, and (figure, sentence) for each box that is not a figure."""
        values: dict[str, int | None] = {}
        problems: list[tuple[str, str]] = []
        for key, box in self.boxes.items():
            value, problem = read_figure(key, box.text())
            values[key] = value
            if problem is not None:
                problems.append((key, problem))
        return values, problems

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    def save(self, *, over_theirs: bool = False) -> bool:
        """Store the figures the officer changed; False when nothing could be saved (a box
        that is not a figure, or figures changed on another PC meanwhile)."""
        values, problems = self.figures()
        if problems:
            self.boxes[problems[0][0]].setFocus()
            self.boxes[problems[0][0]].selectAll()
            self.dialogs.warn(self, TITLE, " ".join(
                [f"The {self.year.label} figures were not saved."]
                + [sentence for _key, sentence in problems]))
            return False
        mine = {key: "" if value is None else str(value) for key, value in values.items()}
        changed = changed_by_me(self._opened, mine)
        if not changed:
            return True
        try:
            with self.database.transaction() as session:
                hold_shared_values(session)
                now = _texts(ombudsman_letters.load(session, self.year))
                conflicts = conflicts_of(FIGURES, self._opened, now, changed)
                if conflicts and not over_theirs:
                    raise SharedValueChanged(
                        f"The Ombudsman's letter for {self.year.label}", conflicts)
                stored = {**now, **changed}  # a colleague's change to another figure stays
                ombudsman_letters.save(session, self.year, {
                    key: int(text) if text else None for key, text in stored.items()})
        except SharedValueChanged as elsewhere:
            return self._resolve(elsewhere)
        except UserFacingError as error:
            self.dialogs.warn(self, TITLE, str(error))
            return False
        self._opened = stored
        for key, box in self.boxes.items():
            box.setText(stored[key])
        self.saved = True
        self.status.setText(f"Saved the {self.year.label} figures.")
        return True

    def _resolve(self, elsewhere: SharedValueChanged) -> bool:
        choice = self.dialogs.resolve_conflict(
            self, str(elsewhere), [ConflictRow(c.label, c.mine, c.theirs)
                                   for c in elsewhere.conflicts], deleted=False)
        if choice == KEEP_MINE:
            return self.save(over_theirs=True)
        if choice == TAKE_THEIRS:
            keys = {words: key for key, words in FIGURES.items()}
            for conflict in elsewhere.conflicts:
                key = keys[conflict.label]
                self.boxes[key].setText(conflict.theirs)
                self._opened[key] = conflict.theirs
        return False
