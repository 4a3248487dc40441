"""The contents part of the window: volumes → sections → articles as a tree.

`refresh` reads the contents (with the counts and departments the rest of the window needs)
on a worker and emits `loaded(Contents)`. It reads volumes and sections, and the articles of
two sections only: the first one's and the one holding the article to show (``want``); any
other section's articles are read (on a worker) when the section is opened, or when `select`
is asked for an article in it (a search hit). `add_volumes` (after an import) reads only the
new volumes, whole, and inserts their rows, keeping the rest of the tree, what is expanded and
the current article, then emits `loaded` with `Contents.added` naming them. Choosing an
article in the tree emits `article_chosen(id)`. Rows are built on the worker; the GUI thread
only inserts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from sipviewer.core.browse import Browse
from sipviewer.model.ops import CancelToken
from sipviewer.model.types import ArticleView, VolumeInfo, VolumeNode
from sipviewer.ui.firstread import (
    ContentsData,
    FirstRead,
    departments,
    read_contents,
    read_extras,
)
from sipviewer.ui.models import ContentsModel, IdRole, KindRole
from sipviewer.ui.session import ArchiveSession


class Contents(NamedTuple):
    """What one read of the contents brings back."""

    tree: list[VolumeNode]  # sections not yet opened come without their articles
    volumes: list[VolumeInfo]
    # every department that signs a record, with its count (None: not read yet: the first
    # read's, see `ContentsPane.read_extras`)
    departments: dict[str, int] | None
    stats: dict[str, int]  # volumes, articles, photos, tables
    added: tuple[int, ...] = ()  # the volumes this load inserted (empty: everything reloaded)
    widest: tuple[str, ...] = ()  # the count texts likely widest on screen (of the rows read)
    first_article: int | None = None  # the contents' first article (of a full read)
    article: ArticleView | None = None  # the one to show, read with them (of a full read)


def _counted(tree: list[VolumeNode], depts: dict[str, int] | None,
             volumes: list[VolumeInfo] | None = None, added: tuple[int, ...] = ()) -> Contents:
    """The contents of ``tree`` (on a worker), with its departments' counts."""
    if volumes is None:
        volumes = [node.volume for node in tree]  # the tree carries them with their counts
    stats = {"volumes": len(volumes), "articles": sum(v.articles for v in volumes),
             "photos": sum(v.photos for v in volumes), "tables": sum(v.tables for v in volumes)}
    return Contents(tree, volumes, depts, stats, added)


def _read_all(browse: Browse, want: int | None = None) -> tuple[Contents, object]:
    """The contents and their rows (on a worker): see `read_contents`."""
    return _shape(read_contents(browse, want))


def _shape(data: ContentsData) -> tuple[Contents, object]:
    """The contents and their rows from a full read's data."""
    root = ContentsModel.build_root(data.tree)
    most = () if data.most_media is None else (ContentsModel.widest_media(*data.most_media),)
    widest = _widest(root.children, *most)
    return _counted(data.tree, data.departments)._replace(
        widest=widest, first_article=data.first_article, article=data.article), root


def _widest(nodes: list[Any], *more: str) -> tuple[str, ...]:
    """The few count texts of ``nodes`` and the rows under them (and ``more``) that look
    widest (a CJK character counts twice): the GUI thread measures only these."""
    texts: set[str] = set(more)
    stack = list(nodes)
    while stack:
        node = stack.pop()
        texts.add(node.count_text)
        stack.extend(node.children)
    return tuple(sorted(texts, key=lambda x: -sum(2 if ord(c) > 0x2E7F else 1 for c in x))[:4])


COUNT_PAD = 14  # pixels beside the count text (the item's margins, as Qt's own hint adds)


class ContentsPane(QObject):
    """`view` (the tree) over `model`; `select` shows an article's place in it."""

    article_chosen = Signal(int)
    section_chosen = Signal(int)  # a 大事记 section (it opens as a timeline)
    loaded = Signal(object)  # Contents
    departments_read = Signal(object)  # dict[str, int]: read after a first read without them

    def __init__(self, session: ArchiveSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self._quiet = False
        self.timeline_sections: set[int] = set()
        self._tree: list[VolumeNode] = []  # what the model shows
        self._full_pending = False  # a full reload is on its way: additions wait for it
        self._want: int | None = None  # the article the last full read was asked to show
        self._extras_wanted = False  # the last full read did without `read_extras`
        self._held: list[Any] | None = None  # reads done while the window is being built
        self.model = ContentsModel(self)
        self.model.section_wanted.connect(self._read_section)
        self._revealing = 0  # the latest `select` (an article of an unread section waits for it)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the counts column as wide as its widest text, measured once per load: sized to its
        # contents Qt would ask every row's text again at each change of the layout
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self._count_width = 0
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.activated.connect(self._on_current)

    def refresh(self, want: int | None = None, *, first: bool = False,
                started: FirstRead | None = None) -> None:
        """Read the contents again (on a worker) and replace the tree; ``want``: an article to
        be shown (its section's articles are read with them, and the article itself: see
        `Contents.article`). ``first``: the window's first read (at the GUI's priority);
        ``started``: that read, already under way (taken over if it reads the same)."""
        browse = self.session.browse
        self._full_pending = True
        if want is None:  # the article current in the tree
            index = self.view.currentIndex()
            want = index.data(IdRole) if index.data(KindRole) == "article" else self._want
        self._want = want

        def read() -> None:
            self.session.latest("contents", lambda token: _read_all(browse, want),
                                self._on_loaded, first=first)

        if started is not None and started.want == want and started.browse is browse:
            started.take(lambda data: self._on_loaded(_shape(data)), lambda exc: read())
        else:
            read()
        if first:  # meanwhile (the GUI thread waits for the read): what its first paint needs
            QTimer.singleShot(0, self.model.prepare_icons)

    def hold(self) -> None:
        """Keep what reads bring until `release` (a window starts its first read before it
        has built the parts that take the result)."""
        self._held = []

    @property
    def holding(self) -> bool:
        return self._held is not None

    def release(self) -> None:
        held, self._held = self._held, None
        for result in held or ():
            self._on_loaded(result)

    def _read_section(self, section_id: int, then: Any = None) -> None:
        """Read a section's articles on a worker and insert their rows (then ``then()``)."""
        browse, model = self.session.browse, self.model
        generation = model.generation

        def read() -> list[Any]:
            return ContentsModel.article_nodes(browse.section_articles([section_id])[section_id])

        def done(nodes: list[Any]) -> None:
            if model.set_articles(section_id, nodes, generation):
                self._fit_counts(_widest(nodes), grow=True)
            if then is not None:
                then()

        self.session.read(read, done)

    def add_volumes(self, volume_ids: Sequence[int]) -> None:
        """Volumes were imported: read only them (on a worker) and insert their rows. If the
        archive changed otherwise meanwhile (a volume replaced or gone), read everything."""
        if self._full_pending:
            self.refresh()
            return
        browse = self.session.browse
        index = self.view.currentIndex()
        want = index.data(IdRole) if index.data(KindRole) == "article" else self._want
        have = tuple(self.model.volume_ids())
        old = {node.volume.id: node for node in self._tree}
        wanted = tuple(v for v in volume_ids if v not in old)

        def load(token: CancelToken) -> tuple[Contents, object]:
            volumes = browse.volumes()
            if {v.id for v in volumes} != set(have) | set(wanted) or len(old) != len(have):
                return _read_all(browse, want)
            new = {node.volume.id: node for node in browse.tree(wanted)}
            tree = [new[v.id] if v.id in new else old[v.id] for v in volumes]
            rows = [k for k, v in enumerate(volumes) if v.id in new]
            root = ContentsModel.build_root([tree[k] for k in rows])
            contents = _counted(tree, departments(browse), volumes, wanted)
            return contents._replace(widest=_widest(root.children)), (have, root.children, rows)

        self.session.latest("contents", load, self._on_loaded)

    def _on_loaded(self, result: tuple[Contents, Any]) -> None:
        if self._held is not None:
            self._held.append(result)
            return
        contents, rows = result
        if contents.added:
            have, nodes, at = rows
            if tuple(self.model.volume_ids()) != have:  # the tree changed meanwhile
                self.refresh()
                return
            self.model.insert_volumes(nodes, at)
            for row in at:
                self.view.expand(self.model.index(row, 0))
            self._fit_counts(contents.widest, grow=True)
        else:
            self._full_pending = False
            self.model.set_root(rows)
            self.view.expandToDepth(0)
            self._fit_counts(contents.widest, grow=False)
            self._extras_wanted = contents.departments is None
        self._tree = contents.tree
        self.timeline_sections = {s.id for v in contents.tree for s in v.sections if s.events}
        self.loaded.emit(contents)

    def read_extras(self) -> None:
        """What the window's first read did without (`read_extras`), read now on a worker: the
        counts column widens to what a section not read yet may bring, and `departments_read`
        gives the departments. Nothing to do once a full read has brought them."""
        if not self._extras_wanted:
            return
        browse = self.session.browse

        def done(result: tuple[dict[str, int], tuple[int, int]]) -> None:
            if self._extras_wanted:
                self._extras_wanted = False
                departments, most = result
                self._fit_counts((ContentsModel.widest_media(*most),), grow=True)
                self.departments_read.emit(departments)

        self.session.read(lambda: read_extras(browse), done)

    def _fit_counts(self, texts: Sequence[str], *, grow: bool) -> None:
        metrics = self.view.fontMetrics()
        width = max((metrics.horizontalAdvance(text) for text in texts), default=0) + COUNT_PAD
        if grow:
            width = max(width, self._count_width)
        if width != self._count_width:
            self._count_width = width
            self.view.header().resizeSection(1, width)

    def select(self, article_id: int, *, quiet: bool = False, kind: str = "article") -> bool:
        """Make the article (or a section) current in the tree (``quiet``: without opening it
        again). An article of a section not read yet becomes current once its section is read
        (on a worker), unless another `select` or the user moved on meanwhile; False until then
        (and for an article not in the archive)."""
        self._revealing += 1
        if self._make_current(kind, article_id, quiet):
            return True
        if kind == "article":
            self._reveal(article_id, quiet)
        return False

    def _make_current(self, kind: str, ident: int, quiet: bool) -> bool:
        idx = self.model.find(kind, ident)
        if not idx.isValid():
            return False
        self._quiet = quiet
        try:
            self.view.setCurrentIndex(idx)
        finally:
            self._quiet = False
        return True

    def _reveal(self, article_id: int, quiet: bool) -> None:
        asked, current = self._revealing, QPersistentModelIndex(self.view.currentIndex())
        browse = self.session.browse

        def then() -> None:
            if asked == self._revealing and current == self.view.currentIndex():
                self._make_current("article", article_id, quiet)

        def found(section: int | None) -> None:
            if section is not None and asked == self._revealing:
                if self.model.unread(section):
                    self._read_section(section, then)
                else:
                    then()

        self.session.read(lambda: browse.section_of(article_id), found)

    def _on_current(self, index: QModelIndex, *_: object) -> None:
        if not self._quiet and index.isValid() and index.data(KindRole) == "article":
            self.article_chosen.emit(index.data(IdRole))
        elif not self._quiet and index.isValid() and index.data(KindRole) == "section" \
                and index.data(IdRole) in self.timeline_sections:
            self.section_chosen.emit(index.data(IdRole))
