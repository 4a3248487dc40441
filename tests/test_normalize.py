"""`normalize` character by character (its fast way) against normalising the whole text
(Unicode's NFKC, case folding, the traditional → simplified table, no whitespace), on the
sample, a generated volume, every character on its own and random mixtures of the
characters where the two could differ (combining marks, Hangul jamo, compatibility forms,
traditional characters, whitespace of every kind)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from sipviewer.ingest.parser import parse_file, parse_text
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.search import normalize as norm
from sipviewer.search.normalize import normalize, normalize_parts


def _whole(text: str) -> str:
    """The normalisation as defined, one call over the whole text."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(norm._t2s_table())
    return "".join(unicodedata.normalize("NFKC", text).split())


def _pieces(doc) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for a in doc.articles:
        out += [a.title, *a.paragraphs]
        out += [p.caption for p in a.photos]
        out += [c for t in a.tables for row in t.rows for c in row]
    return out


def test_the_sample_and_a_generated_volume(sample_path):
    pieces = _pieces(parse_file(sample_path))
    pieces += _pieces(parse_text(generate_volume(41, target_chars=60_000).text))
    assert len(pieces) > 500
    for piece in pieces:
        assert normalize(piece) == _whole(piece), piece
    assert normalize_parts(pieces[:50]) == "\n".join(p for p in map(_whole, pieces[:50]) if p)


def test_every_character_on_its_own():
    for code in range(0x30000):
        char = chr(code)
        if unicodedata.category(char) == "Cs":  # lone surrogates: no text holds them
            continue
        assert normalize(char) == _whole(char), hex(code)


def test_the_seconds_of_compositions_are_those_of_this_unicode_version():
    """The stored list of characters that may compose with the one before them is the one
    worked out from the Unicode data (a stale list would let a composition through)."""
    found = {chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            found.add(chr(int(parts[1], 16)))
    assert norm.composing_seconds() == frozenset(found)


TRICKY = (
    "园区苏州工业年鉴发展", "ABCabc012", "ＡＢＣ１２３，。：", "é", "e\u0301", "\u0301\u0327",
    "\u0308", "\u00a8", "ß", "ﬁ", "㍿", "①", "\u3000", " \t\r\n\x0b\x0c\x1c\x1f\x85\u2028",
    "\u00a0\u2003", "國際區園藝", "가각", "\u1100\u1161\u11a8", "\u1161", "\u11a8",
    "\u0b47\u0b3e", "\u0b47", "\u0b3e", "ΣΑΣ", "ς", "İ", "\u0345", "\U0001D165", "\U0002f800",
    "\U00020000\U00020001", "\u2126", "Å", "\u212b", "Ǆ", "\ufb01", "ｶﾞ", "ｶ", "\uff9e", "\x00",
)


@pytest.mark.parametrize("seed", range(4))
def test_random_mixtures_of_the_characters_that_could_differ(seed):
    rng = random.Random(seed)
    alphabet = "".join(TRICKY)
    for _ in range(5000):
        size = rng.randrange(1, 12)
        text = "".join(rng.choice(TRICKY) if rng.random() < 0.3 else rng.choice(alphabet)
                       for _ in range(size))
        assert normalize(text) == _whole(text), ascii(text)
