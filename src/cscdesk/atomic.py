"""Writing a file so that it appears whole or not at all: the one way cscdesk does it.

Every file cscdesk makes (the appendix PDF, workbooks, backups, a new or converted database,
a restored copy) is written under a temporary name beside its target — hidden, naming this
process, `.NAME.p1234-xxxx.tmp`, made 0600 by `mkstemp` so that only the officer can read it
while it is being written — then fsync'd and renamed over the target in one `os.replace`, and
the folder is fsync'd so that the rename survives a power cut. Whatever happens, the temporary
file (and an SQLite file's `-journal`, `-wal` and `-shm`) is removed; what a killed write left
is removed by the next write of the same target (`remove_leftovers`).

`atomic_path(target)` is the usual form (a sentence for the officer on failure: `sentence_for`);
`replacing(target)` lets the caller word failures itself (`WriteFailed` says which step failed),
`replacing_all(targets)` writes files that belong together all or none; `new_temporary` /
`put_in_place` / `discard` serve writes whose rename happens later than the writing (a backup named
once it is verified, a restore swapped in after the app has closed its connections).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from cscdesk.errors import UserFacingError

LEFTOVER_AGE_S = 120
# What SQLite may keep beside a database file being written (removed with the file).
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")
# A temporary name carries its process: `.NAME.p1234-xxxx.tmp` (or `.tmpdir`, or an SQLite
# companion `.tmp-journal`); workbook exports of earlier versions wrote `.STEM.writing-1234.xlsx`.
_PID = re.compile(r"\.p(\d+)-[^.]*\.tmp(?:dir|-journal|-wal|-shm)?$|\.writing-(\d+)\.xlsx$")


class WriteFailed(Exception):
    """A step of an atomic write failed: `step` is "temporary" (the temporary file could not
    be made: a missing or read-only folder), "flush" (its data could not be written out: a
    full disk) or "replace" (the rename over the target failed:
    a file held open by another program on Windows); `error` is the OSError. The target is
    as it was, and nothing is left behind."""

    def __init__(self, step: str, target: Path, error: OSError) -> None:
        super().__init__(f"{step} of {target}: {error}")
        self.step = step
        self.target = target
        self.error = error


def temporary_prefix(target: Path) -> str:
    """The start of a temporary file's name beside `target`: hidden, naming this process."""
    return f".{Path(target).name}.p{os.getpid()}-"


def remove_leftovers(target: Path, *, more_patterns: tuple[str, ...] = (),
                     older_than_s: float = LEFTOVER_AGE_S) -> None:
    """Remove what killed writes of `target` left beside it (`.NAME.*.tmp`, an SQLite
    temporary's companions, and any of `more_patterns`): those of a process no longer running,
    and those that name no process, or this one, once older than `older_than_s` (younger, they
    may belong to a write going on now)."""
    target = Path(target)
    cutoff = time.time() - older_than_s
    name = glob.escape(target.name)
    patterns = (f".{name}.*.tmp", *(f".{name}.*.tmp{s}" for s in SQLITE_COMPANIONS),
                *more_patterns)
    with contextlib.suppress(OSError):
        for pattern in patterns:
            for leftover in target.parent.glob(pattern):
                with contextlib.suppress(OSError):
                    match = _PID.search(leftover.name) if os.name != "nt" else None
                    pid = int(match[1] or match[2]) if match else None
                    if pid is not None and pid != os.getpid():
                        if _running(pid):
                            continue
                    elif leftover.lstat().st_mtime >= cutoff:
                        # naming no process, or this one (another thread may be writing it)
                        continue
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink()


def _running(pid: int) -> bool:
    """Whether process `pid` runs (POSIX only: on Windows os.kill would end it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # running, as another user
    return True


def new_temporary(target: Path, *, more_patterns: tuple[str, ...] = (),
                  older_than_s: float = LEFTOVER_AGE_S) -> Path:
    """An empty temporary file (0600) beside `target`, after removing what killed writes of
    `target` left. The caller renames it with `put_in_place` or removes it with `discard`.
    Raises WriteFailed("temporary") when it cannot be made."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    remove_leftovers(target, more_patterns=more_patterns, older_than_s=older_than_s)
    try:
        handle, name = tempfile.mkstemp(prefix=temporary_prefix(target), suffix=".tmp",
                                        dir=folder)
    except OSError as error:
        raise WriteFailed("temporary", target, error) from error
    os.close(handle)
    return Path(name)


def put_in_place(temporary: Path, target: Path) -> None:
    """Make `temporary` durable, then rename it over `target` and make the rename durable.
    Raises WriteFailed("replace") when the rename fails (the temporary file is kept: the
    caller discards it) and WriteFailed("flush") when the data cannot be written out."""
    try:
        fsync_file(temporary)
    except OSError as error:
        raise WriteFailed("flush", Path(target), error) from error
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise WriteFailed("replace", Path(target), error) from error
    fsync_folder(Path(target).parent)


def discard(temporary: Path) -> None:
    """Remove a temporary file and whatever SQLite kept beside it; gone already is fine."""
    for suffix in ("", *SQLITE_COMPANIONS):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{temporary}{suffix}").unlink()


@contextlib.contextmanager
def replacing(target: Path, *, more_patterns: tuple[str, ...] = (),
              older_than_s: float = LEFTOVER_AGE_S) -> Iterator[Path]:
    """Yield a temporary path beside `target`; put it in place when the block succeeds.

    Failures of the writer's own steps are WriteFailed (the caller words them); whatever the
    block raises passes through. Either way `target` is as it was and nothing is left."""
    temporary = new_temporary(target, more_patterns=more_patterns, older_than_s=older_than_s)
    try:
        yield temporary
        put_in_place(temporary, Path(target))
    finally:
        discard(temporary)


@contextlib.contextmanager
def replacing_all(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary paths for several targets, all put in place once the block succeeds: a
    failure while any of them is written (a full disk at the second file) changes none.

    For outputs that belong together (a subject access request's workbook and PDF). The
    renames themselves come one after another: a failure between two (a file held open) may
    leave the first in place; it is whole, and WriteFailed names the one that failed."""
    temporaries: list[Path] = []
    try:
        for target in targets:
            temporaries.append(new_temporary(target))
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            put_in_place(temporary, Path(target))
    finally:
        for temporary in temporaries:
            discard(temporary)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` when the block succeeds.

    A failure leaves `target` as it was and removes the temporary file. Problems with the folder
    or a locked target (a file open in another program on Windows) become a UserFacingError.
    """
    target = Path(target)
    try:
        with replacing(target) as temporary:
            yield temporary
    except WriteFailed as failed:
        raise sentence_for(failed)  # noqa: B904 -- its cause is set as the sentence needs


def sentence_for(failed: WriteFailed) -> UserFacingError:
    """The sentence `atomic_path` says for a failed step of the write (a missing or read-only
    folder, a target held open by another program, a full disk)."""
    target, error = failed.target, failed.error
    if failed.step == "temporary":
        if isinstance(error, FileNotFoundError):
            return _without_cause(UserFacingError(
                f"Cannot write {target}: the folder {target.parent} does not exist."))
        return _caused_by(UserFacingError(f"Cannot write in {target.parent}: "
                                          f"{error.strerror}."), error)
    if failed.step == "replace" and isinstance(error, PermissionError):
        return _without_cause(UserFacingError(
            f"Cannot replace {target}: it may be open in another program. "
            "Close it and try again."))
    return _caused_by(UserFacingError(f"Cannot write {target}: {error.strerror}."), error)


def _caused_by(sentence: UserFacingError, error: OSError) -> UserFacingError:
    sentence.__cause__ = error  # as `raise sentence from error`
    return sentence


def _without_cause(sentence: UserFacingError) -> UserFacingError:
    sentence.__cause__, sentence.__suppress_context__ = None, True  # as `raise ... from None`
    return sentence


def fsync_file(path: Path) -> None:
    """Write a file's data to the disk (before it is renamed into place or listed)."""
    with Path(path).open("rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open folders and flushes renames itself)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
