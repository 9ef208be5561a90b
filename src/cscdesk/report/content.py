"""Everything the appendix prints, gathered into one plain object for the PDF renderer.

Figures (records and hand-entered baseline), the year's paragraphs (officer's edits or the
defaults), the root-cause themes to print for Y and Y-1 (edited or proposed), and the settings
that name the council, the service and the appendix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cscdesk import settings
from cscdesk.domain.years import ReportingYear
from cscdesk.report import narrative
from cscdesk.report.figures import AppendixFigures, RootCauseThemes, compute_figures
from cscdesk.report.query import query_for


@dataclass(frozen=True)
class AppendixContent:
    figures: AppendixFigures
    texts: Mapping[str, str]
    themes_current: RootCauseThemes
    themes_previous: RootCauseThemes
    council_name: str
    service_name: str
    appendix_number: str
    suppress_small: bool = False

    @property
    def title(self) -> str:
        """`Appendix 1 - 2018/19 - Children's Social Care – Complaints & Representations`."""
        return (f"{self.appendix_number} - {self.figures.year.label} - {self.service_name} "
                "– Complaints & Representations")


def load_content(source: Any, year: ReportingYear, *, suppress_small: bool | None = None
                 ) -> AppendixContent:
    """The appendix for `year`; `suppress_small` None means the stored setting decides."""
    query = query_for(source)
    figures = compute_figures(query, year)
    items = narrative.texts_for(query, year)
    if suppress_small is None:
        suppress_small = settings.get(query, settings.SMALL_NUMBER_SUPPRESSION)
    return AppendixContent(
        figures=figures,
        texts={key: item.current for key, item in items.items()},
        themes_current=narrative.edited_themes(query, year) or figures.current.themes,
        themes_previous=(narrative.edited_themes(query, year.previous)
                         or figures.previous.themes),
        council_name=settings.get(query, settings.COUNCIL_NAME),
        service_name=settings.get(query, settings.SERVICE_NAME),
        appendix_number=settings.get(query, settings.APPENDIX_NUMBER),
        suppress_small=suppress_small,
    )
