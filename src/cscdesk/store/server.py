"""Setting up and upgrading a PostgreSQL server database (team mode), and its roles.

IT runs these once with an owner login (`cscdesk server setup URL`, docs/server.md):

- the schema, made by the same Alembic migrations as a SQLite file;
- three group roles (NOLOGIN) holding the privileges, which IT grants to people's logins
  (`cscdesk server grant LOGIN ROLE`):

  - `cscdesk_officer`: reads everything; adds, changes and deletes records (with their
    search rows, the bin and retention), adds the teams and root causes met while saving,
    writes the audit trail (its events, and anonymising their values);
  - `cscdesk_manager`: reads everything but the audit trail; changes the lists (teams, root
    causes, non-working days, and the due dates those move), settings, narrative texts and
    baseline figures; writes audit events;
  - `cscdesk_auditor`: reads everything, the audit trail included; changes nothing.

- an upgrade (`cscdesk server upgrade URL`) migrates to this version's schema and grants the
  same privileges on whatever the migrations added.

Every step runs in one transaction under an advisory lock (two setups at once wait for each
other): it is done whole or not at all. `sql_for(...)` gives the same SQL as text, for IT
departments that run it themselves (`--print-sql`).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cscdesk.errors import DatabaseError, InputError
from cscdesk.store.location import ServerURL
from cscdesk.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

OFFICER, MANAGER, AUDITOR = "cscdesk_officer", "cscdesk_manager", "cscdesk_auditor"
ROLES = (OFFICER, MANAGER, AUDITOR)
ROLE_OF_NAME = {"officer": OFFICER, "manager": MANAGER, "auditor": AUDITOR,
                **{role: role for role in ROLES}}
# Held for the length of a setup or upgrade transaction ("CSCD" as a number).
ADVISORY_LOCK = 0x43534344

RECORD_TABLES = ("complaint", "initial_feedback", "enquiry", "compliment", "dispute_resolution",
                 "action")
SEARCH_TABLES = tuple(f"{table}_search" for table in RECORD_TABLES)
LIST_TABLES = ("team", "root_cause", "non_working_day")
SETTING_TABLES = ("setting", "narrative_text", "baseline_year", "baseline_team_count",
                  "ombudsman_letter", "letter_template")
DOCUMENT_TABLE = "document"
AUDIT_TABLE = "audit_event"
BIN_TABLE = "bin_entry"
OTHER_TABLES = ("alembic_version",)


def quote(name: str) -> str:
    """A PostgreSQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def _grant(privileges: str, tables: Iterable[str], role: str) -> str:
    return f"GRANT {privileges} ON TABLE {', '.join(tables)} TO {role}"


def role_statements() -> list[str]:
    """The roles (made when missing) and their privileges on the current schema; run again
    after every upgrade, so tables a migration added are granted too."""
    every = (*RECORD_TABLES, *SEARCH_TABLES, *LIST_TABLES, *SETTING_TABLES, AUDIT_TABLE,
             BIN_TABLE, DOCUMENT_TABLE, *OTHER_TABLES)
    not_audit = tuple(table for table in every if table != AUDIT_TABLE)
    statements = [
        "DO $$ BEGIN "
        + " ".join(f"IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{role}') "
                   f"THEN CREATE ROLE {role} NOLOGIN; END IF;" for role in ROLES)
        + " END $$",
        *(f"REVOKE ALL ON TABLE {', '.join(every)} FROM {role}" for role in ROLES),
        f"GRANT USAGE ON SCHEMA {{schema}} TO {', '.join(ROLES)}",
        # everyone reads; the audit trail only the officers (a record's history) and auditors
        _grant("SELECT", every, OFFICER),
        _grant("SELECT", not_audit, MANAGER),
        _grant("SELECT", every, AUDITOR),
        # officers: the records, their search rows (kept by triggers run as the writer), the
        # bin, teams and root causes met while saving, the audit trail's events and values
        _grant("INSERT, UPDATE, DELETE", (*RECORD_TABLES, *SEARCH_TABLES, BIN_TABLE,
                                          DOCUMENT_TABLE), OFFICER),
        _grant("INSERT", ("team", "root_cause"), OFFICER),
        _grant("INSERT", (AUDIT_TABLE,), OFFICER),
        f"GRANT UPDATE (changes) ON TABLE {AUDIT_TABLE} TO {OFFICER}",
        # managers: lists, settings, narratives and baselines; due dates moved by a day off
        _grant("INSERT, UPDATE, DELETE", (*LIST_TABLES, *SETTING_TABLES), MANAGER),
        f"GRANT UPDATE (due, updated_at) ON TABLE complaint TO {MANAGER}",
        _grant("INSERT", (AUDIT_TABLE,), MANAGER),
        # new rows' ids
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {{schema}} TO {OFFICER}, {MANAGER}",
    ]
    return statements


@dataclass(frozen=True)
class Outcome:
    """What a setup or upgrade did: the schema before (None: none) and after."""

    before: str | None
    after: str

    def sentence(self, server: ServerURL) -> str:
        if self.before == self.after:
            return (f"{server} already had schema {self.after}; the roles "
                    f"{', '.join(ROLES)} and their privileges were checked.")
        if self.before is None:
            return (f"Set up {server}: schema {self.after} and the roles {', '.join(ROLES)}. "
                    "Give people's logins a role with “cscdesk server grant LOGIN ROLE”.")
        return f"Upgraded {server} from schema {self.before} to {self.after}; roles re-granted."


def _engine(server: ServerURL) -> Engine:
    from cscdesk.store.engine import make_server_engine

    return make_server_engine(server)


def _schema_of(connection: Connection) -> str:
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    if schema is None:
        raise DatabaseError("The server login has no schema to work in (its search_path "
                            "names none that exists); nothing was changed.")
    return str(schema)


def _apply_roles(connection: Connection, schema: str) -> None:
    for statement in role_statements():
        connection.exec_driver_sql(statement.replace("{schema}", quote(schema)))


def setup(server: ServerURL, *, upgrading: bool = False) -> Outcome:
    """Create the schema and roles on an empty database (`upgrading`: migrate an older schema
    to this version's instead); in one transaction. Raises DatabaseError with a sentence."""
    from sqlalchemy.exc import DBAPIError

    from cscdesk.store.engine import schema_sentence, server_revision, server_sentence
    from cscdesk.store.migrate import known_revisions, upgrade_to_head

    engine = _engine(server)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")
            before = server_revision(connection)
            schema = _schema_of(connection)
            tables = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = %(schema)s",
                {"schema": schema}).scalar()
            if before is None and tables:
                raise DatabaseError(schema_sentence(server, None, True))
            if before is not None and before not in known_revisions():
                raise DatabaseError(schema_sentence(server, before, True))
            if before is not None and before != HEAD_REVISION and not upgrading:
                raise DatabaseError(
                    f"{server} has an older cscdesk schema ({before}): upgrade it with "
                    "“cscdesk server upgrade URL”; nothing was changed.")
            if before is None and upgrading:
                raise DatabaseError(schema_sentence(server, None, False))
            upgrade_to_head(connection)
            _apply_roles(connection, schema)
            connection.commit()
    except DBAPIError as error:
        raise DatabaseError(server_sentence(server, error) + " Nothing was changed.") \
            from error
    finally:
        engine.dispose()
    outcome = Outcome(before, HEAD_REVISION)
    log.info("server database %s: schema %s -> %s, roles granted", server, before,
             HEAD_REVISION)
    return outcome


def upgrade(server: ServerURL) -> Outcome:
    return setup(server, upgrading=True)


def role_name(name: str) -> str:
    try:
        return ROLE_OF_NAME[name.strip().lower()]
    except KeyError:
        raise InputError(f"“{name}” is not a cscdesk role: choose officer, manager or "
                         "auditor.") from None


def grant_sql(login: str, role: str) -> str:
    return f"GRANT {role_name(role)} TO {quote(login)}"


def grant(server: ServerURL, login: str, role: str) -> str:
    """Give the existing `login` one of the roles; returns the role's full name."""
    from sqlalchemy.exc import DBAPIError

    from cscdesk.store.engine import server_sentence

    full = role_name(role)
    engine = _engine(server)
    try:
        with engine.connect() as connection:
            exists = connection.exec_driver_sql(
                "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname IN (%(login)s, %(role)s)",
                {"login": login, "role": full}).scalars().all()
            if full not in exists:
                raise DatabaseError(f"The role {full} does not exist on {server}: set the "
                                    "server up first (“cscdesk server setup URL”).")
            if login not in exists:
                raise DatabaseError(
                    f"There is no login “{login}” on the server: IT creates it first (CREATE "
                    f"ROLE {quote(login)} LOGIN), then grants it a cscdesk role.")
            connection.exec_driver_sql(grant_sql(login, full))
            connection.commit()
    except DBAPIError as error:
        raise DatabaseError(server_sentence(server, error) + " Nothing was changed.") \
            from error
    finally:
        engine.dispose()
    log.info("granted %s to a login on %s", full, server)
    return full


def sql_for(*, upgrading_from: str | None = None) -> str:
    """The SQL of a setup (or an upgrade from `upgrading_from`) as text, for IT to run."""
    from alembic import command

    from cscdesk.store.migrate import alembic_config

    buffer = io.StringIO()
    config = alembic_config(None)
    config.attributes["offline_dialect"] = "postgresql"
    config.attributes["output_buffer"] = buffer
    target = f"{upgrading_from}:head" if upgrading_from is not None else "head"
    command.upgrade(config, target, sql=True)
    roles = "".join(statement.replace("{schema}", "public") + ";\n"
                    for statement in role_statements())
    migrations = buffer.getvalue().rstrip()
    if migrations.endswith("COMMIT;"):  # the roles in the same transaction
        migrations = migrations.removesuffix("COMMIT;")
    header = ("-- cscdesk: the schema (Alembic migrations) and roles, for PostgreSQL 13 or newer."
              "\n-- Run as the database's owner: psql -v ON_ERROR_STOP=1 -f FILE (one "
              "transaction).\n-- The roles are granted on the schema public: change it where "
              "the database uses another.\n")
    return (header + migrations + "\n-- Roles and privileges\n" + roles + "\nCOMMIT;\n")


def upgrade_sql(server: ServerURL) -> str:
    """The SQL that upgrades this server database from its schema (read, not changed)."""
    from sqlalchemy.exc import DBAPIError

    from cscdesk.store.engine import schema_sentence, server_revision, server_sentence
    from cscdesk.store.migrate import known_revisions

    engine = _engine(server)
    try:
        with engine.connect() as connection:
            before = server_revision(connection)
    except DBAPIError as error:
        raise DatabaseError(server_sentence(server, error)) from error
    finally:
        engine.dispose()
    if before is None or before not in known_revisions():
        raise DatabaseError(schema_sentence(server, before, True))
    if before == HEAD_REVISION:
        return f"-- {server} is at schema {before} already: nothing to upgrade.\n"
    return sql_for(upgrading_from=before)


def connection_uses_tls(session: Session) -> bool | None:
    """Whether this session's connection to the server is encrypted (TLS); None when the
    server does not say (pg_stat_ssl is not readable)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        return session.execute(text(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar()
    except DBAPIError:
        session.rollback()
        return None
