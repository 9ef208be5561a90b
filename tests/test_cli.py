"""The command line as a user runs it: a real subprocess each time."""

from pathlib import Path

from cscdesk import __version__


def test_version_comes_from_the_package_metadata(cli) -> None:
    result = cli("--version", check=True)
    assert result.stdout.strip() == f"cscdesk {__version__}"
    assert __version__ != "0+unknown"


def test_help_lists_the_database_option(cli) -> None:
    result = cli("--help", check=True)
    assert "--db PATH" in result.stdout


def test_the_log_file_is_written_under_the_home_folder(cli, cscdesk_home: Path) -> None:
    cli("--version", check=True)
    assert (cscdesk_home / "logs" / "cscdesk.log").is_file()
