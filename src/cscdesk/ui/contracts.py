"""What the main window and its parts promise each other, declared in one place.

- `Pane`: what the window asks of every pane it shows; `RecordsPane`: a kind's list, which
  also filters and searches. Panes meet them by their methods alone (`typing.Protocol`).
- `AppWindow`: the main window as its plug-ins (backups, the idle lock) use it. It is a class,
  not a protocol, because they also need it as a Qt parent; they import this module, never the
  main window, which imports them.

Nothing is added to a window or a pane at run time: what is used here is declared here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

if TYPE_CHECKING:
    from cscdesk.store.engine import Database
    from cscdesk.store.list_terms import Status
    from cscdesk.store.location import ServerURL
    from cscdesk.ui.dialog_service import UserDialogs


class Pane(Protocol):
    """Every pane of the main window."""

    def refresh(self) -> None:
        """Read the data again: called once built, and when shown after the data changed."""


class RecordsPane(Pane, Protocol):
    """The list of one kind of record."""

    def show_status(self, status: Status) -> None:
        """Show only the records with `status` (the dashboard's "open" counts)."""

    def focus_search(self) -> None:
        """Put the keyboard in the search box (Ctrl+F)."""


class AppWindow(QMainWindow):
    """The main window, as plug-ins see it. Signals:
        data_changed(): emitted after any change to the records, lists or settings.
    """

    data_changed = Signal()

    database: Database
    dialogs: UserDialogs
    menu_file: QMenu
    toolbar: QToolBar

    def reopen_database(self, path: Path | ServerURL, passphrase: str | None = None) -> bool:
        """Open another database and show it from scratch (after a restore); False when it
        could not be opened (said in a message)."""
        raise NotImplementedError

    def changing_encryption(self) -> bool:
        """True while the database is being encrypted, decrypted or given a new passphrase."""
        raise NotImplementedError
