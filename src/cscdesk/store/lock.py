"""One writer per database: an operating-system lock on a file beside the database.

The lock file (`cscdesk.db.lock`) is opened and locked for as long as the database is open for
writing. The lock belongs to the open file, so the operating system drops it when the process
ends in any way (closed, crashed, killed): a lock left by a dead process is never "held", and the
next program simply takes it over. The file's text (process, PC, program, time) only serves to
tell the user who has the database open.

Within one process the lock is shared and counted, so the app may open its own database twice
(for example while restoring) without locking itself out.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cscdesk.errors import DatabaseError

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
# Windows locks are mandatory: lock one byte far past the text so others can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DatabaseInUse(DatabaseError):
    """Another program holds the writer lock; the message says which one."""


@dataclass(frozen=True)
class LockHolder:
    """What the holder wrote into the lock file (any part may be unknown)."""

    pid: int | None
    host: str
    program: str
    since: str


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


def _try_os_lock(fd: int) -> bool:
    """Take the OS lock without waiting; False when another open file holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: Path) -> bool:
    """After locking: is the open file still the one at `path` (not unlinked by its holder)?"""
    if sys.platform == "win32":
        return True  # an open file cannot be deleted on Windows
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def read_holder(path: Path) -> LockHolder | None:
    """The holder described in a lock file, or None when it says nothing readable."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if not fields:
        return None
    pid_text = fields.get("pid", "")
    return LockHolder(
        pid=int(pid_text) if pid_text.isdigit() else None,
        host=fields.get("host", ""),
        program=fields.get("program", ""),
        since=fields.get("since", ""),
    )


def in_use_message(database: Path, holder: LockHolder | None) -> str:
    """The sentence a second program gets instead of "database is locked"."""
    if holder is None:
        return (
            f"{database} is open in another copy of cscdesk. Close it there (or wait for the "
            "command to finish), then try again; nothing was changed."
        )
    where = "on this PC" if holder.host in ("", socket.gethostname()) else f"on {holder.host}"
    what = holder.program or "cscdesk"
    details = f"process {holder.pid}" if holder.pid is not None else "another process"
    if holder.since:
        details += f", since {holder.since}"
    return (
        f"{database} is open in {what} {where} ({details}). Close it there (or wait for the "
        "command to finish), then try again; nothing was changed."
    )


class FileLock:
    """An exclusive OS lock on `path`, held while this object holds the open file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.took_over: LockHolder | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self, program: str) -> bool:
        """Lock without waiting and write who holds it; False when someone else holds it."""
        if self._fd is not None:
            return True
        for _attempt in range(10):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            try:
                if not _try_os_lock(fd):
                    os.close(fd)
                    return False
                if not _same_file(fd, self.path):
                    _os_unlock(fd)
                    os.close(fd)
                    continue  # the previous holder removed the file as we opened it
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            self.took_over = read_holder(self.path)
            self._write_holder(program)
            return True
        return False

    def _write_holder(self, program: str) -> None:
        assert self._fd is not None
        text = (
            f"pid={os.getpid()}\nhost={socket.gethostname()}\nprogram={program}\n"
            f"since={datetime.now().strftime('%d %b %Y %H:%M')}\n"
        )
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, text.encode("utf-8"))

    def release(self) -> None:
        """Remove the file while still holding it (POSIX), then let go of the lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            _os_unlock(fd)
        os.close(fd)
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()  # fails harmlessly when another program has it open


class WriterLock:
    """This process's counted hold on one database's writer lock; `release()` once per hold."""

    _registry: dict[Path, tuple[FileLock, int]] = {}  # noqa: RUF012 - process-wide by design
    _guard = threading.Lock()

    def __init__(self, database: Path, key: Path) -> None:
        self.database = database
        self._key: Path | None = key

    def release(self) -> None:
        key, self._key = self._key, None
        if key is None:
            return
        with WriterLock._guard:
            file_lock, count = WriterLock._registry[key]
            if count > 1:
                WriterLock._registry[key] = (file_lock, count - 1)
                return
            del WriterLock._registry[key]
            file_lock.release()
        log.info("released the writer lock on %s", self.database)


def acquire_writer_lock(database: Path | str, program: str = "cscdesk") -> WriterLock:
    """Become the one writer of `database`, or raise DatabaseInUse naming who has it open."""
    database = Path(database)
    path = lock_path_for(database)
    key = path.resolve()
    with WriterLock._guard:
        if key in WriterLock._registry:
            file_lock, count = WriterLock._registry[key]
            WriterLock._registry[key] = (file_lock, count + 1)
            return WriterLock(database, key)
        file_lock = FileLock(path)
        try:
            acquired = file_lock.try_acquire(program)
        except OSError as error:
            raise DatabaseError(
                f"Cannot lock {database} for writing: the lock file {path} cannot be made "
                f"({error.strerror}). Check that the folder exists and can be written."
            ) from error
        if not acquired:
            raise DatabaseInUse(in_use_message(database, read_holder(path)))
        WriterLock._registry[key] = (file_lock, 1)
    if file_lock.took_over is not None:
        log.warning(
            "took over the lock on %s left by process %s, which is no longer running",
            database, file_lock.took_over.pid,
        )
    log.info("holding the writer lock on %s", database)
    return WriterLock(database, key)
