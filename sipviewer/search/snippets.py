"""Snippets and highlighting: find normalised terms in original text, mark them.

Matching happens on normalised text (so 蘇州 finds 苏州 and ｎ９５ finds N95) and is mapped
back to the original characters, which are what the reader shows.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from sipviewer.search.normalize import normalize, normalize_with_map

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
# searching as you type shows mostly the same records again, letter after letter: keep the
# normalised form of the paragraphs they were taken from (a few MB at most)
_normalized = lru_cache(maxsize=8192)(normalize)
_SPACE = re.compile(r"\s")


def match_spans(text: str, terms: list[str], norm: str | None = None) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of ``text`` where any normalised term occurs.

    ``norm`` is ``normalize(text)`` when the caller has it already.
    """
    if not terms or not text:
        return []
    norm = normalize(text) if norm is None else norm
    where: list[int] | None = None
    if len(norm) != len(text) or _SPACE.search(text):
        # some characters were dropped or expanded: map positions one by one (slower)
        norm, where = normalize_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start >= 0:
            end = start + len(term) - 1
            if where is None:  # the common case: one character for one character
                spans.append((start, end + 1))
            else:
                spans.append((where[start], where[end] + 1))
            start = norm.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def mark(text: str, spans: list[tuple[int, int]], open_: str = MARK_OPEN,
         close: str = MARK_CLOSE, escape: bool = True) -> str:
    out: list[str] = []
    pos = 0
    esc = html.escape if escape else (lambda s: s)
    for s, e in spans:
        out.append(esc(text[pos:s]))
        out.append(open_ + esc(text[s:e]) + close)
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def snippet(parts: list[str], terms: list[str], width: int = 36, *,
            open_: str = MARK_OPEN, close: str = MARK_CLOSE, escape: bool = True) -> str:
    """About ``2 × width`` characters of the part, and the place in it, that show the most
    different terms (the first such place of the first such part); every match marked."""
    wanted = [term for term in dict.fromkeys(terms) if term]
    best: tuple[int, str, str] | None = None  # (distinct terms, part, its normalised text)
    for part in parts:
        norm = _normalized(part)
        found = sum(term in norm for term in wanted)  # the cheap test first
        if found and (best is None or found > best[0]):
            best = (found, part, norm)
            if found == len(wanted):
                break
    if best is not None:
        _, part, norm = best
        per_term = [match_spans(part, [term], norm) for term in wanted]
        spans = match_spans(part, wanted, norm)
        if spans:
            lo, hi = _window(part, spans, per_term, width)
            window = [(max(s, lo) - lo, min(e, hi) - lo) for s, e in spans if s < hi and e > lo]
            body = mark(part[lo:hi], window, open_, close, escape)
            return ("…" if lo > 0 else "") + body + ("…" if hi < len(part) else "")
    first = next((p for p in parts if p), "")
    text = first[: 2 * width]
    return (html.escape(text) if escape else text) + ("…" if len(first) > 2 * width else "")


def _window(part: str, spans: list[tuple[int, int]], per_term: list[list[tuple[int, int]]],
            width: int) -> tuple[int, int]:
    """The ``2 × width`` window starting a little before a match that holds the most terms."""
    best: tuple[int, int, int] | None = None  # (-terms, lo, hi)
    for start, end in spans:
        lo = max(0, start - width // 2)
        hi = min(len(part), max(end, lo + 2 * width))
        lo = max(0, min(lo, hi - 2 * width))
        inside = sum(any(s >= lo and e <= hi for s, e in term_spans) for term_spans in per_term)
        if best is None or -inside < best[0]:
            best = (-inside, lo, hi)
            if inside == len(per_term):
                break
    assert best is not None
    return best[1], best[2]
