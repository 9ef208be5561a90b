"""A database as the first release (schema 0001) left it, for upgrade and restore tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from cscdesk.store.engine import make_engine
from cscdesk.store.migrate import alembic_config
from cscdesk.store.revision import APPLICATION_ID

_ROW = ("INSERT INTO complaint (id, reference, received, stage, team_id, extended, due, learning, "
        "adr, escalated_from_id, lgo_decision, complainant, summary, notes, created_at, "
        "updated_at) VALUES ({id}, '{ref}', '{received}', {stage}, 1, 0, '{due}', '', 0, "
        "{escalated}, '', '', '', '', '2024-01-01', '2024-01-01');")


def first_release_database(path: Path, *, with_escalation: bool = False) -> None:
    """Schema 0001 holding complaint C-1 (and, `with_escalation`, C-1/2 escalated from it)."""
    engine = make_engine(path, foreign_keys=False)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.commit()
    engine.dispose()
    rows = [_ROW.format(id=1, ref="C-1", received="2024-05-03", stage=1, due="2024-05-20",
                        escalated="NULL")]
    if with_escalation:
        rows.append(_ROW.format(id=2, ref="C-1/2", received="2024-06-03", stage=2,
                                due="2024-07-08", escalated=1))
    raw = sqlite3.connect(path)
    raw.executescript(
        f"PRAGMA application_id = {APPLICATION_ID};"
        "INSERT INTO team (id, name, retired, created_at, updated_at)"
        " VALUES (1, 'Adoption', 0, '2024-01-01', '2024-01-01');" + "".join(rows)
    )
    raw.commit()
    raw.close()
