"""The timeline of a 大事记 section: grouped by month, one date cell per day, scrolls to a date;
event hits open it at the event; the date filter counts events. Real archive, real widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sipviewer.core.archive import Archive
from sipviewer.ingest.synthetic_chronicle import generate_chronicle
from sipviewer.ui.models import IdRole, KindRole

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def chronicle_archive_dir(tmp_path_factory):
    """The sample 专记 plus the sample 大事记 of the same volume year, and a long generated one."""
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("timeline")
    long_text = root / "long.txt"
    long_text.write_text(generate_chronicle(11, year=2018, months=12).text, encoding="utf-8")
    path = root / "arc"
    with Archive.open(path) as arc:
        arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        arc.import_files([DATA / "dashiji-2020.txt"], title="大事记", year=2021)
        arc.import_files([long_text], title="长大事记", year=2019)
    return path


@pytest.fixture
def chron_window(app, qtbot, chronicle_archive_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    archive = Archive.open(chronicle_archive_dir)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win, archive
    win.close()
    archive.close()


def _section(archive, title_of_volume):
    for node in archive.tree():
        if node.volume.title == title_of_volume:
            return next(s for s in node.sections if s.events)
    raise AssertionError(title_of_volume)


def test_the_timeline_groups_months_and_days(app, qtbot, chronicle_archive_dir):
    from sipviewer.ui.timeline import TimelineView, day_label

    with Archive.open(chronicle_archive_dir) as archive:
        events = archive.events(_section(archive, "大事记").id)
    view = TimelineView()
    qtbot.addWidget(view)
    view.show_events(events, "大事记")
    text = view.browser.toPlainText()
    months = [line for line in text.split("\n") if line.endswith("月") and "年" in line]
    assert months == ["2020年1月", "2020年2月", "2020年3月", "2020年5月", "2020年8月",
                      "2020年10月", "2020年12月"]
    # same day together: one date cell for 25日's two events, one for 5日's two in March
    html = view.browser.toHtml()
    assert text.count("25日") == 1 and text.count("10日") == 1
    assert "12—14日" in text and "28日—9月1日" in text
    assert [day_label(e) for e in events[:3]] == ["8日", "25日", "25日"]
    assert "e1" in html  # event anchors
    assert "园区经发委" in text  # the departments an event names


def test_scrolls_to_a_chosen_date(app, qtbot, chronicle_archive_dir):
    from sipviewer.ui.timeline import TimelineView

    with Archive.open(chronicle_archive_dir) as archive:
        events = archive.events(_section(archive, "长大事记").id)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_events(events, "大事记")
    bar = view.browser.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    target = view.scroll_to_date(date(2018, 11, 1))
    assert target is not None and target.date_start >= date(2018, 10, 1)
    assert (target.date_end or target.date_start) >= date(2018, 11, 1)
    later = bar.value()
    assert later > 0
    view.scroll_to_date(date(2018, 2, 1))
    assert bar.value() < later
    # the date box does the same
    view.date_edit.setDate(view.date_edit.maximumDate())
    assert bar.value() >= later or bar.value() == bar.maximum()


def test_an_event_hit_opens_the_timeline_at_the_event(chron_window, qtbot):
    win, archive = chron_window
    win.search.box.setText("复工复产")
    win.search.run()
    hits = [h for h in win.search.last_results.hits if h.kind == "event"]
    assert len(hits) == 1
    win.open_hit(hits[0])
    assert win.center_tabs.currentIndex() == win.timeline_tab
    view = win.timeline.view
    assert view.focus == hits[0].id
    assert "fff3c4" in view.browser.toHtml()  # the event is marked
    assert "ffe066" in view.browser.toHtml()  # and the words searched for in it
    assert view.date_edit.date().toString("yyyy-MM-dd") == "2020-02-10"
    current = win.contents.view.currentIndex()  # the contents show where the event is
    assert (current.data(KindRole), current.data(IdRole)) == ("section", view.events[0].section_id)


def test_choosing_the_section_in_the_contents_opens_the_timeline(chron_window, qtbot):
    win, archive = chron_window
    section = _section(archive, "大事记")
    index = win.contents.model.find("section", section.id)
    assert index.isValid()
    win.contents.view.setCurrentIndex(index)
    assert win.center_tabs.currentIndex() == win.timeline_tab
    assert len(win.timeline.view.events) == 17


def test_the_date_filter_counts_events(chron_window, qtbot):
    win, archive = chron_window
    panel = win.filtering.panel
    panel.date_from.setText("2020-03-01")
    panel.date_to.setText("2020-03-31")
    panel._on_dates()
    win.search.run()
    # every kind together: the March events (5日 twice, 12—14日, 27日) are counted as such
    assert "大事记 4" in win.search.label.text()
    assert win.search.last_results.facets["kind"]["event"] == 4
    panel.kind_boxes["event"].setChecked(True)
    win.search.run()
    assert win.search.model.rowCount() == 4
    assert {h.kind for h in win.search.last_results.hits} == {"event"}


def test_the_timeline_window_renders_at_the_screenshot_size(chron_window, qtbot, tmp_path):
    win, archive = chron_window
    hits = archive.search("金鸡湖国际人才", archive.make_filters(kinds=["event"])).hits
    win.open_hit(hits[0])
    qtbot.wait(20)
    image = win.grab().toImage()
    assert (image.width(), image.height()) == (1280, 800)
    assert win.timeline.view.browser.verticalScrollBar().value() > 0  # scrolled to the event


def test_the_timeline_tab_shows_only_when_the_archive_has_a_chronology(window, chron_window,
                                                                       qtbot):
    """The sample archive has no 大事记: no 大事记 tab and Ctrl+4 does nothing there."""
    from PySide6.QtCore import Qt

    win, _ = chron_window
    tabs = win.center_tabs
    assert tabs.isTabVisible(win.timeline_tab) and win.tab_actions[win.timeline_tab].isEnabled()
    assert not window.center_tabs.isTabVisible(window.timeline_tab)
    window.center_tabs.setCurrentIndex(0)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.center_tabs.currentIndex() == 0
    assert not window.tab_actions[window.timeline_tab].isEnabled()
