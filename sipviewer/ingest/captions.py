"""Photo captions: the lines of a caption and its credit.

Rule (`caption_end`): a caption is a run of lines standing together (no blank line between
them) whose last line ends with the credit ``（园区新闻中心  供稿）`` (a department supplied
the photo) or ``（陈雨禾  摄）`` (a named photographer). The credit may close the caption's
last line or stand on a line of its own right after it (sample l. 105–106); when the
extractor did put a blank line before such a credit, the line before it ends in a marker.
The caption's date interval comes from its text (`sipviewer.ingest.dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sipviewer.ingest.layout import Ledger, Line, Piece
from sipviewer.model.textutil import MARKER, join_wrapped, tidy

CREDIT = re.compile(
    r"^(?P<pre>.*?)(?P<mk>[\s\ufffd]*)(?P<open>（)(?P<name>[^（）\ufffd]{1,40}?)(?P<sp>\s*)"
    r"(?P<kind>供稿|摄)(?P<close>）)\s*$"
)
SUPPLIED = "supplied"
PHOTOGRAPHER = "photographer"


@dataclass
class PhotoDraft:
    caption: list[Piece]
    credit: Piece | None
    credit_kind: str | None
    page: int

    @property
    def text(self) -> str:
        out = ""
        for p in self.caption:
            out = join_wrapped(out, p.text)
        return out


def is_caption_text(text: str) -> bool:
    """Not a table row, signature or heading: text a caption could start with."""
    return (bool(text.strip()) and not text.strip()[0].isdigit()) or _DATED.match(text) is not None


_DATED = re.compile(r"^\s*(?:19|20)\d{2}年")


def credit(text: str) -> re.Match[str] | None:
    """`CREDIT` matched on ``text`` (tried only on a line with its closing bracket and 摄 or
    供稿 in it: most lines have none)."""
    if "）" in text and ("摄" in text or "供稿" in text):
        return CREDIT.match(text)
    return None


def is_credit_line(text: str) -> bool:
    return credit(text) is not None


def caption_end(block: list[Line], nxt: list[Line] | None) -> int:
    """How many blocks a caption starting at ``block`` takes: 1, 2 (credit apart) or 0."""
    last = block[-1].text
    if credit(last):
        return 1
    if nxt is not None and len(nxt) == 1 and last.endswith(MARKER):
        m = credit(nxt[0].text)
        if m and not m.group("pre").strip(MARKER + " \t"):
            return 2
    return 0


def read_caption(lines: list[Line], ledger: Ledger) -> PhotoDraft:
    """The caption in ``lines`` (its last line carries the credit); syntax is booked as dropped."""
    last = lines[-1]
    m = CREDIT.match(last.text)
    assert m is not None
    pieces: list[Piece] = []
    for line in lines[:-1]:
        text = ledger.drop_markers(line.text, line.no)
        if text.strip():
            pieces.append(Piece(tidy(text), line.no))
    pre = ledger.drop_markers(m.group("pre"), last.no)
    if pre.strip():
        pieces.append(Piece(tidy(pre), last.no))
    ledger.drop_markers(m.group("mk"), last.no)
    ledger.drop("syntax", "（", last.no)
    name = tidy(m.group("name"))
    ledger.drop("syntax", m.group("kind") + "）", last.no)
    kind = PHOTOGRAPHER if m.group("kind") == "摄" else SUPPLIED
    photo = PhotoDraft(pieces, Piece(name, last.no) if name else None, kind, last.page)
    if not pieces:
        ledger.doubt(last.page, "caption", last.text, "a credit with no caption text: kept as a photo "
                     "without a caption")
    return photo
