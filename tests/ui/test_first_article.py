"""At start the article to read is read beside the contents (not after them): the last one
read, else the contents' first; opened once, shown as current in the contents; one that is
gone gives way to the first without an error. Real archive, real widgets, real threads."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from sipviewer.core.archive import Archive
from sipviewer.core.browse import open_browse
from sipviewer.ui.models import IdRole


def _window(settings, path, runner=None, opened_after=None):  # type: ignore[no-untyped-def]
    from sipviewer.ui.mainwindow import MainWindow

    reader = open_browse(path)
    assert reader is not None
    window = None

    def opener() -> Archive:  # notes whether the contents were there when it began
        if opened_after is not None:
            opened_after.append(window is not None and window.contents.model.rowCount() > 0)
        return Archive.open(path, create=False)

    window = MainWindow(reader=reader, opener=opener, runner=runner, settings=settings)
    return window


def _errors() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)
            and w.isVisible()]


def test_the_last_article_read_opens_once_and_is_current(app, qtbot, sample_archive_dir,
                                                         settings):
    from sipviewer.ui.tasks import SyncRunner

    settings.setValue("reader/article", 3)
    win = _window(settings, sample_archive_dir, SyncRunner())
    qtbot.addWidget(win)
    opened: list[int] = []
    win.reading.article_opened.connect(lambda art: opened.append(art.id))
    win.show()
    assert win.reading.current_article == 3 and win.reading.view.article.id == 3
    assert win.contents.view.currentIndex().data(IdRole) == 3
    assert opened == []  # the contents did not open it a second time
    win.close()
    win.session.close()


def test_an_article_gone_since_gives_way_to_the_first(app, qtbot, sample_archive_dir, settings):
    from sipviewer.ui.tasks import SyncRunner

    settings.setValue("reader/article", 99999)
    win = _window(settings, sample_archive_dir, SyncRunner())
    qtbot.addWidget(win)
    win.show()
    first = win.session.browse.first_article()
    assert win.reading.current_article == first
    assert win.contents.view.currentIndex().data(IdRole) == first
    assert not _errors()
    win.close()
    win.session.close()


def test_with_threads_the_last_article_opens_once_and_the_archive_after_the_contents(
        app, qtbot, gallery_archive_dir, settings):
    settings.setValue("reader/article", 3)  # read beside the contents (before them, mostly)
    contents_first: list[bool] = []
    win = _window(settings, gallery_archive_dir, opened_after=contents_first)  # real threads
    qtbot.addWidget(win)
    opened: list[int] = []
    win.reading.article_opened.connect(lambda art: opened.append(art.id))
    win.show()
    qtbot.waitUntil(lambda: win.reading.view.article is not None
                    and win.contents.model.rowCount() > 0, timeout=10000)
    assert win.reading.view.article.id == 3
    qtbot.waitUntil(lambda: win.session.is_open, timeout=20000)  # opened behind the page
    assert contents_first == [True]  # and not before the contents (it would slow them)
    qtbot.wait(50)
    assert opened == [3]  # read once: not again when the contents came
    assert win.contents.view.currentIndex().data(IdRole) == 3
    assert not _errors()
    win.close()
    win.session.wait(10000)
    win.session.close()


def test_with_threads_a_first_start_opens_the_archives_first_article(app, qtbot,
                                                                      sample_archive_dir,
                                                                      settings):
    win = _window(settings, sample_archive_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reading.view.article is not None
                    and win.contents.model.rowCount() > 0, timeout=10000)
    first = win.session.browse.first_article()
    assert win.reading.view.article.id == first
    assert win.contents.view.currentIndex().data(IdRole) == first
    win.close()
    win.session.wait(10000)
    win.session.close()
