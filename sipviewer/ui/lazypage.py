"""A tab page whose part is built the first time it is shown or asked for.

The window's first frame shows the contents and the reader; the modes behind other tabs (the
大事记 timeline, the 编目 catalogue) cost widgets, Qt types and imports it does not need. Their
tab holds a `LazyPage` from the start (so tab order, titles and shortcuts are there at once);
``part()`` builds the part (which puts its widget in the page's `box` layout), returns it. The window builds it
when the tab becomes current (a click, Ctrl+4/5) or when code asks for the part.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """An empty page until `part()` is first called; then it holds the part's widget."""

    def __init__(self, build: Callable[[LazyPage], Any]) -> None:
        """``build(page)`` makes the part, adds its widget to ``page.box``, returns it."""
        super().__init__()
        self._build = build
        self._part: Any = None
        self.built = False
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def part(self) -> Any:
        if not self.built:
            self.built = True  # before building: a build that asks for its part gets None
            self._part = self._build(self)
            for i in range(self.box.count()):  # on a page on show: shown now, not a frame later
                item = self.box.itemAt(i)
                widget = item.widget() if item is not None else None
                if widget is not None and self.isVisible():
                    widget.show()
        return self._part
