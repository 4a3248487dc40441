"""Small text helpers shared by the parser and the generator: display width and joining.

Width is counted in half-em units as printed: a CJK character or full-width punctuation
is 2, ASCII and half-width characters are 1. Hard-wrapped yearbook lines of the same
column have about the same width in these units, whatever their mix of digits and Han.
"""

from __future__ import annotations

import re
import unicodedata

MARKER = "\ufffd"  # the PDF extractor's stand-in for tabs and layout glyphs

# East Asian "ambiguous" characters: dashes and ellipses are set full width in these
# yearbooks; curly quotes are compressed next to other punctuation, and measure closest
# to half width on average (measured on the sample's known paragraph starts).
_WIDE_AMBIGUOUS = set("…—·")

TERMINAL = "。！？"
CLOSERS = "”’」』）)"


def char_width(ch: str) -> int:
    if ch in _WIDE_AMBIGUOUS:
        return 2
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _wide_ranges(lo: int, hi: int) -> str:
    """The wide characters from ``lo`` to ``hi`` as the inside of a regex character class."""
    ranges: list[list[int]] = []
    for cp in range(lo, hi):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if ch in _WIDE_AMBIGUOUS or unicodedata.east_asian_width(ch) in ("W", "F"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)


_CLASSES: tuple[re.Pattern[str], re.Pattern[str]] | tuple[()] = ()  # built on first use


def _build_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(every character of the Basic Multilingual Plane that is not wide, and every wide
    character beyond it), built once from unicodedata (~50 ms).

    The two are kept apart because a class of BMP characters only compiles to a lookup table
    (one step per character); a class reaching past U+FFFF is a list of ranges tried in turn.
    Characters beyond the BMP are rare: they are looked at only when some are there.
    """
    global _CLASSES
    _CLASSES = (re.compile(f"[^{_wide_ranges(0, 0x10000)}]"),
                re.compile(f"[{_wide_ranges(0x10000, 0x40000)}]"))
    return _CLASSES


def width(text: str) -> int:
    """Display width in half-em units: 2 per character, less the narrow ones (counted in one
    regex pass in C; Han text has few of them)."""
    if text.isascii():
        return len(text)
    narrow_bmp, wide_astral = _CLASSES or _build_classes()
    narrow = narrow_bmp.findall(text)  # beyond the BMP: counted narrow here, checked below
    n = 2 * len(text) - len(narrow)
    if narrow and max(narrow) > "\uffff":
        n += len(wide_astral.findall("".join(narrow)))
    return n


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence: 。！？ possibly followed by closing quotes."""
    t = text.rstrip()
    while t and t[-1] in CLOSERS:
        t = t[:-1]
    return bool(t) and t[-1] in TERMINAL


_ASCII_WORD = re.compile(r"[A-Za-z]")


def join_wrapped(left: str, right: str) -> str:
    """Join two hard-wrapped pieces: no space between Han or digits, one between Latin words."""
    if not left:
        return right
    if not right:
        return left
    if _ASCII_WORD.match(left[-1]) and _ASCII_WORD.match(right[0]):
        return f"{left} {right}"
    return left + right


_SPACES = re.compile(r"\s+")
_FULLWIDTH_PUNCT = "，。、；：！？“”‘’（）《》【】—…"
_SPACE_BY_PUNCT = re.compile(rf"\s+(?=[{_FULLWIDTH_PUNCT}])|(?<=[{_FULLWIDTH_PUNCT}])\s+")


def tidy(text: str) -> str:
    """Collapse layout whitespace inside a line: none next to full-width punctuation, else one space."""
    parts = text.split()
    if len(parts) <= 1:  # the common case: nothing to collapse
        return parts[0] if parts else ""
    text = _SPACE_BY_PUNCT.sub("", text.strip())
    return _SPACES.sub(" ", text)


def non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())
