"""Letters from Word templates with merge fields, filled from a record (docs/letters.md).

`fields`: the merge fields and their values for a record; `templates`: the catalogue, the
council's own files or the defaults, and checking a file before it is used; `making`: a
letter filled from a record. No Qt here: the app's Settings › Letters and "Letter…" call these.
"""

from cscdesk.letters.fields import FIELDS, Field, merge_values
from cscdesk.letters.making import letter_file_name, make_letter
from cscdesk.letters.templates import (
    TEMPLATES,
    Template,
    check_template,
    replace_template,
    reset_template,
    template_by_key,
    template_data,
    templates_for,
    templates_for_record,
)

__all__ = ["FIELDS", "TEMPLATES", "Field", "Template", "check_template", "letter_file_name",
           "make_letter", "merge_values", "replace_template", "reset_template",
           "template_by_key", "template_data", "templates_for", "templates_for_record"]
