"""The schema revision this version of cscdesk writes, and the marks of a cscdesk file.

Kept apart from Alembic so that opening an up-to-date database never imports Alembic (it costs
start-up time); a test checks it equals the head of `migrations/versions/`.
"""

HEAD_REVISION = "0008"

# "CSCD" in the SQLite header's application id marks a cscdesk database.
APPLICATION_ID = 0x43534344
SQLITE_HEADER = b"SQLite format 3\x00"
