"""cscdesk: complaints and representations casework for Children's Social Care."""

from importlib.metadata import PackageNotFoundError, version


def _package_version() -> str:
    """The installed distribution's version: the one source of truth is pyproject.toml."""
    try:
        return version("cscdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


__version__ = _package_version()
