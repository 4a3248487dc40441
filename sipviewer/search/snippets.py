"""Snippets and highlighting: find normalised terms in original text, mark them.

Matching happens on normalised text (so 蘇州 finds 苏州 and ｎ９５ finds N95) and is mapped
back to the original characters, which are what the reader shows.

A snippet is cut from one part of a record (a paragraph, a caption, a cell). Which part is
decided on the normalised parts: the caller passes them when it has them (the index holds
every record's normalised text), so a search shows twenty snippets without normalising the
records they come from; only the chosen part is mapped, character by character.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sipviewer.search.normalize import SEP, fold_with_map, normalize

if TYPE_CHECKING:
    import numpy as np

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_SPACE = re.compile(r"\s")


def _occurrences(norm: str, term: str) -> list[int]:
    """Every start of ``term`` in ``norm``, overlapping ones too."""
    out = []
    start = norm.find(term)
    while start >= 0:
        out.append(start)
        start = norm.find(term, start + 1)
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _term_spans(text: str, terms: list[str], norm: str | None
                ) -> list[list[tuple[int, int]]]:
    """For each term, the sorted, merged (start, end) spans of ``text`` where it occurs."""
    where: np.ndarray | None = None
    if norm is None or len(norm) != len(text) or _SPACE.search(text):
        # some characters were dropped or expanded: map positions one by one
        norm, where = fold_with_map(text)
    out: list[list[tuple[int, int]]] = []
    for term in terms:
        if not term:
            out.append([])
            continue
        last = len(term) - 1
        if where is None:  # one character for one character
            spans = [(s, s + last + 1) for s in _occurrences(norm, term)]
        else:
            spans = [(int(where[s]), int(where[s + last]) + 1) for s in _occurrences(norm, term)]
        out.append(_merge(spans))
    return out


def match_spans(text: str, terms: list[str], norm: str | None = None) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of ``text`` where any normalised term occurs.

    ``norm`` is ``normalize(text)`` when the caller has it already.
    """
    if not terms or not text:
        return []
    return _merge([span for spans in _term_spans(text, terms, norm) for span in spans])


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


def stored_norms(kind: str, parts: Sequence[str], norm_text: str) -> list[str] | None:
    """The normalised form of each of a record's snippet parts, cut from its normalised text
    as the index holds it (title, `SEP`, the body pieces that are not empty); None when the
    two do not line up (the caller normalises then)."""
    pieces = norm_text.split(SEP)
    body = list(parts[1:]) if kind == "photo" else list(parts[:-1])
    title_at = 0 if kind == "photo" else len(parts) - 1
    norms: list[str] = []
    k = 1
    for part in body:
        if part.split():  # a part of nothing but whitespace normalises to nothing
            if k >= len(pieces):
                return None
            norms.append(pieces[k])
            k += 1
        else:
            norms.append("")
    if k != len(pieces) or not parts:
        return None
    norms.insert(title_at, pieces[0])
    return norms


def snippet(parts: list[str], terms: list[str], width: int = 36, *,
            open_: str = MARK_OPEN, close: str = MARK_CLOSE, escape: bool = True,
            norms: Sequence[str] | None = None) -> str:
    """About ``2 × width`` characters of the part, and the place in it, that show the most
    different terms (the first such place of the first such part); every match marked.

    ``norms``: the normalised parts (`stored_norms`), when the caller has them."""
    wanted = [term for term in dict.fromkeys(terms) if term]
    best: tuple[int, str, str] | None = None  # (distinct terms, part, its normalised text)
    for k, part in enumerate(parts):
        norm = norms[k] if norms is not None else normalize(part)
        found = sum(term in norm for term in wanted)  # the cheap test first
        if found and (best is None or found > best[0]):
            best = (found, part, norm)
            if found == len(wanted):
                break
    if best is not None:
        _, part, norm = best
        per_term = _term_spans(part, wanted, norm)
        spans = _merge([span for term_spans in per_term for span in term_spans])
        if spans:
            lo, hi = _window(part, spans, per_term, width)
            window = [(max(s, lo) - lo, min(e, hi) - lo) for s, e in spans if s < hi and e > lo]
            body = mark(part[lo:hi], window, open_, close, escape)
            return ("…" if lo > 0 else "") + body + ("…" if hi < len(part) else "")
        if norms is not None:  # the given forms were not this part's (an older state)
            return snippet(parts, terms, width, open_=open_, close=close, escape=escape)
    first = next((p for p in parts if p), "")
    text = first[: 2 * width]
    return (html.escape(text) if escape else text) + ("…" if len(first) > 2 * width else "")


def _window(part: str, spans: list[tuple[int, int]], per_term: list[list[tuple[int, int]]],
            width: int) -> tuple[int, int]:
    """The ``2 × width`` window starting a little before a match that holds the most terms."""
    starts = [[s for s, _ in term_spans] for term_spans in per_term]
    best: tuple[int, int, int] | None = None  # (-terms, lo, hi)
    for start, end in spans:
        lo = max(0, start - width // 2)
        hi = min(len(part), max(end, lo + 2 * width))
        lo = max(0, min(lo, hi - 2 * width))
        # a term's spans are apart and in order: the first starting at lo or later ends first
        inside = 0
        for term_spans, term_starts in zip(per_term, starts):
            i = bisect_left(term_starts, lo)
            inside += i < len(term_spans) and term_spans[i][1] <= hi
        if best is None or -inside < best[0]:
            best = (-inside, lo, hi)
            if inside == len(per_term):
                break
    assert best is not None
    return best[1], best[2]
