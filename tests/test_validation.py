from datetime import date
from decimal import Decimal

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    DisputeData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Outcome,
)
from cscdesk.domain.validation import validate


def fields_of(errors) -> list[str]:
    return [e.field for e in errors]


def complaint(**changes) -> ComplaintData:
    values = dict(reference="C-1", received=date(2024, 5, 3), stage=1, team="Adoption")
    values.update(changes)
    return ComplaintData(**values)


def test_a_minimal_complaint_is_valid() -> None:
    assert validate(complaint()) == []


def test_required_fields_are_named() -> None:
    errors = validate(ComplaintData())
    assert fields_of(errors) == ["reference", "received", "stage", "team"]
    assert all(e.message for e in errors)


def test_outcome_and_closed_go_together() -> None:
    assert fields_of(validate(complaint(outcome=Outcome.UPHELD))) == ["closed"]
    assert fields_of(validate(complaint(closed=date(2024, 6, 1)))) == ["outcome"]
    assert validate(complaint(closed=date(2024, 6, 1), outcome=Outcome.NOT_UPHELD)) == []


def test_dates_may_not_be_before_received() -> None:
    errors = validate(complaint(responded=date(2024, 5, 2)))
    assert fields_of(errors) == ["responded"]
    assert "02/05/2024" in errors[0].message and "03/05/2024" in errors[0].message
    same_day = complaint(responded=date(2024, 5, 3), closed=date(2024, 5, 3),
                         outcome=Outcome.UPHELD)
    assert validate(same_day) == []


def test_resolved_may_not_be_before_raised() -> None:
    dispute = DisputeData("D-1", date(2024, 5, 3), "Fostering", resolved=date(2024, 5, 1))
    assert fields_of(validate(dispute)) == ["resolved"]
    feedback = InitialFeedbackData("F-1", date(2024, 5, 3), "MASH", resolved=date(2024, 4, 1))
    assert fields_of(validate(feedback)) == ["resolved"]


def test_enquiry_needs_a_source_and_compliment_a_team() -> None:
    assert fields_of(validate(EnquiryData("E-1", date(2024, 5, 3), None, "MASH"))) == ["source"]
    assert validate(EnquiryData("E-1", date(2024, 5, 3), EnquirySource.MEP, "MASH")) == []
    assert fields_of(validate(ComplimentData("K-1", date(2024, 5, 3), " "))) == ["team"]


def test_adr_saving_rules() -> None:
    assert fields_of(validate(complaint(adr_saving=Decimal(1800)))) == ["adr_saving"]
    assert validate(complaint(adr=True, adr_saving=Decimal(1800))) == []
    assert fields_of(validate(complaint(adr=True, adr_saving=Decimal(-1)))) == ["adr_saving"]


def test_escalation_must_name_a_complaint_of_the_previous_stage() -> None:
    stages = {"C-1": 1, "C-2": 2}
    lookup = stages.get
    assert validate(complaint(reference="C-2", stage=2, escalated_from="C-1"), lookup) == []
    assert validate(complaint(reference="C-3", stage=3, escalated_from="C-2"), lookup) == []
    wrong_stage = validate(complaint(reference="C-3", stage=3, escalated_from="C-1"), lookup)
    assert fields_of(wrong_stage) == ["escalated_from"]
    assert "Stage 1" in wrong_stage[0].message
    missing = validate(complaint(reference="C-9", stage=2, escalated_from="NOPE"), lookup)
    assert "NOPE" in missing[0].message
    stage_one = validate(complaint(escalated_from="C-0"), lookup)
    assert fields_of(stage_one) == ["escalated_from"]


def test_lgo_decision_needs_a_referral_date() -> None:
    assert fields_of(validate(complaint(lgo_decision="Not upheld"))) == ["lgo_referred"]
