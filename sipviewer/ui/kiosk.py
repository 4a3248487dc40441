"""The kiosk: a touch-first, read-only, locked-down window of its own on the archive facade.

Home: the search field with the on-screen keyboard open below it, and beside (or below, on
a narrow screen) the volumes and sections as tiles, a photo wall and the years; results come
as a visitor types (pinyin too). Articles, photos (swipe) and tables open full screen with a
large 返回 and 首页; a 大事记 section opens as its timeline, and a 历史上的今天 tile lists the
events of every volume on today's date. There are no menus, dialogs, file access, printing, export or editing;
key chords that quit or close are swallowed (`kiosk_lock.Lockdown`); after the configured
idle time everything closes and the home screen comes back, with captions of photos running
while nobody touches it. An administrator leaves by holding the top-left corner for five
seconds and typing the PIN; the service manager stops it with SIGTERM.

The archive is opened read-only; nothing is written anywhere (no settings, no last article).
All archive calls run on the task runner's worker thread; the GUI thread only shows results.
"""

from __future__ import annotations

import argparse
import logging
import signal
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sipviewer.core.kioskconfig import KioskConfig
from sipviewer.model.ops import CancelToken
from sipviewer.model.types import EventView, PhotoView, SearchResults, VolumeNode
from sipviewer.ui.common import date_text, t
from sipviewer.ui.kiosk_lock import IdleWatcher, Lockdown
from sipviewer.ui.kiosk_widgets import (
    KEY,
    KEY_GAP,
    TOUCH,
    OnScreenKeyboard,
    PhotoCard,
    PhotoViewer,
    PinPad,
    Tile,
    kinetic,
    touch_button,
)
from sipviewer.ui.models import TableModel
from sipviewer.ui.reader import ReaderView
from sipviewer.ui.tasks import SyncTasks, Tasks
from sipviewer.ui.timeline import CSS as TIMELINE_CSS
from sipviewer.ui.timeline import timeline_html

if TYPE_CHECKING:
    from sipviewer.core.archive import Archive

log = logging.getLogger("sipviewer.kiosk")

WIDE = 1100  # logical px: from here on the keyboard column sits beside the content
CORNER = 96  # px of the top-left corner an administrator holds
HOLD_MS = 5000  # how long
ATTRACT_MS = 6000  # one photo caption after another while idle
SEARCH_DELAY_MS = 120  # typing pauses this long before a search starts
RESULTS = 60  # hits listed
WALL = 24  # photos on the wall
PAGES = ("loading", "home", "section", "article", "photo", "table", "timeline", "pin")

STYLE = """
QWidget { font-size: 19px; color: #1f2328; }
#kiosk { background: #f4f6f9; }
#heading { font-size: 30px; font-weight: 600; color: #16324f; }
#subheading { font-size: 22px; font-weight: 600; color: #16324f; margin-top: 10px; }
#attract { font-size: 21px; color: #16324f; background: #e3ecf7; border-radius: 10px;
           padding: 12px 16px; }
QLineEdit#search { font-size: 28px; padding: 8px 14px; border: 2px solid #7a9cc6;
                   border-radius: 10px; background: white; min-height: 56px; }
QPushButton { background: white; border: 1px solid #c7ccd4; border-radius: 10px;
              padding: 6px 14px; min-height: 48px; }
QPushButton:pressed { background: #d6e4f5; }
QPushButton:disabled { color: #a0a7b1; }
QPushButton#key { font-size: 24px; font-weight: 600; background: #ffffff; }
QPushButton#tile { text-align: left; background: white; }
QPushButton#photocard { background: white; }
QPushButton#year { font-size: 22px; font-weight: 600; }
QPushButton#nav { font-size: 22px; font-weight: 600; background: #16324f; color: white; }
#tiletitle { font-size: 21px; font-weight: 600; color: #16324f; }
#tiledetail { font-size: 17px; color: #5b6472; }
#caption { font-size: 17px; color: #374151; }
#picture, #bigpicture { background: #e6e9ee; color: #8a93a0; border-radius: 6px; }
#picture[textonly="true"] { background: transparent; color: #8a93a0; font-size: 15px; }
#bigcaption { font-size: 26px; color: #16324f; }
QListWidget { font-size: 20px; background: white; border: 1px solid #d5d9e0;
              border-radius: 10px; }
QListWidget::item { padding: 10px 14px; border-bottom: 1px solid #e6e9ee; min-height: 56px; }
QTableView { font-size: 19px; background: white; }
QHeaderView::section { font-size: 19px; padding: 8px; background: #e9eef5; }
"""

KIND_LABEL = {"article": "文章", "photo": "照片", "table": "表格", "event": "大事记"}


class _CornerHold(QObject):
    """A press held `HOLD_MS` in the window's top-left corner calls ``action``."""

    def __init__(self, window: QWidget, action: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(HOLD_MS)
        self.timer.timeout.connect(action)

    def in_corner(self, global_pos: QPoint) -> bool:
        pos = self.window.mapFromGlobal(global_pos)
        return 0 <= pos.x() < CORNER and 0 <= pos.y() < CORNER

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            if isinstance(event, QMouseEvent):
                pos = event.globalPosition().toPoint()
            elif isinstance(event, QTouchEvent) and event.points():
                pos = event.points()[0].globalPosition().toPoint()
            else:
                return False
            if self.in_corner(pos):
                self.timer.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd,
                      QEvent.Type.TouchCancel):
            self.timer.stop()
        elif kind == QEvent.Type.MouseMove and self.timer.isActive():
            if not self.in_corner(event.globalPosition().toPoint()):  # type: ignore[attr-defined]
                self.timer.stop()
        return False


class KioskReader(ReaderView):
    """The article page of the kiosk: table and photo links only, nothing else opens."""

    def _on_link(self, url) -> None:  # type: ignore[no-untyped-def]
        text = url.toString()
        if text.startswith("table:"):
            self.open_table.emit(int(text.split(":")[1]))
        elif text.startswith("photo:"):
            self.open_photo.emit(int(text.split(":")[1]))


class KioskWindow(QWidget):
    """The kiosk on ``archive``, or on the archive ``opener`` opens on the worker thread."""

    def __init__(self, archive: Archive | None = None, *,
                 opener: Callable[[], Archive] | None = None,
                 runner: Tasks | SyncTasks | None = None,
                 config: KioskConfig = KioskConfig(),
                 today: Callable[[], date] = date.today) -> None:
        super().__init__()
        if archive is None and opener is None:
            raise ValueError("KioskWindow needs an archive or an opener")
        self.setObjectName("kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("sipviewer")
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setStyleSheet(STYLE)
        self.config = config
        self.today = today  # the date "历史上的今天" is about (a test gives its own)
        self._this_day: date | None = None
        self._day_events: list[EventView] = []
        self.day_tile: Tile | None = None
        self.archive: Archive | None = archive
        self._opener = opener
        self.tasks = runner or Tasks(self)
        self.tasks.on_error = self._on_error
        self.lockdown = Lockdown(self)
        self.idle = IdleWatcher(config.idle_reset, self)
        self.idle.idle.connect(self.reset_home)
        self.idle.active.connect(self._stop_attract)
        self.corner = _CornerHold(self, self.ask_pin)
        self._may_close = False
        self._started = False
        self._search_generation = 0
        self._year: int | None = None
        self._results: SearchResults | None = None
        self._history: list[str] = []
        self._photos: list[PhotoView] = []
        self._attract_row = 0
        self._tiles: list[QWidget] = []
        self._cards: list[QWidget] = []
        self._years: list[QWidget] = []
        self._grid_shape: tuple[int, int] | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._attract_timer = QTimer(self)
        self._attract_timer.setInterval(ATTRACT_MS)
        self._attract_timer.timeout.connect(self._attract_step)
        self._build()
        # the search and the keyboard are there from the first frame: what a visitor types
        # while the archive opens is searched once it is open (the keys never move: the
        # column's width depends on the window's only, see resizeEvent)
        self.show_page("home", remember=False)
        if archive is not None:
            self._load_home()
        else:
            self.status.setText(t("正在打开档案…"))
            self.tasks.read(opener, self._on_opened, self._on_open_failed)  # type: ignore[arg-type]

    # -- guards ------------------------------------------------------------------------------
    def start(self) -> None:
        """Lock the application down and start watching for idleness (call once shown)."""
        if self._started:
            return
        self._started = True
        app = QApplication.instance()
        assert app is not None
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
        app.installEventFilter(self.lockdown)
        app.installEventFilter(self.corner)
        self.idle.start()
        self.search.setFocus()  # a keyboard plugged into the terminal types into the search

    def show_kiosk(self) -> None:
        """Full screen on the primary screen (also where no window manager places it)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.start()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._may_close:
            event.accept()
        else:  # Alt+F4, a window manager's close button, a close request: not for visitors
            self.lockdown.refused.append("close request")
            event.ignore()

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self._started \
                and not self._may_close and self.isMinimized():
            QTimer.singleShot(0, self.showFullScreen)

    def shutdown(self) -> None:
        """Leave for good (the administrator's PIN, SIGTERM): stop the guards and close."""
        self._may_close = True
        app = QApplication.instance()
        if app is not None and self._started:
            app.removeEventFilter(self.lockdown)
            app.removeEventFilter(self.corner)
            self.idle.stop()
        self._search_timer.stop()
        self._attract_timer.stop()
        self.close()

    def close_archive(self, wait_ms: int = 800) -> None:
        self.tasks.wait(wait_ms)
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    def _on_error(self, exc: BaseException) -> None:
        # never a dialog (it would show versions and paths): the log, and a line on screen
        log.error("kiosk: %s: %s", type(exc).__name__, exc)
        self.status.setText(t("暂时无法完成，请稍后再试。"))

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.pages: dict[str, QWidget] = {}

        loading = QLabel(t("正在打开档案…"))
        loading.setObjectName("heading")
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        loading.setWordWrap(True)
        self.loading_label = loading
        self._add_page("loading", loading)

        # home: the search column and the browse / results side
        home = QWidget()
        self.home_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, home)
        self.home_layout.setContentsMargins(24, 18, 24, 18)
        self.home_layout.setSpacing(24)
        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        title = QLabel(t("苏州工业园区年鉴 · 档案查阅"))
        title.setObjectName("heading")
        title.setWordWrap(True)
        col.addWidget(title)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(t("输入拼音或首字母，如 qhcs"))
        self.search.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.search.setMaxLength(60)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        col.addWidget(self.search)
        self.keyboard = OnScreenKeyboard(self.search)
        col.addWidget(self.keyboard)
        self.status = QLabel("")
        self.status.setObjectName("tiledetail")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        col.addStretch(1)
        self.column = column
        self.home_layout.addWidget(column, 0)

        self.side = QStackedWidget()
        self.browse = QWidget()
        self.browse_layout = QVBoxLayout(self.browse)
        self.browse_layout.setContentsMargins(0, 0, 8, 0)
        self.attract = QLabel("")
        self.attract.setObjectName("attract")
        self.attract.setWordWrap(True)
        self.attract.hide()
        self.browse_layout.addWidget(self.attract)
        for name, label in (("tiles", t("卷与栏目")), ("wall", t("照片墙")), ("years", t("按年份"))):
            heading = QLabel(label)
            heading.setObjectName("subheading")
            self.browse_layout.addWidget(heading)
            holder = QWidget()
            grid = QGridLayout(holder)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(12)
            setattr(self, f"{name}_grid", grid)
            self.browse_layout.addWidget(holder)
        self.browse_layout.addStretch(1)
        self.browse_scroll = QScrollArea()
        self.browse_scroll.setWidgetResizable(True)
        self.browse_scroll.setWidget(self.browse)
        self.browse_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.browse_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        kinetic(self.browse_scroll)
        self.side.addWidget(self.browse_scroll)

        results = QWidget()
        rl = QVBoxLayout(results)
        rl.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.results_label = QLabel("")
        self.results_label.setObjectName("subheading")
        self.results_label.setWordWrap(True)
        bar.addWidget(self.results_label, 1)
        self.clear_button = touch_button(t("清除条件"), min_width=140)
        self.clear_button.clicked.connect(self.clear_search)
        bar.addWidget(self.clear_button)
        rl.addLayout(bar)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.results.itemClicked.connect(self._open_item)  # a single tap opens
        kinetic(self.results)
        rl.addWidget(self.results, 1)
        self.side.addWidget(results)
        self.home_layout.addWidget(self.side, 1)
        self.home_scroll = QScrollArea()  # a narrow screen scrolls the whole home page
        self.home_scroll.setWidgetResizable(True)
        self.home_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.home_scroll.setWidget(home)
        self._add_page("home", self.home_scroll)

        # section: its articles
        self.section_list = QListWidget()
        self.section_list.setWordWrap(True)
        self.section_list.itemClicked.connect(self._open_item)
        kinetic(self.section_list)
        self.section_title = QLabel()
        self._add_page("section", self._framed(self.section_title, self.section_list))

        self.reader = KioskReader()
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.reader.setOpenExternalLinks(False)
        self.reader.zoom(4)
        self.reader.open_photo.connect(self._open_article_photo)
        self.reader.open_table.connect(self.open_table)
        kinetic(self.reader)
        self.article_title = QLabel()
        self._add_page("article", self._framed(self.article_title, self.reader))

        self.viewer = PhotoViewer()
        self.photo_title = QLabel()
        self._add_page("photo", self._framed(self.photo_title, self.viewer))

        self.table_view = QTableView()
        self.table_model = TableModel(parent=self)
        self.table_view.setModel(self.table_model)
        self.table_view.setWordWrap(True)
        self.table_view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.table_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table_view.verticalHeader().setDefaultSectionSize(TOUCH + 8)
        kinetic(self.table_view)
        self.table_title = QLabel()
        self._add_page("table", self._framed(self.table_title, self.table_view))

        # a 大事记 section (or this day's events) as a timeline: anchors only, no links
        self.timeline = QTextBrowser()
        self.timeline.setOpenLinks(False)
        self.timeline.setOpenExternalLinks(False)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.timeline.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.timeline.document().setDefaultStyleSheet(TIMELINE_CSS)
        self.timeline.document().setDocumentMargin(22)
        self.timeline.setStyleSheet("QTextBrowser { font-size: 23px; background: white; "
                                    "border: 1px solid #d5d9e0; border-radius: 10px; }")
        kinetic(self.timeline)
        self.timeline_title = QLabel()
        self._add_page("timeline", self._framed(self.timeline_title, self.timeline))

        self.pin = PinPad()
        self.pin.entered.connect(self._check_pin)
        self.pin.cancelled.connect(self.go_home)
        pin_scroll = QScrollArea()  # a low screen (scale 2) scrolls the pad, never cuts it
        pin_scroll.setWidgetResizable(True)
        pin_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        pin_scroll.setWidget(self.pin)
        self._add_page("pin", pin_scroll)

    def _add_page(self, name: str, widget: QWidget) -> None:
        self.pages[name] = widget
        self.stack.addWidget(widget)

    def _framed(self, title: QLabel, body: QWidget) -> QWidget:
        """A full-screen page: 返回 and 首页 above, a title, the body."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 14, 24, 14)
        bar = QHBoxLayout()
        back = touch_button(t("← 返回"), min_width=150, object_name="nav")
        back.clicked.connect(self.go_back)
        home = touch_button(t("首页"), min_width=120, object_name="nav")
        home.clicked.connect(self.go_home)
        title.setObjectName("subheading")
        title.setWordWrap(True)
        bar.addWidget(back)
        bar.addWidget(title, 1)
        bar.addWidget(home)
        layout.addLayout(bar)
        layout.addWidget(body, 1)
        return page

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        wide = self.width() >= WIDE
        margin = 24 if wide else 8
        self.home_layout.setContentsMargins(margin, 18 if wide else 8, margin, 18 if wide else 8)
        self.home_layout.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                      else QBoxLayout.Direction.TopToBottom)
        # beside the keyboard the content has the rest of the width; under it, a height of
        # its own (the page scrolls)
        self.side.setMinimumHeight(0 if wide else max(420, self.height() - 2 * KEY))
        if wide:  # fixed: tiles and results arriving beside it never squeeze the keys
            self.column.setFixedWidth(max(10 * KEY + 9 * KEY_GAP, min(10 * KEY + 120,
                                                                      self.width() // 2)))
        else:
            self.column.setMinimumWidth(0)
            self.column.setMaximumWidth(16777215)
        QTimer.singleShot(0, self._layout_grids)  # once the layouts gave the side its width

    # -- pages -------------------------------------------------------------------------------
    def show_page(self, name: str, remember: bool = True) -> None:
        current = self.current_page()
        if remember and current not in ("loading", name) and current != "pin":
            self._history.append(current)
        self.stack.setCurrentWidget(self.pages[name])

    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next((n for n, w in self.pages.items() if w is widget), "loading")

    def go_back(self) -> None:
        target = self._history.pop() if self._history else "home"
        self.show_page(target, remember=False)

    def go_home(self) -> None:
        self._history.clear()
        self.show_page("home", remember=False)
        self.search.setFocus()

    def reset_home(self) -> None:
        """Idle: close every view and popup, clear the search and filters, go home."""
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible():
                widget.close()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()
        self._search_generation += 1  # a search still running is forgotten
        self.tasks.cancel_reads()
        self._year = None
        self._results = None
        self.results.clear()
        self.status.clear()
        self.side.setCurrentIndex(0)
        self.browse_scroll.verticalScrollBar().setValue(0)
        self.home_scroll.verticalScrollBar().setValue(0)
        if self.current_page() != "loading":
            self.go_home()
        self.pin.reset()
        self._start_attract()
        if self.archive is not None and self._this_day not in (None, self.today()):
            self._load_home()  # a new day: its own 历史上的今天

    # -- opening and the home screen ---------------------------------------------------------
    def _on_opened(self, archive: Archive) -> None:
        self.archive = archive
        self.status.clear()
        self._load_home()
        if self.search.text().strip():  # typed while it opened
            self._run_search()

    def _on_open_failed(self, exc: BaseException) -> None:
        log.error("kiosk: cannot open the archive: %s", exc)
        self.loading_label.setText(t("档案暂时无法打开，请联系工作人员。"))
        self.show_page("loading", remember=False)

    def _load_home(self) -> None:
        archive = self.archive
        assert archive is not None
        day = self.today()

        def work() -> dict[str, Any]:
            tree = archive.tree()
            photos = archive.photo_views(archive.photo_ids(images_first=True)[:WALL])
            years = archive.search("", None, limit=1).facets.get("year", {})
            on_day = archive.events_on_day(day.month, day.day)
            return {"tree": tree, "photos": photos, "years": years, "day": day,
                    "on_day": on_day}

        self.tasks.read(work, self._show_home)

    def _show_home(self, data: dict[str, Any]) -> None:
        self._tree: list[VolumeNode] = data["tree"]
        self._photos = data["photos"]
        self._this_day, self._day_events = data["day"], data["on_day"]
        self._tiles = []
        self.day_tile = None
        if self._day_events:
            self.day_tile = Tile(t("历史上的今天"), t("{}月{}日 · {} 条大事").format(
                self._this_day.month, self._this_day.day, len(self._day_events)))
            self.day_tile.clicked.connect(self.open_this_day)
            self._tiles.append(self.day_tile)
        for vol in self._tree:
            for sec in vol.sections:
                if sec.events:
                    tile = Tile(sec.title, f"{vol.volume.label} · "
                                           f"{t('{} 条大事').format(sec.events)}")
                    tile.clicked.connect(lambda _=False, v=vol, s=sec: self.open_timeline(
                        s.id, f"{s.title} · {v.volume.label}"))
                else:
                    tile = Tile(sec.title, f"{vol.volume.label} · {len(sec.articles)} {t('篇')}")
                    tile.clicked.connect(lambda _=False, v=vol, s=sec: self.open_section(v, s))
                self._tiles.append(tile)
        self._cards = []
        for row, photo in enumerate(self._photos):
            card = PhotoCard(photo)
            card.clicked.connect(lambda _=False, r=row: self.open_photos(self._photos, r))
            self._cards.append(card)
        self._years = []
        for year, count in sorted(data["years"].items()):
            button = touch_button(f"{t('{}年').format(year)}\n{count} {t('条')}", min_width=130,
                                  object_name="year")
            button.setMinimumHeight(KEY + 20)
            button.clicked.connect(lambda _=False, y=int(year): self.filter_year(y))
            self._years.append(button)
        self._grid_shape = None
        self._layout_grids()
        if self.current_page() == "loading":
            self.show_page("home", remember=False)
        self._start_attract()
        if self.archive is not None:  # the pinyin table made now, not at the first query
            self.tasks.read(lambda: self.archive.search("qh", None, limit=1)  # type: ignore[union-attr]
                           if self.archive is not None else None)

    def _layout_grids(self) -> None:
        if not hasattr(self, "years_grid"):
            return
        width = self.browse_scroll.viewport().width() or self.width()
        per_row, years_per_row = max(1, min(4, width // 250)), max(1, width // 170)
        if self._grid_shape == (per_row, years_per_row):
            return
        self._grid_shape = (per_row, years_per_row)
        for grid, widgets, n in ((self.tiles_grid, self._tiles, per_row),  # type: ignore[attr-defined]
                                 (self.wall_grid, self._cards, per_row),  # type: ignore[attr-defined]
                                 (self.years_grid, self._years, years_per_row)):  # type: ignore[attr-defined]
            while grid.count():
                grid.takeAt(0)
            for k, widget in enumerate(widgets):
                grid.addWidget(widget, k // n, k % n)

    # -- attract loop ------------------------------------------------------------------------
    def _start_attract(self) -> None:
        if self._photos:
            self._attract_step()
            self._attract_timer.start()

    def _stop_attract(self) -> None:
        self._attract_timer.stop()

    def _attract_step(self) -> None:
        if not self._photos:
            return
        photo = self._photos[self._attract_row % len(self._photos)]
        self._attract_row += 1
        when = date_text(photo.date_start, photo.date_end, photo.date_precision)
        self.attract.setText(f"{photo.caption}" + (f"　（{when}）" if when else ""))
        self.attract.show()

    # -- search ------------------------------------------------------------------------------
    def _run_search(self) -> None:
        query = self.search.text().strip()
        if not query and self._year is None:
            self._search_generation += 1
            self.side.setCurrentIndex(0)
            self.status.clear()
            return
        archive = self.archive
        if archive is None:
            return
        self._search_generation += 1
        generation = self._search_generation
        year = self._year

        def work(token: CancelToken) -> SearchResults:
            filters = archive.make_filters(date_from=str(year), date_to=str(year)) if year \
                else None
            return archive.search(query, filters, limit=RESULTS, cancel=token)

        def done(results: SearchResults) -> None:
            if generation == self._search_generation:  # a newer search has not replaced it
                self._show_results(results)

        def failed(exc: BaseException) -> None:
            if generation == self._search_generation:
                self.status.setText(t("无法理解这个检索词"))
                log.info("kiosk search: %s", exc)

        # a newer search cancels this one (its result is then never delivered)
        self.tasks.latest("search", work, done, failed)

    def _show_results(self, results: SearchResults) -> None:
        self._results = results
        self.results.clear()
        for hit in results.hits:
            when = date_text(hit.date_start, hit.date_end, "day") \
                if hit.kind in ("photo", "event") else ""
            meta = " · ".join(x for x in (t(KIND_LABEL[hit.kind]), hit.volume, when) if x)
            title = hit.title if len(hit.title) <= 48 else hit.title[:47] + "…"
            item = QListWidgetItem(f"{title}\n{meta}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.kind, hit.id))
            item.setSizeHint(QSize(0, 120))
            self.results.addItem(item)
        what = self.search.text().strip()
        parts = []
        if what:
            parts.append(f"“{what}”")
        if self._year is not None:
            parts.append(t("{}年").format(self._year))
        self.results_label.setText(f"{' · '.join(parts)}：{t('共 {} 条').format(results.total)}")
        self.status.setText(t("共 {} 条").format(results.total))
        self.side.setCurrentIndex(1)

    def filter_year(self, year: int) -> None:
        self._year = year
        self._run_search()

    def clear_search(self) -> None:
        self._year = None
        self.search.clear()
        self._run_search()

    # -- opening records ---------------------------------------------------------------------
    def _open_item(self, item: QListWidgetItem) -> None:
        kind, ident = item.data(Qt.ItemDataRole.UserRole)
        if kind == "article":
            self.open_article(ident)
        elif kind == "table":
            self.open_table(ident)
        elif kind == "event":
            self.open_event(ident)
        elif kind == "photo":
            hits = [h for h in (self._results.hits if self._results else ()) if h.kind == "photo"]
            ids = [h.id for h in hits] or [ident]
            row = ids.index(ident) if ident in ids else 0
            self._fetch(lambda a: a.photo_views(ids), lambda photos: self.open_photos(photos, row))

    def _fetch(self, get: Callable[[Archive], Any], show: Callable[[Any], None]) -> None:
        archive = self.archive
        if archive is not None:
            self.tasks.read(lambda: get(archive), show)

    def open_section(self, volume: VolumeNode, section) -> None:  # type: ignore[no-untyped-def]
        self.section_title.setText(f"{section.title} · {volume.volume.label}")
        self.section_list.clear()
        for art in section.articles:
            extra = []
            if art.photos:
                extra.append(f"{art.photos} {t('张照片')}")
            if art.tables:
                extra.append(f"{art.tables} {t('张表格')}")
            item = QListWidgetItem(art.title + ("\n" + "，".join(extra) if extra else ""))
            item.setData(Qt.ItemDataRole.UserRole, ("article", art.id))
            item.setSizeHint(QSize(0, 88 if extra else 64))
            self.section_list.addItem(item)
        self.show_page("section")

    def open_article(self, article_id: int) -> None:
        terms = list(self._results.terms) if self._results and self.search.text() else []

        def show(art) -> None:  # type: ignore[no-untyped-def]
            self.article_title.setText(art.title)
            self.reader.show_article(art, terms)
            self.reader.verticalScrollBar().setValue(0)
            self.show_page("article")
        self._fetch(lambda a: a.article(article_id), show)

    def _open_article_photo(self, photo_id: int) -> None:
        art = self.reader.article
        photos = list(art.photos) if art is not None else []
        ids = [p.id for p in photos]
        if photo_id in ids:
            self.open_photos(photos, ids.index(photo_id))

    def open_photos(self, photos: list[PhotoView], row: int) -> None:
        if not photos:
            return
        self.photo_title.setText(t("照片"))
        self.viewer.set_photos(photos, row)
        self.show_page("photo")

    def open_table(self, table_id: int) -> None:
        def show(table) -> None:  # type: ignore[no-untyped-def]
            self.table_title.setText(f"{t('表')}{table.number}　{table.title}")
            self.table_model = TableModel(table, self)
            self.table_view.setModel(self.table_model)
            self.table_view.resizeColumnsToContents()
            self.show_page("table")
        self._fetch(lambda a: a.table(table_id), show)

    def show_timeline(self, events: list[EventView], title: str, focus: int | None = None,
                      terms: list[str] | tuple[str, ...] = ()) -> None:
        """The timeline page: ``events`` month by month, ``focus`` marked and scrolled to."""
        self.timeline_title.setText(title)  # (shown once: above the page, not in it)
        self.timeline.setHtml(timeline_html(events, "", focus, terms))
        self.timeline.verticalScrollBar().setValue(0)
        self.show_page("timeline")
        if focus is not None:  # once the page is laid out at the view's width
            QTimer.singleShot(0, lambda: self.timeline.scrollToAnchor(f"e{focus}"))

    def open_timeline(self, section_id: int, title: str) -> None:
        self._fetch(lambda a: a.events(section_id), lambda events: self.show_timeline(
            events, title))

    def open_event(self, event_id: int) -> None:
        """A search hit on an event: its section's timeline at the event."""
        terms = list(self._results.terms) if self._results and self.search.text() else []

        def get(archive: Archive) -> list[EventView]:
            return archive.events(archive.event(event_id).section_id)

        self._fetch(get, lambda events: self.show_timeline(
            events, f"{t('大事记')} · {events[0].volume_label}" if events else t('大事记'),
            event_id, terms))

    def open_this_day(self) -> None:
        day = self._this_day or self.today()
        title = f"{t('历史上的今天')} · {t('{}月{}日').format(day.month, day.day)}"
        self._fetch(lambda a: a.events_on_day(day.month, day.day),
                    lambda events: self.show_timeline(events, title))

    # -- leaving -----------------------------------------------------------------------------
    def ask_pin(self) -> None:
        """The hidden gesture: the PIN pad (if no PIN is configured, nobody can leave)."""
        if not self.config.admin_pin:
            log.info("kiosk: corner held, but no administrator PIN is configured")
            return
        self.pin.reset()
        self.show_page("pin")

    def _check_pin(self, pin: str) -> None:
        from sipviewer.core.kioskconfig import verify_pin

        if verify_pin(pin, self.config.admin_pin):
            log.info("kiosk: left by the administrator")
            self.shutdown()
            QApplication.quit()
        else:
            self.pin.reset(t("密码不正确"))


def _on_sigterm(asked: list[int]) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        # only a note: the handler runs between any two bytecodes of the main thread, maybe
        # inside a lock that shutting down needs; the event loop's next tick does the rest
        asked.append(signum)
    return handler


def _stop_if_asked(window: KioskWindow, asked: list[int]) -> None:
    if asked:
        log.info("kiosk: stopping (signal %s)", asked[0])
        asked.clear()
        window.shutdown()
        QApplication.quit()


def run_kiosk(app: QApplication, args: argparse.Namespace) -> int:
    """`sipviewer --kiosk`: the configuration, the window, the guards; 0 when it ends."""
    from sipviewer.core.archive import Archive
    from sipviewer.core.kioskconfig import load_config
    from sipviewer.core.paths import default_archive_dir
    from sipviewer.ui.common import install_translator

    config = load_config(getattr(args, "config", None)).with_overrides(
        archive=args.archive, idle_reset=getattr(args, "idle_reset", None))
    install_translator(app, getattr(args, "lang", None) or config.language)
    path: Path = config.archive or default_archive_dir()

    def opener() -> Archive:
        return Archive.open(path, create=False, read_only=True)

    window = KioskWindow(opener=opener, config=config)
    # Python runs a signal handler only between bytecodes: a timer gives it the chance while
    # Qt's event loop waits, so SIGTERM ends the kiosk within a tenth of a second
    asked: list[int] = []
    previous = signal.signal(signal.SIGTERM, _on_sigterm(asked))
    tick = QTimer()
    tick.start(100)  # also ends the loop at once when the signal came before it ran
    tick.timeout.connect(lambda: _stop_if_asked(window, asked))
    window.show_kiosk()
    log.info("kiosk: ready")
    try:
        code = app.exec()
    finally:
        signal.signal(signal.SIGTERM, previous)
        tick.stop()
    window.shutdown()
    window.close_archive()
    return code
