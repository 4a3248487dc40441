"""The Whoosh side of search: a position-free character and character-pair field, a batch
index writer, and a fast postings reader.

Every normalised record text is indexed as its single characters and its overlapping
character pairs, with document frequencies (Whoosh's files hold no positions; the posting
arrays the batch writer writes beside them also hold each pair's positions). A 1-character
query is one unigram posting list and a 2-character query one pair list, both exact; a longer
query is found from its pairs' positions (or, in a segment without them, the AND of its
pairs, a superset that `SearchIndex` then verifies against the texts in memory).

Whoosh is pure Python and frozen (``whoosh-reloaded==2.7.5`` is pinned exactly): the batch
writer below inverts a whole build at once with numpy (a sort over integer keys) and writes
the W3 codec's postings blocks and term dictionary entries itself, byte for byte what the
codec's own postings writer makes of them; `read_postings` reads whole blocks at a time. Both
use codec internals; tests check that an index written this way equals the pure-Python
writer's, reads back identically through Whoosh's stock reader and stays correct after
stock-writer edits.
"""

from __future__ import annotations

import operator
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate, islice, pairwise, repeat
from pathlib import Path
from pickle import dumps
from typing import Any

import numpy as np
from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import _length_byte_cache

from sipviewer.model.gcpause import collector_paused
from sipviewer.search import postarrays
from sipviewer.search.normalize import SEP

INDEX_NAME = "MAIN"
BLOCK_LIMIT = 512
INLINE_LIMIT = 16  # posting lists shorter than this live in the term dictionary
COMPRESSION = 3  # zlib level of postings blocks (Whoosh's default)


def char_counts(text: str) -> Counter[str]:
    """Frequencies of the single characters of a normalised text."""
    counts = Counter(text)
    counts.pop(SEP, None)
    return counts


def pair_counts(text: str) -> Counter[str]:
    """Frequencies of the overlapping character pairs (none spans `SEP`)."""
    if SEP not in text:
        return Counter(map(operator.add, text, text[1:]))
    counts: Counter[str] = Counter()
    for part in text.split(SEP):
        counts.update(map(operator.add, part, part[1:]))
    return counts


def gram_counts(text: str) -> Counter[str]:
    counts = char_counts(text)
    counts.update(pair_counts(text))
    return counts


class GramField(fields.TEXT):
    """Unigrams and pairs of an already normalised text; frequencies, no positions."""

    def __init__(self) -> None:
        super().__init__(phrase=False, stored=False)
        # the frequency is the posting's weight; no per-posting value bytes are stored
        self.format = formats.Existence()

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def, override]
        for term, freq in sorted(gram_counts(value).items()):
            yield term.encode("utf-8"), freq, float(freq), b""


def make_schema() -> fields.Schema:
    return fields.Schema(
        rid=fields.ID(stored=True, unique=True),  # a:ID, p:ID or t:ID
        grams=GramField(),  # the whole record: title, body, signature, credit, cells
        tgrams=GramField(),  # the title only (article title, caption, table title)
    )


def write_index(path: Path, records: Iterable[tuple[str, str, str]],
                progress: Callable[[int], None] | None = None,
                block_limit: int = BLOCK_LIMIT) -> int:
    """Create a new stock Whoosh index in ``path`` from ``(rid, text, title)`` triples in
    one segment. Returns the number of documents. The folder must be empty or missing."""
    segment, count = write_index_segment(path, records, progress, block_limit, postings=True)
    TOC(make_schema(), [segment], 1).write(FileStorage(str(path)), INDEX_NAME)
    return count


def write_index_segment(path: Path, records: Iterable[tuple[str, str, str]],
                        progress: Callable[[int], None] | None = None,
                        block_limit: int = BLOCK_LIMIT,
                        postings: bool = False):  # type: ignore[no-untyped-def]
    """One segment in ``path`` without a Whoosh table of contents (the archive keeps its
    own, see `safewhoosh`); (segment, count). Without ``postings``, as the archive's
    segments are: the character and pair fields' postings only in the posting arrays."""
    path.mkdir(parents=True, exist_ok=True)
    return write_segment(FileStorage(str(path)), make_schema(), records, progress, block_limit,
                         postings=postings)


def build_part(path: str, raws: list) -> tuple:  # type: ignore[type-arg]
    """One worker's share of a build: normalise raw records and write them as a segment.

    Runs in a separate process (module-level so it can be pickled). Returns the segment and
    the normalised records.
    """
    from sipviewer.search.records import make_records

    records = make_records(raws)
    storage = FileStorage(path)
    segment, _ = write_segment(storage, make_schema(),
                               ((r.rid, r.norm_text, r.norm_title) for r in records),
                               postings=False)
    return segment, records


def _balanced_parts(raws: list, workers: int) -> list[list]:  # type: ignore[type-arg]
    """``raws`` in ``workers`` shares of about as much text each, each in the original order.

    Splitting by count gave one process every long article (they come first) and the other
    the short captions: the build took as long as with one process.
    """
    sizes = [len(raw[3]) + sum(map(len, raw[4])) for raw in raws]
    loads = [0] * workers
    owner = [0] * len(raws)
    for i in sorted(range(len(raws)), key=sizes.__getitem__, reverse=True):
        k = loads.index(min(loads))
        owner[i] = k
        loads[k] += sizes[i]
    parts: list[list] = [[] for _ in range(workers)]  # type: ignore[type-arg]
    for i, raw in enumerate(raws):
        parts[owner[i]].append(raw)
    return [part for part in parts if part] or [[]]


def write_index_parallel(path: Path, raws: list, workers: int = 2,  # type: ignore[type-arg]
                         pool: Any = None) -> tuple[list, list, list]:  # type: ignore[type-arg]
    """Build a new index from raw records in ``workers`` processes at once, one segment each
    (this process does the first share; ``pool``, a process pool already started, the others,
    or else a pool started for them).

    Returns (the segments' rid lists in order, all normalised records in the same order, the
    segments). No Whoosh table of contents is written (the archive keeps its own).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    path.mkdir(parents=True, exist_ok=True)
    parts = _balanced_parts(raws, workers)
    if pool is not None:
        futures = [pool.submit(build_part, str(path), part) for part in parts[1:]]
        results = [build_part(str(path), parts[0])]
        results += [f.result() for f in futures]
    else:
        context = multiprocessing.get_context("spawn")  # safe from a program with threads
        with ProcessPoolExecutor(max_workers=len(parts) - 1 or 1, mp_context=context) as own:
            futures = [own.submit(build_part, str(path), part) for part in parts[1:]]
            results = [build_part(str(path), parts[0])]  # this process does the first share
            results += [f.result() for f in futures]
    segments = [seg for seg, _ in results]
    return ([[r.rid for r in recs] for _, recs in results],
            [r for _, recs in results for r in recs], segments)


PROCESS_MIN_CHARS = 200_000


def _segment_job(path: str, records: list[tuple[str, bytes, bytes]],  # type: ignore[no-untyped-def]
                 postings: bool = False):
    """Write one segment in a worker process (module-level so it can be pickled); the
    records as `for_worker` made them; an archive's segment unless ``postings``."""
    segment, _ = write_segment(FileStorage(path), make_schema(),
                               [(rid, text.decode(), title.decode()) for rid, text, title in records],
                               postings=postings)
    return segment


def for_worker(records: Iterable[tuple[str, str, str]]) -> list[tuple[str, bytes, bytes]]:
    """Records for `_segment_job`, their texts as UTF-8: pickling a str makes CPython keep a
    UTF-8 copy inside it for as long as it lives, and the index's store keeps every text an
    import adds (30 volumes: 100 MB more in the importing process)."""
    return [(rid, text.encode(), title.encode()) for rid, text, title in records]


def append_segment(ix, records: Iterable[tuple[str, str, str]],  # type: ignore[no-untyped-def]
                   separate_process: bool | None = None, workers=None) -> int:
    """Add documents to an open index as one new segment written by the batch writer.

    A large segment (by default: over `PROCESS_MIN_CHARS` of text) is written in a separate
    process, one of ``workers`` (an object whose ``executor()`` is a process pool kept
    between calls, with ``broken()`` to call when a process died) or else one started for
    it: the writing thread releases and retakes the interpreter lock so often (file writes,
    compression) that CPython's lock hand-over starves other threads — the viewer's GUI
    thread stalled for hundreds of milliseconds while a volume was indexed in the background.
    The caller holds the only write access (the archive's writer lock). The archive's index
    (which keeps its own table of contents) gets the archive's kind of segment (see
    `write_inverted`), a stock Whoosh index a stock one.
    """
    toc = ix._read_toc()
    triples = list(records)
    postings = not hasattr(ix, "commit_segments")
    if separate_process is None:
        separate_process = sum(len(text) for _, text, _ in triples) >= PROCESS_MIN_CHARS
    segment = None
    if separate_process and workers is not None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            segment = workers.executor().submit(_segment_job, ix.storage.folder,
                                                for_worker(triples), postings).result()
        except BrokenProcessPool:
            workers.broken()  # written below in a process of its own
    if segment is None and separate_process:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # safe from a program with threads
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            segment = pool.submit(_segment_job, ix.storage.folder,
                                  for_worker(triples), postings).result()
    elif segment is None:
        segment, _ = write_segment(ix.storage, toc.schema, triples, postings=postings)
    count = len(triples)
    segments = [s for s in toc.segments if s.doc_count_all()] + [segment]
    if hasattr(ix, "commit_segments"):  # the archive's index keeps its own table of contents
        ix.commit_segments(segments)
    else:
        TOC(toc.schema, segments, toc.generation + 1).write(ix.storage, INDEX_NAME)
        clean_files(ix.storage, INDEX_NAME, toc.generation + 1, segments)
    return count


def write_segment(storage, schema, records: Iterable[tuple[str, str, str]],  # type: ignore[no-untyped-def]
                  progress: Callable[[int], None] | None = None,
                  block_limit: int = BLOCK_LIMIT, compression: int = COMPRESSION,
                  postings: bool = True):
    """Invert the records and write them as one new segment; (segment, count).

    The inversion is a sort over integer arrays (numpy, see `_invert`); the postings are
    written from slices of those arrays (`_write_postings`). The cyclic garbage collector is
    paused meanwhile: the writer makes many small objects, none of them in cycles.

    Without ``postings`` the character and pair fields' postings are only in the posting
    arrays (see `write_inverted`).
    """
    with collector_paused():
        rids: list[str] = []
        texts: list[str] = []
        titles: list[str] = []
        for rid, text, title in records:
            rids.append(rid)
            texts.append(text)
            titles.append(title)
        text_inv, title_inv = _invert(texts), _invert(titles)
        del texts, titles
        if progress is not None:
            progress(len(rids) // 2)
        segment = _write_inverted(storage, schema, rids, text_inv, title_inv, block_limit,
                                  compression, postings)
        if progress is not None:
            progress(len(rids))
        return segment, len(rids)


def write_inverted(storage, rids: list[str], text_inv: _Inverted,  # type: ignore[no-untyped-def]
                   title_inv: _Inverted):
    """Records already inverted (`segmerge`) written as one new segment of the archive's
    schema (returned), its character and pair postings in the posting arrays only."""
    with collector_paused():
        return _write_inverted(storage, make_schema(), rids, text_inv, title_inv,
                               BLOCK_LIMIT, COMPRESSION, False)


def _write_inverted(storage, schema, rids, text_inv, title_inv, block_limit,  # type: ignore[no-untyped-def]
                    compression, postings):
    """The segment's files: Whoosh's per-document columns and the id field's postings, the
    posting arrays (`postarrays`) and, with ``postings``, the character and pair fields'
    postings in Whoosh's own blocks as well (a stock Whoosh index). The archive's index
    reads those fields from the posting arrays only: writing them again as Whoosh's
    pickled, compressed blocks took three quarters of a segment's time."""
    count = len(rids)
    folder = getattr(storage, "folder", None)
    if not postings and not folder:
        raise ValueError("without Whoosh's postings a segment needs its posting arrays")
    codec = W3Codec(blocklimit=block_limit, compression=compression)
    segment = codec.new_segment(storage, INDEX_NAME)
    perdoc = codec.per_document_writer(storage, segment)
    rid_field, grams_field, tgrams_field = schema["rid"], schema["grams"], schema["tgrams"]
    text_lengths = text_inv.lengths.tolist()  # type: ignore[union-attr]
    title_lengths = title_inv.lengths.tolist()  # type: ignore[union-attr]
    for docnum, rid in enumerate(rids):
        perdoc.start_doc(docnum)
        perdoc.add_field("grams", grams_field, None, text_lengths[docnum])
        perdoc.add_field("tgrams", tgrams_field, None, title_lengths[docnum])
        perdoc.add_field("rid", rid_field, rid, 0)
        perdoc.finish_doc()
    perdoc.close()
    fieldwriter = codec.field_writer(storage, segment)
    # fields in name order, terms in byte order, as Whoosh's own writer does
    if postings:
        _write_postings(fieldwriter, "grams", grams_field, text_inv, block_limit, compression)
    _write_postings(fieldwriter, "rid", rid_field, _ids_inverted(rids), block_limit,
                    compression)
    if postings:
        _write_postings(fieldwriter, "tgrams", tgrams_field, title_inv, block_limit,
                        compression)
    fieldwriter.close()
    if folder:  # numpy-readable postings beside Whoosh's
        postarrays.write(Path(folder) / postarrays.file_name(segment.segment_id()),
                         count, {"grams": text_inv, "tgrams": title_inv})
    segment.set_doc_count(count)
    return segment


@dataclass
class _Inverted:
    """A field's postings: ``terms[i]`` (UTF-8) is in the documents
    ``docs[starts[i]:starts[i + 1]]`` with the frequencies ``freqs`` of the same slice;
    ``lengths`` are the documents' field lengths (None for the id field)."""

    terms: list[bytes]
    starts: np.ndarray
    docs: np.ndarray
    freqs: np.ndarray
    lengths: np.ndarray | None
    # where each pair occurs: term i's at ``positions[pos_starts[i]:pos_starts[i + 1]]``, by
    # posting (as many as its frequency, increasing), each the index in the text of the
    # pair's first character; none for a single character (None: not recorded)
    positions: np.ndarray | None = None
    pos_starts: np.ndarray | None = None


_NEWLINE = ord(SEP)
_ALL_CODES = 0x110000


def _invert(texts: list[str]) -> _Inverted:
    """Every character and every pair of neighbouring characters (none across `SEP`) of
    each text, with its documents and frequencies, the terms in UTF-8 byte order.

    Each occurrence becomes one integer key ``term · n + docnum``: sorting the keys and
    counting runs of equal ones gives every term's postings, in document order, with their
    frequencies. The characters are ranked in code point order; with ``k`` distinct
    characters, the pair (a, b) is term ``a·(k+1) + b + 1`` and the single character a is
    ``a·(k+1)``, so numeric order is the byte order of the UTF-8 terms (UTF-8 keeps code
    point order and no character's encoding is a prefix of another's).

    A pair's key also carries where it occurs (its first character's index in the text, in
    the key's low bits): the same sort then orders each posting's positions, kept for the
    pairs (`_Inverted.positions`). Without room for those bits (not with texts of this
    archive's size) no positions are recorded.
    """
    n = len(texts)
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    # the texts joined by SEP, so that no pair spans two documents
    codes = np.frombuffer(SEP.join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    is_char = codes != _NEWLINE
    present = np.zeros(_ALL_CODES, dtype=bool)
    present[codes] = True
    present[_NEWLINE] = False
    alphabet = np.flatnonzero(present).astype(np.uint32)
    rank_of = np.zeros(_ALL_CODES, dtype=np.uint32)
    rank_of[alphabet] = np.arange(alphabet.size, dtype=np.uint32)
    ranks = rank_of[codes]
    del codes, rank_of, present
    k1, ndocs = alphabet.size + 1, max(n, 1)
    if k1 * k1 * ndocs >= 2 ** 63:  # 2 million distinct characters in 2 million documents
        raise ValueError("too many distinct characters and documents for one segment")
    pos_bits = max(int(sizes.max()) if n else 0, 1).bit_length()
    if (k1 * k1 * ndocs) << pos_bits >= 2 ** 64:
        pos_bits = 0  # no room for the positions in the keys: none recorded
    line_start = np.cumsum(sizes + 1) - (sizes + 1)
    doc_of = np.repeat(np.arange(n, dtype=np.uint32), sizes + 1)[:ranks.size]
    is_pair = is_char[:-1] & is_char[1:]
    lengths = np.bincount(doc_of[is_char], minlength=n)
    lengths += np.bincount(doc_of[:-1][is_pair], minlength=n)
    # the keys made and sorted a range of first characters at a time (a term's keys all
    # fall in one range, the ranges in term order): an import's worker holds a few
    # million keys at once, not a batch's every occurrence (4 M characters: 70 MB)
    per_rank = np.bincount(ranks[is_char], minlength=k1)
    per_rank += np.bincount(ranks[:-1][is_pair], minlength=k1)
    total = int(per_rank.sum())
    passes = max(1, min(MAX_PASSES, -(-total // KEYS_PER_PASS)))
    cuts = np.searchsorted(np.cumsum(per_rank), np.arange(1, passes) * (total / passes),
                           side="right")
    edges = [0, *sorted(set(cuts.tolist()) - {0, k1}), k1]
    parts: list[tuple[np.ndarray, ...]] = []
    for lo, hi in pairwise(edges):
        in_range = (ranks >= lo) & (ranks < hi)
        parts.append(_invert_range(ranks, doc_of, is_char & in_range,
                                   is_pair & in_range[:-1], k1, ndocs, line_start, pos_bits))
    del ranks, doc_of, is_char, is_pair
    positions = pos_starts = None
    if pos_bits:
        positions = np.concatenate([p[4] for p in parts])
        pos_starts = np.concatenate(([0], np.cumsum(np.concatenate([p[5] for p in parts]))))
    docs = np.concatenate([p[0] for p in parts])
    freqs = np.concatenate([p[1] for p in parts])
    tids = np.concatenate([p[3] for p in parts])
    offsets = np.cumsum([0] + [p[0].size for p in parts])
    starts = np.concatenate([p[2] + offsets[k] for k, p in enumerate(parts)])
    del parts
    first = alphabet[(tids // np.uint64(k1)).astype(np.intp)].tolist()
    second = ((tids % np.uint64(k1)).astype(np.int64) - 1).tolist()  # -1: a single character
    chars = alphabet.tolist()
    terms = [(chr(a) + chr(chars[b]) if b >= 0 else chr(a)).encode("utf-8")
             for a, b in zip(first, second)]
    return _Inverted(terms, np.append(starts, docs.size), docs, freqs,
                     lengths[:n].astype(np.uint32), positions, pos_starts)


KEYS_PER_PASS = 3_000_000  # keys sorted at once by `_invert` (24 MB)...
MAX_PASSES = 2  # ...in at most this many passes (each pass looks at the whole text again:
# a rebuild's two halves of 30 volumes took 9 s longer in 12 passes)


def _invert_range(ranks: np.ndarray, doc_of: np.ndarray, chars: np.ndarray, pairs: np.ndarray,
                  k1: int, ndocs: int, line_start: np.ndarray, pos_bits: int
                  ) -> tuple[np.ndarray, ...]:
    """The postings of the characters at ``chars`` and the pairs starting at ``pairs``
    (masks over the text): (docs, frequencies, each term's first posting, term ids), and
    with ``pos_bits`` the pairs' positions (`_Inverted.positions`) and how many each term
    has."""
    n_chars = int(np.count_nonzero(chars))
    at = np.flatnonzero(pairs)  # where each pair starts in the joined texts
    keys = np.empty(n_chars + at.size, dtype=np.uint64)
    singles, doubles = keys[:n_chars], keys[n_chars:]
    np.multiply(ranks[chars], np.uint64(k1 * ndocs), out=singles)
    singles += doc_of[chars]
    pair_docs = doc_of[at]
    np.multiply(ranks[at], np.uint64(k1), out=doubles)
    doubles += ranks[at + 1]
    doubles += np.uint64(1)
    doubles *= np.uint64(ndocs)
    doubles += pair_docs
    if pos_bits:  # the place in the text below the (term, document) of each pair
        keys <<= np.uint64(pos_bits)
        doubles += (at - line_start[pair_docs]).astype(np.uint64)
    del singles, doubles, at, pair_docs
    keys.sort()
    low = None
    if pos_bits:
        low = (keys & np.uint64((1 << pos_bits) - 1)).astype(
            np.uint16 if pos_bits <= 16 else np.uint32)
        keys >>= np.uint64(pos_bits)
    if keys.size:
        firsts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        freqs = np.diff(np.append(firsts, keys.size)).astype(np.uint32)
        keys = keys[firsts]
    else:
        freqs = np.zeros(0, dtype=np.uint32)
    term_ids = keys // np.uint64(ndocs)
    docs = (keys - term_ids * np.uint64(ndocs)).astype(np.uint32)
    del keys
    starts = np.flatnonzero(np.concatenate(([True], term_ids[1:] != term_ids[:-1]))) \
        if term_ids.size else np.zeros(0, dtype=np.intp)
    if low is None:
        return docs, freqs, starts, term_ids[starts]
    is_pair = term_ids % np.uint64(k1) != 0  # per posting
    counts = np.add.reduceat(np.where(is_pair, freqs, 0).astype(np.int64), starts) \
        if starts.size else np.zeros(0, dtype=np.int64)
    return docs, freqs, starts, term_ids[starts], low[np.repeat(is_pair, freqs)], counts


def _ids_inverted(rids: list[str]) -> _Inverted:
    """The id field: each record's id with one posting, in byte order."""
    encoded = [rid.encode("utf-8") for rid in rids]
    order = sorted(range(len(rids)), key=encoded.__getitem__)
    return _Inverted([encoded[i] for i in order], np.arange(len(rids) + 1),
                     np.array(order, dtype=np.uint32), np.ones(len(rids), dtype=np.uint32), None)


# the fixed part of a term's entry in the term dictionary: W3TermInfo's "!BfIBBfII"
_TERMINFO = np.dtype([("inlined", "u1"), ("weight", ">f4"), ("df", ">u4"), ("minlen", "u1"),
                      ("maxlen", "u1"), ("maxweight", ">f4"), ("minid", ">u4"),
                      ("maxid", ">u4")])
_LENGTH_BOUNDS = np.array(_length_byte_cache, dtype=np.int64)
_MAGIC = b"W3Bl"  # the W3 postings header before a term's first block
_FLUSH = 1 << 20


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Whoosh's ``length_to_byte`` for an array of lengths."""
    out = np.searchsorted(_LENGTH_BOUNDS, lengths, side="left")
    out[lengths >= 106374] = 255
    return out.astype(np.uint8)


def _write_postings(fw, name: str, fobj, inv: _Inverted, block_limit: int,  # type: ignore[no-untyped-def]
                    compression: int) -> None:
    """A field's postings and term dictionary entries, byte for byte what W3's postings
    writer makes of the same postings (frequencies as weights, no values).

    Per-term statistics come from array reductions; a term with fewer than `INLINE_LIMIT`
    postings (and at most ``block_limit``) is inlined in its dictionary entry, a longer one is
    written in blocks of ``block_limit`` (each pickled and compressed, as the format wants).
    """
    fw.start_field(name, fobj)
    nterms = len(inv.terms)
    if nterms:
        heads, ends = inv.starts[:-1], inv.starts[1:]
        info = np.zeros(nterms, dtype=_TERMINFO)
        # inlined: fewer than INLINE_LIMIT postings that fit in one block
        info["inlined"] = (ends - heads) < min(INLINE_LIMIT, block_limit + 1)
        info["weight"] = np.add.reduceat(inv.freqs.astype(np.float64), heads)
        info["df"] = ends - heads
        info["maxweight"] = np.maximum.reduceat(inv.freqs, heads)
        info["minid"] = inv.docs[heads]
        info["maxid"] = inv.docs[ends - 1]
        if inv.lengths is not None:
            doc_lengths = inv.lengths[inv.docs]
            info["minlen"] = _length_bytes(np.minimum.reduceat(doc_lengths, heads))
            info["maxlen"] = _length_bytes(np.maximum.reduceat(doc_lengths, heads))
        else:  # no lengths: Whoosh's None and 0
            doc_lengths = None
            info["maxlen"] = _length_bytes(np.zeros(1, dtype=np.int64))[0]
        inline_below = min(INLINE_LIMIT, block_limit + 1)
        # the blocks of the terms not inlined, and what each block's header says
        long_terms = np.flatnonzero(~info["inlined"].astype(bool))
        per_term = -(-(ends - heads)[long_terms] // block_limit)
        firsts = np.repeat(heads[long_terms], per_term) + block_limit * (
            np.arange(per_term.sum()) - np.repeat(np.cumsum(per_term) - per_term, per_term))
        lasts = np.minimum(firsts + block_limit, np.repeat(ends[long_terms], per_term))
        if firsts.size:
            low_w, high_w = _block_range(inv.freqs, firsts, lasts)
            if doc_lengths is not None:
                low_l, high_l = map(_length_bytes, _block_range(doc_lengths, firsts, lasts))
            else:
                low_l = np.zeros(firsts.size, dtype=np.uint8)
                high_l = np.full(firsts.size, _length_bytes(np.zeros(1, dtype=np.int64))[0])
            blocks = list(zip(firsts.tolist(), lasts.tolist(), low_w.tolist(), high_w.tolist(),
                              low_l.tolist(), high_l.tolist(), inv.docs[lasts - 1].tolist()))
        else:
            blocks = []
        _write_terms(fw, inv, info.tobytes(), heads.tolist(), ends.tolist(), inline_below,
                     blocks, compression)
    fw.finish_field()


def _block_range(values: np.ndarray, firsts: np.ndarray, lasts: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The least and the greatest of ``values[first:last]`` for each block (blocks need not
    be adjacent: inlined terms' postings lie between them)."""
    bounds = np.empty(firsts.size * 2, dtype=np.intp)
    bounds[0::2], bounds[1::2] = firsts, lasts
    padded = np.append(values, values[:1])  # reduceat wants every bound inside the array
    return (np.minimum.reduceat(padded, bounds)[0::2], np.maximum.reduceat(padded, bounds)[0::2])


def _write_terms(fw, inv: _Inverted, fixed: bytes, heads: list[int], ends: list[int],  # type: ignore[no-untyped-def]
                 inline_below: int, blocks: list[tuple[int, ...]], compression: int) -> None:
    size = _TERMINFO.itemsize
    prefix = pack_ushort(fw._fieldid)
    add_term = fw._tindex.add
    postfile = fw._postfile
    offset = postfile.tell()
    pending: list[bytes] = []
    pending_size = 0
    # arrays sliced per term or block (lists of the whole would take more memory than all
    # the rest of the writer); the weights and id deltas in 4 bytes each (exact: frequencies
    # below 2**24, document numbers below 2**31), not 8 (40 MB each for 4 M characters)
    docs = inv.docs
    small = not inv.freqs.size or int(inv.freqs.max()) < 1 << 24
    weights = inv.freqs.astype(np.float32 if small else np.float64)
    deltas = np.diff(docs.view(np.int32), prepend=np.int32(0))
    next_block = iter(blocks).__next__
    for i, (term, start, end) in enumerate(zip(inv.terms, heads, ends)):
        entry = fixed[i * size:(i + 1) * size]
        if end - start < inline_below:
            entry += dumps((tuple(docs[start:end].tolist()), tuple(weights[start:end].tolist()),
                            (b"",) * (end - start)), 2)
        else:
            term_offset = offset
            pending.append(_MAGIC)
            offset += len(_MAGIC)
            b1 = start
            while b1 < end:
                b0, b1, low_w, high_w, low_l, high_l, last_id = next_block()
                ids = deltas[b0:b1].tolist()
                ids[0] = int(docs[b0])  # a block's first id is absolute
                mini_w: float | tuple[Any, ...] | None
                if high_w == 1:
                    mini_w = None
                elif low_w == high_w:
                    mini_w = float(low_w)
                else:
                    mini_w = tuple(weights[b0:b1].tolist())
                data = dumps((tuple(ids), mini_w, None), 2)
                if compression:
                    data = zlib.compress(data, compression)
                head = dumps((b1 - b0, last_id, high_w, compression, low_l, high_l), 2)
                blocklength = len(head) + len(data)
                pending += (pack_int(-blocklength if b1 == end else blocklength), head, data)
                offset += 4 + blocklength
                pending_size += 4 + blocklength
            entry += pack_long(term_offset) + pack_int(offset - term_offset)
            if pending_size > _FLUSH:
                postfile.write(b"".join(pending))
                pending.clear()
                pending_size = 0
        add_term(prefix + term, entry)
    if pending:
        postfile.write(b"".join(pending))


def read_postings(reader, field: str, term: str) -> tuple[array, array]:  # type: ignore[no-untyped-def]
    """All (docnums, frequencies) of a term over every segment, a block at a time.

    Deleted documents are included; the caller filters them.
    """
    ids = array("I")
    weights = array("f")
    for leaf, offset in reader.leaf_readers():
        read_leaf_postings(leaf, offset, field, term, ids, weights)
    return ids, weights


def read_leaf_postings(leaf, offset: int, field: str, term: str,  # type: ignore[no-untyped-def]
                       ids: array, weights: array) -> None:
    """One segment's (docnums + ``offset``, frequencies) of a term, appended to the arrays,
    through Whoosh (a segment without posting arrays)."""
    tbytes = term.encode("utf-8")
    if (field, tbytes) not in leaf:
        return
    matcher = leaf.postings(field, tbytes)
    while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
        matcher = matcher.child  # past the wrapper that hides deleted documents
    if hasattr(matcher, "_read_data") and hasattr(matcher, "_next_block") \
            and not matcher._byteids:
        while not matcher._atend:
            # a block is (delta-encoded ids, weights, values); decode it in C
            matcher._read_data()
            deltas, block_weights, _ = matcher._data
            start = len(ids)
            # running sums from the segment's first document number, without that start
            ids.extend(islice(accumulate(deltas, initial=offset), 1, None))
            count = len(ids) - start
            if block_weights is None:
                weights.extend(repeat(1.0, count))
            elif isinstance(block_weights, float | int):
                weights.extend(repeat(float(block_weights), count))
            else:
                weights.extend(block_weights)
            if matcher._lastblock:
                break
            matcher._next_block()
    else:  # inlined postings or another matcher: the generic interface
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            weights.append(matcher.weight())
            matcher.next()
