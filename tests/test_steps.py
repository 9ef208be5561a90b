"""The clocks of the statutory steps and the order of step dates (domain/steps.py).

Every expected date is counted by hand in the comments, day by day, so the test does not lean
on the code it checks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cscdesk.domain import steps
from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, LgoOutcome
from cscdesk.domain.validation import validate
from cscdesk.domain.workdays import WorkingCalendar

CALENDAR = WorkingCalendar()


def stage3(received: date, **dates: date | None) -> ComplaintData:
    return ComplaintData(reference="C-3", received=received, stage=3, team="Fostering",
                         **dates)  # type: ignore[arg-type]


def test_the_panel_is_due_30_working_days_after_the_request_over_christmas() -> None:
    # Received Thu 2 Dec 2021. Dec: 3 (1), 6-10 (2-6), 13-17 (7-11), 20-24 (12-16);
    # Mon 27 and Tue 28 Dec are the substitute days for Christmas and Boxing Day (both on a
    # weekend); 29-31 (17-19); Mon 3 Jan 2022 is New Year's substitute day; 4-7 (20-23),
    # 10-14 (24-28), 17 (29), Tue 18 Jan (30).
    [panel] = steps.clocks(stage3(date(2021, 12, 2)), CALENDAR)
    assert panel == steps.Clock(steps.PANEL, date(2021, 12, 2), date(2022, 1, 18), None)
    assert steps.next_clock(stage3(date(2021, 12, 2)), CALENDAR) == panel


def test_the_panel_report_is_due_5_working_days_after_the_panel() -> None:
    # Panel Fri 23 Dec 2022: Mon 26 Boxing Day, Tue 27 Christmas's substitute day; 28 (1),
    # 29 (2), 30 (3); Mon 2 Jan 2023 New Year's substitute day; Tue 3 (4), Wed 4 Jan (5).
    # The request, Thu 10 Nov 2022: Nov 11 (1), 14-18 (2-6), 21-25 (7-11), 28 Nov-2 Dec
    # (12-16), 5-9 (17-21), 12-16 (22-26), 19-22 (27-30): the panel was due Thu 22 Dec, so a
    # day late.
    record = stage3(date(2022, 11, 10), panel_held=date(2022, 12, 23))
    panel, report = steps.clocks(record, CALENDAR)
    assert (panel.due, panel.done, panel.on_time) == (date(2022, 12, 22), date(2022, 12, 23),
                                                      False)
    assert report == steps.Clock(steps.PANEL_REPORT, date(2022, 12, 23), date(2023, 1, 4), None)
    assert steps.next_clock(record, CALENDAR) == report


def test_a_panel_held_after_its_due_date_is_late() -> None:
    # Received Mon 3 Apr 2023: Apr 4-6 (1-3), Good Friday 7 and Easter Monday 10 off,
    # 11-14 (4-7), 17-21 (8-12), 24-28 (13-17); Mon 1 May off (Early May); 2-5 (18-21);
    # Mon 8 May off (the Coronation); 9-12 (22-25), 15-19 (26-30): due Fri 19 May 2023.
    on_time = stage3(date(2023, 4, 3), panel_held=date(2023, 5, 19))
    late = stage3(date(2023, 4, 3), panel_held=date(2023, 5, 22))
    assert steps.clocks(on_time, CALENDAR)[0].due == date(2023, 5, 19)
    assert steps.clocks(on_time, CALENDAR)[0].on_time
    assert not steps.clocks(late, CALENDAR)[0].on_time


def test_the_response_is_due_15_working_days_after_the_panel_report() -> None:
    # Report Thu 27 Apr 2023: Fri 28 (1); Mon 1 May off; 2-5 (2-5); Mon 8 May off;
    # 9-12 (6-9), 15-19 (10-14), Mon 22 May (15).
    record = stage3(date(2023, 3, 1), panel_held=date(2023, 4, 20),
                    panel_report=date(2023, 4, 27))
    names = [clock.step for clock in steps.clocks(record, CALENDAR)]
    assert names == [steps.PANEL, steps.PANEL_REPORT, steps.RESPONSE]
    response = steps.clocks(record, CALENDAR)[2]
    assert (response.started, response.due) == (date(2023, 4, 27), date(2023, 5, 22))
    record.responded = date(2023, 5, 22)
    assert steps.clocks(record, CALENDAR)[2].on_time
    assert steps.next_clock(record, CALENDAR) is None


def test_an_extra_non_working_day_moves_a_step_clock() -> None:
    # Panel Mon 3 Jun 2024: 4 (1), 5 (2), 6 (3), 7 (4), Mon 10 (5); with Wed 5 closed, Tue 11.
    record = stage3(date(2024, 5, 1), panel_held=date(2024, 6, 3))
    assert steps.clocks(record, CALENDAR)[1].due == date(2024, 6, 10)
    closed = WorkingCalendar([date(2024, 6, 5)])
    assert steps.clocks(record, closed)[1].due == date(2024, 6, 11)


@pytest.mark.parametrize(("stage", "extended", "due"), [
    # Received Fri 3 May 2024; Mon 6 May off. Stage 1: 7-10 (1-4), 13-17 (5-9), Mon 20 (10).
    (1, False, date(2024, 5, 20)),
    # Stage 2, 25 days: 20-24 (10-14), Mon 27 May off (Spring), 28-31 (15-18), Jun 3-7 (19-23),
    # Mon 10 (24), Tue 11 Jun (25).
    (2, False, date(2024, 6, 11)),
])
def test_stages_1_and_2_have_one_clock_the_rules_due_date(stage: int, extended: bool,
                                                           due: date) -> None:
    record = ComplaintData(reference="C-1", received=date(2024, 5, 3), stage=stage,
                           team="Fostering", extended=extended)
    [clock] = steps.clocks(record, CALENDAR)
    assert clock == steps.Clock(steps.RESPONSE, date(2024, 5, 3), due, None)
    assert due == CALENDAR.response_due(date(2024, 5, 3), stage, extended)


def test_days_used_count_working_days_to_the_response_or_today() -> None:
    # Received Fri 3 May 2024; Mon 6 May off; 7 (1), 8 (2), 9 (3), Fri 10 (4).
    record = ComplaintData(reference="C-2", received=date(2024, 5, 3), stage=2,
                           team="Fostering")
    assert steps.days_used(record, CALENDAR, date(2024, 5, 10)) == 4
    assert steps.days_used(record, CALENDAR, date(2024, 5, 6)) == 0  # the holiday itself
    record.responded = date(2024, 5, 8)
    assert steps.days_used(record, CALENDAR, date(2024, 6, 1)) == 2


def test_a_closed_complaint_has_no_next_step() -> None:
    record = stage3(date(2024, 5, 1))
    record.closed = date(2024, 5, 2)
    assert steps.next_clock(record, CALENDAR) is None


def stage2(**values: object) -> ComplaintData:
    return ComplaintData(reference="C-2", received=date(2024, 5, 3), stage=2, team="Fostering",
                         **values)  # type: ignore[arg-type]


def messages(record: ComplaintData | ActionData) -> dict[str, str]:
    return {error.field: error.message for error in validate(record)}


def test_the_investigation_report_comes_after_the_statement_and_the_appointment() -> None:
    record = stage2(statement_agreed=date(2024, 5, 20), investigating_officer="A. Officer",
                    officer_appointed=date(2024, 5, 21), report_received=date(2024, 5, 20))
    assert messages(record) == {
        "report_received": "Investigation report received (20/05/2024) is before "
                           "Investigating officer appointed (21/05/2024)."}
    record.report_received = date(2024, 5, 21)
    record.responded = date(2024, 5, 20)
    assert messages(record) == {
        "responded": "Responded (20/05/2024) is before Investigation report received "
                     "(21/05/2024)."}


def test_a_step_date_before_received_is_named() -> None:
    assert messages(stage2(statement_agreed=date(2024, 5, 2))) == {
        "statement_agreed": "Statement agreed (02/05/2024) is before Received (03/05/2024)."}


def test_stage_3_steps_follow_each_other() -> None:
    record = stage3(date(2024, 5, 1), panel_held=date(2024, 6, 3), panel_report=date(2024, 6, 2))
    assert messages(record) == {
        "panel_report": "Panel report received (02/06/2024) is before Panel held (03/06/2024)."}


def test_a_step_of_another_stage_is_refused_not_dropped() -> None:
    record = ComplaintData(reference="C-1", received=date(2024, 5, 3), stage=1,
                           team="Fostering", panel_held=date(2024, 6, 3),
                           investigating_officer="A. Officer")
    assert messages(record) == {
        "investigating_officer": "Investigating officer is a Stage 2 step; this complaint is "
                                 "Stage 1.",
        "panel_held": "Panel held is a Stage 3 step; this complaint is Stage 1."}


def test_an_appointment_needs_the_name_of_who_was_appointed() -> None:
    assert messages(stage2(person_appointed=date(2024, 5, 9))) == {
        "independent_person": "Independent person: give the name of the person appointed."}


def test_the_ombudsmans_decision_needs_its_referral_and_its_date() -> None:
    record = ComplaintData(reference="C-1", received=date(2024, 5, 3), stage=1,
                           team="Fostering", lgo_outcome=LgoOutcome.PREMATURE)
    assert messages(record) == {
        "lgo_referred": "An LGO decision needs the date it was referred.",
        "lgo_decided": "LGO outcome and LGO decided go together: give both or neither."}
    record.lgo_referred = date(2024, 9, 2)
    record.lgo_decided = date(2024, 8, 30)
    assert messages(record) == {
        "lgo_decided": "LGO decided (30/08/2024) is before LGO referred (02/09/2024)."}
    record.lgo_decided = date(2024, 12, 2)
    record.lgo_complied = date(2024, 12, 1)
    assert messages(record) == {
        "lgo_complied": "LGO complied (01/12/2024) is before LGO decided (02/12/2024)."}


def action(**values: object) -> ActionData:
    fields: dict[str, object] = dict(reference="A-1", agreed=date(2024, 6, 3),
                                     case_reference="C-1", action_kind=ActionKind.LEARNING,
                                     team="Fostering", what="Train the team",
                                     due=date(2024, 9, 2))
    fields.update(values)
    return ActionData(**fields)  # type: ignore[arg-type]


def test_an_action_is_whole_with_its_case_kind_what_and_due() -> None:
    assert messages(action()) == {}
    assert set(messages(ActionData())) == {"reference", "agreed", "team", "case_reference",
                                           "action_kind", "what", "due"}


def test_only_a_remedy_carries_money_and_a_payment_needs_its_amount() -> None:
    assert messages(action(amount=Decimal("250"))) == {
        "amount": "Only a remedy for the complainant carries an amount."}
    assert messages(action(action_kind=ActionKind.REMEDY, paid=date(2024, 7, 1))) == {
        "amount": "Paid is given: give the amount paid."}
    assert messages(action(action_kind=ActionKind.REMEDY, amount=Decimal("-1"))) == {
        "amount": "Amount cannot be negative."}
    assert messages(action(action_kind=ActionKind.REMEDY, amount=Decimal("250.50"),
                           paid=date(2024, 7, 1))) == {}


def test_an_action_done_or_due_before_it_was_agreed_is_named() -> None:
    assert messages(action(done=date(2024, 6, 2))) == {
        "done": "Done (02/06/2024) is before Agreed (03/06/2024)."}


def test_an_actions_case_must_be_a_known_complaint_or_dispute_case() -> None:
    errors = validate(action(case_reference="C-404"), case_known=lambda ref: ref == "C-1")
    assert [(e.field, e.message) for e in errors] == [
        ("case_reference", "No complaint or dispute resolution case has reference “C-404”.")]
    assert validate(action(), case_known=lambda ref: ref == "C-1") == []
