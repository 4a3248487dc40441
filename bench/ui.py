"""Viewer figures: start-up to an interactive window, and the longest event-loop stall
during search-as-you-type, gallery scrolling and three imports (each through the window's
writer queue, until the contents show the new volume).

    python bench/ui.py [--archive DIR] [--stalls-only | --startup-only]

Runs offscreen. Without --archive it uses the 30-volume benchmark archive (made by
parse_import.py) and also measures start-up on the bundled sample. Start-up is the viewer's
own `run()` in a new process, timed from its launch until the window shows the contents and
the first article, then until the search index is open behind them (with the longest GUI
stall meanwhile).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import OUT, ROOT, figure, volumes

STARTUP = r"""
import argparse, os, sys, tempfile, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app = QApplication([])  # the viewer's run() takes this one
from sipviewer.ui import app as viewer  # as the command imports it; run() imports the rest
said = set()
last = [0.0]
worst = [0.0]  # the longest gap between probes once the window is interactive: a GUI stall
def probe():
    now = time.perf_counter()
    if "ready" in said:
        worst[0] = max(worst[0], now - last[0] - 0.002)
    last[0] = now
    window = sys.modules.get("sipviewer.ui.mainwindow")
    wins = [w for w in app.topLevelWidgets() if window is not None
            and isinstance(w, window.MainWindow) and w.isVisible()]
    win = wins[0] if wins else None
    if win is not None and "ready" not in said and win.contents.model.rowCount() \
            and win.reading.view.article is not None:
        said.add("ready")
        print("ready", flush=True)
    if win is not None and win.session.is_open and win.session.archive._index is not None:
        print("search", flush=True)
        print(f"stall {worst[0]}", flush=True)
        win.close()
        return
    QTimer.singleShot(2, probe)
QTimer.singleShot(0, probe)
viewer.run(argparse.Namespace(archive=sys.argv[1], kiosk=False, lang=None))
os._exit(0)
"""


BARE = r"""
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
window = QLabel("苏州工业园区年鉴")
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
app.exec()
"""


def bare_window(runs: int = 5) -> float:
    """The anchor of start-up: a bare PySide6 process (import QtWidgets, show one window),
    timed as `startup` times the viewer: from launch until the window shows; the median."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", BARE], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()
        times.append(time.perf_counter() - start)
        proc.wait()
    return sorted(times[1:])[runs // 2]  # the first run warms the file cache


def startup(archive: Path) -> tuple[float, float, float]:
    """The viewer's own start (``sipviewer --archive DIR``), timed from launching the process:
    seconds until the window shows the contents and the first article, and until the full
    archive and its search index are open behind it; and the longest GUI stall meanwhile."""
    start = time.perf_counter()
    # as installed: with compiled modules (pip writes them at install; a shell that turns
    # bytecode writing off would time compiling the viewer's sources at every start)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen([sys.executable, "-c", STARTUP, str(archive)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**env, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    times = {}
    stall = 0.0
    for line in proc.stdout:
        if line.startswith("stall "):
            stall = float(line.split()[1])
        else:
            times[line.strip()] = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    if proc.wait() or set(times) != {"ready", "search"}:
        raise SystemExit(f"start-up run failed: {times} {err}")
    return times["ready"], times["search"], stall


def startup_figures(archive: Path, label: str, runs: int = 5) -> float:
    startup(archive)  # warm the file cache
    results = [startup(archive) for _ in range(runs)]
    ready = sorted(r[0] for r in results)
    search = sorted(r[1] for r in results)
    stall = max(r[2] for r in results)
    print(f"start-up to an interactive window, {label}: median {ready[runs // 2]:.2f} s "
          f"(best {ready[0]:.2f}, worst {ready[-1]:.2f}, {runs} runs); search ready after "
          f"{search[runs // 2]:.2f} s; longest GUI stall while it opens {stall * 1000:.0f} ms")
    return ready[runs // 2]


class StallMeter:
    """A 5 ms timer on the GUI thread; the longest gap between its ticks is the worst stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - 0.005)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst * 1000


def pump(app, seconds: float, until=None) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop for ``seconds`` (or until ``until()`` holds, checked every 20 ms).

    A real `QEventLoop`, not `processEvents` calls: PySide6 6.12 loses a reference to None
    on every `processEvents` called from Python, and a few thousand calls crash the run."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    if until is None:
        QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    else:
        check = QTimer()
        check.setInterval(20)
        check.timeout.connect(lambda: until() and loop.quit())
        check.start()
    loop.exec()


def stalls(archive_dir: Path, volume_count: int) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from sipviewer.core.archive import Archive
    from sipviewer.ui.common import load_fonts
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import favour_the_gui_thread
    from tests.ui.conftest import type_text

    # as installed, with compiled modules (as `startup` runs it): a module first imported on a
    # worker thread is otherwise compiled there, holding the interpreter lock 100 ms or more
    compileall.compile_dir(str(ROOT / "sipviewer"), quiet=1)
    app = QApplication.instance() or QApplication([])
    load_fonts(app)
    favour_the_gui_thread()  # as the viewer's run() does
    work = Path(tempfile.mkdtemp())
    copy = work / "arc"
    shutil.copytree(archive_dir, copy)
    archive = Archive.open(copy)
    win = MainWindow(archive, settings=QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
    win.resize(1280, 800)
    win.show()
    pump(app, 2.0)
    meter = StallMeter()

    # 1. search as you type: one character every 120 ms, results as they come
    latencies = []
    original = win.search._show

    def timed(results, query, state, elapsed_ms):  # type: ignore[no-untyped-def]
        latencies.append(elapsed_ms)
        original(results, query, state, elapsed_ms)

    win.search._show = timed
    meter.start()
    for query in ("园区经济发展", "苏州工业园区", "新冠肺炎疫情防控", "2020年"):
        win.search.box.clear()
        for ch in query:
            type_text(win.search.box, ch)
            pump(app, 0.12)
        pump(app, 0.6)
    typing = meter.stop()
    print(f"search as you type: longest GUI stall {typing:.0f} ms; results shown "
          f"{min(latencies):.0f}–{max(latencies):.0f} ms after the search started "
          f"({len(latencies)} searches)")

    # 2. the gallery: all photos, scrolled through page after page
    win.search.box.clear()
    pump(app, 0.5)
    meter.start()
    win.center_tabs.setCurrentIndex(2)
    pump(app, 1.5)
    bar = win.photos.view.verticalScrollBar()
    for _ in range(60):
        bar.setValue(bar.value() + bar.pageStep())
        pump(app, 0.03)
    scrolling = meter.stop()
    print(f"gallery of {len(win.photos.model.ids)} photos, 60 pages scrolled: longest GUI "
          f"stall {scrolling:.0f} ms ({win.photos.model.rowCount()} loaded)")

    # 3. the memory of the viewer after a mixed query load (the search benchmark's queries)
    from search import make_queries

    for q, f in make_queries(archive.index.store):
        archive.search(q, f)
    archive.index.store.texts()
    figure(f"viewer memory, {volume_count} volumes open, after the query mix", _rss_now(), "MB",
           None, None, "≤ 400 MB")

    # 4. imports through the window's writer queue, three runs (three new 1M-character
    # volumes: the archive holds 1991–2021), the views refreshing from each change
    worst = []
    before = archive.stats()["volumes"]
    for extra in volumes(max(volume_count, 30) + 4)[-3:]:
        loaded: list[object] = []
        win.contents.loaded.connect(loaded.append)
        meter.start()
        win.files.import_files([str(extra)])
        pump(app, 0, until=lambda got=loaded: not win.files.importing and bool(got))
        pump(app, 1.0)
        worst.append(meter.stop())
        win.contents.loaded.disconnect(loaded.append)
        if loaded[-1].stats["volumes"] != len(worst) + before:  # type: ignore[attr-defined]
            raise SystemExit(f"the import of {extra.name} did not happen")
    print(f"import of a 1M-character volume in the background, 3 runs: longest GUI stall "
          f"{max(worst):.0f} ms (runs: {', '.join(f'{w:.0f}' for w in worst)} ms)")
    figure("GUI stall during a background import, worst of three", max(worst), "ms", None, None,
           "≤ 50 ms")
    win.close()
    archive.close()
    shutil.rmtree(work, ignore_errors=True)


def _rss_now() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive")
    ap.add_argument("--stalls-only", action="store_true", help="skip the start-up figures")
    ap.add_argument("--startup-only", action="store_true",
                    help="only start-up on the benchmark archive, beside the bare window")
    ap.add_argument("--volumes", type=int, default=30, help="(of the benchmark archive)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    big = Path(args.archive) if args.archive else OUT / "archive-bench"
    if args.stalls_only:
        stalls(big, args.volumes)
        sys.stdout.flush()
        os._exit(0)
    if not args.archive and not args.startup_only:
        sample = Path(tempfile.mkdtemp()) / "sample"
        from sipviewer.core.archive import Archive
        from sipviewer.core.paths import sample_path

        with Archive.open(sample) as arc:
            arc.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
        startup_figures(sample, "sample archive")
    median = startup_figures(big, big.name)
    figure(f"start-up to the first article, {big.name} ({args.volumes} volumes), median of 5",
           median, "s", bare_window(), "a bare PySide6 window", "≤ 0.5 s")
    if args.startup_only:
        sys.stdout.flush()
        os._exit(0)
    stalls(big, args.volumes)
    sys.stdout.flush()
    os._exit(0)  # figures are printed; skip tearing down Qt objects at interpreter exit


if __name__ == "__main__":
    main()
