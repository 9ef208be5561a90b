"""`cscdesk figures` and `cscdesk report`: the appendix's figures, and the appendix as a PDF or
a Word document.

Heavy libraries (ReportLab, SQLAlchemy's ORM) are imported only when one of these commands
runs, and an up-to-date database is read without the ORM, so the whole command stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from cscdesk.domain.years import ReportingYear
from cscdesk.errors import InputError, UserFacingError


def register(subparsers: argparse._SubParsersAction) -> None:
    figures = subparsers.add_parser(
        "figures", help="print the appendix figures of a reporting year",
        description="Print every figure of the annual appendix for a reporting year and the "
        "year before.")
    _add_year(figures)
    figures.add_argument("--json", action="store_true", help="print the figures as JSON")
    figures.add_argument("--as-of", metavar="DATE", type=_parse_date,
                         help="count both years only up to this day of the year (YYYY-MM-DD)")
    figures.set_defaults(handler=run_figures)

    report = subparsers.add_parser(
        "report", help="write the annual appendix as a PDF or a Word document",
        description="Write the annual appendix (complaints and representations) as a PDF or, "
        "with --format docx, as a Word document.")
    _add_year(report)
    report.add_argument("--format", choices=("pdf", "docx"), default=None,
                        help="pdf (the default) or docx (Word); --output's ending also says")
    report.add_argument("--output", "-o", type=Path, metavar="FILE.pdf|FILE.docx",
                        help="where to write the file (default: the report folder, named after "
                        "the year)")
    report.add_argument("--sections", metavar="LIST",
                        help="the optional sections to print, comma-separated: trends, "
                        "timeliness, outcomes, who_complained, or all or none (default: those "
                        "chosen for the year in the app)")
    report.add_argument("--suppress-small", action=argparse.BooleanOptionalAction, default=None,
                        help="print counts below 5 in team tables as <5 (default: the setting)")
    report.set_defaults(handler=run_report)


def _add_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", metavar="YEAR",
                        help="reporting year: 2018, 2018/19 or 2018-19 (default: the last "
                        "complete year)")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        message = f"“{text}” is not a date; write it as YYYY-MM-DD."
        raise argparse.ArgumentTypeError(message) from None


def _year(args: argparse.Namespace) -> ReportingYear:
    return ReportingYear.parse(args.year) if args.year else ReportingYear.last_complete()


def run_figures(args: argparse.Namespace) -> int:
    from cscdesk.report.figures import compute_figures
    from cscdesk.report.figures_text import as_dict, as_text
    from cscdesk.report.pack_text import pack_dict, pack_lines
    from cscdesk.report.query import reading

    year = _year(args)
    with reading(args.db_path, args.passphrase) as query:
        figures = compute_figures(query, year, as_of=args.as_of)
        pack = None if args.as_of is not None else _pack_figures(query, year)
    if args.json:
        data = as_dict(figures)
        if pack is not None:
            data.update(pack_dict(*pack))
        text = json.dumps(data, indent=2, ensure_ascii=False)
    else:
        text = as_text(figures)
        if pack is not None:
            text += "\n\n" + "\n".join(pack_lines(*pack))
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `cscdesk figures | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _pack_figures(query: Any, year: ReportingYear) -> tuple[Any, Any]:
    """The optional sections' whole-year figures (not with --as-of, which cuts the year)."""
    from cscdesk.report.statutory import compute_statutory
    from cscdesk.report.trends import compute_trends

    return compute_statutory(query, year), compute_trends(query, year)


def _default_output(args: argparse.Namespace, year: ReportingYear, suffix: str) -> Path:
    from cscdesk import paths, settings
    from cscdesk.report.query import reading

    with reading(args.db_path, args.passphrase) as query:
        folder_text = settings.get(query, settings.REPORT_FOLDER)
    folder = Path(folder_text) if folder_text else paths.default_report_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserFacingError(f"The report folder {folder} cannot be created: "
                              f"{error.strerror or error}. Give --output.") from error
    return folder / f"Complaints appendix {year.long_label}{suffix}"  # the app's name too


def _suffix(args: argparse.Namespace) -> str:
    """The file's ending: from --format, else from --output, else .pdf; the two must agree."""
    given = args.output.suffix.lower() if args.output is not None else None
    wanted = f".{args.format}" if args.format else None
    if given is not None and given not in (".pdf", ".docx"):
        raise InputError(f"The output file {args.output} must end in .pdf or .docx.")
    if given is not None and wanted is not None and given != wanted:
        raise InputError(f"The output file {args.output} must end in {wanted} for "
                         f"--format {args.format}.")
    return wanted or given or ".pdf"


def run_report(args: argparse.Namespace) -> int:
    from cscdesk.report.appendix import make_appendix_from_file
    from cscdesk.report.pack_choice import parse_sections

    year = _year(args)
    suffix = _suffix(args)
    sections = None if args.sections is None else parse_sections(args.sections)
    output = args.output if args.output is not None else _default_output(args, year, suffix)
    written = make_appendix_from_file(args.db_path, year, output,
                                      suppress_small=args.suppress_small,
                                      passphrase=args.passphrase, sections=sections)
    print(f"Wrote the {year.label} appendix to {written}")
    return 0
