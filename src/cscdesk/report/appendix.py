"""Making the appendix in one call: what the app's buttons and `cscdesk report` use.

    make_appendix(db, year, output_path) -> Path        # the app: an open Database
    make_appendix_from_file(db_path, year, output_path) # the command: a database file

The file's suffix chooses the format: `.docx` makes the Word version, anything else the PDF.
Both read everything in one short read-only session and write the file safely (`writing.py`).
ReportLab and python-docx are imported here, not at the package's top, so that nothing else
pays for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cscdesk.domain.years import ReportingYear
from cscdesk.report.content import AppendixContent, load_content
from cscdesk.report.query import reading

if TYPE_CHECKING:
    from cscdesk.store.engine import Database
    from cscdesk.store.location import ServerURL

WORD_SUFFIX = ".docx"


def _year(year: ReportingYear | str | int) -> ReportingYear:
    return year if isinstance(year, ReportingYear) else ReportingYear.parse(str(year))


def is_word(path: Path | str) -> bool:
    return Path(path).suffix.lower() == WORD_SUFFIX


def _write(content: AppendixContent, output_path: Path | str) -> Path:
    if is_word(output_path):
        from cscdesk.report.word import write_docx

        return write_docx(content, output_path)
    from cscdesk.report.pdf import write_pdf

    return write_pdf(content, output_path)


def make_appendix(db: Database, year: ReportingYear | str | int, output_path: Path | str, *,
                  suppress_small: bool | None = None, sections: Iterable[str] | None = None
                  ) -> Path:
    """Write the appendix for `year` to `output_path`; returns the path written.

    `suppress_small` None follows the SMALL_NUMBER_SUPPRESSION setting, `sections` None the
    optional sections remembered for the year. Raises UserFacingError with a sentence when the
    file cannot be written.
    """
    reporting_year = _year(year)
    with db.session() as session:
        content = load_content(session, reporting_year, suppress_small=suppress_small,
                               sections=sections)
    return _write(content, output_path)


def make_appendix_from_file(db_path: Path | ServerURL, year: ReportingYear | str | int,
                            output_path: Path | str, *, suppress_small: bool | None = None,
                            passphrase: str | None = None,
                            sections: Iterable[str] | None = None) -> Path:
    """As `make_appendix`, reading the database file at `db_path` directly."""
    reporting_year = _year(year)
    with reading(db_path, passphrase) as query:
        content = load_content(query, reporting_year, suppress_small=suppress_small,
                               sections=sections)
    return _write(content, output_path)
