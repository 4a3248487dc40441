"""The page layout of PDF-extracted yearbook text: pages, lines, blocks, and the ledger.

Rules here (each a function, tested in ``tests/test_layout_rules.py``):

* `is_page_start`: the extractor adds one space in front of a page's first line. A page may
  begin with anything, so this is also true of a table heading that begins a page: the
  heading is itself indented (``    表1``, two full-width characters as four spaces, or
  ``\u2003\u2003 表1``) and the page's space comes in front of that indent.
* `split_pages`, `blocks`: a page is a list of lines; blank lines separate blocks (body lines
  each stand alone; a caption's lines stand together). `page_blocks` does both at once.
* `title_like`: a short line that could be a title or a running head.

Every non-space character of the input ends in one output field or in the list of dropped
text (`Ledger`); `sipviewer.ingest.accounting` checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from typing import overload

from sipviewer.model.textutil import MARKER, line_measures, tidy, width
from sipviewer.model.types import Dropped, LedgerEntry, Uncertain

# A page's first line: one space, then text; or one space in front of an indented table
# heading (an odd number of ASCII spaces, or a space before an em space: a heading's own
# indent is two full-width characters, four ASCII spaces or em spaces).
_PAGE_START = re.compile(r"^ (?=\S)")
_PAGE_START_TABLE = re.compile(r"^ (?:(?:  )+|\u2003[\s\u2003]*)表\s*\d")

SENTENCE_MARKS = "，。；！？"
SENTENCE_PUNCT = re.compile(f"[{SENTENCE_MARKS}]")
HEADING_GAP = re.compile(r"[\u3400-\u9fff”’》）]\s{2,}[\u3400-\u9fff“‘《（]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s")

# A title is at most 40 full-width characters (the longest in the sample is 25; a longer
# heading is broken over two lines, each shorter than this).
TITLE_MAX_WIDTH = 80


class Line:
    """A line of the input. Its display width is measured when it is made (nearly every rule
    asks for it); whether it could be a title is worked out once, when first asked.

    ``plain``: the line is one word with none of `NOT_PLAIN` in it (no bracket closes in it,
    no marker, no 鉴), so the rules that look for a credit, signature, source line, sub-heading
    gap or volume title need not try it. False when not known.
    """

    __slots__ = ("no", "page", "plain", "raw", "text", "title_shape", "width")

    def __init__(self, no: int, raw: str, page: int, text: str | None = None,
                 measured: int = -1, plain: bool = False, punctuated: bool = False) -> None:
        self.no = no  # 1-based line number in the input
        self.raw = raw
        self.page = page
        self.text = raw.strip() if text is None else text  # ``text``: raw.strip() when known
        self.width = width(self.text) if measured < 0 else measured  # its width when known
        self.plain = plain
        # ``title_shape``: `title_like` once measured, None before; False when the text is known
        # to hold sentence punctuation (``punctuated``: never a title)
        self.title_shape: bool | None = False if punctuated else None

    @property
    def title_like(self) -> bool:
        """`title_like` of the line's text."""
        if self.title_shape is None:
            self.title_shape = title_like(self.text, self.width, self.plain)
        return self.title_shape

    def __repr__(self) -> str:
        return f"Line({self.no}, p{self.page}, {self.text!r})"


@dataclass
class Piece:
    """A piece of input text bound for one output field (ledger material)."""

    text: str
    line: int


def is_page_start(raw: str) -> bool:
    return bool(_PAGE_START.match(raw) or _PAGE_START_TABLE.match(raw))


def split_pages(text: str) -> list[list[Line]]:
    pages: list[list[Line]] = []
    page: list[Line] = []
    for no, raw in enumerate(text.split("\n"), start=1):
        if not pages or (raw[:1] == " " and is_page_start(raw)):  # a page start begins so
            page = []
            pages.append(page)
        page.append(Line(no, raw, len(pages)))
    return pages


def blocks(lines: list[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


# Characters that may make a line more than body text: a closing bracket (credits, signatures,
# source lines), the extractor's marker, 鉴 (年鉴, the volume's title).
NOT_PLAIN = "）" + MARKER + "鉴"


def page_blocks(text: str, first_line: int = 0, first_page: int = 0
                ) -> list[list[list[Line]]]:
    """`blocks` of every page of `split_pages`, made in one pass over the lines that are not
    blank (their widths and `Line.plain` measured for the whole text at once). A part of a
    text that begins with a page's first line gives that part's pages, their lines numbered
    as in the whole: ``first_line`` and ``first_page`` lines and pages come before it."""
    raws = text.split("\n")
    widths, marked, punctuated = line_measures(text, NOT_PLAIN, SENTENCE_MARKS)
    page: list[list[Line]] = []
    pages = [page]  # the first line starts the first page, whatever it is
    current: list[Line] | None = None
    before = -2  # the line before the current one (0-based)
    for k in compress(range(len(widths)), widths):  # a line of any text has a width
        raw = raws[k]
        if k and raw[:1] == " " and is_page_start(raw):  # a page start begins so
            page = []
            pages.append(page)
            current = None
        elif k != before + 1:  # blank lines between
            current = None
        line = Line(first_line + k + 1, raw, first_page + len(pages), raw.strip(), widths[k],
                    not marked[k], punctuated[k])
        if current is None:
            current = [line]
            page.append(current)
        else:
            current.append(line)
        before = k
    return pages


def balanced(text: str) -> bool:
    return text.count("（") == text.count("）") and text.count("《") == text.count("》") \
        and text.count("“") == text.count("”")


def title_like(text: str, measured: int = -1, plain: bool = False) -> bool:
    """Could stand as a title or running head: short, Han, no sentence punctuation, no gaps.

    ``measured``: the text's `width`, when known; ``plain``: `Line.plain` of the text.
    """
    if SENTENCE_PUNCT.search(text):  # (tidying takes no punctuation away)
        return False
    if not plain and (MARKER in text or _SPACE.search(text)):
        t = tidy(text.replace(MARKER, ""))
        if HEADING_GAP.search(text) or " " in t:
            return False
        measured = -1
    else:  # one word: nothing to tidy, no gap
        t = text
    if not t or (measured if measured >= 0 else width(t)) > TITLE_MAX_WIDTH:
        return False
    if not _HAN.search(t) or t.startswith("（"):
        return False  # a bracketed line is a signature or source line, never a title
    return balanced(t) or t.endswith("：")


def join_title(texts: object) -> str:
    from sipviewer.model.textutil import join_wrapped

    out = ""
    for t in texts:  # type: ignore[attr-defined]
        out = join_wrapped(out, tidy(str(t)))
    return out


ledger_entry = partial(tuple.__new__, LedgerEntry)  # a LedgerEntry of a tuple, made in C
_dropped = partial(tuple.__new__, Dropped)
_TEXT, _LINE = itemgetter(0), itemgetter(1)  # of a body line


class Booked(Sequence[LedgerEntry]):
    """A parse's ledger (`ParsedDocument.ledger`): its entries, in order, kept as three columns
    (destinations, texts, line numbers). A volume books about one entry per line: no object is
    made for an entry (nor walked by the garbage collector) until one is asked for."""

    __slots__ = ("_dests", "_lines", "_texts")

    def __init__(self, dests: list[str], texts: list[str], lines: list[int]) -> None:
        self._dests, self._texts, self._lines = dests, texts, lines

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, k: int) -> LedgerEntry: ...

    @overload
    def __getitem__(self, k: slice) -> Booked: ...

    def __getitem__(self, k: int | slice) -> LedgerEntry | Booked:
        if isinstance(k, slice):
            return Booked(self._dests[k], self._texts[k], self._lines[k])
        return LedgerEntry(self._dests[k], self._texts[k], self._lines[k])

    def __iter__(self) -> Iterator[LedgerEntry]:
        return map(ledger_entry, zip(self._dests, self._texts, self._lines))

    def __repr__(self) -> str:
        return f"Booked({list(self)!r})"


class Ledger:
    """Where every piece of input went, the dropped text, and the uncertain decisions."""

    def __init__(self) -> None:
        # the entries (`book`) as three columns: a volume has one per line, a paragraph's are
        # added at once (`book_lines`)
        self.dests: list[str] = []
        self.texts: list[str] = []
        self.lines: list[int] = []
        self.dropped: list[Dropped] = []
        self.uncertain: list[Uncertain] = []

    def booked(self) -> Booked:
        """Every entry so far, in order."""
        return Booked(self.dests, self.texts, self.lines)

    def book(self, dest: str, text: str, line: int) -> None:
        """An entry: ``text`` of input line ``line`` went to the field ``dest``."""
        self.dests.append(dest)
        self.texts.append(text)
        self.lines.append(line)

    def book_lines(self, dest: str, lines: Sequence[tuple[str, int, int, bool, int]]) -> None:
        """Entries for body lines (`BodyLine`: text, line number, …; none blank) that went to
        ``dest``."""
        self.dests.extend(repeat(dest, len(lines)))
        self.texts.extend(map(_TEXT, lines))
        self.lines.extend(map(_LINE, lines))

    def drop(self, kind: str, text: str, line: int) -> None:
        if not text.strip():
            return
        self.book(f"dropped.{len(self.dropped)}", text, line)
        self.dropped.append(_dropped((kind, text, line)))

    def drop_markers(self, text: str, line: int) -> str:
        """Drop the extractor's markers from ``text`` (booked as dropped); return the rest."""
        count = text.count(MARKER)
        if count:
            self.drop("marker", MARKER * count, line)
            text = text.replace(MARKER, "")
        return text

    def add(self, dest: str, pieces: list[Piece]) -> None:
        for p in pieces:
            if p.text.strip():
                self.book(dest, p.text, p.line)

    def doubt(self, page: int, kind: str, text: str, decision: str) -> None:
        self.uncertain.append(Uncertain(page, kind, tidy(text.replace(MARKER, " "))[:80], decision))
