"""The catalogue of letter templates, and which file each one uses: the council's own (table
`letter_template`) or the default shipped in resources/letters/<key>.docx.

A template fits some record kinds and, for complaints, some stages (the Stage 1 response only
for Stage 1 complaints). Replacing a template checks the council's file first and refuses a
broken one with the sentences `checking.check_template` gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cscdesk.domain.kinds import ComplaintData, Kind, RecordData, kind_of
from cscdesk.errors import InputError
from cscdesk.letters.checking import check_template
from cscdesk.store import letter_templates

# Word's own file type: what "Replace with my file…" accepts.
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Template:
    """One letter: its key (the default's file name), its title, the kinds and stages it
    fits (no stages: any stage)."""

    key: str
    title: str
    kinds: tuple[Kind, ...]
    stages: tuple[int, ...] = ()
    about: str = ""

    def fits(self, record: RecordData) -> bool:
        if kind_of(record) not in self.kinds:
            return False
        if self.stages and isinstance(record, ComplaintData) and record.stage is not None:
            return record.stage in self.stages
        return True

    @property
    def default_file(self) -> str:
        return f"letters/{self.key}.docx"


_C = (Kind.COMPLAINT,)
TEMPLATES: tuple[Template, ...] = (
    Template("acknowledgement_stage1", "Stage 1 acknowledgement", _C, (1,),
             "Thanks the complainant and says when the response is due."),
    Template("acknowledgement_stage2", "Stage 2 acknowledgement", _C, (2,),
             "Confirms the Stage 2 investigation and when the adjudication is due."),
    Template("acknowledgement_stage3", "Stage 3 acknowledgement", _C, (3,),
             "Confirms the request for a review panel."),
    Template("extension_notice", "Extension notice", _C, (1, 2),
             "Says the response will take longer, and the new date."),
    Template("stage1_response", "Stage 1 response", _C, (1,),
             "The response, with the right to ask for a Stage 2 investigation."),
    Template("stage2_adjudication", "Stage 2 adjudication covering letter", _C, (2,),
             "Sends the adjudication, with the right to ask for a review panel."),
    Template("stage3_panel_invitation", "Stage 3 panel invitation", _C, (3,),
             "Invites the complainant to the review panel."),
    Template("ombudsman_signposting", "Ombudsman signposting", _C, (),
             "How to take the complaint to the Local Government and Social Care Ombudsman."),
    Template("enquiry_acknowledgement", "Enquiry acknowledgement", (Kind.ENQUIRY,), (),
             "Thanks the MP, MEP or councillor for the enquiry."),
    Template("enquiry_reply", "Enquiry reply", (Kind.ENQUIRY,), (),
             "The reply to the MP, MEP or councillor."),
    Template("compliment_thanks", "Compliment thank-you", (Kind.COMPLIMENT,), (),
             "Thanks the person for the compliment."),
)
_BY_KEY = {template.key: template for template in TEMPLATES}


def template_by_key(key: str) -> Template:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise InputError(f"There is no letter template “{key}”.") from None


def templates_for(kind: Kind) -> list[Template]:
    """The templates a record of `kind` may use (any stage)."""
    return [template for template in TEMPLATES if kind in template.kinds]


def templates_for_record(record: RecordData) -> list[Template]:
    """The templates that fit this record (its kind and, for a complaint, its stage)."""
    return [template for template in TEMPLATES if template.fits(record)]


def default_data(key: str) -> bytes:
    """The default template shipped with cscdesk."""
    from cscdesk.paths import resource_path

    return resource_path(template_by_key(key).default_file).read_bytes()


def template_data(session: Session, key: str) -> bytes:
    """The file in use for `key`: the council's own, else the default."""
    own = letter_templates.read(session, template_by_key(key).key)
    return own.data if own is not None else default_data(key)


def replace_template(session: Session, key: str, file_name: str, data: bytes) -> None:
    """Keep the council's file for `key`, after checking it: InputError (the sentences that
    name each problem) for a broken one, and nothing is kept."""
    template = template_by_key(key)
    problems = check_template(data, file_name)
    if problems:
        raise InputError(f"“{file_name}” was not kept as the {template.title} template. "
                         + " ".join(problems))
    letter_templates.replace(session, key, file_name, data)


def reset_template(session: Session, key: str) -> bool:
    """Use the default again; True when the council's file was removed."""
    return letter_templates.reset(session, template_by_key(key).key)
