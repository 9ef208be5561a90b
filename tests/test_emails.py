"""Reading emails as councils receive them: encoded-word headers, bodies in the wrong charset,
quoted-printable, HTML only, dates that cannot be read; and a record proposed from one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cscdesk.documents.emails import html_to_text, propose_record, read_email


def _eml(headers: str, body: bytes, *, content: str = "text/plain; charset=utf-8",
         encoding: str = "8bit") -> bytes:
    head = (headers.strip() + f"\nMIME-Version: 1.0\nContent-Type: {content}\n"
            f"Content-Transfer-Encoding: {encoding}\n\n")
    return head.replace("\n", "\r\n").encode("ascii") + body


def test_not_an_email_gives_none() -> None:
    assert read_email("letter.docx", b"PK\x03\x04") is None
    assert read_email("photo.JPG", b"\xff\xd8") is None


def test_encoded_word_subject_and_name_and_a_plain_body() -> None:
    data = _eml("From: =?utf-8?q?Si=C3=A2n_O=E2=80=99Brien?= <sian@example.org>\n"
                "Subject: =?iso-8859-1?b?Q2Fm6SBjbG9zdXJlIOAgbGEgY2FydGU=?=\n"
                "Date: Tue, 3 Mar 2026 09:15:00 +0000",
                "Dear council,\n\nThe café is closed.\n".encode())
    found = read_email("complaint.EML", data)
    assert found is not None
    assert found.sender_name == "Siân O’Brien"
    assert found.sender_address == "sian@example.org"
    assert found.subject == "Café closure à la carte"
    assert found.sent == datetime(2026, 3, 3, 9, 15, tzinfo=UTC)
    assert found.body_text == "Dear council,\n\nThe café is closed."
    assert found.facts.sender == "Siân O’Brien <sian@example.org>"
    assert found.facts.sent == datetime(2026, 3, 3, 9, 15)
    assert found.facts.subject == "Café closure à la carte"


def test_a_body_in_windows_1252_with_a_wrong_or_missing_charset() -> None:
    text = "It cost £40 – “far too much” – said Zoë."
    wrong = _eml("From: a@example.org\nSubject: Cost", text.encode("cp1252"))  # says utf-8
    missing = _eml("From: a@example.org\nSubject: Cost", text.encode("cp1252"),
                   content="text/plain")
    latin = _eml("From: a@example.org\nSubject: Cost", "Zoë paid £40".encode("latin-1"),
                 content="text/plain; charset=bogus-charset")
    for data, expected in ((wrong, text), (missing, text), (latin, "Zoë paid £40")):
        found = read_email("m.eml", data)
        assert found is not None and found.body_text == expected


def test_raw_8bit_headers_are_read() -> None:
    data = ("From: Zoë Ćwik <zoe@example.org>\r\nSubject: Réclamation\r\n\r\nHi\r\n"
            .encode())
    found = read_email("m.eml", data)
    assert found is not None
    assert (found.sender_name, found.subject) == ("Zoë Ćwik", "Réclamation")
    latin = "Subject: Café\r\nFrom: x@example.org\r\n\r\nHi\r\n".encode("latin-1")
    found = read_email("m.eml", latin)
    assert found is not None and found.subject == "Café"


def test_quoted_printable_body() -> None:
    body = b"Caf=C3=A9 =E2=80=93 a long line that was soft=\r\n broken.\r\n"
    found = read_email("m.eml", _eml("From: a@example.org\nSubject: QP", body,
                                     encoding="quoted-printable"))
    assert found is not None and found.body_text == "Café – a long line that was soft broken."


def test_multipart_with_only_html_gives_its_text() -> None:
    html = ("<html><head><style>p {color: red}</style><title>x</title></head><body>"
            "<p>Dear Sir &amp; Madam,</p><p>The bins were <b>not</b> collected.<br>"
            "Twice.</p><script>alert(1)</script></body></html>")
    data = ("From: a@example.org\r\nSubject: Bins\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/alternative; boundary=XYZ\r\n\r\n"
            "--XYZ\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n--XYZ--\r\n")
    found = read_email("m.eml", data.encode())
    assert found is not None
    assert found.body_text == "Dear Sir & Madam,\n\nThe bins were not collected.\nTwice."
    assert "color" not in found.body_text and "alert" not in found.body_text


def test_plain_text_is_preferred_and_attachments_are_not_the_body() -> None:
    data = ("From: a@example.org\r\nSubject: With a photo\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
            "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the photo.\r\n"
            "--B\r\nContent-Type: text/plain; name=notes.txt\r\n"
            "Content-Disposition: attachment; filename=notes.txt\r\n\r\nSECRET\r\n--B--\r\n")
    found = read_email("m.eml", data.encode())
    assert found is not None and found.body_text == "See the photo."


def test_malformed_or_missing_dates_are_unknown() -> None:
    for value in ("next Tuesday", "Tue, 99 Foo 2026 25:61:00 +0000", "", "Mon, 1 Jan 10000"):
        found = read_email("m.eml", _eml(f"From: a@example.org\nDate: {value}", b"x"))
        assert found is not None and found.sent is None and found.facts.sent is None
    found = read_email("m.eml", b"Subject: only\r\n\r\n")
    assert found is not None and found.sent is None and found.sender == ""


def test_garbage_named_eml_gives_an_empty_email_not_an_error() -> None:
    for junk in (b"", b"\x00\xff" * 500, b"=?utf-8?q?" * 100):
        assert read_email("odd.eml", junk) is not None
    found = read_email("odd.msg", b"not an outlook file")
    assert found is not None and found.subject == "" and found.sent is None


def test_html_to_text_keeps_words_and_entities() -> None:
    assert html_to_text("<div>A&nbsp;B</div><div>C &lt; D</div>") == "A B\nC < D"
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"


def test_a_record_is_proposed_from_an_email() -> None:
    body = ("Dear Complaints Team,\n\nI am writing about my neighbour's fence.\n"
            "It has been broken since May.\n\nPlease help.\n\nYours,\nAnn Smith\n"
            "12 High Street\nLittle Town\nAB1 2CD\n\n"
            "-----Original Message-----\nFrom: old@example.org\nEarlier text\n")
    data = _eml("From: \"Smith, Ann\" <ann@example.org>\nSubject: Fence\n"
                "Date: Wed, 4 Mar 2026 23:30:00 +0000", body.encode())
    found = read_email("m.eml", data)
    assert found is not None
    proposed = propose_record(found)
    assert proposed["received"] == datetime(2026, 3, 4, 23, 30, tzinfo=UTC).astimezone().date()
    assert isinstance(proposed["received"], date)
    assert proposed["complainant_name"] == "Smith, Ann"
    assert proposed["complainant_address"] == (
        "ann@example.org\nAnn Smith, 12 High Street, Little Town, AB1 2CD")
    summary = str(proposed["summary"])
    assert summary.startswith("Fence\n\nDear Complaints Team,\n\nI am writing about my "
                              "neighbour's fence. It has been broken since May.")
    assert "Earlier text" not in summary


def test_a_long_email_gives_a_summary_of_at_most_1000_characters() -> None:
    body = "\n\n".join("word " * 60 for _ in range(40))
    found = read_email("m.eml", _eml("From: a@example.org\nSubject: Long", body.encode()))
    assert found is not None
    summary = str(propose_record(found)["summary"])
    assert len(summary) <= 1000 and summary.endswith("…") and summary.startswith("Long")
    nothing = read_email("m.eml", b"")
    assert nothing is not None
    assert propose_record(nothing) == {"received": None, "complainant_name": "",
                                       "complainant_address": "", "summary": ""}
