"""The 编目 (catalogue) mode: a gallery with multi-selection beside a metadata panel, the
selected photo's history, undo / redo of this session's changes, images attached by
drag-and-drop or from a folder.

A thin layer over `sipviewer.core.catalogue`: every read and write runs on the window's task
runner (one worker thread: the archive's single writer), results come back by signal, and
views refresh from what the write says it changed (rows are patched in place, so the
gallery keeps its order, selection and thumbnail size). Qt objects are touched on the GUI
thread only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QTextCursor,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipviewer.core.catalogue_values import (
    IMAGE_SUFFIXES,
    ChangeResult,
    Edit,
    HistoryEntry,
    date_zh,
    parse_date,
)
from sipviewer.model.errors import InputError
from sipviewer.model.ops import OpChanges, OpResult
from sipviewer.model.types import PhotoView
from sipviewer.ui.common import t
from sipviewer.ui.session import ArchiveSession

if TYPE_CHECKING:
    from sipviewer.ui.lazypage import LazyPage

IdRole = Qt.ItemDataRole.UserRole + 1
PhotoRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex
FIELD_LABELS = {"caption": lambda: t("说明"), "title": lambda: t("标题"),
                "date": lambda: t("日期"), "credit": lambda: t("来源"),
                "credit_kind": lambda: t("来源类型"), "department": lambda: t("部门"),
                "location": lambda: t("地点"), "tags": lambda: t("标签"),
                "notes": lambda: t("备注"), "rights": lambda: t("版权"),
                "image": lambda: t("图片"), "image_name": lambda: t("图片文件名")}
TAG_SPLIT = ("、", ",", "，", ";", "；")
SEARCH_DELAY_MS = 250
OUTSIDE_CHECK_MS = 4000  # how often the shown gallery looks for changes made elsewhere
log = logging.getLogger("sipviewer")
THUMB_SIZES = (96, 128, 160, 200, 240)


def field_label(name: str) -> str:
    return FIELD_LABELS[name]() if name in FIELD_LABELS else name


def as_op(outcome: Any) -> OpResult[Any]:
    """A catalogue write as the window's writer announces it: the photos it changed (the
    reader, the results and the gallery refresh from that)."""
    result = getattr(outcome, "result", outcome)
    ids = frozenset(result.photo_ids) if result.change_set is not None else frozenset()
    return OpResult(outcome, OpChanges(search=bool(ids), photos=ids))


def _short(value: str | None, width: int = 24) -> str:
    if value is None:
        return "∅"
    return value if len(value) <= width else value[:width - 1] + "…"


def _shown(name: str, value: str | None) -> str | None:
    """A history value as the panel shows it (tags listed, dates in Chinese)."""
    if value is None:
        return None
    if name == "tags":
        import json

        try:
            return "、".join(json.loads(value)) or None if value.startswith("[") else value
        except ValueError:
            return value
    if name == "date":
        try:
            d = parse_date(value)
        except InputError:
            return value
        return date_zh(d.start, d.end, d.precision)
    if name == "credit_kind":
        return {"supplied": t("供稿"), "photographer": t("摄")}.get(value, value)
    return value


def date_problem_zh(problem: str) -> str:
    """What exactly is wrong with a date, as the command line says it (``no month 13``), in
    the interface's language; empty when the form itself is wrong."""
    m = re.search(r": no month (\d+)$", problem)
    if m:
        return t("没有 {} 月。").format(m.group(1))
    if problem.endswith(": no such day"):
        return t("没有这一天。")
    if problem.endswith(": the range ends before it starts"):
        return t("区间的结束早于开始。")
    return ""


def split_tags(text: str) -> list[str]:
    for sep in TAG_SPLIT[1:]:
        text = text.replace(sep, TAG_SPLIT[0])
    return [x.strip() for x in text.split(TAG_SPLIT[0]) if x.strip()]


# -- the gallery --------------------------------------------------------------------------------
class CatalogueModel(QAbstractListModel):
    """The photos of the current filter, in the archive's reading order. Edits patch rows in
    place (`update_photos`): order and selection survive."""

    def __init__(self, request_thumb: Callable[[PhotoView], None], parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.photos: list[PhotoView] = []
        self._row: dict[int, int] = {}
        self._thumbs: dict[int, QPixmap] = {}
        self._requested: set[str] = set()
        self._request = request_thumb

    def set_photos(self, photos: list[PhotoView]) -> None:
        self.beginResetModel()
        self.photos = list(photos)
        self._row = {p.id: k for k, p in enumerate(self.photos)}
        self.endResetModel()

    def update_photos(self, views: list[PhotoView]) -> None:
        rows = []
        for view in views:
            row = self._row.get(view.id)
            if row is None:
                continue
            if self.photos[row].image_path != view.image_path:
                self._thumbs.pop(view.id, None)
            self.photos[row] = view
            rows.append(row)
        if rows:  # one signal for the span (a batch of a thousand rows repaints once)
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    def row_of(self, photo_id: int) -> int | None:
        return self._row.get(photo_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.photos)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self.photos):
            return None
        p = self.photos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return p.caption
        if role == Qt.ItemDataRole.DecorationRole:
            thumb = self._thumbs.get(p.id)
            if thumb is None and p.image_path and p.image_path not in self._requested:
                self._requested.add(p.image_path)
                self._request(p)  # may answer at once (a synchronous runner)
                thumb = self._thumbs.get(p.id)
            return thumb
        if role == Qt.ItemDataRole.ToolTipRole:
            when = date_zh(p.date_start, p.date_end, p.date_precision)
            return "\n".join(x for x in (p.caption, when, p.credit or "",
                                         "、".join(p.tags)) if x)
        if role == IdRole:
            return p.id
        if role == PhotoRole:
            return p
        return None

    def set_thumbnail(self, photo: PhotoView, image: QImage) -> None:
        row = self._row.get(photo.id)
        if row is None or self.photos[row].image_path != photo.image_path:
            return  # the image changed meanwhile: a newer thumbnail is on its way
        self._thumbs[photo.id] = QPixmap.fromImage(image)
        idx = self.index(row)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


class CatalogueDelegate(QStyledItemDelegate):
    """A thumbnail scaled into its own box and, below it, the caption (two lines, elided):
    the picture never covers the text, whatever the image's size."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view

    def _boxes(self, rect: QRect) -> tuple[QRect, QRect]:
        icon = self.view.iconSize()
        line = self.view.fontMetrics().lineSpacing()
        image = QRect(rect.x() + (rect.width() - icon.width()) // 2, rect.y() + 6,
                      icon.width(), icon.height())
        text = QRect(rect.x() + 6, image.bottom() + 6, rect.width() - 12, 2 * line + 2)
        return image, text

    def sizeHint(self, option, index) -> QSize:  # type: ignore[no-untyped-def]
        icon = self.view.iconSize()
        line = self.view.fontMetrics().lineSpacing()
        return QSize(icon.width() + 24, icon.height() + 2 * line + 22)

    def paint(self, painter: QPainter, option, index) -> None:  # type: ignore[no-untyped-def]
        painter.save()
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        if selected:
            painter.fillRect(rect, pal.color(QPalette.ColorRole.Highlight).lighter(160))
            painter.setPen(pal.color(QPalette.ColorRole.Highlight))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        image_box, text_box = self._boxes(rect)
        pix = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(pix, QPixmap) and not pix.isNull():
            scaled = pix.scaled(image_box.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation)
            x = image_box.x() + (image_box.width() - scaled.width()) // 2
            y = image_box.y() + (image_box.height() - scaled.height()) // 2
            painter.drawPixmap(x, y, scaled)
        else:
            painter.fillRect(image_box, QColor("#eef0f3"))
            painter.setPen(QColor("#b8bec8"))
            painter.drawRect(image_box.adjusted(0, 0, -1, -1))
            painter.drawText(image_box, Qt.AlignmentFlag.AlignCenter, t("无图片"))
        photo = index.data(PhotoRole)
        if photo is not None and photo.tags:
            badge = f"{t('标签')} {len(photo.tags)}"
            fm = painter.fontMetrics()
            w = fm.horizontalAdvance(badge) + 8
            box = QRect(image_box.right() - w, image_box.y(), w, fm.height())
            painter.fillRect(box, QColor(40, 90, 160, 200))
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        caption = index.data(Qt.ItemDataRole.DisplayRole) or ""
        fm = painter.fontMetrics()
        first, rest = _wrap_first_line(caption, fm, text_box.width())
        painter.drawText(QRect(text_box.x(), text_box.y(), text_box.width(), fm.lineSpacing()),
                         Qt.AlignmentFlag.AlignHCenter, first)
        if rest:
            second = fm.elidedText(rest, Qt.TextElideMode.ElideRight, text_box.width())
            painter.drawText(QRect(text_box.x(), text_box.y() + fm.lineSpacing(),
                                   text_box.width(), fm.lineSpacing()),
                             Qt.AlignmentFlag.AlignHCenter, second)
        painter.restore()


def _wrap_first_line(text: str, fm, width: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The longest start of ``text`` that fits ``width`` (Chinese wraps between characters)."""
    if fm.horizontalAdvance(text) <= width:
        return text, ""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fm.horizontalAdvance(text[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo], text[lo:]


class CatalogueGallery(QListView):
    """Thumbnails with Ctrl/Shift multi-selection; image files may be dropped on a photo or
    on the grid; typing starts editing the panel (arrow, type, Enter)."""

    files_dropped = Signal(list, object)  # paths, photo id under the drop (or None)
    typed = Signal(str)

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSpacing(4)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.setItemDelegate(CatalogueDelegate(self))
        self.set_thumb_size(160)

    def set_thumb_size(self, width: int) -> None:
        self.setIconSize(QSize(width, width * 3 // 4))
        self.doItemsLayout()

    @staticmethod
    def _files(event) -> list[str]:  # type: ignore[no-untyped-def]
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls()
                if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES]

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        files = self._files(event)
        if not files:
            event.ignore()
            return
        idx = self.indexAt(event.position().toPoint())
        event.acceptProposedAction()
        self.files_dropped.emit(files, idx.data(IdRole) if idx.isValid() else None)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        text = event.text()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.AltModifier)
        if plain and text and text.isprintable() and not text.isspace():
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Typed letters edit the photo (see `keyPressEvent`), they do not jump to a caption."""


# -- the metadata panel ---------------------------------------------------------------------
class CaptionEdit(QPlainTextEdit):
    """The caption: two to four wrapped lines (a long caption is read whole), used like the
    other fields' line edits — Enter saves, Tab moves on, ``textEdited`` only for typing."""

    textEdited = Signal(str)
    returnPressed = Signal()

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._setting = False
        self.textChanged.connect(self._changed)
        self._fit()

    def _changed(self) -> None:
        self._fit()
        if not self._setting:
            self.textEdited.emit(self.toPlainText())

    def _fit(self) -> None:
        """As tall as the wrapped text, two lines at least and four at most (then it
        scrolls)."""
        lines, block = 0, self.document().begin()
        while block.isValid():
            layout = block.layout()
            lines += max(1, layout.lineCount() if layout is not None else 1)
            block = block.next()
        shown = max(2, min(4, lines))
        frame = 2 * self.frameWidth() + 2 * int(self.document().documentMargin()) + 2
        height = shown * self.fontMetrics().lineSpacing() + frame
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()  # a caption is one paragraph: Enter saves
            return
        super().keyPressEvent(event)

    # the QLineEdit calls the panel makes
    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(text)
        finally:
            self._setting = False

    def insert(self, text: str) -> None:
        self.insertPlainText(text)

    def end(self, _mark: bool = False) -> None:
        self.moveCursor(QTextCursor.MoveOperation.End)


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last separator."""

    def splitPath(self, path: str) -> list[str]:
        for sep in TAG_SPLIT:
            path = path.split(sep)[-1]
        return [path.strip()]

    def pathFromIndex(self, index) -> str:  # type: ignore[no-untyped-def]
        widget = self.widget()
        current = widget.text() if isinstance(widget, QLineEdit) else ""
        cut = max(current.rfind(sep) for sep in TAG_SPLIT)
        head = current[:cut + 1] if cut >= 0 else ""
        return head + index.data()


class MetadataPanel(QWidget):
    """The fields of the selected photos. A field whose value differs across the selection
    shows as mixed and is left alone unless the librarian edits it."""

    save_requested = Signal(object)  # an Edit
    use_exif_date = Signal()

    TEXT = ("caption", "title", "date", "credit", "department", "location", "tags", "notes",
            "rights")

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.photos: list[PhotoView] = []
        self.dirty: set[str] = set()
        self.common_tags: set[str] = set()
        self.last_field = "caption"
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, Any] = {}  # QLineEdit, the caption a `CaptionEdit`
        for name in self.TEXT:
            edit = CaptionEdit() if name == "caption" else QLineEdit()
            edit.setObjectName(f"field_{name}")
            edit.textEdited.connect(lambda _text, n=name: self._edited(n))
            edit.returnPressed.connect(self.save)
            edit.installEventFilter(self)
            self.edits[name] = edit
        self.kind = QComboBox()
        self.kind.setObjectName("field_credit_kind")
        self.kind.addItem(t("（多个值）"), "mixed")
        self.kind.addItem("", None)
        self.kind.addItem(t("供稿"), "supplied")
        self.kind.addItem(t("摄"), "photographer")
        self.kind.activated.connect(lambda _i: self._edited("credit_kind"))
        self.date_status = QLabel()
        self.date_status.setWordWrap(True)
        self.date_status.setObjectName("date_status")
        self.exif_button = QPushButton()
        self.exif_button.setVisible(False)
        self.exif_button.clicked.connect(self.use_exif_date.emit)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.image = QLabel()
        self.image.setWordWrap(True)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight:bold")
        self.edits["tags"].setPlaceholderText(t("用“、”分隔多个标签"))
        self.edits["date"].setPlaceholderText(t("如 2020年1月29日、2020年2月、2020-01-08/2020-01-19"))
        for name in ("caption", "title", "date"):
            form.addRow(field_label(name), self.edits[name])
        form.addRow("", self.date_status)
        form.addRow("", self.exif_button)
        form.addRow(field_label("credit"), self.edits["credit"])
        form.addRow(field_label("credit_kind"), self.kind)
        for name in ("department", "location", "tags", "notes", "rights"):
            form.addRow(field_label(name), self.edits[name])
        form.addRow(t("出处"), self.source)
        form.addRow(field_label("image"), self.image)
        self.save_button = QPushButton(t("保存（Enter）"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(t("放弃修改（Esc）"))
        self.revert_button.clicked.connect(lambda: self.load(self.photos))
        self.buttons = QWidget()  # placed by the owner below the scrolling fields
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(6, 2, 6, 2)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addStretch(1)
        self.load([])

    # -- completion -----------------------------------------------------------------------
    def set_vocabulary(self, vocab: dict[str, list[str]]) -> None:
        def completer(words: list[str], cls: type[QCompleter] = QCompleter) -> QCompleter:
            c = cls(QStringListModel(words, self), self)
            c.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            c.setFilterMode(Qt.MatchFlag.MatchContains)
            return c

        self.edits["credit"].setCompleter(completer(
            sorted(set(vocab.get("departments", [])) | set(vocab.get("photographers", [])))))
        self.edits["department"].setCompleter(completer(vocab.get("departments", [])))
        self.edits["location"].setCompleter(completer(vocab.get("locations", [])))
        self.edits["tags"].setCompleter(completer(vocab.get("tags", []), TagCompleter))

    # -- showing the selection ------------------------------------------------------------
    def load(self, photos: list[PhotoView]) -> None:
        self.photos = list(photos)
        self.dirty.clear()
        n = len(photos)
        self.setEnabled(bool(photos))
        self.buttons.setEnabled(bool(photos))
        self.heading.setText(t("未选择照片") if not n else (
            f"{t('照片')} #{photos[0].id}" if n == 1 else f"{t('已选')} {n} {t('张照片')}"))
        for name, edit in self.edits.items():
            found: set[str] = set()
            if name != "tags":
                for p in photos:  # two different values are enough to know it is mixed
                    found.add(self._value(p, name))
                    if len(found) > 1:
                        break
            edit.setStyleSheet("")
            if name == "tags":
                sets = [set(p.tags) for p in photos]
                self.common_tags = set.intersection(*sets) if sets else set()
                some = set().union(*sets) - self.common_tags if sets else set()
                edit.setText("、".join(sorted(self.common_tags)))
                edit.setPlaceholderText(
                    t("部分照片另有：") + "、".join(sorted(some)) if some
                    else t("用“、”分隔多个标签"))
                continue
            if len(found) <= 1:
                edit.setText(found.pop() if found else "")
                if name != "date":
                    edit.setPlaceholderText("")
            else:
                edit.setText("")
                edit.setPlaceholderText(t("（多个值，不修改）"))
        kinds = {p.credit_kind for p in photos}
        if len(kinds) > 1:
            self.kind.setCurrentIndex(0)
        else:
            kind = kinds.pop() if kinds else None
            self.kind.setCurrentIndex(max(1, self.kind.findData(kind)))
        if n == 1:
            p = photos[0]
            self.source.setText(f"{p.volume_label} {t('第{}页').format(p.page)}　《{p.article_title}》")
            self.image.setText(p.image_name or (Path(p.image_path).name if p.image_path
                                                else t("（图片未附）")))
        else:
            self.source.setText("")
            self.image.setText(f"{sum(1 for p in photos if p.image_path)} / {n}")
        self._check_date()
        self.set_exif_offer(None)

    @staticmethod
    def _value(p: PhotoView, name: str) -> str:
        if name == "date":
            return date_zh(p.date_start, p.date_end, p.date_precision)
        if name == "tags":
            return "、".join(p.tags)
        value = getattr(p, name)
        return value or ""

    def set_exif_offer(self, taken: date | None) -> None:
        self.exif_button.setVisible(taken is not None)
        if taken is not None:
            self.exif_button.setText(t("采用图片的拍摄日期") + f" {date_zh(taken, taken, 'day')}")

    # -- editing ---------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # type: ignore[no-untyped-def]
        if event.type() == QEvent.Type.FocusIn:
            for name, edit in self.edits.items():
                if edit is obj:
                    self.last_field = name
        elif event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.load(self.photos)
            return True
        return super().eventFilter(obj, event)

    def _edited(self, name: str) -> None:
        self.dirty.add(name)
        if name in self.edits:
            self.edits[name].setStyleSheet("background:#fff8dc")
        if name == "date":
            self._check_date()

    def _check_date(self) -> bool:
        """Inline validation, in Chinese, as the date is typed."""
        text = self.edits["date"].text().strip()
        self.date_status.setVisible("date" in self.dirty)
        if "date" not in self.dirty:
            self.date_status.setText("")
            self.save_button.setEnabled(True)
            return True
        try:
            d = parse_date(text)
        except InputError as exc:
            self.date_status.setStyleSheet("color:#b42318")
            self.date_status.setText(date_problem_zh(exc.problem) + t(
                "日期无效：请写成 2020年1月29日、2020年2月、2020-01-29 或 2020-01-08/2020-01-19"))
            self.save_button.setEnabled(False)
            return False
        self.date_status.setStyleSheet("color:#067647")
        precision = {"day": t("日"), "month": t("月"), "year": t("年"), "range": t("区间"),
                     "none": t("无日期")}[d.precision]
        self.date_status.setText(f"✓ {date_zh(d.start, d.end, d.precision) or t('无日期')}"
                                 f"（{precision}）")
        self.save_button.setEnabled(True)
        return True

    def edit(self) -> Edit:
        """What the librarian changed: only the fields edited."""
        values: dict[str, str] = {}
        for name in self.dirty:
            if name == "tags":
                continue
            if name == "credit_kind":
                data = self.kind.currentData()
                if data != "mixed":
                    values[name] = data or ""
                continue
            values[name] = self.edits[name].text().strip()
        add: tuple[str, ...] = ()
        remove: tuple[str, ...] = ()
        if "tags" in self.dirty:
            typed = set(split_tags(self.edits["tags"].text()))
            add = tuple(sorted(typed - self.common_tags))
            remove = tuple(sorted(self.common_tags - typed))
        return Edit(values, add_tags=add, remove_tags=remove)

    def save(self) -> None:
        if not self.photos or not self._check_date():
            return
        edit = self.edit()
        if not edit.is_empty:
            self.save_requested.emit(edit)
        else:
            self.save_requested.emit(None)


# -- undo / redo over change sets -------------------------------------------------------------
class ChangeCommand(QUndoCommand):
    """One change set of this session. Undo reverts it; redo reverts the revert."""

    def __init__(self, widget: CatalogueWidget, change_set: int, text: str) -> None:
        super().__init__(text)
        self.widget = widget
        self.applied = change_set  # the change set now in effect
        self.undone: int | None = None
        self._first = True

    def redo(self) -> None:
        if self._first or self.widget.restoring:  # already applied (pushed, or a failed undo)
            self._first = False
            return
        if self.undone is not None:
            self.widget.revert(self.undone, then=self._redone,
                               failed=lambda _exc: self.widget.restore_stack(self, done=False))

    def undo(self) -> None:
        if self.widget.restoring:  # a redo that failed: nothing to do
            return
        self.widget.revert(self.applied, then=self._undone,
                           failed=lambda _exc: self.widget.restore_stack(self, done=True))

    def _undone(self, result: ChangeResult) -> None:
        if result.change_set is not None:
            self.undone = result.change_set

    def _redone(self, result: ChangeResult) -> None:
        if result.change_set is not None:
            self.applied = result.change_set


# -- the mode ---------------------------------------------------------------------------------
class CatalogueWidget(QWidget):
    """The catalogue mode over a window's `ArchiveSession` (the archive on workers only)."""

    changed = Signal(object)  # ChangeResult, after every write (for other views)
    tab_page: QWidget  # the scroll area the window's centre tabs hold (set by `install`)

    def __init__(self, session: ArchiveSession, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.offers: dict[int, date] = {}
        self._generation = 0
        self.loaded = False
        self.restoring = False  # putting the undo stack back after a failed undo or redo
        self._seen_generation: int | None = None  # the database's, when last read
        self._checking = False
        self._keep_panel = False

        self.query = QLineEdit()
        self.query.setObjectName("catalogue_query")
        self.query.setClearButtonEnabled(True)
        self.query.setPlaceholderText(t("筛选照片：说明、地点、tag:标签…"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self.query.textChanged.connect(lambda _=None: self._timer.start())
        self.has_image = QComboBox()
        self.has_image.addItem(t("全部照片"), None)
        self.has_image.addItem(t("有图片"), True)
        self.has_image.addItem(t("无图片"), False)
        self.has_image.currentIndexChanged.connect(lambda _=None: self.refresh())
        self.select_all_button = QPushButton(t("全选"))
        self.select_all_button.setToolTip(t("选中符合筛选的全部照片（Ctrl+A）"))
        self.select_all_button.clicked.connect(self.select_all)
        self.folder_button = QPushButton(t("从文件夹附加图片…"))
        self.folder_button.clicked.connect(lambda: self.open_match_dialog())
        self.undo_button = QToolButton()
        self.redo_button = QToolButton()
        self.undo_action = self.undo_stack.createUndoAction(self, t("撤销"))
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, t("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button.setDefaultAction(self.undo_action)
        self.redo_button.setDefaultAction(self.redo_action)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(0, len(THUMB_SIZES) - 1)
        self.size_slider.setValue(THUMB_SIZES.index(160))
        self.size_slider.setFixedWidth(110)
        self.size_slider.setToolTip(t("缩略图大小"))
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.query, 1)
        bar.addWidget(self.has_image)
        bar.addWidget(self.select_all_button)
        bar.addWidget(self.folder_button)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addWidget(QLabel(t("缩略图")))
        bar.addWidget(self.size_slider)

        self.model = CatalogueModel(self._request_thumbnail, self)
        self.gallery = CatalogueGallery()
        self.gallery.setObjectName("catalogue_gallery")
        self.gallery.setModel(self.model)
        self.gallery.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.gallery.files_dropped.connect(self.on_files_dropped)
        self.gallery.typed.connect(self._type_into_panel)
        self.size_slider.valueChanged.connect(
            lambda v: self.gallery.set_thumb_size(THUMB_SIZES[v]))

        self.panel = MetadataPanel()
        self.panel.save_requested.connect(self.save)
        self.panel.use_exif_date.connect(self._use_exif_date)
        self.history = QListWidget()
        self.history.setObjectName("history")
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.itemActivated.connect(lambda _item: self.revert_selected_history())
        self.revert_history_button = QPushButton(t("撤销所选更改…"))
        self.revert_history_button.clicked.connect(self.revert_selected_history)
        history_box = QWidget()
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(6, 0, 6, 6)
        title = QLabel(t("修改历史"))
        title.setStyleSheet("font-weight:bold")
        hl.addWidget(title)
        hl.addWidget(self.history, 1)
        hl.addWidget(self.revert_history_button)

        panel_scroll = QScrollArea()
        panel_scroll.setWidgetResizable(True)
        panel_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        panel_scroll.setWidget(self.panel)
        fields = QWidget()
        fl = QVBoxLayout(fields)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(panel_scroll, 1)
        fl.addWidget(self.panel.buttons)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(fields)
        right.addWidget(history_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setSizes([520, 200])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.gallery)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([760, 440])
        self.status = QLabel()
        self.status.setObjectName("catalogue_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        foot.addWidget(self.count_label)
        layout.addLayout(foot)

        self._timer.timeout.connect(self.refresh)
        # changes made outside this window (a terminal, another viewer): looked for now and
        # then while the mode is shown, and whenever the application becomes active again
        self._outside = QTimer(self)
        self._outside.setInterval(OUTSIDE_CHECK_MS)
        self._outside.timeout.connect(self.check_outside)
        self._outside.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._on_app_state)

    # -- loading ---------------------------------------------------------------------------
    def refresh(self, keep: bool = False) -> None:
        """The photos of the filter, in reading order (a new filter; edits patch rows).
        ``keep``: the same filter read again (changed outside): the selection stays, and so
        does what is being typed in the panel."""
        self.loaded = True
        self._generation += 1
        generation = self._generation
        query = self.query.text()
        has_image = self.has_image.currentData()
        if not keep:  # the first read may wait for the archive to open: say so meanwhile
            self.count_label.setText(t("正在读取档案") + "…")

        def work():  # type: ignore[no-untyped-def]
            arc = self.session.archive
            seen = arc.reader.generation()
            filters = arc.make_filters(kinds=["photo"], has_image=has_image)
            return arc.photos_matching(query, filters), arc.catalogue.vocabulary(), seen

        def done(result) -> None:  # type: ignore[no-untyped-def]
            if generation != self._generation:
                return
            photos, vocab, self._seen_generation = result
            if keep:
                self._reload_keeping(photos)
                self.panel.set_vocabulary(vocab)
                return
            self.model.set_photos(photos)
            self.panel.set_vocabulary(vocab)
            self.count_label.setText(f"{t('共')} {len(photos)} {t('张照片')}")
            if photos and not self.gallery.selectionModel().hasSelection():
                self.gallery.setCurrentIndex(self.model.index(0))
            self._on_selection()

        self.session.read(work, done, self._failed)

    def _reload_keeping(self, photos: list[PhotoView]) -> None:
        selected = self.selected_ids()
        self._keep_panel = True
        try:
            self.model.set_photos(photos)
            self.select_ids(selected)
            self._on_selection()
        finally:
            self._keep_panel = False
        self.count_label.setText(f"{t('共')} {len(photos)} {t('张照片')}")

    def check_outside(self) -> None:
        """Read the gallery again if the database changed since it was read (an edit, an
        attached image or a tag from the command line or another viewer)."""
        if not self.loaded or self._checking or self._seen_generation is None \
                or not self.isVisible():
            return
        self._checking = True
        seen = self._seen_generation

        def done(now: int) -> None:
            self._checking = False
            if now != seen and seen == self._seen_generation:
                log.info("catalogue: the archive changed elsewhere (generation %s → %s); "
                         "reading it again", seen, now)
                self.refresh(keep=True)

        def failed(exc: BaseException) -> None:
            self._checking = False
            log.warning("catalogue: could not check for changes made elsewhere: %s", exc)

        self.session.read(lambda: self.session.browse.generation(), done, failed)

    def _on_app_state(self, state) -> None:  # type: ignore[no-untyped-def]
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_outside()

    def _request_thumbnail(self, photo: PhotoView) -> None:
        from sipviewer.ui.gallery import load_thumbnail

        browse, path = self.session.browse, photo.image_path
        assert path is not None
        self.session.run_thumbnail(lambda: load_thumbnail(browse, path),
                                   lambda image: self.model.set_thumbnail(photo, image))

    # -- selection -------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.gallery.selectionModel().selectedIndexes())
        return [self.model.photos[r].id for r in rows]

    def select_ids(self, ids: list[int]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for pid in ids:
            row = self.model.row_of(pid)
            if row is not None:
                idx = self.model.index(row)
                selection.select(idx, idx)
        sm = self.gallery.selectionModel()
        sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if ids and self.model.row_of(ids[0]) is not None:
            sm.setCurrentIndex(self.model.index(self.model.row_of(ids[0]) or 0),
                               QItemSelectionModel.SelectionFlag.NoUpdate)

    def select_all(self) -> None:
        self.gallery.selectAll()
        self.gallery.setFocus()

    def _on_selection(self) -> None:
        ids = self.selected_ids()
        photos = [self.model.photos[self.model.row_of(i)] for i in ids]  # type: ignore[index]
        if self._keep_panel and self.panel.dirty and [p.id for p in self.panel.photos] == ids:
            self.load_history(ids[0] if len(ids) == 1 else None)
            return  # read again from outside: what is being typed stays
        self.panel.load(photos)
        if len(photos) == 1:
            p = photos[0]
            self.panel.set_exif_offer(self.offers.get(p.id) if p.date_start is None else None)
        self.load_history(ids[0] if len(ids) == 1 else None)

    def load_history(self, photo_id: int | None) -> None:
        self.history.clear()
        if photo_id is None:
            return

        def done(entries: list[HistoryEntry]) -> None:
            if self.selected_ids() != [photo_id]:
                return
            self.history.clear()
            for e in reversed(entries):
                old, new = _short(_shown(e.field, e.old)), _short(_shown(e.field, e.new))
                what = {"edit": t("修改"), "attach": t("附加图片"), "revert": t("撤销")}.get(
                    e.action, e.action)
                item = QListWidgetItem(f"#{e.change_set}　{e.at:%Y-%m-%d %H:%M}　{e.user}　{what}\n"
                                       f"{field_label(e.field)}：{old} → {new}")
                item.setData(Qt.ItemDataRole.UserRole, e.change_set)
                item.setToolTip(f"{field_label(e.field)}\n{e.old}\n→\n{e.new}")
                self.history.addItem(item)
            if self.history.count():
                self.history.setCurrentRow(0)

        self.session.read(lambda: self.session.archive.catalogue.history(photo_id), done,
                          self._failed)

    # -- writing ---------------------------------------------------------------------------
    def save(self, edit: Edit | None) -> None:
        ids = self.selected_ids()
        if edit is None or not ids:
            self.gallery.setFocus()
            return
        n = len(ids)
        self.status.setText(t("正在保存…"))

        def done(result: ChangeResult) -> None:
            if result.change_set is None:
                self.status.setText(t("没有改动"))
            else:
                text = f"{t('修改')} {n} {t('张照片')}"
                self.undo_stack.push(ChangeCommand(self, result.change_set, text))
                self.status.setText(f"{t('已保存')} #{result.change_set}：{n} {t('张照片')}，"
                                    f"{len(result.changes)} {t('处改动')}")
            self._after_write(result)
            self.gallery.setFocus()

        self.session.write(lambda: as_op(self.session.archive.catalogue.edit(ids, edit)), done,
                           self._failed)

    def restore_stack(self, command: ChangeCommand, *, done: bool) -> None:
        """An undo or redo failed: the stack shows the command as ``done`` again (it was not
        undone / redone), so the buttons keep telling the truth."""
        for i in range(self.undo_stack.count()):
            if self.undo_stack.command(i) is command:
                self.restoring = True
                try:
                    self.undo_stack.setIndex(i + 1 if done else i)
                finally:
                    self.restoring = False
                return

    def revert(self, change_set: int, *, force: bool = False,
               then: Callable[[ChangeResult], None] | None = None,
               failed: Callable[[BaseException], None] | None = None) -> None:
        def done(result: ChangeResult) -> None:
            if then is not None:
                then(result)
            if result.conflicts:
                self.status.setText(f"{t('已撤销')} #{change_set}；{len(result.conflicts)} "
                                    f"{t('处之后又改过的内容保留未动')}")
            else:
                self.status.setText(f"{t('已撤销')} #{change_set}")
            self._after_write(result)

        def not_done(exc: BaseException) -> None:
            if failed is not None:
                failed(exc)
            self._failed(exc)

        self.session.write(lambda: as_op(self.session.archive.catalogue.revert(change_set,
                                                                               force=force)),
                           done, not_done)

    def revert_selected_history(self) -> None:
        """Revert the change chosen in the history; later edits of the same fields are kept
        unless the librarian confirms overwriting them."""
        item = self.history.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return
        change_set = int(item.data(Qt.ItemDataRole.UserRole))

        def then(result: ChangeResult) -> None:
            if result.conflicts and self.confirm_overwrite(result):
                self.revert(change_set, force=True)

        self.revert(change_set, then=then)

    def confirm_overwrite(self, result: ChangeResult) -> bool:
        lines = "\n".join(f"#{c.photo_id} {field_label(c.field)}：{c.old} → {c.new}"
                          for c in result.conflicts[:12])
        answer = QMessageBox.question(
            self, t("之后又改过"),
            t("这些内容在这次更改之后又被修改过，已保留。也要撤销它们吗？") + "\n\n" + lines,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _after_write(self, result: ChangeResult) -> None:
        """Patch the rows a write changed (order, selection and sizes stay), then the panel,
        the history and the completion lists."""
        ids = list(result.photo_ids)
        self.changed.emit(result)
        if not ids:
            return

        def work():  # type: ignore[no-untyped-def]
            arc = self.session.archive
            return arc.photo_views(ids), arc.catalogue.vocabulary(), arc.reader.generation()

        def done(got) -> None:  # type: ignore[no-untyped-def]
            views, vocab, seen = got
            before, self._seen_generation = self._seen_generation, seen
            if before is not None and seen > before + 1:  # also changed elsewhere meanwhile
                self.refresh(keep=True)
            self.model.update_photos(views)
            self.panel.set_vocabulary(vocab)
            self._on_selection()

        self.session.read(work, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        from sipviewer.model.errors import SipviewerError

        if isinstance(exc, SipviewerError):  # others are logged with their details below
            log.warning("catalogue: %s", exc)
            self.status.setText(f"{t('未保存')}：{exc}")
            return
        from sipviewer.ui.common import show_error

        show_error(self, exc)

    # -- images ----------------------------------------------------------------------------
    def attach(self, photo_id: int, path: str) -> None:
        self.status.setText(t("正在附加图片…"))

        def done(outcome) -> None:  # type: ignore[no-untyped-def]
            self._attached(outcome)

        self.session.write(lambda: as_op(self.session.archive.catalogue.attach([(photo_id, path)])),
                           done,
                       self._failed)

    def _attached(self, outcome) -> None:  # type: ignore[no-untyped-def]
        result = outcome.result
        self.offers.update(dict(outcome.offers))
        if result.change_set is not None:
            n = len(result.photo_ids)
            self.undo_stack.push(ChangeCommand(self, result.change_set,
                                               f"{t('附加图片')} {n} {t('张')}"))
            self.status.setText(f"{t('已附加')} {n} {t('张图片')}" + self._unusable(outcome))
        else:
            self.status.setText(t("没有改动") + self._unusable(outcome))
        self._after_write(result)

    @staticmethod
    def _unusable(outcome) -> str:  # type: ignore[no-untyped-def]
        """Every file that could not be attached, and why."""
        from sipviewer.ui.catalogue_match import why_zh

        if not outcome.failed:
            return ""
        return (f"；{len(outcome.failed)} {t('个文件无法使用')}："
                + "；".join(f"{f.name}（{why_zh(why)}）" for f, why in outcome.failed))

    def on_files_dropped(self, files: list[str], photo_id: int | None) -> None:
        """One file on a photo: attach it. Several, or on the grid: match them by name and
        show the preview first."""
        self.gallery.setFocus()
        if photo_id is not None and len(files) == 1:
            self.select_ids([int(photo_id)])
            self.attach(int(photo_id), files[0])
            return
        self.open_match_dialog(files=[Path(f) for f in files])

    def open_match_dialog(self, folder: Path | None = None, files: list[Path] | None = None):  # type: ignore[no-untyped-def]
        from sipviewer.ui.catalogue_match import MatchDialog

        dialog = MatchDialog(self, folder=folder, files=files)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _use_exif_date(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1 and ids[0] in self.offers:
            taken = self.offers[ids[0]]
            edit = self.panel.edits["date"]
            edit.setText(taken.isoformat())
            self.panel._edited("date")
            edit.setFocus()

    # -- keyboard flow ---------------------------------------------------------------------
    def _type_into_panel(self, text: str) -> None:
        if not self.selected_ids():
            return
        edit = self.panel.edits.get(self.panel.last_field) or self.panel.edits["caption"]
        edit.setFocus()
        if self.panel.last_field == "tags":  # a new tag after those there
            edit.end(False)
            if edit.text().strip() and not edit.text().rstrip().endswith(TAG_SPLIT):
                edit.insert("、")
        else:  # like a spreadsheet cell: typing replaces, Esc brings the old value back
            edit.selectAll()
        edit.insert(text)
        self.panel._edited(self.panel.last_field if self.panel.last_field in self.panel.edits
                           else "caption")


def install(window, page: LazyPage | None = None) -> CatalogueWidget | None:  # type: ignore[no-untyped-def]
    """Add the 编目 mode beside reading in a main window (never read-only, never a kiosk).

    With ``page`` (the window's tab page for it, built when first shown) the mode goes into
    that page; without, it adds its own tab."""
    if window.read_only or window.kiosk:
        return None
    widget = CatalogueWidget(window.session, window)
    # in a scroll area: the fields' width must not set the whole window's minimum width
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    if page is None:
        window.add_center_tab(scroll, t("编目"), "Ctrl+5")
    else:
        page.box.addWidget(scroll)
    tab = page or scroll
    widget.tab_page = tab  # what the centre tabs hold
    tabs = window.center_tabs

    def shown(_index: int) -> None:
        active = tabs.currentWidget() is tab
        left = getattr(window, "left_tabs", None)
        if left is not None:  # the contents are for reading: the gallery takes their room
            left.setVisible(not active)
        if active and not widget.loaded:
            widget.refresh()

    tabs.currentChanged.connect(shown)
    shown(tabs.currentIndex())  # built as its tab is shown: that change has passed
    return widget
