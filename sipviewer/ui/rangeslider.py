"""A slider with two handles: a range of whole numbers (the filter panel's years).

Drag either handle, or click the groove to move the nearer one. From the keyboard, the
arrow keys move the active handle (Page Up / Page Down by five, Home / End to the ends) and
Space makes the other handle active; the active handle is drawn with a focus ring.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

HANDLE = 8  # handle radius in pixels


class RangeSlider(QWidget):
    rangeChanged = Signal(int, int)  # lower, upper: emitted for the user's changes only

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._min = self._max = self._lo = self._hi = 0
        self.active = 0  # 0: the lower handle, 1: the upper
        self._dragging = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(180, 4 * HANDLE)

    def minimumSizeHint(self) -> QSize:
        return QSize(8 * HANDLE, 4 * HANDLE)

    # -- values --------------------------------------------------------------------------
    def minimum(self) -> int:
        return self._min

    def maximum(self) -> int:
        return self._max

    def values(self) -> tuple[int, int]:
        return self._lo, self._hi

    def is_full(self) -> bool:
        return (self._lo, self._hi) == (self._min, self._max)

    def setRange(self, low: int, high: int) -> None:
        self._min, self._max = low, max(low, high)
        self.setValues(self._lo, self._hi)

    def setValues(self, lo: int, hi: int) -> None:
        """Set both handles (clamped to the range); does not emit `rangeChanged`."""
        lo = min(max(lo, self._min), self._max)
        hi = min(max(hi, lo), self._max)
        self._lo, self._hi = lo, hi
        self.update()

    def _move(self, handle: int, value: int) -> None:
        lo, hi = self._lo, self._hi
        if handle == 0:
            lo = min(max(value, self._min), hi)
        else:
            hi = max(min(value, self._max), lo)
        if (lo, hi) != (self._lo, self._hi):
            self._lo, self._hi = lo, hi
            self.update()
            self.rangeChanged.emit(lo, hi)

    # -- geometry ------------------------------------------------------------------------
    def _span(self) -> tuple[float, float]:
        return HANDLE + 1.0, self.width() - HANDLE - 1.0

    def position(self, value: int) -> float:
        left, right = self._span()
        if self._max == self._min:
            return left
        return left + (right - left) * (value - self._min) / (self._max - self._min)

    def _value_at(self, x: float) -> int:
        left, right = self._span()
        if self._max == self._min or right <= left:
            return self._min
        share = (x - left) / (right - left)
        return round(self._min + share * (self._max - self._min))

    # -- events --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        enabled = self.isEnabled()
        mid = self.height() / 2
        left, right = self._span()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(pal.color(QPalette.ColorRole.Mid))
        p.drawRoundedRect(QRectF(left, mid - 2, right - left, 4), 2, 2)
        accent = pal.color(QPalette.ColorRole.Highlight) if enabled else pal.color(
            QPalette.ColorRole.Mid)
        a, b = self.position(self._lo), self.position(self._hi)
        p.setBrush(accent)
        p.drawRoundedRect(QRectF(a, mid - 3, max(0.0, b - a), 6), 3, 3)
        for k, x in enumerate((a, b)):
            if self.hasFocus() and k == self.active:  # the focus ring: clearly visible
                p.setPen(QPen(accent, 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(QPointF(x, mid), HANDLE + 3, HANDLE + 3)
            p.setPen(QPen(accent.darker(130) if enabled else QColor("#9aa1ab"), 1.5))
            p.setBrush(pal.color(QPalette.ColorRole.Base))
            p.drawEllipse(QPointF(x, mid), HANDLE - 1, HANDLE - 1)
        p.end()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.button() != Qt.MouseButton.LeftButton or self._max == self._min:
            return
        x = event.position().x()
        a, b = self.position(self._lo), self.position(self._hi)
        if a == b:  # both at one place: the direction of the click decides
            self.active = 1 if x > b else 0
        else:
            self.active = 0 if abs(x - a) <= abs(x - b) else 1
        self._dragging = True
        self._move(self.active, self._value_at(x))

    def mouseMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._dragging:
            self._move(self.active, self._value_at(event.position().x()))

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._dragging = False

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        key = event.key()
        current = self._lo if self.active == 0 else self._hi
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Down: -1, Qt.Key.Key_Right: 1,
                 Qt.Key.Key_Up: 1, Qt.Key.Key_PageDown: -5, Qt.Key.Key_PageUp: 5}
        if key in steps:
            self._move(self.active, current + steps[key])
        elif key == Qt.Key.Key_Home:
            self._move(self.active, self._min)
        elif key == Qt.Key.Key_End:
            self._move(self.active, self._max)
        elif key == Qt.Key.Key_Space:
            self.active = 1 - self.active
            self.update()
        else:
            super().keyPressEvent(event)
