"""The "Annual appendix…" dialog: pick the year, optionally edit its wording, make the PDF or
the Word version.

It asks only the year (default: the last complete one). The year's explanatory paragraphs and
root-cause themes can be edited under "Edit the wording"; edits are stored for that year. The
optional sections ticked are remembered with the year. The file is written off the GUI thread
into the report folder (progress appears if it takes over half a second) and opened in the
system's program for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cscdesk import paths, settings
from cscdesk.domain.kinds import Kind
from cscdesk.domain.years import ReportingYear
from cscdesk.errors import UserFacingError
from cscdesk.store import listing
from cscdesk.store.engine import Database
from cscdesk.store.shared_values import (
    SharedValueChanged,
    changed_by_me,
    conflicts_of,
    hold_shared_values,
)
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.elided_label import ElidedLabel
from cscdesk.ui.forms.conflict import KEEP_MINE, TAKE_THEIRS, ConflictRow
from cscdesk.ui.permissions import CHANGE_SETTINGS, allowed, gate
from cscdesk.ui.workers import Operation, progress_dialog

log = logging.getLogger(__name__)

THEME_SLOTS = 3


def report_folder(database: Database) -> Path:
    with database.session() as session:
        stored = settings.get(session, settings.REPORT_FOLDER)
    return Path(stored) if stored else paths.default_report_dir()


def pdf_name(year: ReportingYear, suffix: str = ".pdf") -> str:
    return f"Complaints appendix {year.long_label}{suffix}"


def open_in_viewer(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ThemeEditor(QWidget):
    """Up to three root causes, each with its learning (one line per learning point)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.names: list[QLineEdit] = []
        self.learning: list[QPlainTextEdit] = []
        for number in range(1, THEME_SLOTS + 1):
            box = QGroupBox(f"Root cause {number}")
            form = QFormLayout(box)
            name = QLineEdit()
            learning = QPlainTextEdit()
            learning.setTabChangesFocus(True)
            learning.setPlaceholderText("One learning point a line")
            # Named by their labels; the box's title ("Root cause 2") is announced on entering.
            form.addRow(labelled("Name:", name), name)
            form.addRow(labelled("Learning:", learning), learning)
            self.names.append(name)
            self.learning.append(learning)
            layout.addWidget(box)

    def set_themes(self, themes: tuple[Any, ...]) -> None:
        for number in range(THEME_SLOTS):
            theme = themes[number] if number < len(themes) else None
            self.names[number].setText(theme.name if theme else "")
            self.learning[number].setPlainText("\n".join(theme.learning) if theme else "")

    def themes(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(name.text(), tuple(learning.toPlainText().splitlines()))
                for name, learning in zip(self.names, self.learning, strict=True)]


THEMES = "\x00themes"  # the root causes' themes, beside the paragraphs' keys


def _themes_text(themes: list[tuple[str, tuple[str, ...]]]) -> str:
    """Themes as one text, to compare and to show beside another PC's."""
    return "\n".join(f"{name.strip()}: {'; '.join(line.strip() for line in learning)}"
                     for name, learning in themes if name.strip() or any(learning))


class AppendixDialog(QDialog):
    """Year, wording, PDF. `open_file` opens the written PDF (tests replace it)."""

    def __init__(self, database: Database, dialogs: UserDialogs, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.dialogs = dialogs
        self.texts_saved = False
        self.written: Path | None = None
        self.task: Operation[Path] | None = None
        self.open_file: Callable[[Path], object] = open_in_viewer
        self.letter_dialog: QDialog | None = None
        from cscdesk.report import appendix, narrative

        self.report = appendix
        self.narrative = narrative
        self._loaded_year: ReportingYear | None = None
        self.setWindowTitle("Annual appendix")
        self.setMinimumWidth(520)

        self.year = QComboBox()
        self.year.setEditable(True)
        default = ReportingYear.last_complete(today)
        with database.session() as session:
            years = listing.year_choices(session, Kind.COMPLAINT, today)
        for year in sorted({*years, default}, reverse=True):
            self.year.addItem(year.label, year.start_year)
        self.year.setCurrentIndex(self.year.findData(default.start_year))
        self.year.currentIndexChanged.connect(lambda _i: self._year_changed())
        year_label = labelled("&Year:", self.year)  # names the combo and its text box
        self.folder_label = ElidedLabel()  # a long path is shortened, never squeezing the row
        self.folder_button = QPushButton("C&hange folder…")
        self.folder_button.clicked.connect(self._change_folder)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")

        top = QFormLayout()
        top.addRow(year_label, self.year)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        top.addRow("Folder:", folder_row)

        # A check box, as it behaves: ticked, the wording is shown and loaded for each year.
        self.edit_toggle = QCheckBox("&Edit the wording")
        self.edit_toggle.toggled.connect(self._show_editor)
        self.editor = self._build_editor()
        self.editor.hide()
        # The year's Ombudsman's letter figures, printed in the appendix when entered.
        self.letter_button = QPushButton("Ombudsman's &letter…")
        self.letter_button.setToolTip("The figures of the Ombudsman's annual letter about the "
                                      "year chosen")
        self.letter_button.clicked.connect(self.edit_letter)
        options = QHBoxLayout()
        options.addWidget(self.edit_toggle)
        options.addStretch(1)
        options.addWidget(self.letter_button)
        self.section_boxes = self._build_sections()

        self.buttons = QDialogButtonBox()
        self.make_button = self.buttons.addButton("&Make PDF",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.make_button.clicked.connect(lambda: self.make())
        self.word_button = self.buttons.addButton("Make &Word version",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.word_button.clicked.connect(lambda: self.make(word=True))
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.sections_group)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.make_button.setDefault(True)  # once in the dialog, or the dialog picks its own
        self._show_folder()
        self._load_sections()
        # the wording, the sections and the report folder are the database's settings; the
        # appendix is anyone's
        gate(database.capabilities, CHANGE_SETTINGS,
             (self.edit_toggle, self.folder_button, *self.section_boxes.values()))

    def reject(self) -> None:
        """Esc or Close: not while the PDF is being made (the dialog shows where it went)."""
        if self.task is not None and self.task.running:
            return
        super().reject()

    def _year_changed(self) -> None:
        self._load_sections()
        self._load_texts()

    # --- optional sections -------------------------------------------------------------------

    def _build_sections(self) -> dict[str, QCheckBox]:
        """One check box per optional section, in the order they print."""
        from cscdesk.report.pack_choice import OPTIONAL_SECTIONS

        # the word of each label whose first letter is its Alt key
        keys = {"trends": "trends", "timeliness": "stage", "outcomes": "Outcomes",
                "who_complained": "complained"}
        self.sections_group = QGroupBox("Optional sections (remembered with the year)")
        row = QHBoxLayout(self.sections_group)
        boxes = {}
        for key, label in OPTIONAL_SECTIONS.items():
            boxes[key] = QCheckBox(label.replace(keys[key], f"&{keys[key]}", 1))
            row.addWidget(boxes[key])
        row.addStretch(1)
        return boxes

    def chosen_sections(self) -> frozenset[str]:
        return frozenset(key for key, box in self.section_boxes.items() if box.isChecked())

    def _load_sections(self) -> None:
        from cscdesk.report.pack_choice import chosen_sections

        try:
            year = self.chosen_year()
        except UserFacingError:
            return
        with self.database.session() as session:
            chosen = chosen_sections(session, year)
        for key, box in self.section_boxes.items():
            box.setChecked(key in chosen)

    def _save_sections(self, year: ReportingYear) -> None:
        """Remember the ticks with the year, when they changed and the officer may."""
        from cscdesk.report.pack_choice import chosen_sections, save_sections

        chosen = self.chosen_sections()
        if not allowed(self.database.capabilities, CHANGE_SETTINGS):
            return
        with self.database.transaction() as session:
            if chosen_sections(session, year) != chosen:
                save_sections(session, year, chosen)

    # --- wording ---------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        editor = QWidget()
        self.paragraphs = QListWidget()
        self.paragraphs.setAccessibleName("Paragraphs")
        self.paragraphs.setFixedWidth(
            self.paragraphs.fontMetrics().horizontalAdvance("Alternative Dispute Resolution: "
                                                            "explanation") + 32)
        self.pages = QStackedWidget()
        self.text_edits: dict[str, QPlainTextEdit] = {}
        self.theme_editor = ThemeEditor()
        self.paragraphs.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.reset_button = QPushButton("&Reset to the standard wording")
        self.reset_button.clicked.connect(self._reset_current)
        right = QVBoxLayout()
        right.addWidget(self.pages, 1)
        right.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.paragraphs)
        layout.addLayout(right, 1)
        return editor

    def _show_editor(self, shown: bool) -> None:
        if shown and self._loaded_year is None:
            self._load_texts()
        self.editor.setVisible(shown)
        if shown:
            self.resize(max(self.width(), 920), max(self.height(), 640))
        else:
            self.resize(self.width(), self.sizeHint().height())

    def chosen_year(self) -> ReportingYear:
        text = self.year.currentText()
        found = self.year.findText(text)
        if found >= 0:
            return ReportingYear(self.year.itemData(found))
        return ReportingYear.parse(text)

    def _load_texts(self) -> None:
        if not self.edit_toggle.isChecked():
            self._loaded_year = None
            return
        try:
            year = self.chosen_year()
        except UserFacingError:
            return
        with self.database.session() as session:
            texts = self.narrative.texts_for(session, year)
            themes = self.narrative.themes_for(session, year)
        self.paragraphs.clear()
        while (page := self.pages.widget(0)) is not None:
            self.pages.removeWidget(page)
        self.text_edits.clear()
        self._defaults = {key: item.default for key, item in texts.items()}
        for key, item in texts.items():
            edit = QPlainTextEdit(item.current)
            edit.setAccessibleName(item.label)
            edit.setTabChangesFocus(True)
            self.text_edits[key] = edit
            self.paragraphs.addItem(item.label)
            self.pages.addWidget(edit)
        self.theme_editor.set_themes(themes.current.themes)
        self._proposed_themes = themes.proposed.themes
        # what a save compares with (store.shared_values): another PC may edit them too
        self._opened_texts = {key: edit.toPlainText() for key, edit in self.text_edits.items()}
        self._opened_texts[THEMES] = _themes_text([(t.name, tuple(t.learning))
                                                   for t in themes.current.themes])
        self.paragraphs.addItem(f"Root causes and learning {year.label}")
        self.pages.addWidget(self.theme_editor)
        self.paragraphs.setCurrentRow(0)
        self._loaded_year = year

    def _reset_current(self) -> None:
        row = self.paragraphs.currentRow()
        keys = list(self.text_edits)
        if 0 <= row < len(keys):
            self.text_edits[keys[row]].setPlainText(self._defaults[keys[row]])
        elif row == len(keys):
            self.theme_editor.set_themes(self._proposed_themes)

    def save_texts(self, *, over_theirs: bool = False) -> bool:
        """Store the wording the officer changed, for the year it was loaded for. Wording
        another PC changed meanwhile is not saved over unseen: theirs is shown beside the
        officer's first (Keep mine, Take theirs, Back). False when nothing was saved then."""
        if self._loaded_year is None:
            return True
        from cscdesk.report.figures import Theme

        year = self._loaded_year
        mine = {key: edit.toPlainText() for key, edit in self.text_edits.items()}
        mine[THEMES] = _themes_text(self.theme_editor.themes())
        changed = changed_by_me(self._opened_texts, mine)
        labels = {key: self.paragraphs.item(row).text()
                  for row, key in enumerate([*self.text_edits, THEMES])}
        try:
            with self.database.transaction() as session:
                hold_shared_values(session)
                now = {key: item.current
                       for key, item in self.narrative.texts_for(session, year).items()}
                now[THEMES] = _themes_text(
                    [(t.name, tuple(t.learning))
                     for t in self.narrative.themes_for(session, year).current.themes])
                conflicts = conflicts_of(labels, self._opened_texts, now, changed,
                                         self._written(session, year))
                if conflicts and not over_theirs:
                    raise SharedValueChanged(f"The appendix's wording for {year.label}",
                                             conflicts)
                self.narrative.save_texts(session, year, {
                    key: text for key, text in changed.items() if key != THEMES})
                if THEMES in changed:
                    self._save_themes(session, year, Theme)
        except SharedValueChanged as elsewhere:
            return self._resolve(elsewhere, labels)
        self._opened_texts.update(changed)
        self.texts_saved = True
        return True

    def _written(self, session: Any, year: ReportingYear) -> dict[str, Any]:
        """The stored rows of the year's wording (who wrote each, and when), by key."""
        by_key = self.narrative.written(session, year)
        if self.narrative.THEMES_KEY in by_key:
            by_key[THEMES] = by_key[self.narrative.THEMES_KEY]
        return by_key

    def _save_themes(self, session: Any, year: ReportingYear, theme: Any) -> None:
        themes = [theme(name, None, learning) for name, learning in self.theme_editor.themes()]
        proposed = [(t.name, tuple(t.learning)) for t in self._proposed_themes]
        edited = [(n.strip(), tuple(x.strip() for x in lines if x.strip()))
                  for n, lines in self.theme_editor.themes() if n.strip() or any(lines)]
        if edited == proposed:
            self.narrative.reset(session, year, self.narrative.THEMES_KEY)
        else:
            self.narrative.save_themes(session, year, themes)

    def _resolve(self, elsewhere: SharedValueChanged, labels: dict[str, str]) -> bool:
        choice = self.dialogs.resolve_conflict(
            self, str(elsewhere), [ConflictRow(c.label, c.mine, c.theirs)
                                   for c in elsewhere.conflicts], deleted=False)
        if choice == KEEP_MINE:
            return self.save_texts(over_theirs=True)
        if choice == TAKE_THEIRS:
            keys = {label: key for key, label in labels.items()}
            for conflict in elsewhere.conflicts:
                key = keys[conflict.label]
                if key in self.text_edits:
                    self.text_edits[key].setPlainText(conflict.theirs)
                    self._opened_texts[key] = conflict.theirs
            if any(keys[c.label] == THEMES for c in elsewhere.conflicts):
                self._loaded_year = None  # the themes as they are now: read the year again
                self._load_texts()
        return False

    # --- the Ombudsman's letter ---------------------------------------------------------

    def edit_letter(self) -> None:
        """The chosen year's letter figures, in a dialog of their own."""
        from cscdesk.ui.ombudsman_letter_dialog import OmbudsmanLetterDialog

        try:
            year = self.chosen_year()
        except UserFacingError as error:
            self.dialogs.warn(self, "Annual appendix", str(error))
            return
        dialog = OmbudsmanLetterDialog(self.database, self.dialogs, year, self)
        self.letter_dialog = dialog  # while it is open (tests reach it here)
        dialog.exec()
        self.letter_dialog = None
        dialog.deleteLater()  # here, in the GUI thread, not whenever a collection finds it

    # --- folder and PDF --------------------------------------------------------------------

    def _show_folder(self) -> None:
        self.folder_label.set_full_text(str(report_folder(self.database)))

    def _change_folder(self) -> None:
        folder = self.dialogs.choose_folder(self, "Report folder", report_folder(self.database))
        if folder is None:
            return
        with self.database.transaction() as session:
            settings.put(session, settings.REPORT_FOLDER, str(folder))
        self._show_folder()

    def make(self, *, word: bool = False) -> None:
        """Make the PDF, or with `word` the Word version, of the chosen year."""
        try:
            year = self.chosen_year()
            if not self.save_texts():
                return  # wording changed elsewhere, and the officer went back to it
            self._save_sections(year)
        except UserFacingError as error:
            self.dialogs.warn(self, "Annual appendix", str(error))
            return
        folder = report_folder(self.database)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.dialogs.error(self, "Annual appendix",
                               f"The report folder {folder} cannot be created: "
                               f"{error.strerror or error}. Choose another folder.")
            return
        target = folder / pdf_name(year, self.report.WORD_SUFFIX if word else ".pdf")
        database = self.database
        make_appendix = self.report.make_appendix
        sections = self.chosen_sections()
        self._enable_making(False)
        self.status.setText(f"Making the {year.label} appendix…")
        self.task = Operation("the appendix",
                              lambda _progress: make_appendix(database, year, target,
                                                              sections=sections),
                              on_done=self._made, on_failed=self._failed)
        progress_dialog(self, f"Making the {year.label} appendix…", self.task)
        self.task.start()

    def _enable_making(self, enabled: bool) -> None:
        self.make_button.setEnabled(enabled)
        self.word_button.setEnabled(enabled)

    def _made(self, path: Path) -> None:
        self.written = Path(path)
        self._enable_making(True)
        # The folder is shown above: the file's name alone keeps the line short.
        self.status.setText(f"Written: {self.written.name}, in the folder above.")
        self.status.setToolTip(str(self.written))
        if not self.open_file(self.written):
            program = ("program for Word documents" if self.report.is_word(self.written)
                       else "PDF viewer")
            self.status.setText(f"Written: {self.written.name}, in the folder above. No "
                                f"{program} could be opened; open the file from its folder.")

    def _failed(self, error: Exception) -> None:
        self._enable_making(True)
        self.status.setText("The appendix was not made.")
        if isinstance(error, UserFacingError):
            self.dialogs.error(self, "Annual appendix", str(error))
            return
        raise error
