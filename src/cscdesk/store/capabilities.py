"""What the signed-in login may do on a server database, as the server itself will enforce it.

The roles' privileges are granted in the database (`store.server.role_statements`): the server
refuses what a role may not do, whatever a PC sends. The app asks the server the same question
(`has_table_privilege`) once when it opens the database, so it can switch off, with a sentence,
what would only be refused: an auditor's Save, a manager's New record, an officer's Settings.
A database file allows everything (whoever can open the file can change it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from cscdesk.store.server import AUDITOR, MANAGER, OFFICER


@dataclass(frozen=True)
class Capabilities:
    write_records: bool = True  # add, change and delete records (and their bin, hold, anonymise)
    change_lists: bool = True  # rename or retire teams and root causes; non-working days
    change_settings: bool = True  # settings, narrative texts, baseline figures
    read_audit: bool = True  # a record's history and the audit export
    role: str = ""  # "officer", "manager", "auditor", "owner"; "" for a file
    login: str = ""

    def refusal(self, what: str) -> str:
        """Why a control is off: "Your login … (role) may not …"."""
        held = f"the {self.role} role" if self.role else "no cscdesk role"
        return (f"Your login “{self.login}” has {held} on this server database, which may not "
                f"{what}. IT gives another role with “cscdesk server grant LOGIN ROLE”.")


FILE = Capabilities()


def read_capabilities(session: Session) -> Capabilities:
    """Ask a PostgreSQL server what this session's login may do."""
    row = session.execute(text(
        "SELECT has_table_privilege('complaint', 'INSERT, UPDATE, DELETE'),"
        " has_table_privilege('team', 'UPDATE'),"
        " has_table_privilege('setting', 'INSERT, UPDATE'),"
        " has_table_privilege('audit_event', 'SELECT'),"
        " session_user,"
        " (SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles"
        "  WHERE rolname = session_user),"
        f" pg_has_role(session_user, '{OFFICER}', 'MEMBER'),"
        f" pg_has_role(session_user, '{MANAGER}', 'MEMBER'),"
        f" pg_has_role(session_user, '{AUDITOR}', 'MEMBER')")).one()
    write, lists, settings, audit, login, owner, officer, manager, auditor = row
    role = ("owner" if owner else "officer" if officer else "manager" if manager
            else "auditor" if auditor else "")
    session.rollback()
    return Capabilities(bool(write), bool(lists), bool(settings), bool(audit), role, login)
