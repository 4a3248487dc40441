"""Cataloguing figures: a 1,000-photo batch edit and a 500-image folder attach, each timed
through the core alone and through the window (the catalogue mode on its real worker
thread), with the longest GUI stall while it runs.

    python bench/catalogue.py [--photos 1000] [--images 500]

Runs offscreen. The archive is built from generated volumes (bench/out/volumes-…) in a
temporary folder; the images are generated JPEGs of a scan's size. Anchors printed beside
each figure in the same run: for the edit, one SQL UPDATE of the same rows (the floor of a
write); for the attach, plain copies of the same files (the floor of the I/O).
A GUI stall is the longest gap between 2 ms timer ticks on the GUI thread, minus the 2 ms;
the interpreter's switch interval is the viewer's own (`favour_the_gui_thread`).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import ROOT, Timer, volumes

sys.path.insert(0, str(ROOT))

from PIL import Image

from sipviewer.core.archive import Archive
from sipviewer.core.catalogue import Edit


def make_images(folder: Path, ids: list[int], size: tuple[int, int] = (2000, 1500)) -> None:
    """JPEGs named by photo id, each a little different (not all the same content)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    base = Image.new("RGB", size)
    px = base.load()
    for y in range(0, size[1], 4):
        for x in range(0, size[0], 4):
            px[x, y] = (x % 256, y % 256, (x * y) % 256)
    for pid in ids:
        im = base.copy()
        im.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                 (0, 0, 64 + pid % 200, 64))
        im.save(folder / f"{pid}.jpg", quality=85)


class StallProbe:
    """Ticks every 2 ms on the GUI thread inside a real event loop; the longest gap between
    ticks is the worst stall. (The loop is `QEventLoop.exec`, not `processEvents` calls:
    PySide6 6.12 on Python 3.11 loses a reference to None on every `processEvents` call.)"""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.worst = 0.0
        self.last = time.perf_counter()

    def run_until(self, done, timeout: float = 900.0) -> float:  # type: ignore[no-untyped-def]
        """Run the event loop until ``done()``; the seconds it took."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        start = self.last = time.perf_counter()
        self.worst = 0.0

        def tick() -> None:
            now = time.perf_counter()
            self.worst = max(self.worst, now - self.last - 0.002)
            self.last = now
            if done() or now - start > timeout:
                loop.quit()

        timer = QTimer()
        timer.setInterval(2)
        timer.timeout.connect(tick)
        timer.start()
        loop.exec()
        timer.stop()
        if not done():
            raise TimeoutError("the operation did not finish")
        return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=1000)
    ap.add_argument("--images", type=int, default=500)
    args = ap.parse_args()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    tmp = Path(tempfile.mkdtemp(prefix="sipviewer-bench-catalogue-"))
    try:
        template = tmp / "template"
        with Timer() as t_build, Archive.open(template) as arc:
            paths = volumes(3)
            arc.import_files(paths[:1])
            k = 1
            while len(arc.photo_ids()) < args.photos and k < len(paths):
                arc.import_files([paths[k]])
                k += 1
            total = len(arc.photo_ids())
        print(f"archive: {total} photos from {k} generated volumes ({t_build.seconds:.1f} s)")
        n = min(args.photos, total)

        # -- the batch edit, core only, and its anchor
        core = tmp / "core"
        shutil.copytree(template, core)
        with Archive.open(core) as arc:
            ids = arc.photo_ids()[:n]
            with Timer() as t_edit:
                result = arc.catalogue.edit(ids, Edit({"location": "金鸡湖"},
                                                      add_tags=("批量标签",)))
            with Timer() as t_revert:
                arc.catalogue.revert(result.change_set)
        con = sqlite3.connect(core / "archive.sqlite")
        marks = ",".join("?" * len(ids))
        with Timer() as t_sql:
            with con:
                con.execute(f"UPDATE photos SET location = 'x' WHERE id IN ({marks})", ids)
        con.close()
        print(f"batch edit of {n} photos (core): {t_edit.seconds:.2f} s "
              f"({len(result.changes)} field changes, one change set, reindexed); "
              f"revert {t_revert.seconds:.2f} s; anchor: one SQL UPDATE of the same rows "
              f"{t_sql.seconds * 1000:.0f} ms")

        # -- the batch edit through the window
        app = QApplication(sys.argv[:1])
        from sipviewer.ui.mainwindow import MainWindow
        from sipviewer.ui.tasks import favour_the_gui_thread

        favour_the_gui_thread()  # as the viewer does at start (a 1 ms switch interval)

        gui = tmp / "gui"
        shutil.copytree(template, gui)
        archive = Archive.open(gui)
        settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
        win = MainWindow(archive, settings=settings)  # real worker threads
        win.resize(1280, 800)
        win.show()
        cat = win.catalogue
        probe = StallProbe(app)
        win.center_tabs.setCurrentWidget(cat.tab_page)
        t_load = probe.run_until(lambda: cat.model.rowCount() >= total)
        print(f"catalogue mode opened on {total} photos: {t_load:.2f} s, "
              f"longest GUI stall {probe.worst * 1000:.0f} ms")
        ids = [p.id for p in cat.model.photos[:n]]
        cat.select_ids(ids)
        before = cat.undo_stack.count()
        tags = cat.panel.edits["tags"]
        tags.setText((tags.text() + "、" if tags.text() else "") + "批量标签")
        cat.panel._edited("tags")
        cat.panel.save()
        t_gui = probe.run_until(lambda: cat.undo_stack.count() > before
                                and cat.model.photos[cat.model.row_of(ids[-1])].tags.count(
                                    "批量标签") == 1)
        print(f"batch edit of {n} photos (window, worker thread): {t_gui:.2f} s until the "
              f"gallery shows it; longest GUI stall {probe.worst * 1000:.0f} ms")

        # -- the folder attach
        folder = tmp / "scans"
        m = min(args.images, total)
        with Timer() as t_make:
            make_images(folder, [p.id for p in cat.model.photos[:m]])
        size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        print(f"{m} images of 2000×1500 made ({size_mb:.0f} MB, {t_make.seconds:.1f} s)")
        copies = tmp / "copies"
        copies.mkdir()
        with Timer() as t_copy:
            for f in folder.iterdir():
                shutil.copyfile(f, copies / f.name)
        with Archive.open(core) as arc:
            with Timer() as t_plan:
                plan = arc.catalogue.plan_folder(folder)
            with Timer() as t_attach:
                outcome = arc.catalogue.attach_plan(plan)
        print(f"folder attach of {m} images (core): preview {t_plan.seconds:.2f} s, attach "
              f"{t_attach.seconds:.2f} s ({len(outcome.result.photo_ids)} attached, full decode "
              f"of each); anchor: plain copies of the same files {t_copy.seconds:.2f} s")
        dialog = cat.open_match_dialog(folder=folder)
        dialog.preview()
        t_preview = probe.run_until(lambda: dialog.plan is not None)
        stall_preview = probe.worst
        before = cat.undo_stack.count()
        dialog.attach()
        t_gui_attach = probe.run_until(lambda: cat.undo_stack.count() > before)
        stall_attach = probe.worst
        print(f"folder attach of {m} images (window): preview {t_preview:.2f} s (longest GUI "
              f"stall {stall_preview * 1000:.0f} ms), attach {t_gui_attach:.2f} s (longest GUI "
              f"stall {stall_attach * 1000:.0f} ms)")
        until = time.perf_counter() + 5
        probe.run_until(lambda: time.perf_counter() > until)
        shown = sum(1 for p in cat.model.photos[:m] if p.id in cat.model._thumbs)
        print(f"then 5 s of thumbnails made in the background: {shown} on screen ready, longest "
              f"GUI stall {probe.worst * 1000:.0f} ms")
        win.close()
        win.session.wait(10000)
        archive.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
