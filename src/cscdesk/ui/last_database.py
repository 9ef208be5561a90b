"""The database the app opened last (a file's path or a server's URL), so that the next start
without --db or $CSCDESK_DB opens it again. Kept with the window's state in this PC's config
folder; a server URL never holds a password (`location.ServerURL` refuses one)."""

from __future__ import annotations

import logging
from pathlib import Path

from cscdesk.errors import UserFacingError
from cscdesk.store.location import DatabaseLocation, ServerURL, parse_location
from cscdesk.ui.window_settings import window_settings

log = logging.getLogger(__name__)

KEY = "database/last"
LAST_SERVER_KEY = "database/last_server"


def remembered_location() -> DatabaseLocation | None:
    """The last database opened, or None (nothing kept, or a file that is no longer there:
    opening that path would make a new, empty database)."""
    value = window_settings().value(KEY)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        location = parse_location(value.strip())
    except UserFacingError:
        return None
    if isinstance(location, Path) and not location.is_file():
        log.info("the last database file is gone: %s", location)
        return None
    return location


def last_server() -> str:
    """The URL of the last server database opened (offered when opening one), or ""."""
    value = window_settings().value(LAST_SERVER_KEY)
    return value if isinstance(value, str) else ""


def remember_location(location: DatabaseLocation) -> None:
    settings = window_settings()
    text = str(location) if isinstance(location, ServerURL) else str(Path(location).absolute())
    settings.setValue(KEY, text)
    if isinstance(location, ServerURL):
        settings.setValue(LAST_SERVER_KEY, text)
    settings.sync()
