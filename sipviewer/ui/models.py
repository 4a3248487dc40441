"""Item models of the viewer. They hold plain dataclasses from the archive, never ORM rows,
and never touch the database: data arrives from the worker thread through `set_*` calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap

from sipviewer.core.browse import highlight_spans, mark_spans
from sipviewer.model.types import ArticleNode, PhotoView, SearchHit, TableView, VolumeNode
from sipviewer.ui.common import date_text, interface_lang, plural, t
from sipviewer.ui.tasks import dispose_later

KindRole = Qt.ItemDataRole.UserRole + 1
SnippetRole = Qt.ItemDataRole.UserRole + 2
MetaRole = Qt.ItemDataRole.UserRole + 3
IdRole = Qt.ItemDataRole.UserRole + 4
SortRole = Qt.ItemDataRole.UserRole + 5
HitRole = Qt.ItemDataRole.UserRole + 6
TitleHtmlRole = Qt.ItemDataRole.UserRole + 7  # the title, escaped, matches in <mark>

KIND_LABELS = {"article": "文章", "photo": "照片", "table": "表格", "event": "大事记"}
KIND_ONE_EN = {"article": "Article", "photo": "Photo", "table": "Table", "event": "Event"}


def kind_name(kind: str) -> str:
    """One record's kind: 文章 / Article."""
    if interface_lang() == "en":
        return KIND_ONE_EN.get(kind, kind)
    return t(KIND_LABELS.get(kind, kind))
_Index = QModelIndex | QPersistentModelIndex


def _labels() -> tuple[str, str, str, str]:
    """The words of the contents' count column: photo, table, article (篇), untitled."""
    if interface_lang() == "en":
        return "P", "T", "", t("（无标题）")
    return t("图"), t("表"), t("篇"), t("（无标题）")


def kind_icon(kind: str) -> QIcon:
    """A small coloured badge with the kind's first character (no image files needed)."""
    colors = {"article": "#2f6fb3", "photo": "#2e8b57", "table": "#b0662f",
               "volume": "#6a4c93", "section": "#7a7a7a", "event": "#b23a48"}
    labels = {"article": "文", "photo": "图", "table": "表", "volume": "卷", "section": "栏",
              "event": "事"}
    if interface_lang() == "en":
        labels = {"article": "A", "photo": "P", "table": "T", "volume": "V", "section": "S",
                  "event": "E"}
    pix = QPixmap(32, 32)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(colors.get(kind, "#555")))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(1, 1, 30, 30, 7, 7)
    p.setPen(QColor("white"))
    font = p.font()
    font.setPixelSize(19)
    font.setBold(True)
    p.setFont(font)
    p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, labels.get(kind, "?"))
    p.end()
    return QIcon(pix)


class _Node:
    __slots__ = ("children", "count_text", "counts", "ident", "kind", "parent", "row",
                 "title", "unread")

    def __init__(self, kind: str, ident: int, title: str, parent: _Node | None, row: int,
                 count_text: str = "", counts: tuple | None = None) -> None:
        self.kind, self.ident, self.title = kind, ident, title
        self.parent, self.row, self.count_text = parent, row, count_text
        self.counts = counts  # what the short count column stands for (its tooltip)
        self.children: list[_Node] = []
        self.unread = 0  # a section whose articles are not read yet: how many it has


class ContentsModel(QAbstractItemModel):
    """Volumes → sections → articles, each article with its photo and table counts.

    A section may come without its articles (`SectionNode.unread`): it shows as expandable,
    and when a view opens it (`fetchMore`) the model emits `section_wanted(id)`; the owner
    reads the articles on a worker and hands them to `set_articles`."""

    section_wanted = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Node("root", 0, "", None, 0)
        self._icons: dict[str, QIcon] = {}
        self._sections: dict[int, _Node] = {}
        self._wanted: set[int] = set()  # sections asked for and not yet set
        self.generation = 0  # which root `set_articles` results belong to

    def set_root(self, root: _Node) -> None:
        """Install nodes made by `build_root` (which may run on a worker thread)."""
        self.beginResetModel()
        self._root = root
        self._sections = {}
        self._wanted = set()
        self.generation += 1
        self._index_sections(root.children)
        self.endResetModel()

    def _index_sections(self, volumes: list[_Node]) -> None:
        for vol in volumes:
            for sec in vol.children:
                self._sections[sec.ident] = sec

    def volume_ids(self) -> list[int]:
        return [node.ident for node in self._root.children]

    def prepare_icons(self) -> None:
        """Draw the kind badges now (the first one drawn sets up the font: 10 ms), so the
        first paint of the rows does not."""
        for kind in ("volume", "section", "article"):
            if kind not in self._icons:
                self._icons[kind] = kind_icon(kind)

    def insert_volumes(self, nodes: list[_Node], rows: list[int]) -> None:
        """Insert volume nodes (made by `build_root` on a worker) at ``rows`` (each counted
        after the ones before it are in): the rest of the tree, its expanded branches and the
        current item stay as they are."""
        children = self._root.children
        for node, row in sorted(zip(nodes, rows, strict=True), key=lambda pair: pair[1]):
            row = max(0, min(row, len(children)))
            self.beginInsertRows(QModelIndex(), row, row)
            node.parent = self._root
            children.insert(row, node)
            for k in range(row, len(children)):
                children[k].row = k
            self._index_sections([node])
            self.endInsertRows()

    def unread(self, section_id: int) -> bool:
        """Whether the section's articles are still to be read."""
        node = self._sections.get(section_id)
        return node is not None and node.unread > 0

    def set_articles(self, section_id: int, nodes: list[_Node], generation: int) -> bool:
        """The articles of a section read on a worker (`article_nodes`), for the root of
        ``generation``: inserted as its rows. False if they came too late (the section was
        filled meanwhile, or the whole tree replaced)."""
        self._wanted.discard(section_id)
        sec = self._sections.get(section_id)
        if generation != self.generation or sec is None or not sec.unread:
            return False
        parent = self.createIndex(sec.row, 0, sec)
        if not nodes:
            sec.unread = 0
            self.dataChanged.emit(parent, parent)
            return True
        for node in nodes:
            node.parent = sec
        self.beginInsertRows(parent, 0, len(nodes) - 1)
        sec.children = nodes
        sec.unread = 0
        self.endInsertRows()
        return True

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return bool(node.children) or node.unread > 0

    def canFetchMore(self, parent: _Index) -> bool:
        return parent.isValid() and parent.column() == 0 and self._node(parent).unread > 0

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        ident = self._node(parent).ident
        if ident not in self._wanted:  # asked once: the answer comes to `set_articles`
            self._wanted.add(ident)
            self.section_wanted.emit(ident)

    @staticmethod
    def build_root(tree: list[VolumeNode]) -> _Node:
        """The nodes; counts kept short (图4 表1, 4P 1T: the letters of the kind icons) so
        the titles keep the width, spelt out in the tooltip (made when asked: translating
        per row made 30 volumes' tree take a quarter of a second). A section whose articles
        were not read (an outline) gets none, and reads them when opened."""
        english = interface_lang() == "en"
        labels = _labels()
        root = _Node("root", 0, "", None, 0)
        for vi, vol in enumerate(tree):
            n = vol.volume.articles
            v = _Node("volume", vol.volume.id, vol.volume.label, root, vi,
                      str(n) if english else f"{n}{labels[2]}", ("articles", n))
            root.children.append(v)
            for si, sec in enumerate(vol.sections):
                count = ("events", sec.events) if sec.events and not sec.article_count else \
                    ("articles", sec.article_count)
                s = _Node("section", sec.id, sec.title, v, si, str(count[1]), count)
                v.children.append(s)
                s.unread = sec.unread
                s.children = ContentsModel.article_nodes(sec.articles, s, labels)
        return root

    @staticmethod
    def article_nodes(articles: Sequence[ArticleNode], parent: _Node | None = None,
                      labels: tuple[str, str, str, str] | None = None) -> list[_Node]:
        """The rows of a section's articles (``parent``: their section's node, or set when
        they are handed to `set_articles`)."""
        photo, table, _, untitled = labels or _labels()
        english = interface_lang() == "en"
        nodes = []
        for ai, art in enumerate(articles):
            p, tb = art.photos, art.tables
            if english:
                short = f"{p}P {tb}T" if p and tb else f"{p}P" if p else \
                    f"{tb}T" if tb else ""
            else:
                short = f"{photo}{p} {table}{tb}" if p and tb else \
                    f"{photo}{p}" if p else f"{table}{tb}" if tb else ""
            nodes.append(_Node("article", art.id, art.title or untitled, parent, ai,
                               short, ("media", p, tb) if short else None))
        return nodes

    @staticmethod
    def widest_media(photos: int, tables: int) -> str:
        """An article's count text with this many photos and tables (the widest it can be)."""
        return ContentsModel.article_nodes([ArticleNode(0, "", photos, tables)])[0].count_text

    @staticmethod
    def _count_tip(counts: tuple | None) -> str | None:
        """The counts spelt out: 5 articles; 4 photos, 1 table (4 张照片，1 张表格)."""
        if not counts:
            return None
        if counts[0] == "articles":
            return plural(counts[1], t("篇文章"), "article", "articles")
        if counts[0] == "events":
            return plural(counts[1], t("条大事"), "event", "events")
        english = interface_lang() == "en"
        parts = [plural(n, unit, one, many) for n, unit, one, many in (
            (counts[1], t("张照片"), "photo", "photos"), (counts[2], t("张表格"), "table", "tables"))
            if n]
        return (", " if english else "，").join(parts)

    def _node(self, index: _Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if column not in (0, 1) or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        if node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 2

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.title if index.column() == 0 else node.count_text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._count_tip(node.counts) if index.column() == 1 else node.title
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            if node.kind not in self._icons:
                self._icons[node.kind] = kind_icon(node.kind)
            return self._icons[node.kind]
        if role == KindRole:
            return node.kind
        if role == IdRole:
            return node.ident
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor("#777")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [t("目录"), ""][section] if 0 <= section < 2 else None
        return None

    def find(self, kind: str, ident: int) -> QModelIndex:
        def walk(node: _Node) -> _Node | None:
            for child in node.children:
                if child.kind == kind and child.ident == ident:
                    return child
                found = walk(child)
                if found:
                    return found
            return None
        node = walk(self._root)
        return self.createIndex(node.row, 0, node) if node else QModelIndex()


class ResultsModel(QAbstractListModel):
    """The hits of the current search, best first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.terms: list[str] = []
        self._icons: dict[str, QIcon] = {}  # drawn when first shown

    def set_hits(self, hits: list[SearchHit], terms: list[str] | tuple[str, ...] = ()) -> None:
        """The hits to list, and the normalised terms to mark in their titles."""
        self.beginResetModel()
        self.hits = list(hits)
        self.terms = list(terms)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.DecorationRole:
            if hit.kind not in self._icons:
                self._icons[hit.kind] = kind_icon(hit.kind)
            return self._icons[hit.kind]
        if role == KindRole:
            return hit.kind
        if role == SnippetRole:
            return hit.snippet
        if role == TitleHtmlRole:
            return mark_spans(hit.title, highlight_spans(hit.title, self.terms))
        if role == IdRole:
            return hit.id
        if role == HitRole:
            return hit
        if role == MetaRole:
            when = date_text(hit.date_start, hit.date_end,
                             "day" if hit.kind in ("photo", "event") else "year")
            return "  ·  ".join(x for x in (kind_name(hit.kind), hit.volume, when,
                                            hit.department or "") if x)
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.title
        return None


def insertion_plan(old: list[int], new: list[int]
                   ) -> tuple[list[int], list[tuple[int, int]]] | None:
    """Where ``new`` adds photos to ``old`` (lists of photo ids): (``old``, [(row in ``new``,
    count), …]) when every photo of ``old`` is in ``new`` in the same order, else None (a
    reading worker makes it; `GalleryModel.set_ids` applies it)."""
    runs: list[tuple[int, int]] = []
    i = 0
    for j, pid in enumerate(new):
        if i < len(old) and pid == old[i]:
            i += 1
        elif runs and runs[-1][0] + runs[-1][1] == j:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((j, 1))
    return (old, runs) if i == len(old) else None


class GalleryModel(QAbstractListModel):
    """Photos matching the current search: their ids, with the views of the rows on show read
    page by page; thumbnails arrive later.

    The gallery holds the ids of every match (tens of thousands) but reads a photo's view only
    when its row is shown: ``request_views(epoch, ids)`` reads them on a worker and
    `add_views` brings them (a row shows a placeholder meanwhile). After an import only the
    ids are read again: the new photos' views wait until their rows are shown.
    ``request_thumb(photo)`` is called (at most once per photo) the first time a photo with
    an image is shown; `set_thumbnail` then replaces the placeholder.
    """

    PAGE = 120
    views_arrived = Signal()

    def __init__(self, request_thumb: Callable[[PhotoView], None],
                 request_views: Callable[[int, list[int]], None] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._views: dict[int, PhotoView] = {}
        self._pending: set[int] = set()
        self._epoch = 0  # views asked for before the last reset are not taken
        self._shown = 0
        self._thumbs: dict[int, QPixmap] = {}
        self._requested: set[int] = set()
        self._request = request_thumb
        self._request_views = request_views
        self._placeholder = self._make_placeholder()

    @staticmethod
    def _make_placeholder() -> QPixmap:
        pix = QPixmap(160, 120)
        pix.fill(QColor("#eef0f3"))
        p = QPainter(pix)
        p.setPen(QColor("#b8bec8"))
        p.drawRect(0, 0, 159, 119)
        p.drawLine(0, 0, 159, 119)
        p.drawLine(0, 119, 159, 0)
        p.end()
        return pix

    def set_photos(self, photos: list[PhotoView]) -> None:
        """Show ``photos``, every view given (the gallery starts again from the top)."""
        self.set_ids([p.id for p in photos], {p.id: p for p in photos})

    def set_ids(self, ids: list[int], views: dict[int, PhotoView],
                plan: tuple[list[int], list[tuple[int, int]]] | None = None) -> None:
        """Show the photos ``ids``, with ``views`` (at least those of the first page). With a
        ``plan`` made by `insertion_plan` from the ids shown when it was made (a volume
        imported: the old photos all still there, in order), the new ones are inserted where
        they go and the rows already shown stay (the scroll position and the selection with
        them), and so do the views already read; otherwise the gallery starts again from the
        top."""
        old = self._views
        if plan is not None and plan[0] is self._ids:
            self._views = {**old, **views}
            self._insert(ids, plan[1])
        else:
            self.beginResetModel()
            self._epoch += 1
            self._pending.clear()
            self._ids = list(ids)
            self._views = dict(views)
            self._shown = min(self.PAGE, len(self._ids))
            self.endResetModel()
            dispose_later(list(old.values()))  # freeing many views at once stalled the GUI
        self._want(0, self._shown)

    def _insert(self, ids: list[int], runs: list[tuple[int, int]]) -> None:
        current = list(self._ids)
        for start, count in runs:  # in order: the rows above ``start`` are already the new ones
            shown = start < self._shown  # a run among the rows shown (later ones come by paging)
            if shown:
                self.beginInsertRows(QModelIndex(), start, start + count - 1)
            current[start:start] = ids[start:start + count]
            self._ids = current  # after the last run: ``ids``, element for element
            if shown:
                self._shown += count
                self.endInsertRows()

    def _want(self, first: int, last: int) -> None:
        """Ask for the views of rows ``first`` … ``last - 1`` not read or asked for yet."""
        missing = [pid for pid in self._ids[first:last]
                   if pid not in self._views and pid not in self._pending]
        if missing and self._request_views is not None:
            self._pending.update(missing)
            self._request_views(self._epoch, missing)

    def add_views(self, epoch: int, views: list[PhotoView]) -> None:
        """Views read for `request_views` (those of an earlier list are dropped)."""
        if epoch != self._epoch:
            return
        got = {v.id: v for v in views}
        self._views.update(got)
        self._pending.difference_update(got)
        rows = [r for r in range(self._shown) if self._ids[r] in got]
        if rows:
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], 0))
        self.views_arrived.emit()

    def views_failed(self, epoch: int, ids: list[int]) -> None:
        """A read of views failed: they may be asked for again."""
        if epoch == self._epoch:
            self._pending.difference_update(ids)

    def loaded_ids(self) -> list[int]:
        """The photos whose views are read."""
        return list(self._views)

    @property
    def ids(self) -> list[int]:
        """The ids of every photo matching, in order (rows not yet shown included)."""
        return self._ids

    @property
    def photos(self) -> list[PhotoView | None]:
        """The views of every photo matching, in order; None for those not read yet."""
        return [self._views.get(pid) for pid in self._ids]

    def photo_at(self, row: int) -> PhotoView | None:
        """The view of ``row`` (any row, shown or not); None until read (then asked for)."""
        if not 0 <= row < len(self._ids):
            return None
        view = self._views.get(self._ids[row])
        if view is None:
            page = row - row % self.PAGE
            self._want(page, page + self.PAGE)
        return view

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        more = min(self.PAGE, len(self._ids) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()
        self._want(self._shown - more, self._shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        if role == IdRole:
            return self._ids[index.row()]
        photo = self.photo_at(index.row())
        if photo is None:  # being read
            return self._placeholder if role == Qt.ItemDataRole.DecorationRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            text = photo.caption
            return text if len(text) <= 28 else text[:27] + "…"
        if role == Qt.ItemDataRole.DecorationRole:
            thumb = self._thumbs.get(photo.id)
            if thumb is not None:
                return thumb
            if photo.image_path and photo.id not in self._requested:
                self._requested.add(photo.id)
                self._request(photo)
            return self._placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (photo.caption, date_text(
                photo.date_start, photo.date_end, photo.date_precision), photo.credit or "") if x)
        return None

    def set_thumbnail(self, photo_id: int, image: QImage) -> None:
        # scaled into the placeholder's box: a larger pixmap is drawn over the caption
        self._thumbs[photo_id] = QPixmap.fromImage(image).scaled(
            self._placeholder.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)
        for row in range(self._shown):
            if self._ids[row] == photo_id:
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])
                break


class ModelPhotos(Sequence):  # type: ignore[type-arg]
    """The gallery's photos as the photo dialog goes through them: ``[row]`` is the view
    (None while it is read; `GalleryModel.views_arrived` says when views came)."""

    def __init__(self, model: GalleryModel) -> None:
        self.model = model

    def __len__(self) -> int:
        return len(self.model.ids)

    def __getitem__(self, row):  # type: ignore[no-untyped-def]
        if isinstance(row, slice):
            return [self.model.photo_at(r) for r in range(*row.indices(len(self)))]
        return self.model.photo_at(row)


class TableModel(QAbstractTableModel):
    """A printed table; `SortRole` gives numbers for numeric cells so they sort as numbers."""

    def __init__(self, table: TableView | None = None, parent=None) -> None:
        super().__init__(parent)
        self.table = table

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < len(self.table.rows) and 0 <= c < len(self.table.columns)):
            return None
        text = self.table.rows[r][c]
        number = self.table.numbers[r][c]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == SortRole:
            # numbers before text, numbers by value, text by itself
            return (0, number, "") if number is not None else (1, 0.0, text)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if number is not None:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or self.table is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.table.columns):
            return self.table.columns[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class TableSortProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a = self.sourceModel().data(left, SortRole)
        b = self.sourceModel().data(right, SortRole)
        return (a or (2, 0.0, "")) < (b or (2, 0.0, ""))
