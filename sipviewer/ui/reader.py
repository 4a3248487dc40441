"""The reader: an article as a readable page, with every match of the current search marked.

Figures show the attached image or a tidy placeholder frame, with caption, date and credit;
tables are real tables with a link that opens them in a table window. Matches are found on
the normalised plain text of the page (so 蘇州 marks 苏州) and shown as extra selections;
F3 / Shift+F3 step through them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
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


def article_html(art: ArticleView) -> str:
    meta = [art.volume_label, art.section, t("第{}页").format(f"{art.pages[0]}–{art.pages[1]}")]
    out = [f"<h1>{escape(art.title or t('（无标题）'))}</h1>",
           f"<p class='meta'>{escape(' · '.join(m for m in meta if m))}</p>"]
    for para in art.paragraphs:
        heading = len(para) <= 30 and not any(ch in para for ch in "，。；")
        if heading:
            out.append(f"<p class='heading'>{escape(para)}</p>")
        else:  # the first-line indent of Chinese typesetting: two characters
            out.append(f"<p class='para' style='text-indent:{2 * INDENT_PX}px'>"
                       f"{escape(para)}</p>")
    if art.attribution:
        out.append(f"<p class='sign'>（{escape(art.attribution)}）</p>")
    if art.source_note:
        out.append(f"<p class='source'>（{escape(art.source_note)}）</p>")
    for table in art.tables:
        out.append(f"<p class='tabletitle'>{t('表')}{table.number}　{escape(table.title)}"
                   f"　<a href='table:{table.id}'>{t('在表格窗口中打开')}</a></p>")
        head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                       for row in table.rows)
        out.append(f"<table class='data' width='100%'><tr>{head}</tr>{rows}</table>")
        if table.attribution:
            out.append(f"<p class='sign'>（{escape(table.attribution)}）</p>")
    for photo in art.photos:
        out.append(figure_html(photo))
    return "".join(out)


FIGURE_WIDTH = 480  # pixels, or the reader's width when it is narrower
PLACEHOLDER_HEIGHT = 160
MARGIN = 28


def figure_html(photo: PhotoView) -> str:
    if photo.image_path and Path(photo.image_path).exists():
        url = QUrl.fromLocalFile(photo.image_path).toString()
        frame = (f"<td><a href='photo:{photo.id}'><img src='{url}' width='{FIGURE_WIDTH}'>"
                 "</a></td>")
    else:  # a drawn frame (see ReaderView.loadResource)
        frame = (f"<td><a href='photo:{photo.id}'><img src='{PLACEHOLDER}' "
                 f"width='{FIGURE_WIDTH}' height='{PLACEHOLDER_HEIGHT}'></a></td>")
    when = date_text(photo.date_start, photo.date_end, photo.date_precision)
    credit = ""
    if photo.credit:
        credit = f"{photo.credit} {t('摄') if photo.credit_kind == 'photographer' else t('供稿')}"
    meta = "　".join(x for x in (when, credit) if x)
    return (f"<table class='figure' align='center'><tr>{frame}</tr><tr><td>"
            f"<p class='caption'>{escape(photo.caption)}</p>"
            f"<p class='credit'>{escape(meta)}</p></td></tr></table>")


def _placeholder_image() -> QImage:
    """The tidy frame shown where a photo has no image attached yet."""
    img = QImage(FIGURE_WIDTH, PLACEHOLDER_HEIGHT, QImage.Format.Format_RGB32)
    img.fill(QColor("#eef0f3"))
    p = QPainter(img)
    p.setPen(QColor("#c7ccd4"))
    p.drawRect(0, 0, FIGURE_WIDTH - 1, PLACEHOLDER_HEIGHT - 1)
    p.setPen(QColor("#8a93a0"))
    p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, t("（图片未附）"))
    p.end()
    return img


class ReaderView(QTextBrowser):
    """Shows one article; emits `open_table` / `open_photo` for links in the page."""

    open_table = Signal(int)
    open_photo = Signal(int)
    matches_changed = Signal(int, int)  # current (1-based, 0 = none), total

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.document().setDefaultStyleSheet(CSS)
        self.document().setDocumentMargin(MARGIN)
        self._figure_width = FIGURE_WIDTH
        self.article: ArticleView | None = None
        self._spans: list[tuple[int, int]] = []
        self._current = -1
        self._zoom = 0
        self._placeholder: QImage | None = None
        self.setPlaceholderText(t("在左侧目录中选择一篇文章，或在上方搜索。"))

    def show_article(self, art: ArticleView, terms: list[str] | None = None) -> None:
        self.article = art
        self.setHtml(article_html(art))
        self._figure_width = FIGURE_WIDTH
        self._fit_figures()
        self.set_terms(terms or [])

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._fit_figures()

    def _fit_figures(self) -> None:
        """Figures as wide as they are, or as the page when it is narrower: never a sideways
        scroll bar in a narrow window."""
        room = self.viewport().width() - 2 * MARGIN - 24  # the figure table's own spacing
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

    def loadResource(self, kind: int, url: QUrl):  # type: ignore[no-untyped-def, override]
        if url.toString() == PLACEHOLDER:
            if self._placeholder is None:
                self._placeholder = _placeholder_image()
            return self._placeholder
        return super().loadResource(kind, url)

    def zoom(self, steps: int) -> None:
        if steps == 0:
            self.zoomOut(self._zoom)
            self._zoom = 0
            return
        if -5 <= self._zoom + steps <= 12:
            self.zoomIn(steps)
            self._zoom += steps

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("table:"):
            self.open_table.emit(int(text.split(":")[1]))
        elif text.startswith("photo:"):
            self.open_photo.emit(int(text.split(":")[1]))
        else:
            QDesktopServices.openUrl(url)

    def print_to(self, printer) -> None:  # type: ignore[no-untyped-def]
        doc: QTextDocument = self.document().clone()
        doc.print_(printer)
