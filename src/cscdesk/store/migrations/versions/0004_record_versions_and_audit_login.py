"""record versions, and the server login on every audit event

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 12:10:00

Every case record gets a `version`, 1 when made and one more at every change of its values: a
form remembers the version it showed, and a save or delete that finds another version is
refused (`store.records.RecordChangedElsewhere`) instead of overwriting a colleague's change.

On a server, each audit event's `user` (and each bin entry's `deleted_by`) is set by the server
itself to the login of the session that writes it (`session_user`), in a trigger, so no PC can
write another name. Moving a file in (`store.move_in`, run by the database's owner) switches
those triggers off for its own transaction, so the file's history keeps the names it had.
SQLite files keep the PC's user name, as before.

Plain `ADD COLUMN` (no batch rebuild), so the search triggers of 0003 stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_TABLES = ("complaint", "initial_feedback", "enquiry", "compliment", "dispute_resolution")

# The server's triggers that write the login: (table, column, trigger). store.move_in switches
# them off for its own transaction.
LOGIN_TRIGGERS = (("audit_event", "user", "audit_event_login"),
                  ("bin_entry", "deleted_by", "bin_entry_login"))


def _login_trigger(table: str, column: str, trigger: str) -> tuple[str, str]:
    return (
        f"""CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."{column}" := session_user;
    RETURN NEW;
END $$""",
        f"""CREATE TRIGGER {trigger} BEFORE INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION {trigger}()""",
    )


def upgrade() -> None:
    for table in RECORD_TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default=sa.text("1"),
                                       nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        for table, column, trigger in LOGIN_TRIGGERS:
            for statement in _login_trigger(table, column, trigger):
                op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for _table, _column, trigger in LOGIN_TRIGGERS:
            op.execute(f"DROP FUNCTION IF EXISTS {trigger}() CASCADE")
    for table in RECORD_TABLES:
        op.drop_column(table, "version")  # SQLite 3.35+: no rebuild, the triggers stay
