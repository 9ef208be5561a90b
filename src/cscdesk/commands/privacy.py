"""Data protection commands: audit export, retention review, legal hold, subject access."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.errors import InputError, UserFacingError

if TYPE_CHECKING:  # the store is imported when a command of this module runs
    from contextlib import AbstractContextManager

    from sqlalchemy.orm import Session

    from cscdesk.atomic import WriteFailed
    from cscdesk.privacy.subject_access import FoundRecord, Writer
    from cscdesk.store.engine import Database

# How `--kind` names each kind ("initial-feedback").
KIND_NAMES = {kind_spec.command_name: kind for kind, kind_spec in SPECS.items()}


def open_database(args: argparse.Namespace, **options: Any) -> Database:
    """The store, imported only when a command of this module runs (start-up stays quick)."""
    from cscdesk.store.opening import open_database as open_store

    return open_store(args.db_path, passphrase=args.passphrase, **options)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date written YYYY-MM-DD") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit-export", help="export the audit trail for a date range")
    audit.add_argument("--from", dest="start", type=iso_date, required=True, metavar="YYYY-MM-DD")
    audit.add_argument("--to", dest="end", type=iso_date, required=True, metavar="YYYY-MM-DD")
    audit.add_argument("--output", type=Path, required=True, metavar="FILE.xlsx")
    audit.set_defaults(handler=run_audit_export)

    retention = subparsers.add_parser(
        "retention", help="list records past the retention period (nothing is removed)")
    retention.add_argument("--years", type=int, help="years after closure (default: setting)")
    retention.set_defaults(handler=run_retention)

    for name, helptext in (("anonymise", "clear a record's personal fields and history"),
                           ("purge", "delete a record for good, with its personal history")):
        parser = subparsers.add_parser(name, help=helptext)
        parser.add_argument("--kind", choices=sorted(KIND_NAMES), required=True)
        parser.add_argument("references", nargs="+", metavar="REFERENCE")
        parser.set_defaults(handler=run_anonymise if name == "anonymise" else run_purge)

    hold = subparsers.add_parser("hold", help="place (or with --off lift) a legal hold")
    hold.add_argument("--kind", choices=sorted(KIND_NAMES), required=True)
    hold.add_argument("--off", action="store_true", help="lift the hold")
    hold.add_argument("references", nargs="+", metavar="REFERENCE")
    hold.set_defaults(handler=run_hold)

    access = subparsers.add_parser(
        "subject-access", help="export every record mentioning a person, with its history")
    access.add_argument("name", help="the person's name (or part of it)")
    access.add_argument("--workbook", type=Path, metavar="FILE.xlsx", help="write a workbook")
    access.add_argument("--pdf", type=Path, metavar="FILE.pdf", help="write a PDF")
    access.set_defaults(handler=run_subject_access)


def run_audit_export(args: argparse.Namespace) -> int:
    from cscdesk.privacy.audit_export import export_audit

    if args.end < args.start:
        raise InputError("--to is before --from.")
    db = open_database(args, create=False, lock=False)
    try:
        with db.session() as session:
            count = export_audit(session, args.start, args.end, args.output)
    finally:
        db.close()
    print(f"Wrote {count} audit events to {args.output}.")
    return 0


def run_retention(args: argparse.Namespace) -> int:
    from cscdesk import settings
    from cscdesk.store.personal_data import retention_candidates

    db = open_database(args, create=False, lock=False)
    try:
        with db.session() as session:
            years = args.years if args.years is not None else settings.get(
                session, settings.RETENTION_YEARS)
            found = retention_candidates(session, years)
    finally:
        db.close()
    print(f"{len(found)} record(s) closed more than {years} years ago:")
    for item in found:
        hold = "  LEGAL HOLD" if item.legal_hold else ""
        print(f"  {item.kind.value:<20} {item.reference:<20} closed {item.closed:%d/%m/%Y}{hold}")
    return 0


def _each(args: argparse.Namespace, action: Callable[[Session, Kind, str], object],
          verb: str) -> int:
    kind = KIND_NAMES[args.kind]
    db = open_database(args, create=False, quick_check=True)  # a damaged file is not written
    along = 0  # a case's actions, anonymised or deleted with it
    try:
        with db.transaction() as session:
            for reference in args.references:
                done = action(session, kind, reference)
                along += done if isinstance(done, int) else 0
    finally:
        db.close()
    count = len(args.references)
    with_actions = (f", with {along} {SPECS[Kind.ACTION].noun(along)} of "
                    f"{'it' if count == 1 else 'them'}" if along else "")
    print(f"{verb} {count} {SPECS[kind].noun(count)}{with_actions}.")
    return 0


def run_anonymise(args: argparse.Namespace) -> int:
    from cscdesk.store.personal_data import anonymise

    result = _each(args, anonymise, "Anonymised")
    print(_old_data_note(args))
    return result


def _old_data_note(args: argparse.Namespace) -> str:
    from cscdesk.store.backup_folder import old_data_note

    return old_data_note(args.db_path, args.passphrase)


def run_purge(args: argparse.Namespace) -> int:
    from cscdesk.store.personal_data import delete_for_retention

    result = _each(args, delete_for_retention, "Deleted for good")
    print(_old_data_note(args))
    return result


def run_hold(args: argparse.Namespace) -> int:
    from cscdesk.store.personal_data import set_legal_hold

    def apply(session: Session, kind: Kind, reference: str) -> None:
        set_legal_hold(session, kind, reference, not args.off)

    return _each(args, apply, "Lifted the legal hold on" if args.off else "Placed a legal hold on")


def run_subject_access(args: argparse.Namespace) -> int:
    """The records are found (their ids and references), then read a chunk at a time and
    written to the workbook and the PDF together, as they come: memory does not grow with the
    number of records found."""
    from cscdesk.privacy import subject_access
    from cscdesk.store.personal_data import find_everywhere, has_documents

    if args.workbook is None and args.pdf is None:
        raise InputError("Say where to write the pack: --workbook FILE.xlsx and/or --pdf FILE.pdf.")
    db = open_database(args, create=False, lock=False)
    try:
        with db.session() as session:
            found = find_everywhere(session, args.name)
            count = len(found)
            # the records' documents: files in a folder beside the pack, named after it
            pack = args.workbook if args.workbook is not None else args.pdf
            folder = (subject_access.documents_folder(pack) if has_documents(session, found)
                      else None)
            folder_name = folder.name if folder is not None else ""

            def workbook(path: Path) -> AbstractContextManager[subject_access.Writer]:
                return subject_access.workbook_writer(path, found.kinds(), folder_name)

            def pdf(path: Path) -> AbstractContextManager[subject_access.Writer]:
                from cscdesk.privacy.subject_access_pdf import pdf_writer

                return pdf_writer(path, args.name, count, folder_name)

            def folder_problem(failed: WriteFailed) -> Exception:  # as the workbook says it
                from cscdesk.exchange.files import cannot_start

                return cannot_start(failed.target.parent, failed.error, UserFacingError)

            def pdf_folder_problem(failed: WriteFailed) -> Exception:  # as the PDF says it
                from cscdesk.atomic import sentence_for

                return sentence_for(failed)

            outputs = [(target, write, say) for target, write, say in (
                (args.workbook, workbook, folder_problem), (args.pdf, pdf, pdf_folder_problem))
                if target is not None]
            extra = ([subject_access.documents_writer(session, folder)]
                     if folder is not None else [])
            write_all_or_nothing(outputs, subject_access.found_records(session, found), extra)
    finally:
        db.close()
    written = " and ".join([*(str(target) for target, _write, _say in outputs),
                            *([f"the documents to {folder}"] if folder is not None else [])])
    print(f"Found {count} record(s) mentioning “{args.name}”; wrote {written}.")
    return 0


def write_all_or_nothing(
        outputs: Sequence[tuple[Path, Callable[[Path], AbstractContextManager[Writer]],
                                Callable[[WriteFailed], Exception]]],
        records: Iterable[FoundRecord],
        extra: Sequence[AbstractContextManager[Writer]] = ()) -> None:
    """Write every file under a temporary name beside its target, then rename them all
    (`atomic.replacing_all`): a failure (a full disk while the second is written) leaves none
    of them. The records are read once and given to each file in turn (`write_pack`). Each
    output is (target, how to open its writer on a path, what to say when no temporary file
    can be made beside it: its writer's own sentence). `extra` writers (the documents'
    folder) are given the records too, and put their own output in place."""
    from cscdesk import atomic
    from cscdesk.privacy.subject_access import write_pack

    try:
        with atomic.replacing_all([target for target, _write, _say in outputs]) as temporaries:
            write_pack(records, [*(open_writer(temporary) for (_target, open_writer, _say),
                                   temporary in zip(outputs, temporaries, strict=True)),
                                 *extra])
    except atomic.WriteFailed as failed:
        if failed.step == "temporary":  # a missing or read-only folder
            say = next(say for target, _write, say in outputs if target == failed.target)
            raise say(failed) from None
        raise failed.error from None  # the system's own error, said as for any command
