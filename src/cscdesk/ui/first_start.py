"""The first start on a new database asks for the council's and the service's names, so the
first appendix does not say "The Council".

It asks once: when the council's name was never stored (a demo database and any database
whose settings were saved have one) and the question was not asked before. Saving or skipping
both record that it was asked (`settings.NAMES_ASKED`); the names can be changed in Settings.
`run_app` asks once the window is up; a `MainWindow` built on its own (as in the tests) never
does. The question itself is `council_names.CouncilNamesDialog`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from cscdesk import settings
from cscdesk.ui.council_names import TITLE

if TYPE_CHECKING:
    from cscdesk.store.engine import Database
    from cscdesk.ui.contracts import AppWindow
    from cscdesk.ui.dialog_service import UserDialogs

log = logging.getLogger(__name__)


def names_wanted(database: Database) -> bool:
    """True when this database never had a council name and was never asked for one."""
    with database.session() as session:
        return not (settings.is_stored(session, settings.COUNCIL_NAME)
                    or settings.get(session, settings.NAMES_ASKED))


def ask_names_at_first_start(window: AppWindow | None, database: Database,
                             dialogs: UserDialogs) -> bool:
    """Ask for the names when `names_wanted`; store what was typed (a blank box keeps the
    default) and that the question was asked. True when it was asked."""
    if not names_wanted(database):
        return False
    with database.session() as session:
        service = settings.get(session, settings.SERVICE_NAME)
    answer = dialogs.ask_council_names(window, "", service)
    if answer is None and window is not None and not window.isVisible():
        return False  # the app was closed meanwhile: ask again next time
    try:
        with database.transaction() as session:
            if answer is not None:
                council, service = (name.strip() for name in answer)
                if council:
                    settings.put(session, settings.COUNCIL_NAME, council)
                if service:
                    settings.put(session, settings.SERVICE_NAME, service)
            settings.put(session, settings.NAMES_ASKED, True)
    except SQLAlchemyError as problem:
        log.warning("the council's name could not be stored: %s", problem)
        dialogs.warn(window, TITLE, "The names could not be saved; type them in Settings "
                     f"(Ctrl+0) instead. ({str(problem).splitlines()[0]})")
        return True
    if answer is not None and window is not None:
        window.data_changed.emit()  # a Settings pane already built shows the new names
    return True
