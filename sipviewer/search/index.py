"""The search index of an archive: Whoosh postings plus the normalised texts in memory.

Layout of ``index/`` (all derived from the database, rebuildable at any time):

* the Whoosh index (``MAIN`` segments, see `grams`);
* ``store.pkl`` and ``store.log``: every record's normalised text and facets, as a base
  snapshot and an append-only log of later changes;
* ``manifest.json``: the database generation the index reflects and the size of every
  Whoosh file, written last after each change. A file that is missing or has another size,
  or a manifest older than the database, tells the archive the index is corrupt or stale.

Search = candidates from postings (exact for 1 and 2 characters; the AND of the pairs for
longer terms), then a plain ``term in text`` check of each candidate in memory, so recall and
precision match a substring scan exactly. Reads may run on any thread; writes (`rebuild`,
`apply`) must come from one writer at a time.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import pickle
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from sipviewer.core.errors import ArchiveError
from sipviewer.search import grams
from sipviewer.search.normalize import normalize
from sipviewer.search.query import Query, Term
from sipviewer.search.records import KINDS, SearchRecord

STORE = "store.pkl"
STORE_LOG = "store.log"
MANIFEST = "manifest.json"
K1, B = 1.2, 0.75
MAX_SEGMENTS = 16  # more, and `apply` compacts the index
BULK = 5  # from this many added records on, `apply` writes a segment of its own

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    departments: tuple[str, ...] = ()  # canonical names; a record matches any
    kinds: tuple[str, ...] = ()
    volumes: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.date_from or self.date_to or self.departments or self.kinds
                    or self.volumes)


@dataclass(frozen=True)
class RankedHit:
    rid: str
    kind: str
    score: float
    title_match: bool


@dataclass(frozen=True)
class SearchOutcome:
    total: int
    hits: tuple[RankedHit, ...]
    facets: dict[str, dict[str, int]]
    terms: tuple[str, ...]  # normalised terms to highlight
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class IndexHealth:
    state: str  # ok | missing | corrupt | stale
    detail: str = ""
    generation: int | None = None


def _rec_to_tuple(r: SearchRecord) -> tuple:  # type: ignore[type-arg]
    return (r.rid, r.kind, r.volume_id, r.depts, r.start, r.end, r.norm_title, r.norm_text)


def _tuple_to_rec(t: tuple) -> SearchRecord:  # type: ignore[type-arg]
    return SearchRecord(*t)


class _Snapshot:
    """What one Whoosh reader sees, with per-document arrays for filters and facets."""

    def __init__(self, reader, store: dict[str, SearchRecord]) -> None:  # type: ignore[no-untyped-def]
        self.reader = reader
        n = reader.doc_count_all()
        self.recs: list[SearchRecord | None] = [None] * n
        for docnum, stored in reader.iter_docs():
            rec = store.get(stored["rid"])
            if rec is None:
                raise ArchiveError(f"index document {stored['rid']} has no stored record")
            self.recs[docnum] = rec
        live = [d for d, r in enumerate(self.recs) if r is not None]
        self.live = frozenset(live)
        self.texts = [r.norm_text if r else "" for r in self.recs]
        self.titles = [r.norm_title if r else "" for r in self.recs]
        self.kinds = [r.kind if r else "" for r in self.recs]
        self.depts = [r.depts if r else () for r in self.recs]
        self.years = [r.years if r else () for r in self.recs]
        self.lengths = [len(t) for t in self.texts]
        self.avg_length = (sum(self.lengths) / len(live)) if live else 1.0
        self.by_kind: dict[str, frozenset[int]] = {
            k: frozenset(d for d in live if self.kinds[d] == k) for k in KINDS}
        by_volume: dict[int, set[int]] = {}
        by_dept: dict[str, set[int]] = {}
        for d in live:
            rec = self.recs[d]
            assert rec is not None
            by_volume.setdefault(rec.volume_id, set()).add(d)
            for dept in rec.depts:
                by_dept.setdefault(dept, set()).add(d)
        self.by_volume = {k: frozenset(v) for k, v in by_volume.items()}
        self.by_dept = {k: frozenset(v) for k, v in by_dept.items()}
        self._postings: OrderedDict[tuple[str, str], dict[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def postings(self, fieldname: str, term: str) -> dict[int, float]:
        """docnum → frequency for a 1- or 2-character term (live documents only), cached."""
        key = (fieldname, term)
        with self._lock:
            cached = self._postings.get(key)
            if cached is not None:
                self._postings.move_to_end(key)
                return cached
        ids, weights = grams.read_postings(self.reader, fieldname, term)
        recs = self.recs
        result = {d: w for d, w in zip(ids, weights) if recs[d] is not None}
        with self._lock:
            self._postings[key] = result
            while len(self._postings) > 512:
                self._postings.popitem(last=False)
        return result

    def candidates(self, fieldname: str, text: str) -> Iterable[int]:
        """Documents that may contain ``text`` in the field (exactly those for ≤ 2 chars)."""
        if len(text) <= 2:
            return self.postings(fieldname, text).keys()
        pairs = {text[i:i + 2] for i in range(len(text) - 1)}
        lists = sorted((self.postings(fieldname, p) for p in pairs), key=len)
        result = set(lists[0])
        for other in lists[1:]:
            if len(result) <= 32:
                break  # few enough: the text check does the rest
            result.intersection_update(other.keys())
        return result


class SearchIndex:
    """Open with `open`; check `health`; search; the archive rebuilds or updates it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: dict[str, SearchRecord] = {}
        self.generation: int | None = None
        self._ix = None
        self._snap: _Snapshot | None = None
        self._log = None

    # -- lifecycle --------------------------------------------------------------------------
    def open(self) -> IndexHealth:
        """Open the index and load the store; report what state it is in (never raises)."""
        self.close()
        if not (self.path / MANIFEST).exists():
            return IndexHealth("missing", "no index yet")
        try:
            manifest = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
            for name, size in manifest["files"].items():
                p = self.path / name
                if not p.exists():
                    return IndexHealth("corrupt", f"index file {name} is missing")
                if p.stat().st_size != size:
                    return IndexHealth("corrupt", f"index file {name} has the wrong size")
            self.store, store_gen = self._load_store()
            self._ix = FileStorage(str(self.path)).open_index(grams.INDEX_NAME)
            self._snap = _Snapshot(self._ix.reader(), self.store)
            if len(self._snap.live) != len(self.store):
                return IndexHealth("corrupt", "index and stored texts disagree")
            self.generation = int(manifest["generation"])
            if store_gen != self.generation:
                return IndexHealth("corrupt", "stored texts are not from the same change")
        except (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError, EmptyIndexError,
                ArchiveError, Exception) as exc:  # any damage means: rebuild
            self.close()
            return IndexHealth("corrupt", f"cannot read the index ({type(exc).__name__}: {exc})")
        return IndexHealth("ok", generation=self.generation)

    def close(self) -> None:
        if self._snap is not None:
            self._snap.reader.close()
        self._snap = None
        self._ix = None
        if self._log is not None:
            self._log.close()
            self._log = None

    @property
    def is_open(self) -> bool:
        return self._snap is not None

    def _load_store(self) -> tuple[dict[str, SearchRecord], int]:
        with open(self.path / STORE, "rb") as fh:
            base = pickle.load(fh)
        store = {t[0]: _tuple_to_rec(t) for t in base["records"]}
        generation = base["generation"]
        log_path = self.path / STORE_LOG
        if log_path.exists():
            with open(log_path, "rb") as fh:
                while True:
                    try:
                        entry = pickle.load(fh)
                    except EOFError:
                        break
                    except (pickle.UnpicklingError, ValueError, IndexError):
                        break  # a torn last entry: its change never completed
                    for rid in entry["removed"]:
                        store.pop(rid, None)
                    for t in entry["added"]:
                        store[t[0]] = _tuple_to_rec(t)
                    generation = entry["generation"]
        return store, generation

    def _write_manifest(self, generation: int) -> None:
        files = {name: (self.path / name).stat().st_size for name in os.listdir(self.path)
                 if name != MANIFEST and not name.endswith((".lock", ".tmp", "LOCK"))
                 and (self.path / name).is_file()}
        tmp = self.path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps({"generation": generation, "files": files}), encoding="utf-8")
        os.replace(tmp, self.path / MANIFEST)

    def rebuild(self, records: Iterable[SearchRecord], generation: int,
                progress: Progress | None = None, total: int | None = None) -> None:
        """Build a new index in a temporary folder and swap it in."""
        self.close()
        tmp = self.path.with_name(self.path.name + ".building")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        recs = list(records)
        count = total or len(recs)
        if progress:
            progress(0, count, "indexing")
        with open(tmp / STORE, "wb") as fh:
            pickle.dump({"generation": generation, "records": [_rec_to_tuple(r) for r in recs]},
                        fh, protocol=pickle.HIGHEST_PROTOCOL)

        def tick(done: int) -> None:
            if progress:
                progress(done, count, "indexing")

        grams.write_index(tmp, ((r.rid, r.norm_text, r.norm_title) for r in recs), tick)
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(tmp, self.path)
        shutil.rmtree(old, ignore_errors=True)
        self._write_manifest(generation)
        if progress:
            progress(count, count, "indexing")
        health = self.open()
        if health.state != "ok":
            raise ArchiveError(f"{self.path}: the rebuilt index does not open ({health.detail})")

    def apply(self, added: list[SearchRecord], removed: Iterable[str], generation: int) -> None:
        """Add, replace and delete records with Whoosh's own writer, then refresh readers."""
        if self._ix is None:
            raise ArchiveError(f"{self.path}: the index is not open")
        removed = set(removed) | {r.rid for r in added if r.rid in self.store}
        bulk = len(added) >= BULK
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
        if bulk:  # a volume: one compact segment from the batch writer
            grams.append_segment(self._ix, ((r.rid, r.norm_text, r.norm_title) for r in added))
        compact = len(self._ix._read_toc().segments) > MAX_SEGMENTS
        entry = {"generation": generation, "removed": sorted(removed),
                 "added": [_rec_to_tuple(r) for r in added]}
        with open(self.path / STORE_LOG, "ab") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
            fh.flush()
            os.fsync(fh.fileno())
        for rid in removed:
            self.store.pop(rid, None)
        for rec in added:
            self.store[rec.rid] = rec
        self._write_manifest(generation)
        self.generation = generation
        if compact:  # many small edits: rewrite everything as one segment from the store
            self.rebuild(list(self.store.values()), generation)
            return
        # a new reader after each commit: refresh() can keep deleted documents visible
        old = self._snap
        self._snap = _Snapshot(self._ix.reader(), self.store)
        if old is not None:
            old.reader.close()

    def optimize(self) -> None:
        if self._ix is None:
            return
        self._ix.optimize()
        self._write_manifest(self.generation or 0)
        old = self._snap
        self._snap = _Snapshot(self._ix.reader(), self.store)
        if old is not None:
            old.reader.close()

    def digests(self) -> dict[str, str]:
        return {rid: rec.digest() for rid, rec in self.store.items()}

    @property
    def doc_count(self) -> int:
        return len(self._snap.live) if self._snap else 0

    def size_bytes(self) -> dict[str, int]:
        whoosh_bytes = store_bytes = 0
        for name in os.listdir(self.path):
            size = (self.path / name).stat().st_size
            if name in (STORE, STORE_LOG):
                store_bytes += size
            else:
                whoosh_bytes += size
        return {"whoosh": whoosh_bytes, "store": store_bytes}

    # -- search -----------------------------------------------------------------------------
    def search(self, query: Query, filters: Filters = Filters(), limit: int = 20,
               dept_aliases: dict[str, tuple[str, ...]] | None = None) -> SearchOutcome:
        started = time.perf_counter()
        snap = self._snap
        if snap is None:
            raise ArchiveError(f"{self.path}: the index is not open")
        allowed = self._filter_set(snap, filters)
        dept_match = _DeptMatcher(dept_aliases or {})
        candidates: set[int] | frozenset[int] | None = None
        exact = True
        for clause in sorted(query.clauses, key=lambda c: self._estimate(snap, c)):
            clause_docs: set[int] = set()
            for term in clause:
                docs, term_exact = self._term_candidates(snap, term, dept_match)
                clause_docs.update(docs)
                exact = exact and term_exact
            exact = exact and len(clause) == 1
            candidates = clause_docs if candidates is None else candidates & clause_docs
            if not candidates:
                break
        if candidates is None:
            candidates = snap.live
        if allowed is not None:
            candidates = candidates & allowed if len(candidates) > len(allowed) \
                else allowed & candidates
        hits: Iterable[int] = candidates
        if not exact or len(query.clauses) > 1:
            hits = [d for d in candidates
                    if all(any(self._matches(snap, t, d, dept_match) for t in clause)
                           for clause in query.clauses)]
        if query.negations:
            hits = [d for d in hits
                    if not any(self._matches(snap, t, d, dept_match) for t in query.negations)]
        hits = list(hits)
        facets = {
            "kind": dict(Counter(map(snap.kinds.__getitem__, hits))),
            "department": dict(Counter(chain.from_iterable(map(snap.depts.__getitem__, hits)))),
            "year": {str(y): c for y, c in sorted(
                Counter(chain.from_iterable(map(snap.years.__getitem__, hits))).items())},
        }
        ranked = self._rank(snap, query, hits, limit)
        elapsed = (time.perf_counter() - started) * 1000
        return SearchOutcome(len(hits), tuple(ranked), facets,
                             tuple(query.highlight_terms()), elapsed)

    def _filter_set(self, snap: _Snapshot, f: Filters) -> frozenset[int] | set[int] | None:
        if f.is_empty:
            return None
        sets: list[frozenset[int] | set[int]] = []
        if f.kinds:
            sets.append(frozenset().union(*(snap.by_kind.get(k, frozenset()) for k in f.kinds)))
        if f.volumes:
            sets.append(frozenset().union(*(snap.by_volume.get(v, frozenset())
                                            for v in f.volumes)))
        if f.departments:
            sets.append(frozenset().union(*(snap.by_dept.get(d, frozenset())
                                            for d in f.departments)))
        if f.date_from or f.date_to:
            lo = f.date_from or date.min
            hi = f.date_to or date.max
            base = min(sets, key=len) if sets else snap.live
            sets.append({d for d in base if _overlaps(snap.recs[d], lo, hi)})
        result = min(sets, key=len)
        for other in sets:
            if other is not result:
                result = result & other
        return result

    @staticmethod
    def _estimate(snap: _Snapshot, clause: tuple[Term, ...]) -> int:
        total = 0
        for term in clause:
            if term.field == "dept":
                total += len(snap.live)
                continue
            fieldname = "grams" if term.field is None else "tgrams"
            text = term.text
            grams_of = [text] if len(text) <= 2 else [text[i:i + 2] for i in range(len(text) - 1)]
            total += min(len(snap.postings(fieldname, g)) for g in grams_of)
        return total

    @staticmethod
    def _term_candidates(snap: _Snapshot, term: Term, dept_match: _DeptMatcher
                         ) -> tuple[Iterable[int], bool]:
        if term.field == "dept":
            names = dept_match.names(term.text, snap.by_dept)
            return set().union(*(snap.by_dept[n] for n in names)) if names else set(), True
        if term.field is None:
            return snap.candidates("grams", term.text), len(term.text) <= 2
        docs = snap.candidates("tgrams", term.text)
        if term.field == "caption":
            return [d for d in docs if snap.kinds[d] == "photo"], len(term.text) <= 2
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

    def _rank(self, snap: _Snapshot, query: Query, hits: list[int], limit: int
              ) -> list[RankedHit]:
        terms = [t for clause in query.clauses for t in clause if t.field != "dept"]
        n_docs = max(1, len(snap.live))
        scorers: list[Callable[[int], float]] = []
        title_terms = [t.text for t in terms]
        for term in terms:
            fieldname = "tgrams" if term.field in ("title", "caption") else "grams"
            texts = snap.titles if fieldname == "tgrams" else snap.texts
            if len(term.text) <= 2:
                freqs = snap.postings(fieldname, term.text)
                df = len(freqs)
                tf_of: Callable[[int], float] = _getter(freqs)
            else:
                text = term.text
                df = max(1, len(hits))

                def tf_of(d: int, text: str = text, texts: list[str] = texts) -> float:
                    return float(texts[d].count(text))
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            lengths, avg = snap.lengths, snap.avg_length

            def score(d: int, tf_of=tf_of, idf=idf) -> float:  # type: ignore[no-untyped-def]
                tf = tf_of(d)
                return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[d] / avg))
            scorers.append(score)

        titles = snap.titles

        def key(d: int) -> tuple[int, float, int]:
            in_title = 1 if any(t in titles[d] for t in title_terms) else 0
            return (in_title, sum(s(d) for s in scorers), -d)

        if not terms:  # no words (a browse by filters): archive order, articles first
            order = {k: i for i, k in enumerate(KINDS)}
            chosen = sorted(hits, key=lambda d: (order.get(snap.kinds[d], 9), d))
            chosen = chosen if limit <= 0 else chosen[:limit]
            return [RankedHit(snap.recs[d].rid, snap.kinds[d], 0.0, False)  # type: ignore[union-attr]
                    for d in chosen]
        if limit <= 0 or limit >= len(hits):
            top = sorted(hits, key=key, reverse=True)
        else:
            top = heapq.nlargest(limit, hits, key=key)
        out = []
        for d in top:
            in_title, score, _ = key(d)
            out.append(RankedHit(snap.recs[d].rid, snap.kinds[d], round(score, 4),  # type: ignore[union-attr]
                                 bool(in_title)))
        return out


def _getter(freqs: dict[int, float]) -> Callable[[int], float]:
    get = freqs.get

    def tf(d: int) -> float:
        return get(d, 0.0)
    return tf


def _overlaps(rec: SearchRecord | None, lo: date, hi: date) -> bool:
    return rec is not None and rec.start is not None and rec.end is not None \
        and rec.start <= hi and rec.end >= lo


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
