"""A table (表N) in its own window: sortable columns (numbers as numbers), copy, CSV export."""

from __future__ import annotations

import csv

from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from sipviewer.model.types import TableView
from sipviewer.ui.common import show_error, t
from sipviewer.ui.models import TableModel, TableSortProxy


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
        self.view.sortByColumn(-1, __import__("PySide6.QtCore").QtCore.Qt.SortOrder.AscendingOrder)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.resizeColumnsToContents()
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(t("复制所选"), QDialogButtonBox.ButtonRole.ActionRole)
        self.csv_button = buttons.addButton(t("导出 CSV…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.copy_button.clicked.connect(self.copy_selection)
        self.csv_button.clicked.connect(self.export_csv_dialog)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self.view, self.copy_selection)

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

    def export_csv(self, path: str) -> None:
        """Rows in the current (sorted) order, UTF-8 with BOM so spreadsheets read it."""
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(self.table.columns)
            for r in range(self.proxy.rowCount()):
                w.writerow([self.proxy.index(r, c).data() for c in range(self.proxy.columnCount())])

    def export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, t("导出 CSV"),
                                              f"表{self.table.number}.csv", "CSV (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as exc:
                show_error(self, exc)
