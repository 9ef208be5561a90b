"""The "Documents" section of a record's form: the files kept with the record, inside the
database (letters, emails, PDFs, photos).

The list is read without the files' bytes (`store.documents.list_for`), so a record with many
documents opens as quickly as one without. "Attach…" (or files dropped on the section or the
form) keeps each file in its own transaction: a file too large or unreadable gets a sentence
naming it and the others are still kept. "Open" (Enter, double-click) writes a temporary copy
(`temp_copies`, removed when the app closes) and hands it to the system's own program.
"Remove…" (Delete) asks, then moves the document to the bin.

A new record has no documents until it is saved; the section says so (and names the email a
record made from one will keep when saved).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from cscdesk.domain.kinds import Kind
from cscdesk.errors import UserFacingError
from cscdesk.store.documents import DocumentInfo, size_text
from cscdesk.store.engine import Database
from cscdesk.ui import temp_copies
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.forms.document_store import (
    PendingDocument,
    attach_paths,
    list_documents,
    read_document,
    remove_document,
)
from cscdesk.ui.forms.layout import SINGULAR
from cscdesk.ui.forms.short_list import short_list

HEADINGS = ("Name", "From", "Sent", "Subject", "Added", "By", "Size")
ATTACH_SHORTCUT = "Ctrl+Shift+A"
# The buttons' words; the form gives them underlined letters its fields leave free.
BUTTON_TEXTS = ("Attach…", "Open", "Remove…")
VISIBLE_ROWS = 4
PROGRESS_AFTER_MS = 400  # attaching shows its progress only when it takes longer


def local_time(moment: datetime | None) -> str:
    """A stored time (UTC, no zone) as the PC's local "dd/mm/yyyy hh:mm"."""
    if moment is None:
        return ""
    return f"{moment.replace(tzinfo=UTC).astimezone():%d/%m/%Y %H:%M}"


def local_paths(urls: Sequence[QUrl]) -> list[Path]:
    """The files among dropped URLs (a web link dropped is not a file to keep)."""
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]


class DocumentsPanel(QGroupBox):
    """The section. `set_record(reference)` shows that record's documents (None: a new
    record). Signals: `changed()` after a document was added or removed."""

    changed = Signal()

    def __init__(self, database: Database, kind: Kind, dialogs: UserDialogs,
                 button_texts: Sequence[str] = BUTTON_TEXTS,
                 parent: QWidget | None = None) -> None:
        super().__init__("Documents", parent)
        self.database = database
        self.kind = kind
        self.dialogs = dialogs
        self.reference: str | None = None
        self.pending: list[PendingDocument] = []  # kept with the record's first save
        self.read_only = False
        self.documents: list[DocumentInfo] = []
        self.note = ""  # a new record's sentence, which the form shows under its fields
        self.table = short_list("record_documents", "Documents", HEADINGS)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the name, the sender and the subject share what is left: a long address must not
        # squeeze the name to a few letters
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        line = self.table.fontMetrics().lineSpacing()
        self.table.setFixedHeight(header.sizeHint().height() + (line + 6) * VISIBLE_ROWS + 4)
        self.table.itemDoubleClicked.connect(lambda _item, _column: self.open_current())
        self.table.installEventFilter(self)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAccessibleName("Documents")
        attach, open_, remove = button_texts
        self.attach_button = QPushButton(attach)
        self.open_button = QPushButton(open_)
        self.open_button.setToolTip("Open the document picked in its own program (Enter)")
        self.remove_button = QPushButton(remove)
        self.remove_button.setToolTip("Move the document picked to the bin (Delete)")
        for button in (self.attach_button, self.open_button, self.remove_button):
            button.setAutoDefault(False)  # Enter on a button presses it; never the default
        self.attach_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_current)
        self.remove_button.clicked.connect(self.remove_current)
        row = QHBoxLayout()
        row.addWidget(self.empty, 1)
        row.addWidget(self.attach_button)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.setAcceptDrops(True)
        self.set_record(None)

    def focus_chain(self) -> list[QWidget]:
        return [self.table, self.attach_button, self.open_button, self.remove_button]

    # ----- showing ---------------------------------------------------------------------------

    def set_record(self, reference: str | None) -> None:
        """Show the documents of the record saved as `reference` (None: a new record)."""
        self.reference = reference.strip() if reference else None
        self.reload()

    def reload(self, select: int | None = None) -> None:
        """Read the list again (never the bytes), keeping the row picked or picking `select`."""
        current = select if select is not None else self.current_id()
        self.documents = []
        if self.reference is not None:
            try:
                self.documents = list_documents(self.database, self.kind, self.reference)
            except SQLAlchemyError as problem:
                self.empty.setText("The documents could not be read: "
                                   f"{str(getattr(problem, 'orig', problem)).splitlines()[0]}")
                return
        self.table.clear()
        for document in self.documents:
            email = document.email
            item = QTreeWidgetItem([
                document.name,
                email.sender if email else "",
                local_time(email.sent) if email else "",
                email.subject if email else "",
                local_time(document.added_at),
                document.added_by,
                size_text(document.size),
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, document.id)
            item.setToolTip(0, document.name)
            if email is not None:
                item.setToolTip(3, email.subject)
            self.table.addTopLevelItem(item)
            if document.id == current:
                self.table.setCurrentItem(item)
        first = self.table.topLevelItem(0)
        if self.table.currentItem() is None and first is not None:
            self.table.setCurrentItem(first)
        self._show_state()

    def _show_state(self) -> None:
        noun = SINGULAR[self.kind]
        count = len(self.documents)
        if self.reference is None:
            waiting = " and ".join(f"“{item.name}”" for item in self.pending)
            text = (f"{waiting} will be kept with the {noun} when you save it." if waiting
                    else f"Documents can be attached once the {noun} is saved.")
        elif not count:
            text = "No documents yet: attach files, or drop them on the form."
        else:
            text = "1 document." if count == 1 else f"{count} documents."
        self.empty.setText(text)
        self.table.setAccessibleDescription(text)
        saved = self.reference is not None
        # A new record has no section (as it has no actions): the form says the sentence
        # under its fields (`note`), so a new complaint still fits a laptop's screen.
        self.note = "" if saved else text
        self.setVisible(saved)
        self.attach_button.setEnabled(saved and not self.read_only)
        self.open_button.setEnabled(bool(count))
        self.remove_button.setEnabled(bool(count) and not self.read_only)
        self.attach_button.setToolTip(
            f"Keep files with this record ({ATTACH_SHORTCUT}); you can also drop files on the "
            "form" if saved else f"Save the {noun} first: its documents are kept once it is "
            "saved.")

    def current_id(self) -> int | None:
        item = self.table.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None

    def current(self) -> DocumentInfo | None:
        wanted = self.current_id()
        return next((document for document in self.documents if document.id == wanted), None)

    def names(self) -> list[str]:
        return [document.name for document in self.documents]

    # ----- attaching -------------------------------------------------------------------------

    def choose_files(self) -> list[DocumentInfo]:
        """Attach… : several files chosen in the system's file dialog."""
        if not self._may_attach():
            return []
        chosen = self.dialogs.open_files(
            self, f"Attach files to {SINGULAR[self.kind]} {self.reference}", Path.home(),
            "All files (*)")
        return self.attach(chosen)

    def _may_attach(self) -> bool:
        if self.read_only:
            return False
        if self.reference is None:
            noun = SINGULAR[self.kind]
            self.dialogs.info(self, "Save first",
                              f"Save the new {noun} first: files can be attached to it once "
                              "it is saved.")
            return False
        return True

    def attach(self, paths: Sequence[Path]) -> list[DocumentInfo]:
        """Keep each file with the record; one sentence for every file that was not kept.
        Many files show their progress once it takes a moment (and can be stopped)."""
        if not paths or not self._may_attach():
            return []
        assert self.reference is not None  # as _may_attach says
        progress: QProgressDialog | None = None
        if len(paths) > 1:
            progress = QProgressDialog("Attaching…", "Stop", 0, len(paths), self)
            progress.setWindowTitle("Attaching files")
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(PROGRESS_AFTER_MS)
            progress.setAutoClose(False)

        def step(done: int, name: str) -> bool:
            if progress is None:
                return True
            progress.setValue(done)
            progress.setLabelText(f"Attaching “{name}” ({done + 1} of {len(paths)})…")
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            outcome = attach_paths(self.database, self.kind, self.reference, paths, step)
        except SQLAlchemyError as problem:
            detail = str(getattr(problem, "orig", None) or problem).splitlines()[0]
            self.dialogs.error(self, "Not attached",
                               f"The files could not be kept: the database refused them "
                               f"({detail}). Try again in a moment.")
            outcome = None
        finally:
            if progress is not None:
                progress.close()
                progress.deleteLater()
        if outcome is None:
            self.reload()
            return []
        self.reload(select=outcome.added[-1].id if outcome.added else None)
        if outcome.added:
            self.changed.emit()
        if outcome.problems:
            kept = len(outcome.added)
            tail = ("" if not kept else
                    " The other file was attached." if kept == 1 else
                    f" The other {kept} files were attached.")
            self.dialogs.warn(self, "Not attached", " ".join(outcome.problems) + tail)
        return outcome.added

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData().urls())
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.attach(paths)

    # ----- opening and removing --------------------------------------------------------------

    def open_current(self) -> Path | None:
        """Write a temporary copy of the document picked and open it in its own program."""
        document = self.current()
        if document is None:
            return None
        return self.open_document(document)

    def open_document(self, document: DocumentInfo) -> Path | None:
        try:
            data = read_document(self.database, document.id)
            path = temp_copies.write_temp_copy(document.name, data)
        except UserFacingError as problem:
            self.dialogs.warn(self, "Cannot open the document", str(problem))
            self.reload()
            return None
        except OSError as problem:
            self.dialogs.warn(self, "Cannot open the document",
                              f"“{document.name}” could not be copied for opening "
                              f"({(problem.strerror or str(problem)).lower()}).")
            return None
        except SQLAlchemyError as problem:
            detail = str(getattr(problem, "orig", None) or problem).splitlines()[0]
            self.dialogs.warn(self, "Cannot open the document",
                              f"“{document.name}” could not be read ({detail}).")
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.dialogs.warn(self, "Cannot open the document",
                              f"No program on this PC opens “{document.name}”. A copy is at "
                              f"{path} until cscdesk closes.")
        return path

    def remove_current(self) -> bool:
        """Remove… : after the officer agrees, the document goes to the bin."""
        document = self.current()
        if document is None or self.read_only:
            return False
        noun = SINGULAR[self.kind]
        if not self.dialogs.confirm(
                self, "Remove document",
                f"Remove “{document.name}” from {noun} {self.reference}? It goes to the bin, "
                "where it is kept until the bin is emptied."):
            return False
        try:
            remove_document(self.database, document.id)
        except UserFacingError as problem:
            self.dialogs.warn(self, "Not removed", str(problem))
        except SQLAlchemyError as problem:
            detail = str(getattr(problem, "orig", None) or problem).splitlines()[0]
            self.dialogs.error(self, "Not removed",
                               f"“{document.name}” was not removed: the database refused it "
                               f"({detail}).")
            return False
        self.reload()
        self.changed.emit()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter opens the document picked, Delete removes it (neither reaches the form)."""
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.remove_current()
                return True
        return super().eventFilter(watched, event)
