"""Set up a development environment and run cscdesk or its tests, with nothing but Python.

    python3 dev.py app     # create .venv, install cscdesk, build a demo database, open the app
    python3 dev.py test    # create .venv, install cscdesk with its test tools, lint, type-check,
                           # run every test

Works the same on Windows (`py dev.py app`). Only the standard library is used here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DEMO_DB = ROOT / "demo" / "cscdesk-demo.db"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_environment(extra: str = "") -> Path:
    """Create .venv once and (re)install the project into it, editable."""
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(venv_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".{extra}" if extra else "."
    run(venv_python(), "-m", "pip", "install", "--quiet", "--editable", target)
    return venv_python()


def open_app() -> None:
    python = ensure_environment()
    if not DEMO_DB.exists():
        run(python, "-m", "cscdesk", "--db", DEMO_DB, "demo")
    run(python, "-m", "cscdesk", "--db", DEMO_DB)


def run_tests(pytest_args: list[str]) -> None:
    python = ensure_environment("[test]")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run(python, "-m", "ruff", "check", "src", "tests", "bench", "installer", "dev.py", env=env)
    run(python, "-m", "mypy", env=env)  # src/, as [tool.mypy] in pyproject.toml says
    run(python, "-m", "pytest", *pytest_args, env=env)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "app":
        open_app()
    elif command == "test":
        run_tests(sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
