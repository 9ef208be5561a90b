"""Every stored setting declared once, with its type and default.

Settings that describe the service (council name, report wording, retention) live in the
database so they travel with it; window geometry and the last pane are per-user UI state and
live in the UI's own settings file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    label: str

    def parse(self, text: str) -> T:
        kind = type(self.default)
        if kind is bool:
            return text == "1"
        return kind(text)

    def read(self, text: str | None) -> T:
        """The stored text as a value; the default when nothing (or nothing valid) is stored."""
        if text is None:
            return self.default
        try:
            return self.parse(text)
        except ValueError:
            return self.default

    def format(self, value: T) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)


COUNCIL_NAME = Option("council_name", "The Council", "Council name")
SERVICE_NAME = Option("service_name", "Children's Social Care", "Service name")
APPENDIX_NUMBER = Option("appendix_number", "Appendix 1", "Appendix number")
# The letters' sign-off (cscdesk.letters): who signs them, and as what.
OFFICER_NAME = Option("officer_name", "", "Officer's name on letters")
OFFICER_TITLE = Option("officer_title", "Complaints Manager", "Officer's job title on letters")
REPORT_FOLDER = Option("report_folder", "", "Report folder")
BACKUP_FOLDER = Option("backup_folder", "", "Backup folder")
SMALL_NUMBER_SUPPRESSION = Option(
    "small_numbers_as_less_than_5", False, "Print counts below 5 as <5"
)
RETENTION_YEARS = Option("retention_years", 6, "Keep case records this many years after closure")
KEEP_ALL_DAYS = Option("backup_keep_all_days", 2, "Keep every backup from the last N days")
KEEP_DAILY = Option("backup_keep_daily", 14, "Daily backups kept")
KEEP_WEEKLY = Option("backup_keep_weekly", 8, "Weekly backups kept")
KEEP_MONTHLY = Option("backup_keep_monthly", 12, "Monthly backups kept")
IDLE_LOCK_MINUTES = Option("idle_lock_minutes", 10, "Lock after this many idle minutes")
# Set once the first start has asked for the council's and service's names (answered or
# skipped), so that it is never asked again.
NAMES_ASKED = Option("names_asked_at_first_start", False, "Asked for the council's name")


def get(source: Any, option: Option[T]) -> T:
    """The one way to read a stored setting: its value, or its default when nothing (or
    nothing valid) is stored.

    `source` is whatever the caller reads the database with: an ORM Session (the app), a
    report Query (anything with `rows(sql, params)`), or a DB-API connection (the backups,
    which read the file without the ORM because its schema may be older than this version's
    models). The caller handles a database that cannot be read at all.
    """
    return option.read(_stored_text(source, option.key))


def _stored_text(source: Any, key: str) -> str | None:
    if hasattr(source, "rows"):  # a report Query
        rows = source.rows("SELECT value FROM setting WHERE key = :k", {"k": key})
        return None if not rows else rows[0][0]
    if hasattr(source, "scalar"):  # an ORM Session
        from sqlalchemy import select  # imported here: reading the declarations stays cheap

        from cscdesk.store.models import Setting

        return source.scalar(select(Setting.value).where(Setting.key == key))
    row = source.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def is_stored(session: Session, option: Option) -> bool:
    """Whether a value was ever stored for `option` (else `get` gives its default)."""
    return stored_row(session, option) is not None


def stored_row(session: Session, option: Option) -> Any:
    """The setting's stored row (its value, who wrote it and when), or None."""
    from cscdesk.store.models import Setting

    return session.get(Setting, option.key)


def put(session: Session, option: Option[T], value: T) -> None:
    from cscdesk.store.models import Setting

    row = session.get(Setting, option.key)
    if row is None:
        session.add(Setting(key=option.key, value=option.format(value)))
    else:
        row.value = option.format(value)
