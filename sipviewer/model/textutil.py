"""Small text helpers shared by the parser and the generator: display width and joining.

Width is counted in half-em units as printed: a CJK character or full-width punctuation
is 2, ASCII and half-width characters are 1. Hard-wrapped yearbook lines of the same
column have about the same width in these units, whatever their mix of digits and Han.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=4)
def _wide_spans(lo: int, hi: int) -> list[tuple[int, int]]:
    """The wide characters from ``lo`` to ``hi`` as runs of code points (first, last), asked
    of unicodedata once per process (the loop runs in C: ``map``)."""
    wide = list(map(("W", "F").__contains__,
                    map(unicodedata.east_asian_width, map(chr, range(lo, hi)))))
    for ch in _WIDE_AMBIGUOUS:
        if lo <= ord(ch) < hi:
            wide[ord(ch) - lo] = True
    for cp in range(max(lo, 0xD800), min(hi, 0xE000)):  # surrogates stand for no character
        wide[cp - lo] = False
    return [(lo + m.start(), lo + m.end() - 1) for m in re.finditer(b"\x01+", bytes(wide))]


def _wide_ranges(lo: int, hi: int) -> str:
    """The wide characters from ``lo`` to ``hi`` as the inside of a regex character class."""
    spans = [(max(a, lo), min(b, hi - 1)) for a, b in _wide_spans(0, 0x40000) if b >= lo and a < hi]
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in spans)


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


# What each code point is, as bits: 1 narrow, 2 space; 4 and 8 the characters a caller of
# `line_measures` asks about. Built on first use, by the characters asked about.
_NARROW, _SPACE, _MARKS, _ALSO = 1, 2, 4, 8
_KINDS: dict[tuple[str, str], Any] = {}


def _kinds(marks: str, also: str) -> Any:
    import numpy as np

    if (marks, also) in _KINDS:
        return _KINDS[marks, also]
    if ("", "") not in _KINDS:
        kinds = np.full(0x110000, _NARROW, dtype=np.uint8)
        for a, b in _wide_spans(0, 0x40000):
            kinds[a:b + 1] = 0
        kinds[[cp for cp in range(0x3001) if chr(cp).isspace()]] |= _SPACE  # U+3000: the last
        _KINDS["", ""] = kinds
    kinds = _KINDS["", ""].copy()
    kinds[[ord(ch) for ch in marks]] |= _MARKS
    kinds[[ord(ch) for ch in also]] |= _ALSO
    _KINDS[marks, also] = kinds
    return kinds


def line_widths(text: str) -> list[int]:
    """`width` of every line of ``text`` (split on ``\\n``) without its surrounding spaces, all
    measured at once (a volume's million characters in a few array operations)."""
    return line_measures(text)[0]


def line_measures(text: str, marks: str = "", also: str = ""
                  ) -> tuple[list[int], list[bool], list[bool]]:
    """For every line of ``text`` (split on ``\\n``) without its surrounding spaces: its
    `width`, whether it holds a space inside or any of the characters of ``marks``, and
    whether it holds any of the characters of ``also``.

    Each line's counts are summed in one pass over the characters per kind (`_kinds`); the
    spaces around the lines that have some (a page's first line) are then taken off."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kind = np.append(_kinds(marks, also)[codes], np.uint8(0))  # (a 0 after the last line)
    newlines = np.flatnonzero(codes == 10)
    kind[newlines] = 0  # a line's newline counts for nothing
    starts = np.concatenate(([0], newlines + 1))
    lengths = np.diff(starts, append=len(codes) + 1) - 1
    # (an empty line's sum is the kind at its start: a newline or the final 0)
    narrow = np.add.reduceat(kind & _NARROW, starts, dtype=np.int32)
    marked = np.add.reduceat((kind & (_SPACE | _MARKS)) != 0, starts, dtype=np.int32)
    also_in = np.add.reduceat((kind & _ALSO) != 0, starts, dtype=np.int32) > 0
    widths = 2 * lengths - narrow
    last = starts + np.maximum(lengths, 1) - 1
    spaced = np.flatnonzero((lengths > 0) & (((kind[starts] | kind[last]) & _SPACE) != 0))
    if len(spaced):
        _strip_counts(kind, starts[spaced], lengths[spaced], widths, marked, spaced)
    return widths.tolist(), (marked > 0).tolist(), also_in.tolist()


def _strip_counts(kind: Any, starts: Any, lengths: Any, widths: Any, marked: Any,
                  which: Any) -> None:
    """Take the spaces at both ends of lines ``which`` (at ``starts``, ``lengths`` long) off
    their ``widths`` and ``marked`` counts: the spaces are counted from either end, a step
    per space for all those lines at once."""
    import numpy as np

    taken = np.zeros(len(which), dtype=np.int64)  # spaces taken off, from the start
    taken_w = np.zeros(len(which), dtype=np.int64)  # and their width
    for end in (0, 1):  # from the start, then from the end
        k = 0
        active = np.arange(len(which))
        while len(active):
            pos = starts[active] + (lengths[active] - 1 - k if end else k)
            room = taken[active] < lengths[active]
            space = room & ((kind[pos] & _SPACE) != 0)
            active, pos = active[space], pos[space]
            taken[active] += 1
            taken_w[active] += 2 - (kind[pos] & _NARROW)
            k += 1
    widths[which] -= taken_w
    marked[which] -= taken


_ENDINGS = frozenset(TERMINAL)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence: 。！？ possibly followed by closing quotes."""
    last = text[-1:]
    if last in _ENDINGS:
        return True
    if not last or (last not in CLOSERS and not last.isspace()):
        return False  # (the common case: a line ending mid-sentence)
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
