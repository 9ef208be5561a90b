"""The annual report pack's optional sections, printed after the casework sections when chosen
for the year: five-year trends and the statutory content (timeliness, outcomes and who
complained, by stage)."""

from __future__ import annotations

from collections.abc import Iterable

from cscdesk.report.blocks import Block
from cscdesk.report.content import AppendixContent


def sections(content: AppendixContent) -> Iterable[Block]:
    return ()
