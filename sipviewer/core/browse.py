"""The fast browse facade: an archive read through plain `sqlite3`, and what the viewer shows.

`open_browse` gives a `Browse` over an existing, up-to-date archive without importing
SQLAlchemy or Whoosh, so the viewer shows the contents and the first article at once; the
full `Archive` (search, writes) opens behind it. `Archive.reader` is a `Browse` too: every
read of the archive goes through this one read path.

Also here, so the viewer needs nothing below core: where search terms occur in a text
(`highlight_spans`, `mark_spans`) and the cached thumbnail of a photo (`Browse.thumbnail`).

Thread use: any thread (connections are per thread; see `sipviewer.storage.reader`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sipviewer.model.errors import ArchiveError
from sipviewer.model.types import DepartmentInfo, VolumeNode
from sipviewer.storage.reader import ArchiveReader, HitSource

__all__ = ["Browse", "HitSource", "highlight_spans", "mark_spans", "open_browse"]

THUMBNAIL_SIZE = 320


class Browse(ArchiveReader):
    """Read-only views of an archive (contents, articles, photos, tables, departments, the
    rows a search hit shows), in plain SQL; never writes to the database."""

    def thumbnail(self, image_path: str | Path, size: int = THUMBNAIL_SIZE) -> Path:
        """A JPEG thumbnail of a photo's image, made once into the archive's ``thumbnails/``
        (Pillow; call it from a worker). `InputError` if the image cannot be read."""
        from sipviewer.media.images import thumbnail  # Pillow loads when first needed

        return thumbnail(Path(image_path), self.folder / "thumbnails", size)

    # -- the contents, read ahead at start-up -----------------------------------------------
    _ahead: tuple[threading.Thread, dict[str, Any]] | None = None

    def read_contents_ahead(self) -> None:
        """Start reading the contents (`tree` and `departments`) on a thread of its own: the
        viewer builds its window meanwhile. The next `tree()` and `departments()` take what
        it read, if the archive has not changed since (its generation); else they read."""
        got: dict[str, Any] = {}

        def work() -> None:
            try:
                with self._snapshot() as c:  # one state of the archive for all three
                    row = c.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                    got["generation"] = int(row[0]) if row else 0
                got["tree"] = ArchiveReader.tree(self)
                got["departments"] = ArchiveReader.departments(self)
                if ArchiveReader.generation(self) != got["generation"]:
                    got.clear()  # a write came between: read again when asked
            except Exception:  # the read when asked reports it
                got.clear()

        thread = threading.Thread(target=work, name="contents-ahead", daemon=True)
        self._ahead = (thread, got)
        thread.start()

    def _read_ahead(self, key: str) -> Any:
        """What `read_contents_ahead` read under ``key`` (once), or None."""
        ahead = self._ahead
        if ahead is None:
            return None
        thread, got = ahead
        thread.join()
        value = got.pop(key, None)
        if not got.keys() - {"generation"}:
            self._ahead = None
        if value is not None and self.generation() != got.get("generation"):
            return None  # changed since: read it fresh
        return value

    def tree(self) -> list[VolumeNode]:
        ahead = self._read_ahead("tree")
        return ahead if ahead is not None else super().tree()

    def departments(self) -> list[DepartmentInfo]:
        ahead = self._read_ahead("departments")
        return ahead if ahead is not None else super().departments()


def open_browse(folder: str | Path) -> Browse | None:
    """A browse view of the archive in ``folder`` if it exists, is up to date and has
    volumes; None otherwise (the caller opens the full archive, which says why)."""
    try:
        browse = Browse.open(folder)
        assert isinstance(browse, Browse)
    except ArchiveError:
        return None
    try:
        if browse.stats()["volumes"]:
            return browse
    except Exception:  # a damaged file: the full open reports it properly
        pass
    browse.close()
    return None


def highlight_spans(text: str, terms: list[str] | tuple[str, ...]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of ``text`` where any normalised search term occurs
    (蘇州 finds 苏州): what the reader and the result list mark."""
    from sipviewer.search.snippets import match_spans

    return match_spans(text, list(terms))


def mark_spans(text: str, spans: list[tuple[int, int]], open_: str = "<mark>",
               close: str = "</mark>") -> str:
    """``text`` as HTML (escaped) with each span wrapped in ``open_`` … ``close``."""
    from sipviewer.search.snippets import mark

    return mark(text, spans, open_, close)
