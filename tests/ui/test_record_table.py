"""Record lists: the paged model, search, filters, counts and overdue marking."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from ui_data import copied_database, fill, many_compliments

from cscdesk.domain.kinds import ActionData, ActionKind, Kind
from cscdesk.store import records
from cscdesk.store.listing import Status
from cscdesk.ui.record_table import RecordListPane, RecordTableModel


@pytest.fixture
def database(db_path):
    with copied_database(db_path) as db:
        yield db


@pytest.fixture
def filled(database):
    fill(database)
    return database


@pytest.mark.parametrize("kind", list(Kind))
def test_every_list_model_passes_the_model_tester(filled, kind, qtmodeltester):
    if kind is Kind.ACTION:  # an action belongs to a case
        with filled.transaction() as session:
            records.save(session, ActionData("A-1", date.today(), "C-DONE", ActionKind.LEARNING,
                                             "Fostering", "Letters checked", date.today()))
    model = RecordTableModel(filled, kind)
    model.reload()
    assert model.rowCount() >= 1
    qtmodeltester.check(model, force_py=True)


def test_paging_fetches_more_only_when_asked(database, qtmodeltester):
    many_compliments(database, 25)
    model = RecordTableModel(database, Kind.COMPLIMENT, page_size=10)
    model.reload()
    assert model.rowCount() == 10 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 25 and not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)


def pane_refs(pane: RecordListPane) -> list[str]:
    return [pane.model.reference_at(row) for row in range(pane.model.rowCount())]


def test_search_and_filters_narrow_the_list(filled, qtbot):
    pane = RecordListPane(filled, Kind.COMPLAINT)
    qtbot.addWidget(pane)
    pane.refresh()
    assert pane_refs(pane) == ["C-NEW", "C-ANSWERED", "C-OLD", "C-DONE"]
    assert pane.counts_label.text() == "4 complaints, 3 open, 1 overdue"

    qtbot.keyClicks(pane.search, "smith")
    qtbot.waitUntil(lambda: pane_refs(pane) == ["C-OLD"], timeout=2000)
    assert pane.counts_label.text() == "1 complaint, 1 open, 1 overdue"

    pane.search.clear()
    pane.show_status(Status.OPEN)
    qtbot.waitUntil(lambda: len(pane_refs(pane)) == 3, timeout=2000)
    pane.team.setCurrentIndex(pane.team.findText("Adoption"))
    assert pane_refs(pane) == ["C-NEW", "C-ANSWERED"]
    pane.show_status(Status.CLOSED)
    assert pane_refs(pane) == []
    assert pane.counts_label.text() == "0 complaints, 0 open, 0 overdue"
    pane.team.setCurrentIndex(0)
    pane.stage.setCurrentIndex(pane.stage.findData(2))
    assert pane_refs(pane) == ["C-DONE"]


def test_overdue_rows_say_so_in_text_and_colour(filled, qtbot):
    pane = RecordListPane(filled, Kind.COMPLAINT)
    qtbot.addWidget(pane)
    pane.refresh()
    row = pane_refs(pane).index("C-OLD")
    status_column = [c.key for c in pane.model.columns].index("status")
    index = pane.model.index(row, status_column)
    assert index.data() == "Overdue"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    answered = pane.model.index(pane_refs(pane).index("C-ANSWERED"), status_column)
    assert answered.data() == "Open"
    assert answered.data(Qt.ItemDataRole.BackgroundRole) is None


def test_clicking_a_heading_sorts_in_sql(filled, qtbot):
    pane = RecordListPane(filled, Kind.COMPLAINT)
    qtbot.addWidget(pane)
    pane.refresh()
    pane.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert pane_refs(pane) == ["C-ANSWERED", "C-DONE", "C-NEW", "C-OLD"]
    pane.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert pane_refs(pane) == ["C-OLD", "C-NEW", "C-DONE", "C-ANSWERED"]
    assert pane.counts_label.text() == "4 complaints, 3 open, 1 overdue"
    pane.show_status(Status.OPEN)  # a filter after a new order is counted afresh
    assert pane_refs(pane) == ["C-OLD", "C-NEW", "C-ANSWERED"]
    assert pane.counts_label.text() == "3 complaints, 3 open, 1 overdue"


@pytest.mark.parametrize("column", ["summary", "placed"])  # sorted once; walked page by page
def test_scrolling_a_sorted_list_shows_every_record_once_in_order(database, column,
                                                                 qtmodeltester):
    from cscdesk.store import listing

    many_compliments(database, 30)
    model = RecordTableModel(database, Kind.COMPLIMENT, page_size=7)
    model.set_query(model.query.with_changes(sort_key=column, descending=False))
    while model.canFetchMore():
        model.fetchMore()
    with database.session() as session:
        expected = [row.reference for row in listing.fetch_page(session, model.query, 0, 100)]
    assert [model.reference_at(row) for row in range(model.rowCount())] == expected
    assert len(expected) == 30
    qtmodeltester.check(model, force_py=True)


def test_enter_opens_the_chosen_record(filled, qtbot):
    pane = RecordListPane(filled, Kind.ENQUIRY)
    qtbot.addWidget(pane)
    pane.refresh()
    pane.show()
    pane.table.setFocus()
    pane.table.setCurrentIndex(pane.model.index(0, 0))
    with qtbot.waitSignal(pane.open_requested) as opened:
        qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    assert opened.args == [Kind.ENQUIRY, "EN-1"]


def test_escape_clears_the_search_then_leaves_it(filled, qtbot):
    pane = RecordListPane(filled, Kind.COMPLAINT)
    qtbot.addWidget(pane)
    pane.refresh()
    pane.show()
    pane.focus_search()
    qtbot.keyClicks(pane.search, "jones")
    qtbot.keyClick(pane.search, Qt.Key.Key_Escape)
    assert pane.search.text() == ""
    qtbot.keyClick(pane.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(pane.table.hasFocus, timeout=2000)


def test_every_filter_has_an_accessible_name(filled, qtbot):
    pane = RecordListPane(filled, Kind.ENQUIRY)
    qtbot.addWidget(pane)
    names = {w.accessibleName() for w in (pane.search, pane.year, pane.status, pane.team,
                                          pane.stage)}
    assert names == {"Search", "Year", "Status", "Team", "Source"}


def test_typing_on_into_a_short_list_gives_the_same_rows_and_counts(database):
    many_compliments(database, 30)
    typing = RecordTableModel(database, Kind.COMPLIMENT, page_size=12)
    typing.reload()
    for text in ("t", "th", "thanks", "thanks 1", "thanks 2", "thanks 2 0", "thanks 21"):
        typing.set_query(typing.query.with_changes(search=text))
        fresh = RecordTableModel(database, Kind.COMPLIMENT, page_size=12)
        fresh.set_query(fresh.query.with_changes(search=text))
        assert typing.counts == fresh.counts, text
        assert [typing.reference_at(r) for r in range(typing.rowCount())] == [
            fresh.reference_at(r) for r in range(fresh.rowCount())], text
        assert typing.canFetchMore() == fresh.canFetchMore(), text


def test_a_record_saved_during_a_search_is_found_as_the_officer_types_on(filled, qtbot):
    from datetime import date

    from cscdesk.domain.kinds import ComplaintData
    from cscdesk.store import records

    pane = RecordListPane(filled, Kind.COMPLAINT)
    qtbot.addWidget(pane)
    pane.refresh()
    pane.search.setText("Smith")
    pane.apply_filters()
    assert pane_refs(pane) == ["C-OLD"]
    with filled.transaction() as session:  # saved from a form; the window then refreshes
        records.save(session, ComplaintData("C-LATER", date.today(), 1, "Adoption",
                                            complainant="Cy Smithson", summary="Phone"))
    pane.refresh()
    assert pane_refs(pane) == ["C-LATER", "C-OLD"]
    pane.search.setText("Smiths")  # narrows the last search: only its matches are read
    pane.apply_filters()
    assert pane_refs(pane) == ["C-LATER"]
    assert pane.counts_label.text() == "1 complaint, 1 open, 0 overdue"


def test_a_search_matching_many_shows_rows_first_and_counts_after(database, qtbot,
                                                                  qtmodeltester):
    many_compliments(database, 30)
    model = RecordTableModel(database, Kind.COMPLIMENT, page_size=10)
    model.one_pass_limit = 5  # 30 matches count as "many" here
    with qtbot.waitSignal(model.counts_changed, check_params_cb=lambda c: c is not None,
                          timeout=10000):
        model.set_query(model.query.with_changes(search="thanks"))
        assert model.counting and model.rowCount() == 10
    assert model.counts.total == 30 and not model.counting
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 30
    qtmodeltester.check(model, force_py=True)


def test_a_late_count_of_an_older_search_is_ignored(database, qtbot):
    many_compliments(database, 30)
    model = RecordTableModel(database, Kind.COMPLIMENT, page_size=10)
    model.one_pass_limit = 5
    model.set_query(model.query.with_changes(search="thanks"))
    model.set_query(model.query.with_changes(search="thanks 1"))  # 12 matches: counted later
    qtbot.waitUntil(lambda: not model.counting, timeout=10000)
    from cscdesk.ui.workers import wait_for_background_work

    wait_for_background_work()
    qtbot.wait(50)  # any late result of the first search has been delivered by now
    assert model.counts.total == 12  # "Thanks 1", "Thanks 10".."19", and CO-0001


def test_a_search_matching_many_shows_a_short_first_page_then_the_rest(
        database, qtbot, monkeypatch):
    from cscdesk.ui import record_table

    monkeypatch.setattr(record_table, "FIRST_SEARCH_PAGE", 4)
    many_compliments(database, 30)
    model = RecordTableModel(database, Kind.COMPLIMENT, page_size=10)
    model.one_pass_limit = 5
    with qtbot.waitSignal(model.counts_changed, check_params_cb=lambda c: c is not None,
                          timeout=10000):
        model.set_query(model.query.with_changes(search="thanks"))
        assert model.rowCount() == 4 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    references = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert len(references) == 30 == len(set(references))


@pytest.mark.parametrize("kind", list(Kind))
def test_every_column_fits_a_1366_by_768_laptop_without_sideways_scrolling(filled, kind, qtbot):
    """The window opens at nine tenths of 1366 pixels; the list gets what the navigation
    leaves. Names and words give up room; the last column (Outcome for complaints) shows."""
    pane = RecordListPane(filled, kind)
    qtbot.addWidget(pane)
    pane.refresh()
    pane.resize(1030, 600)
    pane.show()
    qtbot.waitExposed(pane)
    qtbot.waitUntil(lambda: pane.table.viewport().width() > 900)
    widths = [pane.table.columnWidth(n) for n in range(pane.model.columnCount())]
    assert sum(widths) <= pane.table.viewport().width()
    assert pane.table.horizontalScrollBar().maximum() == 0
    digit = pane.table.fontMetrics().horizontalAdvance("0")
    assert min(widths) >= 5 * digit  # nothing squeezed to nothing
