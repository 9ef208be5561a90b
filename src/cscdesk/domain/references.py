"""The next reference in the officer's own pattern: the last number in the reference, plus one.

"CSC/2026/0123" → "CSC/2026/0124", "C-0099" → "C-0100" (the zero padding kept), "C-9" →
"C-10", "0999/B" → "1000/B". A reference without digits has no pattern to follow.
No Qt, no SQL: the store finds the last reference used and says which ones are taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cscdesk.domain.validation import MAX_REFERENCE_LENGTH

_LAST_NUMBER = re.compile(r"^(.*\D)?(\d+)(\D*)$", re.DOTALL)

# Proposals tried before giving up (each a look-up of a reference that may be taken).
MAX_TRIES = 1000


def increment_reference(reference: str) -> str | None:
    """The reference with its last run of digits one higher, as wide as before or wider
    ("0099" → "0100", "99" → "100"); None when it has no digits."""
    found = _LAST_NUMBER.match(reference.strip())
    if found is None:
        return None
    before, digits, after = found[1] or "", found[2], found[3]
    return f"{before}{int(digits) + 1:0{len(digits)}d}{after}"


def next_reference(last: str | None, taken: Callable[[str], bool]) -> str:
    """The reference after `last` in its pattern that no record has yet (`taken` says which
    are), or "" when there is nothing to follow (no last reference, no digits in it) or no
    free one within `MAX_TRIES` or the length allowed."""
    candidate = increment_reference(last) if last else None
    for _ in range(MAX_TRIES):
        if candidate is None or len(candidate) > MAX_REFERENCE_LENGTH:
            return ""
        if not taken(candidate):
            return candidate
        candidate = increment_reference(candidate)
    return ""
