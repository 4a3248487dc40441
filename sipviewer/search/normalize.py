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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

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


def normalize(text: str) -> str:
    """Normalise one piece of text (a paragraph, a query term): no separators inside."""
    if text.isascii():
        return _WS.sub("", text).casefold().replace("\n", "")
    # character by character (one C call) when no character can interact with its
    # neighbours: the same result (see `_Independent`), at a third of the cost
    folded = text.translate(_INDEPENDENT)
    if _DEPENDS not in folded:
        return folded
    return _normalize(text)


def _normalize(text: str) -> str:
    """`normalize` of a text that is not ASCII, the whole text at once."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_t2s_table())
    # NFKC of the simplified form can differ in rare cases; fold once more to a fixed point
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def normalize_parts(parts: list[str]) -> str:
    """Normalise several pieces and join them with `SEP`."""
    return SEP.join(p for p in (normalize(x) for x in parts) if p)


class _CharFold(dict[int, str]):
    """Code point → that character normalised on its own ("" for whitespace), as met."""

    def __missing__(self, code: int) -> str:
        if len(self) > _FOLD_LIMIT:  # a text of very many different characters
            self.clear()
        out = self[code] = normalize(chr(code))
        return out


class _CharLength(dict[int, str]):
    """Code point → chr(the length of that character normalised on its own)."""

    def __missing__(self, code: int) -> str:
        if len(self) > _FOLD_LIMIT:
            self.clear()
        out = self[code] = chr(len(_FOLD[code]))
        return out


_FOLD_LIMIT = 100_000
_FOLD = _CharFold()
_LENGTHS = _CharLength()

# The characters that may compose with the character before them (the second of a
# canonical decomposition into two, and Hangul's vowel and final jamo), as code point
# ranges, for this version of the Unicode data (another version works them out once).
_SECONDS_VERSION = "14.0.0"
_SECONDS_RANGES = (
    (0x0300, 0x0304), (0x0306, 0x030C), (0x030F, 0x030F), (0x0311, 0x0311), (0x0313, 0x0314),
    (0x031B, 0x031B), (0x0323, 0x0328), (0x032D, 0x032E), (0x0330, 0x0331), (0x0338, 0x0338),
    (0x0342, 0x0342), (0x0345, 0x0345), (0x05B4, 0x05B4), (0x05B7, 0x05B9), (0x05BC, 0x05BC),
    (0x05BF, 0x05BF), (0x05C1, 0x05C2), (0x0653, 0x0655), (0x093C, 0x093C), (0x09BC, 0x09BC),
    (0x09BE, 0x09BE), (0x09D7, 0x09D7), (0x0A3C, 0x0A3C), (0x0B3C, 0x0B3C), (0x0B3E, 0x0B3E),
    (0x0B56, 0x0B57), (0x0BBE, 0x0BBE), (0x0BD7, 0x0BD7), (0x0C56, 0x0C56), (0x0CC2, 0x0CC2),
    (0x0CD5, 0x0CD6), (0x0D3E, 0x0D3E), (0x0D57, 0x0D57), (0x0DCA, 0x0DCA), (0x0DCF, 0x0DCF),
    (0x0DDF, 0x0DDF), (0x0F72, 0x0F72), (0x0F74, 0x0F74), (0x0F80, 0x0F80), (0x0FB5, 0x0FB5),
    (0x0FB7, 0x0FB7), (0x102E, 0x102E), (0x1161, 0x1175), (0x11A8, 0x11C2), (0x1B35, 0x1B35),
    (0x3099, 0x309A), (0x110BA, 0x110BA), (0x11127, 0x11127), (0x1133E, 0x1133E),
    (0x11357, 0x11357), (0x114B0, 0x114B0), (0x114BA, 0x114BA), (0x114BD, 0x114BD),
    (0x115AF, 0x115AF), (0x11930, 0x11930), (0x1D165, 0x1D165), (0x1D16E, 0x1D172))


@lru_cache(maxsize=1)
def composing_seconds() -> frozenset[str]:
    """Every character that may compose with the one before it (a superset: excluded
    compositions count too)."""
    if unicodedata.unidata_version == _SECONDS_VERSION:
        return frozenset(chr(c) for lo, hi in _SECONDS_RANGES for c in range(lo, hi + 1))
    out = {chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            out.add(chr(int(parts[1], 16)))
    return frozenset(out)


def _plain(text: str) -> bool:
    """Fully decomposed, the text holds only characters that neither reorder (combining
    class 0) nor compose with the one before them: its NFKC is then its NFKD, made
    character by character."""
    seconds = composing_seconds()
    return all(not unicodedata.combining(x) and x not in seconds
               for x in unicodedata.normalize("NFKD", text))


class _Independent(dict[int, str]):
    """Code point → that character normalised on its own, for a character whose
    normalisation does not depend on its neighbours; `_DEPENDS` for the others.

    A character qualifies when it is `_plain` and so is what the first NFKC, case folding
    and the traditional → simplified table make of it: in a text of such characters
    neither NFKC composes or reorders anything across two of them, and case folding, the
    table and removing whitespace go character by character, so `normalize` of the text
    is the characters normalised one by one, joined (tested against the whole-text way)."""

    def __missing__(self, code: int) -> str:
        if len(self) > _FOLD_LIMIT:
            self.clear()
        char = chr(code)
        middle = unicodedata.normalize("NFKC", char).casefold().translate(_t2s_table())
        if code and _plain(char) and _plain(middle):
            out = self[code] = normalize(char) if char.isascii() else _normalize(char)
        else:
            out = self[code] = _DEPENDS
        return out


_DEPENDS = "\x00"  # (NUL itself counts as depending: no other character becomes one)
_INDEPENDENT = _Independent()


def fold_with_map(text: str) -> tuple[str, np.ndarray | None]:
    """The text normalised character by character and, for each character of the result,
    the index in ``text`` it came from (None when every character became exactly one, so
    the indices are the same). Both made at C speed (one `str.translate` each): a snippet
    or a highlighted article needs this for texts of any length."""
    folded = text.translate(_FOLD)
    counts = text.translate(_LENGTHS)
    if len(folded) == len(text) and counts.count("\x01") == len(text):
        return folded, None
    import numpy as np  # only here: the start-up path imports this module without numpy

    lengths = np.frombuffer(counts.encode("latin-1"), dtype=np.uint8)
    return folded, np.repeat(np.arange(len(text), dtype=np.int64), lengths)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text (character by character) and, for each of its characters, the
    index it came from."""
    folded, where = fold_with_map(text)
    return folded, list(range(len(text))) if where is None else where.tolist()
