"""Alembic migration scripts (shipped as package data; see cscdesk.store.migrate)."""
