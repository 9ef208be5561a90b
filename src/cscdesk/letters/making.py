"""A letter filled from a record: the template in use is checked, then filled by docxtpl
with the record's merge fields, every value escaped for Word's XML."""

from __future__ import annotations

import io
import re
from datetime import date

from jinja2 import TemplateError
from sqlalchemy.orm import Session

from cscdesk.domain.kind_spec import SPECS
from cscdesk.domain.kinds import Kind
from cscdesk.errors import InputError
from cscdesk.letters.checking import check_template, letter_environment
from cscdesk.letters.fields import merge_values
from cscdesk.letters.templates import template_by_key, template_data
from cscdesk.store import letter_templates, records


def letter_file_name(reference: str, title: str, today: date) -> str:
    """"C-0001 Stage 1 acknowledgement 2026-11-29.docx", safe as a Windows file name."""
    name = f"{reference} {title} {today:%Y-%m-%d}"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip() + ".docx"


def make_letter(session: Session, kind: Kind, reference: str, key: str,
                today: date | None = None) -> tuple[str, bytes]:
    """The letter `key` filled from the record: its file name and its .docx bytes.
    InputError (a sentence) when the record is gone, the template does not fit it, or the
    template is broken."""
    today = today or date.today()
    template = template_by_key(key)
    record = records.load(session, kind, reference)
    if record is None:
        raise InputError(f"No {SPECS[kind].singular} has reference “{reference.strip()}”.")
    if kind not in template.kinds:
        raise InputError(f"The {template.title} letter is not for a {SPECS[kind].singular}.")
    data = template_data(session, key)
    own = letter_templates.read(session, key)
    problems = check_template(data, own.file_name if own else f"{template.title}.docx")
    if problems:
        raise InputError(f"The {template.title} template cannot be used: "
                         + " ".join(problems)
                         + " Replace it or reset it to the default in Settings › Letters.")
    values = merge_values(session, record, today)
    return letter_file_name(record.reference, template.title, today), fill(data, values)


def fill(data: bytes, values: dict[str, str]) -> bytes:
    """The template `data` filled with `values` (InputError when it cannot be)."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    document = DocxTemplate(io.BytesIO(data))
    try:
        document.render(values, jinja_env=letter_environment(), autoescape=True)
    except TemplateError as error:
        raise InputError(f"The template could not be filled: {error.message}.") from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
