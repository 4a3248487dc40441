"""Segments merged from their posting arrays, without inverting their texts again.

An archive that grows a volume at a time merges its small segments now and then (see
`index.SearchIndex.compact`). The merged segment's postings are the sources' own, taken
in segment order: a term's postings are its postings in each source one after the other,
each source's document numbers moved past the documents before it (deleted documents
dropped and the rest renumbered), each posting's positions as they were (a position is
the place in the document's own text). That is exactly what inverting the live records'
texts in the same order gives (tested: the files are byte for byte the same), at a small
part of the cost: 9 volumes were re-inverted in about 10 s, their arrays are merged in
well under one.

A source without posting arrays (a segment of a few records written by Whoosh's own
writer) is inverted from its texts first and then merged like the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage

from sipviewer.model.gcpause import collector_paused
from sipviewer.search import grams, postarrays

FIELDS = ("grams", "tgrams")


@dataclass(frozen=True)
class ArraySource:
    """A segment with posting arrays: its file, its document count (deleted ones
    included) and which of its documents are live, in order."""

    path: Path
    doc_count: int
    live: Sequence[int]


@dataclass(frozen=True)
class TextSource:
    """A segment without posting arrays: its live records' ids and (text, title), in
    order (None: not known yet, the caller fills them in before `merge`)."""

    rids: Sequence[str]
    records: Sequence[tuple[str, str]] | None


@dataclass
class _Part:
    """One field of one source, its documents numbered as in the merged segment."""

    keys: np.ndarray  # u64, increasing (see `postarrays.term_key`)
    counts: np.ndarray  # postings per term
    docs: np.ndarray
    freqs: np.ndarray
    pos_counts: np.ndarray  # positions per term
    pos: np.ndarray


def merge(folder: Path, sources: Sequence[ArraySource | TextSource], rids: list[str]):  # type: ignore[no-untyped-def]
    """The live documents of ``sources``, in order, written as one new segment of the
    archive's kind into ``folder`` (returned); ``rids`` are their record ids. `ValueError`
    when a source's arrays are damaged or hold no positions (the caller then inverts
    the texts instead)."""
    with collector_paused():
        fields: dict[str, list[_Part]] = {name: [] for name in FIELDS}
        offset = 0
        for source in sources:
            if isinstance(source, ArraySource):
                arrays = postarrays.PostingArrays(source.path, source.doc_count)
                try:
                    live = np.zeros(source.doc_count, dtype=bool)
                    live[np.asarray(source.live, dtype=np.int64)] = True
                    renumber = np.cumsum(live, dtype=np.int64) - 1 + offset
                    for name in FIELDS:
                        loaded = arrays.load(name)
                        if loaded is None:
                            raise ValueError(f"{source.path.name}: no positions recorded")
                        fields[name].append(_from_arrays(loaded, live, renumber))
                finally:
                    arrays.close()
                offset += int(live.sum())
            else:
                if source.records is None:
                    raise ValueError("a source's texts are not known")
                for k, name in enumerate(FIELDS):
                    inverted = grams._invert([record[k] for record in source.records])
                    fields[name].append(_from_inverted(inverted, offset))
                offset += len(source.records)
        if offset != len(rids):
            raise ValueError("the record ids do not match the sources' documents")
        text_inv, title_inv = (_merged(fields[name], offset) for name in FIELDS)
        return grams.write_inverted(FileStorage(str(folder)), rids, text_inv, title_inv)


def _from_arrays(loaded: postarrays.Loaded, live: np.ndarray, renumber: np.ndarray) -> _Part:
    keys = loaded.keys.astype(np.uint64)
    counts = np.diff(loaded.starts).astype(np.int64)
    pos_counts = np.diff(loaded.pos_starts).astype(np.int64)
    docs, freqs, pos = loaded.docs, loaded.freqs, loaded.pos
    if not bool(live.all()):  # the deleted documents' postings and positions dropped
        term_of = np.repeat(np.arange(keys.size), counts)
        keep = live[docs]
        per_posting = np.where(np.repeat(postarrays.is_pair(keys), counts), freqs, 0).astype(np.int64)
        pos = pos[np.repeat(keep, per_posting)]
        counts = np.bincount(term_of[keep], minlength=keys.size).astype(np.int64)
        pos_counts = np.bincount(term_of[keep], weights=per_posting[keep],
                                 minlength=keys.size).astype(np.int64)
        docs, freqs = docs[keep], freqs[keep]
        held = counts > 0  # a term left with no posting is no term
        keys, counts, pos_counts = keys[held], counts[held], pos_counts[held]
    return _Part(keys, counts, renumber[docs], freqs.astype(np.uint32), pos_counts, pos)


def _from_inverted(inv: grams._Inverted, offset: int) -> _Part:
    if inv.positions is None or inv.pos_starts is None:
        raise ValueError("no positions recorded")
    keys = np.fromiter((postarrays.term_key(t.decode("utf-8")) for t in inv.terms),
                       dtype=np.uint64, count=len(inv.terms))
    return _Part(keys, np.diff(inv.starts).astype(np.int64), inv.docs.astype(np.int64) + offset,
                 inv.freqs.astype(np.uint32), np.diff(inv.pos_starts).astype(np.int64),
                 inv.positions)


def _ranges(begins: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``begins[i] … begins[i] + lengths[i] - 1`` of every i, one after the
    other."""
    held = lengths > 0
    begins, lengths = begins[held], lengths[held]
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    # 32-bit steps where every index fits (a merge's tens of millions of positions: half
    # the memory to write and add up)
    kind = np.int32 if int((begins + lengths).max()) < 2**31 else np.int64
    steps = np.ones(total, dtype=kind)
    ends = np.cumsum(lengths)
    steps[0] = begins[0]
    steps[ends[:-1]] = begins[1:] - (begins[:-1] + lengths[:-1] - 1)
    return np.cumsum(steps, dtype=kind)


def _begins(counts: list[np.ndarray]) -> np.ndarray:
    """Where each run of ``counts`` (per part, one after the other) begins."""
    if not counts:
        return np.zeros(0, dtype=np.int64)
    joined = np.concatenate(counts)
    return np.cumsum(joined) - joined


def _merged(parts: list[_Part], doc_count: int) -> grams._Inverted:
    """The parts (in document order) as one field's postings."""
    keys = np.concatenate([p.keys for p in parts]) if parts else np.zeros(0, np.uint64)
    counts = np.concatenate([p.counts for p in parts]) if parts else np.zeros(0, np.int64)
    pos_counts = np.concatenate([p.pos_counts for p in parts]) if parts else counts
    docs = np.concatenate([p.docs for p in parts]) if parts else np.zeros(0, np.int64)
    freqs = np.concatenate([p.freqs for p in parts]) if parts else np.zeros(0, np.uint32)
    pos = np.concatenate([p.pos for p in parts]) if parts else np.zeros(0, np.uint32)
    # where each part's terms' postings (and positions) begin in the joined arrays
    post_begin = _begins([p.counts for p in parts])
    pos_begin = _begins([p.pos_counts for p in parts])
    # each term's entries in part order (the sort is stable), so its documents increase
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    firsts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))) \
        if sorted_keys.size else np.zeros(0, dtype=np.intp)
    at = _ranges(post_begin[order], counts[order])
    docs, freqs = docs[at].astype(np.uint32), freqs[at]
    positions = pos[_ranges(pos_begin[order], pos_counts[order])]
    term_counts = np.add.reduceat(counts[order], firsts) if firsts.size else counts[:0]
    term_pos = np.add.reduceat(pos_counts[order], firsts) if firsts.size else counts[:0]
    terms = [term.encode("utf-8") for term in postarrays.key_terms(sorted_keys[firsts])]
    lengths = np.bincount(docs, weights=freqs, minlength=doc_count)[:doc_count]
    return grams._Inverted(terms, np.concatenate(([0], np.cumsum(term_counts))), docs, freqs,
                           lengths.astype(np.uint32), positions,
                           np.concatenate(([0], np.cumsum(term_pos))))
