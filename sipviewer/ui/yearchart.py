"""The filter panel's year histogram: matching records per year, articles, photos, tables
(and events, when the archive has them) stacked; clicking a bar filters to that year.

Drawn by pyqtgraph, which is imported the first time the histogram is shown (it brings
numpy; the window's first page does not wait for it).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from sipviewer.ui.common import t

KIND_COLOURS = {"article": "#3b6ea8", "photo": "#e07b39", "table": "#4f9d69",
                "event": "#8e6bb8"}
KIND_NAMES = {"article": "文章", "photo": "照片", "table": "表格", "event": "大事记"}
HEIGHT = 130  # pixels at scale 1
MIN_YEARS = 7  # the axis spans at least this many years


class YearHistogram(QWidget):
    year_clicked = Signal(int)

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.counts: dict[str, dict[int, int]] = {}
        self.selected: tuple[int, int] | None = None
        self.plot = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self._layout.addWidget(self.legend)
        self.setMinimumHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(t("点击柱条：只看这一年"))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.ensure_plot()

    def ensure_plot(self):  # type: ignore[no-untyped-def]
        if self.plot is None:
            import pyqtgraph as pg

            self._pg = pg
            self.plot = pg.PlotWidget(background="w")
            self.plot.setMenuEnabled(False)
            self.plot.setMouseEnabled(x=False, y=False)
            self.plot.hideButtons()
            self.plot.getPlotItem().hideAxis("left")
            axis = self.plot.getAxis("bottom")
            axis.setPen("#6b7280")
            axis.setTextPen("#1f2328")
            self.plot.setFixedHeight(HEIGHT - 24)
            self.plot.scene().sigMouseClicked.connect(self._on_click)
            self._layout.insertWidget(0, self.plot)
            self._draw()
        return self.plot

    def set_counts(self, by_kind: dict[str, dict[str, int]],
                   selected: tuple[int, int] | None = None) -> None:
        """Counts per kind per year (the ``year:KIND`` facets) and the filtered years."""
        self.counts = {kind: {int(y): n for y, n in years.items()}
                       for kind, years in by_kind.items() if years}
        self.selected = selected
        if self.plot is not None:
            self._draw()
        self._legend()

    def set_selected(self, selected: tuple[int, int] | None) -> None:
        if selected != self.selected:
            self.selected = selected
            if self.plot is not None:
                self._draw()

    def years(self) -> list[int]:
        return sorted({y for years in self.counts.values() for y in years})

    def totals(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for years in self.counts.values():
            for y, n in years.items():
                out[y] = out.get(y, 0) + n
        return out

    def _legend(self) -> None:
        parts = [f"<span style='color:{KIND_COLOURS.get(k, '#555')}'>■</span> {t(KIND_NAMES[k])}"
                 for k in KIND_COLOURS if self.counts.get(k)]
        self.legend.setText("　".join(parts) if parts else t("没有带日期的记录"))

    def _draw(self) -> None:
        pg, plot = self._pg, self.plot
        assert plot is not None
        plot.clear()
        years = self.years()
        if not years:
            return
        base = {y: 0 for y in years}
        lo, hi = self.selected or (years[0], years[-1])
        for kind, colour in KIND_COLOURS.items():
            counts = self.counts.get(kind)
            if not counts:
                continue
            xs = [y for y in years if counts.get(y)]
            heights = [counts[y] for y in xs]
            # years outside the date filter are drawn pale
            brushes = [pg.mkBrush(colour if lo <= y <= hi else colour + "55") for y in xs]
            plot.addItem(pg.BarGraphItem(x=xs, height=heights, y0=[base[y] for y in xs],
                                         width=0.8, brushes=brushes, pen=None))
            for y in xs:
                base[y] += counts[y]
        step = max(1, -(-len(range(years[0], years[-1] + 1)) // 6))
        plot.getAxis("bottom").setTicks(
            [[(y, str(y)) for y in range(years[0], years[-1] + 1, step)]])
        room = max(0.0, (MIN_YEARS - (years[-1] - years[0] + 1)) / 2)  # a lone year: no slab
        plot.setXRange(years[0] - 0.6 - room, years[-1] + 0.6 + room, padding=0)
        plot.setYRange(0, max(base.values()) * 1.08, padding=0)

    def bar_position(self, year: int):  # type: ignore[no-untyped-def]
        """Where a year's bar is, in the plot widget's coordinates (for tests and help)."""
        from PySide6.QtCore import QPointF

        plot = self.ensure_plot()
        top = self.totals().get(year, 0)
        scene = plot.getPlotItem().vb.mapViewToScene(QPointF(year, top / 2))
        return plot.mapFromScene(scene)

    def _on_click(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.plot is None:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        year = round(point.x())
        if abs(point.x() - year) <= 0.45 and year in self.totals():  # anywhere in its column
            self.year_clicked.emit(year)
