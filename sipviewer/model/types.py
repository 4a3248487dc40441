"""Plain immutable records passed between the core and its callers (CLI, UI, tests).

The parser produces `ParsedDocument`; the archive facade returns the record types
further down. None of these are ORM rows. They are named tuples, not frozen dataclasses:
the viewer makes them all as it starts, and a dataclass costs 1.2 ms to make (its methods
are compiled from source at import) where a named tuple costs 0.2 ms. Copy one with
``_replace``.
"""

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sipviewer.model.parsed import Dropped as Dropped
    from sipviewer.model.parsed import LedgerEntry as LedgerEntry
    from sipviewer.model.parsed import ParsedArticle as ParsedArticle
    from sipviewer.model.parsed import ParsedDocument as ParsedDocument
    from sipviewer.model.parsed import ParsedEvent as ParsedEvent
    from sipviewer.model.parsed import ParsedPhoto as ParsedPhoto
    from sipviewer.model.parsed import ParsedSection as ParsedSection
    from sipviewer.model.parsed import ParsedTable as ParsedTable
    from sipviewer.model.parsed import Uncertain as Uncertain

# The parser's types are in `sipviewer.model.parsed`, imported the first time one is asked for
# here: the viewer's start has no use for them (nine classes made cost it 8 ms).
_PARSED = frozenset({"Dropped", "LedgerEntry", "ParsedArticle", "ParsedDocument", "ParsedEvent",
                     "ParsedPhoto", "ParsedSection", "ParsedTable", "Uncertain"})


def __getattr__(name: str) -> Any:
    if name in _PARSED:
        from sipviewer.model import parsed

        return getattr(parsed, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class VolumeInfo(NamedTuple):
    id: int
    title: str
    edition_year: int | None
    covered_year: int | None
    source_name: str
    articles: int
    photos: int
    tables: int

    @property
    def label(self) -> str:
        return volume_label(self.title, self.edition_year)


def volume_label(title: str, edition_year: int | None) -> str:
    """How a volume is named everywhere: 苏州工业园区年鉴（2021）."""
    return f"{title}（{edition_year}）" if edition_year else title


class ArticleNode(NamedTuple):
    id: int
    title: str
    photos: int
    tables: int


class SectionNode(NamedTuple):
    id: int
    title: str
    articles: tuple[ArticleNode, ...]
    events: int = 0  # a 大事记 section's events (shown as a timeline)
    # an outline's section whose articles were not read: how many it has (`articles` is empty)
    unread: int = 0

    @property
    def article_count(self) -> int:
        return self.unread or len(self.articles)


class VolumeNode(NamedTuple):
    volume: VolumeInfo
    sections: tuple[SectionNode, ...]


class PhotoView(NamedTuple):
    id: int
    article_id: int
    article_title: str
    volume_id: int
    volume_label: str
    caption: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    credit: str | None
    credit_kind: str | None
    department: str | None
    page: int
    image_path: str | None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    revision: int = 1
    title: str | None = None  # catalogue fields (Dublin Core title, IPTC location, rights)
    location: str | None = None
    rights: str | None = None
    image_name: str | None = None  # the attached file's original name


class TableView(NamedTuple):
    id: int
    article_id: int
    article_title: str
    volume_label: str
    number: int
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numbers: tuple[tuple[float | None, ...], ...]  # parsed number of each cell, or None
    attribution: str | None
    page: int


class ArticleView(NamedTuple):
    id: int
    volume_id: int
    volume_label: str
    section: str
    title: str
    attribution: str | None
    department: str | None
    source_note: str | None
    pages: tuple[int, int]
    paragraphs: tuple[str, ...]
    photos: tuple[PhotoView, ...]
    tables: tuple[TableView, ...]


class EventView(NamedTuple):
    """A 大事记 entry as the timeline shows it."""

    id: int
    volume_id: int
    volume_label: str
    section_id: int
    date_start: date | None
    date_end: date | None
    text: str
    page: int
    departments: tuple[str, ...] = ()


class SearchHit(NamedTuple):
    kind: str  # article | photo | table | event
    id: int
    rid: str
    title: str  # the article title, the photo caption, the table title or the event text
    snippet: str  # with <mark>…</mark> around matches, HTML-escaped
    volume: str
    volume_id: int
    date_start: date | None
    date_end: date | None
    department: str | None
    article_id: int
    score: float
    title_match: bool

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "snippet": self.snippet,
                "volume": self.volume,
                "date_start": self.date_start.isoformat() if self.date_start else None,
                "date_end": self.date_end.isoformat() if self.date_end else None,
                "department": self.department, "article_id": self.article_id,
                "score": self.score}


class SearchResults(NamedTuple):
    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, dict[str, int]]
    terms: tuple[str, ...]
    elapsed_ms: float

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "facets": self.facets,
                "hits": [h.to_json() for h in self.hits]}


class DepartmentInfo(NamedTuple):
    name: str
    kind: str
    aliases: tuple[str, ...]
    records: int


class CheckReport(NamedTuple):
    problems: tuple[str, ...]
    repaired: tuple[str, ...]
    records: int
    index_records: int
    cannot_fix: tuple[str, ...] = ()  # problems `check --repair` cannot fix, said plainly

    @property
    def ok(self) -> bool:
        return not self.problems or bool(self.repaired)
