"""Screenshots of the 编目 (catalogue) mode at 1280 × 800, made offscreen.

    python packaging/screenshots_catalogue.py [--out docs/screenshots]

Builds a temporary archive from the bundled sample, attaches a few generated pictures,
then shows: three photos selected with a mixed field and a date being typed, the history of
an edited photo, and the folder-matching preview.
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

from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from sipviewer.core.archive import Archive  # noqa: E402
from sipviewer.core.catalogue import Edit  # noqa: E402
from sipviewer.core.paths import sample_path  # noqa: E402
from sipviewer.ui.common import install_translator, load_fonts  # noqa: E402
from sipviewer.ui.mainwindow import MainWindow  # noqa: E402
from sipviewer.ui.tasks import SyncRunner  # noqa: E402


def picture(path: Path, seed: int, size: tuple[int, int] = (800, 560)) -> Path:
    """A plain landscape-like picture: sky, water, a skyline (no real photo is bundled)."""
    w, h = size
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    for y in range(h):
        k = y / h
        sky = (int(90 + 100 * k), int(140 + 80 * k), int(200 + 40 * k))
        water = (int(30 + 40 * k), int(80 + 50 * k), int(120 + 40 * k))
        d.line([(0, y), (w, y)], fill=sky if y < h * 0.6 else water)
    x = 20
    k = seed
    while x < w - 40:
        k = (k * 1103515245 + 12345) % 2**31
        bw, bh = 30 + k % 60, 60 + (k // 7) % 200
        d.rectangle([x, int(h * 0.6) - bh, x + bw, int(h * 0.6)],
                    fill=(60 + k % 80, 65 + k % 70, 80 + k % 60))
        x += bw + 6
    im.save(path, "JPEG", quality=88)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_fonts(app)
    install_translator(app, args.lang)
    tmp = tempfile.TemporaryDirectory()
    root = Path(tmp.name)
    archive = Archive.open(root / "arc")
    archive.import_files([sample_path()], title="苏州工业园区年鉴", year=2021)
    ids = archive.photo_ids()
    pictures = [picture(root / f"scan-{k}.jpg", k + 3) for k in range(6)]
    archive.catalogue.attach(list(zip(ids[:6:2] + ids[7:10], pictures)))
    archive.catalogue.edit(ids[:2], Edit({"location": "金鸡湖"}, add_tags=("城市风光",)))
    archive.catalogue.edit(ids[2:3], Edit({"location": "独墅湖"}, add_tags=("科教创新",)))
    settings = QSettings(str(root / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    win.resize(1280, 800)
    win.show()
    cat = win.catalogue
    win.center_tabs.setCurrentWidget(cat.tab_page)

    def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            app.processEvents()
        widget.grab().save(str(out / name))
        print(out / name)

    cat.select_ids(ids[:3])
    cat.panel.edits["date"].setText("2020年1月8—19日")
    cat.panel._edited("date")
    shot(win, "catalogue-selection.png")
    cat.panel.load(cat.panel.photos)
    cat.select_ids([ids[0]])
    cat.panel.edits["caption"].setText(cat.panel.edits["caption"].text() + "（夜景）")
    cat.panel._edited("caption")
    cat.panel.save()
    cat.select_ids([ids[0]])
    shot(win, "catalogue-history.png")
    folder = root / "scans"
    folder.mkdir()
    photos = archive.photo_views([i for i in ids if archive.photo(i).image_path is None])
    for k, p in enumerate(photos[:2]):
        picture(folder / f"{p.id}.jpg", 20 + k)
    picture(folder / f"{photos[2].caption[:14]}.jpg", 30)
    picture(folder / "IMG_0042.jpg", 31)
    dialog = cat.open_match_dialog(folder=folder)
    dialog.resize(1280, 800)
    dialog.preview()
    shot(dialog, "catalogue-folder-match.png")
    dialog.reject()
    win.close()
    archive.close()


if __name__ == "__main__":
    main()
