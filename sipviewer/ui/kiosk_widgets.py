"""Touch widgets of the kiosk: the on-screen keyboard, the PIN pad, tiles, photo cards and
the photo view that swipes. Every target is at least `TOUCH` pixels; keys at least `KEY`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.types import PhotoView
from sipviewer.ui.common import date_text, escape, t

TOUCH = 48  # smallest touch target, px
KEY = 60  # smallest key of the on-screen keyboard, px
KEY_GAP = 5  # px between keys: ten keys and their gaps fit 683 px (1366 px at scale 2)
CARD_PICTURE = 130  # px of picture on a photo card
SWIPE = 80  # px of horizontal travel that turn a drag into a swipe

ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


def kinetic(area: QAbstractScrollArea) -> None:
    """Flick scrolling with a finger; a tap still clicks. (The scroller's mouse gesture held
    back clicks on lists inside the kiosk's pages, so touch it is: kiosks have touch screens.)"""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    if isinstance(area, QAbstractItemView):  # pixel steps, or a flick jumps by rows
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        area.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


def touch_button(text: str, *, min_width: int = TOUCH, object_name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setMinimumSize(min_width, TOUCH)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # taps never steal the search field's focus
    button.setAutoDefault(False)
    if object_name:
        button.setObjectName(object_name)
    return button


class OnScreenKeyboard(QWidget):
    """Letters in QWERTY rows (capital labels, typed as lower case: search folds case),
    digits, space, backspace and clear, typing into ``target``."""

    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.keys: dict[str, QPushButton] = {}
        grid = QVBoxLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(KEY_GAP)
        for r, row in enumerate(ROWS):
            line = QHBoxLayout()
            line.setSpacing(KEY_GAP)
            line.addStretch(1) if r >= 2 else None
            for ch in row:
                key = self._key(ch, lambda _=False, c=ch: self.type_text(c.lower()))
                self.keys[ch] = key
                line.addWidget(key)
            if r == 3:
                back = self._key("⌫", self.backspace, wide=2)
                back.setAccessibleName(t("退格"))
                self.keys["backspace"] = back
                line.addWidget(back)
            line.addStretch(1) if r >= 2 else None
            grid.addLayout(line)
        line = QHBoxLayout()
        line.setSpacing(KEY_GAP)
        self.keys["clear"] = self._key(t("清除"), self.clear, wide=2)
        self.keys["space"] = self._key(t("空格"), lambda: self.type_text(" "), wide=5)
        line.addWidget(self.keys["clear"])
        line.addWidget(self.keys["space"], 1)
        grid.addLayout(line)
        # its own height, never more: rows that stretched moved under a finger as the page
        # beside the keyboard filled in
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _key(self, label: str, action, wide: int = 1) -> QPushButton:  # type: ignore[no-untyped-def]
        key = touch_button(label, min_width=KEY * wide + KEY_GAP * (wide - 1))
        key.setObjectName("key")
        key.setFixedHeight(KEY + 2)  # a fixed height: the rows never shift under a finger
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.clicked.connect(action)
        return key

    def type_text(self, text: str) -> None:
        self.target.insert(text)

    def backspace(self) -> None:
        self.target.backspace()

    def clear(self) -> None:
        self.target.clear()


class PinPad(QWidget):
    """Digits for the administrator's PIN (shown as dots); `entered` with the PIN on OK."""

    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        self.title = QLabel(t("管理员退出：请输入密码"))
        self.title.setObjectName("heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.title)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setReadOnly(True)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMinimumHeight(KEY)
        self.field.setMaximumWidth(3 * KEY + 40)
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QHBoxLayout()
        box.addStretch(1)
        box.addWidget(self.field)
        box.addStretch(1)
        outer.addLayout(box)
        outer.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        for n, ch in enumerate("123456789"):
            self.keys[ch] = self._digit(ch)
            grid.addWidget(self.keys[ch], n // 3, n % 3)
        self.keys["cancel"] = touch_button(t("取消"), min_width=KEY)
        self.keys["cancel"].setMinimumHeight(KEY)
        self.keys["cancel"].clicked.connect(self._cancel)
        self.keys["0"] = self._digit("0")
        self.keys["ok"] = touch_button(t("确定"), min_width=KEY)
        self.keys["ok"].setMinimumHeight(KEY)
        self.keys["ok"].clicked.connect(lambda: self.entered.emit(self.field.text()))
        grid.addWidget(self.keys["cancel"], 3, 0)
        grid.addWidget(self.keys["0"], 3, 1)
        grid.addWidget(self.keys["ok"], 3, 2)
        pad = QHBoxLayout()
        pad.addStretch(1)
        pad.addLayout(grid)
        pad.addStretch(1)
        outer.addLayout(pad)
        outer.addStretch(1)

    def _digit(self, ch: str) -> QPushButton:
        key = touch_button(ch, min_width=KEY + 20)
        key.setObjectName("key")
        key.setFixedHeight(KEY + 2)  # a fixed height: the rows never shift under a finger
        key.clicked.connect(lambda: self.field.setText(self.field.text() + ch)
                            if len(self.field.text()) < 12 else None)
        return key

    def reset(self, message: str = "") -> None:
        self.field.clear()
        self.message.setText(message)

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()


class ElidedLabel(QLabel):
    """One line that fits its width: what does not fit is left out at its start ("…"), so
    its end stays (a section tile's line ends with the volume's year and the count, and
    starts with the yearbook's title, the same on every tile)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = text
        self.setText(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideLeft,
                                                   self.contentsRect().width()))


class Tile(QPushButton):
    """A large tile: a title and a line under it (its start left out when too long)."""

    def __init__(self, title: str, detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(200, 96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("tiletitle")
        self.title_label.setWordWrap(True)
        self.detail_label = ElidedLabel(detail)
        self.detail_label.setObjectName("tiledetail")
        for label in (self.title_label, self.detail_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def sizeHint(self) -> QSize:  # a push button knows nothing of the layout inside it
        layout = self.layout()
        inner = layout.sizeHint() if layout is not None else QSize()
        return inner.expandedTo(QSize(240, 96))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class PhotoCard(QPushButton):
    """A photo on the wall: the picture and the start of its caption; a photo whose image is
    not attached shows more of its caption in the same space (no empty frame)."""

    def __init__(self, photo: PhotoView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photo = photo
        self.setObjectName("photocard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumWidth(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        pix = QPixmap(photo.image_path) if photo.image_path and Path(photo.image_path).exists() \
            else None
        self.has_picture = pix is not None and not pix.isNull()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setObjectName("caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        line = self.caption.fontMetrics().lineSpacing()
        self.caption.setFixedHeight(line * 2 + 8)
        height = CARD_PICTURE + self.caption.height() + 30
        self.picture = QLabel()
        self.picture.setObjectName("picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if self.has_picture:
            assert pix is not None
            self.picture.setPixmap(pix.scaled(240, 120, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
            self.picture.setFixedHeight(CARD_PICTURE)
            limit = 40
        else:  # the caption alone, as many lines as the card holds, under a small mark
            self.picture.setText(t("图片未附"))
            self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft)
            self.picture.setProperty("textonly", True)
            self.picture.setFixedHeight(line + 4)
            self.caption.setFixedHeight(height - 30 - self.picture.height())
            limit = 36 * max(1, (self.caption.height() - 8) // line) // 2
        self.caption.setText(photo.caption if len(photo.caption) <= limit
                             else photo.caption[:limit - 1] + "…")
        for label in (self.picture, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.setFixedHeight(height)


class PhotoViewer(QWidget):
    """One photo as large as the screen allows, with its caption; swipe or tap ← → to go
    through the photos it was opened from."""

    row_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photos: list[PhotoView] = []
        self.row = 0
        self._press: QPoint | None = None
        # the picture above its text; on a low landscape screen (1366 × 768 at scale 2) the
        # text beside it, or the caption would run over the picture
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.image = QLabel()
        self.image.setObjectName("bigpicture")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumHeight(100)
        self.image.setWordWrap(True)
        self.image.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.box.addWidget(self.image, 1)
        text = QWidget()
        layout = QVBoxLayout(text)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setObjectName("bigcaption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.caption)
        self.meta = QLabel()
        self.meta.setObjectName("tiledetail")
        self.meta.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.meta.setWordWrap(True)
        layout.addWidget(self.meta)
        nav = QHBoxLayout()
        self.prev_button = touch_button(t("← 上一张"), min_width=160)
        self.next_button = touch_button(t("下一张 →"), min_width=160)
        self.position = QLabel()
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        nav.addWidget(self.prev_button)
        nav.addWidget(self.position, 1)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)
        self.text_column = text
        self.box.addWidget(text)

    LOW = 480  # logical px of height under which the text goes beside the picture

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        beside = self.height() < self.LOW and self.width() > self.height()
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if beside
                              else QBoxLayout.Direction.TopToBottom)
        self.box.setStretch(1, 1 if beside else 0)
        self.image.setMinimumHeight(100 if beside else 160)

    def set_photos(self, photos: list[PhotoView], row: int) -> None:
        self.photos = list(photos)
        self.show_row(row)

    def go(self, delta: int) -> None:
        if self.photos:
            self.show_row(max(0, min(len(self.photos) - 1, self.row + delta)))

    def show_row(self, row: int) -> None:
        self.row = row
        p = self.photos[row]
        pix = QPixmap(p.image_path) if p.image_path and Path(p.image_path).exists() else None
        pictured = pix is not None and not pix.isNull()
        if pictured:
            assert pix is not None
            self.image.setPixmap(pix.scaled(self.image.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        else:  # no empty frame: the caption, large, where the picture would be
            self.image.setPixmap(QPixmap())
            self.image.setText(f"<p style='font-size:30px; color:#16324f'>{escape(p.caption)}</p>"
                               f"<p style='font-size:17px'>{t('（图片未附）')}</p>")
        self.caption.setVisible(pictured)
        self.caption.setText(escape(p.caption))
        when = date_text(p.date_start, p.date_end, p.date_precision)
        credit = ""
        if p.credit:
            credit = f"{p.credit} {t('摄') if p.credit_kind == 'photographer' else t('供稿')}"
        self.meta.setText("　".join(x for x in (when, credit, p.article_title) if x))
        self.position.setText(f"{row + 1} / {len(self.photos)}")
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.photos) - 1)
        self.row_changed.emit(row)

    # a horizontal drag across the photo is a swipe: to the left for the next one
    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._press is not None:
            dx = event.position().toPoint().x() - self._press.x()
            dy = event.position().toPoint().y() - self._press.y()
            if abs(dx) >= SWIPE and abs(dx) > 2 * abs(dy):
                self.go(1 if dx < 0 else -1)
        self._press = None
        super().mouseReleaseEvent(event)
