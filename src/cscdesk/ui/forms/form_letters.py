"""A letter made from a record's form: the templates that fit it, and the letter filled from
the record kept as one of its documents, in one transaction (a template that cannot be used
keeps nothing). No Qt here: the form asks with `letter_chooser` and opens the letter."""

from __future__ import annotations

from cscdesk.domain.kinds import Kind, RecordData
from cscdesk.store import documents
from cscdesk.store.documents import DocumentInfo
from cscdesk.store.engine import Database

LETTER_TEXT = "Letter…"
LETTER_SHORTCUT = "Ctrl+L"


def letter_templates(kind: Kind) -> list[tuple[str, str, str]]:
    """(key, title, what it says) of every template a record of `kind` may use."""
    from cscdesk.letters import templates_for

    return [(template.key, template.title, template.about) for template in templates_for(kind)]


def fitting_templates(record: RecordData) -> list[tuple[str, str, str]]:
    """(key, title, what it says) of the templates that fit the record as saved (its kind
    and, for a complaint, its stage)."""
    from cscdesk.letters import templates_for_record

    return [(template.key, template.title, template.about)
            for template in templates_for_record(record)]


def make_letter_document(database: Database, kind: Kind, reference: str, key: str
                         ) -> DocumentInfo:
    """Fill template `key` from the saved record and keep the letter as its document; the
    letter and its audit event, or nothing (InputError naming what is wrong)."""
    from cscdesk.letters import make_letter

    with database.transaction() as session:
        name, data = make_letter(session, kind, reference, key)
        return documents.add(session, kind, reference, name, data, letter=key)
