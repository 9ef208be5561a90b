"""An appendix made on a server while officers save reads one consistent snapshot: every figure
of one report comes from the same moment (REPEATABLE READ), not some from before a save and
some from after."""

from __future__ import annotations

from datetime import date

import pytest

from cscdesk.domain.kinds import ComplaintData
from cscdesk.report.query import reading
from cscdesk.store import records
from cscdesk.store.engine import open_database

pytestmark = pytest.mark.postgresql


def test_a_save_during_a_report_is_not_half_seen(server_url) -> None:
    officer = open_database(server_url)
    try:
        with officer.transaction() as session:
            records.save(session, ComplaintData("C-1", date(2026, 10, 1), 1, "Fostering"))
        with reading(server_url) as query:
            before = query.rows("SELECT count(*) FROM complaint")[0][0]
            with officer.transaction() as session:  # saved and committed meanwhile
                records.save(session, ComplaintData("C-2", date(2026, 10, 2), 1, "Fostering"))
            assert query.rows("SELECT count(*) FROM complaint")[0][0] == before == 1
            assert query.rows("SELECT count(*) FROM team")[0][0] == 1
        with reading(server_url) as query:
            assert query.rows("SELECT count(*) FROM complaint")[0][0] == 2
    finally:
        officer.close()
