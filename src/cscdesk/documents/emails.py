"""Reading an email file (`.eml` or Outlook `.msg`): sender, date, subject and a plain-text body.

Emails reach a council from every kind of mail program, so nothing here trusts the message:
encoded-word headers are decoded, a body whose charset is wrong or missing is read as UTF-8
and then as Windows-1252 (what such mail nearly always is), an HTML-only message is turned
into text, and a date that cannot be read is simply unknown. A file that cannot be read at
all gives an `Email` with what could be found (possibly nothing) rather than an error, so
attaching it always works; only a file that is not an email gives None.
"""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from html.parser import HTMLParser
from typing import ClassVar

from cscdesk.store.documents import EmailFacts

EMAIL_EXTENSIONS = (".eml", ".msg")


@dataclass(frozen=True)
class Email:
    """What an email says of itself. `sent` is aware (None when the date cannot be read)."""

    sender_name: str
    sender_address: str
    sent: datetime | None
    subject: str
    body_text: str

    @property
    def sender(self) -> str:
        """"Ann Smith <ann@example.org>", or whichever part is known."""
        if self.sender_name and self.sender_address:
            return f"{self.sender_name} <{self.sender_address}>"
        return self.sender_name or self.sender_address

    @property
    def facts(self) -> EmailFacts:
        """As kept with the document: the time in UTC without a zone, like every stored time."""
        sent = self.sent.astimezone(UTC).replace(tzinfo=None) if self.sent else None
        return EmailFacts(self.sender, sent, self.subject)


def is_email_name(name: str) -> bool:
    return name.lower().endswith(EMAIL_EXTENSIONS)


def read_email(name: str, data: bytes) -> Email | None:
    """The email in `data` (named `name`), or None when the name is not `.eml`/`.msg`."""
    lowered = name.lower()
    if lowered.endswith(".eml"):
        return _read_eml(data)
    if lowered.endswith(".msg"):
        return _read_msg(data)
    return None


# ---- text helpers ---------------------------------------------------------------------------

def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes as text: the declared charset when it reads them cleanly, else UTF-8, else
    Windows-1252 (which reads latin-1 too), never failing."""
    for charset in (declared, "utf-8", "cp1252"):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _mend(text: str) -> str:
    """Header text in which raw 8-bit bytes survived as surrogates: read them again."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_bytes(text.encode("utf-8", "surrogateescape"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


_PARAGRAPH = "\x00"


class _TextOfHtml(HTMLParser):
    """The readable text of an HTML body: block elements become line breaks; scripts, styles
    and the head are dropped."""

    _LINES: ClassVar[set[str]] = {"br", "div", "tr", "li", "hr"}
    _PARAGRAPHS: ClassVar[set[str]] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                                       "table", "ul", "ol", "pre"}
    _HIDDEN: ClassVar[set[str]] = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        else:
            self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        else:
            self._break(tag)

    def _break(self, tag: str) -> None:
        if tag in self._PARAGRAPHS:
            self.parts.append(_PARAGRAPH)
        elif tag in self._LINES:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:
        pass
    text = "".join(parser.parts).replace("\xa0", " ")
    # A run of breaks is one line break, or a blank line when a paragraph ends or starts in it.
    text = re.sub(r"[ \t]*[\n\x00][\s\x00]*",
                  lambda run: "\n\n" if _PARAGRAPH in run.group() else "\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _tidy_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()


# ---- .eml -----------------------------------------------------------------------------------

def _raw_header(message: Message, key: str) -> str | None:
    """The header as it stands in the file; raw 8-bit bytes survive as surrogates."""
    for name, value in message.raw_items():
        if name.lower() == key.lower():
            return str(value)
    return None


def _header(message: Message, key: str) -> str:
    """A header decoded: encoded words read, and raw 8-bit text (which the parser would turn
    into replacement characters) read as UTF-8 or else Windows-1252 first."""
    raw = _raw_header(message, key)
    if raw is None:
        return ""
    try:
        value = str(email.policy.default.header_factory(key, _mend(raw)))
    except Exception:
        value = _mend(raw)
    return _one_line(value)


def _sender(message: Message) -> tuple[str, str]:
    text = _header(message, "From") or _header(message, "Sender")
    if not text:
        return "", ""
    name, address = email.utils.parseaddr(text)
    if not address and not name:
        return text, ""
    return name.strip().strip('"'), address.strip()


def parse_date(text: str) -> datetime | None:
    """An email's Date header as an aware time; None when it cannot be read."""
    if not text.strip():
        return None
    try:
        sent = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if sent is None:
        return None
    return sent if sent.tzinfo else sent.replace(tzinfo=UTC)


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return decode_bytes(payload, part.get_content_charset())


def _body(message: Message) -> str:
    plain: str | None = None
    html: str | None = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain" and plain is None:
            plain = _part_text(part)
        elif content_type == "text/html" and html is None:
            html = _part_text(part)
    if plain and plain.strip():
        return _tidy_body(plain)
    return html_to_text(html) if html else ""


def _read_eml(data: bytes) -> Email:
    try:
        message: Message = BytesParser(policy=email.policy.default).parsebytes(data)
    except Exception:
        return Email("", "", None, "", "")
    name, address = _sender(message)
    try:
        body = _body(message)
    except Exception:
        body = ""
    raw_date = _mend(_raw_header(message, "Date") or "")
    return Email(name, address, parse_date(raw_date), _header(message, "Subject"), body)


# ---- .msg -----------------------------------------------------------------------------------

def _read_msg(data: bytes) -> Email:
    import extract_msg  # imported here: only .msg files need it, and it is slow to import

    try:
        msg = extract_msg.openMsg(data, strict=False, delayAttachments=True)
    except Exception:
        return Email("", "", None, "", "")
    try:
        sender = _safe(msg, "sender")
        name, address = email.utils.parseaddr(sender) if sender else ("", "")
        if not address and "@" not in name:
            name = name or sender
        subject = _one_line(_safe(msg, "subject"))
        body = _safe(msg, "body")
        if not body.strip():
            body = html_to_text(_safe(msg, "htmlBody"))
        body = _tidy_body(body)
        sent = _msg_date(msg)
        return Email(_one_line(name).strip('"'), address.strip(), sent, subject, body)
    finally:
        with contextlib.suppress(Exception):
            msg.close()


def _safe(msg: object, name: str) -> str:
    """A property of an Outlook message as text; "" when the file is too damaged to give it
    (or is not a mail item, which has none)."""
    try:
        value = getattr(msg, name, None)
    except Exception:
        return ""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = decode_bytes(value)
    return str(value).replace("\x00", "")  # some writers keep each string's terminator


def _msg_date(msg: object) -> datetime | None:
    try:
        value = msg.date  # type: ignore[attr-defined]
    except Exception:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        return parse_date(value)
    return None


# ---- a record proposed from an email ------------------------------------------------------

SUMMARY_LIMIT = 1000
_BODY_LINES = 12
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
_SIGN_OFFS = ("yours", "regards", "kind regards", "best wishes", "many thanks", "thanks",
              "thank you", "sincerely", "best")
_QUOTE_STARTS = ("-----original message", "________________", "from:", "sent from my")


def _opening_lines(body: str) -> list[str]:
    """The body as the sender wrote it: up to the quoted earlier message or the signature."""
    lines: list[str] = []
    for line in body.split("\n"):
        stripped = line.strip()
        lowered = stripped.lower()
        if stripped == "--" or lowered.startswith(_QUOTE_STARTS) or stripped.startswith(">") \
                or (lowered.startswith("on ") and lowered.endswith("wrote:")):
            break
        lines.append(stripped)
    return lines


def _postal_address(body: str) -> str:
    """The lines of a postal address in the body, found by its postcode: the postcode line
    and the (at most four) short lines just above it."""
    lines = [line.strip() for line in body.split("\n")]
    for index, line in enumerate(lines):
        if not _POSTCODE.search(line) or len(line) > 60:
            continue
        start = index
        while start > 0 and index - start < 4 and 0 < len(lines[start - 1]) <= 60 \
                and not lines[start - 1].endswith((".", "?", "!", ":")) \
                and lines[start - 1].lower().rstrip(",") not in _SIGN_OFFS \
                and not lines[start - 1].lower().startswith(("yours ", "kind regards")):
            start -= 1
        return ", ".join(part.rstrip(",") for part in lines[start:index + 1])
    return ""


def propose_record(message: Email) -> dict[str, object]:
    """What a new record made from `message` starts with: "received" (the local date it was
    sent, or None), "complainant_name", "complainant_address" (the email address, and a postal
    address found in the body), and "summary" (the subject and the opening lines of the body,
    tidied, at most SUMMARY_LIMIT characters). The officer checks each before saving."""
    received = message.sent.astimezone().date() if message.sent else None
    address_parts = [part for part in (message.sender_address, _postal_address(message.body_text))
                     if part]
    opening = _opening_lines(message.body_text)[:_BODY_LINES * 3]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in opening:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    heading = [message.subject] if message.subject else []
    summary = "\n\n".join([*heading, *paragraphs[:_BODY_LINES]]).strip()
    if len(summary) > SUMMARY_LIMIT:
        cut = summary[:SUMMARY_LIMIT - 1]
        summary = (cut[:cut.rfind(" ")] if " " in cut[-80:] else cut).rstrip(" ,;:") + "…"
    return {"received": received,
            "complainant_name": message.sender_name or message.sender_address,
            "complainant_address": "\n".join(address_parts),
            "summary": summary}
