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
    qtbot.waitUntil(lambda: win.files.importing == 0, timeout=90000)
    boxes = _messages(win)
    assert len(boxes) == 1 and boxes[0].windowTitle() == "导入失败，档案未作任何改动"
    assert boxes[0].text() == f"{bad}：这是二进制数据，不是文本文件"  # in the interface's language
    assert win.session.browse.stats() == before
    # the contents and the article being read are as they were
    assert win.contents.model.rowCount() == 1 and win.reading.view.article is not None


def test_an_import_adds_a_volume_and_the_contents_show_it(live_window, qtbot, tmp_path):
    from sipviewer.ingest.synthetic import generate_volume

    win = live_window
    text = tmp_path / "generated.txt"
    text.write_text(generate_volume(5, target_chars=20000, edition_year=2012).text,
                    encoding="utf-8")
    with qtbot.waitSignal(win.contents.loaded, timeout=90000) as blocker, \
            qtbot.waitSignal(win.session.changed, timeout=90000) as changed:
        win.files.import_files([str(text)])
    new_volume = max(v.id for v in blocker.args[0].volumes)
    assert changed.args[0] == OpChanges(contents=True, search=True, volumes_added=(new_volume,))
    # the views refreshed from that change: the contents, and the results of the search shown
    assert blocker.args[0].stats["volumes"] == 2 and win.contents.model.rowCount() == 2
    assert win.files.importing == 0 and not _messages(win)


def test_an_import_inserts_the_new_volumes_and_the_reader_stays_where_it_was(
        live_window, qtbot, qtmodeltester, tmp_path):
    """The views refresh from the change: the new volumes' rows are inserted in their places
    (by edition year), expanded; the current article, the tree's current row and the place in
    the text stay; the article is not opened again."""
    from sipviewer.ingest.synthetic import generate_volume
    from sipviewer.ui.models import IdRole

    win = live_window
    model, view = win.contents.model, win.contents.view
    browse = win.session.browse
    ids = [a.id for s in browse.tree()[0].sections for a in s.articles]
    longest = max(ids, key=lambda i: sum(map(len, browse.article(i).paragraphs)))
    with qtbot.waitSignal(win.reading.article_opened, timeout=10000):
        assert win.contents.select(longest)
    bar = win.reading.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10000)
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    old_label = model.index(0, 0).data()
    opened: list[object] = []
    win.reading.article_opened.connect(opened.append)
    files = []
    for seed, year in ((7, 2012), (8, 2030)):  # one before the sample's 2021, one after
        files.append(tmp_path / f"generated-{year}.txt")
        files[-1].write_text(generate_volume(seed, target_chars=20000, edition_year=year).text,
                             encoding="utf-8")
    with qtbot.waitSignal(win.contents.loaded, timeout=90000) as blocker:
        win.files.import_files([str(f) for f in files])
    contents = blocker.args[0]
    assert len(contents.added) == 2 and contents.stats["volumes"] == 3
    assert model.rowCount() == 3 and model.index(1, 0).data() == old_label
    years = [v.edition_year for v in contents.volumes]
    assert years == [2012, 2021, 2030]
    assert [model.index(r, 0).data(IdRole) for r in range(3)] == [v.id for v in contents.volumes]
    new_rows = [0, 2]
    for row in new_rows:  # the new volumes, whole, expanded as a loaded tree is
        index = model.index(row, 0)
        node = contents.tree[row]
        assert view.isExpanded(index) and model.rowCount(index) == len(node.sections)
        last = model.index(len(node.sections) - 1, 0, index)
        assert [model.index(i, 0, last).data(IdRole) for i in range(model.rowCount(last))] == \
            [a.id for a in node.sections[-1].articles]
    assert view.isExpanded(model.index(1, 0))
    # where one was reading: the same article, the same row current, the same place
    assert view.currentIndex().data(IdRole) == longest
    assert model.find("article", longest) == view.currentIndex()
    assert win.reading.current_article == longest and bar.value() == place and not opened
    qtmodeltester.check(model)
    # counts everywhere say the archive now has three volumes
    assert "3 卷" in win.status.text()
    assert win.filtering.panel.volume.count() == 4  # 全部卷 and each volume


def test_contents_read_everything_again_when_the_archive_changed_otherwise(live_window, qtbot):
    """An addition that does not match what the archive holds (a volume replaced or removed
    meanwhile) is not patched in: the whole contents are read again."""
    win = live_window
    with qtbot.waitSignal(win.contents.loaded, timeout=10000) as blocker:
        win.contents.add_volumes([10 ** 6])  # no such volume in the archive
    assert blocker.args[0].added == () and win.contents.model.rowCount() == 1
    assert win.contents.model.volume_ids() == [v.id for v in win.session.browse.volumes()]


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
    with qtbot.waitSignal(win.contents.loaded, timeout=90000):
        win.files.import_files([str(text)])
    qtbot.waitUntil(lambda: win.files.importing == 0, timeout=90000)
    assert status[-1] == "generated.txt：已导入"
    assert win.statusBar().currentMessage() == "generated.txt：已导入"
    assert not win.status.isVisible()  # not drawn under the message
    win.statusBar().clearMessage()  # (the message's time is up)
    assert win.status.isVisible() and "2 卷" in win.status.text()


def test_an_import_inserts_the_new_photos_into_the_gallery_shown(live_window, qtbot,
                                                                 qtmodeltester, tmp_path):
    """With the gallery open, an import puts the new volumes' photos in their places (reading
    order, by edition year) without starting the gallery again: the photo chosen stays chosen
    and no reset throws away the place scrolled to."""
    from sipviewer.ingest.synthetic import generate_volume
    from sipviewer.ui.mainwindow import GALLERY_TAB
    from sipviewer.ui.models import IdRole

    win = live_window
    win.show_tab(GALLERY_TAB)
    model, view = win.photos.model, win.photos.view
    qtbot.waitUntil(lambda: model.rowCount() == 10, timeout=10000)
    view.setCurrentIndex(model.index(4, 0))
    chosen = model.index(4, 0).data(IdRole)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    files = []
    for seed, year in ((7, 2012), (8, 2030)):
        files.append(tmp_path / f"generated-{year}.txt")
        files[-1].write_text(generate_volume(seed, target_chars=20000, edition_year=year).text,
                             encoding="utf-8")
    win.files.import_files([str(f) for f in files])
    qtbot.waitUntil(lambda: not win.files.importing and len(model.ids) > 10, timeout=90000)
    expected = win.session.archive.photo_ids()  # every photo, in reading order
    assert len(expected) > 10
    assert model.ids == expected
    # views are read for the first page and the rows on show only (the others' when they come)
    assert set(model.loaded_ids()) <= set(expected[:max(model.PAGE, model.rowCount())])
    assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == \
        expected[:model.rowCount()]
    assert view.currentIndex().data(IdRole) == chosen and not resets
    qtmodeltester.check(model)


def test_quitting_during_an_import_stops_it_and_changes_nothing(live_window, qtbot, tmp_path,
                                                                 monkeypatch):
    """The import runs in a child process: quitting (and confirming) ends that process, as
    the question promises; the archive stays as it was and no error is shown."""
    from sipviewer.ingest.synthetic import generate_volume

    win = live_window
    archive = win.session.archive
    before = archive.stats()
    vol = tmp_path / "generated-2012.txt"
    vol.write_text(generate_volume(7, target_chars=300_000, edition_year=2012).text,
                   encoding="utf-8")
    asked: list[str] = []

    def yes(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    win.files.import_files([str(vol)])
    qtbot.waitUntil(lambda: any(c.process.is_alive() for c in archive._children), timeout=30000)
    children = list(archive._children)
    assert win.close()
    assert asked and "放弃" in asked[0]
    assert all(not c.process.is_alive() for c in children)
    assert win.session.wait(30000)
    qtbot.waitUntil(lambda: win.files.importing == 0, timeout=10000)
    assert not _messages(win)
    assert archive.stats() == before
    with Archive.open(archive.path, read_only=True) as again:
        assert again.stats() == before


def test_an_import_says_which_file_it_is_at(live_window, qtbot, tmp_path):
    """The status bar follows the import in its child process: the file being read, then
    the outcome."""
    from sipviewer.ingest.synthetic import generate_volume

    win = live_window
    vol = tmp_path / "generated-2012.txt"
    vol.write_text(generate_volume(7, target_chars=20000, edition_year=2012).text,
                   encoding="utf-8")
    seen = _status(win)
    with qtbot.waitSignal(win.files.imported, timeout=90000):
        win.files.import_files([str(vol)])
    assert any(m.startswith("正在导入 generated-2012.txt…") for m in seen), seen
    assert "generated-2012.txt：已导入" in seen[-1]
