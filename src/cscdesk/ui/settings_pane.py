"""Settings: the names printed on the appendix and on letters, the folders, encryption and
the idle lock, and extra non-working days; and, on its own tab, the letter templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cscdesk import paths, settings
from cscdesk.store import lists
from cscdesk.store.engine import Database
from cscdesk.store.shared_values import (
    SharedValueChanged,
    changed_by_me,
    conflicts_of,
    hold_shared_values,
)
from cscdesk.ui.accessible_names import labelled, name_calendar
from cscdesk.ui.dialog_service import UserDialogs
from cscdesk.ui.forms.conflict import KEEP_MINE, TAKE_THEIRS, ConflictRow
from cscdesk.ui.passphrase_dialogs import (
    LOST_WARNING,
    ask_current_passphrase,
    ask_new_passphrase,
)
from cscdesk.ui.permissions import CHANGE_LISTS, CHANGE_SETTINGS, gate

# Called with (old passphrase, new passphrase); None for "not encrypted".
ChangeEncryption = Callable[[str | None, str | None], object]

TEXT_OPTIONS = (settings.COUNCIL_NAME, settings.SERVICE_NAME, settings.APPENDIX_NUMBER)
# May be left empty, as the folders may.
OPTIONAL_TEXT_OPTIONS = (settings.OFFICER_NAME, settings.OFFICER_TITLE)
FOLDER_OPTIONS = (settings.REPORT_FOLDER, settings.BACKUP_FOLDER)
SAVED_TEXTS = (*TEXT_OPTIONS, *OPTIONAL_TEXT_OPTIONS, *FOLDER_OPTIONS)


SERVER_BACKUP_FOLDER = (
    "On a server database, Back up now keeps its archives in this PC's own backup folder (or "
    "the folder given to cscdesk backup --to): the server's own backups are IT's.")


def default_folder(option: settings.Option) -> Path:
    return (paths.default_report_dir() if option is settings.REPORT_FOLDER
            else paths.default_backup_dir())


def moved_sentence(moved: int) -> str:
    if moved == 0:
        return "No open complaint's due date changed."
    if moved == 1:
        return "1 open complaint's due date changed."
    return f"{moved} open complaints' due dates changed."


class SettingsPane(QWidget):
    """Signals:
        changed(): settings or non-working days were saved.
    """

    changed = Signal()

    def __init__(self, database: Database, dialogs: UserDialogs,
                 parent: QWidget | None = None,
                 change_encryption: ChangeEncryption | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.dialogs = dialogs
        self.change_encryption = change_encryption
        self.inputs: dict[str, QLineEdit] = {}

        names = QGroupBox("The appendix, letters and folders")
        form = QFormLayout(names)
        for option in SAVED_TEXTS:
            edit = QLineEdit()
            self.inputs[option.key] = edit
            label = labelled(f"{option.label}:", edit)
            if option in FOLDER_OPTIONS:
                edit.setPlaceholderText(str(default_folder(option)))
                choose = QPushButton("Choose…")
                choose.setAccessibleName(f"Choose {option.label.lower()}")
                choose.clicked.connect(lambda _c=False, o=option: self._choose_folder(o))
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                row.addWidget(choose)
                form.addRow(label, row)
                if option is settings.BACKUP_FOLDER and database.on_server:
                    # stored in the shared database, while a folder is one PC's
                    for part in (edit, choose):
                        part.setEnabled(False)
                        part.setToolTip(SERVER_BACKUP_FOLDER)
                    edit.setPlaceholderText(f"{default_folder(option)} (this PC's)")
            else:
                form.addRow(label, edit)
        self.save_button = QPushButton("&Save settings")
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_label, 1)
        form.addRow(buttons)

        days = QGroupBox("Extra non-working days (beyond England's bank holidays)")
        days_layout = QVBoxLayout(days)
        self.days_list = QListWidget()
        self.days_list.setAccessibleName("Extra non-working days")
        self.new_day = QDateEdit(QDate.currentDate())
        self.new_day.setCalendarPopup(True)
        self.new_day.setDisplayFormat("dd/MM/yyyy")
        name_calendar(self.new_day.calendarWidget(), "Day calendar")
        self.new_description = QLineEdit()
        self.new_description.setPlaceholderText("e.g. office closure")
        self.add_day_button = QPushButton("&Add day")
        self.add_day_button.clicked.connect(self.add_day)
        self.remove_day_button = QPushButton("&Remove day")
        self.remove_day_button.clicked.connect(self.remove_day)
        self.days_message = QLabel()
        self.days_message.setAccessibleName("Due dates message")
        add_row = QHBoxLayout()
        for text, widget in (("Day:", self.new_day), ("Description:", self.new_description)):
            add_row.addWidget(labelled(text, widget))
            add_row.addWidget(widget, 1 if widget is self.new_description else 0)
        add_row.addWidget(self.add_day_button)
        days_layout.addWidget(self.days_list)
        days_layout.addLayout(add_row)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_day_button)
        remove_row.addWidget(self.days_message, 1)
        days_layout.addLayout(remove_row)

        general = QWidget()
        layout = QVBoxLayout(general)
        layout.addWidget(names)
        layout.addWidget(self._build_encryption())
        layout.addWidget(days, 1)
        from cscdesk.ui.letters_settings import LettersSettings  # docxtpl: on first use

        self.letters = LettersSettings(database, dialogs)
        self.letters.changed.connect(self.changed.emit)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, "&General")
        self.tabs.addTab(self.letters, "&Letters")
        QVBoxLayout(self).addWidget(self.tabs)
        gate(database.capabilities, CHANGE_SETTINGS, (self.save_button, *self.inputs.values()))
        gate(database.capabilities, CHANGE_LISTS,
             (self.add_day_button, self.remove_day_button, self.new_day,
              self.new_description))
        self.setTabOrder(self.new_day, self.new_description)

    def _build_encryption(self) -> QGroupBox:
        group = QGroupBox("Encryption")
        layout = QVBoxLayout(group)
        self.encryption_label = QLabel()
        self.encryption_label.setAccessibleName("Encryption state")
        self.encryption_label.setWordWrap(True)
        layout.addWidget(self.encryption_label)
        self.encrypt_button = QPushButton("Encrypt with a passphrase…")
        self.change_button = QPushButton("Change passphrase…")
        self.decrypt_button = QPushButton("Remove encryption…")
        self.encrypt_button.clicked.connect(self.encrypt)
        self.change_button.clicked.connect(self.change_passphrase)
        self.decrypt_button.clicked.connect(self.remove_encryption)
        row = QHBoxLayout()
        for button in (self.encrypt_button, self.change_button, self.decrypt_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        idle_row = QHBoxLayout()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, 24 * 60)
        self.idle_minutes.setSpecialValueText("never")
        idle_note = "encrypted databases only; saved with the settings above"
        self.idle_minutes.setAccessibleDescription(f"For {idle_note}.")
        self.idle_label = labelled(f"{settings.IDLE_LOCK_MINUTES.label}:", self.idle_minutes)
        idle_row.addWidget(self.idle_label)
        idle_row.addWidget(self.idle_minutes)
        self.idle_note = QLabel(f"({idle_note})")
        idle_row.addWidget(self.idle_note)
        idle_row.addStretch(1)
        layout.addLayout(idle_row)
        return group

    def _file_encryption_controls(self) -> tuple[QWidget, ...]:
        """What only a database file has: its passphrase, and the idle lock that guards it."""
        return (self.encrypt_button, self.change_button, self.decrypt_button,
                self.idle_minutes, self.idle_note, self.idle_label)

    def _show_encryption(self) -> None:
        on_server = self.database.on_server
        for control in self._file_encryption_controls():
            control.setVisible(not on_server)
        if on_server:
            self.encryption_label.setText(self._server_encryption_text())
            return
        encrypted = self.database.encrypted
        if encrypted:
            self.encryption_label.setText(
                "The database and its backups are encrypted with a passphrase. " + LOST_WARNING)
        else:
            self.encryption_label.setText(
                "The database is not encrypted: anyone who copies the file can read it.")
        can_change = self.change_encryption is not None
        self.encrypt_button.setEnabled(can_change and not encrypted)
        self.change_button.setEnabled(can_change and encrypted)
        self.decrypt_button.setEnabled(can_change and encrypted)

    def _server_encryption_text(self) -> str:
        """On a server there is no passphrase: encryption at rest and in transit are the
        server's and the network's (docs/server.md); say whether this connection uses TLS."""
        from cscdesk.store.server import connection_uses_tls

        with self.database.session() as session:
            tls = connection_uses_tls(session)
        now = {True: "This PC's connection to the server is encrypted (TLS).",
               False: "This PC's connection to the server is NOT encrypted: ask IT to "
                      "require TLS (sslmode=verify-full in the address).",
               None: "Whether this PC's connection is encrypted could not be read."}[tls]
        return ("The database is on a server, so it has no passphrase here: encryption of the "
                "stored data (at rest) is the server's, set up by IT, and encryption on the "
                f"network (in transit) is TLS. {now}")

    def encrypt(self) -> None:
        title = "Encrypt the database"
        if self.change_encryption is None or self.database.encrypted:
            return
        new = ask_new_passphrase(self, self.dialogs, title)
        if new is None or not self.dialogs.confirm(
            self, title,
            "The database and all its backups will be encrypted with this passphrase, and it "
            f"will be asked for every time cscdesk starts. {LOST_WARNING} Encrypt now?",
        ):
            return
        self.change_encryption(None, new)

    def change_passphrase(self) -> None:
        title = "Change the passphrase"
        if self.change_encryption is None or not self.database.encrypted:
            return
        old = ask_current_passphrase(self, self.dialogs, title, self.database.passphrase)
        if old is None:
            return
        new = ask_new_passphrase(self, self.dialogs, title)
        if new is None or not self.dialogs.confirm(
            self, title,
            f"The database and its backups will be encrypted with the new passphrase. "
            f"{LOST_WARNING} Change it now?",
        ):
            return
        self.change_encryption(old, new)

    def remove_encryption(self) -> None:
        title = "Remove encryption"
        if self.change_encryption is None or not self.database.encrypted:
            return
        old = ask_current_passphrase(self, self.dialogs, title, self.database.passphrase)
        if old is None or not self.dialogs.confirm(
            self, title,
            "Remove encryption from the database and its backups? Anyone who copies the files "
            "will then be able to read the records.",
        ):
            return
        self.change_encryption(old, None)

    def refresh(self) -> None:
        self._show_encryption()
        with self.database.session() as session:
            for option in SAVED_TEXTS:
                self.inputs[option.key].setText(str(settings.get(session, option)))
            self.idle_minutes.setValue(settings.get(session, settings.IDLE_LOCK_MINUTES))
            days = [(entry.day, entry.description)
                    for entry in lists.non_working_days(session)]
        self._opened = self._shown_values()  # what a save compares with (shared_values)
        self.letters.refresh()
        self.days_list.clear()
        for day, description in days:
            text = f"{day:%a %d/%m/%Y}" + (f"  {description}" if description else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, day)
            self.days_list.addItem(item)

    def _shown_values(self) -> dict[str, str]:
        values = {option.key: self.inputs[option.key].text().strip()
                  for option in SAVED_TEXTS}
        values[settings.IDLE_LOCK_MINUTES.key] = str(self.idle_minutes.value())
        return values

    def save(self, *, over_theirs: bool = False) -> None:
        """Save what the officer changed; a setting another PC changed meanwhile is not saved
        over unseen (`store.shared_values`): theirs is shown beside the officer's first."""
        for option in TEXT_OPTIONS:
            if not self.inputs[option.key].text().strip():
                self.dialogs.warn(self, "Settings", f"{option.label} cannot be empty.")
                self.inputs[option.key].setFocus()
                return
        texts: dict[str, settings.Option[str]] = {
            option.key: option for option in SAVED_TEXTS}
        idle = settings.IDLE_LOCK_MINUTES
        options: dict[str, settings.Option[Any]] = {**texts, idle.key: idle}
        mine = changed_by_me(self._opened, self._shown_values())
        try:
            with self.database.transaction() as session:
                hold_shared_values(session)
                now = {key: str(settings.get(session, options[key])) for key in mine}
                conflicts = conflicts_of(
                    {key: option.label for key, option in options.items()}, self._opened, now,
                    mine, {key: settings.stored_row(session, options[key]) for key in mine})
                if conflicts and not over_theirs:
                    raise SharedValueChanged("The settings", conflicts)
                for key, value in mine.items():
                    if key == idle.key:
                        settings.put(session, idle, int(value))
                    else:
                        settings.put(session, texts[key], value)
        except SharedValueChanged as changed:
            self._resolve(changed, options)
            return
        self._opened.update(mine)
        self.saved_label.setText("Settings saved.")
        self.changed.emit()

    def _resolve(self, changed: SharedValueChanged,
                 options: dict[str, settings.Option[Any]]) -> None:
        """Theirs beside mine: keep mine (saved over theirs), take theirs (shown here, the
        officer's other changes kept), or back (nothing decided)."""
        choice = self.dialogs.resolve_conflict(
            self, str(changed), [ConflictRow(c.label, c.mine, c.theirs)
                                 for c in changed.conflicts], deleted=False)
        if choice == KEEP_MINE:
            self.save(over_theirs=True)
        elif choice == TAKE_THEIRS:
            by_label = {option.label: key for key, option in options.items()}
            for conflict in changed.conflicts:
                key = by_label[conflict.label]
                if key == settings.IDLE_LOCK_MINUTES.key:
                    self.idle_minutes.setValue(int(conflict.theirs))
                else:
                    self.inputs[key].setText(conflict.theirs)
                self._opened[key] = conflict.theirs

    def _choose_folder(self, option: settings.Option) -> None:
        current = self.inputs[option.key].text().strip()
        folder = self.dialogs.choose_folder(self, option.label,
                                            Path(current) if current else default_folder(option))
        if folder is not None:
            self.inputs[option.key].setText(str(folder))

    def add_day(self) -> None:
        chosen = self.new_day.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        with self.database.transaction() as session:
            moved = lists.add_non_working_day(session, day, self.new_description.text())
        self.new_description.clear()
        self._after_days_changed(f"{day:%d/%m/%Y} added. {moved_sentence(moved)}")

    def remove_day(self) -> None:
        item = self.days_list.currentItem()
        if item is None:
            self.days_message.setText("Choose a day in the list to remove.")
            return
        day: date = item.data(Qt.ItemDataRole.UserRole)
        with self.database.transaction() as session:
            moved = lists.remove_non_working_day(session, day)
        self._after_days_changed(f"{day:%d/%m/%Y} removed. {moved_sentence(moved)}")

    def _after_days_changed(self, message: str) -> None:
        self.refresh()
        self.days_message.setText(message)
        self.changed.emit()
