"""The file part of the window: importing yearbook texts and exporting the photo catalogue.

Imports run on the session's writer; their `OpChanges` reach the window through
``session.changed``, so this part only reports how it went (the status bar, or the one error
dialog). The photo catalogue is exported by the gallery part (its selection or the current
search and filters); a failure is shown as such and nothing is reported as exported.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from sipviewer.ui.common import open_file_names, save_file_and_filter, show_error, t
from sipviewer.ui.gallerypane import GalleryPane
from sipviewer.ui.session import ArchiveSession
from sipviewer.ui.tasks import ProgressSignal


def status_text(status: str) -> str:
    """An import outcome's status (imported | unchanged | replaced) as the interface says it."""
    texts = {"imported": t("已导入"), "unchanged": t("未改动（此前已导入）"), "replaced": t("已替换")}
    return texts.get(status, status)


class FileActions(QObject):
    """Import and export, and whether an import is under way (`importing`)."""

    imported = Signal(object)  # the outcomes of a finished import

    def __init__(self, session: ArchiveSession, photos: GalleryPane, window: QMainWindow) -> None:
        super().__init__(window)
        self.session = session
        self.photos = photos
        self._window = window
        self.importing = 0  # imports under way
        self.stopped = False  # quitting stopped the imports under way
        photos.exported.connect(self._on_exported)
        photos.export_failed.connect(self.export_failed)

    def _status(self, text: str, msecs: int = 0) -> None:
        self._window.statusBar().showMessage(text, msecs)

    def import_dialog(self) -> None:
        paths = open_file_names(self._window, t("导入年鉴文本"), t("文本文件 (*.txt);;所有文件 (*)"))
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        self._status(t("正在导入…"))
        self.importing += 1
        progress = ProgressSignal(self)  # from the writer thread to this one
        progress.changed.connect(self._import_progress)

        def done(outcomes) -> None:  # type: ignore[no-untyped-def]
            progress.deleteLater()
            self.importing -= 1
            self._status("；".join(f"{Path(o.path).name}：{status_text(o.status)}"
                                  for o in outcomes), 8000)
            self.imported.emit(outcomes)

        def failed(exc: BaseException) -> None:
            progress.deleteLater()
            self.importing -= 1
            self._window.statusBar().clearMessage()
            if not self.stopped:  # (stopped by quitting: the user knows)
                show_error(self._window, exc, t("导入失败，档案未作任何改动"))

        session = self.session

        def work():  # type: ignore[no-untyped-def]
            from sipviewer.core import ops  # (SQLAlchemy: only once there is work for it)
            from sipviewer.ui import importreport  # noqa: F401  (its button shows when this
            # ends: loaded here, not on the GUI thread then)

            return ops.import_files(session.archive, paths, separate_process=True,
                                    progress=progress.changed.emit)

        session.write(work, done, failed)

    def _import_progress(self, done: int, total: int, message: str) -> None:
        """The import's steps (a file being read and parsed, then written and indexed)."""
        if self.importing and message.startswith("parsing "):
            self._status(f"{t('正在导入')} {message[len('parsing '):]}…　"
                         f"{100 * done // max(total, 1)}%")

    def confirm_quit_while_importing(self) -> bool:
        """Quitting now drops the import under way (its transaction never commits)."""
        from PySide6.QtWidgets import QMessageBox  # (a dialog's type: made when first asked)

        answer = QMessageBox.question(
            self._window, t("正在导入"),
            t("导入尚未完成。现在退出将放弃这次导入，档案保持导入前的样子。仍要退出吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.stopped = True
        self.session.stop_imports()  # the child process ends now; the window may close
        return True

    def export_photos_dialog(self) -> None:
        """The catalogue of the photos selected in the gallery, or else of every photo the
        current search and filters select, as CSV or JSON."""
        path, chosen = save_file_and_filter(self._window, t("导出照片目录"), "photos.csv",
                                            "CSV (*.csv);;JSON (*.json)")
        if path:
            fmt = "json" if chosen.startswith("JSON") else "csv"
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.export_photos(path, fmt)

    def export_photos(self, path: str, fmt: str | None = None) -> None:
        self._status(t("正在导出…"))
        self.photos.export(path, fmt)

    def _on_exported(self, path: str, count: int) -> None:
        self._status(f"{t('已导出：')}{path}　{count} {t('张照片')}", 8000)

    def export_failed(self, exc: BaseException) -> None:
        """Any export that failed (photos, PDF): one dialog, no "exported" anywhere."""
        self._window.statusBar().clearMessage()
        show_error(self._window, exc, t("导出失败"))
