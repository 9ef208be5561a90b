"""The one write path of records (store/record_rows.py): the forms' save and the workbook import
give the same rows and the same audit events; the bulk helpers write what SQLAlchemy would."""

from __future__ import annotations

import gc
import json
import random
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from cscdesk.domain.kinds import (
    ComplainantType,
    ComplaintData,
    EnquiryData,
    EnquirySource,
    Kind,
    Outcome,
)
from cscdesk.exchange import apply_import, read_workbook
from cscdesk.exchange.paused_collector import collector_paused
from cscdesk.store import audit, records
from cscdesk.store.bulk import insert_many, table_of
from cscdesk.store.engine import open_database
from cscdesk.store.models import AuditEvent, Complaint, Enquiry, Team
from cscdesk.store.record_rows import RecordRows, stored_columns
from workbooks import COMPLAINT_HEADER, write_workbook

ODD_TEXT = 'Zoë “quoted” \\ back\\slash, tab\there, \u2028 and 😀'


def stored(db, model) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Every row of a table, without its id and time stamps, by reference."""
    with db.session() as session:
        rows = [dict(row._mapping) for row in session.execute(select(table_of(model)))]
    for row in rows:
        for name in ("id", "created_at", "updated_at", "team_id", "root_cause_id",
                     "escalated_from_id"):
            row.pop(name, None)
    return sorted(rows, key=lambda row: str(row["reference"]))


def events(db) -> list[tuple[str, str, str, dict[str, object]]]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return [(e.action, e.kind, e.reference, json.loads(e.changes))
                for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_forms_and_the_import_write_the_same_rows_and_events(tmp_path: Path) -> None:
    first = ComplaintData("C-1", date(2024, 5, 3), 1, "Fostering", True, date(2024, 5, 10),
                          date(2024, 5, 20), Outcome.PARTIALLY_UPHELD, "Delay", ODD_TEXT, True,
                          Decimal("1800.5"), "", date(2024, 6, 1), "Pending", "Mrs Ángström",
                          ODD_TEXT)
    second = ComplaintData("C-1/2", date(2024, 6, 3), 2, "Fostering", escalated_from="C-1",
                           complainant="=SUM(A1)")
    enquiry = EnquiryData("E-1", date(2024, 5, 3), EnquirySource.MEMBER, "MASH", "Cllr X",
                          None, "")
    forms = open_database(tmp_path / "forms.db")
    with forms.transaction() as session:
        for record in (first, second, enquiry):
            records.save(session, record)

    def cells(record: ComplaintData) -> list[object]:
        return [record.reference, record.received, record.stage, record.team,
                "Yes" if record.extended else "No", record.responded, record.closed,
                record.outcome.value if record.outcome else None, record.root_cause or None,
                record.learning or None, "Yes" if record.adr else "No",
                float(record.adr_saving) if record.adr_saving is not None else None,
                record.escalated_from or None, record.lgo_referred, record.lgo_decision or None,
                record.complainant or None, record.summary or None]

    path = write_workbook(tmp_path / "same.xlsx", {
        "Complaints": [COMPLAINT_HEADER, cells(first), cells(second)],
        "Enquiries": [["Reference", "Received", "Source", "Team", "Enquirer", "Responded",
                       "Summary"], ["E-1", date(2024, 5, 3), "Member", "MASH", "Cllr X"]],
    })
    imported = open_database(tmp_path / "imported.db")
    apply_import(imported, read_workbook(path))

    for model in (Complaint, Enquiry):
        assert stored(forms, model) == stored(imported, model)
    assert events(forms) == events(imported)
    forms.close()
    imported.close()


def test_a_created_event_is_what_the_audit_trail_writes_of_the_differences(database) -> None:
    """The created event's changes are written without a JSON encoder per event: the same
    text as `audit.encode(audit.differences(None, record))` of the record as saved."""
    rng = random.Random(7)
    pieces = ["a", "Zoë", '"', "\\", "\n", "\x1f", "😀", "\u2028", " ", "—", "£"]

    def text() -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randrange(6))).strip()

    with database.transaction() as session:
        rows = RecordRows(session)
        for number in range(200):
            closed = rng.choice([None, date(2024, 6, 1)])
            record = ComplaintData(
                f"C-{number}", date(2024, 5, rng.randrange(1, 28)), 1, "Team " + text(),
                extended=rng.random() < 0.5, closed=closed,
                outcome=rng.choice(list(Outcome)) if closed else None,
                root_cause=rng.choice(["", "Delay"]), learning=text(), adr=True,
                adr_saving=rng.choice([None, Decimal("0.1"), Decimal("1800"), Decimal("12.34")]),
                lgo_referred=date(2024, 5, 28), lgo_decision=text(), complainant=text(),
                summary=text(), complainant_type=rng.choice([None, *ComplainantType]),
                notes=text())
            event = rows.created_event(Kind.COMPLAINT, rows.values(record))
            rows.insert_names(session)
            saved, _created = records.save(session, record)
            expected = audit.differences(None, records.to_data(saved))
            assert event["changes"] == audit.encode(expected), record
            assert (event["action"], event["kind"]) == (audit.CREATE, Kind.COMPLAINT.value)


def test_insert_many_writes_what_sqlalchemy_writes(tmp_path: Path) -> None:
    now = datetime(2024, 5, 3, 12, 30, 1, 5)
    columns = [name for name in stored_columns(Kind.COMPLAINT) if name != "escalated_from"]
    rows = []
    for number in range(30):
        row: dict[str, object] = dict.fromkeys(columns)
        row.update(reference=f"C-{number}", received=date(2024, 5, 1 + number % 9), stage=1,
                   team_id=1, extended=number % 2 == 0, due=date(2024, 6, 1), adr=False,
                   outcome=[None, Outcome.UPHELD, "Not upheld"][number % 3],
                   learning="", lgo_decision="", complainant=ODD_TEXT, summary="", notes="",
                   investigating_officer="", independent_person="", lgo_remedy="",
                   created_at=now, updated_at=now, legal_hold=False, escalated_from_id=None)
        rows.append(row)
    found = []
    for name in ("core", "bulk"):
        db = open_database(tmp_path / f"{name}.db")
        with db.transaction() as session:
            session.execute(table_of(Team).insert().values(
                id=1, name="Adoption", retired=False, created_at=now, updated_at=now))
            if name == "core":
                session.execute(table_of(Complaint).insert(), [dict(row) for row in rows])
            else:
                insert_many(session, table_of(Complaint), [dict(row) for row in rows])
        with db.session() as session:
            found.append(session.execute(select(table_of(Complaint))).all())
        db.close()
    assert found[0] == found[1] and len(found[0]) == 30


def test_the_collector_is_put_back_as_it_was() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # as the desktop app runs it: from the GUI thread only
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
