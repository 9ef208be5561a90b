"""The next reference in the officer's own pattern (domain/references.py), and the store's
part: which reference was used last, and which complaints a later stage escalates from."""

from __future__ import annotations

from datetime import date

import pytest

from cscdesk.domain.kinds import ComplaintData, ComplimentData, Kind
from cscdesk.domain.references import increment_reference, next_reference
from cscdesk.store import records, suggestions


@pytest.mark.parametrize(
    ("last", "expected"),
    [("CSC/2026/0123", "CSC/2026/0124"), ("C-0099", "C-0100"), ("C-9", "C-10"),
     ("99", "100"), ("0999/B", "1000/B"), ("IF 7 (late)", "IF 8 (late)"),
     ("2026-001", "2026-002"), ("  C-01 ", "C-02"), ("CSC/2026/9999", "CSC/2026/10000")],
)
def test_the_last_number_goes_up_by_one_keeping_its_zeros(last: str, expected: str) -> None:
    assert increment_reference(last) == expected


@pytest.mark.parametrize("last", ["", "Mr Smith", "C-A"])
def test_a_reference_without_digits_has_no_next(last: str) -> None:
    assert increment_reference(last) is None
    assert next_reference(last, lambda _reference: False) == ""


def test_a_proposal_already_taken_is_passed_over() -> None:
    taken = {"C-0124", "C-0125"}
    assert next_reference("C-0123", taken.__contains__) == "C-0126"
    assert next_reference(None, taken.__contains__) == ""


def test_no_free_proposal_within_reach_is_none() -> None:
    assert next_reference("C-1", lambda _reference: True) == ""
    assert next_reference("C-" + "9" * 58, lambda _reference: False) == ""  # 61 characters


def save(database, *rows) -> None:
    with database.transaction() as session:
        for row in rows:
            records.save(session, row)


def complaint(reference: str, stage: int = 1, **values) -> ComplaintData:
    return ComplaintData(reference=reference, received=date(2024, 5, 3), stage=stage,
                         **{"team": "Adoption", **values})


def test_the_last_reference_is_of_the_record_added_last(database) -> None:
    with database.session() as session:
        assert suggestions.last_reference(session, Kind.COMPLAINT) is None
    save(database, complaint("CSC/2026/0200"), complaint("CSC/2026/0123"),
         complaint("CSC/2026/0123-S2", 2, escalated_from="CSC/2026/0123"),
         ComplimentData("K-7", date(2024, 5, 3), "Adoption"))
    with database.session() as session:
        # Added last, whatever its number; a later stage's suffix is not the pattern.
        assert suggestions.last_reference(session, Kind.COMPLAINT) == "CSC/2026/0123"
        assert suggestions.last_reference(session, Kind.COMPLIMENT) == "K-7"
        assert suggestions.last_reference(session, Kind.ENQUIRY) is None


def test_earlier_stage_complaints_match_reference_complainant_or_team(database) -> None:
    save(database,
         complaint("C-1", complainant="Ann Smith", team="Fostering"),
         complaint("C-2", complainant="Bob Jones"),
         complaint("C-10", complainant="Cy Smithers", team="Adoption"),
         complaint("C-1-S2", 2, complainant="Ann Smith", team="Fostering",
                   escalated_from="C-1"))
    with database.session() as session:
        def found(stage: int, text: str, most: int = 20) -> list[str]:
            return [match.reference for match in
                    suggestions.earlier_stage_complaints(session, stage, text, most)]

        assert found(1, "smith") == ["C-10", "C-1"]  # newest first, Stage 1 only
        assert found(1, "SMITH fost") == ["C-1"]  # every word, in any of the three
        assert found(1, "adop") == ["C-10", "C-2"]
        assert found(1, "C-1") == ["C-1", "C-10"]  # the exact reference first
        assert found(1, "C-1", most=1) == ["C-1"]
        assert found(2, "smith") == ["C-1-S2"]
        assert found(1, "%") == [] and found(1, "  ") == []
        match = suggestions.earlier_stage_complaints(session, 1, "jones")[0]
        assert (match.reference, match.complainant, match.team, match.received) == (
            "C-2", "Bob Jones", "Adoption", date(2024, 5, 3))
