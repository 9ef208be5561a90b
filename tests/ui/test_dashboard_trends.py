"""The dashboard's five-year trends: the appendix's charts and tables on screen, chosen by
keyboard, read again with the dashboard, and a chart painted from the one scene at any size."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from ui_data import copied_database

from cscdesk.domain.kinds import (
    ComplaintData,
    ComplimentData,
    EnquiryData,
    EnquirySource,
    InitialFeedbackData,
    Outcome,
)
from cscdesk.domain.years import ReportingYear
from cscdesk.report import chart_scene, trends_printed
from cscdesk.report.baseline import BaselineFigures, save_baseline
from cscdesk.report.charts import BarChart, Series
from cscdesk.report.trends import compute_trends
from cscdesk.store import records
from cscdesk.store.engine import Database
from cscdesk.ui.chart_painter import ChartView
from cscdesk.ui.dashboard import DashboardPane
from cscdesk.ui.trends_view import FiguresModel, TrendsView

TODAY = date(2024, 6, 3)  # the last complete year is 2023/24: the five are 2019/20 to 2023/24
ALT = Qt.KeyboardModifier.AltModifier
LABELS = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]


def save(database: Database, *saved: object) -> None:
    with database.transaction() as session:
        for record in saved:
            records.save(session, record)  # type: ignore[arg-type]


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        save(db,
             # 2019/20: an initial feedback and a compliment.
             InitialFeedbackData("IF-19", date(2019, 5, 1), "Fostering"),
             ComplimentData("CO-19", date(2019, 7, 1), "Adoption"),
             # 2020/21: nothing at all.
             # 2021/22: an MP's enquiry and two compliments.
             EnquiryData("EN-21", date(2021, 6, 1), EnquirySource.MP, "Adoption"),
             ComplimentData("CO-21A", date(2021, 8, 2), "Adoption"),
             ComplimentData("CO-21B", date(2022, 3, 31), "Fostering"),
             # 2022/23: received Tue 3 May 2022 (2 May a bank holiday): Stage 1 due Tue 17 May,
             # answered on 10 May, closed not upheld; escalated to Stage 2 on 6 June, open.
             ComplaintData("C-22", date(2022, 5, 3), 1, "Fostering", responded=date(2022, 5, 10),
                           closed=date(2022, 5, 12), outcome=Outcome.NOT_UPHELD),
             ComplaintData("C-22-S2", date(2022, 6, 6), 2, "Fostering", escalated_from="C-22"),
             # 2023/24: three Stage 1 complaints. Mon 5 June 2023: due Mon 19 June, answered
             # 16 June (on time), closed upheld. Mon 3 July: due Mon 17 July, answered 20 July
             # (late), closed not upheld. Mon 2 October: due Mon 16 October, no answer (late).
             ComplaintData("C-23A", date(2023, 6, 5), 1, "Adoption", responded=date(2023, 6, 16),
                           closed=date(2023, 6, 20), outcome=Outcome.UPHELD),
             ComplaintData("C-23B", date(2023, 7, 3), 1, "Adoption", responded=date(2023, 7, 20),
                           closed=date(2023, 7, 25), outcome=Outcome.NOT_UPHELD),
             ComplaintData("C-23C", date(2023, 10, 2), 1, "Fostering"),
             InitialFeedbackData("IF-23A", date(2023, 4, 3), "Fostering"),
             InitialFeedbackData("IF-23B", date(2024, 3, 28), "Adoption"))
        yield db


# Worked out by hand from the records above.
EXPECTED = {
    "representations": [
        ["Representations", *LABELS],
        ["Initial feedback", "1", "0", "0", "0", "2"],
        ["Complaints (Stages 1–3)", "0", "0", "0", "2", "3"],
        ["Enquiries", "0", "0", "1", "0", "0"],
        ["Compliments", "1", "0", "2", "0", "0"],
        ["Total", "2", "0", "3", "2", "5"],
    ],
    "timeliness_upheld": [
        ["Percentage", *LABELS],
        # 2022/23: 1 of 1 on time; 2023/24: 1 of 3 = 33.3% → 33%.
        ["Stage 1 responses on time", "N/A", "N/A", "N/A", "100%", "33%"],
        # 2022/23: 0 of 1 closed upheld; 2023/24: 1 of 2 → 50%.
        ["Complaints upheld", "N/A", "N/A", "N/A", "0%", "50%"],
    ],
    "later_stages": [
        ["Complaints", *LABELS],
        ["Stage 2", "0", "0", "0", "1", "0"],
        ["Stage 3", "0", "0", "0", "0", "0"],
    ],
}


def shown_view(database: Database, qtbot) -> TrendsView:
    view = TrendsView(database)
    qtbot.addWidget(view)
    view.refresh(today=TODAY)
    assert view.task is None  # not on screen: nothing is read
    view.show()  # on screen: read now
    qtbot.waitUntil(lambda: view.found is not None, timeout=10_000)
    return view


def loaded(view: TrendsView, qtbot, label: str) -> None:
    qtbot.waitUntil(lambda: view.found is not None and view.found.year.label == label
                    and not view.task.running, timeout=10_000)


def test_the_view_shows_the_appendix_s_charts_and_figures(database, qtbot):
    view = shown_view(database, qtbot)
    with database.session() as session:
        printed = trends_printed.charts(compute_trends(session, ReportingYear(2023)))
    assert view.year_choice.currentText() == "2023/24"
    # The years of the complaints, to this one, newest first.
    assert [view.year_choice.itemText(i) for i in range(view.year_choice.count())] == [
        "2024/25", "2023/24", "2022/23"]
    assert [view.chart_choice.itemText(i) for i in range(view.chart_choice.count())] == [
        "Representations by kind", "Stage 1 responses on time and complaints upheld (%)",
        "Stage 2 and Stage 3 complaints"]
    for index, (key, (chart, table, description)) in enumerate(zip(EXPECTED, printed,
                                                                   strict=True)):
        view.chart_choice.setCurrentIndex(index)
        assert view.model.table() == EXPECTED[key] == table
        assert view.chart_view.chart == chart
        assert view.chart_view.accessibleName() == chart.title
        assert view.chart_view.accessibleDescription() == description
    assert view.chart_view.accessibleDescription() == (
        "Bar chart of Stage 2 and Stage 3 complaints from 2019/20 to 2023/24: Stage 2 "
        "complaints stood at 0 in both 2019/20 and 2023/24, peaking at 1 in 2022/23; Stage 3 "
        "complaints stood at 0 in both 2019/20 and 2023/24.")
    assert view.model.index(1, 2).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert view.note.isHidden()  # no figure was entered by hand
    assert view.status.isHidden()


def test_figures_entered_by_hand_are_used_and_named_beneath_the_table(database, qtbot):
    with database.transaction() as session:  # 2020/21 has no records: its figures by hand
        save_baseline(session, BaselineFigures(2020, stage1=7, compliments=4,
                                               upheld_percent=40))
    view = shown_view(database, qtbot)
    # 2020/21: 7 complaints and 4 compliments entered, no initial feedback or enquiries: 11.
    assert [row[2] for row in view.model.table()] == ["2020/21", "0", "7", "0", "4", "11"]
    view.chart_choice.setCurrentIndex(1)  # the hand-entered year has no Stage 1 timeliness
    assert [row[2] for row in view.model.table()] == ["2020/21", "N/A", "40%"]
    assert view.note.isVisibleTo(view)
    assert view.note.text() == (
        "Figures entered by hand (not computed from case records): complaints and "
        "compliments of 2020/21 (without Stage 1 timeliness, shown as N/A).")


def test_the_figures_model_changes_its_headings_with_its_table(qtmodeltester):
    model = FiguresModel()  # not the view's: the tester must outlive it
    qtmodeltester.check(model, force_py=True)
    for table in EXPECTED.values():  # new headings and rows, watched by the tester
        model.set_table(table)
        assert model.table() == table
        assert [model.headerData(column, Qt.Orientation.Horizontal)
                for column in range(model.columnCount())] == table[0]


def test_charts_and_years_are_chosen_by_keyboard(database, qtbot):
    view = shown_view(database, qtbot)
    view.activateWindow()  # mnemonics work in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_C, ALT)
    assert view.chart_choice.hasFocus()
    qtbot.keyClick(view.chart_choice, Qt.Key.Key_Down)
    assert view.chart_view.chart.title == "Stage 1 responses on time and complaints upheld (%)"
    assert view.model.table() == EXPECTED["timeliness_upheld"]

    qtbot.keyClick(view, Qt.Key.Key_E, ALT)
    assert view.year_choice.hasFocus()
    qtbot.keyClick(view.year_choice, Qt.Key.Key_Down)  # 2022/23: 2018/19 to 2022/23
    loaded(view, qtbot, "2022/23")
    assert view.year_choice.currentText() == "2022/23"
    assert view.chart_choice.currentIndex() == 1  # the chart chosen stays
    assert view.model.table() == [
        ["Percentage", "2018/19", *LABELS[:4]],
        ["Stage 1 responses on time", "N/A", "N/A", "N/A", "N/A", "100%"],
        ["Complaints upheld", "N/A", "N/A", "N/A", "N/A", "0%"]]
    assert view.chart_view.chart.categories == ("2018/19", *LABELS[:4])


def test_the_dashboard_shows_them_on_a_tab_and_reads_them_again_with_its_refresh(database,
                                                                                  qtbot):
    pane = DashboardPane(database)
    qtbot.addWidget(pane)
    pane.show()
    pane.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane, timeout=5000)
    pane.refresh(today=TODAY)
    qtbot.waitUntil(lambda: pane._figures_shown and not pane._working(), timeout=10_000)
    assert pane.tabs.currentWidget() is pane.year_box  # the year's figures come first
    assert pane.trends.task is None  # hidden on its tab: not read
    qtbot.keyClick(pane, Qt.Key.Key_R, ALT)  # "Five-year t&rends"
    assert pane.tabs.currentWidget() is pane.trends
    loaded(pane.trends, qtbot, "2023/24")
    assert pane.trends.model.table() == EXPECTED["representations"]

    save(database, ComplimentData("CO-23", date(2023, 9, 1), "Adoption"))
    pane.refresh(today=TODAY)  # as after a save, here or on another PC
    qtbot.waitUntil(lambda: pane.trends.model.table()[4][-1] == "1", timeout=10_000)
    assert pane.trends.model.table()[5] == ["Total", "2", "0", "3", "2", "6"]
    qtbot.waitUntil(lambda: not pane._working() and not pane.trends.task.running,
                    timeout=10_000)


# --- the chart painter -----------------------------------------------------------------------

CHART = BarChart("Complaints by stage", ("2021/22", "2022/23", "2023/24"),
                 (Series("Stage 1", (12.0, None, 30.0)), Series("Stage 2", (3.0, 5.0, 0.0))))


def rgb(colour: QColor) -> str:
    return colour.name().upper()


@pytest.mark.parametrize(("width", "height", "drawn"), [
    (0, 0, False), (1, 1, False), (40, 30, False), (160, 90, False),  # no room for a plot
    (160, 120, True), (120, 300, True), (480, 240, True), (900, 260, True)])
def test_a_chart_paints_at_any_size_and_its_bars_where_the_scene_puts_them(qtbot, width,
                                                                          height, drawn):
    view = ChartView()
    qtbot.addWidget(view)
    view.set_chart(CHART, "Bar chart of complaints by stage.")
    assert view.accessibleName() == "Complaints by stage"
    assert view.accessibleDescription() == "Bar chart of complaints by stage."
    view.resize(width, height)
    image = view.grab().toImage()  # paints, never raises
    scene = view.scene()
    assert (scene is not None) == drawn
    bar_colours = set(chart_scene.PALETTE)
    if scene is None:  # too small for a plot: nothing is drawn
        with pytest.raises(ValueError):
            chart_scene.scene(CHART, width / view.pixels_per_point(),
                              height / view.pixels_per_point())
        seen = {rgb(image.pixelColor(x, y)) for x in range(image.width())
                for y in range(image.height())}
        assert not seen & bar_colours
        return
    assert view.scene() is scene  # laid out once for its size
    scale = view.pixels_per_point()
    boxes = [item for item in scene if isinstance(item, chart_scene.Box)]
    assert len(boxes) == 4 + 2  # a bar per known value above 0, and two legend swatches
    for box in boxes:
        x = int((box.x + box.width / 2) * scale)
        y = int(height - (box.y + box.height / 2) * scale)
        assert rgb(image.pixelColor(x, y)) == box.fill, (box, x, y)
    assert rgb(image.pixelColor(0, 0)) == "#FFFFFF"  # the paper the colours were chosen for


def test_a_new_size_is_laid_out_again_and_no_chart_paints_nothing(qtbot):
    view = ChartView()
    qtbot.addWidget(view)
    assert view.scene() is None and view.focusPolicy() == Qt.FocusPolicy.NoFocus
    view.grab()
    view.set_chart(CHART, "")
    assert view.focusPolicy() == Qt.FocusPolicy.TabFocus
    view.resize(400, 200)
    first = view.scene()
    view.resize(500, 200)
    second = view.scene()
    assert first is not None and second is not None and first != second
    view.resize(20, 10)
    assert view.scene() is None
    view.grab()
