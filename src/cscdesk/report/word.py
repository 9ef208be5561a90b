"""The appendix as a Word document: the same blocks as the PDF (`sections.py`), printed by
`docx_render`, written safely (`writing.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from cscdesk.report.content import AppendixContent
from cscdesk.report.docx_render import DocumentInfo, render
from cscdesk.report.sections import story
from cscdesk.report.writing import write_safely


def document_info(content: AppendixContent) -> DocumentInfo:
    """The title, author, subject and footer: the same as the PDF's."""
    return DocumentInfo(title=content.title, author=content.council_name,
                        subject=content.subject, footer=content.footer)


def render_docx(content: AppendixContent, stream: BinaryIO) -> None:
    render(story(content), document_info(content), stream)


def write_docx(content: AppendixContent, path: Path | str) -> Path:
    """Write the appendix as a Word document to `path` safely; returns the path."""
    return write_safely(lambda stream: render_docx(content, stream), path, viewer="Word")
