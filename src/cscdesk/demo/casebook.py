"""The demo's records before they are stored: invented with a seeded random generator, then
numbered, so the same day always gives the same database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from cscdesk.domain.kind_spec import placing_date
from cscdesk.domain.kinds import (
    ComplainantType,
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    InitialFeedbackData,
    Outcome,
    RecordData,
)
from cscdesk.domain.workdays import WorkingCalendar
from cscdesk.domain.years import ReportingYear

SEED = 20181904
# Who complains, roughly as a council's annual reports show it: mostly parents and carers.
COMPLAINANT_WEIGHTS = {
    ComplainantType.PARENT: 52, ComplainantType.CHILD: 12, ComplainantType.CARE_LEAVER: 5,
    ComplainantType.FOSTER_CARER: 7, ComplainantType.SPECIAL_GUARDIAN: 4,
    ComplainantType.ADOPTER: 3, ComplainantType.ADVOCATE: 10, ComplainantType.OTHER: 7,
}
R = TypeVar("R", bound=RecordData)

# Reference prefixes by record class.
PREFIXES: dict[type, str] = {
    ComplaintData: "C",
    InitialFeedbackData: "IF",
    EnquiryData: "EN",
    ComplimentData: "CO",
    DisputeData: "DR",
}


def placed_on(record: RecordData) -> date:
    """The date that places an invented record in its year: every one has it."""
    placed = placing_date(record)
    assert placed is not None
    return placed


@dataclass
class Casebook:
    """Records of every kind, with the escalation links between complaints kept by identity
    until references are given out."""

    calendar: WorkingCalendar
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    records: list[RecordData] = field(default_factory=list)
    escalated_from: dict[int, ComplaintData] = field(default_factory=dict)

    def add(self, record: R) -> R:
        self.records.append(record)
        return record

    def escalate(self, child: ComplaintData, parent: ComplaintData) -> None:
        self.escalated_from[id(child)] = parent

    # --- dates -------------------------------------------------------------------------------
    def day_between(self, first: date, last: date) -> date:
        """A random day from `first` to `last`, both included, preferring working days."""
        span = (last - first).days
        if span < 0:
            raise ValueError(f"empty date range {first}..{last}")
        for _attempt in range(8):
            day = first + timedelta(days=self.rng.randint(0, span))
            if self.calendar.is_working_day(day):
                return day
        return day

    def responded(self, received: date, due: date, on_time: bool) -> date:
        """A response date on or before `due` when on time, after it otherwise."""
        if on_time:
            allowed = self.calendar.working_days_between(received, due)
            return self.calendar.add_working_days(received, self.rng.randint(min(3, allowed),
                                                                             allowed))
        return self.calendar.add_working_days(due, self.rng.randint(1, 12))

    # --- choices -------------------------------------------------------------------------------
    def upheld_outcome(self) -> Outcome:
        return Outcome.UPHELD if self.rng.random() < 0.6 else Outcome.PARTIALLY_UPHELD

    def saving(self) -> Decimal | None:
        return self.rng.choice((Decimal("1200"), Decimal("1500"), Decimal("1800"),
                                Decimal("2400"), None))

    # --- numbering -------------------------------------------------------------------------------
    def finished(self) -> list[RecordData]:
        """Every record with its reference (`C-1819-007`: kind, reporting year, number in date
        order), in an order the store accepts: earlier stages before the complaints escalated
        from them."""
        counters: dict[tuple[type, int], int] = {}
        ordered = sorted(self.records, key=lambda r: (placed_on(r), getattr(r, "stage", 0)))
        for record in ordered:
            year = ReportingYear.containing(placed_on(record)).start_year
            key = (type(record), year)
            counters[key] = counters.get(key, 0) + 1
            span = f"{year % 100:02d}{(year + 1) % 100:02d}"
            record.reference = f"{PREFIXES[type(record)]}-{span}-{counters[key]:03d}"
        # Drawn from a generator of their own, so adding them changed no other invented value.
        types = random.Random(SEED + 1)
        for record in ordered:
            parent = self.escalated_from.get(id(record))
            if parent is not None:
                assert isinstance(record, ComplaintData)
                record.escalated_from = parent.reference
            if isinstance(record, ComplaintData) and record.complainant_type is None:
                record.complainant_type = (
                    parent.complainant_type if parent is not None and parent.complainant_type
                    else types.choices(list(COMPLAINANT_WEIGHTS),
                                       list(COMPLAINANT_WEIGHTS.values()))[0])
        return sorted(ordered, key=lambda r: getattr(r, "stage", 0) or 0)
