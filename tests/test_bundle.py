"""The frozen one-folder bundle (installer/build.sh) runs as an officer's PC would run it.

The bundle is built into dist/cscdesk when it is missing or older than any source file, which
takes one to two minutes on a 2-core machine; later runs reuse it. Every program is started as a
real subprocess from the bundle, with no access to the source tree's Python.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest

from cscdesk.store.revision import HEAD_REVISION

pytestmark = pytest.mark.slow
# The Windows bundle is built and run by .github/workflows/windows.yml instead.
fcntl = pytest.importorskip("fcntl", reason="the Windows bundle is checked by its own workflow")

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "cscdesk"
SOURCES = (ROOT / "src", ROOT / "resources", ROOT / "installer", ROOT / "pyproject.toml")
# 150 until psycopg (team mode) brought its libpq, OpenSSL, Kerberos; 160 until letters and
# emails (docxtpl with lxml, extract-msg) added 12 MB: 158 MB before, 170 MB after. The report
# pack's charts are drawn by ReportLab and Pillow, both already here.
SIZE_LIMIT_MB = 180
BUILD_TIMEOUT_S = 540
LOCK = ROOT / "build" / "bundle-test.lock"
# Only the Windows bundle has a separate windowed cscdesk-gui; here cscdesk opens the window.
WINDOWED = "cscdesk"


def newest_source_change() -> float:
    times = [
        path.stat().st_mtime
        for source in SOURCES
        for path in ([source] if source.is_file() else source.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]
    return max(times)


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/cscdesk, built with installer/build.sh unless it is newer than every source.

    A lock file keeps two test runs in one checkout from building into the same folders at once.
    """
    program = BUNDLE / "cscdesk"
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not program.exists() or program.stat().st_mtime < newest_source_change():
            result = subprocess.run(
                ["bash", str(ROOT / "installer" / "build.sh")],
                cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
                env={**os.environ, "PYTHON": sys.executable}, check=False,
            )
            if result.returncode != 0:
                pytest.fail(f"installer/build.sh failed ({result.returncode}):\n"
                            f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    return BUNDLE


@pytest.fixture
def home(cscdesk_home: Path) -> dict[str, str]:
    """The environment for the bundle: every file in this test's cscdesk home, Qt offscreen."""
    env = {**os.environ, "CSCDESK_HOME": str(cscdesk_home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("CSCDESK_DB", None)
    env.pop("PYTHONPATH", None)
    return env


def run(bundle: Path, env: dict[str, str], *args: str | Path,
        program: str = "cscdesk", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / program), *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env, check=False, cwd=bundle.parent,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The program's output, after checking it succeeded (showing its log when it did not)."""
    if result.returncode != 0:
        log = ""
        if "Details are in " in result.stderr:
            log_path = Path(result.stderr.split("Details are in ", 1)[1].strip().rstrip("."))
            log = log_path.read_text(encoding="utf-8")[-4000:] if log_path.exists() else ""
        pytest.fail(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}\n{log}")
    return result.stdout


def bundled_commands(bundle: Path, env: dict[str, str]) -> str:
    return ok(run(bundle, env, "--help"))


def needs_command(bundle: Path, env: dict[str, str], name: str) -> None:
    if f"    {name} " not in bundled_commands(bundle, env):
        pytest.skip(f"the `{name}` command is not in this build of cscdesk yet")


@pytest.fixture(scope="module")
def demo_db(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database made by the bundle, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "CSCDESK_HOME": str(folder / "home"), "QT_QPA_PLATFORM": "offscreen"}
    needs_command(bundle, env, "demo")
    path = folder / "demo.db"
    ok(run(bundle, env, "demo", "--db", path, timeout=300))
    return path


@pytest.fixture
def window(bundle: Path, home: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [str(bundle / WINDOWED), "--db", str(tmp_path / "window.db")],
        env=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)
    process.communicate()


def test_bundle_is_one_folder_under_the_size_limit(bundle: Path):
    assert (bundle / "cscdesk").is_file()
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()]
    size = sum(path.stat().st_size for path in files)
    assert size < SIZE_LIMIT_MB * 1_000_000, f"bundle is {size / 1e6:.1f} MB"


def test_bundle_leaves_out_unused_qt(bundle: Path):
    names = {path.name for path in bundle.rglob("*")}
    for unused in ("QtNetwork", "QtQml", "QtQuick", "QtPdf", "QtWebEngineCore", "QtSvg"):
        assert not [name for name in names if unused in name], unused
    assert not list(bundle.rglob("translations/*.qm"))
    assert [name for name in names if "qoffscreen" in name]


def test_letter_and_email_libraries_work_in_the_bundle(bundle: Path, home: dict[str, str]):
    """docxtpl (python-docx's default parts, lxml, Jinja2) fills a template, and extract-msg
    loads with its parts, in the bundled process (installer/entry.py --bundled-libraries)."""
    output = ok(run(bundle, home, "--bundled-libraries"))
    assert "letter: Dear Zoë O’Brien & Sons <Ltd>," in output
    assert "ebcdic: cscdesk" in output
    for name in ("extract_msg", "olefile", "compressed_rtf", "RTFDE", "lark", "bs4", "tzlocal"):
        assert f"{name}: " in output


def test_letter_templates_are_in_the_bundle(bundle: Path):
    shipped = sorted(path.name for path in (ROOT / "resources" / "letters").glob("*.docx"))
    if not shipped:
        pytest.skip("no letter templates in resources/letters yet")
    bundled = bundle / "_internal" / "cscdesk" / "resources" / "letters"
    assert sorted(path.name for path in bundled.glob("*.docx")) == shipped


def test_version_comes_from_the_package_metadata(bundle: Path, home: dict[str, str]):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert ok(run(bundle, home, "--version")).strip() == f"cscdesk {project['version']}"


def test_window_paints_and_migrations_run_from_the_bundle(
        bundle: Path, home: dict[str, str], tmp_path: Path):
    database = tmp_path / "new.db"
    painted = run(bundle, {**home, "CSCDESK_EXIT_AFTER_FIRST_PAINT": "1"},
                  "--db", database, program=WINDOWED)
    ok(painted)
    assert "first paint after" in painted.stderr
    report = ok(run(bundle, home, "check", database))
    assert f"schema {HEAD_REVISION}" in report


def test_window_stays_open_until_closed(window: subprocess.Popen, tmp_path: Path):
    deadline = time.monotonic() + 60
    while not (tmp_path / "window.db").exists() and time.monotonic() < deadline:
        assert window.poll() is None, window.communicate()
        time.sleep(0.2)
    time.sleep(3)
    assert window.poll() is None, window.communicate()


def test_errors_are_a_sentence_not_a_traceback(bundle: Path, home: dict[str, str],
                                               tmp_path: Path):
    result = run(bundle, home, "check", tmp_path / "missing.db")
    assert result.returncode == 1
    assert result.stderr.startswith("cscdesk: ") and "Traceback" not in result.stderr


def test_demo_database_exports_and_imports(bundle: Path, home: dict[str, str], demo_db: Path,
                                           tmp_path: Path):
    summary = ok(run(bundle, home, "check", demo_db))
    assert " 0 complaints" not in summary
    # the demo's letters were filled by docxtpl inside the bundle, its emails read there
    assert "documents (" in summary and "each with the bytes it was added with" in summary
    workbook = tmp_path / "all.xlsx"
    ok(run(bundle, home, "--db", demo_db, "export", workbook))
    copy = tmp_path / "copy.db"
    ok(run(bundle, home, "--db", copy, "import", workbook, timeout=300))
    counts = ok(run(bundle, home, "check", copy))
    assert counts.splitlines()[0].split(";", 1)[1] == summary.splitlines()[0].split(";", 1)[1]


def test_backup_restores_on_a_new_pc(bundle: Path, home: dict[str, str], demo_db: Path,
                                      tmp_path: Path):
    """The move described in docs/it-guide.md: back up, then restore into an empty home."""
    carried = tmp_path / "usb stick"
    carried.mkdir()
    ok(run(bundle, home, "--db", demo_db, "backup", "--to", carried))
    (backup,) = carried.glob("demo-*.db")
    new_pc = {**home, "CSCDESK_HOME": str(tmp_path / "new pc")}
    ok(run(bundle, new_pc, "restore", backup))
    restored = ok(run(bundle, new_pc, "check"))
    assert str(tmp_path / "new pc" / "data" / "cscdesk.db") in restored
    original = ok(run(bundle, home, "check", demo_db))
    # the first line: a file no backup list names adds that it cannot be verified
    assert restored.splitlines()[0].split(";", 1)[1] == original.splitlines()[0].split(";", 1)[1]


def test_report_writes_the_appendix_pdf(bundle: Path, home: dict[str, str], demo_db: Path,
                                        tmp_path: Path):
    needs_command(bundle, home, "report")
    output = tmp_path / "appendix 2018-19.pdf"
    ok(run(bundle, home, "--db", demo_db, "report", "--year", "2018", "--output", output,
           timeout=300))
    assert output.read_bytes().startswith(b"%PDF-")
    with pdfplumber.open(output) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "2018" in text


def test_report_writes_the_word_version_with_its_charts(bundle: Path, home: dict[str, str],
                                                        demo_db: Path, tmp_path: Path):
    """python-docx's template parts and Pillow's FreeType (the charts' pictures) are bundled."""
    import docx

    output = tmp_path / "appendix 2018-19.docx"
    ok(run(bundle, home, "--db", demo_db, "report", "--year", "2018", "--format", "docx",
           "--sections", "all", "--output", output, timeout=300))
    document = docx.Document(str(output))
    assert "Five-Year Trends:" in [paragraph.text for paragraph in document.paragraphs]
    assert len(document.inline_shapes) == 3


def test_an_encrypted_database_works_from_the_bundle(bundle: Path, home: dict[str, str],
                                                     demo_db: Path, tmp_path: Path):
    key = tmp_path / "key.txt"
    key.write_text("a long enough passphrase\n", encoding="utf-8")
    copy = tmp_path / "encrypted.db"
    copy.write_bytes(demo_db.read_bytes())
    ok(run(bundle, home, "--db", copy, "encrypt", "--new-passphrase-file", key))
    assert b"SQLite format 3" not in copy.read_bytes()[:16]
    summary = ok(run(bundle, home, "--db", copy, "--passphrase-file", key, "check"))
    assert "is sound" in summary
    output = tmp_path / "encrypted.pdf"
    ok(run(bundle, home, "--db", copy, "--passphrase-file", key, "report", "--year", "2018",
           "--output", output, timeout=300))
    assert output.read_bytes().startswith(b"%PDF-")
