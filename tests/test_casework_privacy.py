"""Casework and personal data, on both engines: anonymising a case takes its actions' notes with
it; an action has its own retention clock and is held with its case; actions go to the bin and
come back; subject access finds actions naming a person and the actions of their cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from cscdesk.domain.kinds import (
    ActionData,
    ActionKind,
    ComplaintData,
    DisputeData,
    Kind,
    LgoOutcome,
    Outcome,
)
from cscdesk.domain.validation import validate
from cscdesk.errors import InputError
from cscdesk.store import audit, personal_data, records, recycle_bin, undelete

TODAY = date(2026, 11, 25)


def stage2(reference: str = "C-2", **fields: object) -> ComplaintData:
    values: dict[str, object] = dict(
        received=date(2017, 5, 1), stage=2, team="Adoption", responded=date(2017, 6, 20),
        closed=date(2017, 6, 30), outcome=Outcome.UPHELD, complainant="Ann O'Neill",
        statement_agreed=date(2017, 5, 8), investigating_officer="Morwenna Halloway",
        officer_appointed=date(2017, 5, 9), independent_person="Rupert Vellacott",
        person_appointed=date(2017, 5, 9), report_received=date(2017, 6, 12),
        lgo_referred=date(2017, 8, 1), lgo_outcome=LgoOutcome.UPHELD_INJUSTICE,
        lgo_decided=date(2017, 10, 2), lgo_remedy="Apology to Ann and £250")
    values.update(fields)
    return ComplaintData(reference, **values)  # type: ignore[arg-type]


def action(reference: str, case: str, what: str, **fields: object) -> ActionData:
    values: dict[str, object] = dict(
        agreed=date(2017, 7, 1), case_reference=case, action_kind=ActionKind.LEARNING,
        team="Adoption", what=what, due=date(2017, 8, 1), done=date(2017, 7, 28),
        evidence="Minutes of the meeting with Ann")
    values.update(fields)
    return ActionData(reference, **values)  # type: ignore[arg-type]


@pytest.fixture
def casework(database):
    with database.transaction() as session:
        records.save(session, stage2())
        records.save(session, action("A-1", "C-2", "Apologise to Ann's son Billy in writing"))
        records.save(session, action("A-2", "C-2", "Pay for time and trouble",
                                     action_kind=ActionKind.REMEDY, amount=Decimal("250"),
                                     paid=date(2017, 7, 20)))
        records.save(session, DisputeData("DR-1", date(2017, 4, 3), "Fostering",
                                          resolved=date(2017, 5, 1), summary="Care plan"))
        records.save(session, action("A-3", "DR-1", "Permanence meeting", evidence=""))
        records.save(session, ComplaintData("C-NEW", date(2024, 5, 1), 1, "Adoption",
                                            complainant="Cara Smith"))
        records.save(session, action("A-4", "C-NEW", "Letter to Cara Smith",
                                     agreed=date(2024, 6, 1), due=date(2024, 7, 1), done=None,
                                     evidence=""))
    return database


def test_anonymising_a_case_clears_its_names_and_its_actions_notes(casework) -> None:
    with casework.transaction() as session:
        personal_data.anonymise(session, Kind.COMPLAINT, "C-2")
    with casework.session() as session:
        case = records.load(session, Kind.COMPLAINT, "C-2")
        first, second = (records.load(session, Kind.ACTION, r) for r in ("A-1", "A-2"))
        other = records.load(session, Kind.ACTION, "A-3")
        histories = {r: audit.history(session, kind.value, r) for kind, r in (
            (Kind.COMPLAINT, "C-2"), (Kind.ACTION, "A-1"), (Kind.ACTION, "A-2"))}
        again = personal_data.retention_candidates(session, 6, TODAY)
        stage_of, case_known = records.stage_lookup(session), records.case_lookup(session)
    assert (case.complainant, case.investigating_officer, case.independent_person,
            case.lgo_remedy) == ("", "", "", "")
    assert (case.officer_appointed, case.lgo_outcome) == (date(2017, 5, 9),
                                                          LgoOutcome.UPHELD_INJUSTICE)
    for done in (first, second):  # What is required: a marker keeps the action valid
        assert (done.what, done.evidence) == (personal_data.REDACTED, "")
        assert validate(done, stage_of, case_known) == []
    assert (second.amount, second.paid) == (Decimal("250"), date(2017, 7, 20))
    assert other.what == "Permanence meeting"  # another case's action is untouched
    for reference, history in histories.items():
        assert history[-1].action == audit.ANONYMISE, reference
        assert not any(name in repr(history) for name in ("Ann", "Billy", "Halloway",
                                                          "Vellacott")), reference
    assert not {"C-2", "A-1", "A-2"} & {c.reference for c in again}


def test_an_action_has_its_own_retention_clock_and_is_held_with_its_case(casework) -> None:
    with casework.session() as session:
        found = {c.reference: c for c in personal_data.retention_candidates(session, 6, TODAY)}
    assert {"A-1", "A-2", "A-3", "C-2", "DR-1"} <= set(found)
    assert "A-4" not in found  # not done: its clock has not started
    assert found["A-1"].closed == date(2017, 7, 28) and not found["A-1"].legal_hold

    with casework.transaction() as session:
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-2", True)
    with casework.session() as session:
        held = {c.reference: (c.legal_hold, c.held_with_case)
                for c in personal_data.retention_candidates(session, 6, TODAY, who=True)}
    assert held["A-1"] == held["A-2"] == (True, True)
    assert held["C-2"] == (True, False) and held["A-3"] == (False, False)
    with pytest.raises(InputError, match="belongs to “C-2”, which is under legal hold"), \
            casework.transaction() as session:
        personal_data.anonymise(session, Kind.ACTION, "A-1")

    with casework.transaction() as session:
        personal_data.set_legal_hold(session, Kind.COMPLAINT, "C-2", False)
        personal_data.set_legal_hold(session, Kind.ACTION, "A-2", True)
    with pytest.raises(InputError, match="“A-2” is under legal hold"), \
            casework.transaction() as session:
        personal_data.anonymise(session, Kind.COMPLAINT, "C-2")
    with casework.session() as session:  # nothing was changed
        assert records.load(session, Kind.COMPLAINT, "C-2").complainant == "Ann O'Neill"
        assert "Billy" in records.load(session, Kind.ACTION, "A-1").what


def test_an_action_alone_is_anonymised_and_a_case_deleted_takes_its_actions(casework) -> None:
    with casework.transaction() as session:
        personal_data.anonymise(session, Kind.ACTION, "A-3")
    with casework.session() as session:
        assert records.load(session, Kind.ACTION, "A-3").what == personal_data.REDACTED
        assert records.load(session, Kind.DISPUTE, "DR-1").summary == "Care plan"
    with casework.transaction() as session:
        personal_data.delete_for_retention(session, Kind.COMPLAINT, "C-2")
    with casework.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-2") is None
        assert records.actions_of(session, "C-2") == []
        assert records.load(session, Kind.ACTION, "A-3") is not None
        gone = audit.history(session, Kind.ACTION.value, "A-1")
    assert gone[-1].action == audit.DELETE and "Billy" not in repr(gone)


def test_actions_go_to_the_bin_and_come_back_with_their_case(casework) -> None:
    with pytest.raises(InputError, match="C-2"), casework.transaction() as session:
        records.delete(session, Kind.COMPLAINT, "C-2")  # it has actions
    with casework.transaction() as session:
        for reference in ("A-1", "A-2"):
            assert records.delete(session, Kind.ACTION, reference)
        records.delete(session, Kind.COMPLAINT, "C-2")
    with casework.session() as session:
        binned = {item.reference: item.id for item in recycle_bin.items(session)}
        assert records.actions_of(session, "C-2") == []
    assert set(binned) == {"A-1", "A-2", "C-2"}

    with pytest.raises(InputError, match="C-2"), casework.transaction() as session:
        undelete.restore(session, binned["A-1"])  # its case is still in the bin
    with casework.transaction() as session:
        undelete.restore(session, binned["C-2"])
        undelete.restore(session, binned["A-2"])
        undelete.restore(session, binned["A-1"])
    with casework.session() as session:
        restored = records.actions_of(session, "C-2")
        assert recycle_bin.items(session) == []
        assert audit.history(session, Kind.ACTION.value, "A-1")[-1].action == audit.RESTORE
    assert [a.reference for a in restored] == ["A-1", "A-2"]
    assert restored[1].amount == Decimal("250") and restored[1].paid == date(2017, 7, 20)


def test_subject_access_finds_actions_naming_the_person_and_those_of_their_cases(
        casework, tmp_path: Path) -> None:
    from cscdesk.privacy.subject_access import gather, write_workbook
    from cscdesk.privacy.subject_access_pdf import write_pdf

    with casework.session() as session:
        ann = gather(session, "ann o'neill")  # the complainant of C-2
        billy = gather(session, "billy")  # named only in an action's What
        cara = gather(session, "cara smith")
        officer = gather(session, "halloway")  # the investigating officer
    assert [(f.kind, f.record.reference) for f in ann] == [
        (Kind.COMPLAINT, "C-2"), (Kind.ACTION, "A-1"), (Kind.ACTION, "A-2")]
    assert [f.record.reference for f in billy] == ["A-1"]
    assert [f.record.reference for f in cara] == ["C-NEW", "A-4"]
    assert [f.record.reference for f in officer] == ["C-2", "A-1", "A-2"]

    write_pdf(ann, "Ann O'Neill", tmp_path / "ann.pdf")
    write_workbook(ann, tmp_path / "ann.xlsx")
    with pdfplumber.open(tmp_path / "ann.pdf") as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Actions: A-1 (of C-2)" in text and "Actions: A-2 (of C-2)" in text
    assert "Investigating officer Morwenna Halloway" in text and "Amount 250.00" in text
    assert "Panel held" not in text  # an empty field has no row
    book = load_workbook(tmp_path / "ann.xlsx")
    assert book.sheetnames == ["Complaints", "Actions", "History"]
    assert [c.value for c in book["Actions"][1]][:3] == ["Reference", "Agreed", "Case"]
    assert [row[0].value for row in book["Actions"].iter_rows(min_row=2)] == ["A-1", "A-2"]


@pytest.mark.sqlite_only
def test_the_commands_cover_actions(casework, cli, db_path: Path, tmp_path: Path) -> None:
    casework.close()
    listing = cli("--db", db_path, "retention", "--years", "6", check=True).stdout
    assert "A-1" in listing and "A-4" not in listing
    cli("--db", db_path, "anonymise", "--kind", "complaint", "C-2", check=True)
    pack = cli("--db", db_path, "subject-access", "Cara Smith", "--workbook",
               tmp_path / "c.xlsx", "--pdf", tmp_path / "c.pdf", check=True)
    assert "Found 2 record(s)" in pack.stdout
    with pdfplumber.open(tmp_path / "c.pdf") as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Actions: A-4 (of C-NEW)" in text and "What Letter to Cara Smith" in text
    gone = cli("--db", db_path, "subject-access", "Billy", "--workbook", tmp_path / "b.xlsx",
               check=True)  # anonymised with its case, history and all
    assert "Found 0 record(s)" in gone.stdout
