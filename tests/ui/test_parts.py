"""Each part of the main window works alone: a session on a real archive, a bare parent widget."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from sipviewer.core.archive import Archive
from sipviewer.ui.contents import ContentsPane
from sipviewer.ui.filters import FilterController, FilterState
from sipviewer.ui.gallerypane import GalleryPane
from sipviewer.ui.readerpane import ReaderPane
from sipviewer.ui.searchpanel import SearchPanel
from sipviewer.ui.session import ArchiveSession
from sipviewer.ui.tasks import SyncRunner


@pytest.fixture
def session(app, sample_archive_dir):
    archive = Archive.open(sample_archive_dir)
    parent = QWidget()
    yield ArchiveSession(archive, runner=SyncRunner(), parent=parent), parent
    archive.close()


def test_contents_pane_loads_and_reports_articles(session, qtbot):
    s, parent = session
    pane = ContentsPane(s, parent)
    loaded, chosen = [], []
    pane.loaded.connect(loaded.append)
    pane.article_chosen.connect(chosen.append)
    pane.refresh()
    contents = loaded[0]
    assert contents.stats == {"volumes": 1, "articles": 5, "photos": 10, "tables": 1}
    assert pane.model.rowCount() == 1
    assert pane.select(contents.first_article) and chosen == [contents.first_article]
    assert pane.select(3, quiet=True) and chosen == [contents.first_article]  # quiet: not again
    assert not pane.select(999)


def test_search_panel_with_filters_alone(session, qtbot):
    s, parent = session
    filters = FilterController(parent)
    panel = SearchPanel(s, filters, parent)
    seen, hits = [], []
    panel.results_changed.connect(seen.append)
    panel.hit_activated.connect(hits.append)
    panel.run()
    assert seen == [None] and panel.model.rowCount() == 0  # nothing asked: the hint
    filters.panel.kind_boxes["photo"].setChecked(True)
    panel.run()
    assert seen[-1].total == 10 and panel.model.rowCount() == 10
    panel.box.setText("月亮湾新貌")
    panel.open_first_result()
    assert [h.title for h in hits] == ["月亮湾新貌"]
    assert panel.terms == ["月亮湾新貌"]


def test_filter_state_is_the_one_place_filters_are_built():
    state = FilterState("2020", "", ("园区经发委",), ("article",), 3)
    assert state.filter_args() == {"date_from": "2020", "date_to": None,
                                   "departments": ("园区经发委",), "kinds": ("article",),
                                   "volumes": [3]}
    assert state.filter_args(kinds=("photo",))["kinds"] == ("photo",)


def test_reader_pane_opens_articles_tables_and_photos(session, qtbot):
    s, parent = session
    pane = ReaderPane(s, parent)
    opened = []
    pane.article_opened.connect(opened.append)
    pane.open_article(4, ["地区生产总值"])
    assert opened[0].id == 4 and pane.current_article == 4
    assert pane.view.match_count >= 1 and "匹配" in pane.match_label.text()
    pane.open_table(opened[0].tables[0].id)
    assert pane.table_windows[-1].isVisible()
    pane.open_photo(s.browse.photo_ids()[0])
    assert pane.last_dialog is not None and pane.last_dialog.isVisible()  # does not block
    pane.last_dialog.close()


def test_gallery_pane_refreshes_only_when_visible(session, qtbot):
    s, parent = session
    pane = GalleryPane(s, parent)
    pane.set_query("", FilterState())
    assert pane.dirty and pane.model.rowCount() == 0  # not visible: nothing loaded yet
    pane.set_visible(True)
    assert not pane.dirty and pane.model.rowCount() == 10
    pane.set_query("月亮湾新貌", FilterState())
    assert [p.caption for p in pane.model.photos] == ["月亮湾新貌"]
    pane.open_photo_row(0)
    assert pane.last_dialog is not None and pane.last_dialog.isVisible()
    pane.last_dialog.close()
