"""change notices: a server tells every open app which table changed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 12:15:00

Several officers work on one server database: each app's lists, counts and dashboard must show
another officer's save within seconds, without reading everything again every second. On
PostgreSQL, a statement-level trigger on each table the app shows sends
`pg_notify('cscdesk_changes', TABLE)` after every insert, update, delete or truncate. The
server delivers a notice only when the transaction commits (none for one rolled back), once per
table and transaction (identical notices are folded into one), so a save costs one small
message however many rows it writes. Each app listens on its own connection
(`store.change_feed`) and reloads only what is shown.

The trigger runs as the login that writes, and `pg_notify` needs no privilege, so every role
that may write a table fires it; the function needs no grant (functions are executable by
everyone unless revoked). A SQLite file has one writer, the app itself, which knows what it
changed: nothing is added there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "cscdesk_changes"
FUNCTION = "cscdesk_notify_change"

# The tables whose changes an open app shows (the search tables follow their records, and the
# audit trail is read only in a record's history).
NOTIFYING_TABLES = (
    "complaint", "initial_feedback", "enquiry", "compliment", "dispute_resolution",
    "team", "root_cause", "non_working_day",
    "setting", "narrative_text", "baseline_year", "baseline_team_count",
    "bin_entry",
)


def trigger_name(table: str) -> str:
    return f"{table}_change_notice"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
    RETURN NULL;
END $$""")
    for table in NOTIFYING_TABLES:
        op.execute(f"""CREATE TRIGGER {trigger_name(table)}
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE")  # and its triggers
