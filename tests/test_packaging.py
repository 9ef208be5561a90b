"""The package list in pyproject.toml names every package, so `pip install .` ships them all."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    source = ROOT / "src"
    found = {
        ".".join(init.parent.relative_to(source).parts)
        for init in source.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found | {"cscdesk.resources"} == listed


def test_no_qt_below_the_ui_package() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "cscdesk").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "src" / "cscdesk").parts[:1]
        and "PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
