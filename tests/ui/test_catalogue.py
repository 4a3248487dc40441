"""The 编目 mode driven as a librarian would: click photos with Ctrl, type a tag, Enter, undo,
redo, revert from the history, drop an image on a photo, match a folder with a CSV.
Real archive (a copy per test), real widgets, tasks run synchronously."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from sipviewer.core.archive import Archive
from tests.ui.conftest import type_text


@pytest.fixture
def arc_dir(sample_archive_dir, tmp_path):
    shutil.copytree(sample_archive_dir, tmp_path / "arc")
    return tmp_path / "arc"


@pytest.fixture
def cat_window(app, qtbot, arc_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    archive = Archive.open(arc_dir)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.center_tabs.setCurrentWidget(win.catalogue.tab_page)
    assert win.catalogue.model.rowCount() >= 5
    yield win
    win.close()
    archive.close()


def click_photo(qtbot, cat, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    view = cat.gallery
    rect = view.visualRect(cat.model.index(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def photo(win, pid: int):
    return win.session.archive.photo(pid)


def test_three_photos_tag_undo_redo_revert_from_history(qtbot, cat_window, monkeypatch):
    win, cat = cat_window, cat_window.catalogue
    click_photo(qtbot, cat, 0)
    click_photo(qtbot, cat, 2, Qt.KeyboardModifier.ControlModifier)
    click_photo(qtbot, cat, 4, Qt.KeyboardModifier.ControlModifier)
    ids = cat.selected_ids()
    assert len(ids) == 3 and cat.panel.heading.text().startswith("已选 3")
    before = {pid: photo(win, pid) for pid in ids}
    tags = cat.panel.edits["tags"]
    tags.setFocus()
    type_text(tags, "抗疫一线")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    assert all("抗疫一线" in photo(win, pid).tags for pid in ids)
    history = win.session.archive.catalogue.history(ids[0])
    change = history[-1].change_set
    assert {c.photo_id for c in win.session.archive.catalogue.change_set(change).changes} == set(ids)
    for pid in ids:  # the other fields, mixed or not, were left alone
        now = photo(win, pid)
        assert (now.caption, now.date_start, now.credit) == (
            before[pid].caption, before[pid].date_start, before[pid].credit)
    rows = [cat.model.row_of(pid) for pid in ids]
    qtbot.keyClick(cat.gallery, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not any("抗疫一线" in photo(win, pid).tags for pid in ids)
    qtbot.keyClick(cat.gallery, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert all("抗疫一线" in photo(win, pid).tags for pid in ids)
    assert [cat.model.row_of(pid) for pid in ids] == rows  # the gallery kept its order
    assert sorted(cat.selected_ids()) == sorted(ids)
    # a later edit of one photo's tags, then revert the batch from the history: the later
    # tag stays, the batch's goes; the panel and the gallery show it at once
    click_photo(qtbot, cat, 0)
    tags = cat.panel.edits["tags"]
    tags.setFocus()
    tags.end(False)
    type_text(tags, "、夜景")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    assert set(photo(win, ids[0]).tags) >= {"抗疫一线", "夜景"}
    redo_change = win.session.archive.catalogue.history(ids[1])[-1].change_set
    items = [cat.history.item(k) for k in range(cat.history.count())]
    target = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) == redo_change)
    cat.history.setCurrentItem(target)
    qtbot.mouseClick(cat.revert_history_button, Qt.MouseButton.LeftButton)
    assert photo(win, ids[0]).tags == ("夜景",)
    assert all("抗疫一线" not in photo(win, pid).tags for pid in ids)
    assert cat.model.photos[cat.model.row_of(ids[0])].tags == ("夜景",)
    assert "夜景" in cat.panel.edits["tags"].text()


def test_revert_asks_before_overwriting_a_later_edit(qtbot, cat_window):
    win, cat = cat_window, cat_window.catalogue
    click_photo(qtbot, cat, 1)
    pid = cat.selected_ids()[0]
    original = photo(win, pid).location
    loc = cat.panel.edits["location"]
    loc.setFocus()
    type_text(loc, "金鸡湖")
    qtbot.keyClick(loc, Qt.Key.Key_Return)
    first = win.session.archive.catalogue.history(pid)[-1].change_set
    loc.setFocus()
    loc.selectAll()
    type_text(loc, "独墅湖")
    qtbot.keyClick(loc, Qt.Key.Key_Return)
    assert photo(win, pid).location == "独墅湖"
    cat.load_history(pid)
    items = [cat.history.item(k) for k in range(cat.history.count())]
    cat.history.setCurrentItem(next(i for i in items
                                    if i.data(Qt.ItemDataRole.UserRole) == first))
    answers = []

    def answer(button):  # the librarian's answer to the question shown
        def click() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            answers.append(box.text())
            box.button(button).click()
        QTimer.singleShot(0, click)

    answer(QMessageBox.StandardButton.No)
    cat.revert_selected_history()
    assert answers and photo(win, pid).location == "独墅湖"  # kept
    answer(QMessageBox.StandardButton.Yes)
    cat.revert_selected_history()
    assert photo(win, pid).location == original


def test_date_is_checked_as_typed_and_nothing_is_saved_when_bad(qtbot, cat_window):
    win, cat = cat_window, cat_window.catalogue
    click_photo(qtbot, cat, 0)
    pid = cat.selected_ids()[0]
    before = photo(win, pid)
    date = cat.panel.edits["date"]
    date.setFocus()
    date.selectAll()
    type_text(date, "2020-13")
    assert "没有 13 月" in cat.panel.date_status.text()  # as precise as the command line
    assert "日期无效" in cat.panel.date_status.text()
    assert not cat.panel.save_button.isEnabled()
    qtbot.keyClick(date, Qt.Key.Key_Return)
    assert photo(win, pid) == before
    date.selectAll()
    type_text(date, "2020年3月5日")
    assert cat.panel.date_status.text().startswith("✓ 2020年3月5日")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    assert photo(win, pid).date_start.isoformat() == "2020-03-05"


def test_keyboard_flow_arrow_type_enter(qtbot, cat_window):
    win, cat = cat_window, cat_window.catalogue
    click_photo(qtbot, cat, 0)
    cat.gallery.setFocus()
    qtbot.keyClick(cat.gallery, Qt.Key.Key_Right)
    pid = cat.selected_ids()[0]
    assert pid == cat.model.photos[1].id
    type_text(cat.gallery, "新")  # typing goes to the caption, replacing it
    assert cat.panel.edits["caption"].hasFocus()
    type_text(QApplication.focusWidget(), "说明")  # the next keys go where the focus is
    qtbot.keyClick(cat.panel.edits["caption"], Qt.Key.Key_Return)
    assert photo(win, pid).caption == "新说明"
    assert cat.gallery.hasFocus()  # back on the gallery: the next arrow goes on
    qtbot.keyClick(cat.gallery, Qt.Key.Key_Right)
    assert cat.selected_ids() == [cat.model.photos[2].id]


def test_a_long_caption_is_shown_whole_on_wrapped_lines_and_enter_saves(qtbot, cat_window):
    win, cat = cat_window, cat_window.catalogue
    click_photo(qtbot, cat, 0)
    pid = cat.selected_ids()[0]
    caption = cat.panel.edits["caption"]
    line = caption.fontMetrics().lineSpacing()
    assert 2 * line <= caption.height() <= 5 * line
    long_text = photo(win, pid).caption + "，" + "园区各部门联合开展防疫检查并登记车辆" * 3
    caption.setFocus()
    caption.selectAll()
    type_text(caption, long_text)
    assert caption.height() >= 3 * line  # grew with the text (at most four lines)
    assert caption.verticalScrollBar().maximum() <= 1 or caption.height() >= 4 * line
    qtbot.keyClick(caption, Qt.Key.Key_Return)
    assert photo(win, pid).caption == long_text  # one paragraph: Enter saved, no newline
    shot = os.environ.get("SIPVIEWER_SCREENSHOT_DIR")  # looked at by eye when set
    if shot:
        qtbot.wait(100)  # the form takes the caption's new height
        cat_window.grab().save(str(Path(shot) / "catalogue-long-caption.png"))


def drop(view, files: list[Path], pos) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    point = QPointF(pos)
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(point.toPoint(), action, mime, buttons, mods),
                  QDragMoveEvent(point.toPoint(), action, mime, buttons, mods),
                  QDropEvent(point, action, mime, buttons, mods)):
        QApplication.sendEvent(view.viewport(), event)


def test_attach_by_drag_and_drop_on_a_photo(qtbot, cat_window, tmp_path):
    win, cat = cat_window, cat_window.catalogue
    image = tmp_path / "扫描件.jpg"
    Image.new("RGB", (400, 300), (200, 60, 60)).save(image, quality=90)
    row = 3
    pid = cat.model.photos[row].id
    drop(cat.gallery, [image], cat.gallery.visualRect(cat.model.index(row)).center())
    p = photo(win, pid)
    assert p.image_path and Path(p.image_path).read_bytes() == image.read_bytes()
    assert cat.model.photos[row].image_path == p.image_path  # the row was patched in place
    assert cat.model.data(cat.model.index(row), Qt.ItemDataRole.DecorationRole) is not None
    # the thumbnail stays inside its box above the caption
    delegate = cat.gallery.itemDelegate()
    rect = cat.gallery.visualRect(cat.model.index(row))
    image_box, text_box = delegate._boxes(rect.adjusted(2, 2, -2, -2))
    assert image_box.bottom() < text_box.top()
    qtbot.keyClick(cat.gallery, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert photo(win, pid).image_path is None


def test_folder_matching_with_a_csv(qtbot, cat_window, tmp_path):
    win, cat = cat_window, cat_window.catalogue
    folder = tmp_path / "scans"
    folder.mkdir()
    photos = cat.model.photos
    for k in range(3):
        Image.new("RGB", (200, 150), (40 * k, 90, 160)).save(folder / f"scan{k}.jpg")
    (folder / "unlisted.jpg").write_bytes((folder / "scan0.jpg").read_bytes())
    mapping = tmp_path / "map.csv"
    mapping.write_text("file,photo_id\n"
                       f"scan0.jpg,{photos[0].id}\nscan1.jpg,{photos[1].id}\n"
                       f"scan2.jpg,{photos[2].caption}\n", encoding="utf-8")
    dialog = cat.open_match_dialog(folder=folder)
    qtbot.addWidget(dialog)
    dialog.mapping.setText(str(mapping))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 3
    assert [dialog.table.item(r, 0).text() for r in range(3)] == ["scan0.jpg", "scan1.jpg",
                                                                 "scan2.jpg"]
    assert dialog.unmatched.item(0, 0).text() == "unlisted.jpg"
    assert dialog.unmatched.item(0, 1).text() == "CSV 中未列出"
    assert all(photo(win, p.id).image_path is None for p in photos[:3])  # only a preview
    qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
    assert all(photo(win, p.id).image_path for p in photos[:3])
    changes = {h.change_set for p in photos[:3] for h in win.session.archive.catalogue.history(p.id)}
    assert len(changes) == 1
    cat.has_image.setCurrentIndex(1)  # 有图片
    assert {p.id for p in cat.model.photos} >= {p.id for p in photos[:3]}


def test_read_only_and_kiosk_show_no_catalogue(app, qtbot, sample_archive_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    with Archive.open(sample_archive_dir, read_only=True) as archive:
        win = MainWindow(archive, runner=SyncRunner(), settings=settings)
        qtbot.addWidget(win)
        assert win.catalogue is None
        assert all(win.center_tabs.tabText(k) != "编目" for k in range(win.center_tabs.count()))
        win.close()


def test_screenshot_of_the_catalogue_mode(qtbot, cat_window, tmp_path):
    cat = cat_window.catalogue
    click_photo(qtbot, cat, 0)
    click_photo(qtbot, cat, 2, Qt.KeyboardModifier.ShiftModifier)
    assert len(cat.selected_ids()) == 3
    shot = tmp_path / "catalogue.png"
    assert cat_window.grab().save(str(shot))
    assert Image.open(shot).size == (1280, 800)


def test_a_thumbnail_never_covers_its_caption_in_the_reading_gallery(app):
    from PySide6.QtGui import QImage

    from sipviewer.model.types import PhotoView
    from sipviewer.ui.models import GalleryModel

    model = GalleryModel(lambda photo: None)
    model.set_photos([PhotoView(1, 1, "文章", 1, "卷", "说明", None, None, "none", None, None,
                                None, 1, "/x.jpg")])
    big = QImage(320, 480, QImage.Format.Format_RGB32)  # the cached thumbnail is 320 px
    model.set_thumbnail(1, big)
    pix = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert pix.width() <= 160 and pix.height() <= 120
