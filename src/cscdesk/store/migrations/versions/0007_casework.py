"""casework: the steps of Stages 2 and 3, the Ombudsman's decision, actions, annual letters

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:30:00

A complaint gains the dates and names of its Stage 2 and Stage 3 steps and the Ombudsman's
decision on it (plain `ADD COLUMN`, so no table is rebuilt and the search triggers of 0003
stay). Actions are a record kind of their own (`action`, with its search table and, on a
server, its change notices), and the Ombudsman's annual letter has a row per reporting year.
"""

from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LGO_OUTCOMES = ("Upheld: maladministration and injustice",
                "Upheld: maladministration, no injustice", "Not upheld",
                "Closed after initial enquiries", "Premature")
ACTION_KINDS = ("Learning / service improvement", "Ombudsman recommendation",
                "Remedy for the complainant")
STEP_DATES = ("statement_agreed", "officer_appointed", "person_appointed", "report_received",
              "panel_held", "panel_report", "lgo_decided", "lgo_compliance_due", "lgo_complied")
ACTION_SEARCHED = ("reference", "case_reference", "what")


def _choice(name: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def upgrade() -> None:
    for column in STEP_DATES:
        op.add_column("complaint", sa.Column(column, sa.Date(), nullable=True))
    for column in ("investigating_officer", "independent_person"):
        op.add_column("complaint", sa.Column(column, sa.String(length=200),
                                             server_default=sa.text("''"), nullable=False))
    op.add_column("complaint", sa.Column("lgo_remedy", sa.Text(),
                                         server_default=sa.text("''"), nullable=False))
    # With its CHECK, in one ADD COLUMN (both engines take it; Alembic's would rebuild a
    # SQLite table, and with it drop the search triggers of 0003).
    allowed = ", ".join(f"'{value}'" for value in LGO_OUTCOMES)
    op.execute("ALTER TABLE complaint ADD COLUMN lgo_outcome VARCHAR(40) "
               f"CONSTRAINT ck_complaint_lgo_outcome CHECK (lgo_outcome IN ({allowed}))")
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("agreed", sa.Date(), nullable=False),
        sa.Column("case_reference", sa.String(length=60), nullable=False),
        sa.Column("action_kind", _choice("action_kind", ACTION_KINDS), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=True),
        sa.Column("paid", sa.Date(), nullable=True),
        sa.Column("legal_hold", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_action_team_id_team"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
        sa.UniqueConstraint("reference", name=op.f("uq_action_reference")),
    )
    for column in ("agreed", "case_reference", "team_id", "due", "done"):
        op.create_index(op.f(f"ix_action_{column}"), "action", [column], unique=False)
    op.create_table(
        "ombudsman_letter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("decided", sa.Integer(), nullable=True),
        sa.Column("upheld_percent", sa.Integer(), nullable=True),
        sa.Column("compliance_percent", sa.Integer(), nullable=True),
        sa.Column("satisfactory_remedy_percent", sa.Integer(), nullable=True),
        sa.Column("similar_upheld_percent", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_ombudsman_letter")),
    )
    search = import_module("cscdesk.store.migrations.versions.0003_search_text")
    search.add_search_table("action", ACTION_SEARCHED)
    if op.get_bind().dialect.name == "postgresql":
        notices = import_module("cscdesk.store.migrations.versions.0005_change_notices")
        for table in ("action", "ombudsman_letter"):
            op.execute(f"""CREATE TRIGGER {notices.trigger_name(table)}
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {notices.FUNCTION}()""")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS action_search")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS action_search_keep() CASCADE")
    op.drop_table("ombudsman_letter")
    op.drop_table("action")
    for column in (*STEP_DATES, "investigating_officer", "independent_person", "lgo_remedy",
                   "lgo_outcome"):
        op.drop_column("complaint", column)
