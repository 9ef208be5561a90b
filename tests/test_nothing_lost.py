"""Nothing lost, nothing leaked: write errors (a read-only file or folder, a full disk, a damaged
database) end in a sentence, leave nothing half-done, and never put a record's text in the log.
The command line runs as real subprocesses on real SQLite files.

The tests run as root in CI's containers, where file modes stop nobody: the child then drops
the capabilities that let root ignore them (`unprivileged`). A full disk is a file size limit
in the child (`file_size_limit`): SQLite and Python get EFBIG as they would ENOSPC.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from cscdesk.domain.kinds import ComplaintData, EnquiryData, EnquirySource, Outcome
from cscdesk.store import backup_folder, backup_list, records, soundness
from cscdesk.store.engine import open_database
from cscdesk.store.models import Compliment, Team
from workbooks import COMPLAINT_HEADER, write_workbook

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux file limits and modes")

# What the records and the workbook hold; none of it may ever reach the log.
SECRETS = ("Pemberton", "Quentin Marchbanks", "Marchbanks summary", "Secret summary text",
           "Zoë Ångström", "Weatherall")


def unprivileged() -> None:
    """In the child: as root, give up the capabilities that ignore file modes (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH, CAP_FOWNER), so a 0444 file or a 0555 folder refuses writes."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone after exec
            os._exit(97)


def file_size_limit(size: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def log_text(home: Path) -> str:
    folder = home / "logs"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(folder.glob("*")) if p.is_file())


def assert_no_secrets(home: Path) -> None:
    text = log_text(home)
    assert text, "nothing was logged"
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), f"{secret!r} is in the log:\n{text}"
    assert "[parameters:" not in text or "hidden due to hide_parameters" in text


def assert_sentence(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.startswith("cscdesk: ")
    assert "unexpected error" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def make_database(path: Path, extra: int = 0, passphrase: str | None = None) -> Path:
    db = open_database(path, passphrase=passphrase)
    with db.transaction() as session:
        records.save(session, ComplaintData(
            "C-1", date(2015, 5, 1), 1, "Adoption", closed=date(2015, 6, 1),
            outcome=Outcome.UPHELD, complainant="Mrs Pemberton",
            summary="Secret summary text about Pemberton"))
        records.save(session, EnquiryData("E-1", date(2019, 1, 1), EnquirySource.MP, "MASH",
                                          enquirer="Zoë Ångström", responded=date(2019, 1, 9)))
        if extra:
            team_id = session.scalar(insert(Team).values(name="Fostering").returning(Team.id))
            session.execute(insert(Compliment), [
                {"reference": f"K-{i:05}", "received": date(2016, 5, 1), "team_id": team_id,
                 "summary": f"Thanks from the Weatherall family {i} " * 3}
                for i in range(extra)
            ])
    db.close()
    return path


def make_workbook(path: Path, rows: int = 1) -> Path:
    return write_workbook(path, {"Complaints": [
        COMPLAINT_HEADER,
        *([f"C-9{i}", date(2024, 5, 3), 1, "Fostering", None, None, None, None, None, None,
           None, None, None, None, None, "Quentin Marchbanks", "Marchbanks summary " * 20]
          for i in range(rows)),
    ]})


def counts(path: Path) -> dict[str, int]:
    return soundness.check_database(path).counts


def damage_page(path: Path, page: int) -> None:
    """Overwrite one page, as a failing disk would."""
    connection = sqlite3.connect(path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    finally:
        connection.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def damage_index(path: Path, index: str) -> None:
    """Damage one index's root page; the tables stay readable."""
    connection = sqlite3.connect(path)
    try:
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (index,)).fetchone()[0]
    finally:
        connection.close()
    damage_page(path, root)


def damage_table(path: Path, table: str) -> None:
    """Damage a page of a table's rows, in the middle of them."""
    connection = sqlite3.connect(path)
    try:
        pages = [row[0] for row in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
    finally:
        connection.close()
    damage_page(path, pages[len(pages) // 2])


# --- 1. no personal data in the log ------------------------------------------------------------


def test_write_errors_and_failed_searches_leave_no_personal_data_in_the_log(
        cli, tmp_path: Path, cscdesk_home: Path) -> None:
    workbook = make_workbook(tmp_path / "in.xlsx", rows=600)  # more than the file limit
    read_only = make_database(tmp_path / "ro.db")
    read_only.chmod(0o444)
    # a full disk while importing: the write-ahead log cannot grow
    full = make_database(tmp_path / "full.db")
    cli("--db", full, "import", workbook, preexec_fn=file_size_limit(full.stat().st_size))
    # the same with an encrypted database: the file hides the text, the log must too
    encrypted = make_database(tmp_path / "secret.db", passphrase="correct horse battery")
    (tmp_path / "pass.txt").write_text("correct horse battery\n", encoding="utf-8")
    cli("--db", encrypted, "--passphrase-file", tmp_path / "pass.txt", "import", workbook,
        preexec_fn=file_size_limit(encrypted.stat().st_size))
    cli("--db", read_only, "import", workbook, preexec_fn=unprivileged)
    cli("--db", read_only, "hold", "--kind", "complaint", "C-1", preexec_fn=unprivileged)
    # subject access searches that fail half-way: the rows they read are damaged
    damaged = make_database(tmp_path / "damaged.db", extra=2000)
    damage_table(damaged, "compliment")
    searches = [cli("--db", damaged, "subject-access", name, "--workbook", tmp_path / "s.xlsx")
                for name in ("Pemberton", "Zoë Ångström", "Weatherall")]
    cli("--db", damaged, "import", workbook)
    assert_no_secrets(cscdesk_home)
    assert log_text(cscdesk_home).count("import failed") >= 3  # the failures were logged
    for result in searches:
        assert_sentence(result, "is damaged")


def test_the_engine_hides_statement_parameters(database) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as caught, database.transaction() as session:
        session.execute(text("INSERT INTO team (id, name) VALUES (1, :n), (1, :n)"),
                        {"n": "Quentin Marchbanks"})
    assert "Marchbanks" not in str(caught.value)


def test_a_logged_traceback_names_code_but_not_values(cscdesk_home: Path) -> None:
    import logging

    from cscdesk.logs import PrivateFormatter

    name = " ".join(("Quentin", "Marchbanks"))  # data, not code: not in any source line

    def fails() -> None:
        try:
            {}[name]
        except KeyError as error:
            raise ValueError(f"{name} is bad") from error

    try:
        fails()
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    text = PrivateFormatter().format(record)
    assert "in fails" in text and "KeyError" in text and "ValueError" in text
    assert "Marchbanks" not in text


# --- 3. a damaged database is not written --------------------------------------------------------


def test_commands_that_write_refuse_a_damaged_database_and_name_the_latest_good_backup(
        cli, tmp_path: Path) -> None:
    db = make_database(tmp_path / "cases.db", extra=2000)
    cli("--db", db, "hold", "--kind", "complaint", "C-1", check=True)  # sound: writes work
    cli("--db", db, "hold", "--off", "--kind", "complaint", "C-1", check=True)
    made = cli("--db", db, "backup", check=True)  # to the default folder
    assert "integrity check ok" in made.stdout
    damage_index(db, "ix_complaint_received")
    before = db.read_bytes()
    good = backup_list.list_backups(backup_folder.backup_folder_for(db))[0].path
    workbook = make_workbook(tmp_path / "in.xlsx")
    for command in (["import", workbook], ["hold", "--kind", "complaint", "C-1"],
                    ["anonymise", "--kind", "complaint", "C-1"],
                    ["purge", "--kind", "enquiry", "E-1"]):
        result = cli("--db", db, *command)
        assert_sentence(result, "is damaged", "quick check", "Nothing was written",
                        f'cscdesk restore "{good}"')
    assert db.read_bytes() == before
    assert cli("--db", db, "check").returncode == 1


# --- 4. a sentence, not "an unexpected error" ---------------------------------------------------


def test_a_read_only_database_file_gets_a_sentence(cli, tmp_path: Path) -> None:
    db = make_database(tmp_path / "cases.db")
    db.chmod(0o444)
    workbook = make_workbook(tmp_path / "in.xlsx")
    for command in (["import", workbook], ["hold", "--kind", "complaint", "C-1"]):
        assert_sentence(cli("--db", db, *command, preexec_fn=unprivileged),
                        "is read-only", "nothing was changed")
    db.chmod(0o644)
    assert counts(db)["complaint"] == 1


def test_a_full_disk_during_import_changes_nothing(cli, tmp_path: Path) -> None:
    db = make_database(tmp_path / "cases.db")
    workbook = make_workbook(tmp_path / "in.xlsx", rows=600)
    # the write-ahead log may not grow past the database's own size
    result = cli("--db", db, "import", workbook, preexec_fn=file_size_limit(db.stat().st_size))
    assert_sentence(result, "disk is full", "nothing was changed")
    assert counts(db)["complaint"] == 1
    assert counts(db)["audit_event"] == 2


def test_a_damaged_database_read_by_commands_gets_a_sentence(cli, tmp_path: Path) -> None:
    db = make_database(tmp_path / "cases.db", extra=2000)
    damage_index(db, "sqlite_autoindex_compliment_1")  # every query by reference reads it
    damage_index(db, "ix_compliment_received")
    for command in (["export", tmp_path / "out.xlsx"], ["retention", "--years", "1"],
                    ["subject-access", "Weatherall", "--workbook", tmp_path / "s.xlsx"],
                    ["import", make_workbook(tmp_path / "in.xlsx")]):
        result = cli("--db", db, *command)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
        if result.returncode == 1:
            assert "is damaged" in result.stderr


def test_a_reader_that_closes_the_pipe_is_no_error(tmp_path: Path) -> None:
    """`cscdesk retention | head -2`: exit 0, nothing on stderr."""
    db = make_database(tmp_path / "cases.db", extra=4000)  # far more than a pipe holds
    process = subprocess.Popen(
        [sys.executable, "-m", "cscdesk", "--db", str(db), "retention", "--years", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    first = [process.stdout.readline(), process.stdout.readline()]
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0, error
    assert "record(s) closed more than 1 years ago" in first[0]
    assert error == ""


def test_subject_access_with_a_full_disk_keeps_neither_file(cli, tmp_path: Path) -> None:
    db = make_database(tmp_path / "cases.db", extra=40)
    workbook, pdf = tmp_path / "sar.xlsx", tmp_path / "sar.pdf"
    # room for the workbook (about 10 kB) but not the PDF (its fonts alone are more)
    result = cli("--db", db, "subject-access", "Weatherall", "--workbook", workbook, "--pdf", pdf,
                 preexec_fn=file_size_limit(40_000))
    assert_sentence(result, "disk is full", "nothing half-done was kept")
    assert sorted(p.name for p in tmp_path.iterdir() if "sar" in p.name) == []
    done = cli("--db", db, "subject-access", "Weatherall", "--workbook", workbook, "--pdf", pdf)
    assert done.returncode == 0 and workbook.is_file() and pdf.stat().st_size > 40_000


# --- 5. a database in a read-only folder -------------------------------------------------------


def test_a_database_in_a_read_only_folder_can_be_read_and_says_why_it_cannot_be_written(
        cli, tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    db = make_database(folder / "cases.db")
    folder.chmod(0o555)
    try:
        out = tmp_path / "out"
        out.mkdir()
        for command in (["check"], ["figures", "--year", "2015"], ["export", out / "all.xlsx"],
                        ["retention"], ["report", "--year", "2015", "--output", out / "a.pdf"],
                        ["audit-export", "--from", "2000-01-01", "--to", "2100-01-01",
                         "--output", out / "audit.xlsx"],
                        ["subject-access", "pemberton", "--workbook", out / "s.xlsx"]):
            result = cli("--db", db, *command, preexec_fn=unprivileged)
            assert result.returncode == 0, (command, result.stderr)
        assert "1 complaint" in cli("--db", db, "check", preexec_fn=unprivileged).stdout
        for command in (["import", make_workbook(out / "in.xlsx")],
                        ["hold", "--kind", "complaint", "C-1"]):
            assert_sentence(cli("--db", db, *command, preexec_fn=unprivileged),
                            f"The folder {folder} is read-only", "nothing was changed")
        assert sorted(p.name for p in folder.iterdir()) == ["cases.db"]  # no -wal, -shm, .lock
    finally:
        folder.chmod(0o755)


def test_readers_leave_nothing_beside_a_database_in_an_ordinary_folder(cli, tmp_path: Path
                                                                       ) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = make_database(folder / "cases.db")
    out = tmp_path / "out"
    out.mkdir()
    for command in (["export", out / "all.xlsx"], ["retention"], ["figures", "--year", "2015"],
                    ["subject-access", "pemberton", "--workbook", out / "s.xlsx"],
                    ["audit-export", "--from", "2000-01-01", "--to", "2100-01-01",
                     "--output", out / "audit.xlsx"]):
        cli("--db", db, *command, check=True)
        assert sorted(p.name for p in folder.iterdir()) == ["cases.db"], command


def test_background_work_that_fails_is_logged_without_its_message(caplog, monkeypatch
                                                                   ) -> None:
    """The app's worker threads log a failure by its kind; its message may hold a name."""
    import logging
    from types import SimpleNamespace

    from cscdesk.ui import workers

    monkeypatch.setattr(workers, "_mailbox", lambda: SimpleNamespace(
        post_finished=lambda number: None))  # no job waits for this run

    secret = " ".join(("Quentin", "Marchbanks"))

    def work(_progress) -> None:
        raise ValueError(f"{secret} cannot be saved")

    with caplog.at_level(logging.INFO, logger="cscdesk.ui.workers"):
        workers._Run(0, work).run()
    assert "background work failed: ValueError" in caplog.text
    assert "Marchbanks" not in caplog.text
