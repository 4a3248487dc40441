"""The contents part of the window: volumes → sections → articles as a tree.

`refresh` reads the contents (with the counts and departments the rest of the window needs)
on a worker and emits `loaded(Contents)`; `add_volumes` (after an import) reads only the new
volumes and inserts their rows, keeping the rest of the tree, what is expanded and the current
article, then emits `loaded` with `Contents.added` naming them. Choosing an article in the
tree emits `article_chosen(id)`. Rows are built on the worker; the GUI thread only inserts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from sipviewer.core.browse import Browse
from sipviewer.model.ops import CancelToken
from sipviewer.model.types import VolumeInfo, VolumeNode
from sipviewer.ui.models import ContentsModel, IdRole, KindRole
from sipviewer.ui.session import ArchiveSession


@dataclass(frozen=True)
class Contents:
    """What one read of the contents brings back."""

    tree: list[VolumeNode]
    volumes: list[VolumeInfo]
    departments: dict[str, int]  # every department that signs a record, with its count
    stats: dict[str, int]  # volumes, articles, photos, tables
    added: tuple[int, ...] = ()  # the volumes this load inserted (empty: everything reloaded)
    widest: tuple[str, ...] = ()  # the count texts likely widest on screen (of the rows read)

    @property
    def first_article(self) -> int | None:
        for vol in self.tree:
            for sec in vol.sections:
                for art in sec.articles:
                    return art.id
        return None


def _contents(browse: Browse, tree: list[VolumeNode], volumes: list[VolumeInfo] | None = None,
              added: tuple[int, ...] = ()) -> Contents:
    """The contents read with ``tree`` (on a worker): counts and departments."""
    depts = {d.name: d.records for d in browse.departments() if d.records}
    if volumes is None:
        volumes = [node.volume for node in tree]  # the tree carries them with their counts
    stats = {"volumes": len(volumes), "articles": sum(v.articles for v in volumes),
             "photos": sum(v.photos for v in volumes), "tables": sum(v.tables for v in volumes)}
    return Contents(tree, volumes, depts, stats, added)


def _read_all(browse: Browse) -> tuple[Contents, object]:
    """The whole contents and their rows (on a worker)."""
    tree = browse.tree()
    root = ContentsModel.build_root(tree)
    return replace(_contents(browse, tree), widest=_widest(root)), root


def _widest(root: Any) -> tuple[str, ...]:
    """The few count texts of the rows under ``root`` that look widest (a CJK character
    counts twice): the GUI thread measures only these."""
    texts: set[str] = set()
    stack = list(root.children)
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

    def __init__(self, session: ArchiveSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self._quiet = False
        self.timeline_sections: set[int] = set()
        self._tree: list[VolumeNode] = []  # what the model shows
        self._full_pending = False  # a full reload is on its way: additions wait for it
        self.model = ContentsModel(self)
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

    def refresh(self) -> None:
        """Read everything again (on a worker) and replace the tree."""
        browse = self.session.browse
        self._full_pending = True

        self.session.latest("contents", lambda token: _read_all(browse), self._on_loaded)

    def add_volumes(self, volume_ids: Sequence[int]) -> None:
        """Volumes were imported: read only them (on a worker) and insert their rows. If the
        archive changed otherwise meanwhile (a volume replaced or gone), read everything."""
        if self._full_pending:
            self.refresh()
            return
        browse = self.session.browse
        have = tuple(self.model.volume_ids())
        old = {node.volume.id: node for node in self._tree}
        wanted = tuple(v for v in volume_ids if v not in old)

        def load(token: CancelToken) -> tuple[Contents, object]:
            volumes = browse.volumes()
            if {v.id for v in volumes} != set(have) | set(wanted) or len(old) != len(have):
                return _read_all(browse)
            new = {node.volume.id: node for node in browse.tree(wanted)}
            tree = [new[v.id] if v.id in new else old[v.id] for v in volumes]
            rows = [k for k, v in enumerate(volumes) if v.id in new]
            root = ContentsModel.build_root([tree[k] for k in rows])
            contents = _contents(browse, tree, volumes, wanted)
            return replace(contents, widest=_widest(root)), (have, root.children, rows)

        self.session.latest("contents", load, self._on_loaded)

    def _on_loaded(self, result: tuple[Contents, Any]) -> None:
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
        self._tree = contents.tree
        self.timeline_sections = {s.id for v in contents.tree for s in v.sections if s.events}
        self.loaded.emit(contents)

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
        again)."""
        idx = self.model.find(kind, article_id)
        if not idx.isValid():
            return False
        self._quiet = quiet
        try:
            self.view.setCurrentIndex(idx)
        finally:
            self._quiet = False
        return True

    def _on_current(self, index: QModelIndex, *_: object) -> None:
        if not self._quiet and index.isValid() and index.data(KindRole) == "article":
            self.article_chosen.emit(index.data(IdRole))
        elif not self._quiet and index.isValid() and index.data(KindRole) == "section" \
                and index.data(IdRole) in self.timeline_sections:
            self.section_chosen.emit(index.data(IdRole))
