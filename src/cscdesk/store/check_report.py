"""What `cscdesk check` reports: the database (or a backup) proven sound, in sentences.

Puts together the checks of `soundness`, a leftover write-ahead log (`wal`) and the backup list
(`backup_list`: a backup's checksum, plaintext backups of an encrypted database), so that the
command only prints. Nothing here writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cscdesk.errors import DatabaseError
from cscdesk.store import wal
from cscdesk.store.backup_list import (
    MANIFEST_NAME,
    manifest_entry,
    plaintext_backups,
    restore_hint,
    verify_checksum,
)
from cscdesk.store.soundness import DatabaseDamaged, check_database
from cscdesk.store.wording import describe_counts, human_size


@dataclass(frozen=True)
class CheckReport:
    """The lines to print; `problem` (after them) fails the check all the same."""

    lines: list[str]
    problem: str = ""


def check_report(database: Path, file: Path | None = None,
                 passphrase: str | None = None) -> CheckReport:
    """Check `file` (a backup, any cscdesk file) or else `database`; raises DatabaseError with
    the sentence when it is not sound (for the database itself, naming the latest good
    backup)."""
    path = file or database
    entry = manifest_entry(path) if file is not None else None
    try:
        if entry is not None:
            verify_checksum(entry)
        # A -wal no program is using is read from copies: the check never writes it in.
        leftover = wal.inspect(path, passphrase)
        if leftover is not None and leftover.foreign:
            raise DatabaseError(leftover.problem(Path(path)))
        if leftover is not None and leftover.facts is not None:
            facts = leftover.facts
        else:
            facts = check_database(path, passphrase=passphrase)
    except DatabaseDamaged as error:
        hint = restore_hint(database, passphrase) if file is None else ""
        raise type(error)(f"{error}{hint}") from error
    lines = [f"{path} is sound: a cscdesk database at schema {facts.revision}, integrity check "
             f"ok, no broken links; {describe_counts(facts.counts)}."]
    if facts.documents:
        noun = "document" if facts.documents == 1 else "documents"
        lines.append(f"It keeps {facts.documents:,} {noun} ({human_size(facts.document_bytes)}), "
                     "each with the bytes it was added with.")
    if leftover is not None:
        lines.append(leftover.note())
    if entry is not None:
        lines.append(f"It is unchanged since it was made on {entry.created:%d %b %Y %H:%M}: its "
                     "checksum matches the backup list.")
    elif file is not None and not _same_file(file, database):
        lines.append(f"It is not in a backup list ({MANIFEST_NAME} beside it), so cscdesk cannot "
                     "verify that it is as it was made; restoring it needs --unverified.")
    problem = ""
    if file is None:
        plain = plaintext_backups(database, passphrase)
        if plain:
            names = ", ".join(str(path) for path in plain)
            problem = (
                f"{len(plain)} backup(s) of this encrypted database are not encrypted, so "
                f"anyone who can read them can read the records: {names}. Run `cscdesk encrypt` "
                "again with the current passphrase to finish encrypting them."
            )
    return CheckReport(lines, problem)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
