"""Parse PDF-extracted yearbook text into sections, articles, paragraphs, photos and tables.

The text is a whole yearbook volume, or a part of one, as the extractor gives it (the
bundled sample is the 专记 section of the 2021 volume). The layout rules live in their
own modules, one named rule per step, each tested alone:

* `sipviewer.ingest.layout`: pages (a page starts with one space), blocks, the ledger;
* `sipviewer.ingest.heads`: title page, section heads, running heads, where an article
  starts (a title mid-page, or no title line at the top of a page);
* `sipviewer.ingest.captions`: photo captions and their credits;
* `sipviewer.ingest.tables`: tables over page breaks, spanning categories, wrapped cells;
* `sipviewer.ingest.signatures`: an article's department signature or source note;
* `sipviewer.ingest.reflow`: hard-wrapped lines back into paragraphs;
* `sipviewer.ingest.assemble`: the drafts become records, every piece booked in the ledger;
* `sipviewer.ingest.chronicle`: a 大事记 section, read as dated events when its pages are
  laid out as a chronology (else as articles, reported as uncertain).

This module walks the pages and applies them in order. ``U+FFFD`` characters are layout
markers of the extractor and are dropped. Nothing is lost: every non-space character of
the input is recorded in a ledger, either in the output field it went to or in the list of
dropped running heads, page heads, markers and syntax (brackets, ``供稿``, ``表1``).
Decisions the rules were not sure of are listed in `ParsedDocument.uncertain`.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from pathlib import Path
from typing import Any

from sipviewer.ingest import assemble, heads, signatures
from sipviewer.ingest.assemble import CHRONICLE, ArticleDraft, SectionDraft
from sipviewer.ingest.captions import PhotoDraft, caption_end, is_caption_text, read_caption
from sipviewer.ingest.decode import read_text
from sipviewer.ingest.heads import PageView, Start
from sipviewer.ingest.layout import (
    HEADING_GAP,
    SENTENCE_PUNCT,
    Ledger,
    Line,
    Piece,
    page_blocks,
)
from sipviewer.ingest.reflow import BodyLine, body_line
from sipviewer.ingest.tables import (
    TABLE_TITLE,
    TableDraft,
    ends_table,
    finish_table,
    header_cells,
    source_line,
    start_table,
    take_source,
)
from sipviewer.model.errors import ParseError
from sipviewer.model.gcpause import anything_frozen, collector_paused
from sipviewer.model.textutil import ends_sentence, tidy, width
from sipviewer.model.types import (
    ParsedDocument,
    ParsedSection,
)


def _han_count(text: str) -> int:
    """How many Han characters (U+3400–U+9FFF) the text holds (counted as an array)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero((codes >= 0x3400) & (codes <= 0x9FFF)))


_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})年")
# A yearbook's text is mostly Han characters (the sample: 86 %; tables and numbers lower it);
# below this share the text is something else (an English text, a list of numbers).
MIN_HAN_SHARE = 0.3
# A sub-heading inside an article (``制度创新  以需求出发…``) is at most 30 characters.
SUBHEADING_MAX_WIDTH = 60


class _Reader:
    """Walks the pages in order and applies the rules; holds what is being read (the current
    article, an open table or source note, the title page's titles not yet used)."""

    def __init__(self, text: str, source: str, encoding: str, year: int | None) -> None:
        self.source = source
        self.encoding = encoding
        self.year = year
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.ledger = Ledger()
        self.sections: list[SectionDraft] = []
        self.article: ArticleDraft | None = None
        self.pending_section: str | None = None
        self.queue: list[tuple[str, list[Piece]]] = []  # titles from the title page
        self.table: TableDraft | None = None
        self.source_note_open = False
        self.volume_title: str | None = None
        self.edition_year: int | None = None
        self.page_heads = 0
        self.column = 0  # the column's width on the page before (for a page of tables)
        self.orphan_photos: list[PhotoDraft] = []
        self.pages: list[list[list[Line]]] = []  # the pages' blocks (set by `run`)
        self.at = 0  # the index of the page being read

    # -- top level ----------------------------------------------------------------------
    def run(self) -> ParsedDocument:
        pages = self.pages = page_blocks(self.text)
        self.read_pages(0, len(pages))
        self.close_table()
        return self.finish(len(pages))

    def read_pages(self, first: int, end: int, first_page: int = 0) -> None:
        """Read pages ``first`` to ``end`` (indexes into `pages`, whose first page is page
        ``first_page`` + 1 of the text; only the text's first page may be a title page)."""
        pages = self.pages
        for index in range(first, end):
            blks = pages[index]
            self.at = index
            if index == 0 and not first_page and \
                    heads.is_title_page([ln for b in blks for ln in b], len(pages)):
                self.read_title_page([ln for b in blks for ln in b])
                continue
            self.read_page(first_page + index + 1, blks)

    def read_title_page(self, page: list[Line]) -> None:
        m, line, titles = heads.title_page_titles(page)
        if m is not None and line is not None:
            self.set_volume_title(m, line, "title_page")
        self.queue = titles

    def set_volume_title(self, m: re.Match[str], line: Line, kind: str) -> None:
        if self.volume_title is None:
            self.volume_title = m.group("title")
            self.edition_year = int(m.group("year"))
        self.ledger.drop(kind, line.text, line.no)

    # -- a page -------------------------------------------------------------------------
    def read_page(self, page: int, blks: list[list[Line]]) -> None:
        """Read a page (its `blocks`)."""
        after_head = self.read_page_head(blks)
        if self.sections and self.sections[-1].chronicle is not None and self.pending_section is None:
            self.collect_chronicle(page, blks)
            return
        self.column = heads.column_ref(blks, self.column)
        following = self.pages[self.at + 1] if self.at + 1 < len(self.pages) else None
        foot = heads.foot_index(blks, ref=self.column, next_page=following)
        view = PageView(blks, self.column, foot, after_head, next_page=following)
        i = 0
        while i < len(blks):
            i = self.plain_run(view, i)
            if i < len(blks):
                i += self.read_block(view, i)

    def read_page_head(self, blks: list[list[Line]]) -> bool:
        """Take the section head or volume head off the top of the page (True if there was one)."""
        if not blks or len(blks[0]) != 1:
            return False
        line = blks[0][0]
        title = heads.section_head(line.text)
        if title is not None:
            blks.pop(0)
            self.ledger.drop("page_head", line.text, line.no)
            self.page_heads += 1
            self.on_section_head(title, line.page)
            return True
        m = heads.volume_title(line.text) if "鉴" in line.text else None  # (年鉴)
        if m is not None:
            blks.pop(0)
            self.set_volume_title(m, line, "page_head")
        return False

    def on_section_head(self, title: str, page: int) -> None:
        current = self.pending_section or (self.sections[-1].title if self.sections else None)
        if self.sections and self.sections[-1].title is None and not self.pending_section:
            self.sections[-1].title = title
            current = title
        if title == current:
            return
        self.close_table()
        if self.article is not None and not self.article.closed:
            self.close_article(page)
        self.pending_section = title
        if title != CHRONICLE or assemble.chronicle_reader() is None:
            return
        if not assemble.chronicle_layout(self.section_lines(title)):
            self.ledger.doubt(page, "section", title, "the pages are not laid out as a "
                              "chronology (month headings and dated entries): read as articles")
            return
        self.sections.append(SectionDraft(title, chronicle=[]))
        self.pending_section = None
        self.article = None

    def section_lines(self, title: str) -> list[str]:
        """The lines of the section that starts on the current page: its pages up to the next
        one headed by another section (its own heads left out)."""
        texts: list[str] = []
        for k in range(self.at, len(self.pages)):
            blks = self.pages[k]
            if k > self.at and blks and len(blks[0]) == 1:
                head = heads.section_head(blks[0][0].text)
                if head is not None and head != title:
                    break
                if head == title:
                    blks = blks[1:]
            texts += [ln.text for b in blks for ln in b]
        return texts

    def collect_chronicle(self, page: int, blks: list[list[Line]]) -> None:
        """A 大事记 page: its lines for the chronicle reader (heads already taken off)."""
        foot = heads.foot_index(blks)
        lines = [ln for k, b in enumerate(blks) for ln in b
                 if not (k == foot and tidy(ln.text) in (CHRONICLE, *self.known_titles()))]
        for k, b in enumerate(blks):
            if k == foot and tidy(b[0].text) in (CHRONICLE, *self.known_titles()):
                self.ledger.drop("running_head", b[0].text, b[0].no)
        assert self.sections[-1].chronicle is not None
        self.sections[-1].chronicle.append((page, lines))

    def known_titles(self) -> list[str]:
        return [a.title for s in self.sections for a in s.articles if a.title]

    # -- a block ------------------------------------------------------------------------
    def read_block(self, view: PageView, i: int) -> int:
        """Read block ``i`` of the page; return how many blocks were taken."""
        blk = view.blocks[i]
        if i in view.consumed:
            return 1
        nxt = view.blocks[i + 1] if i + 1 < len(view.blocks) else None
        n = caption_end(blk, nxt) if not self.source_note_open else 0
        if n:
            self.add_photo(read_caption(blk + (nxt if n == 2 and nxt else []), self.ledger))
            return n
        if self.read_structure(view, i):
            return 1
        if self.article is None or self.article.closed or self.article.after_table:
            taken = self.decide_start(view, i)
            if taken:
                return taken
        if len(blk) > 1 and is_caption_text(blk[0].text):
            # lines standing together (a caption's layout) that end in no credit
            self.ledger.doubt(blk[0].page, "caption", blk[0].text, "lines set like a caption "
                              "but with no credit: read as body text")
        for line in blk:
            self.read_body_line(line)
        return 1

    def plain_run(self, view: PageView, i: int) -> int:
        """The common case, decided on sight: lines alone in their blocks, in an open article,
        that no rule could take for anything but body text, added to the body as
        `read_body_line` would; returns the index of the first block after them (``i``: none).

        Such a line is `Line.plain` (no closing bracket: no credit, signature or source note;
        no marker, no 鉴 of the volume's title, no gap of a sub-heading), does not begin with 表
        (a table heading) or （ (a source note), and is not the article's running head.
        """
        art = self.article
        if art is None or art.closed or art.after_table or self.table is not None or \
                self.source_note_open:
            return i
        blks = view.blocks
        end = len(blks)
        consumed = view.consumed
        title = art.title
        append = art.body.append
        start = i
        while i < end:
            blk = blks[i]
            if len(blk) != 1 or i in consumed:
                break
            line = blk[0]
            text = line.text
            if not line.plain or text.startswith(("表", "（")) or text == title:
                break
            append(body_line((text, line.no, line.page, False, line.width)))
            i += 1
        if i > start:
            art.pages.add(blks[start][0].page)  # (a page's lines all have its number)
        return i

    def read_structure(self, view: PageView, i: int) -> bool:
        """Running heads, table lines, source notes, table headings: True when the block was one."""
        blk = view.blocks[i]
        if self.running_head(view, i):
            return True
        if self.table is not None and self.feed_table(blk):
            return True
        if self.source_note_open:
            self.read_source_note(blk)
            return True
        m = TABLE_TITLE.match(blk[0].text) if blk[0].text.startswith("表") else None
        if m:
            self.open_table(m, blk)
            return True
        if len(blk) == 1 and "鉴" in blk[0].text and \
                (vm := heads.volume_title(blk[0].text)) is not None:
            self.set_volume_title(vm, blk[0], "running_head")
            return True
        return False

    def running_head(self, view: PageView, i: int) -> bool:
        """A line repeating the current article's title (at the foot of the page) is dropped."""
        blk = view.blocks[i]
        if len(blk) != 1 or self.article is None or not self.article.title:
            return False
        title = self.article.title
        if blk[0].text[:1] != title[:1]:  # (tidying keeps a line's first character)
            return False
        text = tidy(blk[0].text)
        if text != title:
            return False
        if i != heads.last_content(view.blocks) and self.table is None and not self.article.closed:
            # a repeat mid-page: still a running head (the extractor moved it)
            self.ledger.doubt(blk[0].page, "running_head", text,
                              "the article's title repeated above the foot of the page: dropped")
        self.ledger.drop("running_head", blk[0].text, blk[0].no)
        return True

    def decide_start(self, view: PageView, i: int) -> int:
        """After an article's end or a table: a title, an untitled start or the same article."""
        art = self.article
        closed = art is None or art.closed
        decision, taken, why = heads.article_start(
            view, i, closed=closed, current_title=art.title if art else "",
            queued=[t for t, _ in self.queue])
        page = view.blocks[i][0].page
        if decision is Start.CONTINUE:
            if art is not None:
                art.after_table = False
            if why and not closed:
                self.ledger.doubt(page, "title", view.blocks[i][0].text, why)
            return 0
        if decision is Start.TITLE:
            pieces = [Piece(ln.text, ln.no) for b in view.blocks[i:i + taken] for ln in b]
            title = heads.title_candidate(view.blocks, i)
            assert title is not None
            if why:
                self.ledger.doubt(page, "title", title[0], why)
            self.new_article(title[0], pieces, page)
            return taken
        self.headless_article(view, i, why)
        return 0

    def headless_article(self, view: PageView, i: int, why: str) -> None:
        """An article with no title line: its title is the page's foot head, else the title page's."""
        page = view.blocks[i][0].page
        foot = view.foot_text(i)
        if foot is None and i == view.first_content and view.take_wide_foot(i):
            # its first page carries its head: a foot line as wide as a full body line is that
            foot = view.foot_text(i)
            self.ledger.doubt(page, "title", foot or "", "an article with no title line: a foot "
                              "line as wide as a full body line taken as its head")
        if foot is not None and not view.elsewhere(foot, i + 1):
            assert view.foot is not None
            line = view.blocks[view.foot][0]
            view.consumed.add(view.foot)
            queued = next((k for k, (t, _) in enumerate(self.queue) if t == foot), None)
            if queued is None:
                self.new_article(foot, [Piece(line.text, line.no)], page)
                return
            # the title page printed it first: that copy is the title, this one a running head
            title, pieces = self.queue.pop(queued)
            self.new_article(title, pieces, page)
            self.ledger.drop("running_head", line.text, line.no)
            return
        if self.queue:
            title, pieces = self.queue.pop(0)
            self.new_article(title, [], page)
            assert self.article is not None
            self.article.title_pieces = pieces
            self.ledger.doubt(page, "title", title, "an article with no title line and no running "
                              "head: titled from the title page")
            return
        self.new_article("", [], page)
        self.ledger.doubt(page, "title", view.blocks[i][0].text,
                          (f"{why}; " if why else "") + "no title line and no running head: "
                          "the article is left untitled")

    # -- articles -----------------------------------------------------------------------
    def new_article(self, title: str, pieces: list[Piece], page: int) -> ArticleDraft:
        if self.article is not None and not self.article.closed:
            self.close_article(page)
        if self.pending_section is not None or not self.sections or \
                self.sections[-1].chronicle is not None:
            self.sections.append(SectionDraft(self.pending_section))
            self.pending_section = None
        art = ArticleDraft(title=title, title_pieces=pieces)
        for k, (queued, qpieces) in enumerate(self.queue):
            if queued == title and pieces:
                del self.queue[k]  # the title page's copy of this title is now a duplicate
                for p in qpieces:
                    self.ledger.drop("title_page", p.text, p.line)
                break
        art.pages.add(page)
        self.sections[-1].articles.append(art)
        self.article = art
        if self.orphan_photos:
            art.photos.extend(self.orphan_photos)
            self.orphan_photos = []
        return art

    def close_article(self, page: int) -> None:
        """The article ends without its own signature: a table's source line signs it."""
        art = self.article
        assert art is not None
        art.closed = True
        if art.attribution is None and not art.source_note:
            last = art.tables[-1] if art.tables else None
            if art.after_table and last is not None and last.attribution is not None:
                art.attribution = last.attribution
                art.attribution_from_table = True
            else:
                self.ledger.doubt(page, "attribution", art.title or "(untitled)",
                                  "the article ends with no signature or source note")
        art.after_table = False

    def current_article(self, page: int) -> ArticleDraft:
        if self.article is None or self.article.closed:
            return self.new_article("", [], page)
        return self.article

    def add_photo(self, photo: PhotoDraft) -> None:
        if self.article is None:
            self.orphan_photos.append(photo)
        else:
            self.article.photos.append(photo)
            self.article.pages.add(photo.page)

    # -- body, signatures, source notes ---------------------------------------------------
    def read_body_line(self, line: Line) -> None:
        art = self.article
        is_open = art is not None and not art.closed
        if is_open and line.text.startswith("（") and signatures.SOURCE_NOTE.match(line.text):
            self.source_note_open = True
            self.read_source_note([line])
            return
        m = signatures.ATTRIBUTION.match(line.text) if line.text.endswith("）") else None
        if is_open and m and signatures.is_signature(m):
            assert art is not None
            pre = m.group("pre")
            if pre.strip():
                self.add_body(Line(line.no, pre, line.page))
            art.attribution = signatures.take(m, line, self.ledger)
            art.pages.add(line.page)
            art.closed = True
            art.after_table = False
            return
        self.add_body(line)

    def add_body(self, line: Line) -> None:
        art = self.current_article(line.page)
        art.after_table = False
        text = self.ledger.drop_markers(line.raw, line.no)
        words = text.split()
        if len(words) == 1:  # no gap inside, so no sub-heading
            heading, text = False, words[0]
        else:
            heading = bool(HEADING_GAP.search(text.strip())) and not SENTENCE_PUNCT.search(text) \
                and width(text.strip()) <= SUBHEADING_MAX_WIDTH \
                and (not art.body or ends_sentence(art.body[-1].text))
            text = re.sub(r"\s+", " ", text.strip()) if heading else tidy(text)
            if not text:
                return
        art.body.append(BodyLine(text, line.no, line.page, heading, width(text)))
        art.pages.add(line.page)

    def read_source_note(self, block: list[Line]) -> None:
        art = self.article
        assert art is not None
        for line in block:
            if signatures.read_source_note_line(art.source_note, line, self.ledger):
                self.source_note_open = False
                art.closed = True
            art.pages.add(line.page)

    # -- tables ---------------------------------------------------------------------------
    def open_table(self, m: re.Match[str], blk: list[Line]) -> None:
        self.close_table()
        line = blk[0]
        art = self.current_article(line.page)
        art.after_table = False
        table = start_table(m, line, self.ledger)
        art.tables.append(table)
        art.pages.add(line.page)
        self.table = table
        if len(blk) > 1:
            self.feed_table(blk[1:])

    def close_table(self) -> None:
        if self.table is not None:
            finish_table(self.table, self.ledger)
            self.table = None

    def feed_table(self, block: list[Line]) -> bool:
        """Give a block to the open table; False when the block is not part of it."""
        table = self.table
        assert table is not None
        for k, line in enumerate(block):
            m = source_line(line.text)
            if m:
                take_source(table, m, line, self.ledger)
                self.close_table()
                if self.article is not None:
                    self.article.after_table = True
                    self.article.pages.add(line.page)
                for other in block[k + 1:]:
                    self.read_body_line(other)
                return True
            if not table.columns:
                header_cells(table, line, self.ledger)
                continue
            if ends_table(line.text):
                self.close_table()
                for other in block[k:] if k else ():
                    self.read_body_line(other)
                return k > 0
            table.lines.append(line)
            if self.article is not None:
                self.article.pages.add(line.page)
        return True

    # -- output ---------------------------------------------------------------------------
    def finish(self, n_pages: int) -> ParsedDocument:
        self.close_reading()
        covered = self.covered_year()
        sections = self.assemble(covered)
        self.check_structure(sections, n_pages)
        return self.document(sections, covered, self.ledger.booked())

    def close_reading(self) -> None:
        """The end of the text: what is still open is closed."""
        if self.orphan_photos:  # captions before any article: keep them with the first one
            self.current_article(self.orphan_photos[0].page)
        if self.article is not None and not self.article.closed:
            self.close_article(max(self.article.pages, default=0))
        for _title, pieces in self.queue:  # titles of the title page no article took
            for p in pieces:
                self.ledger.drop("title_page", p.text, p.line)
        self.queue = []

    def assemble(self, covered: int | None) -> list[ParsedSection]:
        """The sections' drafts made into records (booked in the ledger)."""
        sections: list[ParsedSection] = []
        for si, sec in enumerate(self.sections):
            if sec.chronicle is not None:
                sections.append(assemble.chronicle(sec, si, covered, self.ledger))
                continue
            articles = [assemble.article(art, f"s{si}.a{ai}", self.ledger, self.text)
                        for ai, art in enumerate(sec.articles)]
            sections.append(ParsedSection(sec.title or "正文", tuple(articles)))
        return sections

    def document(self, sections: list[ParsedSection], covered: int | None, ledger: Any,
                 dropped: tuple[Any, ...] | None = None,
                 uncertain: tuple[Any, ...] | None = None) -> ParsedDocument:
        """The parsed volume (``dropped`` and ``uncertain``: the reader's own by default)."""
        edition = self.edition_year
        if covered is not None and edition is None:
            edition = covered + 1
        return ParsedDocument(
            self.source, self.encoding, self.volume_title, edition, covered, tuple(sections),
            tuple(self.ledger.dropped) if dropped is None else dropped,
            tuple(self.ledger.uncertain) if uncertain is None else uncertain, ledger)

    def check_structure(self, sections: list[ParsedSection], n_pages: int) -> None:
        """Refuse a text that is not a yearbook: no Chinese, no page layout, no articles."""
        head = self.text[:200000]
        chars = len("".join(head.split())) - head.count("\ufffd")  # not spaces, not markers
        han = _han_count(head)
        if not chars or han < MIN_HAN_SHARE * chars:
            raise ParseError(self.source, "no Chinese text: not a yearbook (the parser reads "
                             "Chinese yearbook text)")
        if n_pages < 2 and not self.page_heads:
            raise ParseError(self.source, "no yearbook structure found (no page layout: no line "
                             "starts a page with one space)")
        n_items = sum(len(s.articles) + len(s.events) for s in sections)
        structure = self.page_heads or any(s.events for s in sections) or any(
            a.title or a.photos or a.tables or a.attribution or a.source_note
            for s in sections for a in s.articles)
        if not n_items or not structure:
            raise ParseError(self.source, "no yearbook structure found (no pages, titles, "
                             "captions, tables or department signatures)")

    def covered_year(self) -> int | None:
        if self.year is not None:
            return self.year - 1 if self.edition_year is None else self.edition_year - 1
        if self.edition_year is not None:
            return self.edition_year - 1
        years = Counter(int(y) for y in _YEAR_MENTION.findall(self.text))
        return years.most_common(1)[0][0] if years else None

def parse_text(text: str, source: str = "<text>", encoding: str = "utf-8",
               year: int | None = None) -> ParsedDocument:
    """Parse yearbook text; raise `ParseError` when it has no yearbook structure.

    ``year``: the edition year when the caller knows it (the text's own title page wins).
    The cyclic garbage collector is paused meanwhile: a volume makes a few hundred thousand
    objects (lines, body lines, ledger entries) and no reference cycles, and its full passes
    over them took a third of the time. What the parse keeps (the records) is then handed to
    the collector's oldest generation as it is (`_settle`).
    """
    with collector_paused():
        doc = _Reader(text, source, encoding, year).run()
        _settle()
    return doc


def _settle() -> None:
    """The objects made since the last collection (a parse's records: thousands, no cycles)
    join the collector's oldest generation without the first collection after the pause
    walking them all (a twentieth of a volume's parse). Skipped when anything is frozen for
    good (`collector_paused(freeze=True)`): `gc.unfreeze` would thaw that too."""
    if not anything_frozen():
        gc.freeze()
        gc.unfreeze()


def parse_file(path: str | Path, year: int | None = None) -> ParsedDocument:
    """Read (detecting the encoding) and parse a file; errors name the file."""
    text, encoding = read_text(path)
    try:
        return parse_text(text, Path(path).name, encoding, year)
    except ParseError as exc:
        raise ParseError(path, exc.problem) from None
