"""After an import the window shows how many parser decisions want checking; a click opens
the report (the same as ``sipviewer parse FILE --report``)."""

from __future__ import annotations

import re
import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTreeWidget

from sipviewer.core.archive import Archive
from tests.test_parse_report_identity import PLANTED


def test_import_shows_the_uncertain_count_and_the_report(app, qtbot, sample_archive_dir, settings,
                                                         tmp_path):
    from sipviewer.ui.mainwindow import MainWindow

    path = tmp_path / "arc"
    shutil.copytree(sample_archive_dir, path)
    archive = Archive.open(path)
    win = MainWindow(archive, settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    try:
        planted = tmp_path / "planted.txt"
        planted.write_text(PLANTED, encoding="utf-8")
        win.files.import_files([str(planted)])
        qtbot.waitUntil(lambda: win.files.importing == 0, timeout=90000)
        button = win.uncertain_button()
        assert button.isVisible() and button.text() == "待核对 6 处"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = button.dialog
        assert isinstance(dialog, QDialog) and dialog.isVisible()
        tree = dialog.findChild(QTreeWidget)
        top = tree.topLevelItem(0)
        assert top.text(0) == "planted.txt　6 处待核对"
        rows = [[top.child(i).text(c) for c in range(4)] for i in range(top.childCount())]
        assert [r[0] for r in rows] == ["第2页", "第3页", "第4页", "第4页", "第4页", "第4页"]
        assert ["第4页", "表格", "4 新设外资项目（个）140 151",
                "此处应为第 3 行，却见行号 4：并入上一行"] in rows
        assert rows[1][3] == ("文章结束后出现没有标题的文字；没有标题行，也没有页眉：文章未加标题")
        # said in Chinese, every one of them (the parser's English stays on the command line)
        assert not [r for r in rows if re.search("[A-Za-z]{3,}", r[1] + r[3])], rows
        # a click opens the article the item is in, at its page
        row = next(top.child(i) for i in range(top.childCount()) if top.child(i).text(1) == "表格")
        tree.scrollToItem(row)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                         pos=tree.visualItemRect(row).center())
        qtbot.waitUntil(lambda: win.reading.view.article is not None
                        and win.reading.view.article.title == "园区开放合作再上新台阶", timeout=10000)
        assert win.center_tabs.currentIndex() == 0 and 4 in range(
            win.reading.view.article.pages[0], win.reading.view.article.pages[1] + 1)
        # the untitled article the parser doubted is named as the reader names it
        volume = win.contents.model.index(0, 0)
        section = win.contents.model.index(0, 0, volume)
        titles = [win.contents.model.index(i, 0, section).data()
                  for i in range(win.contents.model.rowCount(section))]
        assert "（无标题）" in titles, titles
        caption = next(top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == "第2页")
        tree.itemClicked.emit(caption, 0)
        qtbot.waitUntil(lambda: win.reading.view.article.title == "园区科技创新发展情况",
                        timeout=10000)
        out = tmp_path / "shots"
        out.mkdir()
        win.grab().save(str(out / "window.png"))
        dialog.grab().save(str(out / "report.png"))
        dialog.reject()
        # an import with nothing uncertain hides it again (the sample is read with no doubt)
        from tests.conftest import SAMPLE

        win.files.import_files([str(SAMPLE)])
        qtbot.waitUntil(lambda: win.files.importing == 0, timeout=90000)
        assert not button.isVisible()
    finally:
        win.close()
        win.session.wait()
        archive.close()


def test_each_decision_is_said_in_chinese_and_back_in_english(app, tmp_path):
    """The parser's own report of the planted file: every decision has its Chinese text, and
    the English interface says what the command line says; one not known is named by kind."""
    from sipviewer.ingest.parser import parse_file
    from sipviewer.model.types import Uncertain
    from sipviewer.ui.common import install_translator
    from sipviewer.ui.importreport import decision_text

    planted = tmp_path / "planted.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    items = parse_file(planted).uncertain
    assert len(items) == 6
    said = [decision_text(u) for u in items]
    assert all(re.search("[\u4e00-\u9fff]", s) and not re.search("[A-Za-z]{3,}", s)
               for s in said), said
    assert decision_text(Uncertain(7, "caption", "某", "a decision not seen before")) == \
        "图片说明：解析时没有把握，请核对"
    assert install_translator(app, "en") == "en"
    try:
        assert [decision_text(u) for u in items] == [u.decision for u in items]
    finally:  # back to Chinese for the tests that follow
        app.removeTranslator(app._sipviewer_translator)
        install_translator(app, "zh")
        app.removeTranslator(app._sipviewer_qt_translator)
