"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder.

The server binaries are looked for on PATH, then in Debian's `/usr/lib/postgresql/*/bin` (the
newest version first). PostgreSQL refuses to run as root, so when the tests run as root (CI
does) the cluster's folder is given to an unprivileged account (`nobody`) and `initdb`,
`pg_ctl` and the server run as that account (Python's `subprocess` `user=`/`group=`, no
password needed). The server listens only on a Unix socket inside the folder; local
connections are trusted (nothing but this session can reach the folder's socket as another
user). Everything is stopped and removed by `stop()`.

    server = PostgresServer.start()        # or None from find_binaries() when not installed
    url = server.url("postgres")           # postgresql:///postgres?host=/tmp/...&user=postgres
    server.stop()
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "postgres"
HOW_TO_GET_IT = "apt-get install postgresql postgresql-contrib"
# For a test server only: nothing here needs to survive a crash of the machine.
_FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off",
                  "max_connections=60", "shared_buffers=32MB", "listen_addresses=")


def find_binaries() -> Path | None:
    """The folder holding `initdb`, `pg_ctl` and `postgres`, or None when there is none.

    `CSCDESK_PG_BIN` names the folder to use instead (empty or missing: none, so the server
    half of the tests is skipped).
    """
    chosen = os.environ.get("CSCDESK_PG_BIN")
    if chosen is not None:
        folder = Path(chosen)
        names = ("initdb", "pg_ctl", "postgres")
        return folder if chosen and all((folder / n).is_file() for n in names) else None
    candidates: list[Path] = []
    initdb = shutil.which("initdb")
    if initdb is not None:
        candidates.append(Path(initdb).parent)

    def version(folder: str) -> tuple[int, ...]:
        number = Path(folder).parent.name
        return tuple(int(part) for part in number.split(".") if part.isdigit())

    candidates += [Path(folder) for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                     key=version, reverse=True)]
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _unprivileged_account() -> pwd.struct_passwd | None:
    """When running as root: the account the server runs as (None when not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("nobody", "postgres"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and no unprivileged account (nobody) to run "
                       "PostgreSQL as")


@dataclass
class PostgresServer:
    """A running throwaway cluster (see the module's description)."""

    folder: Path
    bin: Path
    account: pwd.struct_passwd | None = field(default=None, repr=False)
    settings: tuple[str, ...] = ()  # more `-c` settings (TLS, a TCP port) for this server

    @property
    def socket_folder(self) -> Path:
        return self.folder / "socket"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str, user: str = SUPERUSER) -> str:
        """A libpq URL reaching `database` as `user` through the Unix socket."""
        return (f"postgresql:///{quote(database)}?host={quote(str(self.socket_folder))}"
                f"&user={quote(user)}")

    def _run(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        options = {}
        if self.account is not None:
            options = {"user": self.account.pw_uid, "group": self.account.pw_gid,
                       "extra_groups": []}
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        env.pop("PGDATA", None)
        return subprocess.run([str(arg) for arg in args], capture_output=True, text=True,
                              check=check, env=env, cwd=self.folder, timeout=120, **options)

    @classmethod
    def start(cls, binaries: Path | None = None, settings: tuple[str, ...] = (),
              before_start: Callable[[PostgresServer], None] | None = None
              ) -> PostgresServer:
        binaries = binaries or find_binaries()
        if binaries is None:
            raise RuntimeError(f"no PostgreSQL server found ({HOW_TO_GET_IT})")
        account = _unprivileged_account()
        # Not under pytest's own temporary folder: as root that is private to root, and the
        # server's account must reach its folder. A short path, too: a socket's is limited.
        folder = Path(tempfile.mkdtemp(prefix="cscdesk-pg-"))
        server = cls(folder, binaries, account, settings)
        try:
            server.socket_folder.mkdir()
            if account is not None:
                for path in (folder, server.socket_folder):
                    os.chown(path, account.pw_uid, account.pw_gid)
            server._run(binaries / "initdb", "-D", server.data, "-U", SUPERUSER,
                        "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
            if before_start is not None:
                before_start(server)  # files the settings name (a certificate, say)
            server.resume()
        except BaseException as error:
            log = folder / "server.log"
            detail = getattr(error, "stderr", "") or ""
            if log.exists():
                detail += log.read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"the test PostgreSQL server did not start: {error}\n{detail}") \
                from error
        return server

    def resume(self) -> None:
        """Start the server (again, after `pause`): the same settings and socket."""
        options = " ".join(f"-c {setting}" for setting in (*_FAST_SETTINGS, *self.settings))
        options += f" -c unix_socket_directories={self.socket_folder}"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "server.log",
                  "-o", options, "-w", "-t", "60", "start")

    def pause(self) -> None:
        """Stop the server as a restart does: every connection is cut (a fast shutdown; an
        immediate one would lose the last commits, which this server's settings do not
        flush to disk, as a real server's do)."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def require_password(self, login: str) -> None:
        """Make `login` sign in with its password (SCRAM) rather than be trusted, as a real
        server asks; the other logins stay trusted. Waits until the server has reloaded."""
        import time

        hba = self.data / "pg_hba.conf"
        line = f"local all {login} scram-sha-256\n"
        hba.write_text(line + hba.read_text())
        self._run(self.bin / "pg_ctl", "-D", self.data, "reload")
        import psycopg

        for _ in range(100):
            try:
                psycopg.connect(self.url("postgres", login), connect_timeout=2).close()
            except psycopg.OperationalError as error:
                if "password" in str(error):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the server did not start asking {login} for a password")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop",
                      check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
