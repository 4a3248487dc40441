"""Heads: the title page, section heads, running heads, and where an article starts.

Rules, one function each (tested in ``tests/test_head_rules.py``):

* `section_head`: a letter-spaced line of 2–8 Han characters on top of a page
  (``专  记``, ``大\u2003 事\u2003 记``) names the section the page belongs to; a new name
  starts a new section. Never body text, never a title.
* `volume_title`: ``苏州工业园区年鉴（2021）`` on the title page or on top of a page names
  the volume and its edition year.
* `is_title_page` / `title_page_titles`: a first page of short lines without sentence
  punctuation lists the volume's name and first article titles (a long title broken after
  ``：``).
* `foot_head`: the current article's title alone on a line at the foot of a page, below
  only captions, is a running head. It also names an article that begins at the top of the
  page with no title line. A foot line as wide as a full body line is one running on over the
  page, unless the next page's foot repeats it (a running head stands on every page of its
  article; a body line is not printed twice) or no body line could stand there (`may_run_on`:
  below a paragraph's end, or above a next page that cannot go on from it). An article with
  no title line at the top of a page takes even such a line as its head (`PageView.take_wide_foot`:
  its first page carries its head), reported as uncertain.
* `article_start`: after an article has ended (signature, source note) or a table's source
  line, what comes next is a title (mid-page, or under a section head), an article with no
  title line (only at the top of a page: its title is the page's foot head), or, after a
  table, the same article going on (a foot line as wide as a paragraph's indented first line
  is then body text, not a new article's head, unless the lines around it say it cannot be:
  the line above runs on (a full line that ends no sentence is followed by its paragraph's
  next line, never by a new paragraph), or the next page's first line cannot go on from it
  (a paragraph's next line is full or ends its last sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from sipviewer.ingest.captions import caption_end, is_credit_line
from sipviewer.ingest.layout import Line, Piece, join_title, title_like
from sipviewer.model.textutil import ends_sentence, tidy

_SPACE = re.compile(r"\s")
SECTION_HEAD = re.compile(r"^[\u3400-\u9fff](?:\s+[\u3400-\u9fff]){1,7}$")
VOLUME_TITLE = re.compile(r"^(?P<title>\S{2,20}年鉴)\s*[（(]?(?P<year>(?:19|20)\d{2})[)）]?(?:卷)?$")
_CONTINUED = ("：", ":", "——", "—")  # a title line ending so goes on in the next line
# The title page has at most this many lines (a volume's first titles of every section).
TITLE_PAGE_MAX_LINES = 40


def section_head(text: str) -> str | None:
    """The section a page head names (``专  记`` → 专记), or None."""
    if SECTION_HEAD.match(text):
        return re.sub(r"\s+", "", text)
    return None


def volume_title(text: str) -> re.Match[str] | None:
    return VOLUME_TITLE.match(text.replace(" ", "").replace("\u2003", ""))


def is_title_page(page: list[Line], n_pages: int) -> bool:
    texts = [ln.text for ln in page if ln.text]
    if n_pages < 2 or not texts or len(texts) > TITLE_PAGE_MAX_LINES:
        return False
    return all((title_like(t) or volume_title(t) is not None) and not is_credit_line(t)
               for t in texts)


def title_page_titles(page: list[Line]) -> tuple[re.Match[str] | None, Line | None,
                                                 list[tuple[str, list[Piece]]]]:
    """The volume title (and its line) and the titles a title page lists, in order."""
    found: re.Match[str] | None = None
    found_line: Line | None = None
    titles: list[tuple[str, list[Piece]]] = []
    pending: list[Piece] = []
    for line in page:
        if not line.text:
            continue
        m = volume_title(line.text)
        if m and not pending and found is None:
            found, found_line = m, line
            continue
        pending.append(Piece(line.text, line.no))
        if line.text.endswith(_CONTINUED):
            continue
        titles.append((join_title(p.text for p in pending), pending))
        pending = []
    if pending:
        titles.append((join_title(p.text for p in pending), pending))
    return found, found_line, titles


def title_candidate(blocks: list[list[Line]], i: int) -> tuple[str, int] | None:
    """The title the blocks from ``i`` would make (joined, blocks used), or None."""
    block = blocks[i]
    if len(block) > 3 or not all(ln.title_like for ln in block):
        return None
    joined = join_title(ln.text for ln in block)
    if joined.endswith(_CONTINUED) and i + 1 < len(blocks):
        nxt = blocks[i + 1]
        if len(nxt) <= 2 and all(ln.title_like for ln in nxt):
            return join_title([joined] + [ln.text for ln in nxt]), 2
    return joined, 1


def last_content(blocks: list[list[Line]]) -> int:
    """The index of the page's last block above the captions at its foot (-1: none)."""
    k = len(blocks) - 1
    while k >= 0:
        if k >= 1 and caption_end(blocks[k - 1], blocks[k]) == 2:
            k -= 2
            continue
        if caption_end(blocks[k], None) == 1:
            k -= 1
            continue
        break
    return k


def foot_index(blocks: list[list[Line]], fallback: int = 0, ref: int | None = None,
               next_page: list[list[Line]] | None = None) -> int | None:
    """The block that could be the page's running head: the last one above the captions.

    ``ref``: the page's `column_ref` when the caller has it already (else measured here).
    A line as wide as a full body line is one running on to the next page, not a head, unless
    ``next_page`` (the page after this one, when known) has the same line at its foot (a running
    head stands on every page of its article, a body line is not printed twice), or the lines
    around it say it cannot be a body line (`may_run_on`).
    """
    k = last_content(blocks)
    if k < 0 or len(blocks[k]) != 1 or not blocks[k][0].title_like:
        return None
    if ref is None:
        ref = column_ref(blocks, fallback)
    if ref and blocks[k][0].width >= ref - FULL_LINE_SHORT and k > 0 and \
            (next_page is None or foot_line(next_page) != tidy(blocks[k][0].text)) and \
            may_run_on(blocks, k, ref, next_page):
        return None  # a full body line running on to the next page, not a head
    return k


def may_run_on(blocks: list[list[Line]], k: int, ref: int,
               next_page: list[list[Line]] | None) -> bool:
    """Line ``k`` at the foot of the page, as wide as a full line and ending no sentence, may be a
    body line running on to the next page: the line above it is full too (a line narrower than
    full ends its paragraph or is no body line, and a full line starts no paragraph: a first
    line is indented), and the next page's first line can go on from it (`goes_on`; unknown
    when that is a table heading, a caption or not a line alone)."""
    above = blocks[k - 1]
    if len(above) == 1 and above[0].width < ref - FULL_LINE_SHORT:
        return False
    return next_goes_on(next_page, ref)


def foot_line(blocks: list[list[Line]]) -> str | None:
    """The text of the page's last line above the captions when it stands alone, else None."""
    k = last_content(blocks)
    return tidy(blocks[k][0].text) if k >= 0 and len(blocks[k]) == 1 else None


# A body line of a column is at least 10 characters wide; a page needs this many such lines
# for its own measure of the column (a page of table rows or captions takes the last one).
MIN_BODY_WIDTH = 20
MIN_BODY_LINES = 3


def column_ref(blocks: list[list[Line]], fallback: int = 0) -> int:
    """The page's column width: the median of its body lines at least 80 % as wide as the widest.

    Body lines stand alone between blank lines; captions (lines together, wider), table rows
    (cells apart), titles and running heads do not count. With too few body lines on the
    page, ``fallback`` (the column of the page before).
    """
    # (one pass; a line known to hold sentence punctuation is no title: its shape is not asked)
    widths = [ln.width for b in blocks if len(b) == 1 and (ln := b[0]).width >= MIN_BODY_WIDTH
              and (ln.plain or _gapless(ln)) and (ln.title_shape is False or not ln.title_like)]
    if len(widths) < MIN_BODY_LINES:
        if fallback:
            return fallback
        widths = [ln.width for b in blocks if len(b) == 1 and (ln := b[0]).width >= MIN_BODY_WIDTH
                  and (ln.plain or _gapless(ln))]  # the first page: what there is
    if not widths:
        return 0
    least = 0.8 * max(widths)
    full = sorted([w for w in widths if w >= least])
    return full[len(full) // 2]


def _gapless(line: Line) -> bool:
    """No gap inside (table cells, a sub-heading) and no photo credit: may be a body line."""
    return not _SPACE.search(line.text) and not is_credit_line(line.text)


# A paragraph's first line is indented by two characters (4 units); with a wide or narrow
# character at its end it measures 3–5 units short of the full line after it. The line after it is full
# (at most 2 units short). A title that happens to be that wide and is followed by a full
# line is the one case this cannot tell apart; it is reported as uncertain.
FIRST_LINE_SHORT = (3, 5)
FULL_LINE_SHORT = 2


def paragraph_shape(blocks: list[list[Line]], i: int, ref: int, foot: int | None = None) -> bool:
    """The block looks like a paragraph's indented first line followed by its continuation.

    At the foot of a page (nothing after it but captions) the width alone decides: a title is
    never the last line of a page, the paragraph goes on over the page.
    """
    if ref <= 0:
        return False
    w = blocks[i][-1].width
    lo, hi = FIRST_LINE_SHORT
    nxt = next((b for k, b in enumerate(blocks[i + 1:], i + 1)
                if k != foot and not caption_end(b, blocks[k + 1] if k + 1 < len(blocks) else None)
                and not (k > 0 and caption_end(blocks[k - 1], b) == 2)), None)
    if nxt is None:
        return ref - hi <= w <= ref - lo
    # measured against the full line after it (the same column), not the page's median; a
    # Latin word set tight may make that line stick out past the column
    n = nxt[0].width
    return n >= ref - FULL_LINE_SHORT and min(n, ref) - hi <= w <= n - lo


def runs_on(blocks: list[list[Line]], k: int, ref: int) -> bool:
    """Block ``k`` is a body line whose paragraph goes on after it: a line alone, as wide as
    the column, that ends no sentence (a paragraph's last line ends one, and is short)."""
    if k < 0 or ref <= 0 or len(blocks[k]) != 1:
        return False
    line = blocks[k][0]
    return line.width >= ref - FULL_LINE_SHORT and not ends_sentence(line.text) and \
        not is_credit_line(line.text)


def goes_on(line: Line, ref: int) -> bool:
    """The line could be the next line of a paragraph whose line before it ends no sentence:
    a full line, or the paragraph's last line (ending its sentence)."""
    return line.width >= ref - FULL_LINE_SHORT or ends_sentence(line.text)


def first_line(blocks: list[list[Line]]) -> Line | None:
    """The page's first line below its section or volume head when it stands alone (a body
    line, a title, a table heading), else None."""
    k = 0
    if blocks and len(blocks[0]) == 1:
        head = blocks[0][0].text
        k = int(section_head(head) is not None or volume_title(head) is not None)
    return blocks[k][0] if k < len(blocks) and len(blocks[k]) == 1 else None


def next_goes_on(next_page: list[list[Line]] | None, ref: int) -> bool:
    """The first line of ``next_page`` can go on from a line that ends no sentence at the foot
    of this page (`goes_on`); True when unknown (no next page, a table heading, a caption, not a
    line alone: a paragraph may be set around a table or a photo)."""
    nxt = first_line(next_page) if next_page else None
    return nxt is None or nxt.text.startswith("表") or is_credit_line(nxt.text) or \
        goes_on(nxt, ref)


def first_line_at_foot(view: PageView) -> bool:
    """The foot line (after a table) may be the first line of the article's next paragraph:
    it is shaped like one, the line above it ends a paragraph (does not run on), and the next
    page's first line can go on from it (`next_goes_on`)."""
    foot = view.foot
    if foot is None or not paragraph_shape(view.blocks, foot, view.ref, foot) or \
            runs_on(view.blocks, foot - 1, view.ref):
        return False
    return next_goes_on(view.next_page, view.ref)


class Start(Enum):
    TITLE = "title"  # a title line starts a new article
    HEADLESS = "headless"  # a new article with no title line (title from the foot head)
    CONTINUE = "continue"  # the article before goes on


@dataclass
class PageView:
    """What the rules see of one page."""

    blocks: list[list[Line]]
    ref: int
    foot: int | None
    after_head: bool = False
    first_content: int = 0
    consumed: set[int] = field(default_factory=set)
    next_page: list[list[Line]] | None = None  # the page after this one, when there is one

    def foot_text(self, after: int) -> str | None:
        if self.foot is None or self.foot <= after:
            return None
        return tidy(self.blocks[self.foot][0].text)

    def take_wide_foot(self, after: int) -> bool:
        """Take as the page's foot head a last line (above the captions, below block ``after``)
        that `foot_index` left out for being as wide as a full body line; True if there is one."""
        k = foot_index(self.blocks, ref=0)  # (no column: the width is not asked)
        if k is None or k <= after:
            return False
        self.foot = k
        return True

    def elsewhere(self, text: str, i: int) -> bool:
        """The text stands as a title from block ``i`` on (other than the foot): a title line
        (or two, broken after a colon) of an article that starts further down the page."""
        for k in range(i, len(self.blocks)):
            if k == self.foot:
                continue
            cand = title_candidate(self.blocks, k)
            if cand is not None and cand[0] == text:
                return True
        return False


def article_start(view: PageView, i: int, *, closed: bool, current_title: str,
                  queued: list[str]) -> tuple[Start, int, str]:
    """What block ``i`` starts when an article has ended (``closed``) or a table's source line
    was read (not ``closed``): (decision, blocks taken by a title, why)."""
    cand = title_candidate(view.blocks, i)
    foot = view.foot_text(i)
    top = i == view.first_content
    foot_new = foot is not None and foot != current_title and \
        (cand is None or foot != cand[0]) and not view.elsewhere(foot, i + 1)
    if not closed and foot == current_title:
        return Start.CONTINUE, 0, ""  # the page's running head is the article's
    if foot_new and not closed and first_line_at_foot(view):
        # after a table the article goes on unless a new one's head says otherwise; a line at
        # the foot as wide as a paragraph's indented first line is that, not a head, when the
        # lines around it allow
        foot_new = False
    if cand is not None and (cand[0] == foot or cand[0] in queued):
        return Start.TITLE, cand[1], ""
    shaped = paragraph_shape(view.blocks, i, view.ref, view.foot)
    if top and foot_new and (cand is None or shaped):
        return Start.HEADLESS, 0, ""
    if cand is None:
        return (Start.HEADLESS, 0, "text with no title after an article's end") if closed else \
            (Start.CONTINUE, 0, "")
    if view.after_head and i == view.first_content and not shaped:
        return Start.TITLE, cand[1], ""
    if shaped:
        why = "a short line shaped like a paragraph's first line: read as body text"
        return (Start.HEADLESS if closed else Start.CONTINUE), 0, why
    return Start.TITLE, cand[1], "" if closed else "a short line after a table taken as a title"
