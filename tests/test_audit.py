"""The audit trail and the bin, on a real database file."""

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Kind, Outcome
from cscdesk.errors import InputError
from cscdesk.store import audit, records, recycle_bin, undelete
from cscdesk.store.models import AuditEvent


def complaint(**changes) -> ComplaintData:
    values = dict(reference="C-1", received=date(2024, 5, 3), stage=1, team="Adoption",
                  complainant="Jo Bloggs")
    values.update(changes)
    return ComplaintData(**values)


def test_create_update_delete_are_recorded_field_by_field(database) -> None:
    with database.transaction() as session:
        records.save(session, complaint())
    with database.transaction() as session:
        records.save(session, complaint(closed=date(2024, 5, 20), outcome=Outcome.UPHELD))
    with database.transaction() as session:
        records.save(session, complaint(closed=date(2024, 5, 20), outcome=Outcome.UPHELD))
        records.delete(session, Kind.COMPLAINT, "C-1")
    with database.session() as session:
        events = audit.history(session, Kind.COMPLAINT.value, "C-1")
    assert [e.action for e in events] == ["create", "update", "delete"]  # no-op save: no event
    created, updated, deleted = events
    assert created.changes["Team"] == [None, "Adoption"]
    assert created.changes["Received"] == [None, "2024-05-03"]
    assert updated.changes == {"Closed": [None, "2024-05-20"], "Outcome": [None, "Upheld"]}
    assert deleted.changes["Complainant"] == ["Jo Bloggs", None]
    # on a server, the login the server wrote (the tests sign in as "postgres")
    writer = "postgres" if database.on_server else audit.current_user()
    assert all(e.user == writer for e in events)


def test_a_rolled_back_change_leaves_no_audit_row(database) -> None:
    with pytest.raises(RuntimeError), database.transaction() as session:
        records.save(session, complaint())
        raise RuntimeError("the action failed after saving")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
        assert records.load(session, Kind.COMPLAINT, "C-1") is None


def test_the_trail_is_append_only_in_the_database_itself(database, db_path: Path) -> None:
    with database.transaction() as session:
        records.save(session, complaint())
    database.close()
    connection = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM audit_event")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE audit_event SET user = 'someone else'")
    connection.close()


def test_events_between_dates(database) -> None:
    with database.transaction() as session:
        records.save(session, EnquiryData("E-1", date(2024, 5, 3), EnquirySource.MP, "MASH"))
    now = datetime.now()
    with database.session() as session:
        assert len(audit.between(session, now - timedelta(days=2), now + timedelta(days=2))) == 1
        assert audit.between(session, now + timedelta(days=2), now + timedelta(days=3)) == []


def test_deleted_records_go_to_the_bin_and_come_back(database) -> None:
    original = complaint(closed=date(2024, 5, 20), outcome=Outcome.PARTIALLY_UPHELD,
                         learning="Call back the same day.")
    with database.transaction() as session:
        records.save(session, original)
        records.delete(session, Kind.COMPLAINT, "C-1")
    with database.session() as session:
        (item,) = recycle_bin.items(session)
        assert (item.kind, item.reference) == (Kind.COMPLAINT, "C-1")
    with database.transaction() as session:
        restored = undelete.restore(session, item.id)
    assert restored == original
    with database.session() as session:
        assert records.load(session, Kind.COMPLAINT, "C-1") == original
        assert recycle_bin.items(session) == []
        actions = [e.action for e in audit.history(session, "Complaints", "C-1")]
    assert actions == ["create", "delete", "create", "restore"]


def test_restoring_onto_a_reused_reference_is_refused(database) -> None:
    with database.transaction() as session:
        records.save(session, complaint())
        records.delete(session, Kind.COMPLAINT, "C-1")
        records.save(session, complaint(team="MASH"))
        (item,) = recycle_bin.items(session)
    with pytest.raises(InputError, match="another record now has"), \
            database.transaction() as session:
        undelete.restore(session, item.id)


def test_emptying_the_bin_is_explicit_and_audited(database) -> None:
    with database.transaction() as session:
        records.save(session, complaint())
        records.delete(session, Kind.COMPLAINT, "C-1")
    with database.transaction() as session:
        assert recycle_bin.empty(session) == 1
        assert recycle_bin.empty(session) == 0
    with database.session() as session:
        assert recycle_bin.items(session) == []
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["create", "delete", "empty bin"]
