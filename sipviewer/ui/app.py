"""Start the viewer: fonts, language, the archive (built on first start with progress), window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from sipviewer.core.paths import default_archive_dir
from sipviewer.model.gcpause import pause_collector

if TYPE_CHECKING:  # (the viewer's own modules are imported in `run`, the collector paused)
    from sipviewer.core.archive import Archive
    from sipviewer.ui.mainwindow import MainWindow


def open_with_progress(app: QApplication, path: Path, *, read_only: bool,
                       default: bool) -> Archive | None:
    """Open (or on first start, build) the archive in a worker while a progress dialog runs."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    from sipviewer.ui.common import show_error, t
    from sipviewer.ui.tasks import ProgressSignal, TaskRunner

    dialog = QProgressDialog(t("正在打开档案…"), "", 0, 0)
    dialog.setWindowTitle("sipviewer")
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)
    dialog.setMinimumWidth(420)
    progress = ProgressSignal()
    labels = {"indexing": t("正在建立检索索引"), "reading the archive": t("正在读取档案"),
              "writing the archive": t("正在写入档案"), "done": t("完成")}

    def on_progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, total))
        text = labels.get(message, message.replace("parsing", t("正在解析")))
        dialog.setLabelText(text)

    progress.changed.connect(on_progress)
    result: dict[str, object] = {}
    runner = TaskRunner()

    def work() -> Archive:
        from sipviewer.core.archive import Archive, open_default

        emit = progress.changed.emit
        if default:
            archive, _ = open_default(path, emit)
            return archive
        return Archive.open(path, read_only=read_only, create=False, progress=emit,
                            defer_index=True)

    def done(archive: Archive) -> None:
        result["archive"] = archive
        dialog.close()
        app.exit(0)

    def failed(exc: BaseException) -> None:
        result["error"] = exc
        dialog.close()
        app.exit(1)

    runner.run(work, done, failed)
    dialog.show()
    app.exec()
    runner.wait()
    if "error" in result:
        show_error(None, result["error"], t("无法打开档案"))  # type: ignore[arg-type]
        return None
    return result.get("archive")  # type: ignore[return-value]


def _open_window(app: QApplication, args: argparse.Namespace,
                 resume: Callable[[], None]) -> MainWindow | None:
    """The window on the archive of ``args``, not shown yet (None: it could not be opened,
    the user was told). ``resume``: ends the collector's pause before a long wait."""
    from sipviewer.ui.tasks import SyncTasks, Tasks, favour_the_gui_thread

    favour_the_gui_thread(processes=False)  # the import's processes: as the archive opens
    path = Path(args.archive).expanduser() if args.archive else default_archive_dir()
    # read-only media or another user's archive: browse and search without writing
    read_only = bool(args.kiosk or getattr(args, "read_only", False)
                     or (path.is_dir() and not os.access(path, os.W_OK)))
    from sipviewer.core.browse import open_browse

    reader = open_browse(path)
    if reader is not None:
        # the contents and the article to show are read now, before the window's modules
        # load: the first frame finds them there. Read here, not on a worker beside those
        # imports: each row sqlite steps gives the interpreter lock away and waits to take
        # it back, and 900 rows took 200 ms instead of 20 (and the window 40 ms longer)
        from PySide6.QtCore import QSettings

        from sipviewer.ui.firstread import FirstRead, saved_article

        tasks = Tasks()
        first = FirstRead(SyncTasks(), reader,
                          saved_article(QSettings("sipviewer", "sipviewer")))
    from sipviewer.ui.common import install_excepthook, install_translator, load_fonts

    install_translator(app, getattr(args, "lang", None))  # (before the contents' rows are made)
    load_fonts(app)
    install_excepthook()
    from sipviewer.ui.mainwindow import MainWindow

    if reader is not None:
        # an existing, up-to-date archive: show it at once through the plain-SQL reader; the
        # full archive (SQLAlchemy, the search index) opens behind the first page
        def opener() -> Archive:
            from sipviewer.core.archive import Archive

            favour_the_gui_thread()
            return Archive.open(path, create=False, read_only=read_only, defer_index=True)

        window = MainWindow(reader=reader, opener=opener, kiosk=read_only, runner=tasks,
                            first_read=first)
        tasks.setParent(window.session)  # owned as the session's own lanes are
        return window
    # first start, an upgrade or a problem: open with progress (and errors) first
    resume()  # (building an archive takes a while)
    favour_the_gui_thread()
    archive = open_with_progress(app, path, read_only=read_only,
                                 default=not args.archive and not args.kiosk)
    return MainWindow(archive, kiosk=read_only) if archive is not None else None


def run(args: argparse.Namespace, leave: Callable[[int], object] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("sipviewer")
    app.setOrganizationName("sipviewer")
    if args.kiosk:  # a window of its own: touch, read-only, locked down (see ui/kiosk.py)
        from sipviewer.ui.common import load_fonts
        from sipviewer.ui.kiosk import run_kiosk

        load_fonts(app)
        return run_kiosk(app, args)
    # no collections until the first frame: what the start makes (modules, Qt's types and
    # enums, the window) all stays, and the collector's passes over it cost the frame 20 ms+
    resume = pause_collector()
    window: MainWindow | None = None
    try:
        window = _open_window(app, args, resume)
    finally:
        if window is None:
            resume()
    if window is None:
        return 2
    if args.kiosk:
        window.showFullScreen()
    else:
        window.show()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: resume(freeze=True))  # once the first frame is drawn
    code = app.exec()
    resume()
    if not window.session.wait(0):
        # still at work after the window's grace period: an index rebuild of a large archive
        # can take a minute. Every write is a transaction and the index is rebuilt or
        # reconciled on the next open, so the command line leaves now (`leave`, given only by
        # the CLI entry) rather than keep the user waiting; called in-process, we wait.
        logging.getLogger("sipviewer").info("closing with background work unfinished")
        if leave is not None:
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            leave(code)
        window.session.wait()
    window.close_archive()
    return code
