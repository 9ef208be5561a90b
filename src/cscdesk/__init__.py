"""cscdesk: complaints and representations casework for Children's Social Care."""

import os
import sys


def _package_version() -> str:
    """The installed distribution's version: the one source of truth is pyproject.toml."""
    found = _version_from_dist_info()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cscdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _version_from_dist_info() -> str | None:
    """The Version of the first cscdesk-*.dist-info folder on sys.path, read directly.

    This is where `importlib.metadata.version` finds it (an installed copy, an editable install,
    the bundle's copied metadata), without importing importlib.metadata, which took 25-140 ms
    of every start. Anything less plain (an egg or egg-info, two candidates in one folder, an
    unreadable file) is left to importlib.metadata: None.
    """
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, or a folder that is not there
            continue
        matches = [name for name in names
                   if name.lower().endswith((".dist-info", ".egg-info", ".egg"))
                   and name.lower().rpartition(".")[0].partition("-")[0] == "cscdesk"]
        if not matches:
            continue
        if len(matches) > 1 or not matches[0].lower().endswith(".dist-info"):
            return None
        try:
            with open(os.path.join(entry or ".", matches[0], "METADATA"),
                      encoding="utf-8") as metadata:
                for line in metadata:
                    if not line.strip():
                        break  # the end of the headers
                    key, _colon, value = line.partition(":")
                    if key.strip().lower() == "version" and value.strip():
                        return value.strip()
        except OSError:
            pass
        return None
    return None


__version__ = _package_version()
