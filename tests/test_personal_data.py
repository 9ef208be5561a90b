"""Retention review, legal hold, anonymising and finding a person, on a real database."""

from datetime import date

import pytest

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    EnquiryData,
    EnquirySource,
    Kind,
    Outcome,
)
from cscdesk.errors import InputError
from cscdesk.store import audit, personal_data, records

TODAY = date(2026, 11, 25)


@pytest.fixture
def filled(database):
    with database.transaction() as session:
        records.save(session, ComplaintData(
            "C-OLD", date(2018, 5, 1), 1, "Adoption", closed=date(2018, 6, 1),
            outcome=Outcome.UPHELD, complainant="Ann O'Neill", summary="About Ann's contact",
            learning="Return calls the same day."))
        records.save(session, ComplaintData(
            "C-HELD", date(2018, 5, 1), 1, "Adoption", closed=date(2018, 6, 1),
            outcome=Outcome.NOT_UPHELD, complainant="Bea Held"))
        records.save(session, ComplaintData(
            "C-NEW", date(2024, 5, 1), 1, "Adoption", closed=date(2024, 6, 1),
            outcome=Outcome.UPHELD, complainant="Ann O'Neill"))
        records.save(session, ComplaintData("C-OPEN", date(2017, 5, 1), 1, "Adoption"))
        records.save(session, EnquiryData("E-1", date(2019, 1, 1), EnquirySource.MP, "MASH",
                                          enquirer="MP for Ann O'Neill",
                                          responded=date(2019, 1, 10)))
        records.save(session, ComplimentData("K-1", date(2020, 1, 1), "MASH", "Thanks, 100%_"))
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-HELD", True)
    return database


def test_retention_lists_records_closed_before_the_cutoff_with_holds_marked(filled) -> None:
    with filled.session() as session:
        found = personal_data.retention_candidates(session, 6, TODAY)
    assert [(c.kind, c.reference, c.legal_hold) for c in found] == [
        (Kind.COMPLAINT, "C-HELD", True),
        (Kind.COMPLAINT, "C-OLD", False),
        (Kind.ENQUIRY, "E-1", False),
        (Kind.COMPLIMENT, "K-1", False),  # compliments run from the day received
    ]


def test_anonymising_clears_personal_fields_and_history_but_keeps_counts(filled) -> None:
    with filled.transaction() as session:
        personal_data.anonymise(session, Kind.COMPLAINT, "C-OLD")
    with filled.session() as session:
        record = records.load(session, Kind.COMPLAINT, "C-OLD")
        history = audit.history(session, "Complaints", "C-OLD")
        again = personal_data.retention_candidates(session, 6, TODAY)
    assert (record.complainant, record.summary) == ("", "")
    assert (record.outcome, record.learning) == (Outcome.UPHELD, "Return calls the same day.")
    assert "Ann" not in repr(history)
    assert history[-1].action == "anonymise"
    assert "C-OLD" not in [c.reference for c in again]


def test_legal_hold_blocks_anonymising_and_deleting(filled) -> None:
    with pytest.raises(InputError, match="legal hold"), filled.transaction() as session:
        personal_data.anonymise(session, Kind.COMPLAINT, "C-HELD")
    with pytest.raises(InputError, match="legal hold"), filled.transaction() as session:
        personal_data.delete_for_retention(session, Kind.COMPLAINT, "C-HELD")
    with filled.transaction() as session:
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-HELD", False)
        personal_data.delete_for_retention(session, Kind.COMPLAINT, "C-HELD")
    with filled.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-HELD") is None
        assert "Bea" not in repr(audit.history(session, "Complaints", "C-HELD"))


def test_find_person_searches_every_kind_and_field(filled) -> None:
    with filled.session() as session:
        found = personal_data.find_person(session, "ann o'neill")
        literal = personal_data.find_person(session, "100%_")
        with pytest.raises(InputError):
            personal_data.find_person(session, " a ")
    assert sorted(r.reference for r in found) == ["C-NEW", "C-OLD", "E-1"]
    assert [r.reference for r in literal] == ["K-1"]


def test_subject_access_includes_deleted_records_still_in_the_bin(filled) -> None:
    from cscdesk.privacy.subject_access import gather

    with filled.transaction() as session:
        records.delete(session, Kind.ENQUIRY, "E-1")
    with filled.session() as session:
        found = {f.record.reference: f.in_bin for f in gather(session, "Ann O'Neill")}
    assert found == {"C-NEW": False, "C-OLD": False, "E-1": True}
