"""The parts behind other tabs (大事记 timeline, 编目 catalogue) are built when first asked for,
not for the first frame; asked for through the real shortcut, tab, contents or search hit,
they appear and work. Real archive (the sample and the sample 大事记), real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from sipviewer.core.archive import Archive
from tests.ui.conftest import type_text

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def chronicle_dir(tmp_path_factory):
    from tests.conftest import SAMPLE

    path = tmp_path_factory.mktemp("lazy") / "arc"
    with Archive.open(path) as arc:
        arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        arc.import_files([DATA / "dashiji-2020.txt"], title="大事记", year=2021)
    return path


@pytest.fixture
def win(app, qtbot, chronicle_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    archive = Archive.open(chronicle_dir)
    window = MainWindow(archive, runner=SyncRunner(), settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    yield window
    window.close()
    archive.close()


def _chronology(win) -> int:  # type: ignore[no-untyped-def]
    return win.chronologies[0]


def test_the_first_frame_builds_neither_the_timeline_nor_the_catalogue(win):
    titles = [win.center_tabs.tabText(i) for i in range(win.center_tabs.count())]
    assert titles[3:] == ["大事记", "编目"]  # the tabs are there, in their place
    assert win.center_tabs.isTabVisible(win.timeline_tab)
    assert not win.timeline_page.built and not win.catalogue_page.built
    assert win.timeline_page.box.count() == 0
    assert win.reading.view.article is not None  # the first frame is complete without them


def test_ctrl_4_builds_the_timeline_at_the_first_chronology(win, qtbot):
    QTest.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert win.center_tabs.currentIndex() == win.timeline_tab
    assert win.timeline_page.built and win.timeline_page.box.count() == 1
    assert win.timeline.section_id == _chronology(win)
    view = win.timeline.view
    assert view.isVisible() and len(view.events) == 17
    assert "2020年1月" in view.browser.toPlainText()
    # and back to reading
    QTest.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert win.center_tabs.currentIndex() == 0 and win.reading.view.isVisible()


def test_clicking_the_timeline_tab_builds_it(win, qtbot):
    tabs = win.center_tabs
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=tabs.tabBar().tabRect(win.timeline_tab).center())
    assert tabs.currentIndex() == win.timeline_tab and win.timeline_page.built
    assert win.timeline.view.isVisible() and win.timeline.view.events


def test_a_chronology_chosen_in_the_contents_opens_the_timeline_built_then(win):
    index = win.contents.model.find("section", _chronology(win))
    assert index.isValid() and not win.timeline_page.built
    win.contents.view.setCurrentIndex(index)
    assert win.center_tabs.currentIndex() == win.timeline_tab
    assert win.timeline_page.built and len(win.timeline.view.events) == 17


def test_an_event_hit_opens_the_timeline_built_then(win):
    win.search.box.setText("复工复产")
    win.search.run()
    hits = [h for h in win.search.last_results.hits if h.kind == "event"]
    assert len(hits) == 1 and not win.timeline_page.built
    win.open_hit(hits[0])
    assert win.center_tabs.currentIndex() == win.timeline_tab
    assert win.timeline.view.focus == hits[0].id
    assert "fff3c4" in win.timeline.view.browser.toHtml()  # the event is marked


def test_ctrl_5_builds_the_catalogue_and_its_gallery_loads(win, qtbot):
    QTest.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert win.center_tabs.currentWidget() is win.catalogue_page
    assert win.catalogue_page.built and win.catalogue_page.box.count() == 1
    cat = win.catalogue
    assert cat.tab_page is win.catalogue_page and cat.isVisible()
    assert cat.loaded and cat.model.rowCount() >= 5  # the photos of the sample
    assert not win.left_tabs.isVisible()  # the gallery takes the contents' room
    QTest.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert win.left_tabs.isVisible()
    QTest.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert win.catalogue is cat and not win.left_tabs.isVisible()  # built once


def test_the_catalogue_built_on_request_edits_a_photo(win, qtbot):
    """Asked for in code (not shown): built, and its edits reach the archive."""
    cat = win.catalogue
    assert win.catalogue_page.built and not cat.loaded
    win.center_tabs.setCurrentWidget(cat.tab_page)
    assert cat.loaded and cat.model.rowCount() >= 5
    view = cat.gallery
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(cat.model.index(0)).center())
    (pid,) = cat.selected_ids()
    tags = cat.panel.edits["tags"]
    tags.setFocus()
    type_text(tags, "晚建")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    assert "晚建" in win.session.archive.photo(pid).tags


def test_read_only_windows_have_no_catalogue_tab(app, qtbot, chronicle_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    with Archive.open(chronicle_dir, read_only=True) as archive:
        window = MainWindow(archive, runner=SyncRunner(), settings=settings)
        qtbot.addWidget(window)
        titles = [window.center_tabs.tabText(i) for i in range(window.center_tabs.count())]
        assert "编目" not in titles and window.catalogue is None
        QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
        assert window.center_tabs.currentIndex() == 0
        window.close()


def test_the_filter_panel_is_built_when_its_tab_is_clicked_and_filters(win, qtbot):
    """What the panel lists (volumes, the archive's departments and years) was given before
    it was built; built by a click on its tab, it lists them and its choices filter."""
    assert not win.filtering.page.built and win.filtering.state().is_empty
    win.search.box.setText("园区")
    win.search.run()  # results before the panel exists: their counts wait for it
    tabs = win.left_tabs
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(1).center())
    assert tabs.currentIndex() == 1 and win.filtering.page.built
    panel = win.filtering.panel
    assert panel.isVisible()
    assert [panel.volume.itemText(i) for i in range(panel.volume.count())][0] == "全部卷"
    assert panel.volume.count() == 3  # all, and the two volumes
    counts = win.search.last_results.facets["department"]
    listed = {panel.dept_list.item(i).data(Qt.ItemDataRole.UserRole)
              for i in range(panel.dept_list.count())}
    assert listed == set(counts) and "园区新闻中心" in listed
    facets = win.search.last_results.facets
    assert {str(y): n for y, n in panel.histogram.counts["photo"].items()} == facets["year:photo"]
    qtbot.mouseClick(panel.kind_boxes["photo"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.filtering.state().kinds == ("photo",)
                    and {h.kind for h in win.search.last_results.hits} == {"photo"}, timeout=3000)
    assert win.filtering.chips.isVisible()
