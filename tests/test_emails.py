"""Reading emails as councils receive them: encoded-word headers, bodies in the wrong charset,
quoted-printable, HTML only, dates that cannot be read; and a record proposed from one."""

from __future__ import annotations

import struct
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


def test_an_outlook_msg_is_read() -> None:
    data = outlook_message(subject="Café – “closure”", sender_name="Siân O’Brien",
                           sender_address="sian@example.org",
                           body="Dear council,\r\n\r\nThe café is closed.\r\n",
                           sent=datetime(2026, 3, 3, 9, 15, tzinfo=UTC))
    found = read_email("Complaint.MSG", data)
    assert found is not None
    assert (found.sender_name, found.sender_address) == ("Siân O’Brien", "sian@example.org")
    assert found.subject == "Café – “closure”"
    assert found.sent == datetime(2026, 3, 3, 9, 15, tzinfo=UTC)
    assert found.body_text == "Dear council,\n\nThe café is closed."
    assert found.facts.sender == "Siân O’Brien <sian@example.org>"
    assert propose_record(found)["complainant_name"] == "Siân O’Brien"


def test_an_outlook_msg_with_only_html_and_no_date() -> None:
    html = "<html><body><p>Caf\xe9 &amp; bins</p><p>Not collected.</p></body></html>"
    data = outlook_message(subject="Bins", sender_name="", sender_address="a@example.org",
                           html=html.encode("cp1252"))
    found = read_email("bins.msg", data)
    assert found is not None
    assert found.body_text == "Café & bins\n\nNot collected."
    assert found.sent is None and found.sender_address == "a@example.org"
    assert propose_record(found)["complainant_name"] == "a@example.org"


# ---- a minimal Outlook .msg writer: a compound file of small streams ---------------------

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file whose root storage holds `streams` (each under 4,096 bytes,
    so all in the mini stream)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    mini = bytearray()
    minifat: list[int] = []
    starts: dict[str, int] = {}
    for name in names:
        data = streams[name]
        assert len(data) < 4096
        count = max(1, -(-len(data) // 64)) if data else 0
        starts[name] = len(minifat) if data else END
        for i in range(count):
            minifat.append(len(minifat) + 1 if i < count - 1 else END)
        mini += data + b"\0" * (count * 64 - len(data))
    mini_sectors = -(-len(mini) // 512)
    mini += b"\0" * (mini_sectors * 512 - len(mini))
    entries = [_entry("Root Entry", 5, child=1 if names else NOSTREAM,
                      start=0 if mini_sectors else END, size=len(mini))]
    for index, name in enumerate(names, start=1):
        entries.append(_entry(name, 2, right=index + 1 if index < len(names) else NOSTREAM,
                              start=starts[name], size=len(streams[name])))
    while len(entries) % 4:
        entries.append(_entry("", 0, size=0, start=0))
    dir_sectors = len(entries) // 4
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_sectors = -(-len(minifat_bytes) // 512)
    minifat_bytes += struct.pack("<I", FREE) * ((minifat_sectors * 512 - len(minifat_bytes)) // 4)
    used = mini_sectors + dir_sectors + minifat_sectors
    fat_sectors = 1
    while (used + fat_sectors) > fat_sectors * 128:
        fat_sectors += 1
    fat: list[int] = []
    for count in (mini_sectors, dir_sectors, minifat_sectors):
        start = len(fat)
        fat += [start + i + 1 if i < count - 1 else END for i in range(count)]
    fat += [FATSECT] * fat_sectors
    fat += [FREE] * (fat_sectors * 128 - len(fat))
    first_dir = mini_sectors
    first_minifat = mini_sectors + dir_sectors if minifat_sectors else END
    first_fat = used
    difat = [first_fat + i for i in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, first_minifat,
                            minifat_sectors, END, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    assert len(header) == 512
    return (header + bytes(mini) + b"".join(entries) + minifat_bytes
            + b"".join(struct.pack("<I", v) for v in fat))


def _entry(name: str, kind: int, *, left: int = NOSTREAM, right: int = NOSTREAM,
           child: int = NOSTREAM, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    return (encoded + b"\0" * (64 - len(encoded))
            + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
            + b"\0" * 16 + struct.pack("<IQQIQ", 0, 0, 0, start, size))


def outlook_message(*, subject: str, sender_name: str, sender_address: str, body: str = "",
                    html: bytes = b"", sent: datetime | None = None) -> bytes:
    """An Outlook .msg of one note: the strings as Unicode properties, the date as the
    client submit time."""
    streams: dict[str, bytes] = {}
    props = bytearray(b"\0" * 32)

    def text(tag: int, value: str) -> None:
        data = value.encode("utf-16-le")  # the size written counts the terminator
        streams[f"__substg1.0_{tag:04X}001F"] = data
        props.extend(struct.pack("<IIII", (tag << 16) | 0x1F, 6, len(data) + 2, 0))

    text(0x001A, "IPM.Note")
    text(0x0037, subject)
    text(0x0C1A, sender_name)
    text(0x0C1F, sender_address)
    text(0x5D01, sender_address)
    text(0x0C1E, "SMTP")
    if body:
        text(0x1000, body)
    if html:
        streams["__substg1.0_10130102"] = html
        props.extend(struct.pack("<IIII", (0x1013 << 16) | 0x0102, 6, len(html), 0))
    if sent is not None:
        ticks = int((sent - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
        props.extend(struct.pack("<IIQ", (0x0039 << 16) | 0x40, 6, ticks))
    streams["__properties_version1.0"] = bytes(props)
    return _compound_file(streams)
