"""The main window: lays out the parts and wires their signals; it holds no logic of its own.

Parts (each one job, each testable alone with an `ArchiveSession`):
- `session` (ui/session.py): the archive handle: browse view, full archive, background tasks;
- `contents` (ui/contents.py): the contents tree;
- `filtering` (ui/filters.py, `FilterController`): filter panel, chips, department counts;
- `search` (ui/searchpanel.py): search box, results list, debounced newest-wins searches;
- `reading` (ui/readerpane.py): the article view, its tables, photos, printing, PDF;
- `photos` (ui/gallerypane.py): the photo gallery and the photo catalogue export;
- `files` (ui/fileactions.py): import, export reporting, the question on quitting mid-import.

Where to hook in:
- A new tab in the middle (a mode: timeline, catalogue): build a part that takes the
  session and the window (``Part(self.session, self)``), then
  ``self.add_center_tab(part.page, title, "Ctrl+4")`` (the title through `t()`); react to `on_center_tab` if it
  loads lazily (as the gallery does). A new panel on the left: `add_left_tab`. A part the
  first frame does not show goes in a `LazyPage` (ui/lazypage.py), built when its tab is
  first shown or the part is asked for: as the 大事记 timeline, 编目 and the filter panel are.
- A menu entry: ``self.add_action(self.menus["file"], text, slot, shortcut)``.
- Archive work, never on the GUI thread: reads with ``self.session.read(fn, done, failed)``
  (or ``session.latest(key, fn)`` when a newer read supersedes an older one: it gets a
  `CancelToken`); every change with ``self.session.write(fn, done, failed)`` on the one
  writer, ``fn`` returning an `OpResult` (see sipviewer.core.ops) whose `OpChanges` reach
  `apply_changes` and ``session.changed``: connect a part to that to refresh from a change.
- A kiosk or other window variant: subclass and override `_build_actions`, or pass
  ``kiosk=True`` (read-only: no import or export offered).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from sipviewer.core.browse import Browse
from sipviewer.model.ops import OpChanges
from sipviewer.model.types import ArticleView, SearchHit, SearchResults
from sipviewer.ui.common import (
    plural,
    show_error,
    t,
    versions,
)
from sipviewer.ui.contents import Contents, ContentsPane
from sipviewer.ui.fileactions import FileActions
from sipviewer.ui.filters import FilterController
from sipviewer.ui.firstread import FirstRead, saved_article
from sipviewer.ui.gallerypane import GalleryPane
from sipviewer.ui.lazypage import LazyPage
from sipviewer.ui.readerpane import ReaderPane
from sipviewer.ui.searchpanel import SearchPanel
from sipviewer.ui.session import ArchiveSession
from sipviewer.ui.tasks import SyncTasks, Tasks

if TYPE_CHECKING:  # the archive module brings SQLAlchemy and Whoosh: not at start-up
    from sipviewer.core.archive import Archive
    from sipviewer.ui.catalogue import CatalogueWidget
    from sipviewer.ui.timeline import TimelinePart

READER_TAB, RESULTS_TAB, GALLERY_TAB = 0, 1, 2
LEFT_SHARE = 0.26  # of the window's width for the contents and filters (kept on resizing)
# a clearly visible focus ring on the views one moves between with the keyboard
FOCUS_CSS = ("QTreeView:focus, QListView:focus, QTextBrowser:focus, QLineEdit:focus,"
             " QComboBox:focus { border: 2px solid #1f6feb; border-radius: 3px; }")

WARM_AT_LATEST_MS = 1000  # the full archive opens this long after the first article at most


class _WindowKeys(QObject):
    """Lets the window's own shortcuts through a line edit that would take them for
    editing (Ctrl+E is "end of line" in a QLineEdit on Linux)."""

    def __init__(self, keys: list[QKeySequence], parent: QObject) -> None:
        super().__init__(parent)
        self.keys = keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            combo = QKeySequence(event.keyCombination())  # type: ignore[attr-defined]
            if any(combo.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in self.keys):
                return True  # not accepted: the shortcut goes to the window's action
        return False


class MainWindow(QMainWindow):
    def __init__(self, archive: Archive | None = None, *, reader: Browse | None = None,
                 opener: Callable[[], Archive] | None = None,
                 runner: Tasks | SyncTasks | None = None,
                 settings: QSettings | None = None, kiosk: bool = False,
                 first_read: FirstRead | None = None) -> None:
        """A window on ``archive``; or, to start fast, browsing through ``reader`` at once
        while ``opener`` opens the full archive (search, edits) on a worker. ``first_read``:
        the contents read already started on ``runner`` (see `FirstRead`)."""
        super().__init__()
        self.session = ArchiveSession(archive, reader=reader, opener=opener, runner=runner,
                                      kiosk=kiosk, parent=self)
        self.session.set_error_handler(lambda exc: show_error(self, exc))
        self.session.index_progress.connect(self._on_index_progress)
        self.session.changed.connect(self.apply_changes)
        self.read_only = self.session.read_only
        self.kiosk = kiosk
        self.settings = settings or QSettings("sipviewer", "sipviewer")
        self._index_warmed = False
        self.chronologies: list[int] = []  # the 大事记 sections, in the contents' order
        self.tab_actions: dict[int, QAction] = {}  # a center tab's shortcut action
        self.setWindowTitle(f"sipviewer — {self.session.path.name}")
        self._build(first_read)
        self._build_actions()
        self._build_timeline()
        self._build_catalogue()
        self._restore()
        if first_read is None:
            self.contents.release()  # the contents read at once in `_build` (and the article)
        # else as the window is first shown (`showEvent`): its parts have their sizes then,
        # and the article is laid out once, at its width, before the first paint

    # -- layout ------------------------------------------------------------------------------
    def _build(self, first_read: FirstRead | None = None) -> None:
        self.contents = ContentsPane(self.session, self)
        self.contents.hold()  # read now, while the rest is built; shown when all is there
        self.contents.refresh(self._saved_article(), first=True, started=first_read)
        self.filtering = FilterController(self)
        self.search = SearchPanel(self.session, self.filtering, self)
        self.reading = ReaderPane(self.session, self)
        self.photos = GalleryPane(self.session, self)
        self.files = FileActions(self.session, self.photos, self)

        bar = QToolBar(t("搜索"))
        bar.setObjectName("searchbar")
        bar.setMovable(False)
        bar.addWidget(QLabel("  " + t("检索") + "  "))
        bar.addWidget(self.search.box)
        bar.addWidget(QLabel("  "))
        bar.addWidget(self.search.sort_box)
        bar.addWidget(QLabel("  "))
        bar.addWidget(self.reading.match_label)
        self.addToolBar(bar)

        self.left_tabs = QTabWidget()
        self.add_left_tab(self.contents.view, t("目录"))
        self.add_left_tab(self.filtering.page, t("筛选"))  # the panel is built when shown
        self.center_tabs = QTabWidget()
        self.center_tabs.addTab(self.reading.view, t("阅读"))
        self.center_tabs.addTab(self.search.page, t("检索结果"))
        self.center_tabs.addTab(self.photos.page, t("图片"))
        self.left_tabs.currentChanged.connect(lambda i: self._build_page(i, self.left_tabs))
        self.center_tabs.currentChanged.connect(self._build_page)
        self.center_tabs.currentChanged.connect(self.on_center_tab)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_tabs)
        self.splitter.addWidget(self.center_tabs)
        # growth is shared in proportion, so the left pane follows the window's width
        self.splitter.setStretchFactor(0, 26)
        self.splitter.setStretchFactor(1, 74)
        self.splitter.setSizes([round(1280 * LEFT_SHARE), round(1280 * (1 - LEFT_SHARE))])
        self.setStyleSheet(FOCUS_CSS)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.search.timing)
        # a message shown for a while takes the place of the counts (never drawn over them)
        self.statusBar().messageChanged.connect(lambda text: self.status.setVisible(not text))

        self.contents.loaded.connect(self._on_loaded)
        self.contents.departments_read.connect(self.filtering.set_departments)
        self.contents.article_chosen.connect(
            lambda article_id: self.reading.open_article(article_id, self.search.terms))
        self.filtering.changed.connect(self._on_filters)
        self.search.asked.connect(self._show_results_tab)
        self.search.results_changed.connect(self._on_results)
        self.search.searching.connect(self.photos.set_query)
        self.search.hit_activated.connect(self.open_hit)
        self.search.sort_changed.connect(self.photos.set_sort)
        self.photos.show_results.connect(lambda: self.show_tab(RESULTS_TAB))
        self.reading.article_opened.connect(self._on_article_opened)
        self.reading.export_failed.connect(self.files.export_failed)
        # the parser's doubts about an import, a click away
        self.files.imported.connect(lambda outcomes: self.uncertain_button().show_outcomes(outcomes))
        self.reading.exported.connect(
            lambda path: self.statusBar().showMessage(t("已导出：") + path, 6000))

    def _build_timeline(self) -> None:
        """大事记 sections open as a timeline tab; event hits open it at the event. The part
        is built when first shown or asked for (`timeline`): the first frame does without."""
        self.timeline_page = LazyPage(self._make_timeline)
        self.timeline_tab = self.add_center_tab(self.timeline_page, t("大事记"), "Ctrl+4")
        self.contents.section_chosen.connect(lambda section: self.timeline.open_section(section))

    def _make_timeline(self, page: LazyPage) -> TimelinePart:
        from sipviewer.ui.timeline import TimelinePart

        part = TimelinePart(self.session, self)
        page.box.addWidget(part.page)
        part.opened.connect(self._timeline_opened)
        return part

    @property
    def timeline(self) -> TimelinePart:
        return self.timeline_page.part()  # type: ignore[no-any-return]

    def _build_catalogue(self) -> None:
        """The 编目 mode (not read-only, not kiosk), built when first shown or asked for."""
        self.catalogue_page: LazyPage | None = None
        if not (self.read_only or self.kiosk):
            self.catalogue_page = LazyPage(self._make_catalogue)
            self.add_center_tab(self.catalogue_page, t("编目"), "Ctrl+5")

    def _make_catalogue(self, page: LazyPage) -> CatalogueWidget | None:
        from sipviewer.ui.catalogue import install

        return install(self, page)

    @property
    def catalogue(self) -> CatalogueWidget | None:
        return self.catalogue_page.part() if self.catalogue_page is not None else None

    def _timeline_opened(self, section_id: int) -> None:
        self.center_tabs.setCurrentIndex(self.timeline_tab)
        self.contents.select(section_id, quiet=True, kind="section")

    def _build_page(self, index: int, tabs: QTabWidget | None = None) -> None:
        """A tab built on first use (`LazyPage`) is built as it is shown."""
        page = (tabs or self.center_tabs).widget(index)
        if isinstance(page, LazyPage):
            page.part()

    def add_left_tab(self, widget: QWidget, title: str) -> int:
        return self.left_tabs.addTab(widget, title)

    def add_center_tab(self, widget: QWidget, title: str, shortcut: str | None = None) -> int:
        index = self.center_tabs.addTab(widget, title)
        if shortcut:
            self.tab_actions[index] = self.add_action(
                self.menus["view"], title, lambda: self.center_tabs.setCurrentIndex(index),
                QKeySequence(shortcut))
        return index

    def show_center_tab(self, index: int, shown: bool) -> None:
        """A mode with nothing to show (no chronology in the archive) hides its tab and
        disables its shortcut; a hidden current tab gives way to the reader."""
        self.center_tabs.setTabVisible(index, shown)
        if index in self.tab_actions:
            self.tab_actions[index].setEnabled(shown)
        if not shown and self.center_tabs.currentIndex() == index:
            self.center_tabs.setCurrentIndex(READER_TAB)

    def add_action(self, menu: QMenu | None, text: str, slot: Callable[[], object],
                   shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        action, view = self.add_action, self.reading.view
        self.menus = {"file": self.menuBar().addMenu(t("文件")),
                      "view": self.menuBar().addMenu(t("视图"))}
        file_menu, view_menu = self.menus["file"], self.menus["view"]
        if not self.read_only:
            action(file_menu, t("导入年鉴文本…"), self.files.import_dialog, QKeySequence("Ctrl+I"))
            action(file_menu, t("导出照片目录…"), self.files.export_photos_dialog)
            file_menu.addSeparator()
        action(file_menu, t("打印预览…"), self.reading.print_preview, QKeySequence("Ctrl+Shift+P"))
        action(file_menu, t("打印文章…"), self.reading.print_article, QKeySequence.StandardKey.Print)
        action(file_menu, t("导出文章为 PDF…"), self.reading.export_pdf_dialog,
               QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        action(file_menu, t("退出"), self.close, QKeySequence.StandardKey.Quit)
        action(view_menu, t("搜索"), self.search.focus, QKeySequence.StandardKey.Find)
        action(view_menu, t("下一处匹配"), view.next_match, QKeySequence(Qt.Key.Key_F3))
        action(view_menu, t("上一处匹配"), view.previous_match, QKeySequence("Shift+F3"))
        view_menu.addSeparator()
        action(view_menu, t("放大文字"), lambda: view.zoom(1), QKeySequence.StandardKey.ZoomIn)
        action(None, t("放大文字"), lambda: view.zoom(1), QKeySequence("Ctrl+="))
        action(view_menu, t("缩小文字"), lambda: view.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        action(view_menu, t("文字原始大小"), lambda: view.zoom(0), QKeySequence("Ctrl+0"))
        view_menu.addSeparator()
        for index, title, key in ((READER_TAB, "阅读", "Ctrl+1"), (RESULTS_TAB, "检索结果", "Ctrl+2"),
                                  (GALLERY_TAB, "图片", "Ctrl+3")):
            action(view_menu, t(title), self._tab_shower(index), QKeySequence(key))
        action(view_menu, t("目录"), self.focus_tree, QKeySequence("Ctrl+L"))
        self.menus["help"] = self.menuBar().addMenu(t("帮助"))
        action(self.menus["help"], t("关于 sipviewer"), self.about)
        # the search box would take Ctrl+E (end of line) and such for itself
        keys = [a.shortcut() for a in self.actions() if not a.shortcut().isEmpty()
                and a.shortcut().matches(QKeySequence("Ctrl+E")) == QKeySequence.SequenceMatch.ExactMatch]
        self.search.box.installEventFilter(_WindowKeys(keys, self))

    def _tab_shower(self, index: int) -> Callable[[], None]:
        return lambda: self.show_tab(index)

    def show_tab(self, index: int) -> None:
        """A tab in the middle, with the keyboard focus in it (Enter then opens what is
        current there: the photo in the gallery, the hit in the results)."""
        self.center_tabs.setCurrentIndex(index)
        page = self.center_tabs.widget(index)
        views = {READER_TAB: self.reading.view, RESULTS_TAB: self.search.view,
                 GALLERY_TAB: self.photos.view}
        view: Any = views.get(index, page)
        model = view.model() if hasattr(view, "model") and callable(view.model) else None
        if model is not None and not view.currentIndex().isValid() and model.rowCount():
            view.setCurrentIndex(model.index(0, 0))
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self.contents.holding:
            self.contents.release()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Before the user moves the splitter, the left pane keeps its share of the width."""
        super().resizeEvent(event)
        if not self._splitter_moved:
            width = self.splitter.width()
            self.splitter.setSizes([round(width * LEFT_SHARE), round(width * (1 - LEFT_SHARE))])

    # -- settings and closing ----------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.value("window/splitter")
        self._splitter_moved = False
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(splitter)
            self._splitter_moved = True
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "_splitter_moved", True))

    def closeEvent(self, event) -> None:
        if self.files.importing and not self.files.confirm_quit_while_importing():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if self.reading.current_article is not None:
            self.settings.setValue("reader/article", self.reading.current_article)
        self.settings.sync()
        self.session.cancel_reads()
        self.session.wait(3000)
        super().closeEvent(event)

    def close_archive(self) -> None:
        """Close the archive and the browse view (after the window closed and its tasks ended)."""
        self.session.close()

    def _on_index_progress(self, done: int, total: int, message: str) -> None:
        """A deferred index being checked or rebuilt: say so, searches wait for it."""
        if done >= total:
            self.statusBar().showMessage(t("检索索引已就绪"), 3000)
        elif message == "indexing":
            self.statusBar().showMessage(
                f"{t('正在建立检索索引')} {100 * done // max(total, 1)}%　{t('检索将在完成后进行')}")
        else:
            self.statusBar().showMessage(t("正在准备检索索引…"))

    # -- wiring the parts --------------------------------------------------------------------
    def refresh_all(self) -> None:
        """Reload the contents (and with them the filters and the results)."""
        self.contents.refresh(self._article_to_show())

    def _article_to_show(self) -> int | None:
        """The article being read, else the one read when the window last closed."""
        last = self.reading.current_article
        return last if last is not None else self._saved_article()

    def _saved_article(self) -> int | None:
        return saved_article(self.settings)

    def apply_changes(self, changes: OpChanges) -> None:
        """A write finished: refresh what it touched (and nothing else)."""
        self.photos.keep_shown = bool(changes.volumes_added) and not (
            changes.volumes_removed or changes.photos)
        if changes.volumes_added and not changes.volumes_removed:
            self.contents.add_volumes(changes.volumes_added)  # their rows only, then as below
        elif changes.contents:
            self.refresh_all()  # the contents, then the filters and the results
        elif changes.search:
            self.search.run()  # the results (and the gallery) may differ
        article = self.reading.view.article
        if article is not None and any(p.id in changes.photos for p in article.photos):
            self.reading.open_article(article.id, self.search.terms)

    def _on_loaded(self, contents: Contents) -> None:
        stats = contents.stats
        self.filtering.set_archive(contents.volumes, contents.departments)
        self.chronologies = [sec.id for vol in contents.tree for sec in vol.sections if sec.events]
        self.show_center_tab(self.timeline_tab, bool(self.chronologies))
        counts = [plural(stats["volumes"], t("卷"), "volume", "volumes"),
                  plural(stats["articles"], t("篇文章"), "article", "articles"),
                  plural(stats["photos"], t("张照片"), "photo", "photos"),
                  plural(stats["tables"], t("张表格"), "table", "tables")]
        self.status.setText(f"{self.session.path}　·　" + "　".join(counts)
                            + (f"　·　{t('只读')}" if self.read_only else ""))
        if contents.added:  # rows inserted: the current article and its place stay
            self.search.run()
            return
        first = contents.first_article  # (a reload keeps the article being read)
        target = self._article_to_show() or first
        art = contents.article  # read with the contents: shown at once
        if art is not None and self.contents.select(art.id, quiet=True):
            # the window's first article: what fills the view in the first frame
            self.reading.show(art, self.search.terms, screenful=not self._index_warmed)
        elif target is not None and not self.contents.select(target) and first is not None:
            self.contents.select(first)
        self.search.run()  # with no words and no filters this only shows the hint
        if target is None:
            self._warm_index()

    def _warm_index(self) -> None:
        """Once the first page is on screen, read what its first frame did without (the
        departments' counts), and open the full archive (when the window started from a
        reader) and its deferred search index in the background."""
        self.contents.read_extras()  # what the first frame did without
        if not self._index_warmed:
            self._index_warmed = True
            session = self.session  # opening the index may rebuild it: a write

            def years(_: object) -> None:  # then the whole archive's years (the histogram)
                session.read(lambda: session.archive.search("", None, limit=1).facets,
                             self.filtering.set_archive_years)

            session.write(lambda: session.archive.index, years)

    def _on_article_opened(self, art: ArticleView) -> None:
        self.setWindowTitle(f"{art.title} — sipviewer")
        if not self._index_warmed:
            # after the article's first frame (its work would hold the interpreter lock the
            # GUI thread needs to show it), or soon anyway when the reader is not on screen
            self.reading.view.when_painted(self._warm_index)
            QTimer.singleShot(WARM_AT_LATEST_MS, self._warm_index)

    def _show_results_tab(self) -> None:
        if self.center_tabs.currentIndex() in (READER_TAB, self.timeline_tab):
            self.center_tabs.setCurrentIndex(RESULTS_TAB)  # the gallery stays the gallery

    def _on_filters(self) -> None:
        self._show_results_tab()  # show what the filters select
        self.search.schedule()

    def _on_results(self, results: SearchResults | None) -> None:
        self.filtering.show_counts(results.facets["department"] if results else None)
        self.filtering.show_years(results.facets if results else None)
        self.photos.set_other_counts(results.facets["kind"] if results else {})
        self.reading.set_terms(list(results.terms) if results else [])

    def on_center_tab(self, index: int) -> None:
        self.photos.set_visible(index == GALLERY_TAB)
        if index != READER_TAB and self.reading.view.article is not None:
            self._warm_index()  # the reader, put away, will not paint its article now
        if index == getattr(self, "timeline_tab", None) and self.timeline.section_id is None \
                and self.chronologies:  # none chosen yet: the first 大事记 of the contents
            self.timeline.open_section(self.chronologies[0])

    def open_hit(self, hit: SearchHit) -> None:
        """Open a search hit: its article (a table hit opens its table too; an event, the
        timeline at the event)."""
        if hit.kind == "event":
            self.timeline.open_event(hit.id, self.search.terms)
            return
        terms = self.search.terms
        self.center_tabs.setCurrentIndex(READER_TAB)
        def open_table(art: ArticleView) -> None:
            self.reading.open_table(hit.id)

        self.reading.open_article(hit.article_id, terms,
                                  then=open_table if hit.kind == "table" else None)
        self.contents.select(hit.article_id, quiet=True)

    def focus_tree(self) -> None:
        self.left_tabs.setCurrentIndex(0)
        self.contents.view.setFocus()

    def uncertain_button(self):  # type: ignore[no-untyped-def]
        if not hasattr(self, "_uncertain"):
            from sipviewer.ui.importreport import UncertainButton

            self._uncertain = UncertainButton(self)
            # no taller than the counts: a taller status bar shrank the whole window's middle,
            # which then laid out and painted everything again (a stall after the first import)
            self._uncertain.setMaximumHeight(self.status.sizeHint().height())
            self._uncertain.open_place.connect(self.open_place)
            self.statusBar().addPermanentWidget(self._uncertain)
        return self._uncertain

    def open_place(self, volume_id: int, page: int, kind: str, text: str = "") -> None:
        """An item of the import check list: the article on its page (an event: the 大事记)."""
        from sipviewer.ui.importreport import find_place

        browse = self.session.browse

        def done(place: tuple[str, int] | None) -> None:
            if place is None:
                self.statusBar().showMessage(t("这一卷已不在档案中"), 6000)
            elif place[0] == "section":
                self.timeline.open_section(place[1])
            else:
                self.center_tabs.setCurrentIndex(READER_TAB)
                self.reading.open_article(place[1], self.search.terms)
                self.contents.select(place[1], quiet=True)

        self.session.read(lambda: find_place(browse, volume_id, page, kind, text), done)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, t("关于 sipviewer"),
                          f"<b>sipviewer</b><br>{t('地方年鉴档案离线阅读与编目工具')}<br><br>"
                          f"{versions()}<br><br>{t('中文字体：Noto Sans CJK SC（SIL OFL 1.1）')}")
