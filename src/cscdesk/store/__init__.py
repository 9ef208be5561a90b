"""Persistence: SQLAlchemy models, the engine factory, migrations, queries and backups.

Only `engine.py` and `backup.py` know the database is SQLite; queries stay portable.
"""
