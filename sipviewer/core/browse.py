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

from pathlib import Path

from sipviewer.model.errors import ArchiveError
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

    def has_volumes(self) -> bool:
        """Whether the archive holds a volume (one row read: counting every table, as
        `stats` does, cost the viewer's start a few milliseconds)."""
        with self._snapshot() as c:
            return c.execute("SELECT 1 FROM volumes LIMIT 1").fetchone() is not None


def open_browse(folder: str | Path) -> Browse | None:
    """A browse view of the archive in ``folder`` if it exists, is up to date and has
    volumes; None otherwise (the caller opens the full archive, which says why)."""
    try:
        browse = Browse.open(folder)
        assert isinstance(browse, Browse)
    except ArchiveError:
        return None
    try:
        if browse.has_volumes():
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
