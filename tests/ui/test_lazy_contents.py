"""The contents read a section's articles when it is opened: at start only volumes, sections
and the articles of the sections the first frame shows. Every way to an article of a section not
read yet still gets there: the keyboard (open the section, arrows, Enter), a search hit, the
article read when the window last closed. Real archive (the sample and a generated volume of
several sections), real worker threads, the window started as the viewer starts it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from sipviewer.core.archive import Archive
from sipviewer.core.browse import Browse
from sipviewer.ui.models import IdRole, KindRole


@pytest.fixture(scope="module")
def sections_archive_dir(tmp_path_factory):
    """The sample (one section) and a generated volume of five sections."""
    from sipviewer.ingest.synthetic import generate_volume
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("lazy")
    text = root / "generated.txt"
    text.write_text(generate_volume(11, target_chars=60000, edition_year=2022, sections=5).text,
                    encoding="utf-8")
    path = root / "arc"
    with Archive.open(path) as arc:
        arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        arc.import_files([text])
    return path


@pytest.fixture
def opened(app, qtbot, sections_archive_dir, settings):
    """Opens a window as the viewer starts: the browse view at once, the archive behind it,
    tasks on real threads; returned once it shows its first article (closed after the test,
    its work finished, however the test ended)."""
    from sipviewer.ui.mainwindow import MainWindow

    windows: list[MainWindow] = []

    def open_window() -> MainWindow:
        path = sections_archive_dir
        win = MainWindow(reader=Browse.open(path), settings=settings,
                         opener=lambda: Archive.open(path, create=False, defer_index=True))
        qtbot.addWidget(win)
        windows.append(win)
        with qtbot.waitSignal(win.reading.article_opened, timeout=10000):
            win.show()
        return win

    yield open_window
    for win in windows:
        win.close()
        win.session.wait()
        win.close_archive()


def _sections(browse: Browse) -> list:
    """Every section of the archive, read whole (not through the window)."""
    return [sec for vol in browse.tree() for sec in vol.sections]


def _unread(win, sections) -> list:
    return [sec for sec in sections if sec.articles and win.contents.model.unread(sec.id)]


def test_only_the_sections_shown_are_read_at_start(opened, qtbot, qtmodeltester):
    win = opened()
    model = win.contents.model
    sections = _sections(win.session.browse)
    assert len(sections) == 6
    first = next(sec for sec in sections if sec.articles)
    # the first article is shown and current in the tree; its section is read, others not
    assert win.reading.current_article == first.articles[0].id
    assert win.contents.view.currentIndex().data(IdRole) == first.articles[0].id
    unread = _unread(win, sections)
    assert len(unread) == len([s for s in sections if s.articles]) - 1
    for sec in unread:  # shown as having articles (expandable), with their count
        index = model.find("section", sec.id)
        assert model.rowCount(index) == 0 and model.hasChildren(index)
        assert model.canFetchMore(index)
        assert model.index(index.row(), 1, index.parent()).data() == str(len(sec.articles))
    # the model stays consistent while sections are read (the tester opens every one)
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not _unread(win, sections), timeout=10000)
    for sec in sections:
        index = model.find("section", sec.id)
        assert [model.index(r, 0, index).data(IdRole) for r in range(model.rowCount(index))] \
            == [a.id for a in sec.articles]
    qtmodeltester.check(model)


def test_a_section_opened_with_the_keyboard_shows_its_articles(opened, qtbot):
    win = opened()
    model, view = win.contents.model, win.contents.view
    sec = _unread(win, _sections(win.session.browse))[-1]
    index = model.find("section", sec.id)
    view.setFocus()
    view.setCurrentIndex(index)
    assert not view.isExpanded(index)
    with qtbot.waitSignal(model.rowsInserted, timeout=10000):
        QTest.keyClick(view, Qt.Key.Key_Right)  # opens the section: its articles are read
    assert view.isExpanded(index)
    titles = [model.index(r, 0, index).data() for r in range(model.rowCount(index))]
    assert titles == [a.title or "（无标题）" for a in sec.articles]
    QTest.keyClick(view, Qt.Key.Key_Down)  # the first article, opened as the cursor gets there
    qtbot.waitUntil(lambda: win.reading.current_article == sec.articles[0].id, timeout=10000)
    QTest.keyClick(view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: win.reading.current_article == sec.articles[1].id, timeout=10000)
    assert view.currentIndex().data(KindRole) == "article"


def test_a_search_hit_in_a_section_not_read_yet_opens_and_shows_its_place(opened, qtbot):
    win = opened()
    model, view = win.contents.model, win.contents.view
    browse = win.session.browse
    titles = [a.title for sec in _sections(browse) for a in sec.articles]
    sec = _unread(win, _sections(browse))[-1]
    art = next(a for a in reversed(sec.articles) if a.title and titles.count(a.title) == 1)
    win.search.box.setText(art.title)
    with qtbot.waitSignal(win.reading.article_opened, timeout=30000) as shown:
        win.search.open_first_result()  # Enter in the search box: the best hit opens
    assert shown.args[0].id == art.id
    # its section is read and the hit becomes the tree's current row, without opening again
    qtbot.waitUntil(lambda: view.currentIndex().data(IdRole) == art.id, timeout=10000)
    assert not model.unread(sec.id)
    assert view.currentIndex() == model.find("article", art.id)
    assert view.isExpanded(model.find("section", sec.id))
    assert win.reading.current_article == art.id


def test_the_article_read_last_time_opens_in_its_section(opened, sections_archive_dir,
                                                         settings):
    browse = Browse.open(sections_archive_dir)
    sections = _sections(browse)
    browse.close()
    last = sections[-1].articles[2]
    settings.setValue("reader/article", last.id)
    win = opened()
    assert win.reading.current_article == last.id
    assert win.contents.view.currentIndex().data(IdRole) == last.id
    assert win.contents.view.currentIndex().parent().data(IdRole) == sections[-1].id
    win.close()  # and it is what the next start opens
    assert int(settings.value("reader/article")) == last.id


def test_an_article_no_longer_in_the_archive_gives_way_to_the_first(opened, settings):
    settings.setValue("reader/article", 10 ** 7)
    win = opened()
    first = next(a for sec in _sections(win.session.browse) for a in sec.articles)
    assert win.reading.current_article == first.id
    assert not win.contents.select(10 ** 7)  # not in the tree, and nothing to read
    win.session.wait(5000)
    assert win.contents.view.currentIndex().data(IdRole) == first.id
    assert win.contents.view.currentIndex() != QModelIndex()
