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
