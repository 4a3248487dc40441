"""The window's first read: the contents and the article to show, started as soon as the
archive is found, before the window's modules are imported.

The read is plain data (`ContentsData`, from the browse view on a worker); the window makes
its rows from it (`contents.ContentsPane`) on the GUI thread. This module imports no widget
module and not `ui.common`: importing those creates a few hundred of Qt's enum types, and the
read should have the database to itself meanwhile rather than start after them. The
interpreter lock is shared, so a read started this early is done before the window is
built, and the window's first frame shows the article (it waited 30 ms for the read before).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from sipviewer.model.errors import NotFoundError

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from sipviewer.core.browse import Browse
    from sipviewer.model.ops import CancelToken
    from sipviewer.model.types import ArticleView, VolumeNode
    from sipviewer.ui.tasks import SyncTasks, Tasks


class ContentsData(NamedTuple):
    """What a full read of the contents brings back from the worker."""

    tree: list[VolumeNode]  # sections not yet opened come without their articles
    # every department that signs a record, with its count; and the most photos and tables
    # of one article. None: not read (the first read's: `read_extras` reads them later)
    departments: dict[str, int] | None
    most_media: tuple[int, int] | None
    first_article: int | None  # the contents' first article
    article: ArticleView | None  # the one to show


def read_contents(browse: Browse, want: int | None = None, *,
                  extras: bool = True) -> ContentsData:
    """The contents (on a worker): volumes and sections, with the articles of the first
    section that has any and of the one holding article ``want``; and the article to show
    (``want``, or the first when there is no such article). ``extras``: with `read_extras`."""
    outline = browse.tree(sections=())
    first = next((sec for vol in outline for sec in vol.sections if sec.unread), None)
    read = {first.id} if first is not None else set()
    section = browse.section_of(want) if want is not None else None
    if section is not None:
        read.add(section)
    articles = browse.section_articles(read) if read else {}
    tree = [vol._replace(sections=tuple(
        sec._replace(articles=articles[sec.id], unread=0) if sec.id in articles else sec
        for sec in vol.sections)) for vol in outline]
    head = articles[first.id][0].id if first is not None and articles[first.id] else None
    shown = want if section is not None else head
    try:
        article = browse.article(shown) if shown is not None else None
    except NotFoundError:  # removed meanwhile: the window asks for it as before
        article = None
    depts, most = read_extras(browse) if extras else (None, None)
    return ContentsData(tree, depts, most, head, article)


def read_extras(browse: Browse) -> tuple[dict[str, int], tuple[int, int]]:
    """What the first frame does without: the departments with their counts (for the filter
    panel, not shown then) and the most photos and tables of one article (the widest count
    a section not read yet may bring). Counting them goes over every article, photo and
    table: on 30 volumes, 40 % of the first read's SQL."""
    return departments(browse), browse.most_media()


def departments(browse: Browse) -> dict[str, int]:
    """Every department that signs a record, with its count."""
    return {d.name: d.records for d in browse.departments() if d.records}


def saved_article(settings: QSettings) -> int | None:
    """The article being read when the window last closed (None if none or unreadable)."""
    last = settings.value("reader/article")
    try:
        return int(last) if last not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class FirstRead:
    """The window's first read (`read_contents`), started before the window's modules are
    imported and its widgets built, on the lanes the window will use (``tasks``, the key
    "contents": a later read supersedes it). `ContentsPane.refresh` takes it over when it
    asks for the same article: at once if the read is done by then (the first frame then
    shows it), else when it arrives."""

    def __init__(self, tasks: Tasks | SyncTasks, browse: Browse, want: int | None) -> None:
        self.browse, self.want = browse, want
        self.result: ContentsData | None = None  # set by the worker when done
        self.error: BaseException | None = None  # or this, when the read failed
        self._taker: Any = None
        self._failed: Any = None
        self._taken = False

        def read(token: CancelToken) -> ContentsData:
            result = read_contents(browse, want, extras=False)  # (read after the first frame)
            self.result = result
            return result

        tasks.latest("contents", read, self._arrived, self._failure, lane="start")

    def _arrived(self, result: ContentsData) -> None:
        if self._taker is not None and not self._taken:
            self._taken = True
            self._taker(result)

    def _failure(self, exc: BaseException) -> None:
        self.error = exc
        if self._failed is not None and not self._taken:
            self._taken = True
            self._failed(exc)

    def take(self, taker: Any, failed: Any) -> None:
        """``taker(result)`` now if the read is done, else when it arrives; ``failed(exc)``
        instead if it failed (GUI thread). The window then reads as it would have without
        a first read, and reports what goes wrong."""
        if self.result is not None or self.error is not None:
            self._taken = True
            if self.result is not None:
                taker(self.result)
            else:
                failed(self.error)
        else:
            self._taker, self._failed = taker, failed
