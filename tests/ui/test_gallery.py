"""The gallery: lazy pages of thumbnails (placeholder first, then the image), large view."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sipviewer.core.archive import Archive
from sipviewer.ui.gallery import PhotoDialog
from sipviewer.ui.mainwindow import MainWindow
from sipviewer.ui.models import GalleryModel
from sipviewer.ui.tasks import SyncRunner


def test_gallery_pages_and_thumbnails(app, qtbot, qtmodeltester, gallery_archive_dir, settings):
    archive = Archive.open(gallery_archive_dir)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    qtbot.addWidget(win)
    win.show()
    win.center_tabs.setCurrentIndex(2)
    model = win.photos.model
    total = len(model.photos)
    assert total > GalleryModel.PAGE
    assert f"{total}" in win.photos.label.text()
    assert model.rowCount() == GalleryModel.PAGE  # only the first page so far
    qtmodeltester.check(model)  # (it fetches more pages itself)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    # the photo with an image: its thumbnail replaced the placeholder
    row = next(i for i, p in enumerate(model.photos) if p.image_path)
    pix = model.index(row).data(Qt.ItemDataRole.DecorationRole)
    placeholder = model.index(next(i for i, p in enumerate(model.photos)
                                   if not p.image_path)).data(Qt.ItemDataRole.DecorationRole)
    assert pix.cacheKey() != placeholder.cacheKey()
    assert pix.toImage().pixelColor(80, 60).blue() > 150  # the blue test scan
    assert list((gallery_archive_dir / "thumbnails").iterdir())
    # a search narrows the gallery
    win.search.box.setText("月亮湾新貌")
    win.search.run()
    assert [p.caption for p in model.photos] == ["月亮湾新貌"]
    win.close()
    archive.close()


def test_photo_dialog_prev_next(app, qtbot, gallery_archive_dir):
    with Archive.open(gallery_archive_dir) as archive:
        photos = archive.photo_views(archive.photo_ids()[:5])
    dialog = PhotoDialog(photos, 0, None)
    qtbot.addWidget(dialog)
    assert not dialog.prev_button.isEnabled()
    assert photos[0].caption in dialog.info.text()
    dialog.next_button.click()
    assert dialog.row == 1 and dialog.position.text() == "2 / 5"
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    assert dialog.row == 2
    qtbot.keyClick(dialog, Qt.Key.Key_Left)
    assert dialog.row == 1
    assert dialog.image.pixmap().isNull() or dialog.image.text() != ""
