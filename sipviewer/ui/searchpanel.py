"""The search part of the window: the search box, the results list, and each search's life.

Typing starts a debounced search; Enter searches at once and opens the best hit. A new search
cancels the one it supersedes (it stops inside the index at its next check); searches are
also numbered, and a result that arrives after a newer search started is dropped. The panel says
what happened through signals and never reaches into other parts:
`hit_activated(SearchHit)` when the user opens a result, `results_changed(results | None)`
when a search finished (None: nothing is asked, the hint is shown), `searching(query, state)`
when one starts, `asked()` when the user typed something (the window shows the results tab),
`sort_changed(sort)` when the order chosen in `sort_box` changes (the gallery follows it).
Filters that cannot be used (a bad date) are explained and nothing is listed meanwhile.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.errors import SipviewerError
from sipviewer.model.ops import CancelToken
from sipviewer.model.types import SearchHit, SearchResults
from sipviewer.ui.common import escape, interface_lang, plural, show_error, t, user_message
from sipviewer.ui.filters import FilterController, FilterState
from sipviewer.ui.models import (
    KIND_LABELS,
    HitRole,
    MetaRole,
    ResultsModel,
    SnippetRole,
    TitleHtmlRole,
)
from sipviewer.ui.session import ArchiveSession

if TYPE_CHECKING:  # drawing the rows needs these; the first frame (no results shown) does not
    from PySide6.QtGui import QTextDocument

SEARCH_DELAY_MS = 250
RESULT_LIMIT = 200
SORTS = (("relevance", "按相关度"), ("date", "按日期（旧→新）"), ("-date", "按日期（新→旧）"),
         ("volume", "按卷序"))
ERROR_STYLE = "color:#b42318"


def kinds_text(counts: dict[str, int]) -> str:
    """文章 5　照片 9, or "5 articles · 9 photos"."""
    if interface_lang() == "en":
        names = {"article": ("article", "articles"), "photo": ("photo", "photos"),
                 "table": ("table", "tables"), "event": ("event", "events")}
        return " · ".join(plural(n, "", *names.get(k, (k, k))) for k, n in counts.items() if n)
    return "　".join(f"{t(KIND_LABELS.get(k, k))} {n}" for k, n in counts.items() if n)


def _plain(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html).replace("…", "").strip()


class ResultDelegate(QStyledItemDelegate):
    """A result: kind badge, title, highlighted snippet and a line with volume, date, department."""

    def _doc(self, index: QModelIndex, width: int, selected: bool = False) -> QTextDocument:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setDefaultFont(QApplication.font())

        def marked(html: str) -> str:  # marks keep dark text on yellow, selected or not
            return html.replace("<mark>", "<span style='background:#ffe38a;color:#1f2328'>") \
                .replace("</mark>", "</span>")

        snippet = index.data(SnippetRole) or ""
        title = index.data(TitleHtmlRole) or ""
        if _plain(snippet) in _plain(title):
            snippet = ""  # the snippet is the title again (a photo's caption): show it once
        # on the selection colour every line takes the selection's text colour
        ink = self._selected_ink.name() if selected else None
        colours = (ink or "#16324f", ink or "#30363d", ink or "#6b7280")
        doc.setHtml(f"<div style='font-weight:600;color:{colours[0]}'>{marked(title)}</div>"
                    + (f"<div style='color:{colours[1]}'>{marked(snippet)}</div>" if snippet
                       else "")
                    + f"<div style='color:{colours[2]};font-size:small'>"
                    f"{escape(index.data(MetaRole) or '')}</div>")
        doc.setTextWidth(max(100, width))
        return doc

    @property
    def _selected_ink(self):  # type: ignore[no-untyped-def]
        from PySide6.QtGui import QPalette

        return QApplication.palette().color(QPalette.ColorRole.HighlightedText)

    def html(self, index: QModelIndex, selected: bool = False) -> str:
        """The row as drawn (for tests and accessibility)."""
        return self._doc(index, 400, selected).toHtml()

    def paint(self, painter, option, index) -> None:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QIcon
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

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
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        doc = self._doc(index, rect.width() - 40, selected)
        painter.save()
        painter.translate(rect.left() + 36, rect.top() + 2)
        doc.drawContents(painter, QRectF(0, 0, rect.width() - 40, rect.height() - 4))
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
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
    sort_changed = Signal(str)  # relevance | date | -date | volume

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
        self.sort_box = QComboBox()
        self.sort_box.setToolTip(t("结果与图片的排列顺序"))
        for key, label in SORTS:
            self.sort_box.addItem(t(label), key)
        self.sort_box.currentIndexChanged.connect(self._on_sort)

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
        # rows are drawn as wide as the list: a sideways scroll bar is never needed
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
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
    def sort(self) -> str:
        return self.sort_box.currentData() or "relevance"

    def _on_sort(self, *_: object) -> None:
        self.sort_changed.emit(self.sort)
        if self.last_results is not None:
            self.run()

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
        if state.error:  # a date that cannot be used: say why, list nothing meanwhile
            self.last_results = None
            self.model.set_hits([])
            self.label.setText(f"<span style='{ERROR_STYLE}'>{escape(state.error)}</span>")
            self.results_changed.emit(None)
            return
        sort = self.sort

        def work(token: CancelToken) -> SearchResults:
            archive = self.session.archive
            filters = archive.make_filters(**state.filter_args())  # type: ignore[arg-type]
            return archive.search(query, filters, limit=RESULT_LIMIT, cancel=token, sort=sort)

        def done(results: SearchResults) -> None:
            if generation != self.generation:
                return  # a newer search has started: this one is stale
            self._show(results, query, state, (time.perf_counter() - started) * 1000)

        def failed(exc: BaseException) -> None:
            if generation != self.generation:
                return
            if isinstance(exc, SipviewerError):
                self.label.setText(f"<span style='{ERROR_STYLE}'>{escape(user_message(exc))}"
                                   "</span>")
                self.last_results = None
                self.model.set_hits([])
            else:
                show_error(self._window, exc)

        self.session.latest("search", work, done, failed)

    def _show(self, results: SearchResults, query: str, state: FilterState,
              elapsed_ms: float) -> None:
        self.last_results = results
        self.model.set_hits(list(results.hits), results.terms)
        kind_filter = set(state.kinds)  # the kind counts ignore the kind filter: show the kept
        kinds = kinds_text({k: n for k, n in results.facets["kind"].items()
                            if not kind_filter or k in kind_filter})
        years = results.facets["year"]
        year_text = ""
        if years:
            ys = sorted(years)
            year_text = f"　·　{ys[0]}–{ys[-1]}" if len(ys) > 1 else f"　·　{ys[0]}"
        shown = f"（{t('显示前')} {len(results.hits)}）" if results.total > len(results.hits) else ""
        total = plural(results.total, "条", "hit", "hits")
        if interface_lang() == "zh":
            total = f"{t('共')} {total}"
        if not query.strip() and state.is_empty:
            self.label.setText(t("输入检索词，或在“筛选”中选择条件。") + f"　{total}")
        else:
            self.label.setText(f"<b>{total}</b>{shown}　{kinds}{year_text}")
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
