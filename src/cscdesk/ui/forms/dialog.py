"""The record form: one dialog for every kind, new or existing.

Behaviour lives here: filling the fields, live messages and the live due date, saving and
deleting, escalation and the unsaved-changes prompt. The widgets are built by `form_view.py`,
`checks.py` says what stops a save, and `record_store.py` does each database action in one short
session.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import fields as dataclass_fields
from datetime import UTC, date
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from cscdesk.domain.kinds import (
    DATA_CLASS,
    ActionData,
    ActionKind,
    ComplaintData,
    Kind,
    RecordData,
)
from cscdesk.errors import UserFacingError
from cscdesk.store.documents import DocumentInfo
from cscdesk.store.engine import Database, connection_lost
from cscdesk.store.record_versions import LastChange, RecordChangedElsewhere
from cscdesk.store.records import RecordInvalid
from cscdesk.ui import documents_panel  # as a module: it uses this package's helpers
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.forms.actions_panel import ADD_MNEMONIC, ADD_SHORTCUT, ActionsPanel
from cscdesk.ui.forms.checks import RecordChecks
from cscdesk.ui.forms.compliance import compliance_from
from cscdesk.ui.forms.conflict import KEEP_MINE, TAKE_THEIRS, conflict_rows
from cscdesk.ui.forms.document_store import PendingDocument
from cscdesk.ui.forms.due_text import describe_clocks, describe_days_used, describe_due
from cscdesk.ui.forms.earlier_stage import EarlierStagePicker
from cscdesk.ui.forms.escalation import escalation_prefill, next_stage
from cscdesk.ui.forms.form_letters import (
    LETTER_SHORTCUT,
    LETTER_TEXT,
    fitting_templates,
    letter_templates,
    make_letter_document,
)
from cscdesk.ui.forms.form_view import DUE_LABEL, FormView, PickLists
from cscdesk.ui.forms.layout import (
    CASE_KINDS,
    CLOCK_LINES,
    COMPLIANCE_LINE,
    DAYS_USED_LINE,
    SINGULAR,
    STAGE3_DUE_LABEL,
)
from cscdesk.ui.forms.record_store import (
    case_actions,
    delete_record,
    earlier_stage_matches,
    later_stage_of,
    open_form_data,
    reference_exists,
    save_record,
)
from cscdesk.ui.permissions import READ_AUDIT, WRITE_RECORDS, gate

# Alt+letter of Save and Escalate; field labels take other letters. Delete has none, so that
# no slip of the fingers starts it.
BUTTON_MNEMONICS = ("s", "e")
_UNSET = object()
DUE_TOOLTIPS = {
    False: "",
    True: "30 working days from Received: the appendix counts a Stage 3 response on time by "
          "this date. Each step's own clock is under Stage 3 steps.",
}
# Only a remedy carries money: why Amount and Paid are not open otherwise.
REMEDY_ONLY = {
    "amount": f"Only a “{ActionKind.REMEDY.value}” carries an amount: choose that Kind first.",
    "paid": f"Only a “{ActionKind.REMEDY.value}” is paid: choose that Kind first.",
}


# Pauses between tries of a save that met a lost connection (the last repeats).
RETRY_DELAYS_S = (1, 2, 4, 8, 15, 30)


class RecordFormDialog(QDialog):
    """A form for one record of `kind`: existing when `reference` is given, else new (optionally
    prefilled). After it closes, `saved_reference` is what was saved (None if nothing),
    `deleted` says the record was deleted and `escalation` holds the next stage's prefill when
    the officer chose "Escalate".

    `prefill` fills a new record as if typed (an escalation); `proposal` fills it with values
    the form suggests (an action's case, team and Agreed date), which are not changes of the
    officer's: Esc then asks nothing."""

    _version: int | None = None
    _retry_timer: QTimer | None = None  # a save waiting for the server to be back
    _retry_delays: list[int] = []  # noqa: RUF012 - replaced per form, never changed in place
    _close_after_save = False
    _read_only = False  # the login may not write records
    _elsewhere_shown = False  # the bar says the record changed elsewhere (set before __init__)

    def __init__(
        self,
        parent: QWidget | None,
        database: Database,
        kind: Kind,
        reference: str | None = None,
        dialogs: UserDialogs | None = None,
        *,
        prefill: RecordData | None = None,
        today: date | None = None,
        proposal: RecordData | None = None,
        attach_on_save: Sequence[PendingDocument] = (),
    ) -> None:
        super().__init__(parent)
        self.attach_on_save = list(attach_on_save)
        self.database = database
        self.kind = kind
        self.dialogs = dialogs or UserDialogs()
        self.original_reference: str | None = reference.strip() if reference else None
        self.saved_reference: str | None = None
        self.deleted = False
        self.escalation: ComplaintData | None = None
        self._today = today or date.today()
        self._touched: set[str] = set()
        self._editing: str | None = None  # the field being typed in: its messages wait
        self._store_errors: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        self._applied: dict[tuple[int, str], Any] = {}
        self._due_inputs: tuple[Any, ...] | None = None
        self.case_actions: list[ActionData] = []  # the case's, as last read (complaints, disputes)
        self._compliance_text = ""
        self.checks = RecordChecks(database, kind, self.original_reference)

        start = open_form_data(database, kind, reference)
        record = start.record
        self.version = start.version  # what a save must still find (no silent overwrite)
        self.calendar = start.calendar
        mnemonics = (*BUTTON_MNEMONICS, ADD_MNEMONIC) if kind in CASE_KINDS else BUTTON_MNEMONICS
        self.view = FormView(kind, PickLists(start.teams, start.root_causes), mnemonics,
                             (LETTER_TEXT, *documents_panel.BUTTON_TEXTS))
        self._build_window()
        self._show_provenance(start.made, start.changed)
        self._baseline = self._snapshot()  # a new form, prefilled or not, starts from blank
        if record is not None:
            self._fill(record)
            self._baseline = self._snapshot()
            self._touched.update(self.view.order)
        elif prefill is not None:
            self._fill(prefill)
            if start.proposed_reference and not prefill.reference.strip():
                # A record proposed from an email: the next reference, like a blank form's.
                self.view.editors["reference"].set(start.proposed_reference)
        else:
            if proposal is None and kind is Kind.ACTION:
                proposal = ActionData(agreed=self._today)  # most actions are agreed the day
            if proposal is not None:
                self._fill(proposal)
            if start.proposed_reference and not self.view.editors["reference"].snapshot():
                # The next reference in the officer's pattern: not a change of theirs (Esc
                # asks nothing), selected so that typing replaces it.
                self.view.editors["reference"].set(start.proposed_reference)
            self._baseline = self._snapshot()
        for name, editor in self.view.editors.items():
            editor.on_change(partial(self._changed, name))
            editor.input.installEventFilter(self)
        self.earlier_stage: EarlierStagePicker | None = None
        linked = self.view.editors.get("escalated_from")
        if linked is not None and isinstance(linked.input, QLineEdit):
            # After the filters above: it sees Enter and Tab before the form moves on.
            self.earlier_stage = EarlierStagePicker(
                linked.input, self, self._earlier_stage,
                lambda stage, text: earlier_stage_matches(self.database, stage, text),
            )
        self.refresh()
        self._allow_by_role()
        self.reload_actions()
        # A new record starts at its first missing field (Received, for an escalation; Kind,
        # for an action added from its case); a blank one at its Reference, with the proposed
        # reference selected.
        first = next((name for name in self.view.order if name in self._errors), None)
        filled = prefill is not None or (proposal is not None and kind is not Kind.ACTION) or (
            isinstance(proposal, ActionData) and bool(proposal.case_reference))
        start_at = (first if self.original_reference is None and filled and first
                    else self.view.order[0])
        start_input = self.view.editors[start_at].input
        start_input.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.original_reference is None and isinstance(start_input, QLineEdit):
            start_input.selectAll()

    # ----- the record changed elsewhere ------------------------------------------------------

    @property
    def version(self) -> int | None:
        """The record's version this form shows; a save must still find it on the server."""
        return self._version

    @version.setter
    def version(self, value: int | None) -> None:
        self._version = value
        if self._elsewhere_shown:  # the officer has now seen (or saved over) their change
            self._elsewhere_shown = False
            self.changed_bar.hide()

    def show_changed_elsewhere(self, current: int | None, last: LastChange | None) -> None:
        """The server holds the record at version `current` (None: deleted), last changed by
        `last` (`ui.live_updates` asks when a notice comes): a bar says so while that is not
        the version this form shows, so the officer knows before saving."""
        reference = self.original_reference
        if reference is None or current == self.version:
            return
        who = "by someone else"
        if last is not None:
            local = last.at.replace(tzinfo=UTC).astimezone()
            who = f"by {last.user} at {local:%H:%M}"
            if local.date() != date.today():
                who += f" on {local:%d/%m/%Y}"
        if current is None:
            text = (f"“{reference}” was deleted {who} since you opened it. Saving will ask "
                    "whether to make it again from this form.")
        else:
            text = (f"“{reference}” was changed {who} since you opened it. Saving will show "
                    "their values beside yours.")
        self.changed_bar.setText(text)
        self.changed_bar.show()
        self._elsewhere_shown = True

    # ----- loading and building -------------------------------------------------------------

    def _build_window(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.view)
        self.changed_bar = QLabel()
        self.changed_bar.setAccessibleName("Changed elsewhere")
        self.changed_bar.setTextFormat(Qt.TextFormat.PlainText)
        self.changed_bar.setWordWrap(True)
        self.changed_bar.setStyleSheet("QLabel { background: #fff4ce; color: #3b2f00; "
                                       "border: 1px solid #e0c060; padding: 6px; }")
        self.changed_bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.provenance = QLabel()
        self.provenance.setAccessibleName("Made and last changed")
        self.provenance.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton("&Save")
        # Save is the primary button, but Enter in a field moves to the next field (as in the
        # spreadsheet this replaces; see eventFilter), so a stray Enter never saves and closes.
        # Ctrl+S saves; Enter on a focused button presses it.
        self.save_button.setToolTip("Save and close (Ctrl+S)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Close without saving (Esc)")
        self.delete_button = QPushButton("Delete…")
        self.escalate_button = QPushButton()
        self.history_button = QPushButton("History…")
        self.history_button.setToolTip("Every change to this record, and its legal hold")
        self.delete_button.setVisible(self.original_reference is not None)
        self.history_button.setVisible(self.original_reference is not None)
        self.escalate_button.setVisible(False)
        self.actions_panel: ActionsPanel | None = None
        below: list[QWidget] = []
        if self.kind in CASE_KINDS:
            self.actions_panel = ActionsPanel()
            self.actions_panel.setVisible(self.original_reference is not None)
            self.actions_panel.add_requested.connect(self.add_action)
            self.actions_panel.open_requested.connect(self.open_action)
            self.view.add_below(self.actions_panel)
            below = [self.actions_panel.table, self.actions_panel.add_button]
            QShortcut(QKeySequence(ADD_SHORTCUT), self, self.add_action)
        self.documents = documents_panel.DocumentsPanel(self.database, self.kind, self.dialogs,
                                        self.view.button_texts[1:])
        self.documents.pending = self.attach_on_save
        self.documents.set_record(self.original_reference)
        self.documents.changed.connect(self._documents_changed)
        self.view.add_below(self.documents)
        below += self.documents.focus_chain()
        QShortcut(QKeySequence(documents_panel.ATTACH_SHORTCUT), self,
                  self.documents.choose_files)
        self.letter_button = QPushButton(self.view.button_texts[0])
        self.letter_button.setToolTip(f"A letter from a template, kept with the record and "
                                      f"opened in the word processor ({LETTER_SHORTCUT})")
        self.letter_button.setAutoDefault(False)
        self.letter_button.setVisible(bool(letter_templates(self.kind)))
        self.letter_button.clicked.connect(self.make_letter)
        QShortcut(QKeySequence(LETTER_SHORTCUT), self, self.make_letter)
        self.setAcceptDrops(True)  # files dropped on the form are attached
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.escalate_button)
        buttons.addWidget(self.letter_button)
        buttons.addWidget(self.history_button)
        # A new record's documents: when they can be attached (in the buttons' row, so a new
        # complaint still fits a laptop's screen).
        self.documents_note = QLabel(self.documents.note)
        self.documents_note.setAccessibleName("Documents")
        self.documents_note.setTextFormat(Qt.TextFormat.PlainText)
        self.documents_note.setToolTip(self.documents.note)
        self.documents_note.setVisible(bool(self.documents.note))
        buttons.addWidget(self.documents_note)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.changed_bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.provenance)
        layout.addLayout(buttons)
        self.save_button.setDefault(True)  # once in the dialog, or the dialog picks its own
        chain = [*self.view.inputs(), *below, self.escalate_button, self.letter_button,
                 self.history_button,
                 self.delete_button, self.cancel_button, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.save_button.clicked.connect(self.save_and_close)
        self.cancel_button.clicked.connect(self.reject)
        self.delete_button.clicked.connect(self.delete)
        self.escalate_button.clicked.connect(self.escalate)
        self.history_button.clicked.connect(self.show_history)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_and_close)
        self._size_to_content(scroll)

    def _size_to_content(self, scroll: QScrollArea) -> None:
        wanted = self.view.sizeHint()
        width = wanted.width() + 48
        # Room for the buttons, the status line and a few lines of messages beside fields.
        line = self.fontMetrics().lineSpacing()
        height = wanted.height() + self.save_button.sizeHint().height() * 2 + line * 6 + 48
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, int(screen.width() * 0.95))
            # Nearly all of a 1366 × 768 laptop's height: the form fits with messages showing.
            height = min(height, int(screen.height() * 0.95))
        self.resize(max(width, 520), height)

    def _allow_by_role(self) -> None:
        """A login that may not write records sees the record, read only; one that may not
        read the audit trail has no History (on a server: `store.capabilities`)."""
        capabilities = self.database.capabilities
        gate(capabilities, READ_AUDIT, (self.history_button,))
        writers = [self.save_button, self.delete_button, self.escalate_button,
                   self.letter_button, self.documents.attach_button,
                   self.documents.remove_button]
        if self.actions_panel is not None:
            writers.append(self.actions_panel.add_button)
        self._read_only = not gate(capabilities, WRITE_RECORDS, writers)
        self.documents.read_only = self._read_only
        if self._read_only:
            for editor in self.view.editors.values():
                editor.input.setEnabled(False)
            self.provenance.setText(" ".join(
                part for part in (self.provenance.text(), "Read only: "
                                  + capabilities.refusal(WRITE_RECORDS)) if part))
            self.provenance.setWordWrap(True)
            self.provenance.show()

    def _show_provenance(self, made: LastChange | None, changed: LastChange | None) -> None:
        """"Made by … at …; last changed by … at …" (from the audit trail)."""
        parts = []
        if made is not None:
            parts.append(f"Made by {made.user} at {made.when()}")
        if changed is not None and changed != made:
            parts.append(f"last changed by {changed.user} at {changed.when()}")
        self.provenance.setText("; ".join(parts) + ("." if parts else ""))
        self.provenance.setVisible(bool(parts))

    def _fill(self, record: RecordData) -> None:
        for item in dataclass_fields(record):
            self.view.editors[item.name].set(getattr(record, item.name))

    def _snapshot(self) -> tuple[str, ...]:
        return tuple(self.view.editors[name].snapshot() for name in self.view.order)

    # ----- reading and checking ------------------------------------------------------------

    def record(self) -> RecordData:
        """The record as the fields stand (unreadable dates and amounts read as empty)."""
        values = {name: editor.get() for name, editor in self.view.editors.items()}
        return DATA_CLASS[self.kind](**values)

    def is_dirty(self) -> bool:
        return self._snapshot() != self._baseline

    def errors(self) -> dict[str, str]:
        """Field name → the sentence shown beside it, for every field that stops saving."""
        return dict(self._errors)

    def _collect_errors(self, record: RecordData) -> dict[str, str]:
        unreadable = {name: problem for name, editor in self.view.editors.items()
                      if (problem := editor.error())}
        return self.checks.errors(record, unreadable, self._store_errors)

    def _is_shown(self, name: str, message: str) -> bool:
        return name in self._touched or not self.checks.waits_for_visit(name, message)

    # ----- reacting to the officer -------------------------------------------------------------

    def _changed(self, name: str) -> None:
        if self.view.editors[name].input.hasFocus():
            self._editing = name
        self._touched.add(name)
        self._store_errors.pop(name, None)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.isVisible():  # closing or being destroyed: nothing to check any more
            return False
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
            and not isinstance(watched, QPlainTextEdit)
        ):
            self.focusNextChild()
            return True
        if event.type() == QEvent.Type.FocusOut:
            reason = event.reason() if isinstance(event, QFocusEvent) else None
            # Only the officer's own moves count: focus lost as widgets hide or are destroyed
            # must not start a refresh.
            if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                          Qt.FocusReason.MouseFocusReason, Qt.FocusReason.ShortcutFocusReason):
                self._left(watched)
        return super().eventFilter(watched, event)

    def _left(self, widget: QObject) -> None:
        """The officer left a field: its messages may now be shown."""
        for name, editor in self.view.editors.items():
            if editor.input is widget and (name not in self._touched or self._editing == name):
                self._touched.add(name)
                self._editing = None
                self.refresh()
                return

    def refresh(self) -> None:
        """Recheck the record and update messages, Save, the due line and the title."""
        record = self.record()
        self._errors = self._collect_errors(record)
        first_error: str | None = None
        for name in self.view.order:
            editor = self.view.editors[name]
            message = self._errors.get(name)
            quiet = name == self._editing  # no flicker of half-typed dates and names
            if message:
                shown = not quiet and self._is_shown(name, message)
                self.view.show_message(name, message if shown else "", is_error=True)
                self._set(editor.input.setAccessibleDescription, message)
                first_error = first_error or name
            else:
                hint = self._hint(name)
                self.view.show_message(name, "" if quiet else hint, is_error=False)
                self._set(editor.input.setAccessibleDescription, hint)
        valid = not self._errors
        self._set(self.save_button.setEnabled, valid and not self._read_only)
        # Like Escalate: a letter saves the record first, so only a record that would save.
        self._set(self.letter_button.setEnabled, valid and not self._read_only)
        self._set(self.save_button.setAccessibleDescription,
                  "" if valid or first_error is None
                  else f"Cannot save yet: {self._errors[first_error]}")
        self._update_status(first_error)
        if isinstance(record, ComplaintData):
            self._update_due(record)
            self._update_escalate(record, valid)
            self._update_dependent_fields(record)
            self._update_sections(record)
        if isinstance(record, ActionData):
            self._update_remedy_fields(record)
        self._set(self.setWindowTitle, self._title())
        self._set(self.setWindowModified, self.is_dirty())

    def _set(self, setter: Callable[[Any], None], value: Any) -> None:
        """Call a widget setter only when the value changes: a keystroke touches only what it
        changed (cheaper, and no flicker for screen readers)."""
        key = (id(setter.__self__), setter.__name__)  # type: ignore[attr-defined]
        if self._applied.get(key, _UNSET) != value:
            self._applied[key] = value
            setter(value)

    def _earlier_stage(self) -> int | None:
        """The stage "Escalated from" names: 1 for a Stage 2 complaint, 2 for Stage 3."""
        stage = self.view.editors["stage"].get()
        return stage - 1 if stage in (2, 3) else None

    def _hint(self, name: str) -> str:
        editor = self.view.editors[name]
        choice = getattr(editor, "choice", None)
        if name in ("team", "root_cause") and choice is not None and choice.is_new():
            what = "team" if name == "team" else "root cause"
            return f"“{choice.text()}” is a new {what}: it will be added to the list when you save."
        return ""

    def _update_status(self, first_error: str | None) -> None:
        if first_error is None:
            self._set(self.status.setText, "Unsaved changes." if self.is_dirty() else "")
            return
        labels = [self.view.labels[name].text().replace("&", "") for name in self.view.order
                  if name in self._errors]
        self._set(self.status.setText, f"To save, complete or correct: {', '.join(labels)}.")

    def _update_due(self, record: ComplaintData) -> None:
        """The due line, the working days used (Stages 1 and 2) and each Stage 3 clock."""
        inputs = (record.received, record.stage, record.extended, record.responded, record.closed,
                  record.panel_held, record.panel_report)
        if self.view.due is None or inputs == self._due_inputs:
            return  # counting working days over years of overdue is not free: only on change
        self._due_inputs = inputs
        text = describe_due(self.calendar, record.received, record.stage, record.extended,
                            record.responded, self._today, record.closed)
        self.view.show_due(text, known=record.received is not None)
        stage3 = record.stage == 3
        self.view.set_due_label(STAGE3_DUE_LABEL if stage3 else DUE_LABEL, DUE_TOOLTIPS[stage3])
        self.view.show_line(DAYS_USED_LINE, describe_days_used(self.calendar, record,
                                                               self._today),
                            known=record.received is not None)
        for step, (line, started) in describe_clocks(self.calendar, record,
                                                     self._today).items():
            self.view.show_line(CLOCK_LINES[step], line if stage3 else "", known=started)

    def _update_sections(self, record: ComplaintData) -> None:
        """"Stage 2 steps" shows for a Stage 2 complaint and "Stage 3 steps" for Stage 3, the
        Ombudsman's decision once the complaint was referred. A section that still holds
        something stays in sight, its fields saying what is wrong (nothing typed is hidden or
        thrown away), and one is never hidden from under the keyboard."""
        focused = QApplication.focusWidget()
        for section, box in self.view.boxes:
            if not section.conditional:
                continue
            wanted = (record.stage == section.stage if section.stage is not None
                      else bool(self.view.editors[section.shown_by].snapshot()))
            holds = (any(self.view.editors[name].snapshot() for name in section.fields)
                     or any(self.view.lines[line.name].text() for line in section.lines))
            inside = focused is not None and box.isAncestorOf(focused)
            self._set(box.setVisible, wanted or holds or inside)

    def _update_remedy_fields(self, record: ActionData) -> None:
        """Amount and Paid are open only for a remedy (kept open while they hold something,
        so it can be removed); a tooltip says why they are not."""
        remedy = record.action_kind is ActionKind.REMEDY
        for name, why in REMEDY_ONLY.items():
            editor = self.view.editors[name]
            open_field = remedy or bool(editor.snapshot())
            self._set(editor.input.setEnabled, open_field and not self._read_only)
            self._set(editor.input.setToolTip, "" if open_field else why)

    # ----- the case's actions -----------------------------------------------------------------

    def reload_actions(self) -> None:
        """Read the case's actions again: the table, and the LGO compliance they give."""
        panel = self.actions_panel
        if panel is None:
            return
        panel.setVisible(self.original_reference is not None)
        if self.original_reference is None:
            return
        try:
            self.case_actions = case_actions(self.database, self.original_reference)
        except SQLAlchemyError as problem:
            self.status.setText(self._database_sentence("read", problem).replace(
                f"The {SINGULAR[self.kind]} could not be read", "Its actions could not be read"))
            return
        panel.show_actions(self.case_actions, self._today)
        if COMPLIANCE_LINE in self.view.lines:
            compliance = compliance_from(self.case_actions)
            text = compliance.sentence() if compliance is not None else ""
            self.view.show_line(COMPLIANCE_LINE, text, known=False)
            self.refresh()  # the note shows the Ombudsman's decision even before a referral

    def add_action(self) -> str | None:
        """A new action of this case (Case filled in, the case's team proposed); the list then
        shows it. Returns the reference saved, if any."""
        if (self.actions_panel is None or self.original_reference is None or self._read_only
                or not self.actions_panel.isVisible()):
            return None
        team = self.view.editors["team"].get() if "team" in self.view.editors else ""
        proposal = ActionData(agreed=self._today, case_reference=self.original_reference,
                              team=team.strip())
        return self._action_form(None, proposal)

    def open_action(self, reference: str) -> str | None:
        """Open one of the case's actions; the list shows it as saved."""
        return self._action_form(reference, None)

    def _action_form(self, reference: str | None, proposal: ActionData | None) -> str | None:
        try:
            form = RecordFormDialog(self, self.database, Kind.ACTION, reference, self.dialogs,
                                    today=self._today, proposal=proposal)
        except UserFacingError as problem:
            self.dialogs.warn(self, "Cannot open the action", str(problem))
            self.reload_actions()
            return None
        try:
            form.exec()
            saved = form.saved_reference
        finally:
            form.deleteLater()
        self.reload_actions()
        if self.actions_panel is not None:
            self.actions_panel.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if saved is not None:
                for row in range(self.actions_panel.table.topLevelItemCount()):
                    item = self.actions_panel.table.topLevelItem(row)
                    if item is not None and item.text(0) == saved:
                        self.actions_panel.table.setCurrentItem(item)
        return saved

    def _update_dependent_fields(self, record: ComplaintData) -> None:
        """Fields that mean nothing yet are skipped by Tab: "Escalated from" at Stage 1 and
        the ADR saving without ADR (kept enabled while they hold text, so it can be removed)."""
        linked = self.view.editors["escalated_from"].input
        open_link = record.stage != 1 or bool(record.escalated_from.strip())
        self._set(linked.setEnabled, open_link)
        self._set(linked.setToolTip, "" if open_link else
                  "Only a Stage 2 or 3 complaint escalates from an earlier one.")
        saving = self.view.editors["adr_saving"]
        open_saving = record.adr or bool(saving.snapshot())
        self._set(saving.input.setEnabled, open_saving)
        self._set(saving.input.setToolTip, "" if open_saving else "Tick ADR first.")

    def _update_escalate(self, record: ComplaintData, valid: bool) -> None:
        stage = next_stage(record.stage)
        self._set(self.escalate_button.setVisible, stage is not None)
        if stage is not None:
            self._set(self.escalate_button.setText, f"&Escalate to Stage {stage}")
            self._set(self.escalate_button.setEnabled, valid and not self._read_only)

    def _title(self) -> str:
        noun = SINGULAR[self.kind]
        if self.original_reference is None:
            return f"New {noun}[*]"
        return f"{noun[0].upper()}{noun[1:]} {self.original_reference}[*]"

    def _focus_first_error(self) -> None:
        self._editing = None
        self._touched.update(self._errors)
        self.refresh()
        for name in self.view.order:
            if name in self._errors:
                self.view.editors[name].input.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # ----- actions ---------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the record in one transaction; False (with messages beside the fields) if not."""
        if self._read_only:
            return False  # this login may not write records (Ctrl+S too)
        self.refresh()
        if self._errors:
            self._focus_first_error()
            return False
        if not self._confirm_new_names():
            return False
        record = self.record()
        try:
            self.version = save_record(self.database, record, self.original_reference,
                                       self.version, self.attach_on_save)
        except RecordChangedElsewhere as changed:
            return self._resolve_conflict(record, changed)
        except RecordInvalid as invalid:
            self._store_errors = {error.field: error.message for error in invalid.errors}
            self.checks.forget()
            self._focus_first_error()
            return False
        except UserFacingError as problem:
            self.dialogs.warn(self, "Not saved", str(problem))
            return False
        except SQLAlchemyError as problem:
            if connection_lost(problem):
                self._save_when_back()
                return False
            self.dialogs.error(self, "Not saved", self._database_sentence("saved", problem))
            return False
        self._after_save(record)
        if self._retry_timer is not None:
            self._retry_timer.stop()
        self._retry_delays = []
        return True

    def _save_when_back(self) -> None:
        """The server went away mid-save (the transaction was rolled back): keep the form as
        it is, say so calmly, and try again with growing pauses until it is back; the form
        closes by itself after a Save-and-close that then works."""
        if not self._retry_delays:
            self._retry_delays = list(RETRY_DELAYS_S)
        delay = self._retry_delays.pop(0) if len(self._retry_delays) > 1 else \
            self._retry_delays[0]
        self.status.setText(f"The connection to the server was lost — saving as soon as it "
                            f"is back (next try in {delay} s). Everything typed is kept; you "
                            "may go on typing.")
        if self._retry_timer is None:
            self._retry_timer = QTimer(self)
            self._retry_timer.setSingleShot(True)
            self._retry_timer.timeout.connect(self._retry_save)
        self._retry_timer.start(delay * 1000)

    def _retry_save(self) -> None:
        if self.save():
            self.status.setText("Saved once the server was back.")
            if self._close_after_save:
                self.accept()

    def _resolve_conflict(self, mine: RecordData, changed: RecordChangedElsewhere) -> bool:
        """Someone else changed (or deleted) the record since this form opened it: show theirs
        beside mine. Keep mine saves over theirs, knowingly (or makes the record again); take
        theirs fills the form with their record; back leaves the form as it is. Nothing typed
        is lost unless the officer takes theirs (and "Copy my text" keeps it even then)."""
        deleted = changed.theirs is None
        choice = self.dialogs.resolve_conflict(self, str(changed),
                                               conflict_rows(mine, changed.theirs),
                                               deleted=deleted)
        if choice == KEEP_MINE:
            if deleted:  # made again from the form, as a new record
                self.original_reference = None
                self.checks.original_reference = None
            self.version = changed.version
            return self.save()
        if choice == TAKE_THEIRS and changed.theirs is not None:
            self._fill(changed.theirs)
            self.version = changed.version
            self._baseline = self._snapshot()
            self.checks.forget()
            self.refresh()
            self.status.setText("The form now shows the record as it was saved by "
                                + (changed.last.user if changed.last else "someone else")
                                + "; nothing of yours was saved.")
        return False

    def _after_save(self, record: RecordData) -> None:
        self.original_reference = self.saved_reference = record.reference.strip()
        self.checks.original_reference = self.original_reference
        for name in ("team", "root_cause"):
            editor = self.view.editors.get(name)
            choice = getattr(editor, "choice", None)
            if choice is not None and choice.is_new():
                choice.set_items(sorted([*choice.items(), choice.text()], key=str.casefold))
        self.checks.forget()
        self._baseline = self._snapshot()
        self.delete_button.setVisible(True)
        self.history_button.setVisible(True)
        self.attach_on_save.clear()  # kept in that save's transaction
        self.documents.set_record(self.original_reference)
        self.documents_note.hide()
        self.refresh()
        self.reload_actions()  # a case saved for the first time may now have actions added

    def _confirm_new_names(self) -> bool:
        """A team or root cause not in its list is added only once the officer agrees: one
        question for both, Enter meaning yes. No saves nothing and leaves the form as it is,
        at the first new name."""
        new = [(name, what, choice.text())
               for name, what in (("team", "team"), ("root_cause", "root cause"))
               if (choice := getattr(self.view.editors.get(name), "choice", None)) is not None
               and choice.is_new()]
        if not new:
            return True
        if len(new) == 1:
            _name, what, text = new[0]
            title = f"Add a new {what}?"
            question = f"Add the new {what} “{text}” to the list of {what}s?"
        else:
            title = "Add a new team and root cause?"
            question = (f"Add the new team “{new[0][2]}” and the new root cause “{new[1][2]}” "
                        "to the lists?")
        question += " Yes saves the record; No goes back to the form, nothing lost."
        if self.dialogs.confirm(self, title, question, default_yes=True):
            return True
        self.view.editors[new[0][0]].input.setFocus(Qt.FocusReason.OtherFocusReason)
        return False

    def _database_sentence(self, verb: str, problem: SQLAlchemyError) -> str:
        detail = str(getattr(problem, "orig", None) or problem).splitlines()[0]
        return (f"The {SINGULAR[self.kind]} could not be {verb}: the database refused it "
                f"({detail}). Nothing was changed; try again in a moment.")

    def show_history(self) -> None:
        """The record's audit trail and legal hold (of the record as last saved)."""
        from cscdesk.ui.history_dialog import HistoryDialog

        if self.original_reference is not None:
            HistoryDialog(self, self.database, self.kind, self.original_reference,
                          self.dialogs).exec()

    # ----- documents and letters -------------------------------------------------------------

    def _documents_changed(self) -> None:
        """A document added or removed is saved at once (its own transaction): the form's own
        changes are untouched."""
        self.status.setText("")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if documents_panel.local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Files dropped anywhere on the form are attached to the record."""
        paths = documents_panel.local_paths(event.mimeData().urls())
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.documents.attach(paths)

    def make_letter(self) -> DocumentInfo | None:
        """Letter… (Ctrl+L): the record saved first (after asking, as escalating does), then a
        template chosen from those that fit it; the letter filled from the saved record is
        kept as its document and opened in the word processor. A template that cannot be
        used says why and keeps nothing."""
        if self._read_only or not self.letter_button.isVisible():
            return None
        if self.original_reference is None or self.is_dirty():
            noun = SINGULAR[self.kind]
            which = (f"your changes to {noun} “{self.original_reference}”"
                     if self.original_reference else
                     f"the new {noun} “{self.record().reference.strip()}”")
            if not self.dialogs.confirm(
                self, "Save before the letter?",
                f"Save {which} first? The letter is filled from the record as saved. No goes "
                "back to the form; nothing is saved.",
                default_yes=True,
            ) or not self.save():
                return None
        reference = self.original_reference
        assert reference is not None  # saved above
        templates = fitting_templates(self.record())
        if not templates:
            self.dialogs.info(self, "No letter fits",
                              f"No letter template fits this {SINGULAR[self.kind]} as it "
                              "stands (the letters of a complaint depend on its stage).")
            return None
        from cscdesk.ui.letter_chooser import choose_letter

        key = choose_letter(self, templates, f"{SINGULAR[self.kind]} {reference}")
        if key is None:
            return None
        try:
            made = make_letter_document(self.database, self.kind, reference, key)
        except UserFacingError as problem:
            self.dialogs.warn(self, "No letter made", str(problem))
            return None
        except SQLAlchemyError as problem:
            self.dialogs.error(self, "No letter made",
                               self._database_sentence("given its letter", problem))
            return None
        self.documents.reload(select=made.id)
        self.status.setText(f"“{made.name}” is kept with the {SINGULAR[self.kind]}.")
        self.documents.open_document(made)
        return made

    def save_and_close(self) -> None:
        """Save (Ctrl+S or the Save button) and close the form when it worked (or once the
        server is back, when the connection was lost)."""
        self._close_after_save = True
        if self.save():
            self.accept()
        elif not self._retry_delays:
            self._close_after_save = False

    def delete(self) -> bool:
        """Delete the record after the officer confirms; the form closes."""
        reference = self.original_reference
        if reference is None or self._read_only:
            return False
        noun = SINGULAR[self.kind]
        if not self.dialogs.confirm(
            self, f"Delete {noun}", f"Delete {noun} “{reference}”? This cannot be undone."
        ):
            return False
        try:
            delete_record(self.database, self.kind, reference, self.version)
        except RecordChangedElsewhere as changed:
            if changed.theirs is None:  # deleted meanwhile: nothing left to delete
                self.dialogs.info(self, "Already deleted", str(changed))
                self.deleted = True
                self.saved_reference = None
                self._baseline = self._snapshot()
                super().reject()
                return True
            if self.dialogs.resolve_conflict(
                    self, str(changed), conflict_rows(self.record(), changed.theirs),
                    deleted=False, deleting=True) == TAKE_THEIRS:
                self._fill(changed.theirs)
                self.version = changed.version
                self._baseline = self._snapshot()
                self.refresh()
            return False
        except UserFacingError as problem:
            self.status.setText(str(problem))
            self.dialogs.warn(self, "Not deleted", str(problem))
            return False
        except SQLAlchemyError as problem:
            self.dialogs.error(self, "Not deleted", self._database_sentence("deleted", problem))
            return False
        self.deleted = True
        self.saved_reference = None
        self._baseline = self._snapshot()
        super().reject()
        return True

    def escalate(self) -> ComplaintData | None:
        """Save if needed (after asking), then close with `escalation` set to the next stage's
        new complaint. No to the question leaves everything as it was."""
        record = self.record()
        if not isinstance(record, ComplaintData) or next_stage(record.stage) is None:
            return None
        if self.original_reference is None or self.is_dirty():
            which = (f"your changes to complaint “{self.original_reference}”"
                     if self.original_reference else
                     f"the new complaint “{record.reference.strip()}”")
            if not self.dialogs.confirm(
                self, "Save before escalating?",
                f"Save {which} before escalating it to Stage {next_stage(record.stage)}? "
                "No goes back to the form; nothing is saved or escalated.",
                default_yes=True,
            ) or not self.save():
                return None
        record = self.record()
        if not isinstance(record, ComplaintData):  # as above: this form is a complaint's
            return None
        later = later_stage_of(self.database, record.reference)
        if later is not None and not self.dialogs.confirm(
            self, "Already escalated",
            f"“{later}” already escalates from “{record.reference.strip()}”. "
            "Start another complaint at the next stage anyway?",
        ):
            return None
        self.escalation = escalation_prefill(
            record, lambda reference: reference_exists(self.database, Kind.COMPLAINT, reference)
        )
        self.accept()
        return self.escalation

    def reject(self) -> None:
        """Esc, Cancel or closing the window: ask first when there are unsaved changes."""
        if self.is_dirty():
            noun = SINGULAR[self.kind]
            which = (f"{noun} “{self.original_reference}”" if self.original_reference
                     else f"new {noun}")
            answer = self.dialogs.save_discard_cancel(
                self, "Unsaved changes", f"Save the changes to the {which} before closing?"
            )
            if answer == "cancel" or (answer == "save" and not self.save()):
                return
        if self._retry_timer is not None:  # discarded: no save waits any more
            self._retry_timer.stop()
        super().reject()
