"""Running the Alembic migrations shipped inside the package (also from a frozen bundle)."""

from __future__ import annotations

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from cscdesk.paths import migrations_path


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built at run time: script_location points inside the package."""
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    return head


def upgrade_to_head(connection: Connection) -> None:
    """Upgrade the database behind `connection` (foreign keys already off) to the head."""
    command.upgrade(alembic_config(connection), "head")
