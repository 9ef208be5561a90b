"""The demo's documents: letters made from the default templates and the emails that started a
few recent cases, so the demo shows a record's documents as an officer's would look.

Everything is chosen and written from the records and `today` alone, so the same day gives the
same documents, byte for byte: the cases are picked by date and reference, the emails are
built with fixed headers, and each letter's .docx is re-packed with `today` as every part's
time (a .docx is a zip file, whose parts otherwise carry the moment they were written).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cscdesk.documents.emails import read_email
from cscdesk.domain.kinds import Kind
from cscdesk.letters.making import make_letter
from cscdesk.store import documents
from cscdesk.store.models import Complaint, Compliment, Enquiry

DEMO_OFFICER = "Robin Ashdown"


@dataclass(frozen=True)
class Chosen:
    """One letter for one record."""

    kind: Kind
    reference: str
    template: str


def add_documents(session: Session, today: date) -> int:
    """Letters and emails on recent records; returns how many documents were added."""
    added = 0
    for chosen in _letters_to_make(session):
        name, data = make_letter(session, chosen.kind, chosen.reference, chosen.template,
                                 today=today)
        documents.add(session, chosen.kind, chosen.reference, name, _fixed_times(data, today),
                      letter=chosen.template)
        added += 1
    for reference, complainant, received, team, summary in _emailed(session):
        name, data = _complaint_email(reference, complainant, received, team, summary)
        email = read_email(name, data)
        documents.add(session, Kind.COMPLAINT, reference, name, data,
                      email=email.facts if email else None)
        added += 1
    return added


def _newest(session: Session, query: Select) -> str | None:
    return session.scalar(query.order_by(Complaint.received.desc(), Complaint.reference.desc())
                          .limit(1))


def _letters_to_make(session: Session) -> list[Chosen]:
    """The newest case of each situation a default letter is for (skipped when there is
    none)."""
    cases = select(Complaint.reference)
    open_cases = cases.where(Complaint.closed.is_(None))
    wanted = [
        ("acknowledgement_stage1", open_cases.where(Complaint.stage == 1)),
        ("stage1_response", cases.where(Complaint.stage == 1,
                                        Complaint.responded.is_not(None))),
        ("extension_notice", cases.where(Complaint.stage < 3, Complaint.extended)),
        ("acknowledgement_stage2", open_cases.where(Complaint.stage == 2)),
        ("stage3_panel_invitation", cases.where(Complaint.stage == 3)),
    ]
    chosen = [Chosen(Kind.COMPLAINT, reference, template) for template, query in wanted
              if (reference := _newest(session, query)) is not None]
    enquiry = session.scalar(select(Enquiry.reference)
                             .order_by(Enquiry.received.desc(), Enquiry.reference.desc()))
    if enquiry is not None:
        chosen.append(Chosen(Kind.ENQUIRY, enquiry, "enquiry_acknowledgement"))
    compliment = session.scalar(select(Compliment.reference)
                                .order_by(Compliment.received.desc(),
                                          Compliment.reference.desc()))
    if compliment is not None:
        chosen.append(Chosen(Kind.COMPLIMENT, compliment, "compliment_thanks"))
    return chosen


def _emailed(session: Session) -> list[tuple[str, str, date, str, str]]:
    """The two newest open complaints, which arrived by email."""
    from cscdesk.store.models import Team

    rows = session.execute(
        select(Complaint.reference, Complaint.complainant, Complaint.received, Team.name,
               Complaint.summary)
        .join(Team, Team.id == Complaint.team_id, isouter=True)
        .where(Complaint.closed.is_(None))
        .order_by(Complaint.received.desc(), Complaint.reference.desc()).limit(2))
    return [(ref, who or "", received, team or "", summary or "")
            for ref, who, received, team, summary in rows]


def _complaint_email(reference: str, complainant: str, received: date, team: str,
                     summary: str) -> tuple[str, bytes]:
    """The email a complainant sent: a real RFC 5322 message, as a mail program saves it."""
    plain = unicodedata.normalize("NFKD", complainant.lower()).encode("ascii", "ignore")
    address = ".".join(plain.decode().split())
    message = EmailMessage(policy=SMTP)
    message["From"] = f"{complainant} <{address or 'complainant'}@example.org>"
    message["To"] = "Complaints team <complaints@eastmere.example.gov.uk>"
    message["Subject"] = f"Complaint about {team or 'my case'} – please read"
    message["Date"] = format_datetime(datetime.combine(received, time(9, 14), tzinfo=UTC))
    message["Message-ID"] = f"<{reference.lower()}@example.org>"
    message.set_content(
        "Dear Complaints team,\n\n"
        f"I want to make a complaint. {summary.strip() or 'Please call me.'}\n\n"
        "I have tried to sort this out with the social worker, but nothing has changed and "
        "I don’t know who else to ask. Please can someone call me back this week.\n\n"
        f"Yours sincerely,\n{complainant}\n")
    when = received.isoformat()
    return f"Email from {complainant or 'the complainant'} {when}.eml", message.as_bytes()


def _fixed_times(docx: bytes, today: date) -> bytes:
    """The same .docx with every part dated `today` at noon, so the bytes depend on the day
    alone."""
    stamp = (today.year, today.month, today.day, 12, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            copy = zipfile.ZipInfo(item.filename, date_time=stamp)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = item.external_attr
            target.writestr(copy, source.read(item.filename))
    return out.getvalue()
