"""Screenshots of the kiosk at 1280 × 800 and 1920 × 1080, made offscreen.

    python packaging/kiosk_screenshots.py [--out docs/screenshots] [--scale 2 --size 1366x768]

A temporary archive is built from the bundled sample. Makes kiosk-home, kiosk-results
(q h c s tapped on the on-screen keyboard) and kiosk-photo (the first result opened). Two of
the sample's photos carry a generated picture (a gradient, drawn here) as if a librarian had
attached their scans; the others show their caption alone.
With ``--scale`` (QT_SCALE_FACTOR) the window is the given screen size in device pixels.
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

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from sipviewer.core.archive import Archive  # noqa: E402
from sipviewer.core.paths import SAMPLE_EDITION, SAMPLE_TITLE, sample_path  # noqa: E402
from sipviewer.ui.common import load_fonts  # noqa: E402
from sipviewer.ui.kiosk import KioskWindow  # noqa: E402
from sipviewer.ui.tasks import SyncTasks  # noqa: E402

SIZES = ((1280, 800), (1920, 1080))


def _scan(path: Path, n: int) -> Path:
    """A stand-in for a scanned photograph: a sky-to-ground gradient."""
    from PIL import Image

    img = Image.new("RGB", (800, 530))
    top, bottom = ((120, 170, 215), (70, 110, 80)) if n == 0 else ((230, 190, 150), (90, 80, 120))
    for y in range(530):
        f = y / 529
        img.paste(tuple(int(a + (b - a) * f) for a, b in zip(top, bottom)), (0, y, 800, y + 1))
    img.save(path, quality=90)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--scale", type=int, default=1, help="QT_SCALE_FACTOR")
    parser.add_argument("--size", help="one screen size, e.g. 1366x768 (device pixels)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = SIZES
    if args.size:
        w, h = (int(n) for n in args.size.split("x"))
        sizes = ((w, h),)
    if args.scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    app = QApplication.instance() or QApplication([])
    load_fonts(app)
    with tempfile.TemporaryDirectory() as tmp:
        with Archive.open(Path(tmp) / "arc") as writer:
            writer.import_files([sample_path()], title=SAMPLE_TITLE, year=SAMPLE_EDITION)
            for n, pid in enumerate(writer.photo_ids()[2:4]):
                writer.attach_image(pid, _scan(Path(tmp) / f"scan{n}.jpg", n))
        for width, height in sizes:
            archive = Archive.open(Path(tmp) / "arc", read_only=True, create=False)
            win = KioskWindow(archive, runner=SyncTasks())
            win.resize(width // args.scale, height // args.scale)
            win.show()
            QTest.qWait(50)
            win._attract_timer.stop()
            suffix = f"{width}x{height}" + (f"-scale{args.scale}" if args.scale != 1 else "")
            win.grab().save(str(out / f"kiosk-home-{suffix}.png"))
            for key in "QHCS":
                win.keyboard.keys[key].click()
            win._search_timer.timeout.emit()
            QTest.qWait(20)
            win.grab().save(str(out / f"kiosk-results-{suffix}.png"))
            win._open_item(win.results.item(0))
            QTest.qWait(20)
            win.grab().save(str(out / f"kiosk-photo-{suffix}.png"))
            win.shutdown()
            win.close_archive()
    print(f"kiosk screenshots in {out}")


if __name__ == "__main__":
    main()
