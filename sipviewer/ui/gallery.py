"""The photo gallery (a grid of thumbnails, loaded lazily) and the large photo view."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from sipviewer.core.browse import Browse
from sipviewer.model.types import PhotoView
from sipviewer.ui.common import date_text, escape, t


class GalleryView(QListView):
    activated_photo = Signal(int)  # row

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(160, 120))
        self.setGridSize(QSize(196, 178))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(60)
        self.activated.connect(lambda idx: self.activated_photo.emit(idx.row()))


def load_thumbnail(browse: Browse, path: str) -> QImage:
    """Made in a worker thread: the core makes (or reuses) the cached JPEG; QImage reads it."""
    return QImage(str(browse.thumbnail(path)))


class PhotoDialog(QDialog):
    """One photo large, with its full catalogue data; ←/→ go through the gallery."""

    def __init__(self, photos: Sequence[PhotoView | None], row: int, parent=None) -> None:
        super().__init__(parent)
        self.photos = photos
        self.row = row
        self._waiting = False
        self.resize(900, 720)
        layout = QVBoxLayout(self)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumHeight(420)
        self.image.setStyleSheet("background:#eef0f3;border:1px solid #c7ccd4;color:#8a93a0")
        layout.addWidget(self.image, 1)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        nav = QHBoxLayout()
        self.prev_button = QPushButton(t("← 上一张"))
        self.next_button = QPushButton(t("下一张 →"))
        self.position = QLabel()
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.position)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)
        for button in (self.prev_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ← and → belong to the dialog
        self.show_row(row)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.go(-1)
        elif event.key() in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.go(1)
        else:
            super().keyPressEvent(event)

    def go(self, delta: int) -> None:
        self.show_row(max(0, min(len(self.photos) - 1, self.row + delta)))

    def views_arrived(self) -> None:
        """Views were read: the photo on show may be one of them."""
        if self._waiting:
            self.show_row(self.row)

    def show_row(self, row: int) -> None:
        self.row = row
        p = self.photos[row]
        self._waiting = p is None
        self.position.setText(f"{row + 1} / {len(self.photos)}")
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.photos) - 1)
        if p is None:  # its view is being read (`views_arrived` shows it)
            self.image.setPixmap(QPixmap())
            self.image.setText("…")
            self.info.setText(t("正在读取档案") + "…")
            return
        self.setWindowTitle(p.caption)
        if p.image_path and Path(p.image_path).exists():
            pix = QPixmap(p.image_path)
            self.image.setPixmap(pix.scaled(self.image.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        else:
            self.image.setPixmap(QPixmap())
            self.image.setText(t("（图片未附）"))
        when = date_text(p.date_start, p.date_end, p.date_precision)
        credit = ""
        if p.credit:
            credit = f"{p.credit} {t('摄') if p.credit_kind == 'photographer' else t('供稿')}"
        rows = [(t("说明"), p.caption), (t("日期"), when or t("不详")), (t("来源"), credit),
                (t("部门"), p.department or ""), (t("所在文章"), p.article_title),
                (t("卷"), f"{p.volume_label} {t('第{}页').format(p.page)}"),
                (t("标签"), "、".join(p.tags))]
        self.info.setText("<table>" + "".join(
            f"<tr><td style='color:#6b7280;padding-right:12px'>{escape(k)}</td>"
            f"<td>{escape(v)}</td></tr>" for k, v in rows if v) + "</table>")
