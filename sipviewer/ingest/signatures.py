"""How an article ends: its department's signature or a source note.

Rules (tested in ``tests/test_signature_rules.py``):

* `is_signature`: ``（园区经发委）`` alone on a line, or after the article's last sentence set
  apart by a marker or spaces (``…。� （园区经发委）``), signs the article. Brackets that
  explain a name (``（简称园区）``, ``（含…）``) are not signatures.
* `SOURCE_NOTE` / `read_source_note_line`: a bracketed note starting ``原载``, ``转载``,
  ``摘自`` … (sample l. 693–695) names where the article was first printed; it may wrap
  over lines and ends where its brackets balance.
"""

from __future__ import annotations

import re

from sipviewer.ingest.layout import Ledger, Line, Piece
from sipviewer.model.textutil import ends_sentence, tidy

ATTRIBUTION = re.compile(
    r"^(?P<pre>.*?)(?P<mk>[\s\ufffd]*)(?P<open>（)(?P<name>[^（），。、；：！？《》“”\s\ufffd]{2,30})"
    r"(?P<close>）)\s*$"
)
SOURCE_NOTE = re.compile(r"^（(?:原载|转载|摘自|选自|来源)")
_NOT_A_NAME = ("简称", "下称", "以下简称", "含", "即")


def is_signature(m: re.Match[str]) -> bool:
    pre = m.group("pre").strip()
    if m.group("name").startswith(_NOT_A_NAME):
        return False
    if not pre:
        return True
    # the signature follows the last sentence, set apart by a marker or spaces
    return ends_sentence(pre) and bool(m.group("mk"))


def take(m: re.Match[str], line: Line, ledger: Ledger) -> Piece:
    """The department of a signature; brackets and markers are booked as dropped."""
    ledger.drop_markers(m.group("mk"), line.no)
    ledger.drop("syntax", "（", line.no)
    ledger.drop("syntax", "）", line.no)
    return Piece(m.group("name"), line.no)


def read_source_note_line(note: list[Piece], line: Line, ledger: Ledger) -> bool:
    """Add a line of a source note to ``note``; True when the note is complete."""
    text = ledger.drop_markers(line.text, line.no)
    done = False
    if not note and text.startswith("（"):
        ledger.drop("syntax", "（", line.no)
        text = text[1:]
    if text.rstrip().endswith("）") and _balanced_after_close(note, text):
        done = True
        ledger.drop("syntax", "）", line.no)
        text = text.rstrip()[:-1]
    if text.strip():
        note.append(Piece(tidy(text), line.no))
    return done


def _balanced_after_close(note: list[Piece], text: str) -> bool:
    so_far = "".join(p.text for p in note) + text
    return so_far.count("（") < so_far.count("）")
