"""The kiosk in a real window on a virtual X screen, tapped with real mouse clicks.

    python packaging/kiosk_realwindow.py OUTDIR [--size 1280x800] [--idle-reset 5]

Needs Xvfb, xdotool and ImageMagick's `import` (Debian: xvfb xdotool imagemagick
libxcb-icccm4 libxcb-keysyms1). Starts Xvfb on a free display, builds a temporary archive
from the bundled sample, opens the kiosk full screen as `sipviewer --kiosk` does (archive
opened on a worker thread behind the loading page) and, from the moment the window is on
screen, clicks Q, H, C and S on the on-screen keyboard with xdotool (pointer moves and
button presses through the X server, as a touch screen's would arrive). Then checks that the
search field says "qhcs" and the 黔货出山 caption is listed, waits without input until the
idle reset brought the home screen back, and saves kiosk-realwindow-*.png of the whole screen at
each step. Prints one line per check; exit status 1 if one failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CAPTION = "黔货出山"


def start_x(size: str) -> tuple[subprocess.Popen, str]:
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    display = f":{n}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        time.sleep(0.05)
    return xvfb, display


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--idle-reset", type=int, default=5)
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            print(f"needs {tool}", file=sys.stderr)
            return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    xvfb, display = start_x(args.size)
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return drive(Path(tmp) / "arc", out, args.idle_reset, display)
    finally:
        xvfb.terminate()
        xvfb.wait(5)


def drive(folder: Path, out: Path, idle_reset: int, display: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from sipviewer.core.archive import Archive
    from sipviewer.core.kioskconfig import KioskConfig
    from sipviewer.core.paths import SAMPLE_EDITION, SAMPLE_TITLE, sample_path
    from sipviewer.ui.common import load_fonts
    from sipviewer.ui.kiosk import KioskWindow

    with Archive.open(folder) as writer:
        writer.import_files([sample_path()], title=SAMPLE_TITLE, year=SAMPLE_EDITION)
    app = QApplication([])
    load_fonts(app)
    win = KioskWindow(opener=lambda: Archive.open(folder, create=False, read_only=True),
                      config=KioskConfig(idle_reset=idle_reset))
    win.show_kiosk()
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    def shot(name: str) -> None:
        QTest.qWait(300)
        path = out / f"kiosk-realwindow-{name}.png"
        subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True)
        print(f"      {path}")

    def wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            QTest.qWait(50)
        return condition()

    def click(widget) -> None:  # type: ignore[no-untyped-def]
        centre = widget.mapToGlobal(widget.rect().center())
        # the X server moves the pointer and presses: nothing is sent to Qt directly
        subprocess.run(["xdotool", "mousemove", "--sync", str(centre.x()), str(centre.y()),
                        "click", "1"], check=True)

    def script() -> None:
        wait_for(lambda: win.isVisible() and win.windowHandle() is not None
                 and win.windowHandle().isExposed(), 15)
        # a visitor taps at once, whether or not the archive has finished opening
        typed = []
        for letter in "QHCS":
            click(win.keyboard.keys[letter])
            QTest.qWait(150)
            typed.append(win.search.text())
        check(win.search.text() == "qhcs", f"the taps typed {typed} → {win.search.text()!r}")
        found = wait_for(lambda: any(CAPTION in win.results.item(i).text()
                                     for i in range(win.results.count())), 15)
        check(found, f"the {CAPTION} caption is listed")
        shot("qhcs")
        # nobody touches it: the idle reset brings the home screen back
        started = time.monotonic()
        home = wait_for(lambda: win.search.text() == "" and win.side.currentIndex() == 0
                        and win.current_page() == "home", idle_reset + 10)
        check(home, f"home again after {time.monotonic() - started:.1f} s untouched "
                    f"(idle reset {idle_reset} s)")
        shot("idle-home")
        win.shutdown()
        win.close_archive()
        app.quit()

    QTimer.singleShot(0, script)
    app.exec()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
