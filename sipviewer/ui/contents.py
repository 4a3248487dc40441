"""The contents part of the window: volumes → sections → articles as a tree.

`refresh` reads the contents (with the counts and departments the rest of the window needs)
on a worker and emits `loaded(Contents)`; choosing an article in the tree emits
`article_chosen(id)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

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

    @property
    def first_article(self) -> int | None:
        for vol in self.tree:
            for sec in vol.sections:
                for art in sec.articles:
                    return art.id
        return None


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
        self.model = ContentsModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.activated.connect(self._on_current)

    def refresh(self) -> None:
        browse = self.session.browse

        def load():
            tree = browse.tree()
            depts = {d.name: d.records for d in browse.departments() if d.records}
            volumes = [node.volume for node in tree]  # the tree carries them with their counts
            stats = {"volumes": len(volumes), "articles": sum(v.articles for v in volumes),
                     "photos": sum(v.photos for v in volumes),
                     "tables": sum(v.tables for v in volumes)}
            return Contents(tree, volumes, depts, stats), ContentsModel.build_root(tree)

        self.session.latest("contents", lambda token: load(), self._on_loaded)

    def _on_loaded(self, result) -> None:
        contents, root = result
        self.timeline_sections = {s.id for v in contents.tree for s in v.sections if s.events}
        self.model.set_root(root)
        self.view.expandToDepth(0)
        self.loaded.emit(contents)

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
