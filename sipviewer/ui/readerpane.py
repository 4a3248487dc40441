"""The reading part of the window: the article view, its matches, tables and photos it opens,
printing and PDF export.

`open_article` fetches the article on a worker and shows it; `article_opened(ArticleView)`
tells the window (its title, the index warm-up). Tables open in their own windows, photos in
a dialog that does not block (``open()``, window-modal).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from sipviewer.model.errors import ExportError
from sipviewer.model.types import ArticleView
from sipviewer.ui.common import save_file_name, t
from sipviewer.ui.reader import PrintMeta, ReaderView
from sipviewer.ui.session import ArchiveSession

if TYPE_CHECKING:  # the windows reading opens: imported when first opened
    from sipviewer.ui.gallery import PhotoDialog
    from sipviewer.ui.tablewindow import TableWindow


class ReaderPane(QObject):
    """`view` (the article), `match_label` (for the tool bar) and what reading opens."""

    article_opened = Signal(object)  # ArticleView
    exported = Signal(str)  # a PDF was written to this path
    export_failed = Signal(object)  # ExportError: it could not be

    def __init__(self, session: ArchiveSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self._window = parent
        self.current_article: int | None = None
        self.table_windows: list[TableWindow] = []
        self.last_dialog: PhotoDialog | None = None
        self.last_preview: QDialog | None = None
        self.view = ReaderView()
        self.view.open_table.connect(self.open_table)
        self.view.open_photo.connect(self.open_photo)
        self.view.matches_changed.connect(self._on_matches)
        self.match_label = QLabel("")

    def open_article(self, article_id: int, terms: list[str] | None = None,
                     then: Callable[[ArticleView], None] | None = None) -> None:
        self.session.latest("article", lambda token: self.session.browse.article(article_id),
                            lambda art: self.show(art, terms, then))

    def show(self, art: ArticleView, terms: list[str] | None = None,
             then: Callable[[ArticleView], None] | None = None, *,
             screenful: bool = False) -> None:
        """Show an article already read (`open_article` reads it first); ``screenful``: see
        `ReaderView.show_article`."""
        self.current_article = art.id
        self.view.show_article(art, terms or [], screenful=screenful)
        if then is not None:
            then(art)
        self.article_opened.emit(art)

    def set_terms(self, terms: list[str]) -> None:
        """Mark these terms in the article shown (if any); the same terms again leave it as it
        is (where one reads stays: a search run again after an import)."""
        if self.view.article is not None and list(terms) != self.view.terms:
            self.view.set_terms(terms)

    def open_table(self, table_id: int) -> None:
        def done(table) -> None:
            from sipviewer.ui.tablewindow import TableWindow

            win = TableWindow(table, self._window)
            self.table_windows = [w for w in self.table_windows if w.isVisible()] + [win]
            win.show()

        self.session.read(lambda: self.session.browse.table(table_id), done)

    def open_photo(self, photo_id: int) -> None:
        def done(photo) -> None:
            from sipviewer.ui.gallery import PhotoDialog

            self.last_dialog = PhotoDialog([photo], 0, self._window)
            self.last_dialog.open()

        self.session.read(lambda: self.session.browse.photo(photo_id), done)

    def _on_matches(self, current: int, total: int) -> None:
        self.match_label.setText(f"{t('匹配')} {current}/{total}　F3 / Shift+F3" if total else "")

    # -- printing ---------------------------------------------------------------------------
    def print_article(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.view.article is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.view.article.title)
        dialog = QPrintDialog(printer, self._window)
        if dialog.exec():
            self.view.print_to(printer)

    def print_preview(self) -> QDialog | None:
        """The pages as they will print, with header and footer; print from there."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        if self.view.article is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.view.article.title)
        dialog = QPrintPreviewDialog(printer, self._window)
        dialog.setWindowTitle(t("打印预览") + " — " + self.view.article.title)
        dialog.paintRequested.connect(self.view.print_to)
        dialog.resize(1000, 760)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.printer_ = printer  # type: ignore[attr-defined]  # the dialog only points to it
        self.last_preview = dialog
        dialog.open()  # window-modal, does not block the event loop
        return dialog

    def export_pdf(self, path: str) -> int:
        """A PDF of the article: title and author in its properties, running header and
        page numbers on every page. Returns the number of pages."""
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        art = self.view.article
        if art is None:
            return 0
        writer = QPdfWriter(path)
        writer.setResolution(600)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                         QPageLayout.Orientation.Portrait,
                                         QMarginsF(20, 18, 20, 16),
                                         QPageLayout.Unit.Millimeter))
        meta = PrintMeta.of(art)
        writer.setTitle(art.title)
        writer.setAuthor(art.attribution or meta.yearbook)
        writer.setCreator(f"sipviewer — {art.volume_label}")
        target = Path(path)
        before = target.stat().st_mtime_ns if target.exists() else None
        pages = self.view.print_to(writer, meta)
        del writer  # the file is complete once the writer is gone
        # Qt says nothing when it cannot write: look at the file
        if target.is_file() and target.stat().st_size and target.stat().st_mtime_ns != before:
            self.exported.emit(path)
        else:
            self.export_failed.emit(ExportError(f"{path}: cannot write the PDF here"))
        return pages

    def export_pdf_dialog(self) -> None:
        if self.view.article is None:
            return
        name = f"{self.view.article.title[:30]}.pdf"
        path = save_file_name(self._window, t("导出 PDF"), name, "PDF (*.pdf)")
        if path:
            self.export_pdf(path)
