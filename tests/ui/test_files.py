"""Import and export from the window, with real workers: success says what was done, failure
says what went wrong and claims nothing."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from sipviewer.core.archive import Archive
from sipviewer.model.ops import OpChanges


@pytest.fixture
def live_window(app, qtbot, sample_archive_dir, settings, tmp_path):
    """A window on a private copy of the sample archive whose tasks run on real threads."""
    from sipviewer.ui.mainwindow import MainWindow

    path = tmp_path / "arc"
    shutil.copytree(sample_archive_dir, path)
    archive = Archive.open(path)
    win = MainWindow(archive, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reading.view.article is not None, timeout=10000)
    yield win
    win.close()
    win.session.wait()
    archive.close()


def _messages(win) -> list[QMessageBox]:
    return [b for b in win.findChildren(QMessageBox) if b.isVisible()]


def _status(win) -> list[str]:
    seen: list[str] = []
    win.statusBar().messageChanged.connect(seen.append)
    return seen


def test_export_of_the_current_filter_as_csv(live_window, qtbot, tmp_path):
    win = live_window
    win.filtering.panel.kind_boxes["photo"].setChecked(True)
    item = next(win.filtering.panel.dept_list.item(i)
                for i in range(win.filtering.panel.dept_list.count())
                if win.filtering.panel.dept_list.item(i).data(Qt.ItemDataRole.UserRole) == "园区新闻中心")
    item.setCheckState(Qt.CheckState.Checked)
    win.search.run()
    status = _status(win)
    out = tmp_path / "photos.csv"
    with qtbot.waitSignal(win.photos.exported, timeout=10000) as blocker:
        win.files.export_photos(str(out))
    assert blocker.args == [str(out), 6]  # only what the filter selects
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 6 and {r["department"] for r in rows} == {"园区新闻中心"}
    assert any("已导出" in m and "6" in m for m in status)


def test_export_of_the_selection_as_json(live_window, qtbot, tmp_path):
    win = live_window
    win.center_tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: win.photos.model.rowCount() == 10, timeout=10000)
    view, model = win.photos.view, win.photos.model
    view.selectionModel().select(model.index(1), view.selectionModel().SelectionFlag.Select)
    view.selectionModel().select(model.index(3), view.selectionModel().SelectionFlag.Select)
    out = tmp_path / "chosen.json"
    with qtbot.waitSignal(win.photos.exported, timeout=10000):
        win.files.export_photos(str(out), "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == [model.photos[1].id, model.photos[3].id]


def test_a_failed_export_says_so_and_claims_nothing(live_window, qtbot, tmp_path):
    win = live_window
    status = _status(win)
    out = tmp_path / "no such folder" / "photos.csv"
    with qtbot.waitSignal(win.photos.export_failed, timeout=10000):
        win.files.export_photos(str(out))
    boxes = _messages(win)
    assert len(boxes) == 1 and boxes[0].windowTitle() == "导出失败"
    assert "no such folder" in boxes[0].text() and "：无法写入（文件夹不存在）" in boxes[0].text()
    assert not any("已导出" in m for m in status)
    assert not out.parent.exists()


def test_a_failed_import_says_so_and_changes_nothing(live_window, qtbot, tmp_path):
    win = live_window
    before = win.session.browse.stats()
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)  # not a yearbook text
    win.files.import_files([str(bad)])
    assert win.files.importing == 1
    qtbot.waitUntil(lambda: win.files.importing == 0, timeout=20000)
    boxes = _messages(win)
    assert len(boxes) == 1 and boxes[0].windowTitle() == "导入失败，档案未作任何改动"
    assert boxes[0].text() == f"{bad}：这是二进制数据，不是文本文件"  # in the interface's language
    assert win.session.browse.stats() == before


def test_an_import_adds_a_volume_and_the_contents_show_it(live_window, qtbot, tmp_path):
    from sipviewer.ingest.synthetic import generate_volume

    win = live_window
    text = tmp_path / "generated.txt"
    text.write_text(generate_volume(5, target_chars=20000, edition_year=2012).text,
                    encoding="utf-8")
    with qtbot.waitSignal(win.contents.loaded, timeout=30000) as blocker, \
            qtbot.waitSignal(win.session.changed, timeout=30000) as changed:
        win.files.import_files([str(text)])
    new_volume = max(v.id for v in blocker.args[0].volumes)
    assert changed.args[0] == OpChanges(contents=True, search=True, volumes_added=(new_volume,))
    # the views refreshed from that change: the contents, and the results of the search shown
    assert blocker.args[0].stats["volumes"] == 2 and win.contents.model.rowCount() == 2
    assert win.files.importing == 0 and not _messages(win)


def test_a_pdf_that_cannot_be_written_is_not_reported_as_exported(live_window, qtbot, tmp_path):
    win = live_window
    status = _status(win)
    with qtbot.waitSignal(win.reading.export_failed, timeout=10000):
        win.reading.export_pdf(str(tmp_path / "no such folder" / "article.pdf"))
    boxes = _messages(win)
    assert len(boxes) == 1 and boxes[0].windowTitle() == "导出失败"
    assert not any("已导出" in m for m in status)
    with qtbot.waitSignal(win.reading.exported, timeout=10000):
        win.reading.export_pdf(str(tmp_path / "article.pdf"))
    assert any("已导出" in m for m in status)


def test_an_import_message_is_chinese_and_takes_the_place_of_the_counts(live_window, qtbot,
                                                                       tmp_path):
    from sipviewer.ingest.synthetic import generate_volume

    win = live_window
    text = tmp_path / "generated.txt"
    text.write_text(generate_volume(6, target_chars=20000, edition_year=2013).text,
                    encoding="utf-8")
    status = _status(win)
    assert win.status.isVisible() and "篇文章" in win.status.text()
    with qtbot.waitSignal(win.contents.loaded, timeout=30000):
        win.files.import_files([str(text)])
    qtbot.waitUntil(lambda: win.files.importing == 0, timeout=30000)
    assert status[-1] == "generated.txt：已导入"
    assert win.statusBar().currentMessage() == "generated.txt：已导入"
    assert not win.status.isVisible()  # not drawn under the message
    win.statusBar().clearMessage()  # (the message's time is up)
    assert win.status.isVisible() and "2 卷" in win.status.text()
