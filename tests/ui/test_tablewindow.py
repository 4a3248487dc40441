"""The table window: a chart of any numeric column (bars or a line, by row label), PNG export,
CSV export that confirms. The table is 表1 of the sample (22 indicators of 十三五)."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from sipviewer.core.archive import Archive


@pytest.fixture
def table(sample_archive_dir):
    with Archive.open(sample_archive_dir) as arc:
        res = arc.search("", arc.make_filters(kinds=["table"]), limit=0)
        return arc.table(res.hits[0].id)


@pytest.fixture
def win(app, qtbot, table):
    from sipviewer.ui.tablewindow import TableWindow

    w = TableWindow(table)
    qtbot.addWidget(w)
    w.resize(1000, 640)
    w.show()
    return w


def test_numeric_columns_are_found_from_the_cells(table):
    from sipviewer.ui.tablewindow import label_column, numeric_columns

    assert [table.columns[c] for c in numeric_columns(table)] == ["2020年目标值", "2020年完成值"]
    assert table.columns[label_column(table)] == "指标名称"


def test_chart_bars_follow_the_table_and_its_sort_order(win, table, qtbot):
    chart = win.show_chart()
    assert chart.value_column.currentText() == "2020年完成值"
    done = table.columns.index("2020年完成值")
    name = table.columns.index("指标名称")
    expected = [(row[name], num[done]) for row, num in zip(table.rows, table.numbers)
                if num[done] is not None]
    assert chart.points == expected and len(expected) == 18
    assert chart.note.text().startswith("4 ")  # four rows say 完成 / 同步: not drawn
    bars = [i for i in chart.plot.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) == 1
    # sorting the table by that column re-orders the chart
    win.view.sortByColumn(done, Qt.SortOrder.DescendingOrder)
    values = [v for _, v in chart.points]
    assert values == sorted(values, reverse=True) and values[0] == 560.0


def test_line_chart_of_another_column(win, table):
    chart = win.show_chart()
    chart.kind.setCurrentIndex(chart.kind.findData("line"))
    chart.value_column.setCurrentIndex(chart.value_column.findText("2020年目标值"))
    target = table.columns.index("2020年目标值")
    assert [v for _, v in chart.points] == [n[target] for n in table.numbers
                                            if n[target] is not None]
    curves = [i for i in chart.plot.getPlotItem().items if type(i).__name__ == "PlotDataItem"]
    assert len(curves) == 1 and list(curves[0].yData) == [v for _, v in chart.points]


def test_chart_exports_as_png(win, tmp_path):
    chart = win.show_chart()
    out = tmp_path / "chart.png"
    assert chart.save_png(str(out))
    image = QImage(str(out))
    assert not image.isNull() and image.width() > 300 and image.height() > 200
    assert str(out) in win.message.text()
    # not a blank picture: the bars are drawn in their colour
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert "#3b6ea8" in colours


def test_csv_export_confirms(win, tmp_path, table):
    out = tmp_path / "t.csv"
    assert win.message.text() == ""
    assert win.save_csv(str(out))
    assert "22" in win.message.text() and str(out) in win.message.text()
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(table.columns) and len(rows) == 23


def test_csv_export_failure_says_why(win, tmp_path):
    assert not win.save_csv(str(tmp_path / "no-such-folder" / "t.csv"))
    assert win.message.text() == ""
