"""More screenshots, made offscreen: the filter panel at twice the scale, the results in
English, the year histogram, a table chart and the print preview.

    python packaging/screenshots_more.py [--out docs/screenshots]

Builds a temporary archive from the bundled sample and two generated volumes (records dated
over a dozen years, for the histogram). The 2× shot runs itself again in a process of its
own with QT_SCALE_FACTOR=2.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_archive(folder: Path) -> Path:
    from sipviewer.core.archive import Archive
    from sipviewer.core.paths import sample_path
    from sipviewer.ingest.synthetic import generate_volume

    path = folder / "arc"
    files = []
    for seed, year in ((77, 2011), (78, 2016)):
        f = folder / f"gen{seed}.txt"
        f.write_text(generate_volume(seed, target_chars=120000, edition_year=year).text,
                     encoding="utf-8")
        files.append(f)
    with Archive.open(path) as arc:
        arc.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
        arc.import_files(files)
    return path


def window(archive_path: Path, lang: str, settings_dir: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from sipviewer.core.archive import Archive
    from sipviewer.ui.common import install_translator, load_fonts
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_fonts(app)
    install_translator(app, lang)
    archive = Archive.open(archive_path)
    settings = QSettings(str(settings_dir / f"{lang}.ini"), QSettings.Format.IniFormat)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    return app, archive, win


def settle(app, rounds: int = 10) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        app.processEvents()


def scaled(out: Path, archive_path: Path, tmp: Path) -> None:
    """The filter panel at twice the scale (1920 × 1080 pixels: 960 × 540 points)."""
    app, archive, win = window(archive_path, "zh", tmp)
    win.resize(960, 540)
    win.show()
    win.left_tabs.setCurrentIndex(1)
    win.search.box.setText("园区")
    win.search.run()
    settle(app)
    win.grab().save(str(out / "filters-2x.png"))
    win.filtering.panel.scroll_area.verticalScrollBar().setValue(10_000)
    settle(app)
    win.grab().save(str(out / "filters-2x-scrolled.png"))
    win.close()
    archive.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--scaled", help=argparse.SUPPRESS)  # the 2× process: the archive folder
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmpdir = tempfile.TemporaryDirectory()
    tmp = Path(tmpdir.name)
    if args.scaled:
        scaled(out, Path(args.scaled), tmp)
        return
    archive_path = build_archive(tmp)
    subprocess.run([sys.executable, __file__, "--out", str(out), "--scaled", str(archive_path)],
                   env={**os.environ, "QT_SCALE_FACTOR": "2"}, check=True)

    app, archive, win = window(archive_path, "zh", tmp)
    win.resize(1280, 800)
    win.show()
    # the year histogram: a search, the filter tab, a year picked from a bar
    win.left_tabs.setCurrentIndex(1)
    win.search.box.setText("园区")
    win.search.run()
    win.filtering.panel.pick_year(2015)
    win.search.run()
    win.show_tab(2)
    settle(app)
    win.grab().save(str(out / "year-histogram.png"))
    # print preview of the sample's first article
    first = next(a.id for v in archive.tree() for s in v.sections for a in s.articles)
    win.reading.open_article(first)
    win.show_tab(0)
    dialog = win.reading.print_preview()
    dialog.resize(1280, 800)
    settle(app, 30)
    dialog.grab().save(str(out / "print-preview.png"))
    dialog.close()
    # a chart of 表1
    table_id = next(t.id for v in archive.tree() for s in v.sections for a in s.articles
                    for t in archive.article(a.id).tables)
    win.reading.open_table(table_id)
    table = win.reading.table_windows[-1]
    table.resize(1280, 800)
    table.show_chart()
    settle(app)
    table.grab().save(str(out / "table-chart.png"))
    table.chart.kind.setCurrentIndex(1)
    settle(app)
    table.grab().save(str(out / "table-chart-line.png"))
    table.close()
    win.close()
    archive.close()

    from sipviewer.ui.common import install_translator

    app.removeTranslator(app._sipviewer_qt_translator)
    app, archive, win = window(archive_path, "en", tmp)
    win.resize(1280, 800)
    win.show()
    win.search.box.setText("园区 经济")
    win.search.run()
    win.show_tab(1)
    win.search.view.setCurrentIndex(win.search.model.index(1))
    settle(app)
    win.grab().save(str(out / "results-english.png"))
    win.close()
    archive.close()
    install_translator(app, "zh")
    for name in ("filters-2x", "filters-2x-scrolled", "year-histogram", "print-preview",
                 "table-chart", "table-chart-line", "results-english"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
