"""The shared pick lists: teams, root causes and extra non-working days."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.errors import InputError
from cscdesk.store.models import (
    RECORD_MODELS,
    BaselineTeamCount,
    Complaint,
    NonWorkingDay,
    RootCause,
    Team,
)
from cscdesk.store.shared_values import SharedValueChanged, ValueConflict, hold_shared_values

ListModel = type[Team] | type[RootCause]


def find_by_name(session: Session, model: ListModel, name: str) -> Team | RootCause | None:
    """The entry whose name matches, ignoring case and surrounding spaces.

    Compared here, as saving a record compares them (`record_rows.NameIds`), and not with
    SQL's lower(), which folds A-Z only in SQLite (and on a server in the C locale): there
    “équipe” did not find “Équipe”, and the Teams pane added it as a second team. The lists
    are short (tens of names).
    """
    wanted = name.strip().lower()
    entries = session.execute(select(model.id, model.name).order_by(model.id))
    found = next((entry_id for entry_id, known in entries
                  if known.strip().lower() == wanted), None)
    return None if found is None else _entry(session, model, found)


def _entry(session: Session, model: ListModel, entry_id: int) -> Team | RootCause | None:
    return _one_of_the_lists(session.get(model, entry_id))


def _one_of_the_lists(found: object) -> Team | RootCause | None:
    """What SQLAlchemy's types see as their common base, for either list's model."""
    assert found is None or isinstance(found, Team | RootCause)
    return found


def get_or_add(session: Session, model: ListModel, name: str) -> Team | RootCause:
    """The entry with this name, added to the list when not yet known (the workbook rule)."""
    existing = find_by_name(session, model, name)
    if existing is not None:
        return existing
    entry = model(name=name.strip(), retired=False)
    session.add(entry)
    session.flush()
    return entry


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def name_order(name: str) -> str:
    """The sort key of a team's or root cause's name: A-Z in any case, every other character
    by its code point — SQLite's ORDER BY lower(name), made here so that a server in any
    locale (whose lower() and collation know accents and dictionary order) lists names in the
    same order as a file."""
    return name.translate(_ASCII_LOWER)


def active_names(session: Session, model: ListModel) -> list[str]:
    """Names offered in pick lists: not retired, sorted case-insensitively."""
    query = select(model.name, model.id).where(model.retired.is_(False))
    return [name for name, _id in sorted(session.execute(query).all(),
                                         key=lambda row: (name_order(row[0]), row[1]))]


def _noun(model: ListModel) -> str:
    return "team" if model is Team else "root cause"


def _refuse_if_renamed(session: Session, model: ListModel, entry: Team | RootCause,
                       shown: str | None, mine: str) -> None:
    """The entry is no longer called what the pane showed: another PC renamed it."""
    hold_shared_values(session)
    session.refresh(entry)
    if shown is not None and entry.name != shown:
        raise SharedValueChanged(f"The {_noun(model)} “{shown}”", [ValueConflict(
            "Name", shown, entry.name, mine, entry.changed_by, entry.updated_at)])


def rename(session: Session, model: ListModel, entry_id: int, new_name: str,
           shown: str | None = None) -> None:
    """Rename an entry; every record refers to it by id, so the new name shows everywhere.
    With `shown` (the name the pane showed), one renamed elsewhere meanwhile is refused."""
    new_name = new_name.strip()
    if not new_name:
        raise InputError("A name cannot be empty.")
    clash = find_by_name(session, model, new_name)
    if clash is not None and clash.id != entry_id:
        raise InputError(f"“{clash.name}” is already in the list.")
    entry = _entry(session, model, entry_id)
    if entry is None:
        raise InputError("That entry no longer exists.")
    _refuse_if_renamed(session, model, entry, shown, new_name)
    entry.name = new_name


def set_retired(session: Session, model: ListModel, entry_id: int, retired: bool,
                shown: bool | None = None) -> None:
    """Retire (hide from pick lists) or restore an entry; records keep it. With `shown` (as
    the pane showed it), one retired or restored elsewhere meanwhile is left as it is."""
    entry = _entry(session, model, entry_id)
    if entry is None:
        raise InputError("That entry no longer exists.")
    hold_shared_values(session)
    session.refresh(entry)
    if shown is not None and bool(entry.retired) != shown:
        raise SharedValueChanged(f"The {_noun(model)} “{entry.name}”", [ValueConflict(
            "Retired", "yes" if shown else "no", "yes" if entry.retired else "no",
            "yes" if retired else "no", entry.changed_by, entry.updated_at)])
    session.execute(update(model).where(model.id == entry_id).values(retired=retired))


def usage_count(session: Session, model: ListModel, entry_id: int) -> int:
    """How many records (and hand-entered figures) use this entry."""
    if model is RootCause:
        query = select(func.count()).where(Complaint.root_cause_id == entry_id)
        return session.scalar(query) or 0
    total = 0
    for record_model in (*RECORD_MODELS, BaselineTeamCount):
        query = select(func.count()).where(record_model.team_id == entry_id)
        total += session.scalar(query) or 0
    return total


def delete(session: Session, model: ListModel, entry_id: int, shown: str | None = None
           ) -> None:
    """Delete an unused entry; one in use must be retired instead. With `shown` (the name
    the pane showed), one renamed elsewhere meanwhile is not deleted."""
    entry = _entry(session, model, entry_id)
    if entry is None:
        return
    _refuse_if_renamed(session, model, entry, shown, "(deleted)")
    used = usage_count(session, model, entry_id)
    if used:
        raise InputError(
            f"“{entry.name}” is used by {used} record{'s' if used != 1 else ''} and cannot be "
            "deleted; retire it to hide it from the pick lists."
        )
    session.delete(entry)


def working_calendar(session: Session) -> WorkingCalendar:
    """England's bank holidays plus this database's extra non-working days."""
    return WorkingCalendar(session.scalars(select(NonWorkingDay.day)))


def non_working_days(session: Session) -> list[NonWorkingDay]:
    return list(session.scalars(select(NonWorkingDay).order_by(NonWorkingDay.day)))


def add_non_working_day(session: Session, day: date, description: str = "") -> int:
    """Add a day off and recompute due dates; returns how many open complaints moved."""
    if session.scalar(select(NonWorkingDay).where(NonWorkingDay.day == day)) is None:
        session.add(NonWorkingDay(day=day, description=description.strip()))
        session.flush()
    return recompute_due_dates(session)


def remove_non_working_day(session: Session, day: date) -> int:
    """Remove a day off and recompute due dates; returns how many open complaints moved."""
    for entry in session.scalars(select(NonWorkingDay).where(NonWorkingDay.day == day)):
        session.delete(entry)
    session.flush()
    return recompute_due_dates(session)


def recompute_due_dates(session: Session) -> int:
    """Recompute every complaint's stored due date; returns how many open complaints changed."""
    calendar = working_calendar(session)
    moved_open = 0
    rows = session.execute(
        select(Complaint.id, Complaint.received, Complaint.stage, Complaint.extended,
               Complaint.due, Complaint.closed)
    ).all()
    changes = []
    for row in rows:
        due = calendar.response_due(row.received, row.stage, row.extended)
        if due != row.due:
            changes.append({"id": row.id, "due": due})
            if row.closed is None:
                moved_open += 1
    if changes:
        session.execute(update(Complaint), changes)
    return moved_open
