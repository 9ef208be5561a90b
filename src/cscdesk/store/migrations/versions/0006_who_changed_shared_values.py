"""who last changed each team, root cause, setting and paragraph of wording

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:55:00

A save that would go over a colleague's change to a shared value is refused and names who and
when (`store.shared_values`); records have their audit trail for that, these values a column.
On a server a trigger writes the login of the session (`session_user`) into it, so no PC can
write another name, as for the audit trail (0004); `store.move_in` switches the triggers off
for its own transaction, so a file moved in keeps its names. A file gets the PC's user name
from the app. Plain `ADD COLUMN`: no table is rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("team", "root_cause", "setting", "narrative_text")
FUNCTION = "cscdesk_changed_by_login"


def trigger_name(table: str) -> str:
    return f"{table}_changed_by_login"


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("changed_by", sa.String(length=200),
                                       server_default=sa.text("''"), nullable=False))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_by := session_user;
    RETURN NEW;
END $$""")
    for table in TABLES:
        op.execute(f"""CREATE TRIGGER {trigger_name(table)} BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE")
    for table in TABLES:
        op.drop_column(table, "changed_by")
