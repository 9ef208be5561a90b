"""Change notices on a server database (migration 0005, `store.change_feed`): a commit made on
another connection is heard within 2 s, a rolled-back one never, and the feed carries on after
the server ends its connection. Real server, real connections."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date

import psycopg
import pytest

from cscdesk.domain.kinds import ComplaintData
from cscdesk.store import records
from cscdesk.store.change_feed import EVERYTHING, ChangeFeed
from cscdesk.store.engine import open_database

pytestmark = pytest.mark.postgresql


@pytest.fixture
def feed(server_url) -> Iterator[ChangeFeed]:
    feed = ChangeFeed(server_url)
    assert feed.listening.wait(10), "the feed never started listening"
    yield feed
    feed.close()


def heard_within(feed: ChangeFeed, seconds: float,
                 wanted: Callable[[set[str]], bool]) -> set[str]:
    """Everything the feed took until `wanted` held of it, or by the deadline."""
    taken: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        taken |= feed.take()
        if wanted(taken):
            break
        time.sleep(0.02)
    return taken


def complaint(reference: str) -> ComplaintData:
    return ComplaintData(reference, date(2026, 10, 1), 1, "Fostering", complainant="Ann Smith",
                         summary="Late visit")


def test_a_commit_on_another_connection_is_heard_within_two_seconds(feed, server_url) -> None:
    other = open_database(server_url)
    try:
        started = time.monotonic()
        with other.transaction() as session:
            records.save(session, complaint("C-1"))
        heard = heard_within(feed, 2, lambda taken: "complaint" in taken)
        assert "complaint" in heard, heard
        assert time.monotonic() - started < 2
        # the save also added the team: the lists change too, each table named once
        assert heard <= {"complaint", "team", "root_cause"}
    finally:
        other.close()


def test_a_rolled_back_transaction_sends_nothing(feed, server_url) -> None:
    with psycopg.connect(server_url.url) as connection:
        connection.execute("INSERT INTO team (name, retired, created_at, updated_at) "
                           "VALUES ('Duty', false, now(), now())")
        connection.execute("DELETE FROM setting")
        connection.rollback()
        # a marker committed after it: once it is heard, the rollback's would have been too
        connection.execute("INSERT INTO root_cause (name, retired, created_at, updated_at) "
                           "VALUES ('Delay', false, now(), now())")
        connection.commit()
    heard = heard_within(feed, 5, lambda taken: "root_cause" in taken)
    assert heard == {"root_cause"}


def test_the_feed_carries_on_after_the_server_ends_its_connection(feed, server_url,
                                                                  postgres) -> None:
    ended = postgres.admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'cscdesk changes' AND datname = %s",
        (server_url.database,)).fetchall()
    assert ended == [(True,)]
    deadline = time.monotonic() + 10
    while feed.reconnections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert feed.reconnections == 1 and feed.listening.is_set()
    # what was sent while it was away is unknown: everything shown is read again
    assert EVERYTHING in heard_within(feed, 1, lambda taken: EVERYTHING in taken)
    with psycopg.connect(server_url.url) as connection:
        connection.execute("INSERT INTO non_working_day (day, description, created_at, "
                           "updated_at) VALUES ('2026-12-24', 'Christmas Eve', now(), now())")
    assert "non_working_day" in heard_within(feed, 2, lambda taken: "non_working_day" in taken)


def test_closing_the_feed_ends_its_connection(server_url, postgres) -> None:
    feed = ChangeFeed(server_url)
    assert feed.listening.wait(10)
    feed.close()
    assert not feed.listening.is_set()
    deadline = time.monotonic() + 5  # the server's process ends just after the goodbye
    while time.monotonic() < deadline:
        left = postgres.admin.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = 'cscdesk changes' AND datname = %s",
            (server_url.database,)).fetchone()
        if left == (0,):
            break
        time.sleep(0.05)
    assert left == (0,)


def test_a_feed_that_cannot_connect_says_so_once_and_keeps_trying(postgres, caplog) -> None:
    from cscdesk.store.location import ServerURL

    missing = ServerURL(postgres.server.url("no_such_database"))
    with caplog.at_level("INFO", logger="cscdesk.store.change_feed"):
        feed = ChangeFeed(missing)
        try:
            deadline = time.monotonic() + 10
            while feed.failures < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert feed.failures >= 3 and not feed.listening.is_set()
        finally:
            started = time.monotonic()
            feed.close()
            assert time.monotonic() - started < 1  # a pause between tries ends at once
    warnings = [record for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == 1 and "no_such_database" in warnings[0].getMessage()


def test_a_password_the_officer_typed_is_used(password_login) -> None:
    from cscdesk.store import server_password

    server_password.use(password_login.url, password_login.password)
    try:
        feed = ChangeFeed(password_login.url)
        try:
            assert feed.listening.wait(10) and feed.failures == 0
        finally:
            feed.close()
    finally:
        server_password.drop(password_login.url)
