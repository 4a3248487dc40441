"""One volume parsed in two halves at once, joined into exactly what the whole parse gives.

The parser reads the pages in order and carries state from page to page: the open article,
table or source note, the title page's titles not yet used, the column's width. Where a
page starts a new section the whole parse closes the article and the table, so a text can
be cut there: the pages before the cut are read here (the head), the rest in another process
(the tail) as if the section head began the text. The tail notes every decision that could
have gone otherwise with the state the head leaves behind (a line equal to the previous
article's title, a photo before the section's first article, a first page too short to
measure its column), and `join` checks those notes, and the head's state at the cut, before
putting the halves together; the ledger and the lists of dropped text and doubts are put in
the whole parse's order. When a cut is not clean the whole text is parsed instead, so the
result never differs from `parser.parse_text` (the tests compare them volume by volume).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sipviewer.ingest import heads
from sipviewer.ingest.assemble import CHRONICLE, ArticleDraft
from sipviewer.ingest.captions import PhotoDraft
from sipviewer.ingest.heads import PageView
from sipviewer.ingest.layout import Booked, Ledger, Line, Piece, is_page_start, page_blocks
from sipviewer.ingest.parser import _Reader, _settle
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.parsed import ParsedDocument, ParsedSection
from sipviewer.model.textutil import tidy

SPLIT_MIN_CHARS = 200_000  # a shorter text is parsed whole (the other process costs more)
SHARE = 0.62  # the cut: the section head nearest this share of the text (the tail also pays
# for the trip to its process and back)

Entry = tuple[str, list[Piece]]  # a title of the title page (`_Reader.queue`)
Key = tuple[str, tuple[tuple[str, int], ...]]


def key(entry: Entry) -> Key:
    """A title page entry as it is known in another process."""
    return entry[0], tuple((p.text, p.line) for p in entry[1])


# (start, a callable giving its result): runs ``fn(*args)`` elsewhere (another process)
Start = Callable[[Callable[..., Any], tuple[Any, ...]], Callable[[], Any]]


@dataclass(frozen=True)
class Cut:
    """A page that starts with a section head: where the tail begins."""
    start: int  # offset of the page's first line in the text
    end: int  # offset of the page after it (or the text's length)
    line: int  # lines of the text before it
    page: int  # pages before it (its index in the whole parse's pages)
    title: str  # the section its head names
    first: int  # offset of the second page (the first may be a title page)


def find_cut(text: str, share: float = SHARE) -> Cut | None:
    """The page nearest ``share`` of the text that starts with the head of a section other
    than the one before (not 大事记), its head a line of its own; None if there is none."""
    starts: list[tuple[int, int, int, str | None, bool]] = []  # offset, line, page, head
    line = page = last = 0
    at = text.find("\n ")  # (the text's first line starts the first page whatever it is)
    while at >= 0:
        pos = at + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        raw = text[pos:end]
        at = text.find("\n ", end)
        if not is_page_start(raw):
            continue
        line += text.count("\n", last, pos)
        last = pos
        page += 1
        following = text[end + 1:end + 200].split("\n", 1)[0]
        starts.append((pos, line, page, heads.section_head(raw.strip()), not following.strip()))
    best: Cut | None = None
    before: str | None = None
    aim = share * len(text)
    for k, (pos, line, page, title, alone) in enumerate(starts):
        if title is not None and alone and title != before and title != CHRONICLE and \
                (best is None or abs(pos - aim) < abs(best.start - aim)):
            end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
            best = Cut(pos, end, line, page, title, starts[0][0])
        before = title if title is not None else before
    return best


@dataclass(frozen=True)
class Tail:
    """What the tail's process sends back (our own message between our processes)."""
    sections: tuple[ParsedSection, ...]
    dropped: tuple[Any, ...]
    uncertain: tuple[Any, ...]
    booked: tuple[list[str], list[str], list[int]] | None  # the ledger's columns, if asked
    marks: tuple[int, int, int]  # (booked, dropped, doubts) before the sections were made
    volume_title: str | None
    page_heads: int
    pages: int
    # the notes: what the head's state could have changed
    heads_tried: frozenset[str]  # single lines tried as running heads before an article
    foots: frozenset[str | None]  # foot heads an article start was decided by before one
    early_photo: bool  # a photo before the first article
    column_free: bool  # the first page's column measured on its own
    chronicle: bool  # a 大事记 read as a chronology (it looks back at all earlier titles)
    # the title page's titles (see `_TailReader`): those it took out of the queue, those
    # found there to decide an article's start, and those left at the end (not yet dropped)
    taken: frozenset[Key]
    queued_seen: frozenset[str]
    left: tuple[Entry, ...]


class _TailReader(_Reader):
    """Reads from a section head on as the whole parse does after the head's pages, noting
    where the state before the head could have counted (see `join`)."""

    def __init__(self, text: str, source: str, encoding: str, year: int | None) -> None:
        super().__init__(text, source, encoding, year)
        self.heads_tried: set[str] = set()
        self.foots: set[str | None] = set()
        self.early_photo = False
        self.column_free = True
        # the queue starts as the title page left it; the head may have taken some titles
        self.taken: set[Key] = set()
        self.queued_seen: set[str] = set()

    def read_page(self, page: int, blks: list[list[Line]]) -> None:
        if self.at == 0:  # (its first block is the section head, taken off by read_page)
            self.column_free = heads.column_ref(blks[1:], -1) != -1
        super().read_page(page, blks)

    def running_head(self, view: PageView, i: int) -> bool:
        if self.article is None and len(view.blocks[i]) == 1:
            self.heads_tried.add(tidy(view.blocks[i][0].text))
        return super().running_head(view, i)

    def decide_start(self, view: PageView, i: int) -> int:
        if self.article is None:
            self.foots.add(view.foot_text(i))
        if self.queue:
            cand = heads.title_candidate(view.blocks, i)
            if cand is not None and any(t == cand[0] for t, _ in self.queue):
                self.queued_seen.add(cand[0])
        return super().decide_start(view, i)

    def headless_article(self, view: PageView, i: int, why: str) -> None:
        before = list(self.queue)
        super().headless_article(view, i, why)
        self._note_taken(before)

    def new_article(self, title: str, pieces: list[Piece], page: int) -> ArticleDraft:
        before = list(self.queue)
        art = super().new_article(title, pieces, page)
        self._note_taken(before)
        return art

    def _note_taken(self, before: list[Entry]) -> None:
        if len(before) != len(self.queue):
            kept = {id(e) for e in self.queue}
            self.taken.update(key(e) for e in before if id(e) not in kept)

    def add_photo(self, photo: PhotoDraft) -> None:
        if self.article is None:
            self.early_photo = True
        super().add_photo(photo)


def _marks(reader: _Reader) -> tuple[int, int, int]:
    ledger = reader.ledger
    return len(ledger.texts), len(ledger.dropped), len(ledger.uncertain)


def read_tail(text: str, source: str, encoding: str, year: int | None, start: int,
              line: int, page: int, queue: list[Entry], want_ledger: bool) -> Tail:
    """The pages from ``start`` (a page's first line; ``line`` lines and ``page`` pages
    before it) to the end of ``text``, read and made into sections; ``queue``: the titles
    of the title page (`title_page_queue`)."""
    r = _TailReader(text, source, encoding, year)
    r.queue = list(queue)
    r.pages = page_blocks(r.text[start:], line, page)
    r.read_pages(0, len(r.pages), first_page=page)
    r.close_table()
    left, r.queue = r.queue, []  # dropped by `join`: the head may have taken some
    r.close_reading()
    marks = _marks(r)
    chronicle = any(s.chronicle is not None for s in r.sections)
    sections = r.assemble(r.covered_year() if chronicle else None)  # (only a 大事记's dates)
    ledger = r.ledger
    return Tail(tuple(sections), tuple(ledger.dropped), tuple(ledger.uncertain),
                (ledger.dests, ledger.texts, ledger.lines) if want_ledger else None, marks,
                r.volume_title, r.page_heads, len(r.pages), frozenset(r.heads_tried),
                frozenset(r.foots), r.early_photo, r.column_free, chronicle,
                frozenset(r.taken), frozenset(r.queued_seen), tuple(left))


def tail_job(data: bytes, source: str, encoding: str, year: int | None, start: int,
             line: int, page: int, queue: list[Entry], want_ledger: bool) -> Tail:
    """`read_tail` in another process (the text comes as UTF-8)."""
    with collector_paused():
        return read_tail(data.decode(), source, encoding, year, start, line, page, queue,
                         want_ledger)


def title_page_queue(text: str, cut: Cut) -> list[Entry]:
    """The titles the title page lists (the reader's queue after the first page)."""
    pages = page_blocks(text[:cut.first])
    lines = [ln for b in pages[0] for ln in b] if pages else []
    if not heads.is_title_page(lines, cut.page + 1):  # (the text has that many pages or more)
        return []
    return heads.title_page_titles(lines)[2]


def read_head(reader: _Reader, cut: Cut) -> bool:
    """Read the pages before the cut; True when the cut is clean (nothing open there that
    the section head would not close, the head where `find_cut` saw it), the article open
    there then closed as the whole parse closes it. The title page's titles not yet taken
    stay in the queue (the tail may take them)."""
    pages = reader.pages = page_blocks(reader.text[:cut.end])
    if len(pages) != cut.page + 1 or not pages[cut.page]:
        return False
    reader.read_pages(0, cut.page)
    first = pages[cut.page][0]
    last = reader.sections[-1] if reader.sections else None
    if len(first) != 1 or first[0].no != cut.line + 1 or first[0].page != cut.page + 1 or \
            heads.section_head(first[0].text) != cut.title or cut.title == CHRONICLE:
        return False
    if reader.table is not None or reader.source_note_open or \
            reader.pending_section is not None or reader.orphan_photos or last is None or \
            last.title is None or last.title == cut.title:
        return False
    if reader.article is not None and not reader.article.closed:
        reader.close_article(first[0].page)
    return True


def _agrees(reader: _Reader, tail: Tail, taken: set[Key]) -> bool:
    """Whether the tail read as it would have after the head's pages (see `_TailReader`);
    ``taken``: the title page's titles the head took."""
    if tail.chronicle or not tail.column_free or \
            (reader.volume_title is None and tail.volume_title is not None):
        return False
    if taken & tail.taken or {title for title, _ in taken} & tail.queued_seen:
        return False
    art = reader.article
    if art is None:  # the tail began with no article either
        return True
    title = art.title
    if tail.early_photo or (title and title in tail.heads_tried):
        return False
    return all(foot is None or (foot != title) == (foot != "") for foot in tail.foots)


def _renumber(dests: list[str], dropped: int, sections: int) -> list[str]:
    """Ledger destinations moved on: ``dropped.N`` by ``dropped``, ``sK.…`` by ``sections``."""
    out = []
    for d in dests:
        if d.startswith("dropped."):
            d = f"dropped.{int(d[8:]) + dropped}"
        elif sections and d.startswith("s"):
            head, dot, rest = d.partition(".")
            d = f"s{int(head[1:]) + sections}{dot}{rest}"
        out.append(d)
    return out


def join(reader: _Reader, marks: tuple[int, int, int], sections: list[ParsedSection],
         covered: int | None, cut: Cut, queue: list[Entry], left: list[Entry],
         tail: Tail) -> ParsedDocument | None:
    """The whole parse from the head (``reader``, its own ``sections`` made after ``marks``;
    ``left``: the title page's titles it did not take of ``queue``) and the tail; None
    when the tail's notes show it could have read otherwise."""
    remaining = {key(e) for e in left}
    taken = {k for k in map(key, queue) if k not in remaining}
    if not _agrees(reader, tail, taken):
        return None
    # the titles neither half took: dropped after the tail's reading, as the whole parse does
    extra = Ledger()
    for entry in tail.left:
        if key(entry) not in taken:
            for p in entry[1]:
                extra.drop("title_page", p.text, p.line)
    ledger = reader.ledger
    (hb, hd, hu), (tb, td, tu) = marks, tail.marks
    nx = len(extra.dropped)

    def order(head: list[Any], rest: tuple[Any, ...], between: list[Any], h: int, t: int
              ) -> tuple[Any, ...]:
        # the whole parse reads every page before it makes any section
        return (*head[:h], *rest[:t], *between, *head[h:], *rest[t:])

    dropped = order(ledger.dropped, tail.dropped, extra.dropped, hd, td)
    uncertain = order(ledger.uncertain, tail.uncertain, [], hu, tu)
    booked: Any = ()
    if tail.booked is not None:
        dests, texts, lines = tail.booked
        booked = Booked(
            [*ledger.dests[:hb], *_renumber(dests[:tb], hd, 0),
             *_renumber(extra.dests, hd + td, 0), *_renumber(ledger.dests[hb:], td + nx, 0),
             *_renumber(dests[tb:], len(ledger.dropped) + nx, len(sections))],
            [*ledger.texts[:hb], *texts[:tb], *extra.texts, *ledger.texts[hb:], *texts[tb:]],
            [*ledger.lines[:hb], *lines[:tb], *extra.lines, *ledger.lines[hb:], *lines[tb:]])
    everything = [*sections, *tail.sections]
    reader.page_heads += tail.page_heads
    reader.check_structure(everything, cut.page + tail.pages)
    return reader.document(everything, covered, booked, dropped, uncertain)


def parse_split(text: str, source: str, encoding: str, year: int | None, start: Start,
                want_ledger: bool = True, meanwhile: Callable[[], object] | None = None
                ) -> ParsedDocument:
    """`parser.parse_text`, its tail read by ``start`` (in another process) while the head
    is read here. Without ``want_ledger`` the result's ledger is left empty (an import
    does not keep it). ``meanwhile`` is called once the head is read, while the tail may
    still be read (always called). Raises `ParseError` as the whole parse does."""
    with collector_paused():
        doc = _parse_split(text, source, encoding, year, start, want_ledger,
                           meanwhile or (lambda: None))
        _settle()
    return doc


def _parse_split(text: str, source: str, encoding: str, year: int | None, start: Start,
                 want_ledger: bool, meanwhile: Callable[[], object]) -> ParsedDocument:
    reader = _Reader(text, source, encoding, year)
    cut = find_cut(reader.text) if len(reader.text) >= SPLIT_MIN_CHARS else None
    if cut is None:
        meanwhile()
        return reader.run()
    queue = title_page_queue(reader.text, cut)
    result = start(tail_job, (reader.text.encode(), source, encoding, year, cut.start,
                              cut.line, cut.page, queue, want_ledger))
    doc = None
    waited = False
    try:
        if read_head(reader, cut):
            left, reader.queue = reader.queue, []  # (the tail may take them)
            before = _marks(reader)
            reader.close_reading()  # (nothing is open at a clean cut: books nothing)
            if _marks(reader) == before:
                covered = reader.covered_year()
                sections = reader.assemble(covered)
                meanwhile()
                waited = True
                doc = join(reader, before, sections, covered, cut, queue, left, result())
    except Exception:  # the whole parse decides (and raises what it raises)
        doc = None
    finally:
        if doc is None:
            try:
                result()  # never leave the other process's work behind
            except Exception:  # its failure changes nothing here
                pass
    if not waited:
        meanwhile()
    if doc is None:
        doc = _Reader(text, source, encoding, year).run()
    if not want_ledger:
        return doc if not doc.ledger else _without_ledger(doc)
    return doc


def _without_ledger(doc: ParsedDocument) -> ParsedDocument:
    from dataclasses import replace

    return replace(doc, ledger=())
