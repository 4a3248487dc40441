"""Search normalisation: Unicode NFKC, case folding, traditional → simplified, no whitespace.

The same function is applied to indexed text and to queries, so a query matches a record
exactly when its normalised form is a substring of the record's normalised text.
Paragraphs, cells and fields are kept apart by ``SEP`` (a line break: queries never
contain one), so a match never spans two paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

SEP = "\n"
_WS = re.compile(r"[^\S\n]+")  # whitespace other than the separator


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    text = resources.files("sipviewer.search").joinpath("t2s.txt").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and len(line) == 2:
            table[ord(line[0])] = line[1]
    return table


def _fold_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch).casefold()
    return out.translate(_t2s_table())


@lru_cache(maxsize=4096)
def _fold_cached(ch: str) -> str:
    return _fold_char(ch)


def normalize(text: str) -> str:
    """Normalise one piece of text (a paragraph, a query term): no separators inside."""
    if text.isascii():
        return _WS.sub("", text).casefold().replace("\n", "")
    text = unicodedata.normalize("NFKC", text).casefold().translate(_t2s_table())
    # NFKC of the simplified form can differ in rare cases; fold once more to a fixed point
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def normalize_parts(parts: list[str]) -> str:
    """Normalise several pieces and join them with `SEP`."""
    return SEP.join(p for p in (normalize(x) for x in parts) if p)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        folded = _fold_cached(ch)
        folded = "".join(folded.split())
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where
