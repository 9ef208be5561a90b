"""Makes the default letter templates (resources/letters/<key>.docx) with python-docx.

Run from the repository: `.venv/bin/python resources/letters/make_templates.py`. The .docx
files are committed; this script is how they are rebuilt after a change of wording. Each is
a plain A4 letter: the council's name in the header, the reference and date, a subject line
(style Heading 1), the letter in style Normal, the officer's sign-off, and a footer asking
for the reference. Merge fields are written `{{ name }}` (docs/letters.md).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2026, 1, 1)

GREETING = 'Dear {{ complainant_name or "Sir or Madam" }},'
SIGN_OFF = ("{% if complainant_name %}Yours sincerely,{% else %}Yours faithfully,"
            "{% endif %}")
HELP = ("If you would like to talk about any of this, please contact me, quoting the "
        "reference above.")

LETTERS: dict[str, tuple[str, list[str]]] = {
    "acknowledgement_stage1": ("Your complaint (Stage 1)", [
        "Thank you for contacting us on {{ received_date }}. I am sorry that you have had "
        "reason to complain. I am writing to let you know that we have received your "
        "complaint and are dealing with it under Stage 1 of the children’s social care "
        "complaints procedure.",
        "{% if summary %}As I understand it, your complaint is about: {{ summary }}{% endif %}",
        "I have passed your complaint to the manager responsible{% if team %} ({{ team }})"
        "{% endif %}, who will look into your concerns and reply to you in writing by "
        "{{ due_date }}. If we need more time to look into things properly, I will write to "
        "let you know.",
        "If you would like help to make your views known, an independent advocate can "
        "support you: please tell me and I will arrange this.",
        HELP,
    ]),
    "acknowledgement_stage2": ("Your complaint (Stage 2)", [
        "Thank you for your request of {{ received_date }} for your complaint to be "
        "investigated under Stage 2 of the children’s social care complaints procedure"
        "{% if escalated_from %} (your Stage 1 complaint was reference {{ escalated_from }})"
        "{% endif %}.",
        "At Stage 2 an Investigating Officer who has not been involved in your case will "
        "look into your complaint, and an Independent Person will oversee the investigation "
        "to make sure that it is open and fair. The Investigating Officer will contact you "
        "soon to agree a written statement of the points to be investigated.",
        "We aim to send you our response, the adjudication, by {{ due_date }}. If the "
        "investigation needs longer, I will write to let you know.",
        HELP,
    ]),
    "acknowledgement_stage3": ("Your request for a review panel (Stage 3)", [
        "Thank you for your request of {{ received_date }} for your complaint to be "
        "considered by a Stage 3 review panel.",
        "A review panel is made up of three independent people. It will consider how your "
        "complaint was looked at in Stage 2 and whether the conclusions reached were "
        "reasonable. You may attend the panel and bring someone with you for support.",
        "The panel must meet within 30 working days of your request. I will write to you "
        "shortly with its date, time and place, and to ask whether you wish to attend.",
        HELP,
    ]),
    "extension_notice": ("Your complaint: we need more time", [
        "I am writing about your {{ stage_name }} complaint, which we received on "
        "{{ received_date }}.",
        "I am sorry, but we need more time to look into your concerns properly. The "
        "complaints procedure allows us to extend the time for our response, and we now "
        "expect to reply to you by {{ extended_due_date }}.",
        "I apologise for the delay. " + HELP,
    ]),
    "stage1_response": ("Our response to your complaint (Stage 1)", [
        "Thank you for your complaint, which we received on {{ received_date }}.",
        "[Write the response here: each point of the complaint, what was found, whether it "
        "is upheld, and what will be done.]",
        "If you are not satisfied with this response, you can ask for your complaint to be "
        "investigated under Stage 2 of the procedure, by an Investigating Officer and an "
        "Independent Person who have not been involved in your case.",
        "To ask for a Stage 2 investigation, please write to me, email me or telephone me "
        "within 20 working days of receiving this letter. Tell me which parts of your "
        "complaint you remain unhappy with and why, and quote the reference {{ reference }}.",
        "Thank you for taking the time to tell us about your concerns.",
    ]),
    "stage2_adjudication": ("The adjudication on your complaint (Stage 2)", [
        "Please find enclosed the Investigating Officer’s report, the Independent Person’s "
        "report and the adjudication on your Stage 2 complaint, which we received on "
        "{{ received_date }}.",
        "The adjudication sets out the council’s response to each point of your complaint, "
        "whether each point is upheld, and what we will do as a result.",
        "If you are not satisfied with the outcome, you have the right to ask for your "
        "complaint to be considered by a Stage 3 review panel of three independent people. "
        "Please write to me within 20 working days of receiving this letter, saying why you "
        "remain dissatisfied and what you would like the panel to consider.",
        HELP,
    ]),
    "stage3_panel_invitation": ("Invitation to the review panel (Stage 3)", [
        "Following your request of {{ received_date }}, I am pleased to invite you to the "
        "Stage 3 review panel for your complaint.",
        "{% if panel_date %}The panel will meet on {{ panel_date }} at __________ (time)."
        "{% else %}The panel will meet on ______________________ (date) at __________ (time)."
        "{% endif %}",
        "The panel will meet at: ____________________________________________",
        "The panel is made up of three independent people. It will hear your views and "
        "those of the service, consider the Stage 2 investigation and adjudication, and make "
        "recommendations to the Director of Children’s Services.",
        "You are welcome to bring a friend, relative or advocate with you. Please let me "
        "know whether you will attend, who will come with you, and whether you need any help "
        "to take part, such as an interpreter or step-free access.",
        "The panel will send its report within 5 working days of the meeting, and the "
        "council will respond to its recommendations within 15 working days of receiving "
        "the report.",
    ]),
    "ombudsman_signposting": ("Taking your complaint to the Ombudsman", [
        "I am writing about your complaint, reference {{ reference }}"
        "{% if received_date %}, which we received on {{ received_date }}{% endif %}.",
        "If you remain dissatisfied once the council’s complaints procedure has been "
        "completed, you can ask the Local Government and Social Care Ombudsman to look at "
        "your complaint. The Ombudsman is independent of the council, and its service is "
        "free.",
        "Website: www.lgo.org.uk",
        "Telephone: 0300 061 0614",
        "The Ombudsman usually expects to hear from you within twelve months of when you "
        "first knew about the matter. It will help if you quote our reference, "
        "{{ reference }}.",
    ]),
    "enquiry_acknowledgement": ("Your enquiry", [
        "Thank you for your enquiry of {{ received_date }}"
        "{% if summary %} about {{ summary }}{% endif %}.",
        "I have asked the service{% if team %} ({{ team }}){% endif %} to look into the "
        "matter, and we will reply to you as soon as we can.",
        HELP,
    ]),
    "enquiry_reply": ("Your enquiry", [
        "Thank you for your enquiry of {{ received_date }}"
        "{% if summary %} about {{ summary }}{% endif %}.",
        "[Write the reply here.]",
        "I hope this is helpful. Please contact me if you need anything further.",
    ]),
    "compliment_thanks": ("Thank you", [
        "Thank you for taking the time to contact us on {{ received_date }} with your kind "
        "words{% if team %} about the {{ team }} team{% endif %}.",
        "It means a great deal to staff to hear that they have made a difference. I have "
        "passed your comments on to the team and their manager.",
        "Thank you again for getting in touch.",
    ]),
}


def make(subject: str, paragraphs: list[str]) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    section.header_distance = section.footer_distance = Mm(12)

    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    heading = document.styles["Heading 1"]
    heading.font.name = "Arial"
    heading.font.size = Pt(13)
    heading.font.bold = True
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(10)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    council = header.add_run("{{ council_name }}")
    council.bold = True
    council.font.size = Pt(14)
    service = section.header.add_paragraph("{{ service_name }}")
    service.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Please quote our reference {{ reference }} in any reply.").font.size = Pt(9)

    reference = document.add_paragraph()
    reference.add_run("Our reference: ").bold = True
    reference.add_run("{{ reference }}")
    reference.paragraph_format.space_after = Pt(0)
    dated = document.add_paragraph()
    dated.add_run("Date: ").bold = True
    dated.add_run("{{ today }}")
    document.add_paragraph(GREETING).paragraph_format.space_before = Pt(18)
    document.add_heading(subject, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_paragraph(SIGN_OFF).paragraph_format.space_before = Pt(6)
    name = document.add_paragraph("{{ officer_name }}")
    name.paragraph_format.space_before = Pt(36)
    name.paragraph_format.space_after = Pt(0)
    title = document.add_paragraph("{{ officer_title }}")
    title.paragraph_format.space_after = Pt(0)
    document.add_paragraph("{{ council_name }}")
    document.core_properties.title = subject
    document.core_properties.author = "cscdesk"
    # fixed, so that rebuilding with unchanged wording changes no file
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.core_properties.last_modified_by = "cscdesk"
    document.core_properties.revision = 1
    return document


def main(folder: Path = HERE) -> int:
    for key, (subject, paragraphs) in LETTERS.items():
        make(subject, paragraphs).save(str(folder / f"{key}.docx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
