"""Words the command line and the app share when they speak of a database's contents.

Kept in one place so that `check`, `backup`, `restore` and the app's backup windows say the
same thing the same way.
"""

from __future__ import annotations

from cscdesk.domain.kind_spec import SPECS


def describe_counts(counts: dict[str, int]) -> str:
    """"12 complaints, 1 enquiry, ..." for the record tables (every kind, zeros included), with
    each kind's nouns from its description; `counts` is by table."""
    return ", ".join(
        f"{counts.get(kind_spec.table, 0):,} {kind_spec.noun(counts.get(kind_spec.table, 0))}"
        for kind_spec in SPECS.values()
    )


def human_size(size: int) -> str:
    """A file's size as the officer reads it: "512 bytes", "40 KB", "22.3 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
