"""The reader: an article as a readable page, with every match of the current search marked.

Figures show the attached image or a tidy placeholder frame, with caption, date and credit;
tables are real tables with a link that opens them in a table window. Matches are found on
the normalised plain text of the page (so 蘇州 marks 苏州) and shown as extra selections;
F3 / Shift+F3 step through them. On a wide screen the text keeps a comfortable measure
(about `MEASURE_CHARS` characters a line) in the middle; zooming keeps the line being read
at the top. `PrintedArticle` lays the page out for paper or PDF with a running header
(yearbook, volume, article) and footer (page numbers), and draws placeholders sharply.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRectF, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QImage,
    QKeySequence,
    QPagedPaintDevice,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from sipviewer.core.browse import highlight_spans
from sipviewer.model.types import ArticleView, PhotoView
from sipviewer.ui.common import date_text, escape, t

INDENT_PX = 15  # about one character at the default size
PLACEHOLDER = "sipviewer:no-image"

CSS = """
body { color: #1f2328; }
h1 { font-size: 150%; font-weight: 600; margin: 0 0 4px 0; color: #16324f; }
p.meta { color: #6b7280; margin: 0 0 14px 0; }
p.para { margin: 0 0 10px 0; line-height: 160%; }
p.heading { margin: 14px 0 8px 0; font-weight: 600; color: #16324f; }
p.sign { color: #374151; text-align: right; margin: 12px 0 18px 0; }
p.source { color: #6b7280; margin: 12px 0 18px 0; }
table.figure { margin: 10px 0 14px 0; }
td.frame { background: #eef0f3; border: 1px solid #c7ccd4; color: #8a93a0; }
p.caption { color: #374151; margin: 4px 0 0 0; }
p.credit { color: #6b7280; margin: 0 0 4px 0; }
table.data { border-collapse: collapse; margin: 6px 0 4px 0; }
table.data th { background: #e9eef5; border: 1px solid #c7ccd4; padding: 3px 6px; }
table.data td { border: 1px solid #d5d9e0; padding: 3px 6px; }
p.tabletitle { font-weight: 600; margin: 14px 0 2px 0; text-align: center; }
"""


def article_html(art: ArticleView, chars: int | None = None) -> str:
    """The article as the reader shows it; ``chars``: only its head, the title and the
    paragraphs that reach this many characters (what fills a screen: see `show_article`)."""
    meta = [art.volume_label, art.section, t("第{}页").format(f"{art.pages[0]}–{art.pages[1]}")]
    out = [f"<h1>{escape(art.title or t('（无标题）'))}</h1>",
           f"<p class='meta'>{escape(' · '.join(m for m in meta if m))}</p>"]
    for para in art.paragraphs:
        if chars is not None and chars <= 0:
            return "".join(out)  # (the tables, the signature and the photos come after)
        chars = None if chars is None else chars - len(para)
        heading = len(para) <= 30 and not any(ch in para for ch in "，。；")
        if heading:
            out.append(f"<p class='heading'>{escape(para)}</p>")
        else:  # the first-line indent of Chinese typesetting: two characters
            out.append(f"<p class='para' style='text-indent:{2 * INDENT_PX}px'>"
                       f"{escape(para)}</p>")
    for table in art.tables:
        out.append(f"<p class='tabletitle'>{t('表')}{table.number}　{escape(table.title)}"
                   f"　<a href='table:{table.id}'>{t('在表格窗口中打开')}</a></p>")
        head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                       for row in table.rows)
        out.append(f"<table class='data' width='100%'><tr>{head}</tr>{rows}</table>")
        # a source line after the last table that also signs the article: printed once
        if table.attribution and (table.attribution != art.attribution
                                  or table is not art.tables[-1]):
            out.append(f"<p class='sign'>（{escape(table.attribution)}）</p>")
    if art.attribution:  # the signature ends the article, after its tables as in print
        out.append(f"<p class='sign'>（{escape(art.attribution)}）</p>")
    if art.source_note:
        out.append(f"<p class='source'>（{escape(art.source_note)}）</p>")
    for photo in art.photos:
        out.append(figure_html(photo))
    return "".join(out)


FIGURE_WIDTH = 480  # pixels, or the reader's width when it is narrower
PLACEHOLDER_HEIGHT = 160
MARGIN = 28


def figure_html(photo: PhotoView) -> str:
    if photo.image_path and Path(photo.image_path).exists():
        url = QUrl.fromLocalFile(photo.image_path).toString()
        frame = (f"<td align='center'><a href='photo:{photo.id}'><img src='{url}' width='{FIGURE_WIDTH}'>"
                 "</a></td>")
    else:  # a drawn frame (see ReaderView.loadResource)
        frame = (f"<td align='center'><a href='photo:{photo.id}'><img src='{PLACEHOLDER}' "
                 f"width='{FIGURE_WIDTH}' height='{PLACEHOLDER_HEIGHT}'></a></td>")
    when = date_text(photo.date_start, photo.date_end, photo.date_precision)
    credit = ""
    if photo.credit:
        credit = f"{photo.credit} {t('摄') if photo.credit_kind == 'photographer' else t('供稿')}"
    meta = "　".join(x for x in (when, credit) if x)
    # the whole width of the text column, its content centred in it (a table centred with
    # align='center' is placed off the column when the page has side margins)
    return (f"<table class='figure' width='100%'><tr>{frame}</tr><tr><td align='center'>"
            f"<p class='caption'>{escape(photo.caption)}</p>"
            f"<p class='credit'>{escape(meta)}</p></td></tr></table>")


MEASURE_CHARS = 40  # a comfortable line of Chinese text: at most about this many characters
PRINT_SCALE = 8  # placeholders for paper are drawn this many times finer than for the screen


def _placeholder_image(scale: int = 1) -> QImage:
    """The tidy frame shown where a photo has no image attached yet (``scale`` times the
    screen's pixels: print and PDF draw it at their resolution, not enlarged)."""
    img = QImage(FIGURE_WIDTH * scale, PLACEHOLDER_HEIGHT * scale, QImage.Format.Format_RGB32)
    img.fill(QColor("#eef0f3"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    p.setPen(QColor("#c7ccd4"))
    p.drawRect(0, 0, FIGURE_WIDTH - 1, PLACEHOLDER_HEIGHT - 1)
    p.setPen(QColor("#8a93a0"))
    p.drawText(QRectF(0, 0, FIGURE_WIDTH, PLACEHOLDER_HEIGHT), Qt.AlignmentFlag.AlignCenter,
               t("（图片未附）"))
    p.end()
    return img


class ReaderView(QTextBrowser):
    """Shows one article; emits `open_table` / `open_photo` for links in the page."""

    open_table = Signal(int)
    open_photo = Signal(int)
    matches_changed = Signal(int, int)  # current (1-based, 0 = none), total

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.document().setDefaultStyleSheet(CSS)
        self.document().setDocumentMargin(MARGIN)
        self._figure_width = FIGURE_WIDTH
        self.article: ArticleView | None = None
        self._spans: list[tuple[int, int]] = []
        self.terms: list[str] = []  # those marked now
        self._current = -1
        self._zoom = 0
        self._placeholder: QImage | None = None
        self._side = 0  # the margin either side that keeps the measure on a wide screen
        self._after_paint: list[Callable[[], None]] = []
        # lines wrap and figures shrink to the page: a sideways scroll bar is never needed
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setPlaceholderText(t("在左侧目录中选择一篇文章，或在上方搜索。"))

    def show_article(self, art: ArticleView, terms: list[str] | None = None, *,
                     screenful: bool = False) -> None:
        """Show ``art`` with ``terms`` marked. ``screenful`` (the window's first frame): only
        what fills the view is laid out now, the rest once it is painted; Qt loads each
        character's glyph from the font the first time it lays it out, 20 µs each."""
        self.article = art
        chars = None
        if screenful:
            lines = self.height() // max(1, round(self.fontMetrics().lineSpacing() * 1.6))
            chars = (lines + 1) * MEASURE_CHARS  # (p.para's line height)
            # `article_html` stops before a paragraph once the ones before reach ``chars``
            if sum(len(para) for para in art.paragraphs[:-1]) < chars:
                chars = None  # it all fits: shown whole at once
            else:
                self.when_painted(lambda: self._show_rest(art, terms or []))
        self.setHtml(article_html(art, chars))
        self._side = -1
        self._keep_measure()
        self._figure_width = FIGURE_WIDTH
        self._fit_figures()
        self.set_terms(terms or [])

    def _show_rest(self, art: ArticleView, terms: list[str]) -> None:
        """The whole article after its head was shown (unless another has taken its place)."""
        if self.article is art:
            place = self.verticalScrollBar().value()
            self.show_article(art, terms)
            self.verticalScrollBar().setValue(place)

    def when_painted(self, fn: Callable[[], None]) -> None:
        """``fn()`` once an article has been painted (on the event loop's next turn after
        that paint): work that can wait lets the first frame of an article go first."""
        self._after_paint.append(fn)

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().paintEvent(event)
        if self._after_paint and self.article is not None:
            waiting, self._after_paint = self._after_paint, []
            for fn in waiting:
                QTimer.singleShot(0, fn)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._keep_measure()
        self._fit_figures()

    def measure(self) -> int:
        """The longest line wanted, in pixels, at the current text size."""
        return self.fontMetrics().horizontalAdvance("中") * MEASURE_CHARS

    def _keep_measure(self) -> None:
        """On a wide page, equal margins either side keep lines to `measure`."""
        room = self._page_width() - 2 * MARGIN
        side = max(0, (room - self.measure()) // 2)
        if side == self._side:
            return
        self._side = side
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        fmt.setLeftMargin(MARGIN + side)
        fmt.setRightMargin(MARGIN + side)
        root.setFrameFormat(fmt)

    def line_width(self) -> float:
        """The width the text is laid out in (the measure, or the page when narrower)."""
        return self._page_width() - 2 * (MARGIN + max(0, self._side))

    def _page_width(self) -> int:
        """The viewport's width, as the text edit laid the document out for it. (The first
        Python call of `viewport()` has PySide set up every widget class it might be: 10 ms
        of the first frame, which has no other use for them.)"""
        width = int(self.document().pageSize().width())
        return width if width > 0 else self.viewport().width()

    def _fit_figures(self) -> None:
        """Figures as wide as they are, or as the page when it is narrower: never a sideways
        scroll bar in a narrow window."""
        room = int(self.line_width()) - 24  # the figure table's own spacing
        width = max(120, min(FIGURE_WIDTH, room))
        if width == self._figure_width or self.article is None:
            return
        self._figure_width = width
        doc = self.document()
        cursor = QTextCursor(doc)
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                fmt = frag.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    if image.width() and image.height():
                        image.setHeight(image.height() * width / image.width())
                    image.setWidth(width)
                    cursor.setPosition(frag.position())
                    cursor.setPosition(frag.position() + frag.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def set_terms(self, terms: list[str]) -> None:
        """Mark every match of the (normalised) terms; go to the first."""
        self.terms = list(terms)
        text = self.document().toPlainText()
        self._spans = highlight_spans(text, terms) if terms else []
        self._current = -1
        self._paint()
        if self._spans:
            self.next_match()
        else:
            self.moveCursor(QTextCursor.MoveOperation.Start)
            self.matches_changed.emit(0, 0)

    def _paint(self) -> None:
        selections = []
        for k, (s, e) in enumerate(self._spans):
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ff9f1c" if k == self._current else "#ffe38a"))
            sel.format = fmt
            cursor = QTextCursor(self.document())
            cursor.setPosition(s)
            cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)

    @property
    def match_count(self) -> int:
        return len(self._spans)

    @property
    def current_match(self) -> int:
        return self._current

    def next_match(self) -> None:
        self._step(1)

    def previous_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self._spans:
            return
        self._current = (self._current + delta) % len(self._spans)
        s, e = self._spans[self._current]
        cursor = QTextCursor(self.document())
        cursor.setPosition(s)
        cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        # and in the middle of the view, with its context above and below
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).center().y()
                     - self.viewport().height() // 2)
        self._paint()
        self.matches_changed.emit(self._current + 1, len(self._spans))

    def loadResource(self, kind: int, url: QUrl):  # type: ignore[override]
        if url.toString() == PLACEHOLDER:
            if self._placeholder is None:
                self._placeholder = _placeholder_image()
            return self._placeholder
        return super().loadResource(kind, url)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        bar = self.verticalScrollBar()
        if event.matches(QKeySequence.StandardKey.MoveToStartOfDocument):
            self.moveCursor(QTextCursor.MoveOperation.Start)
            bar.setValue(bar.minimum())
        elif event.matches(QKeySequence.StandardKey.MoveToEndOfDocument):
            self.moveCursor(QTextCursor.MoveOperation.End)
            bar.setValue(bar.maximum())
        else:
            super().keyPressEvent(event)

    def top_position(self) -> int:
        """The document position of the text at the top of the view (where one is reading)."""
        return self.cursorForPosition(QPoint(MARGIN + max(0, self._side) + 4, 4)).position()

    def scroll_to_position(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top() - 4)

    def zoom(self, steps: int) -> None:
        """Larger or smaller text (0: the normal size); the line at the top stays there."""
        reading = self.top_position() if self.verticalScrollBar().value() > 0 else None
        if steps == 0:
            self.zoomOut(self._zoom)
            self._zoom = 0
        elif -5 <= self._zoom + steps <= 12:
            self.zoomIn(steps)
            self._zoom += steps
        else:
            return
        self._keep_measure()
        self._fit_figures()
        if reading is not None:
            self.document().adjustSize()
            self.scroll_to_position(reading)

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("table:"):
            self.open_table.emit(int(text.split(":")[1]))
        elif text.startswith("photo:"):
            self.open_photo.emit(int(text.split(":")[1]))
        else:
            QDesktopServices.openUrl(url)

    def print_document(self, scale: int = PRINT_SCALE) -> QTextDocument:
        """The page as it will print: the full line width of the paper (no screen measure),
        figures at their size, placeholders drawn at print resolution."""
        doc: QTextDocument = self.document().clone()
        root = doc.rootFrame()
        fmt = root.frameFormat()
        fmt.setLeftMargin(0)
        fmt.setRightMargin(0)
        root.setFrameFormat(fmt)
        doc.setDocumentMargin(0)
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(PLACEHOLDER),
                        _placeholder_image(scale))
        return doc

    def print_to(self, device: QPagedPaintDevice, meta: PrintMeta | None = None) -> int:
        """Print (or write a PDF) with the running header and footer; the number of pages."""
        if self.article is None:
            return 0
        return PrintedArticle(self.print_document(), meta or PrintMeta.of(self.article)) \
            .paint(device)


class PrintMeta:
    """What the running header and footer say."""

    def __init__(self, yearbook: str, volume: str, article: str) -> None:
        self.yearbook, self.volume, self.article = yearbook, volume, article

    @classmethod
    def of(cls, art: ArticleView) -> PrintMeta:
        label = art.volume_label
        # the volume label reads 苏州工业园区年鉴（2021）: the yearbook, then the volume
        yearbook, _, rest = label.partition("（")
        volume = rest.rstrip("）") if rest else ""
        if volume:
            volume = t("{}卷").format(volume)
        return cls(yearbook or label, volume, art.title or t("（无标题）"))

    def header(self) -> str:
        return " · ".join(x for x in (self.yearbook, self.volume, self.article) if x)

    def footer(self, page: int, pages: int) -> str:
        return t("第 {} 页，共 {} 页").format(page, pages)


class PrintedArticle:
    """An article laid out on pages, each with a header line above and a page number below.

    The document is laid out in screen pixels (as on screen) and the painter scaled to the
    device's resolution, as Qt's own document printing does.
    """

    HEADER_MM, GAP_MM = 7.0, 3.0

    def __init__(self, doc: QTextDocument, meta: PrintMeta) -> None:
        self.doc, self.meta = doc, meta
        self.font = QFont(doc.defaultFont())

    def _layout(self, device: QPagedPaintDevice) -> tuple[QRectF, float, float, float]:
        dpi = device.logicalDpiY()  # a printer's or PDF writer's resolution
        screen = self.doc.documentLayout().paintDevice()
        screen_dpi = screen.logicalDpiY() if screen is not None else 96
        scale = dpi / screen_dpi
        page = QRectF(device.pageLayout().paintRectPixels(dpi))
        band = (self.HEADER_MM + self.GAP_MM) / 25.4 * dpi
        body = QRectF(0, 0, page.width() / scale, (page.height() - 2 * band) / scale)
        self.doc.setPageSize(QSizeF(body.width(), body.height()))
        return body, scale, band, page.height()

    def page_count(self, device: QPagedPaintDevice) -> int:
        self._layout(device)
        return self.doc.pageCount()

    def paint(self, device: QPagedPaintDevice) -> int:
        body, scale, band, page_height = self._layout(device)
        pages = self.doc.pageCount()
        painter = QPainter(device)
        try:
            for k in range(pages):
                if k:
                    device.newPage()
                self.paint_page(painter, k, pages, body, scale, band, page_height)
        finally:
            painter.end()
        return pages

    def paint_page(self, painter: QPainter, k: int, pages: int, body: QRectF, scale: float,
                   band: float, page_height: float) -> None:
        width = body.width() * scale
        painter.save()
        font = QFont(self.font)
        font.setPointSizeF(8.5)
        painter.setFont(font)
        painter.setPen(QColor("#6b7280"))
        text_h = self.HEADER_MM / 25.4 * painter.device().logicalDpiY()
        head = QRectF(0, 0, width, text_h)
        elided = painter.fontMetrics().elidedText(self.meta.header(), Qt.TextElideMode.ElideMiddle,
                                                  int(width))
        painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, elided)
        painter.drawLine(0, int(text_h + 2), int(width), int(text_h + 2))
        foot = QRectF(0, page_height - text_h, width, text_h)
        painter.drawText(foot, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                         self.meta.footer(k + 1, pages))
        painter.restore()
        painter.save()
        painter.translate(0, band)
        painter.scale(scale, scale)
        painter.translate(0, -k * body.height())
        clip = QRectF(0, k * body.height(), body.width(), body.height())
        painter.setClipRect(clip)
        self.doc.drawContents(painter, clip)
        painter.restore()
