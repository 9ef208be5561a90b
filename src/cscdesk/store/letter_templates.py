"""The council's own Word files for letter templates, kept in table `letter_template`.

A row replaces the default template of its key (shipped in resources/letters); no row means
the default. Checking a file before it is kept is `cscdesk.letters.templates`' job: this
module only reads, replaces and resets. Functions take the caller's session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cscdesk.store.models import LetterTemplate


@dataclass(frozen=True)
class OwnTemplate:
    """The council's file for one template."""

    key: str
    file_name: str
    data: bytes
    changed_at: datetime | None
    changed_by: str


def read(session: Session, key: str) -> OwnTemplate | None:
    """The council's own file for `key`, or None when the default is used."""
    row = session.get(LetterTemplate, key)
    if row is None:
        return None
    return OwnTemplate(row.key, row.file_name, bytes(row.data), row.updated_at,
                       row.changed_by or "")


def replaced_keys(session: Session) -> dict[str, str]:
    """Key -> the council's file name, for every template replaced (bytes not read)."""
    rows = session.execute(select(LetterTemplate.key, LetterTemplate.file_name))
    return {key: file_name for key, file_name in rows}


def replace(session: Session, key: str, file_name: str, data: bytes) -> None:
    """Keep `data` as the council's file for `key` (in place of any earlier one)."""
    row = session.get(LetterTemplate, key)
    if row is None:
        session.add(LetterTemplate(key=key, file_name=file_name, data=data))
    else:
        row.file_name = file_name
        row.data = data
    session.flush()


def reset(session: Session, key: str) -> bool:
    """Go back to the default for `key`; True when a council's file was removed."""
    removed = session.execute(delete(LetterTemplate).where(LetterTemplate.key == key))
    return bool(getattr(removed, "rowcount", 0))
