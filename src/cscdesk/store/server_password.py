"""A server login's password, when libpq cannot find one itself.

libpq looks first: `.pgpass` / `PGPASSFILE`, a service file, Kerberos or SSPI single sign-on.
Only when the server still asks for a password does the app ask the officer (`ui.server_signin`)
and hand it here. It is kept in this process's memory for the connections it opens (never in a
URL, an argument list or the log) and, when the officer ticks "remember", in the operating
system's credential store through `keyring` (Windows Credential Manager, macOS Keychain, the
Secret Service on Linux desktops). Nothing is written to a file of ours.

A child process that needs it (`pg_dump`, `pg_restore`) gets it in its environment
(`PGPASSWORD`), which other users of the PC cannot read, never on its command line.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cscdesk.store.location import ServerURL

log = logging.getLogger(__name__)

KEYRING_SERVICE = "cscdesk"

_in_memory: dict[str, str] = {}


def _conninfo(server: ServerURL) -> dict[str, str]:
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {key: str(value) for key, value in conninfo_to_dict(server.url).items()
                if value is not None}
    except Exception:  # a URL libpq cannot parse is reported when it connects
        return {}


def login_of(server: ServerURL) -> str:
    """The login libpq will use: the URL's user, else $PGUSER, else the PC's user name."""
    return (_conninfo(server).get("user") or os.environ.get("PGUSER")
            or getpass.getuser())


def credential_name(server: ServerURL) -> str:
    """The key a password is kept under: login, server, port and database."""
    info = _conninfo(server)
    where = info.get("host") or (f"service {info['service']}" if "service" in info
                                 else "localhost")
    return f"{login_of(server)}@{where}:{info.get('port', '5432')}/{server.database}"


def password_for(server: ServerURL) -> str | None:
    """The password given for `server` in this session, if any (libpq's own otherwise)."""
    return _in_memory.get(credential_name(server))


def connection_keywords(server: ServerURL) -> dict[str, Any]:
    """What psycopg.connect takes beside the URL: the session's password, if any."""
    password = password_for(server)
    return {"password": password} if password is not None else {}


def use(server: ServerURL, password: str) -> None:
    """Connect to `server` with `password` from now on, in this process."""
    _in_memory[credential_name(server)] = password


def drop(server: ServerURL) -> None:
    """Stop using the password given for `server` in this session (it was refused)."""
    _in_memory.pop(credential_name(server), None)


def keyring_available() -> bool:
    """True when the PC has a credential store keyring can use."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoKeyring

        return not isinstance(keyring.get_keyring(), NoKeyring)
    except Exception as error:  # a broken backend is no store
        log.info("no credential store: %s", type(error).__name__)
        return False


def remembered(server: ServerURL) -> str | None:
    """The password kept in the credential store for `server`, or None."""
    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, credential_name(server))
    except Exception as error:  # a locked or broken store: ask instead
        log.info("credential store not read: %s", type(error).__name__)
        return None


def remember(server: ServerURL, password: str) -> bool:
    """Keep `password` in the credential store; False (and logged) when it could not be."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, credential_name(server), password)
        return True
    except Exception as error:
        log.warning("password not kept in the credential store: %s", type(error).__name__)
        return False


def forget(server: ServerURL) -> None:
    """Drop the password from this session and the credential store (it was refused)."""
    drop(server)
    if not keyring_available():
        return
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # nothing was kept
            keyring.delete_password(KEYRING_SERVICE, credential_name(server))
    except Exception as error:
        log.info("credential store not changed: %s", type(error).__name__)


def wants_password(error: BaseException) -> bool:
    """True when connecting failed because the server wants a (right) password."""
    cause = getattr(error, "orig", None) or error
    text = str(cause).lower()
    return (getattr(cause, "sqlstate", None) == "28P01"
            or "no password supplied" in text
            or "password authentication failed" in text)


def child_environment(server: ServerURL) -> dict[str, str]:
    """What a libpq child process (pg_dump, pg_restore) needs for the session's password."""
    password = password_for(server)
    return {"PGPASSWORD": password} if password else {}
