"""The merge fields a letter template may use, and their values for one record.

Every value is a plain string (empty when the record has nothing to say), so a template never
meets a date object or None; dates are written in words ("Friday 3 May 2024"). The list here
is the one shown in Settings › Letters and documented in docs/letters.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cscdesk import settings
from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import (
    ComplaintData,
    EnquiryData,
    EnquirySource,
    RecordData,
    kind_of,
)

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class Field:
    """One merge field: its name in a template (`{{ name }}`), what it means, an example."""

    name: str
    meaning: str
    example: str


FIELDS: tuple[Field, ...] = (
    Field("reference", "The record's reference", "C-0001"),
    Field("complainant_name", "The complainant's name (for an enquiry, the enquirer's)",
          "Ms Siân O’Brien"),
    Field("enquirer", "An enquiry's enquirer (the MP, MEP or councillor)", "Jo Smith MP"),
    Field("source", "Where an enquiry came from: MP, MEP or councillor", "MP"),
    Field("kind", "What the record is: complaint, enquiry, compliment…", "complaint"),
    Field("received_date", "The date the record was received, in words", "Friday 3 May 2024"),
    Field("due_date", "A complaint's response due date in working days (bank holidays and "
          "extra non-working days left out), in words", "Friday 17 May 2024"),
    Field("extended_due_date", "A complaint's response due date if extended, in words",
          "Friday 31 May 2024"),
    Field("extended", "Whether the complaint's response time was extended: yes or no", "no"),
    Field("stage", "A complaint's stage: 1, 2 or 3", "1"),
    Field("stage_name", "A complaint's stage in words", "Stage 1"),
    Field("escalated_from", "The reference of the earlier stage it escalates from", "C-0001"),
    Field("panel_date", "A Stage 3 complaint's review panel date, in words (empty until "
          "fixed)", "Tuesday 2 July 2024"),
    Field("responded_date", "The date of the response, in words (empty until sent)",
          "Thursday 16 May 2024"),
    Field("team", "The team the record is about", "Fostering"),
    Field("summary", "The record's summary", "Late notice of a contact visit"),
    Field("today", "The date the letter is made, in words", "Monday 6 May 2024"),
    Field("officer_name", "The officer's name (Settings › Letters)", "Alex Morgan"),
    Field("officer_title", "The officer's job title (Settings › Letters)",
          "Complaints Manager"),
    Field("council_name", "The council's name (Settings)", "The Council"),
    Field("service_name", "The service's name (Settings)", "Children's Social Care"),
)
FIELD_NAMES = frozenset(field.name for field in FIELDS)

_SOURCE_WORDS = {EnquirySource.MP: "MP", EnquirySource.MEP: "MEP",
                 EnquirySource.MEMBER: "councillor"}


def date_in_words(day: date | None) -> str:
    """"Friday 3 May 2024" whatever the PC's language (letters are in English)."""
    if day is None:
        return ""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def merge_values(session: Session, record: RecordData, today: date | None = None
                 ) -> dict[str, str]:
    """Every merge field's value for `record`, as plain strings."""
    kind = kind_of(record)
    today = today or date.today()
    values = {field.name: "" for field in FIELDS}
    received = getattr(record, "received", None) or getattr(record, "raised", None)
    values.update(
        reference=record.reference,
        kind=SPECS[kind].singular,
        received_date=date_in_words(received),
        team=getattr(record, "team", "") or "",
        summary=getattr(record, "summary", "") or "",
        today=date_in_words(today),
        officer_name=settings.get(session, settings.OFFICER_NAME),
        officer_title=settings.get(session, settings.OFFICER_TITLE),
        council_name=settings.get(session, settings.COUNCIL_NAME),
        service_name=settings.get(session, settings.SERVICE_NAME),
    )
    if isinstance(record, ComplaintData):
        values.update(_complaint_values(session, record))
    elif isinstance(record, EnquiryData):
        values.update(
            complainant_name=record.enquirer, enquirer=record.enquirer,
            source=_SOURCE_WORDS.get(record.source, "") if record.source else "",
            responded_date=date_in_words(record.responded))
    return {name: str(value) for name, value in values.items()}


def _complaint_values(session: Session, record: ComplaintData) -> dict[str, str]:
    from cscdesk.store.lists import working_calendar  # England's bank holidays load here

    due = extended_due = ""
    if record.received is not None and record.stage is not None:
        calendar = working_calendar(session)
        due = date_in_words(calendar.response_due(record.received, record.stage,
                                                  record.extended))
        extended_due = date_in_words(calendar.response_due(record.received, record.stage,
                                                           True))
    return {
        "complainant_name": record.complainant,
        "due_date": due,
        "extended_due_date": extended_due,
        "extended": "yes" if record.extended else "no",
        "stage": str(record.stage) if record.stage else "",
        "stage_name": f"Stage {record.stage}" if record.stage else "",
        "escalated_from": record.escalated_from,
        "panel_date": date_in_words(record.panel_held),
        "responded_date": date_in_words(record.responded),
    }
