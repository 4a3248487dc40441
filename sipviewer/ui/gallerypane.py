"""The gallery part of the window: the photos the current query and filters select, as a grid
of thumbnails loaded lazily, and the large view of one.

The gallery is refreshed only when it is visible (`set_query` marks it stale otherwise, `shown`
refreshes a stale one); refreshes are numbered and a stale answer is dropped. Thumbnails are
made on the session's image pool; the model shows a placeholder until each arrives.
`export` writes the catalogue of the selected photos, or of every photo the current query and
filters select, through the core; `exported(path, count)` or `export_failed(exc)` say how it went.
The label says when articles or tables match the query too (`set_other_counts`; a link shows
them), and a filter that cannot be used empties the grid with the reason instead of leaving
every photo on show.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from sipviewer.model.ops import CancelToken
from sipviewer.model.types import PhotoView
from sipviewer.ui.common import escape, interface_lang, plural, t, user_message
from sipviewer.ui.filters import FilterState
from sipviewer.ui.gallery import GalleryView, PhotoDialog, load_thumbnail
from sipviewer.ui.models import GalleryModel, ModelPhotos, insertion_plan
from sipviewer.ui.session import ArchiveSession


class GalleryPane(QObject):
    """`page` (label and grid), `model`, and the refresh, export and photo-dialog logic."""

    exported = Signal(str, int)  # path, photos written
    export_failed = Signal(object)  # the exception
    show_results = Signal()  # the user asked to see the article and table hits

    def __init__(self, session: ArchiveSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self._window = parent
        self.generation = 0
        self.dirty = True
        self.visible = False  # the window says whether the gallery tab is the current one
        self._query = ""
        self._state = FilterState()
        self.sort = "relevance"
        self._shown_for: tuple[str, FilterState, str] | None = None  # what the photos shown are
        self.keep_shown = False  # the last change only added (`apply_changes`): the photos
        # shown are still current, a refresh of the same view reads the ids and keeps them
        self._photos_found: int | None = None
        self._others: dict[str, int] = {}
        self.last_dialog: PhotoDialog | None = None
        self.model = GalleryModel(self._request_thumbnail, self._request_views, self)
        self.view = GalleryView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.activated_photo.connect(self.open_photo_row)
        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(4, 4, 4, 4)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.label.linkActivated.connect(lambda _: self.show_results.emit())
        layout.addWidget(self.label)
        layout.addWidget(self.view, 1)

    def set_query(self, query: str, state: FilterState) -> None:
        """The query and filters changed: refresh now if visible, else when next shown."""
        self._query, self._state = query, state
        self.dirty = True
        if self.visible:
            self.refresh()

    def set_sort(self, sort: str) -> None:
        """The order chosen for the results: the gallery follows it."""
        if sort != self.sort:
            self.sort = sort
            self.set_query(self._query, self._state)

    def set_other_counts(self, kinds: dict[str, int]) -> None:
        """How many records of each kind the current search matches (from its facets)."""
        self._others = {k: n for k, n in kinds.items() if k != "photo" and n}
        self._say()

    def _say(self) -> None:
        if self._photos_found is None:
            return
        text = plural(self._photos_found, "张照片", "photo", "photos")
        if interface_lang() == "zh":
            text = f"{t('共')} {text}"
        wanted = set(self._state.kinds)
        others = {k: n for k, n in self._others.items() if not wanted or k in wanted}
        if self._query.strip() and others:
            names = {"article": ("篇文章", "article", "articles"),
                     "table": ("张表格", "table", "tables"), "event": ("条大事记", "event", "events")}
            parts = [plural(n, *names.get(k, (k, k, k))) for k, n in others.items()]
            sep = "、" if interface_lang() == "zh" else ", "
            text += "　" + t("另有 {} 匹配").format(sep.join(parts)) + \
                f"　<a href='results'>{t('查看检索结果（Ctrl+2）')}</a>"
        self.label.setText(text)

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        if visible and self.dirty:
            self.refresh()

    def refresh(self) -> None:
        self.dirty = False
        self.generation += 1
        generation = self.generation
        query, state, sort = self._query, self._state, self.sort
        if state.error:  # a date that cannot be used: no photos rather than all of them
            self.failed(state.error)
            return

        model = self.model
        shown, have = model.ids, frozenset(model.loaded_ids())  # read here, not on the worker
        same = (query, state, sort) == self._shown_for  # the same view read again (a change)
        keep = same and self.keep_shown
        first = max(model.PAGE, model.rowCount()) if keep else model.PAGE

        def work(token: CancelToken) -> tuple[list[int], dict[int, PhotoView], Any]:
            archive = self.session.archive
            filters = archive.make_filters(**state.filter_args(kinds=("photo",)))  # type: ignore[arg-type]
            ids = archive.photo_ids_matching(query, filters, sort, token)
            # the views of the rows on show only (after an import: those not read already)
            wanted = [pid for pid in ids[:first] if not (keep and pid in have)]
            views = {v.id: v for v in archive.photo_views(wanted)}
            return ids, views, insertion_plan(shown, ids) if keep else None

        def done(found: tuple[list[int], dict[int, PhotoView], Any]) -> None:
            ids, views, plan = found
            if generation == self.generation:
                self._shown_for = (query, state, sort)
                self.model.set_ids(ids, views, plan)
                self._photos_found = len(ids)
                self._say()

        def failed(exc: BaseException) -> None:
            if generation == self.generation:
                self.failed(user_message(exc))

        self.session.latest("gallery", work, done, failed)

    def failed(self, message: str) -> None:
        self._shown_for = None
        self.model.set_photos([])
        self._photos_found = None
        self.label.setText(f"<span style='color:#b42318'>{escape(message)}</span>")

    def selected_ids(self) -> list[int]:
        ids = self.model.ids
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [ids[r] for r in rows if 0 <= r < len(ids)]

    def export(self, path: str, fmt: str | None = None) -> None:
        """Export the selected photos, or all that the current query and filters select."""
        ids, query, state = self.selected_ids(), self._query, self._state
        session = self.session

        def work() -> int:
            from sipviewer.core.export import export_photos

            if ids:
                photos = session.browse.photos(ids)
            else:
                archive = session.archive
                filters = archive.make_filters(**state.filter_args(kinds=("photo",)))  # type: ignore[arg-type]
                photos = archive.photos_matching(query, filters)
            return export_photos(photos, path, fmt)

        session.read(work, lambda count: self.exported.emit(path, count), self.export_failed.emit)

    def _request_thumbnail(self, photo: PhotoView) -> None:
        path, browse = photo.image_path, self.session.browse
        assert path is not None
        self.session.run_thumbnail(lambda: load_thumbnail(browse, path),
                                   lambda image: self.model.set_thumbnail(photo.id, image))

    def _request_views(self, epoch: int, ids: list[int]) -> None:
        session, model = self.session, self.model
        session.read(lambda: session.archive.photo_views(ids),
                     lambda views: model.add_views(epoch, views),
                     lambda exc: model.views_failed(epoch, ids))

    def open_photo_row(self, row: int) -> None:
        if 0 <= row < len(self.model.ids):
            self.last_dialog = PhotoDialog(ModelPhotos(self.model), row, self._window)
            self.model.views_arrived.connect(self.last_dialog.views_arrived)
            self.last_dialog.open()  # window-modal, does not block the event loop
