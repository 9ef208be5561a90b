"""The schema revision this version of cscdesk writes.

Kept apart from Alembic so that opening an up-to-date database never imports Alembic (it costs
start-up time); a test checks it equals the head of `migrations/versions/`.
"""

HEAD_REVISION = "0002"
