"""The demo's 2016/17, 2017/18 and 2018/19: cases laid out so that the 2018/19 appendix shows the
example's published figures (see `published` and docs/demo.md).

Every complaint that touches 2017/18 or 2018/19 follows a plan saying in which year it was received,
in which year it closed, whether it was cancelled, and whether its due date lands in the next
year. The plan's counts are the published figures; dates are then drawn at random within them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from cscdesk.demo import fiction, published
from cscdesk.demo.casebook import Casebook
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

Y, Y1, Y2 = published.YEAR, published.PREVIOUS, published.PREVIOUS - 1

# How the published counts split by year of receipt (free choices, see docs/demo.md):
# complaints received in one year and closed in the next.
CARRIED_INTO = {Y1: 6, Y: 4, Y + 1: 7}  # closed in Y1 though received in Y2, and so on
CANCELLED_CARRIED = {Y1: 2, Y: 2}  # cancelled in the year, received the year before
OLDEST_YEAR_COMPLAINTS = 38  # 2016/17's own complaints, all settled within the year
ROOT_CAUSES_OF_NOT_UPHELD = ("Communication", "Decision Making", "Delays", "Staff Conduct")

AREAS = tuple(published.PUBLISHED_UPHELD_BY_AREA)  # the complaint areas of the example


@dataclass
class Plan:
    """What a complaint must be for the published figures; dates come later."""

    received_in: int
    closed_in: int
    cancelled: bool = False
    crosses_year_end: bool = False  # received in late March: due in the next year
    team: str = ""
    upheld: bool = False
    on_time: bool = True
    record: ComplaintData | None = None

    @property
    def added(self) -> ComplaintData:
        """The complaint made from this plan, once `add_designed_years` has added it."""
        assert self.record is not None
        return self.record


def add_designed_years(book: Casebook) -> None:
    plans = _complaint_plans(book)
    _settle_teams_and_outcomes(book, plans)
    _settle_timeliness(book, plans)
    for plan in plans:
        plan.record = book.add(_complaint(book, plan))
    _settle_adr(book, plans)
    _settle_root_causes(book, plans)
    _add_other_kinds(book)


def _complaint_plans(book: Casebook) -> list[Plan]:
    plans: list[Plan] = []
    # Complaints closed in 2017/18 and 2018/19 (not cancelled): carried over + own year.
    for year in (Y1, Y):
        carried = CARRIED_INTO[year]
        own = published.CLOSED[year] - carried
        plans += [Plan(year - 1, year, crosses_year_end=(i == 0)) for i in range(carried)]
        plans += [Plan(year, year) for _ in range(own)]
        cancelled_carried = CANCELLED_CARRIED[year]
        plans += [Plan(year - 1, year, cancelled=True) for _ in range(cancelled_carried)]
        plans += [
            Plan(year, year, cancelled=True)
            for _ in range(published.CANCELLED[year] - cancelled_carried)
        ]
    # 2018/19 complaints still open at the year end.
    plans += [Plan(Y, Y + 1, crosses_year_end=(i == 0)) for i in range(CARRIED_INTO[Y + 1])]
    # 2016/17's own complaints, settled within the year.
    for _ in range(OLDEST_YEAR_COMPLAINTS):
        cancelled = book.rng.random() < 0.06
        plans.append(Plan(Y2, Y2, cancelled=cancelled, on_time=book.rng.random() < 0.8,
                          team=book.rng.choice(AREAS),
                          upheld=not cancelled and book.rng.random() < 0.4))
    for year in (Y1, Y):
        received = sum(1 for p in plans if p.received_in == year)
        assert received == published.STAGE1[year], (year, received)
    return plans


def _settle_teams_and_outcomes(book: Casebook, plans: list[Plan]) -> None:
    """Closed complaints get the teams and upheld counts of the upheld-by-area table."""
    for year in (Y1, Y):
        slots = [
            (team, n < upheld)
            for team, (volume, upheld) in sorted(published.upheld_by_area(year).items())
            for n in range(volume)
        ]
        book.rng.shuffle(slots)
        closed = [p for p in plans if p.closed_in == year and not p.cancelled]
        assert len(closed) == len(slots) == published.CLOSED[year]
        for plan, (team, upheld) in zip(closed, slots, strict=True):
            plan.team, plan.upheld = team, upheld
    for plan in plans:
        if not plan.team:
            plan.team = book.rng.choice(AREAS)
        if plan.closed_in == Y + 1:
            plan.upheld = book.rng.random() < 0.45
    # One cancelled complaint names a team with no closed complaints in either year.
    next(p for p in plans if p.cancelled and p.closed_in == Y).team = "Safeguarding"


def _due_in(plan: Plan) -> int:
    return plan.received_in + 1 if plan.crosses_year_end else plan.received_in


def _settle_timeliness(book: Casebook, plans: list[Plan]) -> None:
    """Exactly ON_TIME of the DUE complaints due in each year are answered on time."""
    for year in (Y1, Y):
        due = [p for p in plans if not p.cancelled and _due_in(p) == year]
        assert len(due) == published.DUE[year], (year, len(due))
        late = set(map(id, book.rng.sample(due, published.DUE[year] - published.ON_TIME[year])))
        for plan in due:
            plan.on_time = id(plan) not in late


def _complaint(book: Casebook, plan: Plan) -> ComplaintData:
    received, extended, due = _received(book, plan)
    year_end = ReportingYear(plan.closed_in).end
    if plan.cancelled:
        responded = None
        closed = _closing_day(book, plan, received + timedelta(days=book.rng.randint(4, 30)))
        outcome = Outcome.CANCELLED
    else:
        responded = book.responded(received, due, plan.on_time)
        closed = _closing_day(book, plan, responded + timedelta(days=book.rng.randint(0, 10)))
        outcome = book.upheld_outcome() if plan.upheld else Outcome.NOT_UPHELD
    assert closed <= year_end and (responded is None or responded <= closed)
    return ComplaintData(
        received=received, stage=1, team=plan.team, extended=extended, responded=responded,
        closed=closed, outcome=outcome, complainant=fiction.complainant(book.rng),
        summary=book.rng.choice(fiction.COMPLAINT_SUMMARIES),
        acknowledged=book.calendar.add_working_days(received, 2),
    )


def _received(book: Casebook, plan: Plan) -> tuple[date, bool, date]:
    """Received date, extended, due date: drawn until the due date lands in the planned year."""
    year = ReportingYear(plan.received_in)
    if plan.crosses_year_end:
        first, last = year.end - timedelta(days=12), year.end - timedelta(days=3)
    elif plan.closed_in > plan.received_in:
        first, last = year.end - timedelta(days=85), year.end - timedelta(days=26)
    else:
        first, last = year.start + timedelta(days=2), year.end - timedelta(days=75)
    for _attempt in range(50):
        received = book.day_between(first, last)
        extended = not plan.crosses_year_end and book.rng.random() < 0.15
        due = book.calendar.response_due(received, 1, extended)
        if ReportingYear.containing(due).start_year == _due_in(plan):
            return received, extended, due
    raise AssertionError(f"no received date fits {plan}")


def _closing_day(book: Casebook, plan: Plan, natural: date) -> date:
    """`natural` moved into the planned closing year when it falls outside it."""
    year = ReportingYear(plan.closed_in)
    if natural < year.start:
        return book.day_between(year.start + timedelta(days=1), year.start + timedelta(days=40))
    return min(natural, year.end - timedelta(days=book.rng.randint(0, 5)))


def _settle_adr(book: Casebook, plans: list[Plan]) -> None:
    """ADR cases of the published counts among each year's complaints (not cancelled)."""
    for year, savings in ((Y1, published.PREVIOUS_ADR_SAVINGS), (Y, (published.ADR_SAVING,))):
        eligible = [p.added for p in plans if p.received_in == year and not p.cancelled]
        assert len(savings) == published.ADR_CASES[year]
        for record, saving in zip(book.rng.sample(eligible, len(savings)), savings, strict=True):
            record.adr, record.adr_saving = True, saving


def _settle_root_causes(book: Casebook, plans: list[Plan]) -> None:
    """Root causes and learning of the upheld complaints, as the published themes."""
    for year in (Y1, Y):
        upheld = [p.added for p in plans if p.closed_in == year and p.upheld]
        book.rng.shuffle(upheld)
        start = 0
        for cause, count, texts in published.ROOT_CAUSES[year]:
            group = sorted(upheld[start:start + count], key=_closed_on)
            start += count
            _spread_closing_days(group, ReportingYear(year).end)
            for index, record in enumerate(group):
                record.root_cause = cause
                record.learning = texts[index * len(texts) // count]
        assert start == len(upheld) == published.UPHELD[year]
    for plan in plans:
        record = plan.added
        if plan.upheld and not record.root_cause:  # closed outside 2017/18 and 2018/19
            record.root_cause = book.rng.choice(sorted(fiction.LEARNING))
            record.learning = book.rng.choice(fiction.LEARNING[record.root_cause])
        elif record.outcome is Outcome.NOT_UPHELD and book.rng.random() < 0.25:
            record.root_cause = book.rng.choice(ROOT_CAUSES_OF_NOT_UPHELD)


def _closed_on(record: ComplaintData) -> date:
    """When an upheld complaint closed: each has the day."""
    assert record.closed is not None
    return record.closed


def _spread_closing_days(group: list[ComplaintData], last: date) -> None:
    """No two complaints of one theme close on the same day, so "oldest first" has one order."""
    for earlier, later in pairwise(group):
        assert earlier.closed is not None and later.closed is not None
        if later.closed <= earlier.closed:
            later.closed = earlier.closed + timedelta(days=1)
            assert later.closed <= last


def _add_other_kinds(book: Casebook) -> None:
    rng = book.rng
    counts = {Y2: 29, Y1: published.INITIAL_FEEDBACK[Y1], Y: published.INITIAL_FEEDBACK[Y]}
    for year, count in counts.items():
        for _ in range(count):
            received = _any_day(book, year)
            book.add(InitialFeedbackData(
                received=received, team=rng.choice(AREAS),
                resolved=received + timedelta(days=rng.randint(1, 20)),
                summary=rng.choice(fiction.FEEDBACK_SUMMARIES),
            ))
    oldest_enquiries = {"MP": {"Fostering": 4, "CFAT": 3, "Adoption": 2, "Finance": 1},
                        "MEP": {"CFAT": 5, "Family Support Team 3": 4, "Through Care 2": 3},
                        "Member": {"Child Protection/LADO": 8, "CFAT": 6, "Fostering": 4}}
    for year, tables in ((Y2, oldest_enquiries), *published.ENQUIRIES.items()):
        for source, by_team in tables.items():
            for team, count in by_team.items():
                for _ in range(count):
                    received = _any_day(book, year)
                    book.add(EnquiryData(
                        received=received, source=EnquirySource(source), team=team,
                        enquirer=fiction.enquirer(rng, source),
                        responded=received + timedelta(days=rng.randint(2, 18)),
                        summary=rng.choice(fiction.ENQUIRY_SUMMARIES),
                    ))
    oldest_compliments = {"Fostering": 6, "Adoption": 4, "CFAT": 3, "Through Care 1": 2, "MASH": 1}
    for year, by_team in ((Y2, oldest_compliments), *published.COMPLIMENTS.items()):
        for team, count in by_team.items():
            for _ in range(count):
                book.add(ComplimentData(received=_any_day(book, year), team=team,
                                        summary=rng.choice(fiction.COMPLIMENT_SUMMARIES)))
    for _ in range(published.DISPUTES[Y]):
        raised = _any_day(book, Y)
        book.add(DisputeData(raised=raised, team=rng.choice(AREAS),
                             resolved=raised + timedelta(days=rng.randint(10, 60)),
                             summary=rng.choice(fiction.DISPUTE_SUMMARIES)))


def _any_day(book: Casebook, year: int) -> date:
    reporting_year = ReportingYear(year)
    return book.day_between(reporting_year.start, reporting_year.end)
