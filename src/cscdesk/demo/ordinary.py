"""The demo's years from 2019/20 to the current one: ordinary random casework, cut at today, plus
a handful of open cases dated from today so the dashboard always has work due and overdue."""

from __future__ import annotations

from datetime import date, timedelta

from cscdesk.demo import fiction
from cscdesk.demo.casebook import Casebook
from cscdesk.demo.designed import AREAS
from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Outcome,
)
from cscdesk.domain.years import ReportingYear

FIRST_YEAR = 2019
LAST_MEP_DAY = date(2020, 1, 31)  # the UK left the EU: no MEP enquiries after this day

TEAMS = (*AREAS, "Family Support Team 5")


def add_ordinary_years(book: Casebook, today: date) -> None:
    current = ReportingYear.containing(today).start_year
    for year in range(FIRST_YEAR, current + 1):
        _add_year(book, ReportingYear(year), today)
    _add_live_cases(book, today)


def _add_year(book: Casebook, year: ReportingYear, today: date) -> None:
    rng = book.rng
    last = min(year.end, today)
    share = ((last - year.start).days + 1) / 365

    def count(low: int, high: int) -> int:
        return round(rng.randint(low, high) * share)

    stage1 = [_stage1(book, book.day_between(year.start, last), today)
              for _ in range(count(36, 58))]
    for complaint in stage1:
        if complaint.outcome in (Outcome.NOT_UPHELD, Outcome.PARTIALLY_UPHELD) \
                and rng.random() < 0.14:
            _escalate(book, complaint, today)
    for _ in range(count(45, 85)):
        received = book.day_between(year.start, last)
        resolved = received + timedelta(days=rng.randint(1, 20))
        book.add(InitialFeedbackData(received=received, team=rng.choice(TEAMS),
                                     resolved=resolved if resolved <= today else None,
                                     summary=rng.choice(fiction.FEEDBACK_SUMMARIES)))
    sources = [(EnquirySource.MP, count(8, 16)), (EnquirySource.MEMBER, count(20, 36))]
    if year.start < LAST_MEP_DAY:
        sources.append((EnquirySource.MEP, count(10, 18)))
    for source, number in sources:
        last_day = min(last, LAST_MEP_DAY) if source is EnquirySource.MEP else last
        for _ in range(number):
            _enquiry(book, source, book.day_between(year.start, last_day), today)
    for _ in range(count(18, 40)):
        book.add(ComplimentData(received=book.day_between(year.start, last),
                                team=rng.choice(TEAMS),
                                summary=rng.choice(fiction.COMPLIMENT_SUMMARIES)))
    for _ in range(count(8, 20)):
        raised = book.day_between(year.start, last)
        resolved = raised + timedelta(days=rng.randint(10, 60))
        book.add(DisputeData(raised=raised, team=rng.choice(TEAMS),
                             resolved=resolved if resolved <= today else None,
                             summary=rng.choice(fiction.DISPUTE_SUMMARIES)))


def _stage1(book: Casebook, received: date, today: date) -> ComplaintData:
    complaint = _complaint(book, received, 1, today, team=book.rng.choice(TEAMS))
    if book.rng.random() < 0.07 and complaint.outcome is not Outcome.CANCELLED:
        complaint.adr = True
        complaint.adr_saving = book.saving()
    return complaint


def _complaint(book: Casebook, received: date, stage: int, today: date,
               team: str) -> ComplaintData:
    """A complaint settled as chance has it, with nothing recorded after `today`."""
    rng = book.rng
    extended = rng.random() < (0.15 if stage == 1 else 0.3)
    due = book.calendar.response_due(received, stage, extended)
    draw = rng.random()
    outcome: Outcome | None
    closed: date | None
    if draw < 0.08:
        outcome, responded = Outcome.CANCELLED, None
        closed = received + timedelta(days=rng.randint(3, 40))
    else:
        outcome = (book.upheld_outcome() if draw < 0.5 else Outcome.NOT_UPHELD)
        responded = book.responded(received, due, rng.random() < 0.85)
        closed = responded + timedelta(days=rng.randint(0, 20))
    if responded is not None and responded > today:
        responded = None
    if closed > today:
        closed = outcome = None
    complaint = ComplaintData(
        received=received, stage=stage, team=team, extended=extended, responded=responded,
        closed=closed, outcome=outcome, complainant=fiction.complainant(rng),
        summary=rng.choice(fiction.COMPLAINT_SUMMARIES),
    )
    acknowledged = book.calendar.add_working_days(received, 2)
    complaint.acknowledged = acknowledged if acknowledged <= today else None
    if outcome is not None and outcome.counts_as_upheld:
        complaint.root_cause = rng.choice(sorted(fiction.LEARNING))
        complaint.learning = rng.choice(fiction.LEARNING[complaint.root_cause])
    if closed is not None and rng.random() < (0.03 if stage == 1 else 0.3):
        referred = closed + timedelta(days=rng.randint(20, 120))
        if referred <= today:
            complaint.lgo_referred = referred
            if referred + timedelta(days=90) <= today:
                complaint.lgo_decision = rng.choice(fiction.LGO_DECISIONS)
    book.add(complaint)
    return complaint


def _escalate(book: Casebook, parent: ComplaintData, today: date) -> None:
    """The next stage of a settled complaint, and perhaps the stage after it."""
    assert parent.closed is not None and parent.stage is not None
    received = parent.closed + timedelta(days=book.rng.randint(3, 28))
    if received > today:
        return
    child = _complaint(book, received, parent.stage + 1, today, team=parent.team)
    child.complainant = parent.complainant
    book.escalate(child, parent)
    if child.stage == 2 and child.outcome in (Outcome.NOT_UPHELD, Outcome.PARTIALLY_UPHELD) \
            and book.rng.random() < 0.35:
        _escalate(book, child, today)


def _enquiry(book: Casebook, source: EnquirySource, received: date, today: date) -> None:
    responded = received + timedelta(days=book.rng.randint(2, 18))
    book.add(EnquiryData(received=received, source=source, team=book.rng.choice(TEAMS),
                         enquirer=fiction.enquirer(book.rng, source.value),
                         responded=responded if responded <= today else None,
                         summary=book.rng.choice(fiction.ENQUIRY_SUMMARIES)))


def _add_live_cases(book: Casebook, today: date) -> None:
    """Open complaints as of today: three overdue, three not yet due, one at Stage 2."""
    calendar = book.calendar
    for days_ago in (44, 30, 21):
        received = today - timedelta(days=days_ago)
        while calendar.response_due(received, 1) >= today:
            received -= timedelta(days=1)
        _open_complaint(book, received, 1)
    for days_ago in (1, 4, 8):
        received = today - timedelta(days=days_ago)
        while calendar.response_due(received, 1) < today:
            received += timedelta(days=1)
        _open_complaint(book, received, 1)
    settled = [c for c in book.records if isinstance(c, ComplaintData) and c.stage == 1
               and c.outcome is Outcome.NOT_UPHELD and c.closed is not None
               and c.closed <= today - timedelta(days=12)]
    parent = max(settled, key=lambda c: (c.closed, c.received))
    child = _open_complaint(book, today - timedelta(days=12), 2)
    child.team, child.complainant = parent.team, parent.complainant
    book.escalate(child, parent)
    for days_ago in (2, 6):
        book.add(InitialFeedbackData(received=today - timedelta(days=days_ago),
                                     team=book.rng.choice(TEAMS),
                                     summary=book.rng.choice(fiction.FEEDBACK_SUMMARIES)))
        _enquiry(book, EnquirySource.MEMBER, today - timedelta(days=days_ago), today)


def _open_complaint(book: Casebook, received: date, stage: int) -> ComplaintData:
    return book.add(ComplaintData(
        received=received, stage=stage, team=book.rng.choice(TEAMS),
        complainant=fiction.complainant(book.rng),
        summary=book.rng.choice(fiction.COMPLAINT_SUMMARIES),
    ))
