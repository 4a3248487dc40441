"""The search part of the window: the search box, the results list, and each search's life.

Typing starts a debounced search; Enter searches at once and opens the best hit. Searches are
numbered and a result that arrives after a newer search started is dropped. The panel says
what happened through signals and never reaches into other parts:
`hit_activated(SearchHit)` when the user opens a result, `results_changed(results | None)`
when a search finished (None: nothing is asked, the hint is shown), `searching(query, state)`
when one starts, `asked()` when the user typed something (the window shows the results tab).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QIcon, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.errors import SipviewerError
from sipviewer.model.types import SearchHit, SearchResults
from sipviewer.ui.common import show_error, t
from sipviewer.ui.filters import FilterController, FilterState
from sipviewer.ui.models import KIND_LABELS, HitRole, MetaRole, ResultsModel, SnippetRole, TitleHtmlRole
from sipviewer.ui.session import ArchiveSession

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


class SearchPanel(QObject):
    """Search box (`box`, for the tool bar), results page (`page`) and the search lifecycle."""

    hit_activated = Signal(object)  # SearchHit
    results_changed = Signal(object)  # SearchResults | None
    asked = Signal()  # the user typed a query
    searching = Signal(str, object)  # a search (query, FilterState) starts

    def __init__(self, session: ArchiveSession, filters: FilterController,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.filters = filters
        self._window = parent
        self.generation = 0
        self.last_results: SearchResults | None = None
        self._open_first = False  # Enter was pressed: open the best hit when it arrives

        self.box = QLineEdit()
        self.box.setPlaceholderText(t("搜索全文（Ctrl+F）：园区 经发委、\"自由贸易\"、-疫情、title:自贸"))
        self.box.setClearButtonEnabled(True)
        self.box.setMinimumWidth(420)
        self.box.textChanged.connect(self._on_text)
        self.box.returnPressed.connect(self.open_first_result)

        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(4, 4, 4, 4)
        self.label = QLabel(t("输入检索词，或在“筛选”中选择条件。"))
        self.label.setWordWrap(True)
        self.model = ResultsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(ResultDelegate(self.view))
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(True)
        self.view.activated.connect(self.activate)
        self.view.clicked.connect(self.activate)
        layout.addWidget(self.label)
        layout.addWidget(filters.chips)
        layout.addWidget(self.view, 1)
        self.timing = QLabel()  # for the status bar

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run)

    @property
    def terms(self) -> list[str]:
        """The normalised terms of the results shown (the reader marks them)."""
        return list(self.last_results.terms) if self.last_results else []

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def schedule(self) -> None:
        """Search after the debounce delay (typing, a filter changed)."""
        self.timer.start()

    def _on_text(self, *_: object) -> None:
        self.schedule()
        if self.box.text().strip():
            self.asked.emit()

    def run(self) -> None:
        """Search now (the debounce timer calls this); older results will be dropped."""
        self.timer.stop()
        self.generation += 1
        generation = self.generation
        query = self.box.text()
        state = self.filters.state()
        self.filters.update_chips()
        started = time.perf_counter()
        self.searching.emit(query, state)
        if not query.strip() and state.is_empty:  # nothing asked: no need to list everything
            self.last_results = None
            self.model.set_hits([])
            self.label.setText(t("输入检索词，或在“筛选”中选择条件。"))
            self.results_changed.emit(None)
            return

        def work() -> SearchResults:
            archive = self.session.archive
            filters = archive.make_filters(**state.filter_args())  # type: ignore[arg-type]
            return archive.search(query, filters, limit=RESULT_LIMIT)

        def done(results: SearchResults) -> None:
            if generation != self.generation:
                return  # a newer search has started: this one is stale
            self._show(results, query, state, (time.perf_counter() - started) * 1000)

        def failed(exc: BaseException) -> None:
            if generation != self.generation:
                return
            if isinstance(exc, SipviewerError):
                self.label.setText(f"<span style='color:#b42318'>{exc}</span>")
                self.model.set_hits([])
            else:
                show_error(self._window, exc)

        self.session.run(work, done, failed)

    def _show(self, results: SearchResults, query: str, state: FilterState,
              elapsed_ms: float) -> None:
        self.last_results = results
        self.model.set_hits(list(results.hits), results.terms)
        kinds = "　".join(f"{t(KIND_LABELS[k])} {n}" for k, n in results.facets["kind"].items())
        years = results.facets["year"]
        year_text = ""
        if years:
            ys = sorted(years)
            year_text = f"　·　{ys[0]}–{ys[-1]}" if len(ys) > 1 else f"　·　{ys[0]}"
        shown = f"（{t('显示前')} {len(results.hits)}）" if results.total > len(results.hits) else ""
        if not query.strip() and state.is_empty:
            self.label.setText(t("输入检索词，或在“筛选”中选择条件。") + f"　{t('共')} {results.total} {t('条')}")
        else:
            self.label.setText(f"<b>{t('共')} {results.total} {t('条')}</b>{shown}"
                               f"　{kinds}{year_text}")
        self.timing.setText(f"{t('检索')} {elapsed_ms:.0f} ms")
        self.results_changed.emit(results)
        if self._open_first and self.model.rowCount():
            self._open_first = False
            self.view.setCurrentIndex(self.model.index(0))
            self.activate(self.model.index(0))

    def open_first_result(self) -> None:
        """Enter in the search box: search now and open the best hit when it arrives."""
        self._open_first = True
        self.run()

    def activate(self, index: QModelIndex) -> None:
        hit: SearchHit | None = index.data(HitRole)
        if hit is not None:
            self.hit_activated.emit(hit)
