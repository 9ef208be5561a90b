"""Checking a letter template before any letter is made from it.

A template is a Word document whose text holds merge fields (`{{ reference }}`) and a little
markup (`{% if extended == "yes" %}…{% endif %}`), as docxtpl fills them. Each problem gets
one sentence naming what is wrong and where: paragraph N, a table's row and column, the header
or the footer, with a few words of the text around it. Each paragraph is checked as one line
of the template, so a line number from the parser is a paragraph.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from cscdesk.letters.fields import FIELD_NAMES

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_BLOCKS = ("if", "for", "with", "macro", "call", "filter", "set", "block", "autoescape")
FIELDS_ARE_LISTED = "The merge fields are listed in Settings › Letters and docs/letters.md."


def letter_environment() -> SandboxedEnvironment:
    """The one environment letters are checked and filled with: sandboxed (a council's file
    cannot reach into the program) and escaping every value for Word's XML."""
    return SandboxedEnvironment(autoescape=True)


@dataclass(frozen=True)
class Line:
    """One paragraph as the template's line: where it is, and its text."""

    where: str  # "paragraph 3", "table 1, row 2, column 1", "the header"
    text: str


def check_template(data: bytes, file_name: str = "") -> list[str]:
    """Sentences naming each problem of the template; empty when it can be used."""
    shown = f"“{file_name}”" if file_name else "The file"
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a file that is not .docx
        return [f"{shown} is not a Word document (.docx): open it in Word and save it as "
                "“Word Document (*.docx)”, then choose that file."]
    environment = letter_environment()
    problems: list[str] = []
    for lines in _parts(document):
        problems += _check_lines(environment, lines)
    if not problems:
        problems += _check_as_filled(environment, data)
    return problems


def _parts(document: Any) -> list[list[Line]]:
    """The body, then each header and footer: each is filled as a template of its own."""
    parts = [_lines(document.element.body, None)]
    for relationship in document.part.rels.values():
        if relationship.is_external or relationship.reltype not in (_HEADER, _FOOTER):
            continue
        name = "the header" if relationship.reltype == _HEADER else "the footer"
        parts.append(_lines(relationship.target_part.element, name))
    return parts


def _lines(root: Any, part_name: str | None) -> list[Line]:
    lines: list[Line] = []
    paragraph_number = 0
    tables = {id(table): number for number, table in enumerate(root.iter(f"{_W}tbl"), 1)}
    for paragraph in root.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t")
                       if _nearest(t, f"{_W}p") is paragraph)
        cell = _nearest(paragraph, f"{_W}tc")
        if part_name is not None:
            where = part_name
        elif cell is not None:
            row = cell.getparent()
            table = row.getparent()
            row_number = list(table.iterchildren(f"{_W}tr")).index(row) + 1
            column = list(row.iterchildren(f"{_W}tc")).index(cell) + 1
            where = f"table {tables.get(id(table), 1)}, row {row_number}, column {column}"
        elif _nearest(paragraph, f"{_W}txbxContent") is not None:
            where = f"a text box after paragraph {paragraph_number}"
        else:
            paragraph_number += 1
            where = f"paragraph {paragraph_number}"
        lines.append(Line(where, text))
    return lines


def _nearest(element: Any, tag: str) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _as_filled(text: str) -> str:
    """A paragraph's text as docxtpl hands it to the template engine: its paragraph, row and
    cell tags ({%p if %}) as plain tags, and curly quotes inside tags as straight ones."""
    text = re.sub(r"\{%(-?)\s*(?:hm|vm)\s*(-?)%\}", "", text)
    text = re.sub(r"\{%-?\s*(?:colspan|cellbg)\s+(.*?)-?%\}", r"{{ \1 }}", text)
    text = re.sub(r"\{%(-?)(?:p|tr|tc|r)\s", r"{%\1 ", text)
    text = re.sub(r"\{\{(-?)(?:p|r)\s", r"{{\1 ", text)

    def straight(match: re.Match[str]) -> str:
        return (match.group(0).replace("“", '"').replace("”", '"')
                .replace("‘", "'").replace("’", "'"))

    return re.sub(r"\{[{%#].*?(?:[}%#]\}|$)", straight, text)


def _snippet(text: str, near: str = "") -> str:
    """A few words of a paragraph around `near`, to find it by."""
    text = " ".join(text.split())
    if len(text) <= 70:
        return text
    at = max(text.find(near), 0) if near else 0
    start = max(0, at - 25)
    end = min(len(text), start + 70)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _at(line: Line, near: str = "") -> str:
    """“paragraph 3 (“Dear {{ name }},”)”."""
    snippet = _snippet(line.text, near)
    return f"{line.where} (“{snippet}”)" if snippet else line.where


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


_DELIMITERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = {closer: opener for opener, closer in _CLOSER.items()}


def _unbalanced(line: Line) -> str | None:
    """A tag opened and not closed in the same paragraph, or closed and never opened."""
    opened: str | None = None
    for match in _DELIMITERS.finditer(line.text):
        mark = match.group(0)
        if mark in _CLOSER:
            if opened is not None:
                return _capital(f"{_at(line, opened)}: “{opened}” is not closed by "
                                f"“{_CLOSER[opened]}” before the next “{mark}”.")
            opened = mark
        elif opened is not None and _CLOSER[opened] == mark:
            opened = None
        else:
            return _capital(f"{_at(line, mark)}: “{mark}” closes nothing: its opening "
                            f"“{_OPENER[mark]}” is missing.")
    if opened is not None:
        return _capital(f"{_at(line, opened)}: “{opened}” is not closed by "
                        f"“{_CLOSER[opened]}” in the same paragraph.")
    return None


def _check_lines(environment: SandboxedEnvironment, lines: list[Line]) -> list[str]:
    if not lines:
        return []
    problems = [problem for line in lines if (problem := _unbalanced(line)) is not None]
    if problems:
        return problems
    source = "\n".join(_as_filled(line.text) for line in lines)
    try:
        tree = environment.parse(source)
        environment.compile(tree)
    except TemplateSyntaxError as error:
        return [_syntax_sentence(error, lines)]
    return _unknown_fields(environment, tree, lines)


def _line_of(lines: list[Line], lineno: int | None) -> Line:
    index = min(max((lineno or 1) - 1, 0), len(lines) - 1)
    return lines[index]


def _syntax_sentence(error: TemplateSyntaxError, lines: list[Line]) -> str:
    message = error.message or ""
    if "innermost block" in message or "end of template" in message:
        opener = _unclosed_block(lines)
        if opener is not None:
            line, tag = opener
            return _capital(f"{_at(line, '{%')}: “{{% {tag} %}}” has no "
                            f"“{{% end{tag} %}}” after it.")
    line = _line_of(lines, error.lineno)
    return _capital(f"{_at(line, '{')}: the markup is broken ({_plain(message)}).")


def _plain(message: str) -> str:
    """The parser's message in fewer technical words."""
    unknown = re.search(r"unknown tag '(\w+)'", message)
    if unknown and unknown.group(1).startswith("end"):
        tag = unknown.group(1)
        return f"“{{% {tag} %}}” has no “{{% {tag[3:]} … %}}” before it"
    if unknown:
        return f"“{{% {unknown.group(1)} %}}” is not a tag a letter can use"
    filter_ = re.search(r"No filter named '(\w+)'", message)
    if filter_:
        return f"“{filter_.group(1)}” is not a filter a letter can use"
    if "end of print statement" in message:
        return "a field's name is followed by something that is not part of it"
    return message.rstrip(".")


def _unclosed_block(lines: list[Line]) -> tuple[Line, str] | None:
    """The innermost `{% if %}`/`{% for %}` left open, with its paragraph."""
    stack: list[tuple[Line, str]] = []
    for line in lines:
        for tag in re.findall(r"\{%-?\s*(\w+)", _as_filled(line.text)):
            if tag in _BLOCKS and not (tag == "set" and "=" in line.text):
                stack.append((line, tag))
            elif tag.startswith("end") and stack and stack[-1][1] == tag[3:]:
                stack.pop()
    return stack[-1] if stack else None


def _unknown_fields(environment: SandboxedEnvironment, tree: nodes.Template,
                    lines: list[Line]) -> list[str]:
    unknown = meta.find_undeclared_variables(tree) - FIELD_NAMES - set(environment.globals)
    problems = []
    for name in sorted(unknown, key=lambda found: _first_use(tree, found)):
        line = _line_of(lines, _first_use(tree, name))
        close = difflib.get_close_matches(name, sorted(FIELD_NAMES), n=1, cutoff=0.6)
        hint = f": did you mean “{close[0]}”?" if close else "."
        problems.append(_capital(f"{_at(line, name)} uses “{name}”, which is not a merge "
                                 f"field{hint}"))
    if problems:
        problems.append(FIELDS_ARE_LISTED)
    return problems


def _first_use(tree: nodes.Template, name: str) -> int:
    uses = [node.lineno for node in tree.find_all(nodes.Name)
            if node.name == name and node.ctx == "load"]
    return min(uses) if uses else 1


def _check_as_filled(environment: SandboxedEnvironment, data: bytes) -> list[str]:
    """What docxtpl itself finds (text boxes, parts the walk above does not read)."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    try:
        found = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(environment)
    except TemplateSyntaxError as error:
        return [f"The markup is broken somewhere outside the paragraphs, tables, header and "
                f"footer (a text box, say): {_plain(error.message or '')}."]
    except Exception:  # a part docxtpl cannot read: filling will say so
        return []
    unknown = sorted(set(found) - FIELD_NAMES - set(environment.globals))
    return [f"The template uses “{name}” outside its paragraphs, tables, header and footer "
            "(a text box, say), which is not a merge field." for name in unknown]
