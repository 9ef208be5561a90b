"""Logging to a rotating file in the platform's log folder (named in the README).

The log holds no personal data. Messages are written by cscdesk's own code, which logs paths,
counts and the kind of a problem, never a record's text; SQLAlchemy's engines are made with
`hide_parameters=True`, so a failed statement shows its SQL but not its values; and a traceback
is written by `PrivateFormatter`: the code's file, line and function for every frame, but an
exception's own message only when it comes from SQLite, SQLAlchemy or the operating system
(file names left out), the only messages that are known not to repeat a value (a name, a
summary) the program was handling. Everything else is named by its type alone.
"""

from __future__ import annotations

import logging
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from cscdesk import paths

LOG_FILENAME = "cscdesk.log"

# Drivers whose exception messages never hold the values being handled.
_DRIVER_MODULES = ("sqlite3", "sqlcipher3")


def log_file() -> Path:
    return paths.log_dir() / LOG_FILENAME


def safe_message(error: BaseException) -> str:
    """An exception's message if it cannot hold personal data, else only a note of its absence."""
    if isinstance(error, OSError):
        # The file name may be the officer's choice ("Zoe Smith SAR.pdf"): left out.
        if error.errno is not None:
            return f"[Errno {error.errno}] {error.strerror}"
        return "(operating-system error; message not logged)"
    if _trusted(error):
        return str(error)
    return "(message not logged: it may hold personal data)"


def _trusted(error: BaseException) -> bool:
    from cscdesk.errors import DatabaseError

    if isinstance(error, DatabaseError):  # a file's state: names paths, never values
        return True
    module = type(error).__module__ or ""
    if module.startswith(_DRIVER_MODULES):
        return True
    if module.startswith("sqlalchemy"):  # its message repeats the driver's (values hidden)
        orig = getattr(error, "orig", None)
        return orig is None or _trusted(orig)
    return False


def private_traceback(error: BaseException) -> str:
    """A traceback like Python's, the chain of causes included, with only safe messages."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__)
    parts: list[str] = []
    for position, item in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above led to:\n\n")
        if item.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_list(traceback.extract_tb(item.__traceback__)))
        kind = type(item)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {safe_message(item)}\n")
    return "".join(parts).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """Writes tracebacks with `private_traceback`."""

    def formatException(self, ei: object) -> str:
        if not isinstance(ei, tuple):
            return ""
        error = ei[1]
        if not isinstance(error, BaseException):
            return ""
        trace: TracebackType | None = ei[2]
        if error.__traceback__ is None and trace is not None:
            error = error.with_traceback(trace)
        return private_traceback(error)


class QuietRotatingFileHandler(RotatingFileHandler):
    """A log that cannot be written (disk full) is skipped without a traceback on stderr."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send every log record to the rotating file; returns its path, or None if unwritable."""
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return log_file()
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = QuietRotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                           encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
