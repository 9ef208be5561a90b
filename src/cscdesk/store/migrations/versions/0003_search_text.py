"""search text: a narrow copy of each record's searched words, kept by triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 23:45:00

The list search reads every record when a word is rare. Reading the wide record tables for it
cost most of a keystroke's time with 100,000 records; a table per kind holding only the id, the
team and the searched text (reference, complainant or enquirer, summary, joined by the unit
separator, which no typed word contains) is read in a third of that. Triggers keep it equal to
the records on every insert, update and delete, whatever writes them.

A later migration that rebuilds one of the record tables (Alembic's batch mode) drops that
table's triggers with it and must create them again (`create_triggers`).

On PostgreSQL the same tables are kept by one plpgsql trigger function per table, and each
search table's words get a trigram index (`pg_trgm`, in `postgresql-contrib`; a trusted
extension, so the database's owner may create it), which serves `ILIKE '%word%'`: a search
reads the few matching rows rather than every row.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each record table and its searched columns.
SEARCHED = {
    "complaint": ("reference", "complainant", "summary"),
    "initial_feedback": ("reference", "summary"),
    "enquiry": ("reference", "enquirer", "summary"),
    "compliment": ("reference", "summary"),
    "dispute_resolution": ("reference", "summary"),
}
def _on_server() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def words(table: str, row: str, searched: Sequence[str] | None = None) -> str:
    """The searched text of `row` ("NEW", or a table alias), columns joined by char(31)."""
    separator = " || chr(31) || " if _on_server() else " || char(31) || "
    return separator.join(f"coalesce({row}.{column}, '')"
                          for column in searched or SEARCHED[table])


def create_triggers(table: str, searched: Sequence[str] | None = None) -> None:
    """The triggers that keep `table`'s search table equal to it (`searched`: its searched
    columns, for a table added after this migration)."""
    columns = tuple(searched or SEARCHED[table])
    watched = ", ".join(columns)
    if _on_server():
        _create_server_triggers(table, columns)
        return
    op.execute(
        f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {table}_search (id, team_id, words) "
        f"VALUES (NEW.id, NEW.team_id, {words(table, 'NEW', columns)}); END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF id, team_id, {watched} ON {table} "
        f"BEGIN UPDATE {table}_search SET id = NEW.id, team_id = NEW.team_id, "
        f"words = {words(table, 'NEW', columns)} WHERE id = OLD.id; END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {table}_search WHERE id = OLD.id; END"
    )


def _create_server_triggers(table: str, columns: tuple[str, ...]) -> None:
    """PostgreSQL: one trigger function per table, called after each changed row."""
    text = words(table, "NEW", columns)
    op.execute(
        f"CREATE OR REPLACE FUNCTION {table}_search_keep() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'INSERT' THEN INSERT INTO {table}_search (id, team_id, words) "
        f"VALUES (NEW.id, NEW.team_id, {text}); "
        f"ELSIF TG_OP = 'UPDATE' THEN UPDATE {table}_search SET id = NEW.id, "
        f"team_id = NEW.team_id, words = {text} WHERE id = OLD.id; "
        f"ELSE DELETE FROM {table}_search WHERE id = OLD.id; "
        "END IF; RETURN NULL; END $$"
    )
    watched = ", ".join(("id", "team_id", *columns))
    for event, when in (("insert", "INSERT"), ("update", f"UPDATE OF {watched}"),
                        ("delete", "DELETE")):
        op.execute(f"CREATE TRIGGER {table}_search_{event} AFTER {when} ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_search_keep()")


def add_search_table(table: str, searched: Sequence[str] | None = None) -> None:
    """`table`'s search table, filled from its records and kept by triggers from then on; a
    migration adding a record kind calls this with the kind's `list_search_fields`."""
    columns = tuple(searched or SEARCHED[table])
    op.execute(
        f"CREATE TABLE {table}_search (id INTEGER NOT NULL PRIMARY KEY, "
        "team_id INTEGER NOT NULL, words TEXT NOT NULL)"
    )
    op.execute(
        f"INSERT INTO {table}_search (id, team_id, words) "
        f"SELECT r.id, r.team_id, {words(table, 'r', columns)} FROM {table} AS r"
    )
    create_triggers(table, columns)
    if _on_server():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"CREATE INDEX ix_{table}_search_words ON {table}_search "
                   "USING gin (words gin_trgm_ops)")
        # a word may match a team's name instead: with this the two combine in one bitmap
        op.execute(f"CREATE INDEX ix_{table}_search_team_id ON {table}_search (team_id)")


def upgrade() -> None:
    for table in SEARCHED:
        add_search_table(table)


def downgrade() -> None:
    for table in SEARCHED:
        if _on_server():
            op.execute(f"DROP TABLE IF EXISTS {table}_search")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_search_keep() CASCADE")
            continue
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{event}")
        op.execute(f"DROP TABLE IF EXISTS {table}_search")
