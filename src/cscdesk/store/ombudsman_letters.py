"""The Ombudsman's annual letter figures of a reporting year, as the officer enters them.

A letter holds up to five figures (complaints decided, upheld %, compliance %, satisfactory
remedy by the council %, the average upheld % of similar councils); one left empty (None) was
not given, and the appendix prints only those given. A year whose figures are all empty has no
letter: saving nothing removes the row.

`load`, `save` and `all_years` take the caller's ORM session and never commit. `Letter` and
`from_row` import nothing heavy, so the appendix (which reads the row with its own SQL, on a
plain connection too) builds the same object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The figures in the letter's order, with the words the appendix and the forms use.
FIGURES: dict[str, str] = {
    "decided": "Complaints decided",
    "upheld_percent": "Complaints upheld",
    "compliance_percent": "Compliance with the Ombudsman's recommendations",
    "satisfactory_remedy_percent": "Satisfactory remedy provided by the council",
    "similar_upheld_percent": "Average upheld for similar councils",
}
PERCENT_FIGURES = ("upheld_percent", "compliance_percent", "satisfactory_remedy_percent",
                   "similar_upheld_percent")


@dataclass(frozen=True)
class Letter:
    """One year's letter figures; `year` is the reporting year's first calendar year."""

    year: int
    decided: int | None = None
    upheld_percent: int | None = None
    compliance_percent: int | None = None
    satisfactory_remedy_percent: int | None = None
    similar_upheld_percent: int | None = None

    def given(self) -> list[tuple[str, int]]:
        """(figure key, value) of the figures entered, in the letter's order."""
        return [(key, value) for key in FIGURES
                if (value := getattr(self, key)) is not None]

    @property
    def label(self) -> str:
        return ReportingYear(self.year).label


def _year_number(year: ReportingYear | int) -> int:
    return year.start_year if isinstance(year, ReportingYear) else int(year)


def from_row(year: ReportingYear | int, row: Sequence[Any]) -> Letter | None:
    """The letter of a stored row (its figures in FIGURES order), or None when none is given."""
    values = {key: None if value is None else int(value)
              for key, value in zip(FIGURES, row, strict=True)}
    if all(value is None for value in values.values()):
        return None
    return Letter(_year_number(year), **values)


def problems(year: ReportingYear | int, values: Mapping[str, Any]) -> list[str]:
    """Every problem with the figures to save, as sentences; empty when they may be saved."""
    label = ReportingYear(_year_number(year)).label
    found = []
    for key in values:
        if key not in FIGURES:
            found.append(f"{label}: “{key}” is not a figure of the Ombudsman's annual letter.")
    for key, words in FIGURES.items():
        value = values.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            found.append(f"{label}: {words} must be a whole number, 0 or more.")
        elif key in PERCENT_FIGURES and value > 100:
            found.append(f"{label}: {words} must be a percentage from 0 to 100.")
    return found


def load(session: Session, year: ReportingYear | int) -> Letter | None:
    """The letter figures entered for `year`, or None when none were."""
    from cscdesk.store.models import OmbudsmanLetter

    row = session.get(OmbudsmanLetter, _year_number(year))
    if row is None:
        return None
    return from_row(year, [getattr(row, key) for key in FIGURES])


def save(session: Session, year: ReportingYear | int,
         values: Letter | Mapping[str, int | None]) -> Letter | None:
    """Store `year`'s letter figures, replacing those entered before (a figure not given is
    emptied); all empty removes the year's letter. Returns what is stored.

    Raises InputError naming every problem; nothing is written then.
    """
    from cscdesk.store.models import OmbudsmanLetter

    number = _year_number(year)
    given = ({key: getattr(values, key) for key in FIGURES} if isinstance(values, Letter)
             else dict(values))
    found = problems(number, given)
    if found:
        raise InputError(" ".join(found))
    letter = from_row(number, [given.get(key) for key in FIGURES])
    row = session.get(OmbudsmanLetter, number)
    if letter is None:
        if row is not None:
            session.delete(row)
    else:
        if row is None:
            row = OmbudsmanLetter(year=number)
            session.add(row)
        for key in FIGURES:
            setattr(row, key, getattr(letter, key))
    session.flush()
    return letter


def all_years(session: Session) -> list[int]:
    """The years that have letter figures, oldest first."""
    from sqlalchemy import select

    from cscdesk.store.models import OmbudsmanLetter

    return list(session.scalars(select(OmbudsmanLetter.year).order_by(OmbudsmanLetter.year)))
