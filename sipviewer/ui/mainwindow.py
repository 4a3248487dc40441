"""The main window: contents tree, reader, search results, gallery, filters.

Every archive call goes through `self.tasks` (one worker thread). Searches are debounced and
numbered: a result that arrives after a newer search started is dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, QRectF, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QFontMetrics, QIcon, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.errors import SipviewerError
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.types import SearchHit, SearchResults
from sipviewer.ui.common import show_error, t, versions
from sipviewer.ui.filters import FilterChips, FilterPanel, FilterState
from sipviewer.ui.gallery import GalleryView, PhotoDialog, load_thumbnail
from sipviewer.ui.models import (
    KIND_LABELS,
    ContentsModel,
    GalleryModel,
    HitRole,
    IdRole,
    KindRole,
    MetaRole,
    ResultsModel,
    SnippetRole,
    TitleHtmlRole,
)
from sipviewer.ui.reader import ReaderView
from sipviewer.ui.tablewindow import TableWindow
from sipviewer.ui.tasks import ProgressSignal, SyncRunner, TaskRunner

if TYPE_CHECKING:  # the archive module brings SQLAlchemy and Whoosh: not at start-up
    from sipviewer.core.archive import Archive
    from sipviewer.storage.reader import ArchiveReader

SEARCH_DELAY_MS = 250
RESULT_LIMIT = 200


class ResultDelegate(QStyledItemDelegate):
    """A result: kind badge, title, highlighted snippet and a line with volume, date, department."""

    def _doc(self, index: QModelIndex, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(QApplication.font())
        def marked(html: str) -> str:
            return html.replace("<mark>", "<span style='background:#ffe38a'>").replace(
                "</mark>", "</span>")

        snippet = marked(index.data(SnippetRole) or "")
        title = marked(index.data(TitleHtmlRole) or "")
        doc.setHtml(f"<div style='font-weight:600;color:#16324f'>{title}</div>"
                    f"<div style='color:#30363d'>{snippet}</div>"
                    f"<div style='color:#6b7280;font-size:small'>{index.data(MetaRole) or ''}</div>")
        doc.setTextWidth(max(100, width))
        return doc

    def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        opt.text = ""
        opt.icon = QIcon()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon):
            icon.paint(painter, rect.left() + 6, rect.top() + 8, 24, 24)
        doc = self._doc(index, rect.width() - 40)
        painter.save()
        painter.translate(rect.left() + 36, rect.top() + 2)
        doc.drawContents(painter, QRectF(0, 0, rect.width() - 40, rect.height() - 4))
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # type: ignore[no-untyped-def]
        # one fixed height (title, two lines of snippet, the meta line): laying out every
        # row's rich text to measure it would stall the GUI with hundreds of results
        lines = QFontMetrics(option.font).lineSpacing()
        return QSize(option.rect.width() or 400, lines * 4 + 10)


class MainWindow(QMainWindow):
    def __init__(self, archive: Archive | None = None, *, reader: ArchiveReader | None = None,
                 opener: Callable[[], Archive] | None = None,
                 runner: TaskRunner | SyncRunner | None = None,
                 settings: QSettings | None = None, kiosk: bool = False) -> None:
        """A window on ``archive``; or, to start fast, browsing through ``reader`` at once
        while ``opener`` opens the full archive (search, edits) on the worker thread."""
        super().__init__()
        if archive is None and (reader is None or opener is None):
            raise ValueError("MainWindow needs an archive, or a reader and an opener")
        self._archive = archive
        self._opener = opener
        self._open_lock = threading.Lock()
        self.archive_reader: ArchiveReader = (  # browsing: contents, articles, tables, photos
            reader if reader is not None else archive.reader)  # type: ignore[union-attr]
        self.path: Path = self.archive_reader.folder
        self.read_only = archive.read_only if archive is not None else kiosk
        self.kiosk = kiosk
        self.tasks = runner or TaskRunner(self)
        self.tasks.on_error = lambda exc: show_error(self, exc)
        self.thumbs = TaskRunner(self, threads=2) if isinstance(self.tasks, TaskRunner) \
            else self.tasks
        self.settings = settings or QSettings("sipviewer", "sipviewer")
        self._search_generation = 0
        self._gallery_generation = 0
        self._gallery_dirty = True
        self._last_results: SearchResults | None = None
        self._current_article: int | None = None
        self._all_departments: dict[str, int] = {}
        self._open_first = False  # Enter was pressed: open the best hit when it arrives
        self._index_warmed = False
        self._table_windows: list[TableWindow] = []
        self.importing = 0  # imports under way
        self._index_progress = ProgressSignal(self)
        self._index_progress.changed.connect(self._on_index_progress)
        if archive is not None:
            archive.index_progress = self._index_progress.changed.emit
        self.setWindowTitle(f"sipviewer — {self.path.name}")
        self._build()
        self._build_actions()
        from sipviewer.ui.catalogue import install as install_catalogue

        self.catalogue = install_catalogue(self)  # the 编目 mode (not read-only, not kiosk)
        self._restore()
        self.refresh_all()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        bar = QToolBar(t("搜索"))
        bar.setObjectName("searchbar")
        bar.setMovable(False)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(t("搜索全文（Ctrl+F）：园区 经发委、\"自由贸易\"、-疫情、title:自贸"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(420)
        self.search_box.textChanged.connect(self._schedule_search)
        self.search_box.returnPressed.connect(self._open_first_result)
        bar.addWidget(QLabel("  " + t("检索") + "  "))
        bar.addWidget(self.search_box)
        self.match_label = QLabel("")
        bar.addWidget(QLabel("  "))
        bar.addWidget(self.match_label)
        self.addToolBar(bar)

        self.tree_model = ContentsModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.activated.connect(self._on_tree_current)
        self.filters = FilterPanel()
        self.filters.changed.connect(self._on_filters)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(self.tree, t("目录"))
        self.left_tabs.addTab(self.filters, t("筛选"))

        self.reader = ReaderView()
        self.reader.open_table.connect(self.open_table)
        self.reader.open_photo.connect(self.open_photo_by_id)
        self.reader.matches_changed.connect(self._on_matches)

        results_page = QWidget()
        rl = QVBoxLayout(results_page)
        rl.setContentsMargins(4, 4, 4, 4)
        self.results_label = QLabel(t("输入检索词，或在“筛选”中选择条件。"))
        self.results_label.setWordWrap(True)
        self.chips = FilterChips(self.filters)
        self.chips.setVisible(False)
        self.results_model = ResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setUniformItemSizes(True)
        self.results.setAlternatingRowColors(True)
        self.results.activated.connect(self._on_result)
        self.results.clicked.connect(self._on_result)
        rl.addWidget(self.results_label)
        rl.addWidget(self.chips)
        rl.addWidget(self.results, 1)

        self.gallery_model = GalleryModel(self._request_thumbnail, self)
        self.gallery = GalleryView()
        self.gallery.setModel(self.gallery_model)
        self.gallery.activated_photo.connect(self.open_photo_row)
        gallery_page = QWidget()
        gl = QVBoxLayout(gallery_page)
        gl.setContentsMargins(4, 4, 4, 4)
        self.gallery_label = QLabel("")
        gl.addWidget(self.gallery_label)
        gl.addWidget(self.gallery, 1)

        self.center_tabs = QTabWidget()
        self.center_tabs.addTab(self.reader, t("阅读"))
        self.center_tabs.addTab(results_page, t("检索结果"))
        self.center_tabs.addTab(gallery_page, t("图片"))
        self.center_tabs.currentChanged.connect(self._on_center_tab)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_tabs)
        self.splitter.addWidget(self.center_tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 950])
        central = QWidget()
        cl = QHBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.splitter)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        self.timing = QLabel()
        self.statusBar().addPermanentWidget(self.timing)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)

    def _build_actions(self) -> None:
        def action(menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.triggered.connect(slot)
            if menu is not None:
                menu.addAction(a)
            self.addAction(a)
            return a

        file_menu = self.menuBar().addMenu(t("文件"))
        if not self.read_only:
            action(file_menu, t("导入年鉴文本…"), self.import_dialog, QKeySequence("Ctrl+I"))
            action(file_menu, t("导出照片目录…"), self.export_photos_dialog)
            file_menu.addSeparator()
        action(file_menu, t("打印文章…"), self.print_article, QKeySequence.StandardKey.Print)
        action(file_menu, t("导出文章为 PDF…"), self.export_pdf_dialog, QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        action(file_menu, t("退出"), self.close, QKeySequence.StandardKey.Quit)
        view = self.menuBar().addMenu(t("视图"))
        action(view, t("搜索"), self.focus_search, QKeySequence.StandardKey.Find)
        action(view, t("下一处匹配"), self.reader.next_match, QKeySequence(Qt.Key.Key_F3))
        action(view, t("上一处匹配"), self.reader.previous_match, QKeySequence("Shift+F3"))
        view.addSeparator()
        action(view, t("放大文字"), lambda: self.reader.zoom(1), QKeySequence.StandardKey.ZoomIn)
        action(None, t("放大文字"), lambda: self.reader.zoom(1), QKeySequence("Ctrl+="))
        action(view, t("缩小文字"), lambda: self.reader.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        action(view, t("文字原始大小"), lambda: self.reader.zoom(0), QKeySequence("Ctrl+0"))
        view.addSeparator()
        action(view, t("阅读"), lambda: self.center_tabs.setCurrentIndex(0), QKeySequence("Ctrl+1"))
        action(view, t("检索结果"), lambda: self.center_tabs.setCurrentIndex(1),
               QKeySequence("Ctrl+2"))
        action(view, t("图片"), lambda: self.center_tabs.setCurrentIndex(2), QKeySequence("Ctrl+3"))
        action(view, t("目录"), self.focus_tree, QKeySequence("Ctrl+L"))
        help_menu = self.menuBar().addMenu(t("帮助"))
        action(help_menu, t("关于 sipviewer"), self.about)

    # -- settings ----------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.importing and not self.confirm_quit_while_importing():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if self._current_article is not None:
            self.settings.setValue("reader/article", self._current_article)
        self.settings.sync()
        self.tasks.wait(3000)
        if self.thumbs is not self.tasks:
            self.thumbs.wait(3000)
        super().closeEvent(event)

    def confirm_quit_while_importing(self) -> bool:
        """Quitting now drops the import under way (its transaction never commits)."""
        answer = QMessageBox.question(
            self, t("正在导入"),
            t("导入尚未完成。现在退出将放弃这次导入，档案保持导入前的样子。仍要退出吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- the archive -------------------------------------------------------------------------
    @property
    def archive(self) -> Archive:
        """The full archive. A window started from a reader opens it here on first use, which
        is on the worker thread: every caller is a task queued behind the first page."""
        if self._archive is None:
            with self._open_lock:
                if self._archive is None:
                    assert self._opener is not None
                    # SQLAlchemy and the index make many long-lived objects: no collections
                    # over them meanwhile (they stalled the GUI), frozen afterwards
                    with collector_paused(freeze=True):
                        archive = self._opener()
                    archive.index_progress = self._index_progress.changed.emit
                    self._archive = archive
        return self._archive

    def _on_index_progress(self, done: int, total: int, message: str) -> None:
        """A deferred index being checked or rebuilt: say so, searches wait for it."""
        if done >= total:
            self.statusBar().showMessage(t("检索索引已就绪"), 3000)
        elif message == "indexing":
            self.statusBar().showMessage(
                f"{t('正在建立检索索引')} {100 * done // max(total, 1)}%　{t('检索将在完成后进行')}")
        else:
            self.statusBar().showMessage(t("正在准备检索索引…"))

    def close_archive(self) -> None:
        """Close the archive and the reader (after the window closed and its tasks ended)."""
        if self._archive is not None:
            self._archive.close()
        self.archive_reader.close()

    # -- loading ---------------------------------------------------------------------------
    def refresh_all(self) -> None:
        def load():  # type: ignore[no-untyped-def]
            reader = self.archive_reader
            tree = reader.tree()
            depts = {d.name: d.records for d in reader.departments() if d.records}
            volumes = [node.volume for node in tree]  # the tree carries them with their counts
            stats = {"volumes": len(volumes), "articles": sum(v.articles for v in volumes),
                     "photos": sum(v.photos for v in volumes),
                     "tables": sum(v.tables for v in volumes)}
            return tree, ContentsModel.build_root(tree), volumes, stats, depts

        self.tasks.run(load, self._on_loaded)

    def _on_loaded(self, result) -> None:  # type: ignore[no-untyped-def]
        tree, root, volumes, stats, depts = result
        self.tree_model.set_root(root)
        self._all_departments = depts
        self.tree.expandToDepth(0)
        self.filters.set_volumes(volumes)
        self.status.setText(
            f"{self.path}　·　{stats['volumes']} {t('卷')}　{stats['articles']} "
            f"{t('篇文章')}　{stats['photos']} {t('张照片')}　{stats['tables']} {t('张表格')}"
            + (f"　·　{t('只读')}" if self.read_only else ""))
        self._gallery_dirty = True
        last = self.settings.value("reader/article")
        first = self._first_article(tree)
        target = int(last) if last not in (None, "") else first
        if target is not None:
            idx = self.tree_model.find("article", target)
            if not idx.isValid() and first is not None:
                idx = self.tree_model.find("article", first)
            if idx.isValid():
                self.tree.setCurrentIndex(idx)
        self.run_search()  # with no words and no filters this only shows the hint
        if target is None:
            self._warm_index()

    def _warm_index(self) -> None:
        """Once the first page is on screen, open the full archive (when the window started
        from a reader) and its deferred search index in the background."""
        if not self._index_warmed:
            self._index_warmed = True
            self.tasks.run(lambda: self.archive.index, lambda _: None)

    @staticmethod
    def _first_article(tree) -> int | None:  # type: ignore[no-untyped-def]
        for vol in tree:
            for sec in vol.sections:
                for art in sec.articles:
                    return art.id
        return None

    # -- reading -----------------------------------------------------------------------------
    def _on_tree_current(self, index: QModelIndex, *_: object) -> None:
        if index.isValid() and index.data(KindRole) == "article":
            self.open_article(index.data(IdRole), self._terms())

    def open_article(self, article_id: int, terms: list[str] | None = None,
                     then=None) -> None:  # type: ignore[no-untyped-def]
        def done(art) -> None:  # type: ignore[no-untyped-def]
            self._current_article = art.id
            self.reader.show_article(art, terms or [])
            self.setWindowTitle(f"{art.title} — sipviewer")
            if then is not None:
                then(art)
            QTimer.singleShot(0, self._warm_index)

        self.tasks.run(lambda: self.archive_reader.article(article_id), done)

    def _terms(self) -> list[str]:
        return list(self._last_results.terms) if self._last_results else []

    def open_table(self, table_id: int) -> None:
        def done(table) -> None:  # type: ignore[no-untyped-def]
            win = TableWindow(table, self)
            self._table_windows = [w for w in self._table_windows if w.isVisible()] + [win]
            win.show()

        self.tasks.run(lambda: self.archive_reader.table(table_id), done)

    def open_photo_by_id(self, photo_id: int) -> None:
        def done(photo) -> None:  # type: ignore[no-untyped-def]
            PhotoDialog([photo], 0, self).exec() if not self._testing() else None

        self.tasks.run(lambda: self.archive_reader.photo(photo_id), done)

    def open_photo_row(self, row: int) -> None:
        photos = self.gallery_model.photos
        if 0 <= row < len(photos):
            dialog = PhotoDialog(photos, row, self)
            if self._testing():
                dialog.show()
                self._last_dialog = dialog
            else:
                dialog.exec()

    def _testing(self) -> bool:
        return bool(QApplication.instance().property("sipviewer_testing"))  # type: ignore[union-attr]

    def _on_matches(self, current: int, total: int) -> None:
        self.match_label.setText(f"{t('匹配')} {current}/{total}　F3 / Shift+F3" if total else "")

    # -- searching ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def focus_tree(self) -> None:
        self.left_tabs.setCurrentIndex(0)
        self.tree.setFocus()

    def _schedule_search(self, *_: object) -> None:
        self._search_timer.start()
        if self.search_box.text().strip() and self.center_tabs.currentIndex() == 0:
            self.center_tabs.setCurrentIndex(1)  # from the reader to the results; the
            # gallery stays the gallery

    def _on_filters(self) -> None:
        self._gallery_dirty = True
        if self.center_tabs.currentIndex() == 0:  # show what the filters select
            self.center_tabs.setCurrentIndex(1)
        self._schedule_search()

    def current_filters(self) -> FilterState:
        return self.filters.state()

    def run_search(self) -> None:
        """Search now (the debounce timer calls this); older results will be dropped."""
        self._search_timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        query = self.search_box.text()
        state = self.current_filters()
        label = self.filters.volume.currentText() if state.volume is not None else None
        self.chips.update_chips(state, label)
        started = time.perf_counter()
        if not query.strip() and state.is_empty:  # nothing asked: no need to list everything
            self._last_results = None
            self.results_model.set_hits([])
            self.results_label.setText(t("输入检索词，或在“筛选”中选择条件。"))
            self.filters.set_department_counts(self._all_departments)
            self.reader.set_terms([])
            self._gallery_dirty = True
            if self.center_tabs.currentIndex() == 2:
                self.refresh_gallery()
            return

        def work() -> SearchResults:
            filters = self.archive.make_filters(
                date_from=state.date_from or None, date_to=state.date_to or None,
                departments=state.departments, kinds=state.kinds,
                volumes=[state.volume] if state.volume is not None else ())
            return self.archive.search(query, filters, limit=RESULT_LIMIT)

        def done(results: SearchResults) -> None:
            if generation != self._search_generation:
                return  # a newer search has started: this one is stale
            self._show_results(results, query, (time.perf_counter() - started) * 1000)

        def failed(exc: BaseException) -> None:
            if generation != self._search_generation:
                return
            if isinstance(exc, SipviewerError):
                self.results_label.setText(f"<span style='color:#b42318'>{exc}</span>")
                self.results_model.set_hits([])
            else:
                show_error(self, exc)

        self.tasks.run(work, done, failed)
        if self.center_tabs.currentIndex() == 2:
            self._gallery_dirty = True
            self.refresh_gallery()
        else:
            self._gallery_dirty = True

    def _show_results(self, results: SearchResults, query: str, elapsed_ms: float) -> None:
        self._last_results = results
        self.results_model.set_hits(list(results.hits), results.terms)
        kinds = "　".join(f"{t(KIND_LABELS[k])} {n}" for k, n in results.facets["kind"].items())
        years = results.facets["year"]
        year_text = ""
        if years:
            ys = sorted(years)
            year_text = f"　·　{ys[0]}–{ys[-1]}" if len(ys) > 1 else f"　·　{ys[0]}"
        shown = f"（{t('显示前')} {len(results.hits)}）" if results.total > len(results.hits) else ""
        if not query.strip() and self.current_filters().is_empty:
            self.results_label.setText(t("输入检索词，或在“筛选”中选择条件。") + f"　{t('共')} "
                                       f"{results.total} {t('条')}")
        else:
            self.results_label.setText(f"<b>{t('共')} {results.total} {t('条')}</b>{shown}"
                                       f"　{kinds}{year_text}")
        self.filters.set_department_counts(results.facets["department"])
        self.timing.setText(f"{t('检索')} {elapsed_ms:.0f} ms")
        if self._open_first and self.results_model.rowCount():
            self._open_first = False
            self.results.setCurrentIndex(self.results_model.index(0))
            self._on_result(self.results_model.index(0))
        elif self._current_article is not None and self.reader.article is not None:
            self.reader.set_terms(list(results.terms))

    def _open_first_result(self) -> None:
        """Enter in the search box: search now and open the best hit when it arrives."""
        self._open_first = True
        self.run_search()

    def _on_result(self, index: QModelIndex) -> None:
        hit: SearchHit | None = index.data(HitRole)
        if hit is None:
            return
        terms = self._terms()
        self.center_tabs.setCurrentIndex(0)
        if hit.kind == "table":
            self.open_article(hit.article_id, terms, then=lambda art: self.open_table(hit.id))
        else:
            self.open_article(hit.article_id, terms)
        idx = self.tree_model.find("article", hit.article_id)
        if idx.isValid():
            self.tree.blockSignals(True)
            self.tree.setCurrentIndex(idx)
            self.tree.blockSignals(False)

    # -- gallery -----------------------------------------------------------------------------
    def _on_center_tab(self, index: int) -> None:
        if index == 2 and self._gallery_dirty:
            self.refresh_gallery()

    def refresh_gallery(self) -> None:
        self._gallery_dirty = False
        self._gallery_generation += 1
        generation = self._gallery_generation
        query = self.search_box.text()
        state = self.current_filters()

        def work():  # type: ignore[no-untyped-def]
            filters = self.archive.make_filters(
                date_from=state.date_from or None, date_to=state.date_to or None,
                departments=state.departments, kinds=["photo"],
                volumes=[state.volume] if state.volume is not None else ())
            return self.archive.photos_matching(query, filters)

        def done(photos) -> None:  # type: ignore[no-untyped-def]
            if generation == self._gallery_generation:
                self.gallery_model.set_photos(photos)
                self.gallery_label.setText(f"{t('共')} {len(photos)} {t('张照片')}")

        self.tasks.run(work, done, lambda exc: self.gallery_label.setText(str(exc)))

    def _request_thumbnail(self, photo) -> None:  # type: ignore[no-untyped-def]
        cache = self.path / "thumbnails"
        self.thumbs.run(lambda: load_thumbnail(photo.image_path, cache),
                        lambda image: self.gallery_model.set_thumbnail(photo.id, image),
                        lambda exc: None)

    # -- files -------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, t("导入年鉴文本"), "",
                                                t("文本文件 (*.txt);;所有文件 (*)"))
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        self.statusBar().showMessage(t("正在导入…"))
        self.importing += 1

        def done(outcomes) -> None:  # type: ignore[no-untyped-def]
            self.importing -= 1
            lines = [f"{Path(o.path).name}: {o.status}" for o in outcomes]
            self.statusBar().showMessage("；".join(lines), 8000)
            self.refresh_all()

        def failed(exc: BaseException) -> None:
            self.importing -= 1
            self.statusBar().clearMessage()
            show_error(self, exc, t("导入失败，档案未作任何改动"))

        self.tasks.run(lambda: self.archive.import_files(paths), done, failed)

    def export_photos_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, t("导出照片目录"), "photos.csv", "CSV (*.csv)")
        if not path:
            return
        from sipviewer.cli import main as cli_main

        self.tasks.run(lambda: cli_main(["export", "photos", "--archive", str(self.path),
                                         "-o", path]),
                       lambda code: self.statusBar().showMessage(t("已导出：") + path, 6000))

    def print_article(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            self.reader.print_to(printer)

    def export_pdf(self, path: str) -> None:
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        self.reader.print_to(printer)

    def export_pdf_dialog(self) -> None:
        if self.reader.article is None:
            return
        name = f"{self.reader.article.title[:30]}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, t("导出 PDF"), name, "PDF (*.pdf)")
        if path:
            self.export_pdf(path)
            self.statusBar().showMessage(t("已导出：") + path, 6000)

    def about(self) -> None:
        QMessageBox.about(self, t("关于 sipviewer"),
                          f"<b>sipviewer</b><br>{t('地方年鉴档案离线阅读与编目工具')}<br><br>"
                          f"{versions()}<br><br>{t('中文字体：Noto Sans CJK SC（SIL OFL 1.1）')}")
