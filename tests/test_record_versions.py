"""No silent overwrite (store.record_versions), on a file and on the server: every record has a
version, a save or delete with the version the form opened is refused when someone else has
changed or deleted the record since, naming who and when; and on a server the audit trail's
user is the login, written by the server itself."""

from __future__ import annotations

import getpass
import threading
from datetime import date

import pytest
from sqlalchemy import func, insert, select

from cscdesk.domain.kinds import ComplaintData, Kind
from cscdesk.store import audit, personal_data, records
from cscdesk.store.models import AuditEvent, BinEntry
from cscdesk.store.record_versions import RecordChangedElsewhere, first_change, version_of


def _complaint(**changes) -> ComplaintData:  # type: ignore[no-untyped-def]
    values = dict(reference="C-1", received=date(2026, 10, 1), stage=1, team="Fostering",
                  complainant="Ann Smith", summary="Late visit")
    values.update(changes)
    return ComplaintData(**values)  # type: ignore[arg-type]


def _save(database, record: ComplaintData, expected: int | None = None) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as session:
        records.save(session, record, expected_version=expected)


def _version(database) -> int | None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return version_of(session, Kind.COMPLAINT, "C-1")


def _events(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_version_goes_up_only_when_values_change(database) -> None:
    _save(database, _complaint())
    assert _version(database) == 1
    _save(database, _complaint(summary="Late visit, twice"), expected=1)
    assert _version(database) == 2
    _save(database, _complaint(summary="Late visit, twice"), expected=2)  # nothing changed
    assert _version(database) == 2


def test_a_save_over_someone_elses_change_is_refused_and_writes_nothing(database) -> None:
    _save(database, _complaint())
    _save(database, _complaint(summary="Their words"), expected=1)  # a colleague, meanwhile
    before = _events(database)
    with pytest.raises(RecordChangedElsewhere) as refused:
        _save(database, _complaint(summary="My words"), expected=1)
    error = refused.value
    assert error.theirs is not None and error.theirs.summary == "Their words"
    assert error.last is not None and error.last.user in str(error)
    assert "was changed by" in str(error) and "not saved over theirs" in str(error)
    with database.session() as session:
        kept = records.load(session, Kind.COMPLAINT, "C-1")
    assert kept is not None and kept.summary == "Their words"
    assert _events(database) == before and _version(database) == 2


def test_a_record_deleted_elsewhere_is_not_saved_back(database) -> None:
    _save(database, _complaint())
    with database.transaction() as session:
        records.delete(session, Kind.COMPLAINT, "C-1", expected_version=1)
    with pytest.raises(RecordChangedElsewhere, match="was deleted by") as refused:
        _save(database, _complaint(summary="Mine"), expected=1)
    assert refused.value.theirs is None
    assert _version(database) is None


def test_deleting_a_record_someone_else_changed_is_refused(database) -> None:
    _save(database, _complaint())
    _save(database, _complaint(summary="Theirs"), expected=1)
    with pytest.raises(RecordChangedElsewhere, match="nothing was deleted"), \
            database.transaction() as session:
        records.delete(session, Kind.COMPLAINT, "C-1", expected_version=1)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(BinEntry)) == 0
    assert _version(database) == 2


def test_anonymising_moves_the_version_on(database) -> None:
    _save(database, _complaint())
    with database.transaction() as session:
        personal_data.anonymise(session, Kind.COMPLAINT, "C-1")
    assert _version(database) == 2
    with pytest.raises(RecordChangedElsewhere):
        _save(database, _complaint(summary="Names typed back in"), expected=1)


def test_who_made_the_record_is_in_its_history(database) -> None:
    _save(database, _complaint())
    with database.session() as session:
        made = first_change(session, Kind.COMPLAINT, "C-1")
    assert made is not None
    assert made.user == ("postgres" if database.on_server else getpass.getuser())


@pytest.mark.postgresql
def test_two_saves_at_once_on_a_server_cannot_both_win(server_url) -> None:
    """The first save holds the row until it commits; the second, from the same version,
    waits for it and is then refused: no lost update."""
    from cscdesk.store.engine import open_database

    database = open_database(server_url)
    try:
        _save(database, _complaint())
        outcome: list[BaseException | None] = []
        with database.transaction() as first:
            records.save(first, _complaint(summary="First"), expected_version=1)

            def second() -> None:
                try:
                    _save(database, _complaint(summary="Second"), expected=1)
                    outcome.append(None)
                except BaseException as error:  # handed to the test
                    outcome.append(error)

            racing = threading.Thread(target=second)
            racing.start()
            racing.join(0.5)
            assert racing.is_alive()  # waiting for the first save's lock
        racing.join(10)
        assert len(outcome) == 1 and isinstance(outcome[0], RecordChangedElsewhere)
        with database.session() as session:
            saved = records.load(session, Kind.COMPLAINT, "C-1")
        assert saved is not None and saved.summary == "First"
    finally:
        database.close()


@pytest.mark.postgresql
def test_the_server_writes_the_login_into_the_audit_trail(server_url, postgres) -> None:
    """A client that names someone else in an audit event gets its own login written."""
    from cscdesk.store.engine import open_database

    database = open_database(server_url)
    try:
        with database.transaction() as session:
            session.execute(insert(AuditEvent), [audit.event_values(
                "update", "complaint", "C-9", {}, user="mallory")])
        with database.session() as session:
            assert session.scalars(select(AuditEvent.user)).all() == ["postgres"]
    finally:
        database.close()


@pytest.mark.postgresql
def test_the_bin_names_the_login_that_deleted(server_url) -> None:
    from cscdesk.store.engine import open_database
    from cscdesk.store.recycle_bin import items

    database = open_database(server_url)
    try:
        _save(database, _complaint())
        with database.transaction() as session:
            records.delete(session, Kind.COMPLAINT, "C-1")
        with database.session() as session:
            assert [item.deleted_by for item in items(session)] == ["postgres"]
    finally:
        database.close()


def test_who_last_changed_a_shared_value_is_kept(database) -> None:
    """On a server the login, written by the server whatever the PC sends; on a file the
    PC's user name (the conflict sentence for settings and teams names them)."""
    from sqlalchemy import update

    from cscdesk import settings
    from cscdesk.store.models import Setting, Team

    _save(database, _complaint())
    with database.transaction() as session:
        settings.put(session, settings.COUNCIL_NAME, "Eastmere")
        session.execute(update(Team).values(changed_by="mallory", retired=False))
    writer = "postgres" if database.on_server else getpass.getuser()
    with database.session() as session:
        assert session.get(Setting, settings.COUNCIL_NAME.key).changed_by == writer
        team = session.scalars(select(Team)).one()
    assert team.changed_by == ("postgres" if database.on_server else "mallory")
