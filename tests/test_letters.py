"""Letters from templates: every default fills from a record and reads back as typed; due
dates in words; broken templates refused with sentences naming the field and paragraph; the
council's own files replaced and reset through the store."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from cscdesk import letters, settings
from cscdesk.domain.kinds import (
    ActionData,
    ComplaintData,
    ComplimentData,
    EnquiryData,
    EnquirySource,
    Kind,
)
from cscdesk.errors import InputError
from cscdesk.letters.fields import date_in_words, merge_values
from cscdesk.letters.templates import default_data
from cscdesk.store import letter_templates, lists, records

NAME = "Siân O’Brien & “Sons” <Trust>"
TEAM = "Fostering & Adoption <North>"
SUMMARY = "Café \"visits\" & ‘contact’ < weekly > — naïve"
COUNCIL = "Brent & Harrow “Joint” Council"
OFFICER = "Zoë Ng-Łukasz"
TODAY = date(2024, 5, 7)
BOTH = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    indirect=True)


def docx_bytes(*paragraphs: str, table: str = "", header: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        document.add_table(rows=2, cols=2).cell(1, 0).text = table
    if header:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def all_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for p in section.header.paragraphs]
    parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture
def awkward(database):
    """One record of each kind that has letters, with text Word's XML must escape."""
    with database.transaction() as session:
        settings.put(session, settings.COUNCIL_NAME, COUNCIL)
        settings.put(session, settings.OFFICER_NAME, OFFICER)
        for stage, reference, earlier in ((1, "C-0001", ""), (2, "C-0002", "C-0001"),
                                          (3, "C-0003", "C-0002")):
            records.save(session, ComplaintData(
                reference=reference, received=date(2024, 5, 3), stage=stage, team=TEAM,
                complainant=NAME, summary=SUMMARY, escalated_from=earlier))
        records.save(session, EnquiryData(reference="E-0001", received=date(2024, 5, 3),
                                          source=EnquirySource.MP, team=TEAM,
                                          enquirer=NAME, summary=SUMMARY))
        records.save(session, ComplimentData(reference="K-0001", received=date(2024, 5, 3),
                                             team=TEAM, summary=SUMMARY))
    return database


RECORD_OF = {Kind.COMPLAINT: {1: "C-0001", 2: "C-0002", 3: "C-0003"},
             Kind.ENQUIRY: {0: "E-0001"}, Kind.COMPLIMENT: {0: "K-0001"}}


def test_every_default_template_is_sound():
    for template in letters.TEMPLATES:
        assert letters.check_template(default_data(template.key)) == [], template.key


def test_every_default_fills_with_awkward_text_as_typed(awkward):
    made = 0
    with awkward.session() as session:
        for template in letters.TEMPLATES:
            kind = template.kinds[0]
            for stage, reference in RECORD_OF[kind].items():
                if template.stages and stage not in template.stages:
                    continue
                name, data = letters.make_letter(session, kind, reference, template.key,
                                                 today=TODAY)
                assert name == f"{reference} {template.title} 2024-05-07.docx"
                text = all_text(data)
                assert "{{" not in text and "{%" not in text and "&amp;" not in text
                assert COUNCIL in text and OFFICER in text and reference in text
                assert "Tuesday 7 May 2024" in text
                if kind is not Kind.COMPLIMENT:
                    assert f"Dear {NAME}," in text and "Yours sincerely," in text
                else:
                    assert "Dear Sir or Madam," in text and "Yours faithfully," in text
                if template.key in ("acknowledgement_stage1", "enquiry_acknowledgement"):
                    assert SUMMARY in text and TEAM in text
                made += 1
    assert made == 14


def test_the_due_date_in_words_skips_bank_holidays(awkward):
    with awkward.transaction() as session:
        record = records.load(session, Kind.COMPLAINT, "C-0001")
        assert isinstance(record, ComplaintData)
        # Friday 3 May 2024 + 10 working days, over the early May bank holiday (Mon 6 May)
        assert merge_values(session, record, TODAY)["due_date"] == "Monday 20 May 2024"
        christmas = ComplaintData(reference="C-0009", received=date(2024, 12, 20), stage=1)
        assert merge_values(session, christmas)["due_date"] == "Wednesday 8 January 2025"
        lists.add_non_working_day(session, date(2025, 1, 2), "office closed")
        values = merge_values(session, christmas)
        assert values["due_date"] == "Thursday 9 January 2025"
        assert values["extended"] == "no" and values["stage_name"] == "Stage 1"
        assert all(isinstance(value, str) for value in values.values())
    assert date_in_words(date(2024, 5, 3)) == "Friday 3 May 2024"


def test_the_stage_1_response_tells_how_to_escalate(awkward):
    with awkward.session() as session:
        _, data = letters.make_letter(session, Kind.COMPLAINT, "C-0001", "stage1_response")
        text = all_text(data)
        assert "Stage 2" in text and "within 20 working days" in text
        _, data = letters.make_letter(session, Kind.COMPLAINT, "C-0003",
                                      "ombudsman_signposting")
        assert "www.lgo.org.uk" in all_text(data) and "0300 061 0614" in all_text(data)
        _, data = letters.make_letter(session, Kind.COMPLAINT, "C-0003",
                                      "stage3_panel_invitation")
        assert "______ (date)" in all_text(data)  # no panel date yet: a line to fill in


def test_templates_fit_the_record():
    stage1 = ComplaintData(reference="C-1", stage=1)
    keys = {t.key for t in letters.templates_for_record(stage1)}
    assert "stage1_response" in keys and "acknowledgement_stage1" in keys
    assert "stage2_adjudication" not in keys and "ombudsman_signposting" in keys
    stage3 = {t.key for t in letters.templates_for_record(ComplaintData(stage=3))}
    assert "extension_notice" not in stage3 and "stage3_panel_invitation" in stage3
    assert [t.key for t in letters.templates_for(Kind.ENQUIRY)] == [
        "enquiry_acknowledgement", "enquiry_reply"]
    assert letters.templates_for_record(ActionData()) == []


def test_an_unknown_field_is_named_with_its_paragraph():
    problems = letters.check_template(docx_bytes(
        "Our reference {{ reference }}", "Dear {{ complainent }}, thank you for writing."))
    assert problems[0] == ("Paragraph 2 (“Dear {{ complainent }}, thank you for writing.”) "
                           "uses “complainent”, which is not a merge field: did you mean "
                           "“complainant_name”?")
    in_table = letters.check_template(docx_bytes("x", table="{{ teem }}"))
    assert in_table[0].startswith("Table 1, row 2, column 1 (“{{ teem }}”) uses “teem”")
    in_header = letters.check_template(docx_bytes("x", header="{{ councilname }}"))
    assert in_header[0].startswith("The header (“{{ councilname }}”) uses “councilname”")


def test_broken_markup_is_named_with_its_paragraph():
    unclosed = letters.check_template(docx_bytes("Our ref {{ reference", "Dear {{ team }}"))
    assert unclosed == ["Paragraph 1 (“Our ref {{ reference”): “{{” is not closed by “}}” "
                        "in the same paragraph."]
    open_if = letters.check_template(docx_bytes(
        "Hello", "{% if extended == 'yes' %}We need longer.", "Regards"))
    assert open_if == ["Paragraph 2 (“{% if extended == 'yes' %}We need longer.”): "
                       "“{% if %}” has no “{% endif %}” after it."]
    stray = letters.check_template(docx_bytes("Hello", "{% endif %}"))
    assert stray[0].startswith("Paragraph 2 (“{% endif %}”): the markup is broken")
    fine = docx_bytes("{%p if summary %}", "About: {{ summary }}", "{%p endif %}",
                      "{% if extended == “yes” %}longer{% endif %}")
    assert letters.check_template(fine) == []


def test_a_file_that_is_not_word_gets_one_sentence():
    assert letters.check_template(b"%PDF-1.4 not a letter", "letter.pdf") == [
        "“letter.pdf” is not a Word document (.docx): open it in Word and save it as “Word "
        "Document (*.docx)”, then choose that file."]


@BOTH
def test_replace_and_reset_through_the_store(awkward):
    own = docx_bytes("{{ council_name }}: thank you, {{ complainant_name }} ({{ reference }}).")
    broken = docx_bytes("Hello", "Dear {{ complainent }}")
    with awkward.transaction() as session:
        with pytest.raises(InputError) as refused:
            letters.replace_template(session, "acknowledgement_stage1", "mine.docx", broken)
        assert "“mine.docx” was not kept" in str(refused.value)
        assert "Paragraph 2" in str(refused.value) and "complainent" in str(refused.value)
        assert letter_templates.read(session, "acknowledgement_stage1") is None
        letters.replace_template(session, "acknowledgement_stage1", "ours.docx", own)
    with awkward.session() as session:
        assert letter_templates.replaced_keys(session) == {"acknowledgement_stage1": "ours.docx"}
        _, data = letters.make_letter(session, Kind.COMPLAINT, "C-0001",
                                      "acknowledgement_stage1")
        assert all_text(data).strip() == f"{COUNCIL}: thank you, {NAME} (C-0001)."
    with awkward.transaction() as session:
        assert letters.reset_template(session, "acknowledgement_stage1")
        assert not letters.reset_template(session, "acknowledgement_stage1")
    with awkward.session() as session:
        _, data = letters.make_letter(session, Kind.COMPLAINT, "C-0001",
                                      "acknowledgement_stage1")
        assert "Your complaint (Stage 1)" in all_text(data)


def test_a_broken_stored_template_is_refused_before_any_letter(awkward):
    with awkward.transaction() as session:  # kept by an older version, say: not checked
        letter_templates.replace(session, "compliment_thanks", "old.docx",
                                 docx_bytes("Thanks", "{{ teem }}"))
    with awkward.session() as session, pytest.raises(InputError) as refused:
        letters.make_letter(session, Kind.COMPLIMENT, "K-0001", "compliment_thanks")
    message = str(refused.value)
    assert message.startswith("The Compliment thank-you template cannot be used: Paragraph 2")
    assert "“teem”" in message and "Settings › Letters" in message


def test_a_letter_for_a_missing_record_or_the_wrong_kind_is_refused(awkward):
    with awkward.session() as session:
        with pytest.raises(InputError, match="No complaint has reference “C-9999”"):
            letters.make_letter(session, Kind.COMPLAINT, "C-9999", "acknowledgement_stage1")
        with pytest.raises(InputError, match="not for a compliment"):
            letters.make_letter(session, Kind.COMPLIMENT, "K-0001", "stage1_response")
