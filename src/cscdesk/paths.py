"""The one module that knows where cscdesk keeps its files.

Tests and the command line redirect everything with `CSCDESK_HOME` (all files in one folder) or
`CSCDESK_DB` (the database only); nothing else in the code base builds a path from platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "cscdesk"
DATABASE_FILENAME = "cscdesk.db"

_dirs = PlatformDirs(appname=APP_NAME, appauthor=False)


def _home_override() -> Path | None:
    home = os.environ.get("CSCDESK_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    """Folder for the live database (always local, never a network share)."""
    home = _home_override()
    return home / "data" if home else Path(_dirs.user_data_dir)


def log_dir() -> Path:
    """Folder for the rotating log and crash reports."""
    home = _home_override()
    return home / "logs" if home else Path(_dirs.user_log_dir)


def config_dir() -> Path:
    """Folder for per-user window settings (geometry, last pane); case data never goes here."""
    home = _home_override()
    return home / "config" if home else Path(_dirs.user_config_dir)


def default_backup_dir() -> Path:
    """Default folder for backups; the officer may point it at another drive."""
    return data_dir() / "backups"


def default_report_dir() -> Path:
    """Default folder for appendix PDFs: the user's Documents."""
    home = _home_override()
    return home / "Documents" if home else Path(_dirs.user_documents_dir)


def default_database_path() -> Path:
    """`$CSCDESK_DB` if set, else cscdesk.db in the user data folder."""
    env = os.environ.get("CSCDESK_DB")
    return Path(env) if env else data_dir() / DATABASE_FILENAME


def resource_path(relative: str) -> Path:
    """A file shipped in resources/, as a real path (fonts and icons need one)."""
    import cscdesk.resources

    # Where the package is a folder (installed, editable, or the bundle's), the file is in it:
    # found without importing importlib.resources (8 ms of the start, for the window's icon).
    package_file = getattr(cscdesk.resources, "__file__", None)
    if package_file:
        candidate = Path(package_file).parent / relative
        if candidate.is_file():
            return candidate
    from importlib.resources import as_file, files

    resource = files("cscdesk.resources").joinpath(relative)
    with as_file(resource) as path:
        return Path(path)


def migrations_path() -> Path:
    """The Alembic script folder, wherever the package lives (source tree or frozen bundle)."""
    return Path(__file__).resolve().parent / "store" / "migrations"
