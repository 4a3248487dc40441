"""Start-up: the window browses through the plain-SQL reader at once and opens the full archive
(SQLAlchemy, the search index) behind the first page."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from sipviewer.core.archive import Archive
from sipviewer.core.browse import Browse
from sipviewer.model.errors import ArchiveError
from tests.ui.conftest import type_text


class Opener:
    """Opens the real archive and counts how often it was asked to (``on_call()`` first)."""

    def __init__(self, path, fail: bool = False, on_call=None) -> None:
        self.path, self.fail, self.calls, self.opened = path, fail, 0, None
        self.on_call = on_call

    def __call__(self) -> Archive:
        if self.on_call is not None:
            self.on_call()
        self.calls += 1
        if self.fail:
            raise ArchiveError(f"{self.path}: database is locked")
        self.opened = Archive.open(self.path, create=False, defer_index=True)
        return self.opened


def _window(path, opener, settings, runner=None):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    return MainWindow(reader=Browse.open(path), opener=opener,
                      runner=runner or SyncRunner(), settings=settings)


def test_contents_and_first_article_come_before_the_full_archive(app, qtbot, sample_archive_dir,
                                                                 settings):
    opener = Opener(sample_archive_dir)
    win = _window(sample_archive_dir, opener, settings)
    qtbot.addWidget(win)
    win.show()
    assert win.contents.model.rowCount() == 1
    assert win.reading.view.article.title == "苏州工业园区新冠肺炎疫情防控"
    assert "5 篇文章" in win.status.text()
    assert opener.calls == 0  # nothing so far needed SQLAlchemy or the index
    qtbot.waitUntil(lambda: opener.calls == 1, timeout=3000)  # opened behind the first page
    type_text(win.search.box, "月亮湾新貌")
    qtbot.waitUntil(lambda: win.search.model.rowCount() == 1, timeout=3000)
    assert opener.calls == 1
    win.close()
    win.close_archive()


def test_a_search_typed_at_once_waits_for_the_index_and_says_so(app, qtbot, sample_archive_dir,
                                                                settings, tmp_path):
    from sipviewer.ui.tasks import Tasks

    path = tmp_path / "arc"
    shutil.copytree(sample_archive_dir, path)
    shutil.rmtree(path / "index")  # the index must be rebuilt when it is first used
    opener = Opener(path)
    runner = Tasks()
    win = _window(path, opener, settings, runner)
    qtbot.addWidget(win)
    messages: list[str] = []
    win.statusBar().messageChanged.connect(messages.append)
    win.show()
    type_text(win.search.box, "自贸")  # before the archive is open: queued behind it
    qtbot.waitUntil(lambda: win.search.model.rowCount() > 0, timeout=20000)
    assert opener.calls == 1
    assert any("正在建立检索索引" in m for m in messages)
    assert any("检索索引已就绪" in m for m in messages)
    assert (path / "index" / "manifest.json").exists()
    win.close()
    runner.wait()
    win.close_archive()


def test_an_archive_that_will_not_open_is_reported_and_browsing_goes_on(app, qtbot, monkeypatch,
                                                                        sample_archive_dir,
                                                                        settings):
    import sipviewer.ui.mainwindow as mw

    shown: list[BaseException] = []
    monkeypatch.setattr(mw, "show_error", lambda parent, exc, title=None: shown.append(exc))
    win = _window(sample_archive_dir, Opener(sample_archive_dir, fail=True), settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert "database is locked" in str(shown[0])
    second = win.contents.model.index(1, 0, win.contents.model.index(0, 0, win.contents.model.index(0, 0)))
    win.contents.view.setCurrentIndex(second)  # reading still works: it needs only the reader
    assert win.reading.view.article.title == second.data()
    win.close()
    win.close_archive()


def test_mainwindow_needs_an_archive_or_a_reader_and_opener(app, sample_archive_dir):
    from sipviewer.ui.mainwindow import MainWindow

    with pytest.raises(ValueError):
        MainWindow(reader=Browse.open(sample_archive_dir))


def _run_viewer(archive, kiosk, tmp_path, monkeypatch) -> tuple[int, dict[str, object]]:
    """`run()` as the command runs it; what its window showed once the full archive was open."""
    from sipviewer.ui import app as app_module
    from sipviewer.ui.mainwindow import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    seen: dict[str, object] = {}
    waited = [0]

    def probe() -> None:
        wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                and w.isVisible()]
        waited[0] += 1
        if wins and wins[0].reading.view.article is not None and wins[0].session.is_open:
            win = wins[0]
            seen["title"] = win.reading.view.article.title
            seen["started_from_reader"] = win.session.started_from_browse
            seen["read_only"] = (win.read_only, win.session.archive.read_only)
            seen["full_screen"] = win.isFullScreen()
            seen["import_offered"] = any("导入" in a.text() for a in win.actions())
            win.close()
        elif waited[0] > 1000:
            for w in wins:
                w.close()
        else:
            QTimer.singleShot(20, probe)

    def collector() -> None:  # the first turn of the event loop: the window just shown
        seen["collecting"] = gc.isenabled()

    QTimer.singleShot(0, collector)
    QTimer.singleShot(0, probe)
    interval = sys.getswitchinterval()
    try:
        code = app_module.run(argparse.Namespace(archive=archive, kiosk=kiosk, lang=None))
        assert sys.getswitchinterval() == pytest.approx(0.001)  # the GUI thread is favoured
        assert gc.isenabled()
    finally:
        sys.setswitchinterval(interval)
    return code, seen


@pytest.mark.parametrize("kiosk", [False])  # the kiosk is a window of its own: test_kiosk.py
def test_the_viewer_command_starts_from_the_reader(app, qtbot, sample_archive_dir, tmp_path,
                                                    monkeypatch, kiosk):
    """`sipviewer --archive DIR [--kiosk]` end to end: the window it opens browses, opens the
    full archive behind the first page, and in a kiosk is full screen and read-only."""
    code, seen = _run_viewer(str(sample_archive_dir), kiosk, tmp_path, monkeypatch)
    assert code == 0
    # no collections while the window was made (and they run again afterwards: `_run_viewer`)
    assert seen.pop("collecting") is False
    assert seen == {"title": "苏州工业园区新冠肺炎疫情防控", "started_from_reader": True,
                    "read_only": (kiosk, kiosk), "full_screen": kiosk, "import_offered": not kiosk}


def test_first_start_builds_the_default_archive_then_starts_fast(app, qtbot, tmp_path,
                                                                 monkeypatch):
    """`sipviewer` on a fresh machine: the default archive is built from the bundled sample
    (with the progress dialog), the window opens on it; the next start uses the reader."""
    default = tmp_path / "data" / "archive"
    monkeypatch.setenv("SIPVIEWER_ARCHIVE", str(default))
    code, seen = _run_viewer(None, False, tmp_path, monkeypatch)
    assert code == 0 and (default / "archive.sqlite").exists()
    assert seen["title"] == "苏州工业园区新冠肺炎疫情防控" and seen["started_from_reader"] is False
    code, seen = _run_viewer(None, False, tmp_path, monkeypatch)
    assert code == 0 and seen["started_from_reader"] is True


def test_closing_during_an_import_asks_first(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    window.files.importing = 1  # an import under way on the worker
    assert not window.close() and window.isVisible()  # "No": the window stays
    assert "放弃这次导入" in asked[0]
    assert window.close() and not window.isVisible()  # "Yes": it closes


def test_quitting_does_not_wait_for_a_long_index_rebuild(sample_archive_dir, tmp_path):
    """Closed during a rebuild that never ends, the viewer still exits (the index is derived:
    the next start rebuilds it). Were it to wait, the process would never end: the timeout
    below only keeps a broken build from hanging the suite."""
    import subprocess
    from pathlib import Path

    path = tmp_path / "arc"
    shutil.copytree(sample_archive_dir, path)
    shutil.rmtree(path / "index")
    script = f"""
import os, sys, time, tempfile, argparse
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
import sipviewer.search.index as index
import threading
index.SearchIndex.rebuild = lambda *a, **k: threading.Event().wait()  # a huge archive
app = QApplication([])
from sipviewer import cli
from sipviewer.ui.mainwindow import MainWindow
def close_when_rebuilding():
    wins = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if wins and wins[0].session.is_open:
        time.sleep(0.3)
        wins[0].close()
    else:
        QTimer.singleShot(20, close_when_rebuilding)
QTimer.singleShot(0, close_when_rebuilding)
sys.exit(cli.main(["--archive", {str(path)!r}]))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=50, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr


def _started(path, want, tasks):
    """The window's first read started before the window, as `run()` starts it."""
    from sipviewer.ui.firstread import FirstRead

    reader = Browse.open(path)
    return reader, FirstRead(tasks, reader, want)


def test_a_first_read_done_before_the_window_is_in_its_first_frame(app, qtbot, sample_archive_dir,
                                                                   settings):
    """The contents and the article read while the window was being made are on screen as
    it first shows (no turn of the event loop between), and the article is set as the
    window shows (its view then has its width), not before."""
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import Tasks

    tasks = Tasks()
    reader, first = _started(sample_archive_dir, None, tasks)
    qtbot.waitUntil(lambda: first.result is not None, timeout=5000)  # a fast read
    opener = Opener(sample_archive_dir)
    win = MainWindow(reader=reader, opener=opener, runner=tasks, settings=settings,
                     first_read=first)
    qtbot.addWidget(win)
    assert win.reading.view.article is None and win.contents.model.rowCount() == 0
    win.resize(1280, 800)
    win.show()  # nothing else runs meanwhile: what shows came with the read started first
    assert win.contents.model.rowCount() == 1
    assert win.reading.view.article.title == "苏州工业园区新冠肺炎疫情防控"
    assert win.reading.view.document().pageSize().width() > 600  # laid out at its width
    assert "5 篇文章" in win.status.text()
    qtbot.waitUntil(lambda: opener.calls == 1, timeout=5000)  # the archive opens behind it
    win.close()
    tasks.wait()
    win.close_archive()


class PaintCounter(QObject):
    """Counts the paints of a widget (an event filter on it)."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_the_full_archive_opens_after_the_first_article_is_painted(app, qtbot,
                                                                    sample_archive_dir, settings):
    """Opening the full archive (SQLAlchemy, the index) holds the interpreter lock for a
    while: it waits until the article has been painted once."""
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import Tasks

    tasks = Tasks()
    reader, first = _started(sample_archive_dir, None, tasks)
    qtbot.waitUntil(lambda: first.result is not None, timeout=5000)
    seen: list[int] = []
    opener = Opener(sample_archive_dir, on_call=lambda: seen.append(counter.paints))
    win = MainWindow(reader=reader, opener=opener, runner=tasks, settings=settings,
                     first_read=first)
    qtbot.addWidget(win)
    counter = PaintCounter(win.reading.view.viewport())
    win.resize(1280, 800)
    win.show()
    assert win.reading.view.article is not None and opener.calls == 0
    qtbot.waitUntil(lambda: opener.calls == 1, timeout=5000)
    assert seen[0] >= 1  # the article was on screen before the archive was asked for
    win.close()
    tasks.wait()
    win.close_archive()


def test_the_full_archive_opens_even_when_the_reader_is_not_painted(app, qtbot,
                                                                     sample_archive_dir,
                                                                     settings):
    """A reader that never paints (hidden) does not keep the archive closed: it opens
    `WARM_AT_LATEST_MS` after the first article at the latest."""
    from sipviewer.ui.mainwindow import WARM_AT_LATEST_MS, MainWindow
    from sipviewer.ui.tasks import Tasks

    tasks = Tasks()
    reader, first = _started(sample_archive_dir, None, tasks)
    qtbot.waitUntil(lambda: first.result is not None, timeout=5000)
    opener = Opener(sample_archive_dir)
    win = MainWindow(reader=reader, opener=opener, runner=tasks, settings=settings,
                     first_read=first)
    qtbot.addWidget(win)
    counter = PaintCounter(win.reading.view.viewport())
    win.reading.view.hide()
    win.show()
    assert win.reading.view.article is not None
    qtbot.waitUntil(lambda: opener.calls == 1, timeout=WARM_AT_LATEST_MS + 4000)
    assert counter.paints == 0
    win.close()
    tasks.wait()
    win.close_archive()


def test_a_first_read_still_under_way_is_taken_over_when_it_arrives(app, qtbot,
                                                                    sample_archive_dir,
                                                                    settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import Tasks

    tasks = Tasks()
    reader, first = _started(sample_archive_dir, None, tasks)
    win = MainWindow(reader=reader, opener=Opener(sample_archive_dir), runner=tasks,
                     settings=settings, first_read=first)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reading.view.article is not None, timeout=5000)
    assert win.reading.view.article.title == "苏州工业园区新冠肺炎疫情防控"
    assert win.contents.view.currentIndex().data() == "苏州工业园区新冠肺炎疫情防控"
    win.close()
    tasks.wait()
    win.close_archive()


def test_a_first_read_of_another_article_than_the_saved_one_is_not_used(app, qtbot,
                                                                        sample_archive_dir,
                                                                        settings):
    """The window shows the article saved in its settings, whatever a first read started
    elsewhere was asked for."""
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import Tasks

    plain = Browse.open(sample_archive_dir)
    third = [a for sec in plain.tree()[0].sections for a in sec.articles][2]
    plain.close()
    settings.setValue("reader/article", third.id)
    tasks = Tasks()
    reader, first = _started(sample_archive_dir, None, tasks)  # asked for the first article
    qtbot.waitUntil(lambda: first.result is not None, timeout=5000)
    win = MainWindow(reader=reader, opener=Opener(sample_archive_dir), runner=tasks,
                     settings=settings, first_read=first)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reading.view.article is not None, timeout=5000)
    assert win.reading.view.article.id == third.id
    assert win.contents.view.currentIndex().data() == third.title
    win.close()
    tasks.wait()
    win.close_archive()


def test_the_page_escapes_text_as_the_standard_library_does():
    """The reader's HTML escaping (written out so the start need not import `html`) gives
    what ``html.escape(text, quote=False)`` gives, on the sample text and on markup."""
    import html

    from sipviewer.ui.common import escape
    from tests.conftest import SAMPLE

    texts = [SAMPLE.read_text(encoding="utf-8"), "a<b>&amp;c</b> & 'q' \"d\" &lt;", "", "&&<<>>"]
    for text in texts:
        assert escape(text) == html.escape(text, quote=False)


def test_a_first_read_that_fails_leaves_the_window_to_read_again_and_report(
        app, qtbot, sample_archive_dir, settings, tmp_path):
    """A first read that fails (here a table gone after the archive was found) is not the
    end of it: the window reads the contents itself, and says what went wrong."""
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from sipviewer.ui.firstread import FirstRead
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncTasks, Tasks

    path = tmp_path / "archive"
    shutil.copytree(sample_archive_dir, path)
    reader = Browse.open(path)
    with sqlite3.connect(path / "archive.sqlite") as conn:
        conn.execute("DROP TABLE events")  # (the contents count a section's events)
    first = FirstRead(SyncTasks(), reader, None)
    assert first.result is None and "events" in str(first.error)
    tasks = Tasks()
    win = MainWindow(reader=reader, opener=Opener(path), runner=tasks, settings=settings,
                     first_read=first)
    qtbot.addWidget(win)
    win.show()

    def told() -> list[QMessageBox]:
        return [b for b in win.findChildren(QMessageBox) if b.isVisible()]

    qtbot.waitUntil(lambda: bool(told()), timeout=5000)
    assert "no such table: events" in told()[0].text() + told()[0].detailedText()
    for box in told():
        box.close()
    win.close()
    tasks.wait()
    win.close_archive()


def test_the_start_makes_no_dataclass():
    """Making a dataclass costs about 1.2 ms (its methods are compiled from source), a named
    tuple 0.2 ms: the twenty-odd record types the start imports are named tuples."""
    import subprocess

    code = ("import dataclasses, sys\n"
            "import sipviewer.ui.app, sipviewer.core.browse, sipviewer.ui.firstread\n"
            "import sipviewer.ui.mainwindow\n"
            "print(sorted(f'{name}.{k}' for name, m in list(sys.modules.items())\n"
            "             if name.startswith('sipviewer') for k, v in vars(m).items()\n"
            "             if isinstance(v, type) and v.__module__ == name\n"
            "             and dataclasses.is_dataclass(v)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"


def test_what_the_first_frame_does_without_is_read_after_it(app, qtbot, sample_archive_dir,
                                                            settings, tmp_path):
    """The start's first read leaves out the departments' counts and the most photos of one
    article (they count every record); once the article is painted they are read: the
    filter panel lists every department with its count, and the counts column is wide
    enough for the article with the most photos, in a section not read yet."""
    import sqlite3

    from sipviewer.ui.contents import COUNT_PAD
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.models import ContentsModel
    from sipviewer.ui.tasks import Tasks

    path = tmp_path / "archive"
    shutil.copytree(sample_archive_dir, path)
    with sqlite3.connect(path / "archive.sqlite") as conn:  # every photo to the last article,
        last, vid = conn.execute("SELECT id, volume_id FROM articles ORDER BY id DESC").fetchone()
        conn.execute("UPDATE photos SET article_id = ?", (last,))
        conn.execute("INSERT INTO sections (volume_id, title, ord) VALUES (?, '附录', 99)", (vid,))
        conn.execute("UPDATE articles SET section_id = last_insert_rowid() WHERE id = ?", (last,))
        photos = conn.execute("SELECT count(*) FROM photos").fetchone()[0]  # in a section after
        expected: dict[str, int] = {}  # a plain count of the records each department signs
        for table in ("articles", "photos", "data_tables", "event_departments"):
            for name, n in conn.execute(f"SELECT d.name, count(*) FROM {table} t JOIN departments "
                                        "d ON d.id = t.department_id GROUP BY d.name"):
                expected[name] = expected.get(name, 0) + n
    tasks = Tasks()
    reader, first = _started(path, None, tasks)
    qtbot.waitUntil(lambda: first.result is not None, timeout=5000)
    assert first.result.departments is None and first.result.most_media is None
    win = MainWindow(reader=reader, opener=Opener(path), runner=tasks, settings=settings,
                     first_read=first)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    column = win.contents.view.header()
    widest = win.contents.view.fontMetrics().horizontalAdvance(
        ContentsModel.widest_media(photos, 1)) + COUNT_PAD
    assert win.contents.model.rowCount() == 1 and column.sectionSize(1) < widest
    qtbot.waitUntil(lambda: column.sectionSize(1) >= widest, timeout=5000)
    win.left_tabs.setCurrentIndex(1)  # the filter panel
    panel = win.filtering.panel
    qtbot.waitUntil(lambda: panel.dept_list.count() == len(expected), timeout=5000)
    listed = {panel.dept_list.item(i).text() for i in range(panel.dept_list.count())}
    assert listed == {f"{name}  ({n})" for name, n in expected.items()} and len(expected) > 3
    win.close()
    tasks.wait()
    win.close_archive()


def test_the_first_article_fills_the_view_first_and_the_rest_follows_its_paint(
        app, qtbot, sample_archive_dir, settings):
    """The window's first frame lays out what fills the reader (each new character costs a
    glyph load); the whole article, as opening it shows it, once that frame is painted."""
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.reader import ReaderView
    from sipviewer.ui.tasks import Tasks

    tasks = Tasks()
    reader, first = _started(sample_archive_dir, None, tasks)
    qtbot.waitUntil(lambda: first.result is not None, timeout=5000)
    win = MainWindow(reader=reader, opener=Opener(sample_archive_dir), runner=tasks,
                     settings=settings, first_read=first)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    view = win.reading.view
    art = view.article
    head = view.document().toPlainText()
    assert art.paragraphs[0] in head and art.paragraphs[-1] not in head
    assert view.document().size().height() > view.viewport().height()  # nothing blank below
    qtbot.waitUntil(lambda: art.paragraphs[-1] in view.document().toPlainText(), timeout=5000)
    alone = ReaderView()  # the same article opened in a reader of the same size
    qtbot.addWidget(alone)
    alone.resize(view.size())
    alone.show()
    alone.show_article(art)
    assert view.document().toPlainText() == alone.document().toPlainText()
    assert view.toHtml() == alone.toHtml()  # (its figures too)
    win.close()
    tasks.wait()
    win.close_archive()
