"""Parse PDF-extracted yearbook text into sections, articles, paragraphs, photos and tables.

The input looks like the 专记 section of the Suzhou Industrial Park yearbook:

* a page starts with a line that begins with one space; the first page may be a title page
  listing article titles;
* body lines are hard-wrapped and separated by blank lines; a paragraph's first line is
  indented (so narrower) and its last line ends a sentence and is short;
* running heads repeat article titles; section page heads are letter-spaced (``专  记``);
* photo captions are runs of lines ending in ``（园区新闻中心  供稿）`` or ``（陈雨禾  摄）``;
* an article ends with its department's signature ``（园区经发委）`` or a source note
  ``（原载…）``;
* tables start with ``表N  title``, a header line and numbered rows whose cells may wrap.

``U+FFFD`` characters are layout markers of the extractor and are dropped.

A section headed ``大  事  记`` whose first page reads as a chronology is not read as articles:
its pages go, running heads removed, to `sipviewer.ingest.chronicle` (see `chronicle_page`),
which reads them as dated events once the volume's year is known (`finish_chronicle`).

Nothing is lost: every non-space character of the input is recorded in a ledger, either
in the output field it went to or in the list of dropped running heads, page heads,
markers and syntax (brackets, ``供稿``, ``表1``). `ParsedDocument.ledger` holds it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sipviewer.ingest.chronicle import (
    CHRONICLE_TITLE,
    looks_like_chronicle,
    read_chronicle_pieces,
)
from sipviewer.ingest.dates import caption_interval
from sipviewer.ingest.decode import read_text
from sipviewer.model.errors import ParseError
from sipviewer.model.textutil import MARKER, ends_sentence, join_wrapped, tidy, width
from sipviewer.model.types import (
    Dropped,
    LedgerEntry,
    ParsedArticle,
    ParsedDocument,
    ParsedPhoto,
    ParsedSection,
    ParsedTable,
    Uncertain,
)

_PAGE_START = re.compile(r"^ (?=\S)")
_HALF_WIDTH = re.compile(r"[0-9A-Za-z%.]")  # characters set half width
_SECTION_HEAD = re.compile(r"^[\u3400-\u9fff](?:\s+[\u3400-\u9fff]){1,7}$")
_CREDIT = re.compile(
    r"^(?P<pre>.*?)(?P<mk>[\s\ufffd]*)(?P<open>（)(?P<name>[^（）\ufffd]{1,40}?)(?P<sp>\s*)"
    r"(?P<kind>供稿|摄)(?P<close>）)\s*$"
)
_ATTRIBUTION = re.compile(
    r"^(?P<pre>.*?)(?P<mk>[\s\ufffd]*)(?P<open>（)(?P<name>[^（），。、；：！？《》“”\s\ufffd]{2,30})"
    r"(?P<close>）)\s*$"
)
_SOURCE_NOTE = re.compile(r"^（(?:原载|转载|摘自|选自|来源)")
_TABLE_TITLE = re.compile(r"^(?P<label>表\s*(?P<num>\d{1,3}))[\s\ufffd]+(?P<title>\S.*)$")
_SENTENCE_PUNCT = re.compile(r"[，。；！？]")
_VOLUME_TITLE = re.compile(r"^(?P<title>\S{2,20}年鉴)\s*[（(]?(?P<year>(?:19|20)\d{2})[)）]?(?:卷)?$")
_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})年")
_HEADING_GAP = re.compile(r"[\u3400-\u9fff”’》）]\s{2,}[\u3400-\u9fff“‘《（]")

SUPPLIED = "supplied"
PHOTOGRAPHER = "photographer"


class _Line:
    __slots__ = ("no", "page", "raw", "text")

    def __init__(self, no: int, raw: str, page: int) -> None:
        self.no = no  # 1-based line number in the input
        self.raw = raw
        self.page = page
        self.text = raw.strip()


@dataclass
class _Piece:
    """A piece of input text bound for one output field (ledger material)."""

    text: str
    line: int


@dataclass
class _BodyLine:
    text: str  # markers removed, whitespace tidied
    line: int
    page: int
    heading: bool = False


@dataclass
class _PhotoB:
    caption: list[_Piece]
    credit: _Piece | None
    credit_kind: str | None
    page: int


@dataclass
class _TableB:
    number: int
    title: _Piece
    page: int
    columns: list[list[_Piece]] = field(default_factory=list)
    rows: list[list[list[_Piece]]] = field(default_factory=list)
    filled: list[list[str | None]] = field(default_factory=list)  # cells copied from a span
    attribution: _Piece | None = None
    numbered: bool = True
    _pending: list[_Line] = field(default_factory=list)


@dataclass
class _ArticleB:
    title: str = ""
    title_pieces: list[_Piece] = field(default_factory=list)
    title_from_queue: int | None = None
    body: list[_BodyLine] = field(default_factory=list)
    photos: list[_PhotoB] = field(default_factory=list)
    tables: list[_TableB] = field(default_factory=list)
    attribution: _Piece | None = None
    attribution_from_table: bool = False
    source_note: list[_Piece] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    closed: bool = False


@dataclass
class _SectionB:
    title: str | None
    articles: list[_ArticleB] = field(default_factory=list)
    # a 大事记 section: its pages as (page, [(line number, text)]), read as events at the end
    chronicle: list[tuple[int, list[tuple[int, str]]]] | None = None


class _Parser:
    def __init__(self, text: str, source: str, encoding: str, year: int | None = None) -> None:
        self.year = year  # the edition year the caller gives (the text's own title wins)
        self.uncertain: list[Uncertain] = []
        self.source = source
        self.encoding = encoding
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.dropped: list[Dropped] = []
        self.ledger: list[LedgerEntry] = []
        self.sections: list[_SectionB] = []
        self.article: _ArticleB | None = None
        self.pending_section: str | None = None
        self.queue: list[tuple[str, list[_Piece]]] = []  # titles from the title page
        self.known_titles: set[str] = set()
        self.table: _TableB | None = None
        self.source_note_open = False
        self.volume_title: str | None = None
        self.edition_year: int | None = None
        self.page_heads = 0
        self.orphan_photos: list[_PhotoB] = []

    # -- ledger -------------------------------------------------------------------------
    def drop(self, kind: str, text: str, line: int) -> None:
        if not text.strip():
            return
        self.ledger.append(LedgerEntry(f"dropped.{len(self.dropped)}", text, line))
        self.dropped.append(Dropped(kind, text, line))

    def drop_markers(self, text: str, line: int) -> str:
        count = text.count(MARKER)
        if count:
            self.drop("marker", MARKER * count, line)
            text = text.replace(MARKER, "")
        return text

    # -- pages and blocks ---------------------------------------------------------------
    def pages(self) -> list[list[_Line]]:
        pages: list[list[_Line]] = []
        for no, raw in enumerate(self.text.split("\n"), start=1):
            if not pages or _PAGE_START.match(raw):
                pages.append([])
            pages[-1].append(_Line(no, raw, len(pages)))
        return pages

    @staticmethod
    def blocks(lines: list[_Line]) -> list[list[_Line]]:
        out: list[list[_Line]] = []
        current: list[_Line] = []
        for line in lines:
            if line.text:
                current.append(line)
            elif current:
                out.append(current)
                current = []
        if current:
            out.append(current)
        return out

    # -- top level ----------------------------------------------------------------------
    def run(self) -> ParsedDocument:
        pages = self.pages()
        for index, page in enumerate(pages):
            if index == 0 and self.is_title_page(page, len(pages)):
                self.read_title_page(page)
                continue
            if self.chronicle_page(page):
                continue
            self.read_page(page)
        self.finish_table()
        return self.finish()

    def is_title_page(self, page: list[_Line], n_pages: int) -> bool:
        texts = [ln.text for ln in page if ln.text]
        if n_pages < 2 or not texts or len(texts) > 30:
            return False
        return all(not _SENTENCE_PUNCT.search(t) and width(t) <= 80 and not _CREDIT.match(t)
                   for t in texts)

    def read_title_page(self, page: list[_Line]) -> None:
        pending: list[_Piece] = []
        for line in page:
            text = line.text
            if not text:
                continue
            m = _VOLUME_TITLE.match(text.replace(" ", ""))
            if m and not pending:
                self.set_volume_title(m, text, line.no, "title_page")
                continue
            pending.append(_Piece(text, line.no))
            if text.endswith(("：", ":", "——", "—")):
                continue  # the title goes on in the next line
            self.add_queue_title(pending)
            pending = []
        if pending:
            self.add_queue_title(pending)

    def add_queue_title(self, pieces: list[_Piece]) -> None:
        title = _join_title(p.text for p in pieces)
        self.queue.append((title, pieces))
        self.known_titles.add(title)
        for p in pieces:
            self.known_titles.add(tidy(p.text))

    def set_volume_title(self, m: re.Match[str], text: str, line: int, kind: str) -> None:
        if self.volume_title is None:
            self.volume_title = m.group("title")
            self.edition_year = int(m.group("year"))
        self.drop(kind, text, line)

    def read_page(self, page: list[_Line]) -> None:
        blocks = self.blocks(page)
        after_head = False
        if blocks and len(blocks[0]) == 1 and _SECTION_HEAD.match(blocks[0][0].text) \
                and self.table is None:
            head = blocks.pop(0)[0]
            title = re.sub(r"\s+", "", head.text)
            self.drop("page_head", head.text, head.no)
            self.page_heads += 1
            self.on_section_head(title)
            after_head = True
        i = 0
        while i < len(blocks):
            block = blocks[i]
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            # a caption whose credit stands alone after a line ending in a marker
            if (nxt is not None and len(nxt) == 1 and block[-1].text.endswith(MARKER)
                    and self.table is None and not self.source_note_open):
                m = _CREDIT.match(nxt[0].text)
                if m and not m.group("pre").strip(MARKER + " \t"):
                    self.read_caption(block + nxt)
                    i += 2
                    after_head = False
                    continue
            consumed = self.read_block(block, after_head, nxt)
            after_head = False
            i += consumed

    # -- 大事记: pages collected here, read as dated events in `finish_chronicle` ----------
    def chronicle_page(self, page: list[_Line]) -> bool:
        """Take a page of a 大事记 section (headed so, or following one); False for others."""
        first = next((ln for ln in page if ln.text), None)
        head = re.sub(r"\s+", "", first.text) \
            if first is not None and _SECTION_HEAD.match(first.text) else None
        inside = bool(self.sections) and self.sections[-1].chronicle is not None
        if (head is not None and head != CHRONICLE_TITLE) or (head is None and not inside):
            return False
        if not inside:
            if not looks_like_chronicle([ln.text for ln in page if ln is not first]):
                return False  # titled 大事记 but written as articles
            self.finish_table()
            self.sections.append(_SectionB(CHRONICLE_TITLE, chronicle=[]))
            self.article, self.pending_section = None, None
        lines: list[tuple[int, str]] = []
        for ln in page:
            if not ln.text:
                continue
            if _SECTION_HEAD.match(ln.text) and re.sub(r"\s+", "", ln.text) == CHRONICLE_TITLE:
                self.drop("page_head", ln.text, ln.no)
                self.page_heads += 1
                continue
            lines.append((ln.no, self.drop_markers(ln.text, ln.no)))
        self.sections[-1].chronicle.append((page[0].page, lines))  # type: ignore[union-attr]
        return True

    def finish_chronicle(self, sec: _SectionB, si: int, year: int | None) -> ParsedSection:
        pages = sec.chronicle or []
        chron = read_chronicle_pieces([(p, [t for _, t in lines]) for p, lines in pages], year)
        for piece in chron.pieces:
            line = pages[piece.page_index][1][piece.line_index][0]
            if piece.event is None:
                self.drop("date", piece.text, line)
            elif piece.text.strip():
                self.ledger.append(LedgerEntry(f"s{si}.e{piece.event}.text", piece.text, line))
        self.uncertain.extend(chron.uncertain)
        return ParsedSection(CHRONICLE_TITLE, (), chron.events)

    def on_section_head(self, title: str) -> None:
        if not self.sections:
            self.sections.append(_SectionB(title))
        elif self.sections[-1].title is None:
            self.sections[-1].title = title
        elif self.sections[-1].title != title:
            self.pending_section = title

    # -- blocks -------------------------------------------------------------------------
    def read_block(self, block: list[_Line], after_head: bool,
                   nxt: list[_Line] | None) -> int:
        """Read one block; return how many blocks were consumed (1, or 2 for a split title)."""
        if self.table is not None:
            if self.feed_table(block):
                return 1
        if self.source_note_open:
            self.read_source_note(block)
            return 1
        last = block[-1].text
        if _CREDIT.match(last):
            self.read_caption(block)
            return 1
        m = _TABLE_TITLE.match(block[0].text)
        if m:
            self.start_table(m, block[0])
            if len(block) > 1:
                self.feed_table(block[1:])
            return 1
        if len(block) == 1:
            compact = tidy(last)
            if compact in self.known_titles and not self.starts_article(after_head, compact):
                self.drop("running_head", last, block[0].no)
                return 1
            m = _VOLUME_TITLE.match(compact.replace(" ", ""))
            if m:
                self.set_volume_title(m, last, block[0].no, "running_head")
                return 1
        if self.needs_article():
            joined = _join_title(ln.text for ln in block)
            if self.is_title(block, joined, after_head):
                pieces = [_Piece(ln.text, ln.no) for ln in block]
                consumed = 1
                if joined.endswith(("：", "——")) and nxt is not None and \
                        self.is_title(nxt, _join_title(ln.text for ln in nxt), True):
                    pieces += [_Piece(ln.text, ln.no) for ln in nxt]
                    joined = _join_title(p.text for p in pieces)
                    consumed = 2
                self.new_article(joined, pieces, block[0].page)
                return consumed
        for line in block:
            self.read_body_line(line)
        return 1

    def starts_article(self, after_head: bool, joined: str) -> bool:
        """A known title after a closed article is the article's title, not a running head."""
        if not self.needs_article():
            return False
        return bool(after_head or (self.queue and self.queue[0][0] == joined))

    def needs_article(self) -> bool:
        return self.article is None or self.article.closed

    def is_title(self, block: list[_Line], joined: str, after_head: bool) -> bool:
        if _SENTENCE_PUNCT.search(joined) or width(joined) > 100 or len(block) > 3:
            return False
        if any(_CREDIT.match(ln.text) or _ATTRIBUTION.match(ln.text) for ln in block):
            return False
        if _HEADING_GAP.search(block[0].text):
            return False
        if any(joined == t for t, _ in self.queue):
            return True
        return after_head

    def new_article(self, title: str, pieces: list[_Piece], page: int) -> _ArticleB:
        if self.pending_section is not None or not self.sections:
            self.sections.append(_SectionB(self.pending_section))
            self.pending_section = None
        art = _ArticleB()
        if pieces:
            art.title = title
            art.title_pieces = pieces
            for k, (queued, _) in enumerate(self.queue):
                if queued == title:
                    # the title page's copy of this title is now a duplicate
                    for p in self.queue.pop(k)[1]:
                        self.drop("title_page", p.text, p.line)
                    break
        elif self.queue:
            art.title, art.title_pieces = self.queue.pop(0)
        if art.title:
            self.known_titles.add(art.title)
        art.pages.add(page)
        self.sections[-1].articles.append(art)
        self.article = art
        if self.orphan_photos:
            art.photos.extend(self.orphan_photos)
            self.orphan_photos = []
        return art

    def current_article(self, page: int) -> _ArticleB:
        if self.needs_article():
            return self.new_article("", [], page)
        assert self.article is not None
        return self.article

    # -- body, signatures, source notes ---------------------------------------------------
    def read_body_line(self, line: _Line) -> None:
        text = line.text
        if _SOURCE_NOTE.match(text) and not self.needs_article():
            self.source_note_open = True
            self.read_source_note([line])
            return
        m = _ATTRIBUTION.match(text)
        if m and self.is_signature(m) and not self.needs_article():
            pre = m.group("pre")
            if pre.strip():
                self.add_body(_Line(line.no, pre, line.page))
            self.drop_markers(m.group("mk"), line.no)
            assert self.article is not None
            self.drop("syntax", "（", line.no)
            self.article.attribution = _Piece(m.group("name"), line.no)
            self.drop("syntax", "）", line.no)
            self.article.pages.add(line.page)
            self.article.closed = True
            return
        self.add_body(line)

    @staticmethod
    def is_signature(m: re.Match[str]) -> bool:
        pre = m.group("pre").strip()
        if m.group("name").startswith(("简称", "下称", "以下简称", "含", "即")):
            return False
        if not pre:
            return True
        # the signature follows the last sentence, set apart by a marker or spaces
        return ends_sentence(pre) and bool(m.group("mk"))

    def add_body(self, line: _Line) -> None:
        art = self.current_article(line.page)
        text = self.drop_markers(line.raw, line.no)
        heading = bool(_HEADING_GAP.search(text.strip())) and not _SENTENCE_PUNCT.search(text) \
            and width(text.strip()) <= 60 and (not art.body or ends_sentence(art.body[-1].text))
        text = re.sub(r"\s+", " ", text.strip()) if heading else tidy(text)
        if not text:
            return
        art.body.append(_BodyLine(text, line.no, line.page, heading))
        art.pages.add(line.page)

    def read_source_note(self, block: list[_Line]) -> None:
        art = self.article
        assert art is not None
        for line in block:
            text = self.drop_markers(line.text, line.no)
            if not art.source_note and text.startswith("（"):
                self.drop("syntax", "（", line.no)
                text = text[1:]
            if text.rstrip().endswith("）") and _balanced_after_close(art, text):
                self.source_note_open = False
                art.closed = True
                self.drop("syntax", "）", line.no)
                text = text.rstrip()[:-1]
            if text.strip():
                art.source_note.append(_Piece(tidy(text), line.no))
            art.pages.add(line.page)

    # -- captions -------------------------------------------------------------------------
    def read_caption(self, block: list[_Line]) -> None:
        last = block[-1]
        m = _CREDIT.match(last.text)
        assert m is not None
        pieces: list[_Piece] = []
        for line in block[:-1]:
            text = self.drop_markers(line.text, line.no)
            if text.strip():
                pieces.append(_Piece(tidy(text), line.no))
        pre = self.drop_markers(m.group("pre"), last.no)
        if pre.strip():
            pieces.append(_Piece(tidy(pre), last.no))
        self.drop_markers(m.group("mk"), last.no)
        self.drop("syntax", "（", last.no)
        name = tidy(m.group("name"))
        self.drop("syntax", m.group("kind") + "）", last.no)
        kind = PHOTOGRAPHER if m.group("kind") == "摄" else SUPPLIED
        photo = _PhotoB(pieces, _Piece(name, last.no) if name else None, kind, last.page)
        if self.article is None:
            self.orphan_photos.append(photo)
        else:
            self.article.photos.append(photo)
            self.article.pages.add(last.page)

    # -- tables ---------------------------------------------------------------------------
    def start_table(self, m: re.Match[str], line: _Line) -> None:
        self.finish_table()
        art = self.current_article(line.page)
        self.drop("syntax", m.group("label"), line.no)
        title = self.drop_markers(m.group("title"), line.no)
        table = _TableB(int(m.group("num")), _Piece(tidy(title), line.no), line.page)
        art.tables.append(table)
        art.pages.add(line.page)
        self.table = table

    def feed_table(self, block: list[_Line]) -> bool:
        """Give a block to the open table; False when the block is not part of it."""
        table = self.table
        assert table is not None
        for k, line in enumerate(block):
            text = line.text
            m = _ATTRIBUTION.match(text)
            if m and not _table_cells_text(m.group("pre")):
                self.finish_table()
                self.drop_markers(m.group("mk") + m.group("pre"), line.no)
                self.drop("syntax", "（", line.no)
                table.attribution = _Piece(m.group("name"), line.no)
                self.drop("syntax", "）", line.no)
                art = self.article
                if art is not None and not art.closed:
                    art.attribution = table.attribution
                    art.attribution_from_table = True
                    art.closed = True
                rest = block[k + 1:]
                for other in rest:
                    self.read_body_line(other)
                return True
            if not table.columns:
                self.read_table_header(table, line)
                continue
            if _looks_like_prose(text) or _CREDIT.match(text) or _TABLE_TITLE.match(text):
                if k == 0:
                    self.finish_table()
                    return False
                self.finish_table()
                for other in block[k:]:
                    self.read_block([other], False, None)
                return True
            table._pending.append(line)
        return True

    def read_table_header(self, table: _TableB, line: _Line) -> None:
        for cell in _split_cells(line.text, merge_spaced=True):
            text = self.drop_markers(cell, line.no)
            table.columns.append([_Piece(text, line.no)])
        first = table.columns[0][0].text if table.columns else ""
        table.numbered = first in ("序号", "编号", "序")

    def finish_table(self) -> None:
        table = self.table
        if table is None:
            return
        self.table = None
        groups: list[list[_Line]] = []
        expected = 1
        for line in table._pending:
            first = line.text.split()[0] if line.text.split() else ""
            if not table.numbered or not groups or first == str(expected):
                if table.numbered and first == str(expected):
                    expected += 1
                groups.append([line])
            else:
                groups[-1].append(line)
        table._pending = []
        ncols = len(table.columns)
        last_full: list[str] = []
        span_cols: list[int] = []
        for group in groups:
            cells: list[list[_Piece]] = []
            alone: list[bool] = []
            continues = False
            for line in group:
                parts = _split_cells(line.text)
                for j, part in enumerate(parts):
                    text = self.drop_markers(part, line.no)
                    piece = _Piece(text, line.no)
                    if j == 0 and continues and cells:
                        cells[-1].append(piece)
                        alone[-1] = False
                    else:
                        cells.append([piece] if text else [])
                        alone.append(len(parts) == 1)
                continues = line.text.endswith(MARKER)
            texts = [_join_cell(c) for c in cells]
            filled: list[str | None] = [None] * len(cells)
            if ncols and len(cells) > ncols:
                # too many pieces: the widest text column took spaces; merge after the number
                extra = len(cells) - ncols
                parts = [p for c in cells[1:2 + extra] for p in c]
                merged = [_Piece(" ".join(p.text for p in parts), parts[0].line)] if parts else []
                cells = cells[:1] + [merged] + cells[2 + extra:]
                alone = alone[:1] + [False] + alone[2 + extra:]
                texts = [_join_cell(c) for c in cells]
                filled = [None] * len(cells)
            if ncols and len(cells) == ncols:
                span_cols = [j for j in range(1, ncols) if alone[j]] if len(group) > 1 else span_cols
                last_full = texts
            elif ncols and len(cells) < ncols:
                missing = ncols - len(cells)
                cols = (span_cols or list(range(1, ncols)))[:missing]
                for j in sorted(cols):
                    value = last_full[j] if j < len(last_full) else ""
                    cells.insert(j, [])
                    filled.insert(j, value)
                    texts.insert(j, value)
                while len(cells) < ncols:
                    cells.append([])
                    filled.append("")
            table.rows.append(cells)
            table.filled.append(filled)

    # -- output ---------------------------------------------------------------------------
    def finish(self) -> ParsedDocument:
        if self.orphan_photos:  # captions before any article: keep them with the first one
            self.current_article(self.orphan_photos[0].page)
        for _title, pieces in self.queue:  # titles of the title page no article took
            for p in pieces:
                self.drop("title_page", p.text, p.line)
        self.queue = []
        sections: list[ParsedSection] = []
        covered, edition = self.covered_year(), self.edition_year
        if edition is None and self.year is not None:
            edition, covered = self.year, self.year - 1
        for si, sec in enumerate(self.sections):
            if sec.chronicle is not None and not sec.articles:
                sections.append(self.finish_chronicle(sec, si, covered))
                continue
            articles = []
            for ai, art in enumerate(sec.articles):
                articles.append(self.finish_article(art, f"s{si}.a{ai}"))
            sections.append(ParsedSection(sec.title or "正文", tuple(articles)))
        n_articles = sum(len(s.articles) + len(s.events) for s in sections)
        structure = self.page_heads or any(
            a.title or a.photos or a.tables or a.attribution or a.source_note
            for s in sections for a in s.articles)
        if not n_articles or not structure:
            raise ParseError(self.source, "no yearbook structure found (no pages, titles, "
                             "captions, tables or department signatures)")
        if covered is not None and edition is None:
            edition = covered + 1
        if edition is not None and covered is None:
            covered = edition - 1
        return ParsedDocument(self.source, self.encoding, self.volume_title, edition, covered,
                              tuple(sections), tuple(self.dropped), tuple(self.uncertain),
                              tuple(self.ledger))

    def covered_year(self) -> int | None:
        years = Counter(int(y) for y in _YEAR_MENTION.findall(self.text))
        if self.edition_year is not None:
            return self.edition_year - 1
        return years.most_common(1)[0][0] if years else None

    def add_ledger(self, dest: str, pieces: list[_Piece]) -> None:
        for p in pieces:
            if p.text.strip():
                self.ledger.append(LedgerEntry(dest, p.text, p.line))

    def finish_article(self, art: _ArticleB, path: str) -> ParsedArticle:
        self.add_ledger(f"{path}.title", art.title_pieces)
        paragraphs = self.reflow(art.body, path)
        photos = []
        for k, ph in enumerate(art.photos):
            caption = ""
            for p in ph.caption:
                caption = join_wrapped(caption, p.text)
            self.add_ledger(f"{path}.photos.{k}.caption", ph.caption)
            if ph.credit:
                self.add_ledger(f"{path}.photos.{k}.credit", [ph.credit])
            when = caption_interval(caption)
            photos.append(ParsedPhoto(caption, when.start, when.end, when.precision,
                                      ph.credit.text if ph.credit else None,
                                      ph.credit_kind if ph.credit else None, ph.page))
        tables = []
        for k, tb in enumerate(art.tables):
            tpath = f"{path}.tables.{k}"
            self.add_ledger(f"{tpath}.title", [tb.title])
            columns = []
            for c, col in enumerate(tb.columns):
                self.add_ledger(f"{tpath}.columns.{c}", col)
                columns.append("".join(p.text for p in col))
            rows = []
            for r, (cells, filled) in enumerate(zip(tb.rows, tb.filled)):
                row = []
                for c, (pieces, copy) in enumerate(zip(cells, filled)):
                    self.add_ledger(f"{tpath}.rows.{r}.{c}", pieces)
                    row.append(copy if copy is not None else _join_cell(pieces))
                rows.append(tuple(row))
            if tb.attribution:
                self.add_ledger(f"{tpath}.attribution", [tb.attribution])
            tables.append(ParsedTable(tb.number, tb.title.text, tuple(columns), tuple(rows),
                                      tb.attribution.text if tb.attribution else None, tb.page))
        if art.attribution and not art.attribution_from_table:
            self.add_ledger(f"{path}.attribution", [art.attribution])
        source_note = None
        if art.source_note:
            self.add_ledger(f"{path}.source_note", art.source_note)
            source_note = ""
            for p in art.source_note:
                source_note = join_wrapped(source_note, p.text)
        pages = (min(art.pages), max(art.pages)) if art.pages else (0, 0)
        return ParsedArticle(art.title, art.attribution.text if art.attribution else None,
                             source_note, pages, tuple(paragraphs), tuple(photos), tuple(tables))

    def reflow(self, body: list[_BodyLine], path: str) -> list[str]:
        body = _column_order(body, self.text)
        paragraphs: list[str] = []
        current = ""
        widths = [width(b.text) for b in body]
        for i, line in enumerate(body):
            self.ledger.append(LedgerEntry(f"{path}.paragraphs.{len(paragraphs)}", line.text,
                                           line.line))
            current = join_wrapped(current, line.text)
            if i + 1 == len(body) or _paragraph_ends(body, widths, i):
                paragraphs.append(current)
                current = ""
        return paragraphs


def _column_order(body: list[_BodyLine], text: str) -> list[_BodyLine]:
    """The article's first page in reading order when the extractor gave its columns swapped.

    An article's text begins a paragraph, so its first line is indented. When the first line
    is a full one (the text starts mid-sentence) and the page runs on into the next, the PDF's
    right column may have come first. The left column then starts further down the same page,
    about halfway (a page's two columns hold about as many lines), at an indented line after
    one that does not end a sentence. The swap is made only when the document itself joins the
    characters that meet at the new seam more often than those at the old one: on the sample's
    page 8 the left column ends "…完成街", the right one begins "道“三整合”" (街道 occurs in
    the text; 均“, the old seam, does not).
    """
    if len(body) < 10 or body[0].heading:
        return body
    page_end = next((i for i, b in enumerate(body) if b.page != body[0].page), len(body))
    if page_end < 10:
        return body
    widths = [width(b.text) for b in body[:page_end]]
    top = max(widths)
    full = sorted(w for w in widths if w >= 0.8 * top)
    ref = full[len(full) // 2]  # the page's column width
    if widths[0] < ref - 1 or ends_sentence(body[page_end - 1].text):
        return body  # starts indented (in order), or the page does not run on into the next
    candidates = [k for k in range(5, page_end - 4)
                  if 2 <= ref - widths[k] <= 7 and not body[k].heading
                  and not body[k - 1].heading and not ends_sentence(body[k - 1].text)]
    if not candidates:
        return body
    k = min(candidates, key=lambda c: abs(c - page_end / 2))
    if abs(k - page_end / 2) > page_end / 4:
        return body
    new_seam = body[page_end - 1].text[-1:] + body[0].text[:1]
    old_seam = body[k - 1].text[-1:] + body[k].text[:1]
    if text.count(new_seam) <= text.count(old_seam):
        return body
    return body[k:page_end] + body[:k] + body[page_end:]


def _paragraph_ends(body: list[_BodyLine], widths: list[int], i: int) -> bool:
    line, nxt = body[i], body[i + 1]
    if line.heading or nxt.heading:
        return True
    if not ends_sentence(line.text):
        return False
    ref = _column_width(widths, i)
    if widths[i] <= ref - 6:
        return True  # a short last line
    # a full last line: the next one starts a paragraph if it is indented by about two
    # characters, and the line after it is a full one (a line with digits or Latin letters
    # measures short, its spacing stretched by the typesetter: its width tells nothing)
    if i + 2 < len(body):
        indent = ref - widths[i + 1]
        after = body[i + 2].text
        return 3 <= indent <= 7 and not ends_sentence(nxt.text) and \
            (widths[i + 2] >= ref - 2 or _HALF_WIDTH.search(after) is not None)
    return False


def _column_width(widths: list[int], i: int) -> int:
    """The width of the column around line ``i``: the median of its neighbours' widths.

    Short last lines and a Latin word set tight can make a single neighbour misleading; the
    median of up to six neighbours, leaving out lines much shorter than the widest, is not.
    """
    near = [widths[j] for j in range(i - 3, i + 4) if j != i and 0 <= j < len(widths)]
    if not near:
        return widths[i]
    top = max(near)
    near = sorted(w for w in near if w >= 0.6 * top)
    return near[len(near) // 2]


def _join_title(texts: object) -> str:
    out = ""
    for t in texts:  # type: ignore[attr-defined]
        out = join_wrapped(out, tidy(str(t)))
    return out


def _join_cell(pieces: list[_Piece]) -> str:
    out = ""
    for p in pieces:
        out = join_wrapped(out, p.text)
    return out


def _balanced_after_close(art: _ArticleB, text: str) -> bool:
    so_far = "".join(p.text for p in art.source_note) + text
    return so_far.count("（") < so_far.count("）")


def _looks_like_prose(text: str) -> bool:
    return bool(re.search(r"[，。；！？]", text)) and width(text) >= 30


def _table_cells_text(pre: str) -> str:
    return pre.replace(MARKER, "").strip()


_BRACKETS = {"（": "）", "(": ")", "《": "》", "“": "”"}


def _split_cells(text: str, merge_spaced: bool = False) -> list[str]:
    """Split a table line into cells: on whitespace, keeping bracketed text together.

    With ``merge_spaced``, letter-spaced headers (``序  号``) are put back together.
    """
    tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    cells: list[list[tuple[str, int, int]]] = []
    depth = 0
    for tok in tokens:
        if depth > 0 and cells:
            cells[-1].append(tok)
        else:
            cells.append([tok])
        for ch in tok[0]:
            if ch in _BRACKETS:
                depth += 1
            elif ch in _BRACKETS.values():
                depth = max(0, depth - 1)
    out = [" ".join(t[0] for t in cell) for cell in cells]
    if not merge_spaced:
        return out
    merged: list[str] = []
    prev_end = -10
    prev_single = False
    for cell, group in zip(out, cells):
        single = len(cell) == 1 and "\u3400" <= cell <= "\u9fff"
        gap = group[0][1] - prev_end
        if single and prev_single and gap >= 2 and merged:
            merged[-1] += cell
        else:
            merged.append(cell)
        prev_single = single
        prev_end = group[-1][2]
    return merged


def parse_text(text: str, source: str = "<text>", encoding: str = "utf-8",
               year: int | None = None) -> ParsedDocument:
    """Parse yearbook text; raise `ParseError` when it has no yearbook structure.

    ``year``: the edition year when the text does not name its volume (it covers the year
    before: the 大事记's events are dated in it).
    """
    return _Parser(text, source, encoding, year).run()


def parse_file(path: str | Path, year: int | None = None) -> ParsedDocument:
    """Read (detecting the encoding) and parse a file; errors name the file."""
    text, encoding = read_text(path)
    try:
        return parse_text(text, Path(path).name, encoding, year)
    except ParseError as exc:
        raise ParseError(path, exc.problem) from None
