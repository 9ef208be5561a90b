"""The appendix's explanatory paragraphs and root-cause themes, editable per year.

Defaults ship in `resources/text/<key>.txt` (the example appendix's wording); the officer's edit
for a year is a NarrativeText row (year, key, text). Paragraphs are separated by a blank line.
The root-cause themes of a year are proposed from the records (see `figures.propose_themes`);
an edited version is stored as JSON under the key THEMES_KEY for that year.

For the app::

    texts_for(session, year) -> dict[key, NarrativeItem(label, default, current)]
    save_texts(session, year, {key: text})   # text equal to the default removes the edit
    reset(session, year, key)                # back to the default (also THEMES_KEY)
    themes_for(session, year) -> ThemesItem(proposed, current)
    save_themes(session, year, [Theme(name, None, (learning, ...)), ...])

`year` is a ReportingYear (or its start year). Writers take the caller's session and never
commit; readers also accept a sqlite3 connection.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError
from cscdesk.paths import resource_path
from cscdesk.report.figures import RootCauseThemes, Theme, propose_themes
from cscdesk.report.query import query_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Every editable paragraph, in the order of the appendix, with the label the app shows.
TEXT_LABELS: dict[str, str] = {
    "complaints_intro": "Complaints: introduction",
    "closed_footnote": "Complaints table: footnote",
    "root_cause_intro": "Root causes: introduction",
    "breakdown_intro": "Breakdown of complaints received",
    "upheld_intro": "Upheld complaints: introduction",
    "adr": "Alternative Dispute Resolution: explanation",
    "dispute_resolution": "Dispute resolution: explanation",
    "initial_feedback": "Initial feedback: explanation",
    "enquiries_intro": "Enquiries: introduction",
}
THEMES_KEY = "root_causes"
MAX_THEMES = 3


@dataclass(frozen=True)
class NarrativeItem:
    label: str
    default: str
    current: str

    @property
    def edited(self) -> bool:
        return self.current != self.default


@dataclass(frozen=True)
class ThemesItem:
    proposed: RootCauseThemes
    current: RootCauseThemes


def _year_number(year: ReportingYear | int) -> int:
    return year.start_year if isinstance(year, ReportingYear) else int(year)


@cache
def default_text(key: str) -> str:
    """The shipped wording of one paragraph."""
    if key not in TEXT_LABELS:
        raise KeyError(key)
    return resource_path(f"text/{key}.txt").read_text(encoding="utf-8").strip()


def paragraphs(text: str) -> list[str]:
    """A text split at blank lines, each paragraph trimmed; empty ones dropped."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def _stored(source: Any, year: ReportingYear | int) -> dict[str, str]:
    rows = query_for(source).rows(
        "SELECT key, text FROM narrative_text WHERE year = :y", {"y": _year_number(year)}
    )
    return {str(key): str(text) for key, text in rows}


def texts_for(source: Any, year: ReportingYear | int) -> dict[str, NarrativeItem]:
    """Every editable paragraph for a year: its label, the default and the text to print."""
    stored = _stored(source, year)
    return {
        key: NarrativeItem(label, default_text(key), stored.get(key, default_text(key)))
        for key, label in TEXT_LABELS.items()
    }


def put_row(session: Session, year: int, key: str, text: str | None) -> None:
    """Replace (or with None remove) one stored row of a year: wording, themes or sections."""
    from sqlalchemy import delete

    from cscdesk.store.models import NarrativeText

    session.execute(delete(NarrativeText).where(NarrativeText.year == year,
                                                NarrativeText.key == key))
    if text is not None:
        session.add(NarrativeText(year=year, key=key, text=text))
    session.flush()


def written(session: Session, year: ReportingYear | int) -> dict[str, Any]:
    """The year's stored wording rows by key (who wrote each, and when: `shared_values`)."""
    from sqlalchemy import select

    from cscdesk.store.models import NarrativeText

    rows = session.scalars(select(NarrativeText).where(
        NarrativeText.year == _year_number(year))).all()
    return {row.key: row for row in rows}


def save_texts(session: Session, year: ReportingYear | int, texts: Mapping[str, str]) -> None:
    """Store the officer's wording; a text equal to the default removes the edit."""
    unknown = [key for key in texts if key not in TEXT_LABELS]
    if unknown:
        raise InputError(f"“{unknown[0]}” is not a paragraph of the appendix.")
    number = _year_number(year)
    for key, text in texts.items():
        cleaned = text.replace("\r\n", "\n").strip()
        put_row(session, number, key, None if cleaned == default_text(key) else cleaned)


def reset(session: Session, year: ReportingYear | int, key: str) -> None:
    """Forget the officer's edit of one paragraph (or of the themes) for a year."""
    if key not in TEXT_LABELS and key != THEMES_KEY:
        raise InputError(f"“{key}” is not a paragraph of the appendix.")
    put_row(session, _year_number(year), key, None)


def _decode_themes(label: str, text: str) -> RootCauseThemes | None:
    try:
        data = json.loads(text)
        themes = tuple(
            Theme(str(item["name"]), None, tuple(str(line) for line in item["learning"]))
            for item in data
        )
    except (ValueError, TypeError, KeyError):
        return None  # an unreadable edit falls back to the proposal
    return RootCauseThemes(label, themes, edited=True)


def edited_themes(source: Any, year: ReportingYear | int) -> RootCauseThemes | None:
    """The officer's version of a year's themes, or None when not edited."""
    text = _stored(source, year).get(THEMES_KEY)
    if text is None:
        return None
    number = _year_number(year)
    return _decode_themes(ReportingYear(number).label, text)


def themes_for(source: Any, year: ReportingYear | int) -> ThemesItem:
    """The proposed themes of a year and the version that will be printed."""
    reporting_year = year if isinstance(year, ReportingYear) else ReportingYear(int(year))
    proposed = propose_themes(source, reporting_year)
    return ThemesItem(proposed, edited_themes(source, reporting_year) or proposed)


def save_themes(session: Session, year: ReportingYear | int, themes: Sequence[Theme]) -> None:
    """Store the officer's themes (at most three, each a name and its learning lines)."""
    cleaned = []
    for theme in themes:
        name = theme.name.strip()
        learning = [line.strip() for line in theme.learning if line.strip()]
        if not name and not learning:
            continue
        if not name:
            raise InputError("Each root cause theme needs a name.")
        cleaned.append({"name": name, "learning": learning})
    if len(cleaned) > MAX_THEMES:
        raise InputError(f"The appendix shows at most {MAX_THEMES} root cause themes.")
    put_row(session, _year_number(year), THEMES_KEY, json.dumps(cleaned, ensure_ascii=False))
