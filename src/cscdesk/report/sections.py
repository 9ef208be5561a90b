"""The appendix's sections, in the example's order, as plain blocks (`blocks.py`) that the PDF
and the Word version both print.

Headings and wording follow appendix-example-2018-19.txt; sentences that carry figures are
built here, explanatory paragraphs come from the year's narrative texts. The casework sections
that follow the example's are in `casework_sections.py`, the optional sections of the annual
report pack in `pack_sections.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cscdesk.domain.kinds import EnquirySource
from cscdesk.report import formatting as fmt
from cscdesk.report.blocks import (
    CM,
    TEXT_WIDTH,
    Block,
    Cell,
    CellLine,
    Gap,
    Heading,
    Paragraph,
    Run,
    Table,
    Title,
    paragraphs,
    table,
    text,
)
from cscdesk.report.casework_sections import sections as casework_sections
from cscdesk.report.content import AppendixContent
from cscdesk.report.figures import BASELINE_KEYS, RootCauseThemes, TeamCount, YearFigures
from cscdesk.report.pack_sections import sections as pack_sections

cm = CM

COMPARISON_HEADINGS = (
    "Feedback:",
    "Initial Feedback",
    "Stage 1 complaints",
    "Stage 2 complaints",
    "Stage 3 complaints",
    "Alternative Dispute Resolution Cases",
    "Cases closed in period*",
    "Cases Cancelled",
    "% of complaints upheld in period",
    "% timeliness of response for those due in period",
)
COMPARISON_KEYS = ("initial_feedback", "stage1", "stage2", "stage3", "adr_cases", "closed",
                   "cancelled", "upheld_percent", "timeliness_percent")


def story(content: AppendixContent) -> Iterable[Block]:
    """Every section of the appendix, in the example's order, then the casework sections the
    year has data for, then the optional sections chosen for the year."""
    yield Title(content.title)
    yield from _volume(content)
    yield from _complaints(content)
    yield from _root_causes(content)
    yield from _upheld(content)
    yield from _lgo(content)
    yield from _adr(content)
    yield from _disputes(content)
    yield from _initial_feedback(content)
    yield from _enquiries(content)
    yield from _compliments(content)
    yield from casework_sections(content.figures.casework, suppress=content.suppress_small)
    yield from pack_sections(content)


def _years(content: AppendixContent) -> tuple[YearFigures, YearFigures]:
    return content.figures.current, content.figures.previous


def _hand_entered_note(year: YearFigures, keys: Iterable[str]) -> list[Block]:
    """A note naming the figures of a year that were entered by hand, if any."""
    named = [BASELINE_KEYS[key] for key in keys if key in year.from_baseline]
    if not named:
        return []
    return [text(f"Figures entered by hand for {year.label} (not computed from case records): "
                 f"{', '.join(named)}.", "note")]


def _volume(content: AppendixContent) -> Iterable[Block]:
    now, before = _years(content)
    yield Heading(f"Volume of Representations – {before.label} vs {now.label}:")
    yield Paragraph((
        Run("Below is a comparison of all representations received during both years, a total "
            "of "),
        Run(str(before.representations), bold=True),
        Run(f" representations were received in {before.label} compared to "),
        Run(str(now.representations), bold=True),
        Run(f" in the same period of {now.label}.")))
    parts = ("initial_feedback", "stage1", "stage2", "stage3", "enquiries_mp", "enquiries_mep",
             "enquiries_member", "compliments")
    for year in (now, before):
        yield from _hand_entered_note(year, parts)


def _escalation_sentence(now: YearFigures, before: YearFigures) -> str:
    later_now = now.comparison.stage2 + now.comparison.stage3
    later_before = before.comparison.stage2 + before.comparison.stage3
    if later_now == 0 and later_before == 0:
        return "There were no escalations beyond stage 1 for both periods."

    def words(count: int) -> str:
        return "none" if count == 0 else f"{count} {fmt.plural(count, 'escalation')}"

    return (f"There {'was' if later_now == 1 else 'were'} {words(later_now)} beyond stage 1 in "
            f"{now.label} and {words(later_before)} in {before.label}.")


def _complaints(content: AppendixContent) -> Iterable[Block]:
    now, before = _years(content)
    figures = content.figures
    yield Heading(f"Complaints – {before.label} vs {now.label}:")
    intro = content.texts["complaints_intro"].strip()
    yield text(" ".join(part for part in (intro, _escalation_sentence(now, before)) if part))
    rows: list[list[str]] = [list(COMPARISON_HEADINGS)]
    for year in (now, before):
        row = year.comparison
        rows.append([row.label, *(str(getattr(row, key)) for key in COMPARISON_KEYS[:7]),
                     fmt.format_percent(row.upheld_percent),
                     fmt.format_percent(row.timeliness_percent)])
    diff = figures.difference
    rows.append(["Difference", *(fmt.format_signed(getattr(diff, key))
                                 for key in COMPARISON_KEYS[:7]),
                 fmt.format_points(diff.upheld_percent),
                 fmt.format_points(diff.timeliness_percent)])
    yield table(rows)
    yield from paragraphs(content.texts["closed_footnote"], "note")
    for year in (now, before):
        yield from _hand_entered_note(year, COMPARISON_KEYS)


def _theme_cell(themes: RootCauseThemes, index: int) -> tuple[CellLine, ...]:
    if index >= len(themes.themes):
        return ()
    theme = themes.themes[index]
    return (CellLine(theme.name, "cell_theme"),
            *(CellLine(line, "cell_line") for line in theme.learning))


def _root_causes(content: AppendixContent) -> Iterable[Block]:
    yield Heading("Root cause analysis and associated learning:")
    yield from paragraphs(content.texts["root_cause_intro"])
    header: list[Cell] = ["Root cause analysis and learning from upheld complaints:",
                          *(f"Root Cause {n} and associated learning" for n in (1, 2, 3))]
    rows: list[list[Cell]] = [header]
    rows.extend([(CellLine(f"Learning for {themes.label}"),),
                 *(_theme_cell(themes, i) for i in range(3))]
                for themes in (content.themes_current, content.themes_previous))
    first = 3.2 * cm
    # Learning may run to many pages.
    yield table(rows, [first] + [(TEXT_WIDTH - first) / 3] * 3, long=True)
    edited = [t.label for t in (content.themes_current, content.themes_previous) if t.edited]
    if edited:
        yield text(f"Themes and learning for {' and '.join(edited)} were reviewed and edited by "
                   "the Complaints Team.", "note")


def _upheld(content: AppendixContent) -> Iterable[Block]:
    now, before = _years(content)
    suppress = content.suppress_small
    yield Heading("Breakdown of complaints received:")
    yield from paragraphs(content.texts["breakdown_intro"])
    yield Heading("Upheld Complaints:")
    yield from paragraphs(content.texts["upheld_intro"])
    rows: list[list[str]] = [["Complaint Area", f"Volume {before.year.long_label}",
                                 "% Upheld", f"Volume {now.year.long_label}", "% Upheld"]]
    for area in content.figures.upheld_by_area:
        rows.append([
            area.team,
            fmt.format_count(area.previous_volume, suppress=suppress),
            fmt.format_upheld(area.previous_volume, area.previous_upheld, suppress=suppress),
            fmt.format_count(area.volume, suppress=suppress),
            fmt.format_upheld(area.volume, area.upheld, suppress=suppress),
        ])
    # Always the table, even with no rows, so that each section has its table to find.
    yield table(rows, [7.4 * cm] + [(TEXT_WIDTH - 7.4 * cm) / 4] * 4)
    for year in (now, before):
        yield from _hand_entered_note(year, ("upheld_by_area",))
    if suppress:
        yield text(fmt.SUPPRESSED_NOTE, "note")


def _lgo(content: AppendixContent) -> Iterable[Block]:
    now, _ = _years(content)
    yield Heading("LGO Complaints:")
    if now.lgo == 0:
        yield text("There were no Statutory LGO complaints during the reporting period.")
    else:
        verb = "was" if now.lgo == 1 else "were"
        yield text(f"There {verb} {now.lgo} Statutory LGO {fmt.plural(now.lgo, 'complaint')} "
                 "during the reporting period.")
    yield from _hand_entered_note(now, ("lgo",))


def adr_sentence(year: YearFigures) -> str:
    """The ADR section's closing sentence, e.g. the example's one case and its £1800 saving."""
    count = year.comparison.adr_cases
    saving = (f", resulting in a saving of {fmt.format_money(year.adr_saving_pence)}"
              if year.adr_saving_pence else "")
    if count == 0:
        return "There were no Alternative Dispute Resolution cases for this period."
    if count == 1:
        stages = [stage for stage, n in year.adr_stages if n]
        if len(stages) == 1:
            stage = stages[0]
            onward = f"a Stage {stage + 1}" if stage < 3 else "the Ombudsman"
            return (f"The one case for this period was a Stage {stage} which was prevented "
                    f"from escalating to {onward}{saving}.")
        return f"The one case for this period was prevented from escalating{saving}."
    by_stage = ", ".join(f"{n} at Stage {stage}" for stage, n in year.adr_stages if n)
    detail = f" ({by_stage})" if by_stage else ""
    total = saving.replace("a saving", "a total saving")
    return (f"The {fmt.number_word(count)} cases for this period{detail} were prevented from "
            f"escalating to the next stage{total}.")


def _adr(content: AppendixContent) -> Iterable[Block]:
    now, _ = _years(content)
    yield Heading("Alternative Dispute Resolution Cases:")
    yield from paragraphs(content.texts["adr"])
    yield text(adr_sentence(now))
    yield from _hand_entered_note(now, ("adr_cases", "adr_saving"))


def dispute_sentence(now: YearFigures, before: YearFigures) -> str:
    count = now.dispute_resolution
    first = ("Within the reporting period there "
             f"{'was' if count == 1 else 'were'} {count} {fmt.plural(count, 'case')} recorded.")
    if before.dispute_resolution == 0:
        return f"{first} No cases were recorded in {before.label}, so a comparison cannot be made."
    return (f"{first} In {before.label} there {'was' if before.dispute_resolution == 1 else 'were'}"
            f" {before.dispute_resolution} {fmt.plural(before.dispute_resolution, 'case')}"
            " recorded.")


def _disputes(content: AppendixContent) -> Iterable[Block]:
    now, before = _years(content)
    yield Heading("Dispute Resolution:")
    yield from paragraphs(content.texts["dispute_resolution"])
    yield text(dispute_sentence(now, before))
    for year in (now, before):
        yield from _hand_entered_note(year, ("dispute_resolution",))


def _initial_feedback(content: AppendixContent) -> Iterable[Block]:
    yield Heading("Initial Feedback:")
    yield from paragraphs(content.texts["initial_feedback"])


def _team_table(first_heading: str, second_heading: str, teams: Sequence[TeamCount],
                suppress: bool) -> Table:
    rows: list[list[str]] = [[first_heading, second_heading]]
    rows.extend([t.team, fmt.format_count(t.count, suppress=suppress)] for t in teams)
    return table(rows, [9.5 * cm, 4.0 * cm])


def _enquiries(content: AppendixContent) -> Iterable[Block]:
    now, _ = _years(content)
    yield Heading("Enquiries")
    yield from paragraphs(content.texts["enquiries_intro"])
    for source in EnquirySource:
        figures = now.enquiries_from(source)
        yield text(f"{figures.count} {figures.heading}", "bullet")
    for source in EnquirySource:
        figures = now.enquiries_from(source)
        yield Gap(6)
        yield _team_table(f"{figures.heading} Enquiries", "Number by Team", figures.teams,
                          content.suppress_small)
    keys = [f"enquiries_{s.name.lower()}{suffix}"
            for s in EnquirySource for suffix in ("", "_teams")]
    yield from _hand_entered_note(now, keys)


def _compliments(content: AppendixContent) -> Iterable[Block]:
    now, _ = _years(content)
    yield Heading("External Compliments:")
    count = now.compliments
    if count == 0:
        yield text("No Compliments have been received during this period.")
    else:
        verb = "has" if count == 1 else "have"
        yield text(f"{count} {fmt.plural(count, 'Compliment')} {verb} been received during this "
                 "period, breakdown of teams is below.")
    yield _team_table("Service Area", "Total Received", now.compliments_by_team,
                      content.suppress_small)
    yield from _hand_entered_note(now, ("compliments", "compliments_teams"))
