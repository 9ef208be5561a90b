"""Which optional sections of the annual report pack a year's appendix prints.

The example's sections are always printed, in its order, and the casework sections whenever the
year has such data; the sections below are chosen per year, in the appendix dialog or with
`cscdesk report --sections`, and the choice is remembered with the year (a narrative row under
SECTIONS_KEY, so it travels with the year's wording in backups and a move to a server). A year
never chosen prints none of them: the appendix stays the example's until the officer asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.report.query import query_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TRENDS = "trends"
TIMELINESS = "timeliness"
OUTCOMES = "outcomes"
WHO_COMPLAINED = "who_complained"
# In the order they print, with the words the dialog and `--sections` use.
OPTIONAL_SECTIONS: dict[str, str] = {
    TRENDS: "Five-year trends",
    TIMELINESS: "Timeliness by stage",
    OUTCOMES: "Outcomes by stage",
    WHO_COMPLAINED: "Who complained",
}
SECTIONS_KEY = "sections"


def parse_sections(text: str) -> frozenset[str]:
    """`--sections trends,timeliness`, `all` or `none`: the chosen keys, or an InputError
    naming the word that is not a section and listing those that are."""
    words = [word.strip().lower().replace("-", "_") for word in text.split(",")]
    words = [word for word in words if word]
    if words == ["all"]:
        return frozenset(OPTIONAL_SECTIONS)
    if words in ([], ["none"]):
        return frozenset()
    for word in words:
        if word not in OPTIONAL_SECTIONS:
            raise InputError(f"“{word}” is not an optional section of the appendix; choose from "
                             f"{', '.join(OPTIONAL_SECTIONS)}, or all or none.")
    return frozenset(words)


def ordered(keys: Iterable[str]) -> list[str]:
    chosen = set(keys)
    return [key for key in OPTIONAL_SECTIONS if key in chosen]


def _year_number(year: ReportingYear | int) -> int:
    return year.start_year if isinstance(year, ReportingYear) else int(year)


def chosen_sections(source: Any, year: ReportingYear | int) -> frozenset[str]:
    """The optional sections remembered for `year` (none when never chosen; a stored value
    that cannot be read, or names a section this version does not know, is ignored)."""
    rows = query_for(source).rows(
        "SELECT text FROM narrative_text WHERE year = :y AND key = :k",
        {"y": _year_number(year), "k": SECTIONS_KEY})
    if not rows:
        return frozenset()
    try:
        stored = json.loads(str(rows[0][0]))
    except ValueError:
        return frozenset()
    if not isinstance(stored, list):
        return frozenset()
    return frozenset(str(key) for key in stored if key in OPTIONAL_SECTIONS)


def save_sections(session: Session, year: ReportingYear | int, keys: Iterable[str]) -> None:
    """Remember the year's choice (in the caller's transaction)."""
    from cscdesk.report.narrative import put_row

    chosen = ordered(keys)
    unknown = set(keys) - set(OPTIONAL_SECTIONS)
    if unknown:
        raise InputError(f"“{sorted(unknown)[0]}” is not an optional section of the appendix.")
    put_row(session, _year_number(year), SECTIONS_KEY, json.dumps(chosen))
