"""Paragraphs: hard-wrapped body lines joined back into the paragraphs they were.

Rules (tested in ``tests/test_reflow_rules.py``):

* `paragraph_ends`: a paragraph ends at a line that ends a sentence and is clearly short
  (`SHORT_LAST_LINE` units narrower than the column), or at a full line ending a sentence
  when the next line is indented and the one after it is full again; sub-headings
  (``制度创新  以需求出发…``) stand alone;
* `column_width`: the column's width around a line (median of its neighbours);
* `column_order`: an article's first page extracted right column first is put back in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from sipviewer.model.textutil import CLOSERS, TERMINAL, ends_sentence, width

_HALF_WIDTH = re.compile(r"[0-9A-Za-z%.]")  # characters set half width

# A paragraph's last line is at least this many half-em units short of the column: the
# generator and the sample's short last lines leave at least 6 (3 characters) free.
SHORT_LAST_LINE = 6
# An indented first line is 2 characters (4 units) narrower; 3–7 allows for a digit or a
# Latin letter measuring narrower or a wide punctuation mark at the line's end.
INDENT_MIN, INDENT_MAX = 3, 7
# Swapped columns are only looked for on a page of at least this many lines (a shorter page
# is not split into two columns by the extractor).
MIN_COLUMN_PAGE = 10


class BodyLine(NamedTuple):
    """A body line of an article (one is made for nearly every line of a volume: a named
    tuple, cheap to make; `body_line` makes one in C)."""

    text: str  # markers removed, whitespace tidied
    line: int
    page: int
    heading: bool = False
    width: int = -1  # the text's display width when known (else -1: measured)


body_line = partial(tuple.__new__, BodyLine)  # body_line((text, line, page, heading, width))


def reflow(body: list[BodyLine], text: str) -> list[tuple[str, list[BodyLine]]]:
    """The paragraphs of an article's body lines, each with the lines it was made of.

    Only the lines where `paragraph_ends` could say yes are asked: those ending a sentence
    (their last characters looked at together, in one string) and those next to a sub-heading.
    """
    body = column_order(body, text)
    paragraphs: list[tuple[str, list[BodyLine]]] = []
    if not body:
        return paragraphs
    texts = list(map(_TEXT, body))
    widths = list(map(_WIDTH, body))
    if min(widths) < 0:
        widths = [w if w >= 0 else width(t) for w, t in zip(widths, texts)]
    last = len(body) - 1
    asked: Iterable[int]
    if "" in texts:  # (no body line is empty; a caller's may be)
        asked = range(last + 1)
        seams: set[int] = set(range(last + 1))
    else:
        ends = "".join(map(_LAST, texts))
        heads = list(compress(range(last + 1), map(_HEADING, body)))
        asked = sorted({m.start() for m in _TERMINAL.finditer(ends)}
                       .union([m.start() for m in _CLOSING.finditer(ends)
                               if ends_sentence(texts[m.start()])],
                              heads, [k - 1 for k in heads if k], [last]))
        # where a Latin letter ends one line and begins the next (a space joins them)
        seams = {m.start() for m in _LATIN_END.finditer(ends, 0, last)
                 if texts[m.start() + 1][0] in _LATIN}
    start = 0
    for i in asked:
        if i == last or paragraph_ends(body, widths, i):
            used = body[start:i + 1]
            if seams and not seams.isdisjoint(range(start, i)):
                paragraphs.append((_joined(used), used))
            else:
                paragraphs.append(("".join(texts[start:i + 1]), used))
            start = i + 1
    return paragraphs


_TEXT, _LAST, _WIDTH, _HEADING = itemgetter(0), itemgetter(-1), itemgetter(4), itemgetter(3)
# A line's last character that ends a sentence, or may (`ends_sentence` has the last word).
_TERMINAL = re.compile(f"[{TERMINAL}]")
_CLOSING = re.compile(rf"[{CLOSERS}\s]")
_LATIN_END = re.compile(r"[A-Za-z]")


_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _joined(lines: list[BodyLine]) -> str:
    """`join_wrapped` of the lines' texts, left to right, in one join: a space only where a
    Latin letter ends one piece and begins the next."""
    if len(lines) == 1:
        return lines[0].text
    parts: list[str] = []
    last = ""  # the last character so far
    for b in lines:
        t = b.text
        if not t:
            continue
        if last in _LATIN and t[0] in _LATIN:
            parts.append(" ")
        parts.append(t)
        last = t[-1]
    return "".join(parts)


def column_order(body: list[BodyLine], text: str) -> list[BodyLine]:
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
    if len(body) < MIN_COLUMN_PAGE or body[0].heading:
        return body
    page_end = next((i for i, b in enumerate(body) if b.page != body[0].page), len(body))
    if page_end < MIN_COLUMN_PAGE:
        return body
    widths = [b.width if b.width >= 0 else width(b.text) for b in body[:page_end]]
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


def paragraph_ends(body: list[BodyLine], widths: list[int], i: int) -> bool:
    line, nxt = body[i], body[i + 1]
    if line.heading or nxt.heading:
        return True
    if not ends_sentence(line.text):
        return False
    ref = column_width(widths, i)
    if widths[i] <= ref - SHORT_LAST_LINE:
        return True  # a short last line
    # a full last line: the next one starts a paragraph if it is indented by about two
    # characters, and the line after it is a full one (a line with digits or Latin letters
    # measures short, its spacing stretched by the typesetter: its width tells nothing)
    if i + 2 < len(body):
        indent = ref - widths[i + 1]
        after = body[i + 2].text
        return INDENT_MIN <= indent <= INDENT_MAX and not ends_sentence(nxt.text) and \
            (widths[i + 2] >= ref - 2 or _HALF_WIDTH.search(after) is not None)
    return False


def column_width(widths: list[int], i: int) -> int:
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
