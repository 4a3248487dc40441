"""Plain frozen dataclasses passed between the core and its callers (CLI, UI, tests).

The parser produces `ParsedDocument`; the archive facade returns the record types
further down. None of these are ORM rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple


@dataclass(frozen=True)
class ParsedPhoto:
    caption: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    credit: str | None
    credit_kind: str | None  # supplied | photographer
    page: int


@dataclass(frozen=True)
class ParsedTable:
    number: int
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    attribution: str | None
    page: int


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    attribution: str | None
    source_note: str | None
    pages: tuple[int, int]
    paragraphs: tuple[str, ...]
    photos: tuple[ParsedPhoto, ...]
    tables: tuple[ParsedTable, ...]


@dataclass(frozen=True)
class ParsedEvent:
    """One entry of a 大事记 (chronology) section: a day or a range of days and its text."""

    date_start: date | None
    date_end: date | None
    text: str
    page: int


@dataclass(frozen=True)
class ParsedSection:
    title: str
    articles: tuple[ParsedArticle, ...]
    events: tuple[ParsedEvent, ...] = ()  # a 大事记 section is read as dated events


@dataclass(frozen=True)
class Uncertain:
    """A decision the parser was not sure of, for a librarian to check (``parse --report``)."""

    page: int
    kind: str  # e.g. title | table | caption | attribution | event
    text: str
    decision: str


class LedgerEntry(NamedTuple):
    """Where one piece of input text went: a field path like ``s0.a2.paragraphs.3`` or ``dropped``.

    A named tuple (immutable like the dataclasses here): the parser makes one for nearly every
    line of a volume, and a tuple is made in a third of the time of a frozen dataclass.
    """

    dest: str
    text: str
    line: int


class Dropped(NamedTuple):
    """Input text the parser set aside (a named tuple: one is made for every running head,
    marker and bracket of a volume)."""

    kind: str  # running_head | page_head | marker | title_page | syntax
    text: str
    line: int


@dataclass(frozen=True)
class ParsedDocument:
    source: str
    encoding: str
    volume_title: str | None
    edition_year: int | None
    covered_year: int | None
    sections: tuple[ParsedSection, ...]
    dropped: tuple[Dropped, ...] = ()
    uncertain: tuple[Uncertain, ...] = ()
    ledger: Sequence[LedgerEntry] = field(default=(), repr=False, compare=False)

    @property
    def articles(self) -> list[ParsedArticle]:
        return [a for s in self.sections for a in s.articles]

    @property
    def photos(self) -> list[ParsedPhoto]:
        return [p for a in self.articles for p in a.photos]

    @property
    def tables(self) -> list[ParsedTable]:
        return [t for a in self.articles for t in a.tables]

    def to_json(self) -> dict[str, Any]:
        """The ``parse --json`` contract of the design document."""

        def photo(p: ParsedPhoto) -> dict[str, Any]:
            d = asdict(p)
            d["date_start"] = p.date_start.isoformat() if p.date_start else None
            d["date_end"] = p.date_end.isoformat() if p.date_end else None
            return d

        def table(t: ParsedTable) -> dict[str, Any]:
            return {"number": t.number, "title": t.title, "columns": list(t.columns),
                    "rows": [list(r) for r in t.rows], "attribution": t.attribution,
                    "page": t.page}

        return {
            "source": self.source,
            "encoding": self.encoding,
            "volume": {"title": self.volume_title, "edition_year": self.edition_year,
                       "covered_year": self.covered_year},
            "sections": [
                {"title": s.title, "articles": [
                    {"title": a.title, "attribution": a.attribution,
                     "source_note": a.source_note, "pages": list(a.pages),
                     "paragraphs": list(a.paragraphs),
                     "photos": [photo(p) for p in a.photos],
                     "tables": [table(t) for t in a.tables]}
                    for a in s.articles],
                 "events": [{"date_start": e.date_start.isoformat() if e.date_start else None,
                             "date_end": e.date_end.isoformat() if e.date_end else None,
                             "text": e.text, "page": e.page} for e in s.events]}
                for s in self.sections],
            "dropped": [d._asdict() for d in self.dropped],
            "uncertain": [asdict(u) for u in self.uncertain],
        }

    def resolve(self, dest: str) -> str:
        """The text of the field a ledger path names (used to check the accounting)."""
        if dest.startswith("dropped"):
            return self.dropped[int(dest.split(".")[1])].text
        parts = dest.split(".")
        section = self.sections[int(parts[0][1:])]
        if parts[1].startswith("e"):  # an event of a 大事记 section: s3.e5.text
            return section.events[int(parts[1][1:])].text
        article = section.articles[int(parts[1][1:])]
        rest = parts[2:]
        if rest[0] in ("title", "attribution", "source_note"):
            return getattr(article, rest[0]) or ""
        if rest[0] == "paragraphs":
            return article.paragraphs[int(rest[1])]
        if rest[0] == "photos":
            return getattr(article.photos[int(rest[1])], rest[2]) or ""
        if rest[0] == "tables":
            t = article.tables[int(rest[1])]
            if rest[2] == "columns":
                return t.columns[int(rest[3])]
            if rest[2] == "rows":
                return t.rows[int(rest[3])][int(rest[4])]
            return getattr(t, rest[2]) or ""
        raise KeyError(dest)


# -- what the archive facade returns ----------------------------------------------------


@dataclass(frozen=True)
class VolumeInfo:
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


@dataclass(frozen=True)
class ArticleNode:
    id: int
    title: str
    photos: int
    tables: int


@dataclass(frozen=True)
class SectionNode:
    id: int
    title: str
    articles: tuple[ArticleNode, ...]
    events: int = 0  # a 大事记 section's events (shown as a timeline)


@dataclass(frozen=True)
class VolumeNode:
    volume: VolumeInfo
    sections: tuple[SectionNode, ...]


@dataclass(frozen=True)
class PhotoView:
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


@dataclass(frozen=True)
class TableView:
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


@dataclass(frozen=True)
class ArticleView:
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


@dataclass(frozen=True)
class EventView:
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


@dataclass(frozen=True)
class SearchHit:
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


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, dict[str, int]]
    terms: tuple[str, ...]
    elapsed_ms: float

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "facets": self.facets,
                "hits": [h.to_json() for h in self.hits]}


@dataclass(frozen=True)
class DepartmentInfo:
    name: str
    kind: str
    aliases: tuple[str, ...]
    records: int


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[str, ...]
    repaired: tuple[str, ...]
    records: int
    index_records: int
    cannot_fix: tuple[str, ...] = ()  # problems `check --repair` cannot fix, said plainly

    @property
    def ok(self) -> bool:
        return not self.problems or bool(self.repaired)
