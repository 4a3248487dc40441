"""The viewer as a user uses it: browse, read, search, filter, tables, gallery."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from sipviewer.ui.models import IdRole, KindRole, TitleHtmlRole
from tests.ui.conftest import type_text


def _search(window, qtbot, text: str) -> None:
    window.search.box.clear()
    type_text(window.search.box, text)
    qtbot.waitUntil(lambda: not window.search.timer.isActive(), timeout=3000)


def _render(font, ch: str) -> bytes:
    from PySide6.QtGui import QColor, QImage, QPainter

    img = QImage(48, 48, QImage.Format.Format_Grayscale8)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor("black"))
    p.drawText(4, 38, ch)
    p.end()
    return bytes(img.constBits())


def test_chinese_renders_with_the_bundled_font(app):
    font = app.font()
    assert font.family() == "Noto Sans CJK SC"
    # no CJK font is installed here: a Chinese glyph can only come from the bundled font
    tofu = _render(font, "\ue000")  # a private-use character no font has: the missing box
    blank = _render(font, " ")
    seen = set()
    for ch in "苏州工业园区年鉴的专记表骨直，（）":
        glyph = _render(font, ch)
        assert glyph not in (tofu, blank), ch
        seen.add(glyph)
    assert len(seen) == len("苏州工业园区年鉴的专记表骨直，（）")


def test_contents_tree(window, qtmodeltester):
    model = window.contents.model
    qtmodeltester.check(model)
    vol = model.index(0, 0)
    assert vol.data(KindRole) == "volume" and "2021" in vol.data()
    section = model.index(0, 0, vol)
    assert section.data() == "专记"
    titles = [model.index(r, 0, section).data() for r in range(model.rowCount(section))]
    assert titles[0] == "苏州工业园区新冠肺炎疫情防控" and len(titles) == 5
    assert model.index(3, 1, section).data() == "表1"
    assert model.index(0, 1, section).data() == "图4"


def test_first_article_is_shown_and_keyboard_moves_through_the_tree(window, qtbot):
    assert window.reading.view.article is not None
    assert window.reading.view.article.title == "苏州工业园区新冠肺炎疫情防控"
    window.contents.view.setFocus()
    QTest.keyClick(window.contents.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.reading.view.article.title == "苏州工业园区现代化建设试点")
    assert "月亮湾新貌" in window.reading.view.toPlainText()


def test_ctrl_f_focuses_search(window, qtbot):
    window.contents.view.setFocus()
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search.box.hasFocus())


def test_search_as_you_type(window, qtbot, qtmodeltester):
    _search(window, qtbot, "蘇州工業園區")
    model = window.search.model
    qtmodeltester.check(model)
    assert model.rowCount() > 0
    assert "共" in window.search.label.text()
    hit = model.hits[0]
    assert "<mark>" in hit.snippet
    assert window.center_tabs.currentIndex() == 1
    # the title marks the match too (traditional characters typed, simplified title)
    titles = [model.data(model.index(r), TitleHtmlRole) for r in range(model.rowCount())]
    assert "<mark>苏州工业园区</mark>新冠肺炎疫情防控" in titles


def test_filters_change_the_list_and_chips_clear_them(window, qtbot):
    window.left_tabs.setCurrentIndex(1)
    panel = window.filtering.panel
    panel.kind_boxes["photo"].setChecked(True)
    window.search.run()
    assert window.search.last_results.total == 10
    # the department list shows counts for the current results; tick one
    names = [panel.dept_list.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(panel.dept_list.count())]
    item = panel.dept_list.item(names.index("园区新闻中心"))
    assert "(6)" in item.text()
    item.setCheckState(Qt.CheckState.Checked)
    window.search.run()
    assert window.search.last_results.total == 6
    panel.date_from.setText("2020-02")
    panel.date_to.setText("2020-02")
    panel.date_to.editingFinished.emit()
    window.search.run()
    assert window.search.last_results.total == 2
    chips = [window.filtering.chips.row.itemAt(i).widget() for i in range(window.filtering.chips.row.count())]
    chips = [c for c in chips if c is not None]
    assert len(chips) == 3 and window.filtering.chips.isVisible()
    date_chip = next(c for c in chips if "2020-02" in c.text())
    date_chip.click()
    window.search.run()
    assert window.search.last_results.total == 6 and panel.date_from.text() == ""
    panel.clear()
    window.search.run()  # nothing asked any more: the hint, not the whole archive
    assert window.search.last_results is None and window.search.model.rowCount() == 0
    assert not window.filtering.chips.isVisible()
    panel.volume.setCurrentIndex(1)
    window.search.run()
    assert window.search.last_results.total == 16


def test_bad_date_is_explained(window, qtbot):
    panel = window.filtering.panel
    panel.date_from.setText("2020/02")
    panel.date_from.editingFinished.emit()
    assert "YYYY" in panel.date_error.text()
    assert panel.state().date_from == ""


def test_open_a_result_marks_every_match(window, qtbot):
    _search(window, qtbot, "疫情防控")
    article_row = next(i for i, h in enumerate(window.search.model.hits) if h.kind == "article")
    window.search.activate(window.search.model.index(article_row))
    reader = window.reading.view
    assert window.center_tabs.currentIndex() == 0
    assert reader.match_count > 3
    assert reader.current_match == 0
    cursor = reader.textCursor()
    assert cursor.selectedText() == "疫情防控"
    QTest.keyClick(window, Qt.Key.Key_F3)
    assert reader.current_match == 1
    QTest.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert reader.current_match == 0
    assert "1/" in window.reading.match_label.text()


def test_photo_result_opens_its_article(window, qtbot):
    _search(window, qtbot, "月亮湾新貌")
    window.search.activate(window.search.model.index(0))
    assert window.reading.view.article.title == "苏州工业园区现代化建设试点"
    assert window.reading.view.match_count == 1


def test_text_size_and_pdf_export(window, qtbot, tmp_path):
    before = window.reading.view.font().pointSizeF()
    QTest.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.view.font().pointSizeF() > before
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.reading.view.font().pointSizeF() == before
    pdf = tmp_path / "article.pdf"
    window.reading.export_pdf(str(pdf))
    assert pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 10000


def _figure_widths(reader) -> list[float]:
    widths = []
    block = reader.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.toImageFormat().width())
            it += 1
        block = block.next()
    return widths


def test_figures_fit_a_narrow_reader(app, qtbot, sample_archive_dir):
    from sipviewer.core.browse import Browse
    from sipviewer.ui.reader import FIGURE_WIDTH, ReaderView

    archive_reader = Browse.open(sample_archive_dir)
    art = archive_reader.article(archive_reader.tree()[0].sections[0].articles[0].id)
    archive_reader.close()
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.resize(900, 600)
    reader.show()
    reader.show_article(art)
    assert _figure_widths(reader) == [FIGURE_WIDTH] * 4
    reader.resize(320, 600)  # a narrow window: figures shrink, no sideways scrolling
    qtbot.waitUntil(lambda: max(_figure_widths(reader)) < 320)
    QApplication.processEvents()
    assert reader.horizontalScrollBar().maximum() == 0
    reader.resize(900, 600)
    qtbot.waitUntil(lambda: _figure_widths(reader) == [FIGURE_WIDTH] * 4)


def test_table_window_sorts_numbers_as_numbers(window, qtbot, qtmodeltester, tmp_path):
    window.reading.open_article(window.contents.model.find("article", 4).data(IdRole))
    table_id = window.reading.view.article.tables[0].id
    window.reading.view.open_table.emit(table_id)
    win = window.reading.table_windows[-1]
    qtbot.addWidget(win)
    qtmodeltester.check(win.model)
    qtmodeltester.check(win.proxy)
    assert win.proxy.rowCount() == 22
    win.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # 2020年完成值
    values = [win.proxy.index(r, 4).data() for r in range(win.proxy.rowCount())]
    numeric = [v for v in values if v[0].isdigit()]
    as_numbers = [float(v.rstrip("%")) for v in numeric]
    assert as_numbers == sorted(as_numbers)
    assert values.index("0.33") < values.index("3") < values.index("46") < values.index("560")
    win.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [win.proxy.index(r, 0).data() for r in range(3)] == ["1", "2", "3"]
    win.view.selectRow(11)
    win.copy_selection()
    assert "高于地区生产总值增幅" in QGuiApplication.clipboard().text()
    out = tmp_path / "t.csv"
    win.export_csv(str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][0] == "序号" and len(rows) == 23


def test_window_state_is_remembered(window, app, qtbot, sample_archive_dir, settings):
    from sipviewer.core.archive import Archive
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    window.resize(701, 503)  # the offscreen screen is 800 × 600
    target = window.contents.model.find("article", 3)
    window.contents.view.setCurrentIndex(target)
    window.close()
    archive = Archive.open(sample_archive_dir)
    again = MainWindow(archive, runner=SyncRunner(), settings=settings)
    qtbot.addWidget(again)
    assert again.width() == 701  # (the height is held up by the panels' minimum)
    assert again.reading.view.article.id == 3
    again.close()
    archive.close()


def test_about_and_errors_do_not_crash(window, qtbot):
    from sipviewer.model.errors import QueryError
    from sipviewer.ui.common import show_error

    show_error(window, QueryError("坏的查询"))
    show_error(window, RuntimeError("boom"))
    window.search.box.setText("x" * 600)
    window.search.run()
    assert "检索词太长（600 个字符，最多 500 个）" in window.search.label.text()  # in the UI's language


def test_enter_opens_the_best_hit(window, qtbot):
    window.search.box.setFocus()
    type_text(window.search.box, "月亮湾新貌")
    QTest.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.center_tabs.currentIndex() == 0
    assert window.reading.view.article.title == "苏州工业园区现代化建设试点"
    assert window.reading.view.match_count == 1
