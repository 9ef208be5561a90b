"""Words the command line and the app share when they speak of a database's contents.

Kept in one place so that `check`, `backup`, `restore` and the app's backup windows say the
same thing the same way.
"""

from __future__ import annotations

_RECORD_LABELS = {
    "complaint": ("complaint", "complaints"),
    "initial_feedback": ("initial feedback", "initial feedback"),
    "enquiry": ("enquiry", "enquiries"),
    "compliment": ("compliment", "compliments"),
    "dispute_resolution": ("dispute resolution", "dispute resolutions"),
}


def describe_counts(counts: dict[str, int]) -> str:
    """"12 complaints, 1 enquiry, ..." for the record tables (every kind, zeros included)."""
    return ", ".join(
        f"{counts.get(table, 0):,} {one if counts.get(table, 0) == 1 else many}"
        for table, (one, many) in _RECORD_LABELS.items()
    )


def human_size(size: int) -> str:
    """A file's size as the officer reads it: "512 bytes", "40 KB", "22.3 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
