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


def test_photos_added_among_those_shown_are_inserted_in_place(app, qtmodeltester,
                                                              sample_archive_dir):
    """New photos before, among and after the rows shown (a page of 3 here): each run is
    inserted where it goes, rows not yet paged in stay for paging, and the result is exactly the
    new list; a list that dropped or reordered a photo starts the gallery again."""
    from sipviewer.ui.models import IdRole, insertion_plan

    with Archive.open(sample_archive_dir, read_only=True, create=False) as arc:
        photos = arc.photo_views(arc.photo_ids())
    assert len(photos) == 10
    model = GalleryModel(lambda photo: None)
    model.PAGE = 3
    old = [photos[i] for i in (2, 3, 6, 7)]
    model.set_photos(old)
    assert model.rowCount() == 3
    inserted: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.modelReset.connect(lambda: resets.append(True))
    ids = [p.id for p in photos]
    plan = insertion_plan(model.ids, ids)  # made from the list shown, as a worker does
    assert plan is not None and plan[1] == [(0, 2), (4, 2), (8, 2)]
    model.set_ids(ids, {p.id: p for p in photos[:7]}, plan)
    assert inserted == [(0, 1), (4, 5)] and not resets  # the last run lies past the page
    assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == \
        [p.id for p in photos[:7]]
    while model.canFetchMore():
        model.fetchMore()
    assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == \
        [p.id for p in photos]
    qtmodeltester.check(model)
    assert insertion_plan(ids, ids[1:]) is None  # a photo gone
    assert insertion_plan(ids[:3], [ids[1], ids[0], ids[2]]) is None  # reordered


def test_views_are_read_for_the_rows_shown_only(app, qtbot, qtmodeltester, gallery_archive_dir):
    """The model holds every id but asks for a page's views when its rows come (paging, or a
    row asked for), once; until they arrive a row shows the placeholder and no caption; views
    asked for before the list was replaced are dropped. The photo dialog follows the same
    views: a photo not read yet shows as being read, then itself."""
    from sipviewer.ui.models import IdRole, ModelPhotos

    with Archive.open(gallery_archive_dir, read_only=True, create=False) as arc:
        ids = arc.photo_ids()
        views = {v.id: v for v in arc.photo_views(ids)}
    page = GalleryModel.PAGE
    assert len(ids) > 2 * page
    asked: list[tuple[int, list[int]]] = []
    model = GalleryModel(lambda photo: None, lambda epoch, want: asked.append((epoch, want)))
    model.set_ids(ids, {pid: views[pid] for pid in ids[:page]})
    assert model.rowCount() == page and not asked  # the first page came with the ids
    def caption(pid: int) -> str:
        text = views[pid].caption
        return text if len(text) <= 28 else text[:27] + "…"

    assert model.index(3).data() == caption(ids[3])
    model.fetchMore()
    assert [want for _, want in asked] == [ids[page:2 * page]]
    row = page + 5
    assert model.index(row).data() is None and model.index(row).data(IdRole) == ids[row]
    assert model.index(row).data(Qt.ItemDataRole.DecorationRole) is not None  # placeholder
    assert len(asked) == 1  # asked once, not again while it is read
    changed: list[int] = []
    model.dataChanged.connect(lambda first, last, roles=(): changed.append(first.row()))
    epoch = asked[0][0]
    model.add_views(epoch, [views[pid] for pid in asked[0][1]])
    assert changed == [page] and model.index(row).data() == caption(ids[row])
    # the photo dialog: a row far below, not read yet
    far = len(ids) - 1
    dialog = PhotoDialog(ModelPhotos(model), far, None)
    qtbot.addWidget(dialog)
    model.views_arrived.connect(dialog.views_arrived)
    assert dialog.image.text() == "…" and dialog.position.text() == f"{far + 1} / {len(ids)}"
    epoch, want = asked[-1]
    assert ids[far] in want
    model.add_views(epoch, [views[pid] for pid in want])
    assert views[ids[far]].caption in dialog.info.text()
    # views asked for before a reset are not taken
    model.fetchMore()
    stale_epoch, stale = asked[-1]
    model.set_ids(list(reversed(ids)), {})
    model.add_views(stale_epoch, [views[pid] for pid in stale])
    assert all(pid not in model.loaded_ids() for pid in stale)
    qtmodeltester.check(model)
