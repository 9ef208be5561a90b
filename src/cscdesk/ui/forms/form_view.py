"""The widgets of a record form: group boxes of labelled fields, each with a message line.

It knows the look and the keyboard (labels with mnemonics and buddies, accessible names equal to
the labels, Tab order following the layout); `dialog.py` knows the behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cscdesk.domain.kind_spec import FIELD_LABELS, FieldSpec, FieldType, spec
from cscdesk.domain.kinds import Kind
from cscdesk.ui.accessible_names import labelled
from cscdesk.ui.forms.editors import (
    CheckEditor,
    DateEditor,
    Editor,
    EnumEditor,
    MoneyEditor,
    MultilineEditor,
    NameListEditor,
    ReferenceEditor,
    StageEditor,
    TextEditor,
)
from cscdesk.ui.forms.layout import DUE_LINE, LAYOUTS, SHORT_TEXTS, Line, Section

DUE_LABEL = "Response due"
ERROR_COLOUR = QColor(164, 38, 44)  # dark red: readable on light backgrounds (contrast > 6:1)


@dataclass
class PickLists:
    teams: Sequence[str]
    root_causes: Sequence[str]



    def names_for(self, field: str) -> Sequence[str]:
        """The names offered in a list field: teams, or root causes."""
        return self.teams if field == "team" else self.root_causes


def make_editor(field: FieldSpec, lists: PickLists) -> Editor:
    """The editor of a field, by what the field holds (its kind's description says)."""
    if field.type is FieldType.REFERENCE:
        return ReferenceEditor()
    if field.type is FieldType.DATE:
        return DateEditor(field.label)
    if field.type is FieldType.TEXT:
        return MultilineEditor(3 if field.name in SHORT_TEXTS else 4)
    if field.type is FieldType.YES_NO:
        return CheckEditor()
    if field.type is FieldType.STAGE:
        return StageEditor()
    if field.type is FieldType.MONEY:
        return MoneyEditor(field.label)
    if field.type is FieldType.LIST:
        return NameListEditor(field.label, lists.names_for(field.name))
    if field.type is FieldType.CHOICE and field.choices is not None:
        return EnumEditor(field.label, field.choices)
    return TextEditor()


def _staged(kind: Kind, name: str) -> bool:
    """Whether the field sits in a section shown only at one stage or once another field is
    filled in."""
    return any(name in section.fields and section.conditional for section in LAYOUTS[kind])


def with_mnemonics(texts: Sequence[str], reserved: Iterable[str]) -> list[str]:
    """Each label with an "&" before a letter no other label (nor a button) uses, so Alt+letter
    reaches it. Letters starting a word are preferred; then as many labels as possible get one
    (a small bipartite matching: a form has about twenty labels, so a few may go without)."""
    taken = {letter.lower() for letter in reserved}

    def candidates(text: str) -> list[int]:
        starts = [i for i, c in enumerate(text) if c.isalnum() and (i == 0 or text[i - 1] == " ")]
        others = [i for i, c in enumerate(text) if c.isalnum() and i not in starts]
        return [i for i in starts + others if text[i].lower() not in taken]

    options = [candidates(text) for text in texts]
    owner: dict[str, int] = {}  # letter -> label index
    chosen: dict[int, int] = {}  # label index -> position of its letter

    def place(label: int, seen: set[str]) -> bool:
        for position in options[label]:  # a free letter first
            letter = texts[label][position].lower()
            if letter not in owner:
                owner[letter] = label
                chosen[label] = position
                return True
        for position in options[label]:  # else move another label to a letter of its own
            letter = texts[label][position].lower()
            if letter in seen:
                continue
            seen.add(letter)
            if letter not in owner or place(owner[letter], seen):
                owner[letter] = label
                chosen[label] = position
                return True
        return False

    for label, text in enumerate(texts):  # first, word-initial letters where they are free
        for position in options[label]:
            letter = text[position].lower()
            if letter not in owner and (position == 0 or text[position - 1] == " "):
                owner[letter] = label
                chosen[label] = position
                break
    for label in range(len(texts)):  # then any letter, moving others along if need be
        if label not in chosen:
            place(label, set())
    return [
        f"{text[:chosen[i]]}&{text[chosen[i]:]}" if i in chosen else text
        for i, text in enumerate(texts)
    ]


class FormView(QWidget):
    """All fields of one kind; `editors[name]`, `messages[name]`, `due` (complaints only) and
    the read-only `lines[name]` of `layout.Line`s; `boxes` holds each section's group box."""

    def __init__(self, kind: Kind, lists: PickLists, reserved_mnemonics: Iterable[str],
                 button_texts: Sequence[str] = ()) -> None:
        super().__init__()
        self.button_texts: list[str] = list(button_texts)  # given underlined letters below
        self._below = 1  # the grid's next row under the sections
        self.editors: dict[str, Editor] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.due: QLabel | None = None
        self.due_label: QLabel | None = None
        self.lines: dict[str, QLabel] = {}
        self.line_labels: dict[str, QLabel] = {}
        self.boxes: list[tuple[Section, QGroupBox]] = []
        self._line_rows: dict[str, QFormLayout] = {}
        self._lines_shown: dict[str, tuple[str, bool]] = {}
        self._shown: dict[str, tuple[str, bool]] = {}
        self._due_shown: tuple[str, bool] | None = None
        self.order: list[str] = []
        self.kind = kind
        kind_spec = spec(kind)
        # "due" is the live due line of a complaint, but a field of its own in an action
        # The fields always shown choose their letters first: a complaint has more labels than
        # letters, and the steps of one stage are hidden at the others.
        names = [name for section in LAYOUTS[kind] for name in section.fields
                 if kind_spec.has_field(name)]
        reserved = list(reserved_mnemonics)
        label_texts: dict[str, str] = {}
        for staged in (False, True):
            group = [name for name in names if _staged(kind, name) is staged]
            marked = with_mnemonics([FIELD_LABELS[name] for name in group], reserved)
            label_texts.update(zip(group, marked, strict=True))
            reserved += [text[text.index("&") + 1] for text in marked if "&" in text]
        # The form's buttons (Letter, the documents') take the letters the labels leave: a
        # complaint's labels leave none of theirs, so there the keys (Ctrl+L, Ctrl+Shift+A,
        # Enter and Delete in the list) reach them.
        self.button_texts = with_mnemonics(self.button_texts, reserved)
        grid = self._grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        columns: dict[int, QVBoxLayout] = {}
        for section in LAYOUTS[kind]:
            if section.column not in columns:
                column = QVBoxLayout()
                column.setSpacing(12)
                grid.addLayout(column, 0, section.column)
                columns[section.column] = column
            box = QGroupBox(section.title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for name in section.fields:
                for line in section.lines:
                    if line.before == name:
                        self._add_line(form, line)
                if name == DUE_LINE and not kind_spec.has_field(name):
                    self.due_label = QLabel(DUE_LABEL)
                    form.addRow(self.due_label, self._due_line())
                    continue
                self._add_field(form, name, lists, label_texts[name])
            for line in section.lines:
                if not line.before:
                    self._add_line(form, line)
            columns[section.column].addWidget(box)
            self.boxes.append((section, box))
        for column in columns.values():
            column.addStretch(1)
        for index in columns:
            grid.setColumnStretch(index, 1)

    def _add_field(self, form: QFormLayout, name: str, lists: PickLists, label_text: str) -> None:
        editor = make_editor(spec(self.kind).field(name), lists)
        label = labelled(label_text, editor.input)
        message = QLabel()
        message.setWordWrap(True)
        message.setVisible(False)
        message.setTextFormat(Qt.TextFormat.PlainText)
        cell = QWidget()
        stack = QVBoxLayout(cell)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(editor.widget)
        stack.addWidget(message)
        form.addRow(label, cell)
        self.editors[name] = editor
        self.messages[name] = message
        self.labels[name] = label
        self.order.append(name)

    def _add_line(self, form: QFormLayout, line: Line) -> None:
        label = QLabel(line.label)
        text = QLabel()
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setAccessibleName(line.label)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(label, text)
        self.lines[line.name] = text
        self.line_labels[line.name] = label
        self._line_rows[line.name] = form

    def show_line(self, name: str, text: str, *, known: bool) -> None:
        """A read-only line: bold once it has a date, plain while it waits for one; its row is
        hidden while it has nothing to say."""
        if self._lines_shown.get(name) == (text, known):
            return
        self._lines_shown[name] = (text, known)
        widget = self.lines[name]
        font = widget.font()
        font.setBold(known)
        widget.setFont(font)
        widget.setText(text)
        widget.setAccessibleDescription(text)
        self._line_rows[name].setRowVisible(widget, bool(text))

    def set_due_label(self, text: str, tooltip: str) -> None:
        """The due line's label (and the name it is announced by)."""
        if self.due is None or self.due_label is None or self.due_label.text() == text:
            return
        self.due_label.setText(text)
        self.due_label.setToolTip(tooltip)
        self.due.setAccessibleName(text)
        self.due.setToolTip(tooltip)

    def add_below(self, widget: QWidget) -> None:
        """A part under every section, across the columns (a case's actions, the record's
        documents), each under the one added before."""
        self._grid.addWidget(widget, self._below, 0, 1, self._grid.columnCount())
        self._below += 1

    def _due_line(self) -> QLabel:
        self.due = QLabel()
        self.due.setWordWrap(True)
        self.due.setAccessibleName(DUE_LABEL)
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return self.due

    def show_due(self, text: str, *, known: bool) -> None:
        """The due line: bold once there is a date, plain while it waits for one."""
        if self.due is None or self._due_shown == (text, known):
            return
        self._due_shown = (text, known)
        font = self.due.font()
        font.setBold(known)
        self.due.setFont(font)
        self.due.setText(text)
        self.due.setAccessibleDescription(text)

    def show_message(self, name: str, text: str, *, is_error: bool) -> None:
        if self._shown.get(name, ("", False)) == (text, is_error):
            return  # unchanged: touch nothing
        self._shown[name] = (text, is_error)
        label = self.messages[name]
        label.setText(text)
        palette = label.palette()
        colour = ERROR_COLOUR if is_error else self.palette().color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        label.setPalette(palette)
        label.setVisible(bool(text))

    def inputs(self) -> list[QWidget]:
        return [self.editors[name].input for name in self.order]
