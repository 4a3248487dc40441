"""The kiosk: a visitor types with the on-screen keyboard and finds things by pinyin; nothing
quits, closes, prints, exports or opens a file dialog; idleness brings the home screen back;
an administrator leaves with the corner hold and the PIN; nothing is written anywhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu, QMessageBox

from sipviewer.core.archive import Archive
from sipviewer.core.kioskconfig import KioskConfig, hash_pin
from sipviewer.ui.kiosk_widgets import KEY, TOUCH
from sipviewer.ui.tasks import SyncRunner

CAPTION = "黔货出山"
PIN = "2468"


def tree_snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def kiosk(app, qtbot, sample_archive_dir, tmp_path):
    from sipviewer.ui.kiosk import KioskWindow

    # the index is made once by a writer; a kiosk only reads
    Archive.open(sample_archive_dir).close()
    archive = Archive.open(sample_archive_dir, read_only=True, create=False)
    config = KioskConfig(idle_reset=30, admin_pin=hash_pin(PIN, iterations=1000))
    win = KioskWindow(archive, runner=SyncRunner(), config=config)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.start()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    win.close_archive()


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_on_screen(qtbot, win, letters: str) -> None:
    for ch in letters:
        tap(qtbot, win.keyboard.keys[ch.upper()])
    win._search_timer.timeout.emit()  # the typing pause, without waiting for it


def result_titles(win) -> list[str]:
    return [win.results.item(i).text() for i in range(win.results.count())]


def test_tapping_q_h_c_s_types_into_the_search_and_finds_the_caption(kiosk, qtbot):
    type_on_screen(qtbot, kiosk, "qhcs")
    assert kiosk.search.text() == "qhcs"
    assert kiosk.side.currentIndex() == 1
    assert any(CAPTION in t for t in result_titles(kiosk))
    # backspace, space, digits and clear type too
    tap(qtbot, kiosk.keyboard.keys["backspace"])
    tap(qtbot, kiosk.keyboard.keys["space"])
    tap(qtbot, kiosk.keyboard.keys["2"])
    assert kiosk.search.text() == "qhc 2"
    tap(qtbot, kiosk.keyboard.keys["clear"])
    assert kiosk.search.text() == ""


def test_results_come_as_you_type(kiosk, qtbot):
    for ch in "QHCS":
        tap(qtbot, kiosk.keyboard.keys[ch])
    # the search starts by itself after the short typing pause
    qtbot.waitUntil(lambda: any(CAPTION in t for t in result_titles(kiosk)), timeout=3000)


def test_keys_work_and_stay_put_while_the_archive_opens(app, qtbot, sample_archive_dir):
    """A visitor taps as soon as the window shows: the keys type before the archive is open
    (the search runs once it is), and the tiles arriving beside them never move a key (a
    tap on a moving keyboard lands on the wrong key or none)."""
    import threading

    from sipviewer.ui.kiosk import KioskWindow

    Archive.open(sample_archive_dir).close()
    gate = threading.Event()

    def opener() -> Archive:
        gate.wait(30)
        return Archive.open(sample_archive_dir, read_only=True, create=False)

    win = KioskWindow(opener=opener, config=KioskConfig(idle_reset=30))  # real worker threads
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    try:
        assert win.current_page() == "home" and win.keyboard.isVisible()

        def places() -> dict[str, QPoint]:
            return {k: key.mapTo(win, QPoint(0, 0)) for k, key in win.keyboard.keys.items()}

        before = places()
        for ch in "QH":
            tap(qtbot, win.keyboard.keys[ch])
        assert win.search.text() == "qh"
        gate.set()
        qtbot.waitUntil(lambda: bool(win._tiles) and bool(win._cards), timeout=20000)
        QTest.qWait(50)  # the layouts settle
        assert places() == before
        for ch in "CS":
            tap(qtbot, win.keyboard.keys[ch])
        qtbot.waitUntil(lambda: any(CAPTION in t for t in result_titles(win)), timeout=20000)
    finally:
        gate.set()
        win.shutdown()
        win.close_archive(5000)


def test_a_plugged_in_keyboard_types_into_the_search(kiosk, qtbot):
    assert kiosk.focusWidget() is kiosk.search
    kiosk.open_article(1)
    kiosk.go_home()
    assert kiosk.focusWidget() is kiosk.search
    QTest.keyClicks(kiosk.focusWidget(), "qhcs")
    assert kiosk.search.text() == "qhcs"


def test_keys_and_targets_are_large_enough(kiosk):
    keys = kiosk.keyboard.keys
    assert set("QWERTYUIOPASDFGHJKLZXCVBNM1234567890") <= set(keys)
    assert {"space", "backspace", "clear"} <= set(keys)
    assert all(k.width() >= KEY and k.height() >= KEY for k in keys.values())
    assert all(keys[ch].text() == ch for ch in "QAZ")  # capital labels
    from PySide6.QtWidgets import QPushButton

    buttons = [b for b in kiosk.findChildren(QPushButton) if b.isVisible()]
    assert buttons and all(b.height() >= TOUCH and b.width() >= TOUCH for b in buttons)


def test_a_single_tap_opens_a_photo_and_a_swipe_turns_it(kiosk, qtbot):
    type_on_screen(qtbot, kiosk, "zg")  # many photos: 中国, 中心, 工作…
    rows = [i for i in range(kiosk.results.count())
            if kiosk.results.item(i).data(Qt.ItemDataRole.UserRole)[0] == "photo"]
    assert len(rows) >= 2
    item = kiosk.results.item(rows[0])
    kiosk.results.scrollToItem(item)
    rect = kiosk.results.visualItemRect(item)
    qtbot.mouseClick(kiosk.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # the kinetic scroller holds a press back until it knows it is no flick
    qtbot.waitUntil(lambda: kiosk.current_page() == "photo", timeout=2000)
    viewer = kiosk.viewer
    assert viewer.row == 0
    start = QPoint(viewer.width() - 100, viewer.height() // 3)
    qtbot.mousePress(viewer, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(viewer, Qt.MouseButton.LeftButton, pos=start - QPoint(300, 10))
    assert viewer.row == 1
    tap(qtbot, kiosk.pages["photo"].findChildren(type(kiosk.keyboard.keys["Q"]))[0])  # 返回
    assert kiosk.current_page() == "home"


def test_tiles_open_a_section_and_its_articles(kiosk, qtbot):
    assert kiosk._tiles and kiosk._cards and kiosk._years
    tap(qtbot, kiosk._tiles[0])
    assert kiosk.current_page() == "section"
    item = kiosk.section_list.item(0)
    kiosk.section_list.itemClicked.emit(item)
    assert kiosk.current_page() == "article"
    assert "苏州工业园区新冠肺炎疫情防控" in kiosk.reader.toPlainText()
    kiosk.go_back()
    assert kiosk.current_page() == "section"
    tap(qtbot, kiosk._years[0])  # the timeline: that year's records
    assert kiosk.current_page() == "section"  # (behind the section page)
    kiosk.go_home()
    assert kiosk.side.currentIndex() == 1 and kiosk._results.total > 10


SHORTCUTS = [
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),  # quit
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),  # close
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),  # close
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),  # leave full screen
    (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),  # the desktop's export to PDF
    (Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier),  # print
    (Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier),  # import
    (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
]


@pytest.mark.parametrize(("key", "modifier"), SHORTCUTS)
def test_shortcuts_do_nothing(kiosk, qtbot, key, modifier):
    seen: list[str] = []

    def watch() -> None:  # whatever opens (a dialog, a menu) is noted
        for w in QApplication.topLevelWidgets():
            if w is not kiosk and w.isVisible():
                seen.append(type(w).__name__)

    for target in (kiosk, kiosk.search, kiosk.reader):
        kiosk.open_article(1) if target is kiosk.reader else kiosk.go_home()
        QTest.keyClick(target, key, modifier)
        QApplication.processEvents()
        watch()
    assert kiosk.isVisible() and not seen
    assert kiosk.lockdown.refused  # it was seen and stopped


def test_close_requests_are_ignored(kiosk, qtbot):
    kiosk.close()
    QApplication.processEvents()
    assert kiosk.isVisible()
    assert "close request" in kiosk.lockdown.refused


def test_no_menus_and_no_context_menus(kiosk, qtbot):
    from PySide6.QtGui import QContextMenuEvent

    assert not kiosk.findChildren(QMenu)
    assert not [w for w in kiosk.findChildren(QDialog)]
    for target in (kiosk.search, kiosk.reader.viewport(), kiosk.results.viewport(),
                   kiosk.table_view.viewport()):
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5))
        QApplication.sendEvent(target, event)
        QApplication.processEvents()
        assert not [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMenu) and w.isVisible()]
    assert "context menu" in kiosk.lockdown.refused


def test_a_file_dialog_cannot_be_opened(kiosk, qtbot):
    """Even if some code path calls Qt's file dialog, it never stays on screen: it is hidden
    and rejected as it shows. (Without the lockdown, the dialog would be seen and this test
    closes it after a second and fails.)"""
    shown: list[str] = []

    def watchdog() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                shown.append(type(w).__name__)
            if isinstance(w, QDialog):
                w.done(0)  # never hang the suite

    timer = QTimer()
    timer.timeout.connect(watchdog)
    timer.start(1000)
    try:
        name, _ = QFileDialog.getSaveFileName(kiosk, "export", str(Path.home()))
        dialog = QFileDialog(kiosk)
        dialog.open()
        QApplication.processEvents()
        assert not dialog.isVisible()
        box = QMessageBox(kiosk)
        box.setText("versions")
        box.exec()
        assert not box.isVisible()
    finally:
        timer.stop()
    assert name == "" and shown == []
    assert any("QFileDialog" in r for r in kiosk.lockdown.refused)


def test_every_former_dialog_route_is_gone(kiosk):
    """The desktop window's routes (export PDF, print, CSV export, import, About) have no
    counterpart: no actions, no buttons naming them, no table window."""
    from PySide6.QtWidgets import QPushButton

    assert not kiosk.actions()
    words = ("导出", "打印", "导入", "关于", "PDF", "CSV", "编辑", "保存")
    labels = [b.text() for b in kiosk.findChildren(QPushButton)]
    assert not [x for x in labels if any(w in x for w in words)]
    kiosk.open_table(1)
    assert kiosk.current_page() == "table"
    assert not [w for w in QApplication.topLevelWidgets() if w is not kiosk and w.isVisible()]
    assert kiosk.table_model.rowCount() > 0
    # the article page's table link opens the kiosk's own table page, never a window
    kiosk.open_article(4)
    kiosk.reader.anchorClicked.emit(__import__("PySide6.QtCore").QtCore.QUrl("table:1"))
    assert kiosk.current_page() == "table"
    kiosk.reader.anchorClicked.emit(__import__("PySide6.QtCore").QtCore.QUrl("file:///etc"))
    assert kiosk.current_page() == "table"


def test_no_paths_or_versions_on_screen(kiosk, qtbot, sample_archive_dir):
    from PySide6.QtWidgets import QLabel

    type_on_screen(qtbot, kiosk, "szgyyq")
    texts = [lab.text() for lab in kiosk.findChildren(QLabel)] + result_titles(kiosk)
    texts.append(kiosk.windowTitle())
    assert not [x for x in texts if str(sample_archive_dir) in x or "Python" in x
                or "Qt " in x or "/" in x.replace("1 / ", "")]


def test_idle_reset_closes_everything_and_goes_home(kiosk, qtbot):
    type_on_screen(qtbot, kiosk, "qhcs")
    kiosk.filter_year(2020)
    kiosk.open_article(1)
    stray = QMessageBox()  # a stray window of any kind
    stray.setWindowTitle("stray")
    kiosk.lockdown.parent()  # (the lockdown would hide a dialog; this one is plain shown)
    QApplication.instance().removeEventFilter(kiosk.lockdown)
    stray.show()
    QApplication.instance().installEventFilter(kiosk.lockdown)
    assert stray.isVisible()
    kiosk.idle.timer.setInterval(50)
    kiosk.idle.timer.start()
    qtbot.waitUntil(lambda: kiosk.current_page() == "home" and not stray.isVisible(),
                    timeout=3000)
    assert kiosk.search.text() == "" and kiosk._year is None
    assert kiosk.side.currentIndex() == 0 and kiosk.results.count() == 0
    assert kiosk.attract.isVisible() and kiosk.attract.text()
    # a touch after that restarts the clock and the attract loop stops
    tap(qtbot, kiosk.keyboard.keys["A"])
    assert not kiosk.idle.is_idle and not kiosk._attract_timer.isActive()


def test_the_idle_time_comes_from_the_configuration(app, sample_archive_dir):
    from sipviewer.ui.kiosk import KioskWindow

    with Archive.open(sample_archive_dir, read_only=True, create=False) as archive:
        win = KioskWindow(archive, runner=SyncRunner(), config=KioskConfig(idle_reset=7))
        assert win.idle.timer.interval() == 7000
        win.shutdown()


def test_the_administrator_leaves_with_the_corner_hold_and_the_pin(kiosk, qtbot):
    kiosk.corner.timer.setInterval(100)  # five seconds in the kiosk
    qtbot.mousePress(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseRelease(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(10, 10), delay=20)
    QTest.qWait(200)
    assert kiosk.current_page() == "home"  # let go too early
    qtbot.mousePress(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(500, 10))
    QTest.qWait(200)
    qtbot.mouseRelease(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(500, 10))
    assert kiosk.current_page() == "home"  # not the corner
    qtbot.mousePress(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.waitUntil(lambda: kiosk.current_page() == "pin", timeout=2000)
    qtbot.mouseRelease(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    for ch in "1111":
        tap(qtbot, kiosk.pin.keys[ch])
    tap(qtbot, kiosk.pin.keys["ok"])
    assert kiosk.isVisible() and kiosk.current_page() == "pin" and kiosk.pin.message.text()
    for ch in PIN:
        tap(qtbot, kiosk.pin.keys[ch])
    tap(qtbot, kiosk.pin.keys["ok"])
    assert not kiosk.isVisible()


def test_read_only_nothing_written(app, qtbot, sample_archive_dir, tmp_path):
    from PySide6.QtCore import QSettings

    from sipviewer.ui.kiosk import KioskWindow

    Archive.open(sample_archive_dir).close()
    before = tree_snapshot(sample_archive_dir)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    archive = Archive.open(sample_archive_dir, read_only=True, create=False)
    win = KioskWindow(archive, runner=SyncRunner())
    qtbot.addWidget(win)
    win.show()
    type_on_screen(qtbot, win, "qhcs")
    win.open_article(1)
    win.open_table(1)
    win.reset_home()
    win.shutdown()
    win.close_archive()
    assert archive.read_only
    after = tree_snapshot(sample_archive_dir)
    # other tests may hold this shared archive open as writers, with SQLite's pair beside it;
    # test_kiosk_readonly.py proves on private copies that a reader never makes the pair
    sqlite_pair = {"archive.sqlite-wal", "archive.sqlite-shm"}
    assert {k: v for k, v in after.items() if k not in sqlite_pair} == \
        {k: v for k, v in before.items() if k not in sqlite_pair}
    assert not list(tmp_path.rglob("*"))  # no settings, no "last article"


@pytest.mark.parametrize(("width", "height"), [(683, 384), (1366, 768), (1920, 1080)])
def test_layouts_survive_small_and_large_screens(app, qtbot, sample_archive_dir, width, height):
    """683×384 is 1366×768 at QT_SCALE_FACTOR=2: the keyboard moves under the search field,
    keys stay ≥ 60 px and the page scrolls instead of squeezing."""
    from sipviewer.ui.kiosk import KioskWindow

    with Archive.open(sample_archive_dir, read_only=True, create=False) as archive:
        win = KioskWindow(archive, runner=SyncRunner())
        qtbot.addWidget(win)
        win.resize(width, height)
        win.show()
        qtbot.waitExposed(win)
        QTest.qWait(20)
        keys = win.keyboard.keys.values()
        assert all(k.width() >= KEY and k.height() >= KEY for k in keys)
        assert win.side.height() >= 300  # the content never collapses
        # no page asks for more than the screen (a taller window runs off a real screen)
        assert win.minimumSizeHint().height() <= height and win.height() == height
        for name, page in win.pages.items():
            assert page.minimumSizeHint().height() <= height, name
            assert page.minimumSizeHint().width() <= width, name
        # the photo page: its caption never runs over the picture
        win.open_photos(archive.photo_views(archive.photo_ids()[:2]), 0)
        QTest.qWait(20)
        viewer = win.viewer
        assert not viewer.image.geometry().intersects(viewer.text_column.geometry())
        assert viewer.text_column.geometry().bottom() < viewer.height()
        # every key inside the visible page: no sideways scrolling, nothing cut off
        assert win.home_scroll.horizontalScrollBar().maximum() == 0
        viewport = win.home_scroll.viewport()
        for key in keys:
            right = key.mapTo(viewport, key.rect().topRight()).x()
            assert 0 <= right < viewport.width()
        win.shutdown()


def test_a_tiles_line_is_shortened_at_its_start_to_fit(app, qtbot):
    """A section's tile on a narrow column (two columns at 1366×768 on 30 volumes cut
    "…（1991） · 50 篇" off at the right): its line fits, keeping the year and the count at its
    end (the yearbook's title, the same on every tile, gives way); on a wide tile it is whole."""
    from PySide6.QtWidgets import QWidget

    from sipviewer.ui.kiosk_widgets import Tile

    detail = "苏州工业园区年鉴（1991） · 50 篇"
    holder = QWidget()
    qtbot.addWidget(holder)
    tile = Tile("专记", detail, holder)
    for width, whole in ((200, False), (900, True)):
        tile.setFixedWidth(width)
        holder.show()
        qtbot.waitExposed(holder)
        QTest.qWait(10)
        label = tile.detail_label
        shown = label.text()
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
        assert (shown == detail) == whole, shown
        if not whole:
            assert shown.startswith("…")
            assert detail.endswith(shown[1:]) and shown.endswith("（1991） · 50 篇")


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has its own SIGTERM handler yet (the kiosk's, once it is up)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_sigterm_ends_the_kiosk_cleanly(sample_archive_dir, tmp_path):
    """A real process: `sipviewer --kiosk` started, then SIGTERM; it ends by itself, status 0."""
    Archive.open(sample_archive_dir).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SIPVIEWER_CONFIG_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "sipviewer", "--kiosk", "--archive",
                             str(sample_archive_dir)], env=env, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    try:
        for _ in range(600):  # up to a minute on a busy machine
            if proc.poll() is not None or _catches_sigterm(proc.pid):
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        # at once: the event loop may not be running yet (a quit then was lost, and the
        # kiosk ran on), the window showing and the archive opening behind it
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err


def test_a_bad_configuration_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('idle_reset = "soon"\n', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "sipviewer", "--kiosk", "--config", str(bad)],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        f"sipviewer: {bad}: idle_reset must be a whole number of seconds ≥ 5"]


# -- the 大事记 timeline and 历史上的今天 ----------------------------------------------------------

CHRONOLOGY = Path(__file__).resolve().parent.parent / "data" / "dashiji-2020.txt"
LAST_EVENT = "园区召开党工委（扩大）会议"  # December, far down the timeline


@pytest.fixture
def chron_dir(tmp_path):
    folder = tmp_path / "arc"
    with Archive.open(folder) as arc:  # a writer imports and indexes; the kiosk only reads
        arc.import_files([CHRONOLOGY], year=2021)
    return folder


def chron_kiosk(qtbot, folder, day):
    from sipviewer.ui.kiosk import KioskWindow

    archive = Archive.open(folder, read_only=True, create=False)
    win = KioskWindow(archive, runner=SyncRunner(),
                      config=KioskConfig(idle_reset=30), today=lambda: day)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.start()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def chron(app, qtbot, chron_dir):
    from datetime import date

    win = chron_kiosk(qtbot, chron_dir, date(2026, 3, 5))
    yield win
    win.shutdown()
    win.close_archive()


def tile_titles(win) -> list[str]:
    return [tile.title_label.text() for tile in win._tiles]


def test_the_chronology_tile_opens_its_timeline(chron, qtbot):
    (tile,) = [w for w in chron._tiles if w.title_label.text() == "大事记"]
    assert "17 条大事" in tile.findChildren(type(tile.title_label))[1].text()
    tap(qtbot, tile)
    assert chron.current_page() == "timeline"
    text = chron.timeline.toPlainText()
    assert "园区成立新冠肺炎疫情防控指挥部" in text and "2020年3月" in text
    assert "12—14日" in text
    assert "href" not in chron.timeline.toHtml()  # nothing on it leads anywhere
    title = chron.timeline_title.text()
    assert title.startswith("大事记") and title not in text  # the title once, above the page
    tap(qtbot, chron.pages["timeline"].findChildren(type(chron.keyboard.keys["Q"]))[0])  # 返回
    assert chron.current_page() == "home"


def test_an_event_hit_opens_the_timeline_at_the_event(chron, qtbot):
    chron.search.setText("党工委")
    chron._search_timer.timeout.emit()
    items = [chron.results.item(i) for i in range(chron.results.count())]
    (hit,) = [i for i in items if LAST_EVENT in i.text()]
    assert "大事记" in hit.text()
    chron.results.itemClicked.emit(hit)
    assert chron.current_page() == "timeline"
    html = chron.timeline.toHtml()
    assert LAST_EVENT in chron.timeline.toPlainText()
    assert "#fff3c4" in html  # the event is marked
    bar = chron.timeline.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=2000)  # and scrolled to


def test_the_idle_reset_leaves_the_timeline(chron, qtbot):
    tap(qtbot, [w for w in chron._tiles if w.title_label.text() == "大事记"][0])
    assert chron.current_page() == "timeline"
    chron.idle.timer.setInterval(50)
    chron.idle.timer.start()
    qtbot.waitUntil(lambda: chron.current_page() == "home", timeout=3000)


def test_this_day_tile_lists_the_events_of_the_day(chron, qtbot):
    assert tile_titles(chron)[0] == "历史上的今天"
    tap(qtbot, chron.day_tile)
    assert chron.current_page() == "timeline"
    text = chron.timeline.toPlainText()
    assert "园区召开优化营商环境工作会议" in text and "独墅湖图书馆" in text
    assert "园区成立新冠肺炎疫情防控指挥部" not in text  # (25 January)


def test_no_this_day_tile_without_events(app, qtbot, chron_dir):
    from datetime import date

    win = chron_kiosk(qtbot, chron_dir, date(2026, 2, 29 - 1))
    try:
        assert win.day_tile is None and "历史上的今天" not in tile_titles(win)
        assert "大事记" in tile_titles(win)
    finally:
        win.shutdown()
        win.close_archive()


def test_the_photo_wall_shows_photos_with_images_first(app, qtbot, sample_archive_dir, tmp_path):
    """A librarian attached a scan to the last photo of the volume: the wall leads with it, and
    the photos still without an image show their caption, not an empty grey frame."""
    import shutil

    from PIL import Image

    from sipviewer.ui.kiosk import KioskWindow

    scan = tmp_path / "scan.jpg"
    Image.new("RGB", (640, 420), (40, 120, 90)).save(scan)
    folder = tmp_path / "arc"
    shutil.copytree(sample_archive_dir, folder)
    with Archive.open(folder) as writer:
        ids = writer.photo_ids()
        writer.attach_image(ids[-1], scan)
        last_caption = writer.photo_views([ids[-1]])[0].caption
    archive = Archive.open(folder, read_only=True, create=False)
    win = KioskWindow(archive, runner=SyncRunner(), config=KioskConfig(idle_reset=30))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.start()
    try:
        cards = win._cards
        assert [c.photo.caption for c in cards][0] == last_caption
        assert cards[0].has_picture and not cards[0].picture.pixmap().isNull()
        rest = cards[1:]
        assert len(rest) == len(ids) - 1 and not any(c.has_picture for c in rest)
        assert all(c.picture.property("textonly") for c in rest)
        assert all(c.height() == cards[0].height() for c in rest)  # the grid stays even
    finally:
        win.shutdown()
        win.close_archive()
