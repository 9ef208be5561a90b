"""Everything the appendix prints, gathered into one plain object for the renderers.

Figures (records and hand-entered baseline), the year's paragraphs (officer's edits or the
defaults), the root-cause themes to print for Y and Y-1 (edited or proposed), the settings
that name the council, the service and the appendix, and the optional sections chosen for the
year with their figures (computed only when chosen, so an appendix without them costs nothing
more).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cscdesk import settings
from cscdesk.domain.years import ReportingYear
from cscdesk.report import narrative
from cscdesk.report.figures import AppendixFigures, RootCauseThemes, compute_figures
from cscdesk.report.pack_choice import (
    OUTCOMES,
    TIMELINESS,
    TRENDS,
    WHO_COMPLAINED,
    chosen_sections,
)
from cscdesk.report.query import query_for

if TYPE_CHECKING:
    from cscdesk.report.statutory import StatutoryFigures
    from cscdesk.report.trends import Trends


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
    sections: frozenset[str] = frozenset()
    statutory: StatutoryFigures | None = None
    trends: Trends | None = None

    @property
    def title(self) -> str:
        """`Appendix 1 - 2018/19 - Children's Social Care – Complaints & Representations`."""
        return (f"{self.appendix_number} - {self.figures.year.label} - {self.service_name} "
                "– Complaints & Representations")

    @property
    def subject(self) -> str:
        return (f"{self.service_name} complaints and representations "
                f"{self.figures.year.label}")

    @property
    def footer(self) -> str:
        """Printed at the foot of every page, beside the page number."""
        return f"{self.council_name} – {self.service_name}"


def load_content(source: Any, year: ReportingYear, *, suppress_small: bool | None = None,
                 sections: Iterable[str] | None = None) -> AppendixContent:
    """The appendix for `year`; `suppress_small` None means the stored setting decides,
    `sections` None the optional sections remembered for the year."""
    query = query_for(source)
    figures = compute_figures(query, year)
    chosen = chosen_sections(query, year) if sections is None else frozenset(sections)
    statutory = trends = None
    if chosen & {TIMELINESS, OUTCOMES, WHO_COMPLAINED}:
        from cscdesk.report.statutory import compute_statutory

        statutory = compute_statutory(query, year)
    if TRENDS in chosen:
        from cscdesk.report.trends import compute_trends

        trends = compute_trends(query, year)
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
        sections=chosen,
        statutory=statutory,
        trends=trends,
    )
