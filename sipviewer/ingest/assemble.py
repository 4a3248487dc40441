"""From what the rules read to the records of `ParsedDocument`, every character booked.

The reader (`sipviewer.ingest.parser`) collects drafts: an article's title pieces, body
lines, photos, tables, signature. Here they become the frozen records, and each piece of
input text is booked in the ledger under the field it went to (``s0.a2.paragraphs.3``),
so that `sipviewer.ingest.accounting` can check that nothing was lost or invented.
A 大事记 section goes to the chronicle reader (`sipviewer.ingest.chronicle`, when installed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sipviewer.ingest.captions import PhotoDraft
from sipviewer.ingest.dates import caption_interval
from sipviewer.ingest.layout import Ledger, Line, Piece, is_page_start
from sipviewer.ingest.reflow import BodyLine, reflow
from sipviewer.ingest.tables import TableDraft, join_cell
from sipviewer.model.textutil import join_wrapped
from sipviewer.model.types import (
    ParsedArticle,
    ParsedEvent,
    ParsedPhoto,
    ParsedSection,
    ParsedTable,
    Uncertain,
)

CHRONICLE = "大事记"


@dataclass
class ArticleDraft:
    """An article being read."""

    title: str = ""
    title_pieces: list[Piece] = field(default_factory=list)
    body: list[BodyLine] = field(default_factory=list)
    photos: list[PhotoDraft] = field(default_factory=list)
    tables: list[TableDraft] = field(default_factory=list)
    attribution: Piece | None = None
    attribution_from_table: bool = False
    source_note: list[Piece] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    closed: bool = False
    after_table: bool = False  # the last thing read was a table's source line


@dataclass
class SectionDraft:
    """A section being read (a 大事记 section keeps its pages for the chronicle reader)."""

    title: str | None
    articles: list[ArticleDraft] = field(default_factory=list)
    chronicle: list[tuple[int, list[Line]]] | None = None  # a 大事记 section's pages


def chronicle(sec: SectionDraft, si: int, year: int | None, ledger: Ledger) -> ParsedSection:
    """A 大事记 section read by the chronicle reader; event texts booked as ``sK.eN.text``."""
    pages = sec.chronicle or []
    events, uncertain = _read_chronicle(
        [(p, [_without_page_space(ln) for ln in lines]) for p, lines in pages], year)
    # the characters given and not booked to an event (counted in C: no loop per character)
    given = Counter("".join("".join(ln.text.split()) for _p, lines in pages for ln in lines))
    first_line = {p: (lines[0].no if lines else 0) for p, lines in pages}
    for k, ev in enumerate(events):
        ledger.book(f"s{si}.e{k}.text", ev.text, first_line.get(ev.page, 0))
    rest = "".join(ch * n for ch, n in
                   (given - Counter("".join("".join(ev.text.split()) for ev in events))).items())
    if rest:
        ledger.drop("chronicle", rest, pages[0][1][0].no if pages and pages[0][1] else 0)
    ledger.uncertain.extend(uncertain)
    return ParsedSection(CHRONICLE, (), events)


def article(art: ArticleDraft, path: str, ledger: Ledger, text: str) -> ParsedArticle:
    """The article's record; every piece of it booked in the ledger under ``path``."""
    add = ledger.add
    add(f"{path}.title", art.title_pieces)
    paragraphs = []
    for k, (para, lines) in enumerate(reflow(art.body, text)):
        dest = f"{path}.paragraphs.{k}"
        # (a body line's text is never blank: stripped, tidied, or the line is left out)
        ledger.book_lines(dest, lines)
        paragraphs.append(para)
    photos = [photo(ph, f"{path}.photos.{k}", ledger) for k, ph in enumerate(art.photos)]
    tables = [table(tb, f"{path}.tables.{k}", ledger) for k, tb in enumerate(art.tables)]
    if art.attribution and not art.attribution_from_table:
        add(f"{path}.attribution", [art.attribution])
    source_note = None
    if art.source_note:
        add(f"{path}.source_note", art.source_note)
        source_note = ""
        for p in art.source_note:
            source_note = join_wrapped(source_note, p.text)
    pages = (min(art.pages), max(art.pages)) if art.pages else (0, 0)
    return ParsedArticle(art.title, art.attribution.text if art.attribution else None,
                         source_note, pages, tuple(paragraphs), tuple(photos), tuple(tables))


def photo(ph: PhotoDraft, path: str, ledger: Ledger) -> ParsedPhoto:
    caption = ph.text
    ledger.add(f"{path}.caption", ph.caption)
    if ph.credit:
        ledger.add(f"{path}.credit", [ph.credit])
    when = caption_interval(caption)
    return ParsedPhoto(caption, when.start, when.end, when.precision,
                       ph.credit.text if ph.credit else None,
                       ph.credit_kind if ph.credit else None, ph.page)


def table(tb: TableDraft, tpath: str, ledger: Ledger) -> ParsedTable:
    add = ledger.add
    add(f"{tpath}.title", [tb.title])
    columns = []
    for c, col in enumerate(tb.columns):
        add(f"{tpath}.columns.{c}", col)
        columns.append("".join(p.text for p in col))
    rows = []
    for r, (cells, filled) in enumerate(zip(tb.rows, tb.filled)):
        row = []
        for c, (pieces, copy) in enumerate(zip(cells, filled)):
            add(f"{tpath}.rows.{r}.{c}", pieces)
            row.append(copy if copy is not None else join_cell(pieces))
        rows.append(tuple(row))
    if tb.attribution:
        add(f"{tpath}.attribution", [tb.attribution])
    return ParsedTable(tb.number, tb.title.text, tuple(columns), tuple(rows),
                       tb.attribution.text if tb.attribution else None, tb.page)


def _without_page_space(line: Line) -> str:
    """A line as it stands in the text, without the space that marks a page's first line."""
    if line.no == 1 or is_page_start(line.raw):
        return line.raw[1:]
    return line.raw


def chronicle_reader() -> Callable[..., tuple[Any, Any]] | None:
    """The 大事记 reader, when installed; without it the section is read as articles."""
    try:
        from sipviewer.ingest.chronicle import read_chronicle
    except ImportError:
        return None
    return read_chronicle  # type: ignore[no-any-return]


def chronicle_layout(lines: list[str]) -> bool:
    """Whether a 大事记 section's lines are laid out as a chronology (the chronicle reader's
    `reads_as_chronicle`; without the reader, never)."""
    if chronicle_reader() is None:
        return False
    from sipviewer.ingest.chronicle import reads_as_chronicle

    return reads_as_chronicle(lines)


def _read_chronicle(pages: list[tuple[int, list[str]]], year: int | None
                    ) -> tuple[tuple[ParsedEvent, ...], tuple[Uncertain, ...]]:
    reader = chronicle_reader()
    assert reader is not None
    events, uncertain = reader(pages, year)
    return tuple(events), tuple(uncertain)
