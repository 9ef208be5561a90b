"""A write-ahead log (`-wal`) left beside a database: whose is it, and what would it do?

While a program has the database open, its `-wal` holds the newest saves until SQLite copies
them into the file. When no program holds the database (its writer lock is free) a non-empty
`-wal` is left over: by a program that ended without closing the database (a crash, a power
cut) — its saves are real and are written into the file when it is next opened — or by another
file altogether (a backup copied over the database by hand while the old `-wal` stayed beside
it). SQLite cannot tell the two apart: it would write either into the file on the next open,
and a foreign log damages the database.

`inspect(database)` tells them apart without changing anything: it reads the log's header,
then checks copies of the database, alone and with the log, in a temporary folder. `cscdesk
check` uses it; nothing here opens the database itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cscdesk.errors import DatabaseError
from cscdesk.store import cipher
from cscdesk.store.lock import _os_unlock, _try_os_lock, lock_path_for
from cscdesk.store.soundness import DatabaseFacts, check_database
from cscdesk.store.wording import describe_counts

_MAGIC = (0x377F0682, 0x377F0683)  # little- or big-endian checksums
_VERSION = 3007000
_HEADER = 32
_FRAME_HEADER = 24


@dataclass(frozen=True)
class LeftoverLog:
    """A non-empty `-wal` beside a database no program holds open."""

    wal: Path
    frames: int  # pages written by saves not yet copied into the file
    commits: int  # saves (transactions) those pages complete
    foreign: str  # "" when the log belongs to the database; else why it does not
    facts: DatabaseFacts | None  # the database as read with the log (when it belongs)

    def note(self) -> str:
        """The line `check` adds for a log that belongs."""
        return (
            f"{self.wal.name} beside it was left by a program that ended without closing the "
            f"database (a crash or power cut): it holds {self.commits} save(s) not yet written "
            "into the file, which are part of the database (the figures above include them) and "
            "are written in when it is next opened. Do not copy or move the database file "
            "without it until then."
        )

    def problem(self, database: Path) -> str:
        """The sentence `check` fails with for a log that does not belong."""
        shm = Path(f"{database}-shm")
        files = f"{self.wal.name} and {shm.name}" if shm.exists() else self.wal.name
        return (
            f"{self.wal} does not belong to {database}: {self.foreign} No program has the "
            "database open, and the next one to open it would write that log into it and "
            f"damage it. Move {files} out of {database.parent} (keep a copy until the database "
            "is known to be right), then run the check again; nothing was changed."
        )


def writer_lock_held(database: Path) -> bool:
    """Does a program hold `database`'s writer lock? Asked without creating or changing any
    file: the lock file, when there is one, is opened read-only and locked for an instant."""
    path = lock_path_for(database)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: treat the log as in use and say nothing
    try:
        try:
            if not _try_os_lock(fd):
                return True
        except OSError:
            return True
        _os_unlock(fd)
        return False
    finally:
        os.close(fd)


def _header_problem(database: Path, wal: Path) -> tuple[str, int, int]:
    """(why the log cannot be this database's, "" if it may be; frames; commits)."""
    try:
        with wal.open("rb") as handle:
            header = handle.read(_HEADER)
            if len(header) < _HEADER:
                return "it is too short to be a write-ahead log.", 0, 0
            magic, version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(
                ">8I", header)
            if magic not in _MAGIC or version != _VERSION:
                return "it is not an SQLite write-ahead log.", 0, 0
            if (sum1, sum2) != _checksum(header[:24], magic == _MAGIC[1]):
                return "its header is damaged (its checksum is wrong).", 0, 0
            if not cipher.looks_encrypted(database):
                with database.open("rb") as db:
                    db.seek(16)
                    raw = struct.unpack(">H", db.read(2))[0]
                db_page = 65536 if raw == 1 else raw
                if page_size != db_page:
                    return (f"its pages are {page_size:,} bytes, the database's "
                            f"{db_page:,}.", 0, 0)
            frames = commits = 0
            while True:
                frame = handle.read(_FRAME_HEADER)
                if len(frame) < _FRAME_HEADER:
                    break
                _page, commit, s1, s2 = struct.unpack(">4I", frame[:16])
                if (s1, s2) != (salt1, salt2) or len(handle.read(page_size)) < page_size:
                    break
                frames += 1
                commits += commit != 0
    except OSError as error:
        raise DatabaseError(f"Cannot read {wal} ({error.strerror}).") from error
    return "", frames, commits


def _checksum(data: bytes, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum of `data` (a multiple of 8 bytes)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s0 = s1 = 0
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def inspect(database: Path | str, passphrase: str | None = None) -> LeftoverLog | None:
    """A leftover `-wal` beside `database` and whether it belongs; None when there is none
    (no log, an empty one, or one a program holding the database is using).

    Raises DatabaseDamaged when the database is damaged with and without the log (then the
    log is not what is wrong), DatabaseError for anything else that stops the check."""
    database = Path(database)
    wal = Path(f"{database}-wal")
    try:
        if wal.stat().st_size == 0:
            return None
    except OSError:
        return None
    if writer_lock_held(database):
        return None
    why, frames, commits = _header_problem(database, wal)
    if why:
        return LeftoverLog(wal, frames, commits, why, None)
    with tempfile.TemporaryDirectory(prefix="cscdesk-check-") as folder:
        alone = Path(folder) / database.name
        try:
            shutil.copyfile(database, alone)
        except OSError as error:
            raise DatabaseError(
                f"Cannot copy {database} to check it with its write-ahead log "
                f"({error.strerror}); nothing was changed."
            ) from error
        alone_error = _check_copy(alone, database, passphrase)
        shutil.copyfile(wal, Path(f"{alone}-wal"))
        with_log = _check_copy(alone, database, passphrase)
    if isinstance(with_log, DatabaseFacts):
        return LeftoverLog(wal, frames, commits, "", with_log)
    if isinstance(alone_error, DatabaseFacts):
        return LeftoverLog(
            wal, frames, commits,
            f"the database file alone is sound ({describe_counts(alone_error.counts)}), "
            f"but read with that log it is not ({str(with_log).rstrip('.')}).", None)
    raise with_log


def _check_copy(copy: Path, database: Path, passphrase: str | None
                ) -> DatabaseFacts | DatabaseError:
    """The copy's facts, or the error its check raised (naming the real database)."""
    try:
        return check_database(copy, passphrase=passphrase)
    except DatabaseError as error:
        return type(error)(str(error).replace(str(copy), str(database)))
    finally:
        for suffix in ("-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{copy}{suffix}").unlink()
