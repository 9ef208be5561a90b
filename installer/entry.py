"""Start script for the frozen bundle: the same entry point as the installed `cscdesk` command.

`cscdesk --bundled-libraries` (not listed in --help) proves the libraries the app imports only
when it needs them came into the bundle whole: it fills a Word template made on the spot with
docxtpl, reads it back with python-docx, and loads extract-msg with its parts; then prints one
line per library. tests/test_bundle.py runs it.
"""

import sys


def bundled_libraries() -> int:
    import importlib
    import io

    import docx
    import extract_msg
    from docxtpl import DocxTemplate
    from extract_msg.msg_classes import MessageBase  # noqa: F401 - what a .msg email opens as

    page = docx.Document()
    page.add_paragraph("Dear {{ name }},")
    template = io.BytesIO()
    page.save(template)
    template.seek(0)
    letter = DocxTemplate(template)
    letter.render({"name": "Zoë O’Brien & Sons <Ltd>"}, autoescape=True)
    made = io.BytesIO()
    letter.save(made)
    made.seek(0)
    text = "\n".join(paragraph.text for paragraph in docx.Document(made).paragraphs)
    print(f"letter: {text}")
    print(f"ebcdic: {'cscdesk'.encode('cp1047').decode('cp1047')}")
    print(f"extract_msg: {extract_msg.__version__}")
    for name in ("docxtpl", "docx", "lxml.etree", "jinja2", "olefile", "compressed_rtf",
                 "RTFDE", "lark", "bs4", "tzlocal", "ebcdic"):
        module = importlib.import_module(name)
        print(f"{name}: {getattr(module, '__version__', 'loaded')}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--bundled-libraries"]:
        sys.exit(bundled_libraries())
    from cscdesk.cli import main

    sys.exit(main())
