"""A table (表N) in its own window: sortable columns (numbers as numbers), copy, CSV export,
and a chart of any numeric column (bars or a line, one point per row, by a label column).

The chart is drawn by pyqtgraph (imported when the chart tab is first shown: it brings
numpy); it follows the table's current sort order, and rows without a number are left out
and counted under the chart.
"""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sipviewer.model.types import TableView
from sipviewer.ui.common import save_file_name, show_error, t
from sipviewer.ui.models import TableModel, TableSortProxy

NUMERIC_SHARE = 0.5  # a column is numeric when at least half its cells hold a number
LABEL_CHARS = 14  # longer row labels are shortened on the chart's axis
LINE_LABELS, LINE_LABEL_CHARS = 6, 8  # along a line chart's axis: at most six, shorter
CHART_INK = "#1f2328"
BAR_COLOUR = "#3b6ea8"


def numeric_columns(table: TableView) -> list[int]:
    """Columns whose cells are mostly numbers (a running number column like 序号 excluded)."""
    out = []
    for c in range(len(table.columns)):
        values = [row[c] for row in table.numbers]
        have = [v for v in values if v is not None]
        if not values or len(have) < NUMERIC_SHARE * len(values):
            continue
        if have == [float(k + 1) for k in range(len(have))]:  # 1, 2, 3…: row numbers
            continue
        out.append(c)
    return out


def label_column(table: TableView) -> int:
    """The column that names the rows best: the text column with the most distinct cells."""
    numeric = set(numeric_columns(table))
    best, best_key = 0, (-1, -1)
    for c in range(len(table.columns)):
        if c in numeric:
            continue
        cells = [row[c] for row in table.rows]
        texts = sum(1 for row in table.numbers if row[c] is None)
        key = (len(set(cells)) if texts * 2 >= len(cells) else 0, -c)
        if key > best_key:
            best, best_key = c, key
    return best


def short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ChartPanel(QWidget):
    """Column, label and chart kind choices above a pyqtgraph plot."""

    def __init__(self, window: TableWindow) -> None:
        super().__init__(window)
        import pyqtgraph as pg  # numpy and pyqtgraph load only when a chart is wanted

        self._pg = pg
        self.window_ = window
        table = window.table
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.value_column = QComboBox()
        for c in numeric_columns(table):
            self.value_column.addItem(table.columns[c], c)
        self.value_column.setCurrentIndex(max(0, self.value_column.count() - 1))
        self.label_column = QComboBox()
        for c, name in enumerate(table.columns):
            self.label_column.addItem(name, c)
        self.label_column.setCurrentIndex(label_column(table))
        self.kind = QComboBox()
        self.kind.addItem(t("柱状图"), "bar")
        self.kind.addItem(t("折线图"), "line")
        self.export_button = QPushButton(t("导出图表 PNG…"))
        self.export_button.clicked.connect(self.export_png_dialog)
        row.addWidget(QLabel(t("数值列")))
        row.addWidget(self.value_column, 1)
        row.addWidget(QLabel(t("标签列")))
        row.addWidget(self.label_column, 1)
        row.addWidget(QLabel(t("图表")))
        row.addWidget(self.kind)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        font = QFont(QApplication.font())
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(CHART_INK)
            axis.setTextPen(CHART_INK)
            axis.setStyle(tickFont=font)
        layout.addWidget(self.plot, 1)
        self.note = QLabel("")
        self.note.setStyleSheet("color:#6b7280")
        layout.addWidget(self.note)
        for combo in (self.value_column, self.label_column, self.kind):
            combo.currentIndexChanged.connect(self.redraw)
        window.proxy.layoutChanged.connect(self.redraw)  # a new sort order
        self.points: list[tuple[str, float]] = []
        if self.value_column.count() == 0:
            self.note.setText(t("此表没有数值列，无法作图。"))
            for w in (self.value_column, self.label_column, self.kind, self.export_button):
                w.setEnabled(False)
        self.redraw()

    def series(self) -> tuple[list[tuple[str, float]], int]:
        """(label, value) of each row in the table's current order; rows without a number."""
        column = self.value_column.currentData()
        if column is None:
            return [], 0
        labels = self.label_column.currentData() or 0
        proxy, table = self.window_.proxy, self.window_.table
        points, skipped = [], 0
        for r in range(proxy.rowCount()):
            source = proxy.mapToSource(proxy.index(r, 0)).row()
            value = table.numbers[source][column]
            if value is None:
                skipped += 1
                continue
            points.append((table.rows[source][labels], value))
        return points, skipped

    def redraw(self, *_: object) -> None:
        pg = self._pg
        self.plot.clear()
        points, skipped = self.series()
        self.points = points
        if not points:
            return
        kind = self.kind.currentData()
        column = self.value_column.currentText()
        values = [v for _, v in points]
        ticks = [(k, short(label)) for k, (label, _) in enumerate(points)]
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        if kind == "bar":  # horizontal bars: the (long, Chinese) row labels stay readable
            ys = list(range(len(points)))
            self.plot.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=values,
                                              brush=BAR_COLOUR, pen=None))
            left.setTicks([ticks])
            bottom.setTicks(None)
            self.plot.getPlotItem().invertY(True)  # the first row at the top, as in the table
            self.plot.setLabel("bottom", column)
            self.plot.setLabel("left", "")
        else:
            xs = list(range(len(points)))
            step = -(-len(points) // LINE_LABELS)  # a few short labels: no overlap
            ticks = [(k, short(label, LINE_LABEL_CHARS)) for k, (label, _) in enumerate(points)]
            self.plot.plot(xs, values, pen=pg.mkPen(BAR_COLOUR, width=2), symbol="o",
                           symbolSize=6, symbolBrush=BAR_COLOUR, symbolPen=None)
            bottom.setTicks([ticks[::step]])
            left.setTicks(None)
            self.plot.getPlotItem().invertY(False)
            self.plot.setLabel("left", column)
            self.plot.setLabel("bottom", "")
        self.plot.autoRange()
        if kind == "line":  # room for the first and last labels
            self.plot.setXRange(-1.2, len(points) + 0.2, padding=0)
        self.note.setText(t("{} 行无数值，未绘出").format(skipped) if skipped else "")

    def export_png(self, path: str) -> None:
        if not self.plot.grab().save(path, "PNG"):
            raise OSError(f"{path}: {t('无法写入文件')}")

    def export_png_dialog(self) -> None:
        table = self.window_.table
        path = save_file_name(self, t("导出图表 PNG"), f"表{table.number}.png",
                              t("PNG 图片 (*.png)"))
        if path:
            self.save_png(path)

    def save_png(self, path: str) -> bool:
        try:
            self.export_png(path)
        except OSError as exc:
            show_error(self, exc)
            return False
        self.window_.confirm(t("图表已导出：") + path)
        return True


class TableWindow(QDialog):
    def __init__(self, table: TableView, parent=None) -> None:
        super().__init__(parent)
        self.table = table
        self.setWindowTitle(f"{t('表')}{table.number}　{table.title}")
        self.resize(960, 620)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{t('表')}{table.number}　{table.title}</b><br>"
                       f"<span style='color:#6b7280'>{table.volume_label} · {table.article_title}"
                       f"{' · （' + table.attribution + '）' if table.attribution else ''}</span>")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.model = TableModel(table, self)
        self.proxy = TableSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.resizeColumnsToContents()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, t("表格"))
        self.tabs.addTab(QWidget(), t("图表"))
        self.tabs.currentChanged.connect(self._on_tab)
        self.chart: ChartPanel | None = None
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.message = QLabel("")
        self.message.setStyleSheet("color:#1a7f37")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.message, 1)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(t("复制所选"), QDialogButtonBox.ButtonRole.ActionRole)
        self.csv_button = buttons.addButton(t("导出 CSV…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.copy_button.clicked.connect(self.copy_selection)
        self.csv_button.clicked.connect(self.export_csv_dialog)
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Copy, self.view, self.copy_selection)

    def show_chart(self) -> ChartPanel:
        """The chart tab (built on first use)."""
        self.tabs.setCurrentIndex(1)
        assert self.chart is not None
        return self.chart

    def _on_tab(self, index: int) -> None:
        if index == 1 and self.chart is None:
            self.chart = ChartPanel(self)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, self.chart, t("图表"))
            self.tabs.setCurrentIndex(1)
            self.tabs.blockSignals(False)

    def confirm(self, text: str) -> None:
        self.message.setText(text)

    def selection_text(self) -> str:
        indexes = sorted(self.view.selectionModel().selectedIndexes(),
                         key=lambda i: (i.row(), i.column()))
        if not indexes:
            return ""
        rows: dict[int, dict[int, str]] = {}
        for i in indexes:
            rows.setdefault(i.row(), {})[i.column()] = str(i.data() or "")
        cols = sorted({c for r in rows.values() for c in r})
        return "\n".join("\t".join(r.get(c, "") for c in cols) for _, r in sorted(rows.items()))

    def copy_selection(self) -> None:
        QGuiApplication.clipboard().setText(self.selection_text())

    def export_csv(self, path: str) -> int:
        """Rows in the current (sorted) order, UTF-8 with BOM so spreadsheets read it."""
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(self.table.columns)
            for r in range(self.proxy.rowCount()):
                w.writerow([self.proxy.index(r, c).data() for c in range(self.proxy.columnCount())])
        return self.proxy.rowCount()

    def export_csv_dialog(self) -> None:
        path = save_file_name(self, t("导出 CSV"), f"表{self.table.number}.csv",
                              "CSV (*.csv)")
        if path:
            self.save_csv(path)

    def save_csv(self, path: str) -> bool:
        """Export and say so in the window (or show why not)."""
        try:
            rows = self.export_csv(path)
        except OSError as exc:
            show_error(self, exc)
            return False
        self.confirm(t("已导出 {} 行：").format(rows) + path)
        return True
