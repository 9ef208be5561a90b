"""Backups of a database holding casework (actions, Ombudsman letters, complaints' step dates):
counted in the manifest and said by the command, and whole after a restore; a file and a
server."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cscdesk.cli import main
from cscdesk.domain.kinds import ActionData, ActionKind, ComplaintData, Kind, Outcome
from cscdesk.store import records
from cscdesk.store.backup_list import MANIFEST_NAME
from cscdesk.store.models import OmbudsmanLetter


def fill(location: object) -> None:
    from cscdesk.store.engine import open_database

    db = open_database(location)  # type: ignore[arg-type]
    try:
        with db.transaction() as session:
            records.save(session, ComplaintData(
                "C-1", date(2024, 5, 1), 2, "Adoption", responded=date(2024, 6, 20),
                closed=date(2024, 6, 21), outcome=Outcome.UPHELD,
                statement_agreed=date(2024, 5, 8), investigating_officer="Eluned Pryce",
                officer_appointed=date(2024, 5, 9), report_received=date(2024, 6, 10)))
            for number, kind in enumerate(ActionKind):
                records.save(session, ActionData(
                    f"A-{number}", date(2024, 6, 21), "C-1", kind, "Adoption",
                    f"Action {number}", date(2024, 7, 21),
                    amount=Decimal("150") if kind is ActionKind.REMEDY else None))
            session.add(OmbudsmanLetter(year=2024, decided=4, upheld_percent=50))
    finally:
        db.close()


def restored_actions(location: object) -> list[ActionData]:
    from cscdesk.store.engine import open_database

    db = open_database(location)  # type: ignore[arg-type]
    try:
        with db.session() as session:
            assert records.load(session, Kind.COMPLAINT, "C-1").investigating_officer \
                == "Eluned Pryce"
            return records.actions_of(session, "C-1")
    finally:
        db.close()


def test_a_file_backup_counts_actions_and_restores_them(db_path: Path, tmp_path: Path,
                                                        capsys) -> None:
    fill(db_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["--db", str(db_path), "backup", "--to", str(folder)]) == 0
    assert "3 actions" in capsys.readouterr().out
    [entry] = json.loads((folder / MANIFEST_NAME).read_text())["backups"]
    assert entry["counts"]["action"] == 3 == entry["counts"]["action_search"]
    assert entry["counts"]["ombudsman_letter"] == 1
    db_path.unlink()
    assert main(["--db", str(db_path), "restore", str(folder / entry["file"])]) == 0
    actions = restored_actions(db_path)
    assert [a.reference for a in actions] == ["A-0", "A-1", "A-2"]
    assert actions[2].amount == Decimal("150")


@pytest.mark.postgresql
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_server_backup_counts_actions_and_restores_them(server_url, empty_server_url,
                                                          tmp_path: Path, capsys) -> None:
    fill(server_url)
    assert main(["--db", str(server_url), "backup", "--to", str(tmp_path)]) == 0
    assert "3 actions" in capsys.readouterr().out
    [entry] = json.loads((tmp_path / MANIFEST_NAME).read_text())["backups"]
    assert entry["counts"]["action"] == 3 and entry["counts"]["ombudsman_letter"] == 1
    assert main(["--db", str(empty_server_url), "restore", str(tmp_path / entry["file"])]) == 0
    assert [a.what for a in restored_actions(empty_server_url)] == [
        "Action 0", "Action 1", "Action 2"]
