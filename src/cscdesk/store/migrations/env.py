"""Alembic environment: always run on a connection handed over by cscdesk.store.migrate."""

from alembic import context

from cscdesk.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("cscdesk migrations run only through cscdesk.store.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
