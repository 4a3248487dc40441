"""Screenshots of the viewer at 1280 × 800, made offscreen (no display needed).

    python packaging/screenshots.py [--archive DIR] [--out docs/screenshots]

Without --archive, a temporary archive is built from the bundled sample. Makes: the main
window, a search with filters, the gallery, a table window and the 大事记 timeline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from sipviewer.core.archive import Archive  # noqa: E402
from sipviewer.core.paths import sample_path  # noqa: E402
from sipviewer.ui.common import install_translator, load_fonts  # noqa: E402
from sipviewer.ui.mainwindow import MainWindow  # noqa: E402
from sipviewer.ui.tasks import SyncRunner  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_fonts(app)
    install_translator(app, args.lang)
    tmp = tempfile.TemporaryDirectory()
    if args.archive:
        archive = Archive.open(args.archive)
    else:
        archive = Archive.open(Path(tmp.name) / "arc")
        archive.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
    settings = QSettings(str(Path(tmp.name) / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    win.resize(1280, 800)
    win.show()

    def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        app.processEvents()
        widget.grab().save(str(out / name))
        print(out / name)

    shot(win, "main-window.png")
    win.search.box.setText("园区 经济")
    win.filtering.panel.kind_boxes["article"].setChecked(True)
    win.filtering.panel.date_from.setText("2020")
    win.filtering.panel.date_to.setText("2020")
    win.filtering.panel.date_to.editingFinished.emit()
    win.search.run()
    win.left_tabs.setCurrentIndex(1)
    win.center_tabs.setCurrentIndex(1)
    shot(win, "search-with-filters.png")
    win.filtering.panel.clear()
    win.search.box.setText("")
    win.search.run()
    win.center_tabs.setCurrentIndex(2)
    win.left_tabs.setCurrentIndex(0)
    shot(win, "gallery.png")
    table_ids = [t.id for v in archive.tree() for s in v.sections for a in s.articles
                 for t in archive.article(a.id).tables][:1]
    if table_ids:
        win.reading.open_table(table_ids[0])
        table = win.reading.table_windows[-1]
        table.resize(1280, 800)
        table.view.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        shot(table, "table-window.png")
    win.close()
    archive.close()
    timeline_shot(Path(tmp.name), settings, shot)


def timeline_shot(tmp: Path, settings: QSettings, shot) -> None:  # type: ignore[no-untyped-def]
    """The sample volume with its 大事记 section, opened at a search hit on an event."""
    chronicle = ROOT / "tests" / "data" / "dashiji-2020.txt"
    volume = tmp / "volume.txt"
    volume.write_text(sample_path().read_text(encoding="utf-8").rstrip("\n") + "\n"
                      + chronicle.read_text(encoding="utf-8"), encoding="utf-8")
    with Archive.open(tmp / "arc-timeline") as archive:
        archive.import_files([volume], title="苏州工业园区年鉴", year=2021)
        win = MainWindow(archive, runner=SyncRunner(), settings=settings)
        win.resize(1280, 800)
        win.show()
        win.search.box.setText("金鸡湖")
        win.search.run()
        hit = next(h for h in win.search.last_results.hits if h.kind == "event")
        win.open_hit(hit)
        shot(win, "timeline.png")
        section = next(s for s in archive.tree()[0].sections if s.events)
        win.search.box.setText("")
        win.contents.view.setCurrentIndex(win.contents.model.find("section", section.id))
        shot(win, "timeline-months.png")
        win.close()


if __name__ == "__main__":
    main()
