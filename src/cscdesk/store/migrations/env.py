"""Alembic environment: always run on a connection handed over by cscdesk.store.migrate, or
offline, writing the SQL for a dialect (`cscdesk server setup --print-sql`)."""

from alembic import context

from cscdesk.store.models import Base

connection = context.config.attributes.get("connection")
offline_dialect = context.config.attributes.get("offline_dialect")
if offline_dialect is not None:
    context.configure(
        dialect_name=offline_dialect,
        target_metadata=Base.metadata,
        literal_binds=True,
        as_sql=True,
        transaction_per_migration=False,
        output_buffer=context.config.attributes.get("output_buffer"),
    )
elif connection is None:
    raise RuntimeError("cscdesk migrations run only through cscdesk.store.migrate")
else:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
with context.begin_transaction():
    context.run_migrations()
