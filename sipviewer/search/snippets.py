"""Snippets and highlighting: find normalised terms in original text, mark them.

Matching happens on normalised text (so 蘇州 finds 苏州 and ｎ９５ finds N95) and is mapped
back to the original characters, which are what the reader shows.
"""

from __future__ import annotations

import html
import re

from sipviewer.search.normalize import normalize, normalize_with_map

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
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
    """About ``2 × width`` characters around the first match in the first part that has one."""
    for part in parts:
        norm = normalize(part)
        if not any(term in norm for term in terms if term):
            continue  # the cheap test first: mapping positions is per character
        spans = match_spans(part, terms, norm)
        if not spans:
            continue
        first_start, first_end = spans[0]
        lo = max(0, first_start - width // 2)
        hi = min(len(part), max(first_end, lo + 2 * width))
        lo = max(0, min(lo, hi - 2 * width))
        window = [(max(s, lo) - lo, min(e, hi) - lo) for s, e in spans if s < hi and e > lo]
        body = mark(part[lo:hi], window, open_, close, escape)
        return ("…" if lo > 0 else "") + body + ("…" if hi < len(part) else "")
    first = next((p for p in parts if p), "")
    text = first[: 2 * width]
    return (html.escape(text) if escape else text) + ("…" if len(first) > 2 * width else "")
