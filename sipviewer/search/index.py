"""The search index of an archive: Whoosh postings plus the normalised texts in memory.

Layout of ``index/`` (all derived from the database, rebuildable at any time):

* the Whoosh segment files (``MAIN_*``, see `grams`), read through `safewhoosh`, and beside
  each segment the batch writer wrote, its posting arrays (``MAIN_*.arr``, see `postarrays`):
  what searches read postings from (a segment without them is read through Whoosh);
* ``records-TAG.jsonl``, ``texts-TAG.txt`` and ``store-TAG.jsonl``: every record's facets
  and normalised text (see `store`; the tag names one generation of them);
* ``manifest.json``: the one commit point. The database generation the index reflects, the
  segment list (Whoosh's own table of contents is a pickle: never written or read here),
  which record each document number is, the store's tag, the size of every file and how
  much of the change log belongs to this state. It is replaced by one rename after each
  change, so a reader sees a whole state or the one before. A file that is missing or has
  another size, or a manifest older than the database, tells the archive the index is
  corrupt or stale; any pickle from an older sipviewer marks it outdated (rebuilt, never
  read).

A rebuild, and the compaction that follows too many segments, write a new generation (new
segments, a new store set) beside the current one and switch to it with the manifest's
rename: searches keep the old generation until then, and its files are removed after.
Compaction runs in the archive's worker processes, so the writing thread of a viewer only
waits for it.

Search = postings (exact for 1 and 2 characters); a longer term is found from where its
pairs occur (the posting arrays keep each pair's positions: the term starts at p where each
pair of a cover of it occurs at p + its offset), or a plain ``term in text`` check in memory
where positions are not recorded, so recall and precision match a substring scan exactly.
The documents of a search are boolean masks by document number. Reads may run on any thread; writes (`rebuild`,
`apply`) must come from one writer at a time.
"""

from __future__ import annotations

import codecs
import heapq
import json
import logging
import math
import operator
import os
import shutil
import threading
import time
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from sipviewer.model.errors import ArchiveError
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.ops import CancelToken
from sipviewer.search import grams, pinyin, postarrays, segmerge
from sipviewer.search import store as store_mod
from sipviewer.search.normalize import normalize
from sipviewer.search.query import Query, Term
from sipviewer.search.records import KINDS, SearchRecord, make_records
from sipviewer.search.safewhoosh import SafeIndex, toc_from_json, toc_to_json
from sipviewer.search.store import IndexDamaged, RecordMeta, RecordStore

MANIFEST = "manifest.json"
OPEN_ATTEMPTS = 20  # an open that raced a writer's swap is tried again (50 ms apart)
K1, B = 1.2, 0.75
CACHE_BYTES = 6 << 20  # posting arrays kept in memory for reuse (read again in 20 ns a posting)
CACHE_FREQUENCIES = 200_000  # document frequencies of grams kept per reader
PARALLEL_FROM = 2000  # records: from here on a rebuild uses two processes
MAX_SEGMENTS = 16  # more, and `apply` compacts the index
# measured on 30 volumes: reading a posting list costs about 20 ns a posting from the
# posting arrays (2 µs through Whoosh's blocks); checking a candidate's text about 1 ns a
# character. Another pair's list is read only when it would pay for itself if it removed a
# quarter of the candidates' characters (pairs of one term mostly come together).
READ_NS_PER_POSTING = 20
CHECK_NS_PER_CHAR = 1
LIKELY_REMOVED = 0.25
TITLE_CHECK_NS = 500  # looking for a term in one title (hits are scattered: cache misses)
ENOUGH_CANDIDATES = 64  # a long term stops intersecting pairs below this many candidates
SORTS = ("relevance", "date", "-date", "volume")
BULK = 5  # from this many added records on, `apply` writes a segment of its own
AT_ONCE_CHARS = 3_000_000  # segments written at once by an import hold at most this much text
# a long term's places (measured on 30 volumes): reading a pair's positions costs about
# 150 µs, plus 10 ns a posting and 1 ns an occurrence; checking one place in a text about
# 500 ns (a Python loop)
PAIR_READ_NS = 150_000
POSTING_NS = 10
OCCURRENCE_NS = 1
START_CHECK_NS = 500
CHECK_EVERY = 4096  # documents substring-checked between two looks at a search's cancellation

Progress = Callable[[int, int, str], None]
_NO_DOCS = np.zeros(0, dtype=np.int32)
_NO_FREQS = np.zeros(0, dtype=np.float32)
_LOW = np.int64(0xFFFFFFFF)  # the position in a key of `_Snapshot.holding`
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    departments: tuple[str, ...] = ()  # canonical names; a record matches any
    kinds: tuple[str, ...] = ()
    volumes: tuple[int, ...] = ()
    # catalogue filters: the archive resolves them (with ``tag:`` terms) into ``rids``
    tags: tuple[str, ...] = ()  # photos carrying every one of these tags
    has_image: bool | None = None  # photos with (True) or without (False) an image
    rids: frozenset[str] | None = None  # only these records

    @property
    def is_empty(self) -> bool:
        return not (self.date_from or self.date_to or self.departments or self.kinds
                    or self.volumes or self.rids is not None)


@dataclass(frozen=True)
class RankedHit:
    rid: str
    kind: str
    score: float
    title_match: bool
    pinyin: bool = False  # found by the pinyin of a Latin-letter query, not literally


@dataclass(frozen=True)
class SearchOutcome:
    total: int
    hits: tuple[RankedHit, ...]
    facets: dict[str, dict[str, int]]
    terms: tuple[str, ...]  # normalised terms to highlight
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class IndexHealth:
    state: str  # ok | missing | corrupt | outdated | stale
    detail: str = ""
    generation: int | None = None


class _Snapshot:
    """What one Whoosh reader sees, with per-document arrays for filters and facets.

    Postings come from each segment's posting arrays (see `postarrays`), or through Whoosh
    for a segment without them; each term's live postings are cached (per reader, so always
    consistent with it) as two arrays, the cache bounded by `CACHE_BYTES`.
    """

    def __init__(self, reader, store: RecordStore,  # type: ignore[no-untyped-def]
                 docmap: list[str] | None,
                 arrays_of: Callable[[str], postarrays.PostingArrays | None] | None = None,
                 meta: dict[str, RecordMeta] | None = None) -> None:
        self.reader = reader
        # (first docnum, posting arrays or None, Whoosh's reader of the segment)
        self.sources = [(offset, arrays_of(leaf.segment().segment_id()) if arrays_of else None,
                         leaf) for leaf, offset in reader.leaf_readers()]
        self.users = 0  # searches running on this snapshot (guarded by the index's lock)
        self.retired = False
        n = reader.doc_count_all()
        meta = store.meta if meta is None else meta
        self.recs: list[RecordMeta | None] = [None] * n
        if docmap is None or len(docmap) != n:
            # stored fields would have to be read (Whoosh keeps them pickled): never
            reader.close()
            raise ArchiveError("the index has no map of its documents")
        self._rids = docmap
        deleted = _deleted_docs(reader)
        for docnum, rid in enumerate(docmap):
            if docnum not in deleted:
                self.recs[docnum] = meta.get(rid)
        live = [d for d, r in enumerate(self.recs) if r is not None]
        self.live = frozenset(live)
        self.dead = frozenset(range(n)) - self.live  # deleted or unknown documents
        self.titles, self.kinds, self.depts, self.years, lengths, starts, ends = \
            _columns(self.recs)
        self._store = store
        self._texts: list[str] | None = None
        self._docnums: dict[str, int] | None = None
        self.lengths = np.array(lengths, dtype=np.int64)
        avg = (sum(lengths) / len(live)) if live else 1.0
        # BM25's length normalisation per document: k1 · (1 − b + b · len / avg)
        self.norm = [K1 * (1 - B + B * length / avg) for length in lengths]
        self.by_kind: dict[str, frozenset[int]] = {
            k: frozenset(d for d in live if self.kinds[d] == k) for k in KINDS}
        self._group(live, {}, {}, {})
        self.facets = _FacetArrays(self.kinds, self.depts, self.years)
        self._arrays: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = \
            OrderedDict()
        self._cached_bytes = 0
        self.norm_array = np.array(self.norm, dtype=np.float64)
        self.live_mask = np.zeros(n, dtype=bool)
        self.live_mask[live] = True
        self._lock = threading.Lock()
        self._frequencies: dict[tuple[str, str], int] = {}
        # each record's first and last day (undated: a range no filter overlaps)
        self.start_days = np.array(starts, dtype=np.int64)
        self.end_days = np.array(ends, dtype=np.int64)
        self._masks: dict[tuple[str, object], np.ndarray] = {}
        self._entry_docs: tuple[weakref.ref[pinyin.PinyinTable], np.ndarray] | None = None
        # the documents of segments whose posting arrays hold the pairs' positions
        self._find_positional(n)

    def extended(self, reader, store: RecordStore,  # type: ignore[no-untyped-def]
                 docmap: list[str], arrays_of: Callable[[str], postarrays.PostingArrays | None]
                 ) -> _Snapshot:
        """The snapshot of ``reader``, whose documents are this one's followed by new ones
        (another process's import): what this one worked out for its documents is kept and
        only the new ones are looked at. Equal to ``_Snapshot(reader, …)`` (tested), at a
        small part of its cost: made from scratch over 40,000 documents it held the
        interpreter lock for 0.4 s, which a viewer's GUI thread feels."""
        old_n, n = len(self.recs), reader.doc_count_all()
        if len(docmap) != n or docmap[:old_n] != self._rids:
            raise ValueError("not an addition to this snapshot")
        new = object.__new__(_Snapshot)
        new.reader = reader
        new.sources = [(offset, arrays_of(leaf.segment().segment_id()), leaf)
                       for leaf, offset in reader.leaf_readers()]
        new.users, new.retired = 0, False
        deleted = _deleted_docs(reader)
        meta = store.meta
        added = [None if d in deleted else meta.get(rid)
                 for d, rid in enumerate(docmap[old_n:], old_n)]
        new.recs = self.recs + added
        new._rids = docmap
        fresh = [d for d, r in enumerate(added, old_n) if r is not None]
        new.live = self.live | frozenset(fresh)
        new.dead = self.dead | (frozenset(range(old_n, n)) - new.live)
        titles, kinds, depts, years, lengths, starts, ends = _columns(added)
        new.titles = self.titles + titles
        new.kinds = self.kinds + kinds
        new.depts = self.depts + depts
        new.years = self.years + years
        new._store = store
        new._texts = None
        new._docnums = None
        new.lengths = np.concatenate([self.lengths, np.array(lengths, dtype=np.int64)])
        avg = (int(new.lengths.sum()) / len(new.live)) if new.live else 1.0
        new.norm_array = np.asarray(K1 * (1 - B + B * new.lengths / avg), dtype=np.float64)
        new.norm = new.norm_array.tolist()
        new.by_kind = {k: self.by_kind[k] | frozenset(d for d in fresh if new.kinds[d] == k)
                       for k in KINDS}
        new._group(fresh, {k: set(v) for k, v in self.by_volume.items()},
                   {k: set(v) for k, v in self.by_dept.items()},
                   {k: set(v) for k, v in self.by_year.items()})
        new.facets = self.facets.extended(new.kinds, new.depts, new.years)
        new._arrays = OrderedDict()
        new._cached_bytes = 0
        new.live_mask = np.zeros(n, dtype=bool)
        new.live_mask[list(new.live)] = True
        new._lock = threading.Lock()
        new._frequencies = {}
        new.start_days = np.concatenate([self.start_days, np.array(starts, dtype=np.int64)])
        new.end_days = np.concatenate([self.end_days, np.array(ends, dtype=np.int64)])
        new._masks = {}
        new._entry_docs = None
        new._find_positional(n)
        return new

    def _find_positional(self, n: int) -> None:
        """Which documents' segments hold the pairs' positions in their posting arrays."""
        self.positional = np.zeros(n, dtype=bool)
        for offset, arrays, leaf in self.sources:
            if arrays is not None and arrays.has_positions("grams"):
                self.positional[offset:offset + leaf.doc_count_all()] = True
        self.positional_share = float(self.positional.mean()) if n else 0.0

    def _group(self, docs: Iterable[int], by_volume: dict[int, set[int]],
               by_dept: dict[str, set[int]], by_year: dict[int, set[int]]) -> None:
        """``by_volume``, ``by_dept`` and ``by_year`` (as given) with ``docs`` added, kept."""
        for d in docs:
            rec = self.recs[d]
            assert rec is not None
            by_volume.setdefault(rec.volume_id, set()).add(d)
            for dept in rec.depts:
                by_dept.setdefault(dept, set()).add(d)
            for year in self.years[d]:
                by_year.setdefault(year, set()).add(d)
        self.by_volume = {k: frozenset(v) for k, v in by_volume.items()}
        self.by_dept = {k: frozenset(v) for k, v in by_dept.items()}
        self.by_year = {k: frozenset(v) for k, v in sorted(by_year.items())}

    def retire(self) -> None:
        """No longer the current view: its reader closes once no search uses it."""
        self.retired = True
        if self.users == 0:
            self.reader.close()

    def release(self) -> None:
        self.users -= 1
        if self.retired and self.users == 0:
            self.reader.close()

    @property
    def docnums(self) -> dict[str, int]:
        """rid → docnum of the live records (made on first use: the catalogue filters)."""
        if self._docnums is None:
            self._docnums = {r.rid: d for d, r in enumerate(self.recs) if r is not None}
        return self._docnums

    @property
    def texts(self) -> list[str]:
        """The normalised texts by docnum (loaded on first use: only long terms need them)."""
        if self._texts is None:
            texts = self._store.texts()
            # one C-level map over the ids (a look at each record took 40–90 ms under load,
            # paid by the first search with a long term)
            found = list(map(texts.get, self._rids, repeat("")))
            for d in self.dead:
                found[d] = ""
            self._texts = found
        return self._texts

    def arrays(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums in order, frequencies) of a 1- or 2-character term, live documents
        only; cached, least recently used first out."""
        key = (fieldname, term)
        with self._lock:
            found = self._arrays.get(key)
            if found is not None:
                self._arrays.move_to_end(key)
                return found
        found = self._read_arrays(fieldname, term)
        size = found[0].nbytes + found[1].nbytes
        with self._lock:
            if key not in self._arrays:
                self._arrays[key] = found
                self._cached_bytes += size
            while self._cached_bytes > CACHE_BYTES and len(self._arrays) > 1:
                _, (d, f) = self._arrays.popitem(last=False)
                self._cached_bytes -= d.nbytes + f.nbytes
        return found

    def _read_arrays(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        docs: list[np.ndarray] = []
        freqs: list[np.ndarray] = []
        for offset, arrays, leaf in self.sources:
            if arrays is not None:
                try:
                    got = arrays.read(fieldname, term)
                except (OSError, ValueError) as exc:
                    raise IndexDamaged(f"{arrays.path}: cannot be read ({exc})") from None
                if got is not None:
                    docs.append(got[0].astype(np.int32) + np.int32(offset))
                    freqs.append(got[1].astype(np.float32))
            else:  # written by Whoosh's own writer (a few records): read through Whoosh
                ids, weights = array("I"), array("f")
                grams.read_leaf_postings(leaf, offset, fieldname, term, ids, weights)
                if ids:
                    docs.append(np.frombuffer(ids, dtype=np.uint32).astype(np.int32))
                    freqs.append(np.frombuffer(weights, dtype=np.float32).copy())
        if not docs:
            return _NO_DOCS, _NO_FREQS
        all_docs = np.concatenate(docs) if len(docs) > 1 else docs[0]
        all_freqs = np.concatenate(freqs) if len(freqs) > 1 else freqs[0]
        if self.dead:
            keep = self.live_mask[all_docs]
            all_docs, all_freqs = all_docs[keep], all_freqs[keep]
        return all_docs, all_freqs

    def entry_docs(self, table: pinyin.PinyinTable) -> np.ndarray:
        """The document number of each record of a pinyin table (-1: none live here), made
        once per table (the table itself not kept alive by it)."""
        found = self._entry_docs
        if found is None or found[0]() is not table:
            docnums = self.docnums
            docs = np.fromiter((docnums.get(r, -1) for r in table.rids), dtype=np.int64,
                               count=len(table.rids))
            self._entry_docs = found = (weakref.ref(table), docs)
        return found[1]

    def mask_of(self, docs: np.ndarray | list[int]) -> np.ndarray:
        """The documents as a mask by document number."""
        out = np.zeros(len(self.recs), dtype=bool)
        out[docs] = True
        return out

    def any_of(self, facet: str, values: tuple[object, ...]) -> np.ndarray:
        """A mask of the live documents of any of these kinds, volumes or departments (each
        one's mask made once)."""
        groups: dict[str, dict[Any, frozenset[int]]] = {
            "kind": self.by_kind, "volume": self.by_volume, "department": self.by_dept}
        out = np.zeros(len(self.recs), dtype=bool)
        for value in values:
            key = (facet, value)
            mask = self._masks.get(key)
            if mask is None:
                docs = groups[facet].get(value, frozenset())
                mask = self._masks[key] = self.mask_of(
                    np.fromiter(docs, dtype=np.int64, count=len(docs)))
            out |= mask
        return out

    def holding(self, text: str, docs: np.ndarray | list[int]) -> tuple[list[int], list[int]]:
        """Of ``docs`` (live), those whose text holds ``text`` (3 characters or more), found
        from the positions of its pairs: the text may start at p where each pair read occurs
        at p + its offset in the text. Pairs are read rarest first, each only in the
        documents still possible; once the places left cost less to check in the texts
        themselves than about half the pairs not yet covered would cost to read, they are
        checked there; when the pairs read cover the whole text, no text is read.
        Also the documents of segments without positions, for the caller to check."""
        wanted = np.asarray(docs, dtype=np.int64)
        if not wanted.size:
            return [], []
        here = self.positional[wanted]
        unchecked = wanted[~here].tolist()
        wanted = wanted[here]
        if not wanted.size:
            return [], unchecked
        cand = np.zeros(len(self.recs), dtype=bool)
        cand[wanted] = True
        pairs = [text[o:o + 2] for o in range(len(text) - 1)]
        occurrences = {p: self.occurrences(p) for p in set(pairs)}
        read: dict[str, np.ndarray] = {}
        covered = [False] * len(text)
        starts: np.ndarray | None = None

        def cost(pair: str) -> int:
            return 0 if pair in read else PAIR_READ_NS + occurrences[pair] * OCCURRENCE_NS \
                + self.doc_frequency("grams", pair) * POSTING_NS

        for o in sorted(range(len(pairs)), key=lambda o: (occurrences[pairs[o]], o)):
            pair = pairs[o]
            if covered[o] and covered[o + 1]:
                continue  # adds nothing to the cover
            if starts is not None:
                # about half the pairs not yet covered would complete a cover
                left = sum(map(cost, {p for k, p in enumerate(pairs)
                                      if not (covered[k] and covered[k + 1])}))
                if starts.size * START_CHECK_NS < left // 2:
                    break
            keys = read.get(pair)
            if keys is None:
                keys = read[pair] = self._position_keys(pair, cand)
            keys = keys[(keys & _LOW) >= o] - o  # where the text would start
            if starts is not None and keys.size:
                at = np.searchsorted(keys, starts)
                at[at == keys.size] = 0
                keys = starts[keys[at] == starts]
            starts = keys
            covered[o] = covered[o + 1] = True
            if not starts.size:
                return [], unchecked
            if all(covered):
                break
            cand[:] = False  # the next pair read only where the text may still start
            cand[starts >> 32] = True
        assert starts is not None
        if not all(covered):  # the places left checked in the texts
            return self._starting(text, starts), unchecked
        owners = starts >> 32
        return owners[np.concatenate(([True], owners[1:] != owners[:-1]))].tolist(), unchecked

    def texts_by_id(self) -> tuple[Mapping[str, str], list[str]]:
        """(the stored texts by record id, record ids by document number): a live
        document's text without making the list of `texts`."""
        return self._store.texts(), self._rids

    def _starting(self, text: str, starts: np.ndarray) -> list[int]:
        """The documents where ``text`` starts at one of ``starts`` (`holding`'s keys; live
        documents: their texts looked up by id, without making the list of `texts`)."""
        texts, rids = self.texts_by_id()
        out: list[int] = []
        last = -1
        for key in starts.tolist():
            d = key >> 32
            if d != last and texts.get(rids[d], "").startswith(text, key & 0xFFFFFFFF):
                out.append(d)
                last = d
        return out

    def occurrences(self, pair: str) -> int:
        """How often a pair occurs in the segments with positions."""
        return sum(arrays.occurrences("grams", pair) for _offset, arrays, _leaf in self.sources
                   if arrays is not None and arrays.has_positions("grams"))

    def _position_keys(self, pair: str, cand: np.ndarray) -> np.ndarray:
        """document · 2³² + position of each occurrence of ``pair`` in the documents of
        ``cand``, in order (segments with positions only)."""
        parts = []
        for offset, arrays, leaf in self.sources:
            if arrays is None or not arrays.has_positions("grams"):
                continue
            wanted = cand[offset:offset + leaf.doc_count_all()]
            if not wanted.any():
                continue
            try:
                got = arrays.read_positions("grams", pair, wanted)
            except (OSError, ValueError) as exc:
                raise IndexDamaged(f"{arrays.path}: cannot be read ({exc})") from None
            if got is None or not got[0].size:
                continue
            docs = np.repeat(got[0].astype(np.int64) + offset, got[1])
            parts.append((docs << 32) | got[2].astype(np.int64))
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def postings(self, fieldname: str, term: str) -> dict[int, float]:
        """docnum → frequency for a 1- or 2-character term (live documents only)."""
        docs, freqs = self.arrays(fieldname, term)
        return dict(zip(docs.tolist(), freqs.tolist()))

    def doc_set(self, fieldname: str, term: str) -> set[int]:
        """The live documents holding a 1- or 2-character term."""
        return set(self.arrays(fieldname, term)[0].tolist())

    def _idf_factor(self, df: int) -> float:
        n = max(1, len(self.live))
        return math.log(1 + (n - df + 0.5) / (df + 0.5)) * (K1 + 1)

    def scorer(self, fieldname: str, term: str) -> Callable[[int], float]:
        """The BM25 score of a 1- or 2-character term as a function of the docnum."""
        return self.scores(fieldname, term).get  # type: ignore[return-value]

    def dense_scores(self, fieldname: str, term: str) -> np.ndarray:
        """The BM25 score of a 1- or 2-character term for every docnum (0 where it does not
        occur): factor · tf / (tf + norm[d])."""
        docs, tfs = self.arrays(fieldname, term)
        out = np.zeros(len(self.recs))
        if docs.size:
            tf = tfs.astype(np.float64)
            out[docs] = tf / (tf + self.norm_array[docs]) * self._idf_factor(docs.size)
        return out

    def scores(self, fieldname: str, term: str) -> dict[int, float]:
        """docnum → BM25 score of a 1- or 2-character term."""
        docs, _ = self.arrays(fieldname, term)
        dense = self.dense_scores(fieldname, term)
        return dict(zip(docs.tolist(), dense[docs].tolist()))

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """From the term dictionaries alone (no postings read); counts deleted documents too.
        Remembered: a search asks for dozens (rarest pairs, estimates)."""
        key = (fieldname, term)
        found = self._frequencies.get(key)
        if found is None:
            if len(self._frequencies) > CACHE_FREQUENCIES:
                self._frequencies.clear()
            found = 0
            for _offset, arrays, leaf in self.sources:
                if arrays is not None:
                    found += arrays.doc_frequency(fieldname, term)
                else:
                    found += leaf.doc_frequency(fieldname, term.encode("utf-8"))
            self._frequencies[key] = found
        return found

    def pairs_by_rarity(self, fieldname: str, text: str) -> list[str]:
        pairs = {text[i:i + 2] for i in range(len(text) - 1)}
        # equally rare pairs in their own order (a set's order changes from run to run, and
        # with it the pair a long term is scored by)
        return sorted(pairs, key=lambda p: (self.doc_frequency(fieldname, p), p))

    def rarest_gram(self, fieldname: str, text: str) -> str:
        return text if len(text) <= 2 else self.pairs_by_rarity(fieldname, text)[0]

    def candidates(self, fieldname: str, text: str) -> np.ndarray:
        """Documents that may contain ``text`` in the field (exactly those for ≤ 2 chars), in
        order.

        A longer text: the documents of its rarest pair when most segments have positions
        (the caller finds the text from them); else the AND of its pairs, rarest first,
        stopping once few candidates are left (the caller checks those against the texts).
        """
        if len(text) <= 2:
            return self.arrays(fieldname, text)[0]
        pairs = self.pairs_by_rarity(fieldname, text)
        result = self.arrays(fieldname, pairs[0])[0]
        if fieldname == "grams" and self.positional_share > 0.5:
            return result  # the positions of the pairs decide (`holding`): no more to read
        lengths = self.lengths if fieldname == "grams" else None
        for pair in pairs[1:]:
            # stop intersecting when checking the candidates left is the cheaper way
            if result.size <= ENOUGH_CANDIDATES or lengths is None:
                break
            chars = int(lengths[result].sum())
            if self.doc_frequency(fieldname, pair) * READ_NS_PER_POSTING \
                    > chars * CHECK_NS_PER_CHAR * LIKELY_REMOVED:
                break
            result = np.intersect1d(result, self.arrays(fieldname, pair)[0], assume_unique=True)
        return result


class _LaterSnapshot:
    """A snapshot not made yet: the reader and the record metadata of a committed state,
    made into a `_Snapshot` when a search first needs it. Making one takes a pass over every
    document of the archive (a third of a second at 30 volumes); an import followed by
    another import, or by the end of the process, never needs it."""

    def __init__(self, reader, store: RecordStore, docmap: list[str] | None,  # type: ignore[no-untyped-def]
                 arrays_of: Callable[[str], postarrays.PostingArrays | None]) -> None:
        self.reader, self.store, self.docmap, self.arrays_of = reader, store, docmap, arrays_of
        self.meta = dict(store.meta)  # as committed (the store changes with the next write)

    def make(self) -> _Snapshot:
        return _Snapshot(self.reader, self.store, self.docmap, self.arrays_of, self.meta)

    def retire(self) -> None:
        self.reader.close()


class _FacetArrays:
    """Per document, as arrays: its kind, and its (document, department) and (document,
    year) pairs; a search's facets are then a few counts over a mask of its hits."""

    def __init__(self, kinds: list[str], depts: list[tuple[str, ...]],
                 years: list[tuple[int, ...]]) -> None:
        number = {k: i for i, k in enumerate(KINDS)}
        self.kind = np.array([number.get(k, len(KINDS)) for k in kinds], dtype=np.int64)
        self.n = len(kinds)
        self.dept_names = sorted({d for ds in depts for d in ds})
        dept_number = {d: i for i, d in enumerate(self.dept_names)}
        self.dept_doc = np.fromiter((k for k, ds in enumerate(depts) for _ in ds), dtype=np.int64)
        self.dept = np.fromiter((dept_number[d] for ds in depts for d in ds), dtype=np.int64)
        self.year_list = sorted({y for ys in years for y in ys})
        year_number = {y: i for i, y in enumerate(self.year_list)}
        self.year_doc = np.fromiter((k for k, ys in enumerate(years) for _ in ys), dtype=np.int64)
        self.year = np.fromiter((year_number[y] for ys in years for y in ys), dtype=np.int64)

    def extended(self, kinds: list[str], depts: list[tuple[str, ...]],
                 years: list[tuple[int, ...]]) -> _FacetArrays:
        """These arrays with documents added after this one's (the lists hold every
        document): equal to ``_FacetArrays(kinds, depts, years)``, looking only at the new
        documents (the old ones' numbers moved where new names sort among theirs)."""
        old_n = self.n
        part = _FacetArrays(kinds[old_n:], depts[old_n:], years[old_n:])
        new = object.__new__(_FacetArrays)
        new.n = len(kinds)
        new.kind = np.concatenate([self.kind, part.kind])
        for names, codes, docs in (("dept_names", "dept", "dept_doc"),
                                   ("year_list", "year", "year_doc")):
            merged = sorted(set(getattr(self, names)) | set(getattr(part, names)))
            place = {v: i for i, v in enumerate(merged)}
            old_to = np.array([place[v] for v in getattr(self, names)], dtype=np.int64)
            part_to = np.array([place[v] for v in getattr(part, names)], dtype=np.int64)
            setattr(new, names, merged)
            setattr(new, codes, np.concatenate([old_to[getattr(self, codes)],
                                                part_to[getattr(part, codes)]]))
            setattr(new, docs, np.concatenate([getattr(self, docs), getattr(part, docs) + old_n]))
        return new

    def mask(self, docs: Iterable[int] | np.ndarray) -> np.ndarray:
        if isinstance(docs, np.ndarray) and docs.dtype == bool:
            return docs
        out = np.zeros(self.n, dtype=bool)
        wanted = np.fromiter(docs, dtype=np.int64)
        out[wanted] = True
        return out

    def count(self, docs: Iterable[int] | np.ndarray) -> dict[str, dict[str, int]]:
        """Hits by kind, department and year, and years by kind (zero counts left out)."""
        hit = self.mask(docs)
        nk = len(KINDS) + 1
        kinds = np.bincount(self.kind[hit], minlength=nk)
        depts = np.bincount(self.dept[hit[self.dept_doc]], minlength=len(self.dept_names))
        chosen = hit[self.year_doc]
        by_year_kind = np.bincount(self.year[chosen] * nk + self.kind[self.year_doc[chosen]],
                                   minlength=len(self.year_list) * nk).reshape(-1, nk)
        years = by_year_kind.sum(axis=1)
        out = {"kind": {k: int(c) for k, c in zip(KINDS, kinds.tolist()) if c},
               "department": {d: int(c) for d, c in zip(self.dept_names, depts.tolist()) if c},
               "year": {str(y): int(c) for y, c in zip(self.year_list, years.tolist()) if c}}
        for i, kind in enumerate(KINDS):
            out[f"year:{kind}"] = {str(y): int(c) for y, c in
                                   zip(self.year_list, by_year_kind[:, i].tolist()) if c}
        return out


_ADDED = ',"added":['
_PIECE = 1 << 18  # bytes decoded at a time


def _log_entry(line: bytes) -> dict[str, Any]:
    """One line of the store's change log, read in many small steps: a volume's line holds
    a million characters, and one decoding call on it held the interpreter lock for 30–40 ms
    (a viewer's GUI thread waits that long). The text is decoded a piece at a time and the
    added records parsed one by one by the JSON decoder (between them the lock is free);
    the result is what ``json.loads(line)`` gives, which a line of another shape gets."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = "".join([decoder.decode(line[i:i + _PIECE]) for i in range(0, len(line), _PIECE)]
                   + [decoder.decode(b"", final=True)])
    at = text.find(_ADDED)
    if at < 0 or not text.endswith("]}"):
        return dict(json.loads(text))
    entry = dict(json.loads(text[:at] + "}"))
    rows: list[Any] = []
    step = json.JSONDecoder().raw_decode
    pos, end = at + len(_ADDED), len(text) - 2
    while pos < end:
        row, pos = step(text, pos)
        rows.append(row)
        if pos < end:
            if text[pos] != ",":
                raise ValueError("a change log line is not well formed")
            pos += 1
    entry["added"] = rows
    return entry


def _columns(recs: list[RecordMeta | None]) -> tuple[list[str], list[str],
                                                      list[tuple[str, ...]],
                                                      list[tuple[int, ...]], list[int],
                                                      list[int], list[int]]:
    """Per document (None: deleted or unknown): title, kind, departments, years, length, and
    first and last day as ordinals (undated: a range no filter overlaps)."""
    far = int(np.iinfo(np.int64).max)
    return ([r.norm_title if r else "" for r in recs], [r.kind if r else "" for r in recs],
            [r.depts if r else () for r in recs], [r.years if r else () for r in recs],
            [r.length if r else 0 for r in recs],
            [r.start.toordinal() if r and r.start and r.end else far for r in recs],
            [r.end.toordinal() if r and r.start and r.end else -far for r in recs])


def _deleted_docs(reader) -> set[int]:
    out: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():  # the segment's own set of deleted document numbers
            out.update(d + offset for d in leaf.segment().deleted_docs())
    return out


class MadeBatch(list):  # type: ignore[type-arg]
    """A batch of records whose segment a worker wrote (or is writing) ahead: ``made`` has
    ``segment`` (a future of the segment, written for exactly these records' ids and texts)
    and ``used`` (set when `prepare` takes it; one not taken leaves files for `clean`)."""

    def __init__(self, records: list[SearchRecord], made: Any) -> None:
        super().__init__(records)
        self.made = made


class SearchIndex:
    """Open with `open`; check `health`; search; the archive rebuilds or updates it.

    Writes are two-phase so the database and the index commit together: `prepare` writes the
    new segment, the log entry and the next manifest beside the current one (readers still
    see the old state), `commit` swaps the manifest in (one rename), `abort` removes what
    `prepare` wrote. The caller holds the archive's writer lock throughout.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = RecordStore(path)
        self.generation: int | None = None
        self._ix: SafeIndex | None = None
        self._current: _Snapshot | _LaterSnapshot | None = None  # see `_snap`
        self.segmap: dict[str, list[str]] = {}
        self._log_size = 0
        self._signature: tuple[int, int, int] | None = None  # the manifest we loaded
        self._pending: dict | None = None  # type: ignore[type-arg]
        self._snap_lock = threading.Lock()
        self.pinyin = pinyin.LazyTable()  # made from the store on the first pinyin query
        self._arrays: dict[str, postarrays.PostingArrays | None] = {}  # by segment id
        self.executor: Any = None  # worker processes for large segments (see grams.append_segment)
        self._merge: tuple[Any, set[str], list[str]] | None = None  # see `start_merge`
        self._merge_due = False  # an import left the merge past MAX_SEGMENTS to the next one
        # the store being written afresh by a worker: (job, the tag and log size it is
        # written from, its own tag), see `_start_store`
        self._store_ahead: tuple[Any, str, int, str] | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def open(self, preload: bool = True) -> IndexHealth:
        """Open the index and load the store; report what state it is in (never raises).

        The index holds hundreds of thousands of long-lived objects: the collector is paused
        while they are made and they are frozen afterwards (see `collector_paused`).
        A writer may swap in a new manifest or a whole rebuilt folder meanwhile: an open that
        fails while the manifest changed under it is tried again."""
        with collector_paused(freeze=True):
            for _attempt in range(OPEN_ATTEMPTS):
                before = self._manifest_signature()
                health = self._open(preload)
                if health.state == "ok" or self._manifest_signature() == before:
                    return health
                time.sleep(0.05)
            return health

    def _manifest_signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path / MANIFEST)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def changed_on_disk(self) -> bool:
        """Another process committed a change (or a rebuild) since this index was loaded."""
        return self._manifest_signature() != self._signature

    def _open(self, preload: bool) -> IndexHealth:
        """Load the committed state; it replaces the current one at once (a search running
        meanwhile finishes on the state it started with). On failure the index is closed."""
        health = self._load(preload)
        if health.state != "ok":
            self.close()
        return health

    def _load(self, preload: bool) -> IndexHealth:
        try:
            names = set(os.listdir(self.path))
        except FileNotFoundError:
            return IndexHealth("missing", "no index yet")
        except OSError as exc:
            return IndexHealth("corrupt", f"cannot list the index folder ({exc.strerror})")
        old = sorted(n for n in names if n in store_mod.OLD_FILES or n.endswith(".toc"))
        if old:  # never read: pickles can run code
            return IndexHealth("outdated", f"made by an older sipviewer ({', '.join(old[:3])})")
        if MANIFEST not in names:
            return IndexHealth("missing", "no index yet")
        signature = self._manifest_signature()
        try:
            manifest, problem = self._read_manifest()
            if problem is not None:
                return problem
            log_size = int(manifest["log"])
            store = RecordStore(self.path, str(manifest.get("store", "")))
            store.load(log_size)
            segments = toc_from_json(manifest["segments"])
            ix = SafeIndex(str(self.path), segments, int(manifest["toc_generation"]))
            segmap = {str(k): [str(r) for r in v] for k, v in manifest["segmap"].items()}
            docmap = _docmap(ix, segmap)
            if docmap is None:
                raise ValueError("the segment map does not match the segments")
            arrays = self._open_arrays(segments)
            reader = ix.reader()
            deleted = _deleted_docs(reader)
            live = sum(1 for d, rid in enumerate(docmap) if rid in store.meta and d not in deleted)
            # made now for a reader of the archive (its first search does not wait), when
            # first needed for a writer
            snap: _Snapshot | _LaterSnapshot = _Snapshot(reader, store, docmap, arrays.get) \
                if preload else _LaterSnapshot(reader, store, docmap, arrays.get)
            generation = int(manifest["generation"])
            if live != len(store):
                snap.retire()
                return IndexHealth("corrupt", "index and stored texts disagree")
            if store.generation != generation:
                snap.retire()
                return IndexHealth("corrupt", "stored texts are not from the same change")
        except Exception as exc:  # any damage means: rebuild
            return IndexHealth("corrupt", f"cannot read the index ({type(exc).__name__}: {exc})")
        self.store, self._ix, self.segmap, self._log_size = store, ix, segmap, log_size
        self._arrays = arrays
        self.generation = generation
        self._signature = signature
        self._swap_snapshot(snap)
        if preload:
            store.preload()
        return IndexHealth("ok", generation=self.generation)

    def _read_manifest(self) -> tuple[dict[str, Any], IndexHealth | None]:
        """The committed manifest, and what is wrong with it or the files it names (None:
        nothing). Raises for a manifest that cannot be read at all."""
        manifest = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != store_mod.FORMAT:
            return {}, IndexHealth("outdated", "made by an older sipviewer")
        for name, size in manifest["files"].items():
            if "/" in name or name.startswith("."):
                raise ValueError(f"bad file name {name!r}")
            p = self.path / name
            if not p.exists():
                return manifest, IndexHealth("corrupt", f"index file {name} is missing")
            if p.stat().st_size != size:
                return manifest, IndexHealth("corrupt", f"index file {name} has the wrong size")
        return manifest, None

    def refresh(self) -> IndexHealth:
        """Take in what another process committed since this one loaded the index.

        After an addition (an import by another process: the same record store with its
        log grown, the segments as they were plus new ones) only the log's new entries are
        read and the new segments opened: the texts and records in memory stay (a full load
        reads and decodes every text again, and freeing the old ones alone held the
        interpreter lock for 40 ms). Anything else loads everything (`open`)."""
        with collector_paused(freeze=True):
            try:
                health = self._load_addition()
            except Exception:  # whatever it is, the full load decides
                health = None
            return health if health is not None else self.open()

    def _load_addition(self) -> IndexHealth | None:
        """`refresh` when the commit only added: the new state, or None when it did not
        (nothing changed then, except possibly the store's texts, which are then reloaded
        by the full load)."""
        old = self._snap
        if old is None or self._ix is None or not self.is_open:
            return None
        signature = self._manifest_signature()
        manifest, problem = self._read_manifest()
        log_size = int(manifest.get("log", 0))
        if problem is not None or str(manifest.get("store", "")) != self.store.tag \
                or log_size <= self._log_size:
            return None
        segments = toc_from_json(manifest["segments"])
        before = [(seg.segment_id(), seg.doc_count_all(), seg.deleted_count())
                  for seg in self._ix._read_toc().segments]
        if [(seg.segment_id(), seg.doc_count_all(), seg.deleted_count())
                for seg in segments[:len(before)]] != before:
            return None  # documents deleted or segments merged: not a plain addition
        with open(self.path / self.store.log_name, "rb") as fh:
            fh.seek(self._log_size)
            data = fh.read(log_size - self._log_size)
        if len(data) != log_size - self._log_size or not data.endswith(b"\n"):
            return None
        entries = [_log_entry(line) for line in data.splitlines()]
        if any(entry["removed"] for entry in entries):
            return None
        ix = SafeIndex(str(self.path), segments, int(manifest["toc_generation"]))
        segmap = {str(k): [str(r) for r in v] for k, v in manifest["segmap"].items()}
        docmap = _docmap(ix, segmap)
        if docmap is None:
            return None
        arrays = self._open_arrays(segments)
        for entry in entries:  # from here on a failure must end in the full load
            self.store._apply(entry)
        snap = old.extended(ix.reader(), self.store, docmap, arrays.get)
        generation = int(manifest["generation"])
        if len(snap.live) != len(self.store) or self.store.generation != generation:
            snap.retire()
            return None
        self._ix, self.segmap, self._log_size, self._arrays = ix, segmap, log_size, arrays
        self.generation = generation
        self._signature = signature
        self._swap_snapshot(snap)
        return IndexHealth("ok", generation=generation)

    def _open_arrays(self, segments: list[Any]) -> dict[str, postarrays.PostingArrays | None]:
        """The posting arrays of each segment, by the segment's id (opened
        ones kept: the files of a segment never change); None for a segment written by
        Whoosh's writer. A damaged file raises `ValueError`."""
        out: dict[str, postarrays.PostingArrays | None] = {}
        for seg in segments:
            sid = seg.segment_id()
            known = self._arrays.get(sid)
            path = self.path / postarrays.file_name(sid)
            if known is None or known.doc_count != seg.doc_count_all():
                known = postarrays.PostingArrays(path, seg.doc_count_all()) \
                    if path.exists() else None
            out[sid] = known
        return out

    def _docmap(self) -> list[str] | None:
        assert self._ix is not None
        return _docmap(self._ix, self.segmap)

    def close(self) -> None:
        with self._snap_lock:
            snap, self._current = self._current, None
        if snap is not None:
            snap.retire()  # closed once no search uses it any more
        self._ix = None
        self.generation = None
        self._signature = None

    def shutdown(self) -> None:
        """Close for good, files included (the archive is closing)."""
        self.close()
        self.store.close()
        arrays, self._arrays = self._arrays, {}
        for opened in arrays.values():
            if opened is not None:
                opened.close()

    @property
    def is_open(self) -> bool:
        return self._current is not None

    @property
    def _snap(self) -> _Snapshot | None:
        """The current snapshot (made now if the last commit left it for later)."""
        with self._snap_lock:
            return self._made()

    def _made(self) -> _Snapshot | None:
        """`_snap` with the lock held."""
        current = self._current
        if isinstance(current, _LaterSnapshot):
            with collector_paused(freeze=True):  # long-lived, no cycles (see `open`)
                current = self._current = current.make()
        return current

    def _state_files(self) -> set[str]:
        """The files the current state is made of: its segments' files and its store set
        (the change log apart: it is named by size, not listed)."""
        assert self._ix is not None
        live = {s.segment_id() for s in self._ix._read_toc().segments}
        names = {self.store.meta_name, self.store.texts_name}
        for name in os.listdir(self.path):
            if name.startswith(grams.INDEX_NAME + "_") and name.split(".")[0] in live \
                    and not name.endswith((".lock", ".tmp", "LOCK")):
                names.add(name)
        return names

    def _manifest_data(self, generation: int, log_size: int) -> bytes:
        assert self._ix is not None
        segments = self._ix._read_toc().segments
        live = {s.segment_id() for s in segments}
        self.segmap = {k: v for k, v in self.segmap.items() if k in live}
        files = {name: (self.path / name).stat().st_size for name in sorted(self._state_files())
                 if (self.path / name).is_file()}
        data = {"format": store_mod.FORMAT, "generation": generation, "log": log_size,
                "store": self.store.tag, "toc_generation": self._ix.latest_generation(),
                "segments": toc_to_json(segments), "segmap": self.segmap, "files": files}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def _write_file(self, name: str, data: bytes) -> Path:
        tmp = self.path / name
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return tmp

    def _write_manifest(self, generation: int, log_size: int = 0) -> None:
        tmp = self._write_file(MANIFEST + ".tmp", self._manifest_data(generation, log_size))
        os.replace(tmp, self.path / MANIFEST)
        self._signature = self._manifest_signature()

    def clean(self) -> None:
        """Remove what an interrupted writer left (an uncommitted log tail, segments, store
        sets and temporary files no manifest names; a previous generation's files still
        there). Only with the archive's writer lock held."""
        if self._ix is None or self._pending is not None:
            return
        self._drop_unnamed()
        log_path = self.path / self.store.log_name
        if log_path.exists() and log_path.stat().st_size > self._log_size:
            with open(log_path, "r+b") as fh:
                fh.truncate(self._log_size)

    def _drop_unnamed(self) -> None:
        """Remove every file of the folder the committed state does not use (a reader of an
        older generation keeps the files it has open)."""
        keep = self._state_files() | {MANIFEST, self.store.log_name}
        if self._store_ahead is not None:  # being written by a worker
            keep.update(store_mod.file_names(self._store_ahead[3]))
        for name in os.listdir(self.path):
            if name not in keep:
                _remove(self.path / name)
        for sibling in (".building", ".old"):  # left by sipviewers that swapped folders
            shutil.rmtree(self.path.with_name(self.path.name + sibling), ignore_errors=True)

    def rebuild(self, records: Iterable[SearchRecord] | None, generation: int,
                progress: Progress | None = None, total: int | None = None,
                raws: list | None = None) -> None:  # type: ignore[type-arg]
        """Build a new generation of the index beside the current one and switch to it.

        Give normalised ``records``, or ``raws`` (database rows): many raw records are
        normalised and indexed by two processes at once. The new segments and store set are
        written into the index folder under names of their own; the manifest's swap (one
        rename) is the switch. Searches keep the old generation until then (this process's
        view is replaced at once, never closed in between; another process reads the new
        one when it next looks), then the old generation's files are removed. On any failure
        what was written is removed and the old index (if any) stays as it was.
        """
        if raws is None:
            records = list(records or [])
        count = total or len(raws if raws is not None else records)  # type: ignore[arg-type]
        if progress:
            progress(0, count, "indexing")
        self._new_generation(lambda tag: self._build(tag, records, generation, progress,
                                                      count, raws), generation)
        if progress:
            progress(count, count, "indexing")

    def _new_generation(self, build: Callable[[str], tuple[list, list]],  # type: ignore[type-arg]
                        generation: int) -> None:
        """``build(tag)`` writes segments and the store set ``tag`` into the folder and
        returns (segments, their rid lists); they are committed as the index's new state."""
        if self.path.is_symlink() and not self.path.exists():
            self.path.unlink()  # a dangling link is replaced by the folder
        elif self.path.exists() and not self.path.is_dir():
            self.path.unlink()
        self.path.mkdir(parents=True, exist_ok=True)
        tag = f"g{generation}{os.urandom(4).hex()}"
        before = set(os.listdir(self.path))
        try:
            segments, rid_lists = build(tag)
            built = SearchIndex(self.path)
            built.store = RecordStore(self.path, tag)
            built._ix = SafeIndex(str(self.path), segments, 1)
            built.segmap = {seg.segment_id(): rids for seg, rids in zip(segments, rid_lists)}
            built._write_manifest(generation, 0)  # the switch
        except BaseException:
            for name in set(os.listdir(self.path)) - before:
                if name != MANIFEST:
                    _remove(self.path / name)
            raise
        for name in os.listdir(self.path):  # an older sipviewer's files: never read
            if name in store_mod.OLD_FILES or name.endswith(".toc"):
                _remove(self.path / name)
        # the search view made (and the texts read) now only if this process's view was: an
        # import that rewrote the store made no search since its last change and waits for none
        health = self.open(preload=not isinstance(self._current, _LaterSnapshot))
        if health.state != "ok":
            raise ArchiveError(f"{self.path}: the rebuilt index does not open ({health.detail})")
        self._drop_unnamed()

    def _build(self, tag: str, records: Iterable[SearchRecord] | None, generation: int,
               progress: Progress | None, count: int,
               raws: list | None) -> tuple[list, list]:  # type: ignore[type-arg]
        workers = min(2, os.cpu_count() or 1)
        parallel = raws is not None and len(raws) >= PARALLEL_FROM and workers > 1
        before = set(os.listdir(self.path))
        if parallel:
            try:
                pool = self.executor.executor() if self.executor is not None else None
                rid_lists, recs, segments = grams.write_index_parallel(self.path, raws,  # type: ignore[arg-type]
                                                                       workers, pool)
            except (RuntimeError, BrokenProcessPool) as exc:
                log.warning("parallel index build failed (%s); building in one process", exc)
                if self.executor is not None:
                    self.executor.broken()
                for name in set(os.listdir(self.path)) - before:
                    _remove(self.path / name)
                parallel = False
        if not parallel:
            if raws is not None:
                records = make_records(raws)
            recs = list(records or [])

            def tick(done: int) -> None:
                if progress:
                    progress(done, count, "indexing")

            segment, _ = grams.write_index_segment(
                self.path, ((r.rid, r.norm_text, r.norm_title) for r in recs), tick)
            segments, rid_lists = [segment], [[r.rid for r in recs]]
        RecordStore.write(self.path, recs, generation, tag)
        return segments, rid_lists

    def compact(self) -> None:
        """Past `MAX_SEGMENTS`: the smallest segments merged into one, the rest kept as they
        are, in a worker process when there are some (the writing thread only waits). A
        tiered merge: an archive that grows a volume at a time rewrites its recent volumes,
        not all of them each time (30 volumes imported one by one rewrote 48 volumes' worth
        of index in two full compactions). While the store's change log is smaller than its
        texts only the segment list changes (`_merge_small`); otherwise the store is
        written as a fresh set too and the index switches to the result as `rebuild` does.
        Everything is rewritten (in two workers) when the kept segments hold many deleted
        documents; without workers, everything in this thread."""
        generation = self.generation or 0
        if self.executor is None:
            self.rebuild(list(self.store.values()), generation)
            return
        plan = self._small_plan()
        if plan is None:
            self._compact_all(generation)
            return
        kept, small, rids = plan
        if not self._log_outgrown():
            self._merge_small(small, rids)
            return
        folder, tag, log_size = str(self.path), self.store.tag, self._log_size

        def build(new_tag: str) -> tuple[list, list]:  # type: ignore[type-arg]
            try:
                merged = self.executor.executor().submit(
                    _compact_job, folder, tag, log_size, rids, new_tag, generation).result()
            except BrokenProcessPool:
                self.executor.broken()
                raise ArchiveError("a worker process died while compacting the index") from None
            return kept + [merged], [self.segmap[s.segment_id()] for s in kept] + [rids]

        self._new_generation(build, generation)

    def _log_outgrown(self) -> bool:
        """The store's change log (replayed whenever the index opens) holds more than its
        base set of texts: time to write the store afresh."""
        try:
            return self._log_size > (self.path / self.store.texts_name).stat().st_size
        except OSError:
            return True

    def _small_plan(self, coming: int = 0) -> tuple[list[Any], set[str], list[str]] | None:
        """(the segments kept, the ids of the small ones to merge, their live records) for
        a tiered merge once ``coming`` more segments are added; None when everything should
        be rewritten instead (the kept segments hold many deleted documents)."""
        assert self._ix is not None
        segments = self._ix._read_toc().segments
        by_size = sorted(segments, key=lambda s: s.doc_count())
        small = {s.segment_id() for k, s in enumerate(by_size)
                 if k < len(segments) + coming - MAX_SEGMENTS // 2 or not s.doc_count()}
        kept = [s for s in segments if s.segment_id() not in small]
        rids = self._live_rids(small)
        if not rids or any(s.segment_id() not in self.segmap for s in segments) or \
                4 * sum(s.deleted_count() for s in kept) > sum(s.doc_count_all() for s in kept):
            return None
        return kept, small, rids

    def _live_rids(self, ids: set[str]) -> list[str]:
        """The live records of the segments ``ids``, in segment order."""
        assert self._ix is not None
        return [rid for s in self._ix._read_toc().segments if s.segment_id() in ids
                for d, rid in enumerate(self.segmap.get(s.segment_id(), [])) if not s.is_deleted(d)]

    def _start_merge_job(self, small: set[str], rids: list[str]) -> Any:
        """The segments ``small`` (their live records ``rids``) merged into one segment by
        a worker (a future), from their posting arrays (`segmerge`): their texts are not
        inverted again. A segment without arrays (a few records from Whoosh's writer) is
        inverted from its texts, sent from here when in memory, else read by the worker."""
        assert self.generation is not None
        return self.executor.executor().submit(
            _merge_job, str(self.path), self.store.tag, self._log_size,
            self._merge_sources(small), rids, self.generation)

    def _merge_sources(self, small: set[str]) -> list[segmerge.ArraySource | segmerge.TextSource]:
        """The segments ``small`` as `segmerge` takes them, in segment order."""
        assert self._ix is not None
        sources: list[segmerge.ArraySource | segmerge.TextSource] = []
        for seg in self._ix._read_toc().segments:
            sid = seg.segment_id()
            if sid not in small:
                continue
            n = seg.doc_count_all()
            live = [d for d in range(n) if not seg.is_deleted(d)] if seg.has_deletions() \
                else list(range(n))
            arrays = self._arrays.get(sid)
            if arrays is not None and all(arrays.has_positions(f) for f in segmerge.FIELDS):
                sources.append(segmerge.ArraySource(arrays.path, n, live))
                continue
            ids = [self.segmap[sid][d] for d in live]
            texts = [self.store.known_text(rid) for rid in ids]
            sources.append(segmerge.TextSource(ids, None if None in texts else [
                (str(text), self.store.meta[rid].norm_title) for rid, text in zip(ids, texts)]))
        return sources

    def _merged(self, future: Any) -> Any:
        try:
            return future.result()
        except BrokenProcessPool:
            self.executor.broken()
            raise ArchiveError("a worker process died while compacting the index") from None

    def _take_merged(self, merged: Any, small: set[str], rids: list[str]) -> bool:
        """The segment list with the segments ``small`` replaced by ``merged`` (in memory;
        the caller writes the manifest); False, and nothing changed, when records of those
        segments were replaced or removed since the merge began."""
        assert self._ix is not None
        if self._live_rids(small) != rids:
            return False
        segments = [s for s in self._ix._read_toc().segments if s.segment_id() not in small]
        self._ix.commit_segments(segments + [merged])
        self.segmap = {k: v for k, v in self.segmap.items() if k not in small}
        self.segmap[merged.segment_id()] = rids
        return True

    def start_merge(self) -> None:
        """As an import begins: when its segment will take the index past `MAX_SEGMENTS`,
        the small segments' merge starts now in a worker process, beside the import's
        parsing and storing (one process only in a single-volume import), and `prepare`
        takes the merged segment into the import's own change."""
        if self._merge is not None or self.executor is None or self._ix is None \
                or self.generation is None or self._pending is not None \
                or len(self._ix._read_toc().segments) < MAX_SEGMENTS:
            return
        plan = self._small_plan(coming=1)
        if plan is not None:
            _, small, rids = plan
            # (a dead worker fails the job, not this: see `_merged`)
            self._merge = (self._start_merge_job(small, rids), small, rids)

    def finish_merge(self) -> None:
        """A merge `start_merge` began that no change took in (the import added nothing):
        switched in on its own."""
        merge, self._merge = self._merge, None
        if merge is not None:
            try:
                self._merge_small(merge[1], merge[2], merge[0])
            except (OSError, ArchiveError, ValueError) as exc:  # the committed index stands
                log.warning("merging the index's small segments failed (%s)", exc)

    def _fold_merge(self, generation: int) -> None:
        """In `prepare`: the merge `start_merge` began, waited for and made part of the
        change being prepared (its manifest rewritten); dropped if it failed or records of
        its segments were replaced meanwhile (its files go with the next clean)."""
        merge, self._merge = self._merge, None
        if merge is None or self._pending is None:
            return
        future, small, rids = merge
        try:
            merged = self._merged(future)
        except (OSError, ArchiveError, ValueError) as exc:
            log.warning("merging the index's small segments failed (%s)", exc)
            return
        if self._take_merged(merged, small, rids):
            self._pending["merged"] = True
            self._write_file(MANIFEST + ".tmp",
                             self._manifest_data(generation, self._pending["log_after"]))

    def _merge_small(self, small: set[str], rids: list[str], future: Any = None) -> None:
        """The records ``rids`` (the small segments' live ones) written as one segment by a
        worker (or the ``future`` of that), then the segment list switched in one manifest
        rename; the store stays as it is. On failure the files it wrote are removed and
        the committed state stays."""
        assert self._ix is not None and self.generation is not None
        before = set(os.listdir(self.path))
        try:
            merged = self._merged(future if future is not None
                                  else self._start_merge_job(small, rids))
            if not self._take_merged(merged, small, rids):
                raise ArchiveError("the index changed while its segments were merged")
            self._write_manifest(self.generation, self._log_size)  # the switch
        except BaseException:
            for name in set(os.listdir(self.path)) - before:
                if name != MANIFEST:
                    _remove(self.path / name)
            self.open(preload=False)  # the committed state, from disk
            raise
        with collector_paused(freeze=True):
            self._arrays = self._open_arrays(self._ix._read_toc().segments)
            self._swap_snapshot(_LaterSnapshot(self._ix.reader(), self.store, self._docmap(),
                                               self._arrays.get))
        self._merge_due = False
        self._drop_unnamed()

    def _start_store(self) -> None:
        """The store written as a fresh set (no change log) by a worker in the background:
        the change that outgrew the log is committed without waiting for it, and the index
        switches to the new set later (`take_store`). Until then its files are kept by
        `clean`; a writer killed meanwhile leaves them unnamed (removed by the next)."""
        if self._store_ahead is not None or self.executor is None:
            return
        new_tag = f"g{self.generation or 0}{os.urandom(4).hex()}"
        job = self.executor.executor().submit(_store_job, str(self.path), self.store.tag,
                                              self._log_size, new_tag, self.generation or 0)
        self._store_ahead = (job, self.store.tag, self._log_size, new_tag)

    @property
    def store_pending(self) -> bool:
        """A store set is being written afresh (`take_store` switches to it)."""
        return self._store_ahead is not None

    def take_store(self, wait: bool = False, switch: bool = True) -> None:
        """Switch to the store set `_start_store` had written (waited for with ``wait``,
        else only when it is done): the changes logged since it was begun are copied to its
        own log, then one manifest rename names it (the segments as they are). Dropped
        (its files removed) when the index changed otherwise meanwhile (another set, a
        change from elsewhere) or the job failed, and without ``switch`` (the caller does
        not hold the writer lock: nothing is changed on disk then, a later writer removes
        the files). Only by the writer."""
        ahead = self._store_ahead
        if ahead is None or not (wait or ahead[0].done()):
            return
        job, tag, log_size, new_tag = ahead
        try:
            sizes = job.result()
        except BrokenProcessPool:
            self.executor.broken()
            sizes = None
        except Exception as exc:  # the store stays as it is
            log.warning("writing the index's store afresh failed (%s)", exc)
            sizes = None
        self._store_ahead = None
        if not switch:
            return
        if sizes is None or not self._switch_store(tag, log_size, new_tag, sizes):
            # its files (by this view's state: none after another writer's commit)
            if self._pending is None and self._ix is not None and not self.changed_on_disk():
                self._drop_unnamed()

    def _switch_store(self, tag: str, log_size: int, new_tag: str, sizes: dict[str, int]
                      ) -> bool:
        """`take_store`'s switch; False when the set no longer fits the index."""
        if self._pending is not None or self._ix is None or tag != self.store.tag \
                or self._log_size < log_size or self.changed_on_disk() or any(
                    not (self.path / n).is_file() or (self.path / n).stat().st_size != size
                    for n, size in sizes.items()):
            return False
        with open(self.path / self.store.log_name, "rb") as fh:
            fh.seek(log_size)
            logged = fh.read(self._log_size - log_size)
        if len(logged) != self._log_size - log_size:
            return False
        _, _, new_log = store_mod.file_names(new_tag)
        self._write_file(new_log, logged)
        switched = SearchIndex(self.path)
        switched.store = RecordStore(self.path, new_tag)
        switched._ix, switched.segmap = self._ix, dict(self.segmap)
        switched._write_manifest(self.generation or 0, len(logged))  # the switch
        # as after a rebuild: the search view made now only if this process's view was
        health = self.open(preload=not isinstance(self._current, _LaterSnapshot))
        if health.state != "ok":
            raise ArchiveError(f"{self.path}: the index does not open after its store was "
                               f"written afresh ({health.detail})")
        self._drop_unnamed()  # the old set's files
        return True

    def _compact_all(self, generation: int) -> None:
        """All segments rewritten as two (in two workers) and the store as a fresh set."""
        shares = _shares(self.store.meta, 2)
        folder, tag, log_size = str(self.path), self.store.tag, self._log_size

        def build(new_tag: str) -> tuple[list, list]:  # type: ignore[type-arg]
            try:
                pool = self.executor.executor()
                futures = [pool.submit(_compact_job, folder, tag, log_size, share,
                                       new_tag if k == 0 else "", generation)
                           for k, share in enumerate(shares)]
                return [f.result() for f in futures], shares
            except BrokenProcessPool:
                self.executor.broken()
                raise ArchiveError("a worker process died while compacting the index") from None

        self._new_generation(build, generation)

    def apply(self, added: list[SearchRecord], removed: Iterable[str], generation: int) -> None:
        """Add, replace and delete records and commit at once (see `prepare`)."""
        self.prepare(added, removed, generation)
        self.commit()

    def prepare(self, added: list[SearchRecord] | Iterator[list[SearchRecord]],
                removed: Iterable[str], generation: int) -> None:
        """Write a change without making it visible; `commit` or `abort` follows.

        A few records go through Whoosh's own writer; many (a volume) become one segment
        from the batch writer. ``added`` may also be an iterator of record lists (a large
        import, taken one list at a time): each list becomes a segment of its own.
        """
        if self._ix is None:
            raise ArchiveError(f"{self.path}: the index is not open")
        self._pending = {"log": self._log_size, "generation": self.generation,
                         "toc": self._ix._read_toc(), "segmap": dict(self.segmap)}
        try:
            with collector_paused(freeze=True):
                if isinstance(added, list):
                    self._prepare(added, removed, generation)
                else:
                    self._prepare_batches(added, removed, generation)
                self._fold_merge(generation)
        except BaseException:
            self.abort()
            raise

    def _prepare_batches(self, batches: Iterator[list[SearchRecord]], removed: Iterable[str],
                         generation: int) -> None:
        """An import's batches: with worker processes, each batch's segment is written by a
        worker while the next batch's records are made here (two cores busy, not one), or
        was written ahead for exactly these records (a `MadeBatch`: taken as it is). As
        many segments are written at once as the pool has processes, holding no more than
        `AT_ONCE_CHARS` of text between them (each takes 100 MB or more at full size; a
        volume's two halves go side by side);
        a batch that replaces records already indexed goes the plain way."""
        removed = list(removed)
        if removed:
            self._prepare([], removed, generation)
        inflight: list[tuple[Any, list[SearchRecord], int, int]] = []  # (future, batch, log, chars)
        try:
            for batch in batches:
                chars = sum(len(r.norm_text) for r in batch)
                if self.executor is None or len(batch) < BULK \
                        or chars < grams.PROCESS_MIN_CHARS \
                        or any(r.rid in self.store for r in batch):
                    while inflight:
                        self._finish_bulk(*inflight.pop(0)[:3], generation)
                    self._prepare(batch, (), generation)
                    continue
                assert self._ix is not None
                written: list[tuple[Any, list[SearchRecord], int, int]] = []
                made = getattr(batch, "made", None)  # its segment written ahead (`MadeBatch`)
                if made is not None:
                    made.used = True
                    future = made.segment
                else:
                    while inflight and (len(inflight) >= self.executor.size or
                                        chars + sum(c for *_, c in inflight) > AT_ONCE_CHARS):
                        futures_wait([inflight[0][0]])  # its records were made meanwhile
                        written.append(inflight.pop(0))
                    triples = grams.for_worker((r.rid, r.norm_text, r.norm_title)
                                               for r in batch)
                    future = self.executor.executor().submit(grams._segment_job,
                                                             self._ix.storage.folder, triples)
                    del triples
                inflight.append((future, batch, 0, chars))  # (waited for on failure)
                # the batch's log entry written while the worker writes its segment
                inflight[-1] = (future, batch, self.store.append(batch, set(), generation), chars)
                for done in written:
                    self._finish_bulk(*done[:3], generation)
            while inflight:
                self._finish_bulk(*inflight[0][:3], generation)
                inflight.pop(0)
        finally:
            for future, *_ in inflight:  # failed meanwhile: let the workers finish their files
                try:
                    future.result()  # (`abort` then removes them)
                except Exception:  # the first failure is the one raised
                    pass

    def _finish_bulk(self, future: Any, batch: list[SearchRecord], log_after: int,
                     generation: int) -> None:
        """A batch whose segment a worker wrote (its records already in the store's log,
        which ends at ``log_after``): added to the pending state."""
        assert self._ix is not None and self._pending is not None
        try:
            segment = future.result()
        except BrokenProcessPool:  # a worker died: write it here
            self.executor.broken()
            segment, _ = grams.write_segment(self._ix.storage, self._ix._read_toc().schema,
                                             [(r.rid, r.norm_text, r.norm_title)
                                              for r in batch], postings=False)
        segments = [s for s in self._ix._read_toc().segments if s.doc_count_all()] + [segment]
        self._ix.commit_segments(segments)
        self.segmap[segment.segment_id()] = [r.rid for r in batch]
        self._pending["log_after"] = log_after
        self._pending["new_generation"] = generation
        self._write_file(MANIFEST + ".tmp",
                         self._manifest_data(generation, self._pending["log_after"]))

    def _prepare(self, added: list[SearchRecord], removed: Iterable[str],
                 generation: int) -> None:
        assert self._ix is not None
        removed = set(removed) | {r.rid for r in added if r.rid in self.store}
        bulk = len(added) >= BULK
        before = {s.segment_id() for s in self._ix._read_toc().segments}
        if removed or (added and not bulk):
            writer = self._ix.writer()
            try:
                for rid in removed:
                    writer.delete_by_term("rid", rid)
                if not bulk:
                    for rec in added:
                        writer.add_document(rid=rec.rid, grams=rec.norm_text,
                                            tgrams=rec.norm_title)
                # never let Whoosh merge: its writer would rewrite compact segments bulkily
                writer.commit(merge=False)
            except BaseException:
                writer.cancel()
                raise
            new = [s for s in self._ix._read_toc().segments if s.segment_id() not in before]
            if new and not bulk:
                self.segmap[new[0].segment_id()] = [r.rid for r in added]
        if bulk:  # a volume: one compact segment from the batch writer
            grams.append_segment(self._ix, ((r.rid, r.norm_text, r.norm_title) for r in added),
                                 workers=self.executor)
            segments = self._ix._read_toc().segments
            self.segmap[segments[-1].segment_id()] = [r.rid for r in added]
        self._pending["log_after"] = self.store.append(added, removed, generation)  # type: ignore[index]
        self._pending["new_generation"] = generation  # type: ignore[index]
        self._write_file(MANIFEST + ".tmp",
                         self._manifest_data(generation, self._pending["log_after"]))  # type: ignore[index]

    def commit(self, merge_later: bool = False) -> None:
        """Make the prepared change visible (one rename) and refresh this process's view.

        Past `MAX_SEGMENTS` the index is compacted, unless ``merge_later`` (an import's
        commit) and a merge of the small segments will do: the next import then merges
        them beside its own work (`start_merge`), and other changes leave them to it too
        (up to twice the limit)."""
        pending = self._pending
        if pending is None:
            return
        os.replace(self.path / (MANIFEST + ".tmp"), self.path / MANIFEST)
        self._pending = None
        self._signature = self._manifest_signature()
        self._log_size = pending["log_after"]
        self.generation = pending["new_generation"]
        assert self._ix is not None
        # a new reader after each commit: refresh() can keep deleted documents visible
        with collector_paused(freeze=True):  # long-lived, no cycles (see `open`)
            segments = self._ix._read_toc().segments
            try:
                self._arrays = self._open_arrays(segments)
            except (OSError, ValueError) as exc:
                raise IndexDamaged(f"{self.path}: posting arrays cannot be read ({exc})") \
                    from None
            self._swap_snapshot(_LaterSnapshot(self._ix.reader(), self.store, self._docmap(),
                                               self._arrays.get))
        merged = bool(pending.get("merged"))
        if merged:
            self._merge_due = False
            self._drop_unnamed()  # the merged segments' files
        count = len(self._ix._read_toc().segments)
        later = count > MAX_SEGMENTS and merge_later and count <= 2 * MAX_SEGMENTS \
            and self.executor is not None and self._small_plan() is not None
        if not later and count > MAX_SEGMENTS and self._merge_due \
                and count <= 2 * MAX_SEGMENTS:
            return  # left to the next import
        if later or (merged and merge_later) or count > MAX_SEGMENTS:
            try:
                if later or merged:  # the store alone written afresh if its log outgrew it
                    self._merge_due = self._merge_due or later
                    if self._log_outgrown():
                        self._start_store()
                else:  # many small changes: the small segments merged (in a worker)
                    self.compact()
            except (OSError, ArchiveError, ValueError) as exc:  # the committed index stands
                log.warning("compacting the index failed (%s)", exc)
                if not self.is_open or self.changed_on_disk():
                    self.open()

    def abort(self) -> None:
        """Forget a prepared change: the files on disk and this process's view go back."""
        merge, self._merge = self._merge, None
        if merge is not None:  # let the worker finish its files (removed below)
            futures_wait([merge[0]])
        if self._pending is None:
            if merge is not None:
                self.clean()
            return
        self._pending = None
        _remove(self.path / (MANIFEST + ".tmp"))
        self.open(preload=False)  # the committed state, from disk
        self.clean()

    def _swap_snapshot(self, snap: _Snapshot | _LaterSnapshot) -> None:
        with self._snap_lock:
            old, self._current = self._current, snap
        if old is not None:
            old.retire()

    def optimize(self) -> None:
        """Merge all segments into one (the store-based rebuild is the fast way)."""
        if self._ix is not None:
            self.rebuild(list(self.store.values()), self.generation or 0)

    def digests(self) -> dict[str, str]:
        return {rid: rec.digest() for rid, rec in self.store.items()}

    @property
    def doc_count(self) -> int:
        return len(self._snap.live) if self._snap else 0

    def size_bytes(self) -> dict[str, int]:
        whoosh_bytes = store_bytes = 0
        for name in os.listdir(self.path):
            size = (self.path / name).stat().st_size
            if store_mod.is_store_file(name) or name == MANIFEST:
                store_bytes += size
            else:
                whoosh_bytes += size
        return {"whoosh": whoosh_bytes, "store": store_bytes}

    def _acquire(self) -> _Snapshot:
        with self._snap_lock:
            snap = self._made()
            if snap is None:
                raise ArchiveError(f"{self.path}: the index is not open")
            snap.users += 1
            return snap

    # -- search -----------------------------------------------------------------------------
    def search(self, query: Query, filters: Filters = Filters(), limit: int = 20,
               dept_aliases: dict[str, tuple[str, ...]] | None = None,
               cancel: CancelToken | None = None, sort: str = "relevance") -> SearchOutcome:
        """Hits of ``query`` within ``filters``: exact total, facets, the best ``limit``
        (or the first ``limit`` in ``sort`` order: relevance, date, -date, volume).

        A facet's counts ignore that facet's own filter, so ticking one department keeps
        the others listed with the counts they would add (departments combine with OR).
        ``cancel`` is checked between the steps and every `CHECK_EVERY` documents of the
        long substring checks: a superseded search stops there with `Cancelled`.
        """
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        snap = self._acquire()
        try:
            return self._search(snap, query, filters, limit, dept_aliases, cancel, sort)
        finally:
            with self._snap_lock:
                snap.release()

    def _search(self, snap: _Snapshot, query: Query, filters: Filters, limit: int,
                dept_aliases: dict[str, tuple[str, ...]] | None,
                cancel: CancelToken | None = None, sort: str = "relevance") -> SearchOutcome:
        check = cancel.check if cancel is not None else _never
        started = time.perf_counter()
        depts = _DeptMatcher(dept_aliases or {})
        # sets of documents are masks by document number (a set of 30,000 numbers cost
        # milliseconds to make, combine and count)
        hits: np.ndarray | None = None
        to_verify: list[tuple[Term, ...]] = []
        for clause in sorted(query.clauses, key=lambda c: self._estimate(snap, c)):
            check()
            clause_docs: np.ndarray | None = None
            exact = True
            for term in clause:
                docs, term_exact = self._term_candidates(snap, term, depts)
                clause_docs = docs if clause_docs is None else clause_docs | docs
                exact = exact and term_exact
            if not exact:
                to_verify.append(clause)
            assert clause_docs is not None
            hits = clause_docs if hits is None else hits & clause_docs
            if not hits.any():
                break
        candidates = snap.live_mask if hits is None else hits
        parts = self._filter_parts(snap, filters, candidates)

        # a long term's check of each document, kept for the facets' looser refinements
        # (each would otherwise check the same texts again)
        checked: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        def refine(skip: str | None) -> np.ndarray:
            found = candidates
            for name, allowed in parts.items():
                if name != skip:
                    found = found & allowed
            return self._verify(snap, query, found, to_verify, depts, check, checked)

        hits = refine(None)
        check()
        # with years by kind (the stacked year histogram)
        facets = snap.facets.count(hits)
        loosened: set[str] = set()
        for name, facet in (("kind", "kind"), ("department", "department"), ("date", "year")):
            if name in parts:  # counts as if this facet's own filter were not set
                loose = snap.facets.count(refine(name))
                facets[facet] = loose[facet]
                loosened.add(facet)
                if name == "date":
                    facets.update((f"year:{kind}", loose[f"year:{kind}"]) for kind in KINDS)
        check()
        # records a Latin-letter query finds by pinyin only: after the literal hits
        extra = self._pinyin_hits(snap, query, hits, filters if parts else None, depts)
        with_extra = hits
        if extra:  # counted too, except in the facets that ignore their own filter
            with_extra = hits.copy()
            with_extra[[d for _, d in extra]] = True
            counted = snap.facets.count(with_extra)
            facets.update({k: v for k, v in counted.items()
                           if k not in loosened and not k.startswith("year:")})
        check()
        if sort != "relevance" and extra:  # in date or volume order, with the others
            ranked = self._rank(snap, query, with_extra, limit, sort)
        else:
            ranked = self._rank(snap, query, hits, limit, sort)
            for tier, d in extra[:max(0, limit - len(ranked))] if limit > 0 else extra:
                ranked.append(RankedHit(snap.recs[d].rid, snap.kinds[d], 0.0, tier == 0, True))  # type: ignore[union-attr]
        elapsed = (time.perf_counter() - started) * 1000
        return SearchOutcome(int(np.count_nonzero(hits)) + len(extra), tuple(ranked), facets,
                             tuple(query.highlight_terms()), elapsed)

    def _verify(self, snap: _Snapshot, query: Query, hits: np.ndarray,
                to_verify: list[tuple[Term, ...]], depts: _DeptMatcher,
                check: Callable[[], None],
                checked: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
                ) -> np.ndarray:
        """Long terms checked (by the pairs' positions, or against the texts in memory),
        then the negations. ``checked``: per term, masks of the documents already found to
        hold it and not to (used and extended)."""
        for clause in to_verify:
            if not hits.any():
                break
            check()
            if len(clause) == 1 and clause[0].field is None:
                text = clause[0].text
                if checked is None:
                    checked = {}
                if text not in checked:
                    checked[text] = (np.zeros(hits.size, dtype=bool),
                                     np.zeros(hits.size, dtype=bool))
                holding, lacking = checked[text]
                docs = np.flatnonzero(hits & ~holding & ~lacking)
                # found by the pairs' positions; the text checked only where none recorded
                found, rest = snap.holding(text, docs)
                holding[found] = True
                lacking[docs] = True
                # (looked up by id: the list of every text is made only when needed)
                texts, rids = snap.texts_by_id() if rest else ({}, [])
                for i in range(0, len(rest), CHECK_EVERY):
                    check()
                    holding[[d for d in rest[i:i + CHECK_EVERY]
                             if text in texts.get(rids[d], "")]] = True
                lacking &= ~holding
                hits = hits & holding
            else:
                hits = snap.mask_of([d for d in np.flatnonzero(hits).tolist()
                                     if any(self._matches(snap, t, d, depts) for t in clause)])
        for term in query.negations:
            if not hits.any():
                break
            check()
            if term.field is None and len(term.text) <= 2:
                hits = hits & ~snap.mask_of(snap.arrays("grams", term.text)[0])
            else:
                hits = snap.mask_of([d for d in np.flatnonzero(hits).tolist()
                                     if not self._matches(snap, term, d, depts)])
        return hits

    def _pinyin_hits(self, snap: _Snapshot, query: Query, hits: np.ndarray,
                     filters: Filters | None, depts: _DeptMatcher) -> list[tuple[int, int]]:
        """Records a Latin-letter query finds by pinyin and not literally, to rank after
        the literal hits: title matches first, then in archive order (see `pinyin`)."""
        letters = pinyin.query_letters(query)
        if letters is None:
            return []
        # the documents the filters allow (only now: for every record's dates it is costly)
        allowed = self._filter_set(snap, filters) if filters is not None else None
        table = self.pinyin.get((id(self.store), self.store.generation),
                                lambda: pinyin.store_entries(self.store))
        docs_of = snap.entry_docs(table)
        found: list[tuple[int, int]] = []  # (0 title / 1 other text, docnum), in order
        for tier, entries in enumerate(table.search_records(letters)):
            docs = docs_of[entries]
            docs = docs[docs >= 0]
            keep = ~hits[docs]
            if allowed is not None:
                keep &= allowed[docs]
            for d in np.sort(docs[keep]).tolist():
                if not any(self._matches(snap, t, d, depts) for t in query.negations):
                    found.append((tier, d))
        return found

    def _filter_set(self, snap: _Snapshot, f: Filters) -> np.ndarray | None:
        """The documents every filter allows (a mask), None without filters."""
        parts = self._filter_parts(snap, f, snap.live_mask)
        if not parts:
            return None
        result = snap.live_mask
        for allowed in parts.values():
            result = result & allowed
        return result

    @staticmethod
    def _filter_parts(snap: _Snapshot, f: Filters, candidates: np.ndarray
                      ) -> dict[str, np.ndarray]:
        """Each active filter as a mask of the documents it allows."""
        parts: dict[str, np.ndarray] = {}
        if f.is_empty:
            return parts
        if f.kinds:
            parts["kind"] = snap.any_of("kind", f.kinds)
        if f.volumes:
            parts["volume"] = snap.any_of("volume", f.volumes)
        if f.departments:
            parts["department"] = snap.any_of("department", f.departments)
        if f.rids is not None:
            docnum = snap.docnums
            parts["rids"] = snap.mask_of([docnum[r] for r in f.rids if r in docnum])
        if f.date_from or f.date_to:
            lo = (f.date_from or date.min).toordinal()
            hi = (f.date_to or date.max).toordinal()
            parts["date"] = (snap.start_days <= hi) & (snap.end_days >= lo)
        return parts

    @staticmethod
    def _estimate(snap: _Snapshot, clause: tuple[Term, ...]) -> int:
        total = 0
        for term in clause:
            if term.field == "dept":
                total += len(snap.live)
                continue
            fieldname = "grams" if term.field is None else "tgrams"
            total += snap.doc_frequency(fieldname, snap.rarest_gram(fieldname, term.text))
        return total

    @staticmethod
    def _term_candidates(snap: _Snapshot, term: Term, dept_match: _DeptMatcher
                         ) -> tuple[np.ndarray, bool]:
        """A mask of the documents that may hold the term, and whether exactly those."""
        if term.field == "dept":
            names = dept_match.names(term.text, snap.by_dept)
            return snap.any_of("department", tuple(names)), True
        if term.field is None:
            return snap.mask_of(snap.candidates("grams", term.text)), len(term.text) <= 2
        docs = snap.mask_of(snap.candidates("tgrams", term.text))
        if term.field == "caption":
            return snap.any_of("kind", ("photo",)) & docs, len(term.text) <= 2
        return docs, len(term.text) <= 2

    @staticmethod
    def _matches(snap: _Snapshot, term: Term, d: int, dept_match: _DeptMatcher) -> bool:
        if term.field is None:
            return term.text in snap.texts[d]
        if term.field == "title":
            return term.text in snap.titles[d]
        if term.field == "caption":
            return snap.kinds[d] == "photo" and term.text in snap.titles[d]
        return any(n in dept_match.names(term.text, snap.by_dept) for n in snap.depts[d])

    def _rank(self, snap: _Snapshot, query: Query, hits: np.ndarray,
              limit: int, sort: str = "relevance") -> list[RankedHit]:
        """Title hits first, then BM25 (a long term scores by its rarest pair's frequency);
        or in date or volume order."""
        terms = [t for clause in query.clauses for t in clause if t.field != "dept"]
        recs, kinds = snap.recs, snap.kinds
        if sort != "relevance":
            chosen = _in_order(snap, np.flatnonzero(hits).tolist(), sort, limit)
            return [RankedHit(recs[d].rid, kinds[d], 0.0, False)  # type: ignore[union-attr]
                    for d in chosen]
        if not terms:  # a browse by filters only: archive order, articles first
            order = {k: i for i, k in enumerate(KINDS)}
            chosen = sorted(np.flatnonzero(hits).tolist(),
                            key=lambda d: (order.get(kinds[d], 9), d))
            chosen = chosen if limit <= 0 else chosen[:limit]
            return [RankedHit(recs[d].rid, kinds[d], 0.0, False)  # type: ignore[union-attr]
                    for d in chosen]
        grams_of: list[tuple[str, str]] = []  # (field, the gram each term is scored by)
        for term in terms:
            fieldname = "tgrams" if term.field in ("title", "caption") else "grams"
            grams_of.append((fieldname, snap.rarest_gram(fieldname, term.text)))
        # documents whose title holds a term rank first
        in_title = np.zeros(hits.size, dtype=bool)
        titles = snap.titles
        count = int(np.count_nonzero(hits))
        for term in terms:
            text = term.text
            # a title is short: looking at each hit's costs less than reading postings
            # unless the hits are many and the term is rare in titles
            if count * TITLE_CHECK_NS < READ_NS_PER_POSTING * \
                    snap.doc_frequency("tgrams", snap.rarest_gram("tgrams", text)):
                in_title[[d for d in np.flatnonzero(hits).tolist() if text in titles[d]]] = True
                continue
            title_docs = hits & snap.mask_of(snap.candidates("tgrams", text))
            if len(text) <= 2:
                in_title |= title_docs
            else:
                in_title[[d for d in np.flatnonzero(title_docs).tolist()
                          if text in titles[d]]] = True
        want = count if limit <= 0 else limit
        # every document's score as one array (the sum of its terms' gram scores)
        scores = snap.dense_scores(*grams_of[0])
        for fieldname, gram in grams_of[1:]:
            scores = scores + snap.dense_scores(fieldname, gram)
        first = _best(np.flatnonzero(in_title), want, scores)
        rest: list[int] = []
        if len(first) < want:
            rest = _best(np.flatnonzero(hits & ~in_title), want - len(first), scores)
        out = []
        for d in first:
            out.append(RankedHit(recs[d].rid, kinds[d], round(float(scores[d]), 4), True))  # type: ignore[union-attr]
        for d in rest:
            out.append(RankedHit(recs[d].rid, kinds[d], round(float(scores[d]), 4), False))  # type: ignore[union-attr]
        return out


def _best(arr: np.ndarray, n: int, scores: np.ndarray) -> list[int]:
    """The ``n`` documents of ``arr`` with the highest scores, best first; equal scores in
    archive order (document number), so the order never depends on how a set was built."""
    if not arr.size:
        return []
    minus = -scores[arr]
    if n < len(arr):  # only those at least as good as the n-th (ties at the edge too)
        edge = np.partition(minus, n - 1)[n - 1]
        keep = np.flatnonzero(minus <= edge)
        arr, minus = arr[keep], minus[keep]
    order = np.lexsort((arr, minus))[:n]
    return arr[order].tolist()


def _in_order(snap: _Snapshot, hits: list[int], sort: str, limit: int
              ) -> list[int]:
    """Hits by date (old → new, or new → old with ``-date``; undated last) or in volume
    order (volume, then articles, photos, tables as the archive holds them)."""
    recs, kinds = snap.recs, snap.kinds
    order = {k: i for i, k in enumerate(KINDS)}

    def in_volume(d: int) -> tuple[int, int, int]:
        rec = recs[d]
        return (rec.volume_id if rec else 0, order.get(kinds[d], 9), d)

    if sort == "volume":
        key: Callable[[int], tuple] = in_volume  # type: ignore[type-arg]
    else:
        newest = sort == "-date"

        def key(d: int) -> tuple:  # type: ignore[type-arg]
            rec = recs[d]
            start = rec.start if rec else None
            if start is None:
                return (1, 0, in_volume(d))
            return (0, -start.toordinal() if newest else start.toordinal(), in_volume(d))
    want = len(hits) if limit <= 0 else limit
    return heapq.nsmallest(want, hits, key=key) if want < len(hits) else sorted(hits, key=key)
def _docmap(ix: SafeIndex, segmap: dict[str, list[str]]) -> list[str] | None:
    """rids by docnum from the segment map, or None when a segment is not in it."""
    out: list[str] = []
    for segment in ix._read_toc().segments:
        rids = segmap.get(segment.segment_id())
        if rids is None or len(rids) != segment.doc_count_all():
            return None
        out.extend(rids)
    return out


def _shares(meta: dict[str, RecordMeta], parts: int) -> list[list[str]]:
    """The records' ids in ``parts`` shares of about as much text each (in store order)."""
    loads = [0] * parts
    owner: dict[str, int] = {}
    for m in sorted(meta.values(), key=operator.attrgetter("length"), reverse=True):
        k = loads.index(min(loads))
        owner[m.rid] = k
        loads[k] += m.length + len(m.norm_title)
    shares: list[list[str]] = [[] for _ in range(parts)]
    for rid in meta:
        shares[owner[rid]].append(rid)
    return [share for share in shares if share] or [[]]


def _compact_job(folder: str, tag: str, log_size: int, rids: list[str], new_tag: str,
                 generation: int):  # type: ignore[no-untyped-def]
    """In a worker process: the records ``rids`` of the store set ``tag`` (as the manifest
    names it, ``log_size`` bytes of its log) written as one new segment; with ``new_tag``,
    the whole store also written as a fresh set of that tag. Returns the segment."""
    from whoosh.filedb.filestore import FileStorage

    path = Path(folder)
    store = RecordStore(path, tag)
    with collector_paused():
        store.load(log_size)
        texts, meta = store.texts(), store.meta
        records = [(rid, texts[rid], meta[rid].norm_title) for rid in rids]
        segment, _ = grams.write_segment(FileStorage(folder), grams.make_schema(), records,
                                         postings=False)
        del records
        if new_tag:
            RecordStore.write(path, list(store.values()), generation, new_tag)
    store.close()
    return segment


def _merge_job(folder: str, tag: str, log_size: int,  # type: ignore[no-untyped-def]
               sources: list[segmerge.ArraySource | segmerge.TextSource], rids: list[str],
               generation: int):
    """In a worker process: the segments ``sources`` merged into one (`segmerge`), their
    live records ``rids``; the texts a source needs and was not sent read from the store set
    ``tag`` (``log_size`` bytes of its log). Where the arrays cannot be merged (damaged,
    no positions) the records' texts are inverted instead, as a rebuild does."""
    if any(isinstance(s, segmerge.TextSource) and s.records is None for s in sources):
        store = RecordStore(Path(folder), tag)
        with collector_paused():
            store.load(log_size)
            texts, meta = store.texts(), store.meta
            sources = [segmerge.TextSource(s.rids, [(texts[r], meta[r].norm_title)
                                                    for r in s.rids])
                       if isinstance(s, segmerge.TextSource) and s.records is None else s
                       for s in sources]
        store.close()
    try:
        return segmerge.merge(Path(folder), sources, rids)
    except ValueError as exc:
        log.warning("merging segments by their posting arrays failed (%s): inverting", exc)
        return _compact_job(folder, tag, log_size, rids, "", generation)


def _store_job(folder: str, tag: str, log_size: int, new_tag: str, generation: int
               ) -> dict[str, int]:
    """In a worker process: the store set ``tag`` (``log_size`` bytes of its log) written
    as a fresh set ``new_tag``; the sizes of the files written, by name."""
    path = Path(folder)
    store = RecordStore(path, tag)
    with collector_paused():
        store.load(log_size)
        store.rewrite(path, generation, new_tag)
    store.close()
    return {name: (path / name).stat().st_size for name in store_mod.file_names(new_tag)[:2]}


def _never() -> None:
    """No cancellation asked."""


@dataclass
class _DeptMatcher:
    """Which canonical departments a ``dept:`` term names (by name or alias substring)."""

    aliases: dict[str, tuple[str, ...]]
    cache: dict[str, set[str]] = field(default_factory=dict)

    def names(self, text: str, known: dict[str, frozenset[int]]) -> set[str]:
        found = self.cache.get(text)
        if found is None:
            found = set()
            for name in known:
                if text in normalize(name) or any(text in normalize(a)
                                                  for a in self.aliases.get(name, ())):
                    found.add(name)
            self.cache[text] = found
        return found


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass
