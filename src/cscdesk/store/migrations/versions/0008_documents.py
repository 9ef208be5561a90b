"""documents: files kept with a record, inside the database

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:05:00

Letters made from templates, emails, PDFs and photos are kept in the `document` table beside
the record they belong to (named by kind and reference), so backups, encryption at rest,
retention, anonymising, the bin and subject access cover them as they cover the records. On a
server the trigger of 0006 writes who added each one, and the change notices of 0005 tell
other apps.
"""

from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_reference", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("email_from", sa.String(length=400), server_default=sa.text("''"),
                  nullable=False),
        sa.Column("email_date", sa.DateTime(), nullable=True),
        sa.Column("email_subject", sa.String(length=400), server_default=sa.text("''"),
                  nullable=False),
        sa.Column("letter", sa.String(length=100), server_default=sa.text("''"),
                  nullable=False),
        sa.Column("binned_at", sa.DateTime(), nullable=True),
        sa.Column("changed_by", sa.String(length=200), server_default=sa.text("''"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    op.create_index("ix_document_record", "document", ["record_kind", "record_reference"])
    op.create_table(
        "letter_template",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), server_default=sa.text("''"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_letter_template")),
    )
    op.create_index(op.f("ix_document_binned_at"), "document", ["binned_at"])
    if op.get_bind().dialect.name == "postgresql":
        login = import_module("cscdesk.store.migrations.versions.0006_who_changed_shared_values")
        notices = import_module("cscdesk.store.migrations.versions.0005_change_notices")
        for table in ("document", "letter_template"):
            op.execute(f"""CREATE TRIGGER {login.trigger_name(table)}
    BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {login.FUNCTION}()""")
            op.execute(f"""CREATE TRIGGER {notices.trigger_name(table)}
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {notices.FUNCTION}()""")


def downgrade() -> None:
    op.drop_table("letter_template")
    op.drop_table("document")
