"""The Whoosh side of search: a position-free character and character-pair field, a batch
index writer, and a fast postings reader.

Every normalised record text is indexed as its single characters and its overlapping
character pairs, with document frequencies only (no positions). A 1-character query is one
unigram posting list and a 2-character query one pair list, both exact; a longer query is the
AND of its pairs, a superset that `SearchIndex` then verifies against the texts in memory.

Whoosh is pure Python and frozen (``whoosh-reloaded==2.7.5`` is pinned exactly): the batch
writer below inverts a whole build in memory and writes postings blocks through the W3
codec's own postings writer, and `read_postings` reads whole blocks at a time. Both use
codec internals; tests check that an index written this way reads back identically through
Whoosh's stock reader and stays correct after stock-writer edits.
"""

from __future__ import annotations

import operator
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from functools import partial
from itertools import accumulate, chain, islice, repeat
from pathlib import Path

from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.system import pack_ushort

from sipviewer.model.gcpause import collector_paused
from sipviewer.search.normalize import SEP

INDEX_NAME = "MAIN"
BLOCK_LIMIT = 512
INLINE_LIMIT = 16  # posting lists shorter than this live in the term dictionary


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
    segment, count = write_index_segment(path, records, progress, block_limit)
    TOC(make_schema(), [segment], 1).write(FileStorage(str(path)), INDEX_NAME)
    return count


def write_index_segment(path: Path, records: Iterable[tuple[str, str, str]],
                        progress: Callable[[int], None] | None = None,
                        block_limit: int = BLOCK_LIMIT):  # type: ignore[no-untyped-def]
    """One segment in ``path`` without a Whoosh table of contents (the archive keeps its
    own, see `safewhoosh`); (segment, count)."""
    path.mkdir(parents=True, exist_ok=True)
    return write_segment(FileStorage(str(path)), make_schema(), records, progress, block_limit)


def build_part(path: str, raws: list) -> tuple:  # type: ignore[type-arg]
    """One worker's share of a build: normalise raw records and write them as a segment.

    Runs in a separate process (module-level so it can be pickled). Returns the segment and
    the normalised records.
    """
    from sipviewer.search.records import make_records

    records = make_records(raws)
    storage = FileStorage(path)
    segment, _ = write_segment(storage, make_schema(),
                               ((r.rid, r.norm_text, r.norm_title) for r in records))
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


def write_index_parallel(path: Path, raws: list, workers: int = 2) -> tuple[list, list, list]:  # type: ignore[type-arg]
    """Build a new index from raw records in ``workers`` processes at once, one segment each.

    Returns (the segments' rid lists in order, all normalised records in the same order, the
    segments). No Whoosh table of contents is written (the archive keeps its own).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    path.mkdir(parents=True, exist_ok=True)
    parts = _balanced_parts(raws, workers)
    context = multiprocessing.get_context("spawn")  # safe from a program with threads (Qt)
    with ProcessPoolExecutor(max_workers=len(parts) - 1 or 1, mp_context=context) as pool:
        futures = [pool.submit(build_part, str(path), part) for part in parts[1:]]
        results = [build_part(str(path), parts[0])]  # this process does the first share
        results += [f.result() for f in futures]
    segments = [seg for seg, _ in results]
    return ([[r.rid for r in recs] for _, recs in results],
            [r for _, recs in results for r in recs], segments)


PROCESS_MIN_CHARS = 200_000


def _segment_job(path: str, records: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    """Write one segment in a worker process (module-level so it can be pickled)."""
    segment, _ = write_segment(FileStorage(path), make_schema(), records)
    return segment


def append_segment(ix, records: Iterable[tuple[str, str, str]],  # type: ignore[no-untyped-def]
                   separate_process: bool | None = None) -> int:
    """Add documents to an open index as one new segment written by the batch writer.

    A large segment (by default: over `PROCESS_MIN_CHARS` of text, about a third of a second
    of work) is written in a separate process: the inversion makes the writing thread release
    and retake the interpreter lock so often (file writes, compression) that CPython's lock
    hand-over starves other threads — the viewer's GUI thread stalled for hundreds of
    milliseconds while a volume was indexed in the background.
    The caller holds the only write access (the archive's writer lock).
    """
    toc = ix._read_toc()
    triples = list(records)
    if separate_process is None:
        separate_process = sum(len(text) for _, text, _ in triples) >= PROCESS_MIN_CHARS
    if separate_process:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # safe from a program with threads
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            segment = pool.submit(_segment_job, ix.storage.folder, triples).result()
    else:
        segment, _ = write_segment(ix.storage, toc.schema, triples)
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
                  block_limit: int = BLOCK_LIMIT):
    """Invert the records in memory and write them as one new segment; (segment, count).

    The cyclic garbage collector is paused meanwhile: the inversion makes millions of
    small objects and none of them in cycles, and each full collection would walk them all.
    """
    with collector_paused():
        return _write_segment(storage, schema, records, progress, block_limit)


def _write_segment(storage, schema, records, progress, block_limit):  # type: ignore[no-untyped-def]
    codec = W3Codec(blocklimit=block_limit)
    segment = codec.new_segment(storage, INDEX_NAME)
    perdoc = codec.per_document_writer(storage, segment)
    # per field: term -> docnums, and term -> frequencies (parallel arrays)
    inv_ids: dict[str, defaultdict[str, array]] = {
        "grams": defaultdict(_new_ids), "tgrams": defaultdict(_new_ids)}
    inv_freqs: dict[str, defaultdict[str, array]] = {
        "grams": defaultdict(_new_ids), "tgrams": defaultdict(_new_ids)}
    lengths: dict[str, array] = {"grams": array("I"), "tgrams": array("I")}
    rids: list[str] = []
    rid_field, grams_field, tgrams_field = schema["rid"], schema["grams"], schema["tgrams"]
    docnum = 0
    for docnum, (rid, text, title) in enumerate(records):
        perdoc.start_doc(docnum)
        for name, value, fobj in (("grams", text, grams_field), ("tgrams", title, tgrams_field)):
            ids_of, freqs_of = inv_ids[name].__getitem__, inv_freqs[name].__getitem__
            length = 0
            for counts in (char_counts(value), pair_counts(value)):
                freqs = counts.values()
                length += sum(freqs)
                # C-level loops: append the docnum and the frequency to each term's postings
                _consume(map(_append, map(ids_of, counts), repeat(docnum, len(counts))))
                _consume(map(_append, map(freqs_of, counts), freqs))
            lengths[name].append(length)
            perdoc.add_field(name, fobj, None, length)
        perdoc.add_field("rid", rid_field, rid, 0)
        perdoc.finish_doc()
        rids.append(rid)
        if progress is not None and docnum % 500 == 0:
            progress(docnum)
    count = len(rids)
    perdoc.close()
    fieldwriter = codec.field_writer(storage, segment)
    # fields in name order, terms in byte order, as Whoosh's own writer does
    _write_field(fieldwriter, "grams", grams_field, inv_ids.pop("grams"), inv_freqs.pop("grams"),
                 lengths["grams"], block_limit)
    rid_ids = {rid: array("I", [d]) for d, rid in enumerate(rids)}
    _write_field(fieldwriter, "rid", rid_field, rid_ids, {rid: array("I", [1]) for rid in rids},
                 None, block_limit)
    _write_field(fieldwriter, "tgrams", tgrams_field, inv_ids.pop("tgrams"),
                 inv_freqs.pop("tgrams"), lengths["tgrams"], block_limit)
    fieldwriter.close()
    segment.set_doc_count(count)
    return segment, count


def _new_ids() -> array:
    return array("I")


_append = array.append
_consume = deque(maxlen=0).extend


def _delta_encoded(ids: array) -> tuple[int, ...]:
    """What Whoosh's ``delta_encode`` gives, in one C-level pass."""
    return tuple(map(operator.sub, ids, chain((0,), ids)))


def _write_field(fw, name: str, fobj, terms: dict[str, array],  # type: ignore[no-untyped-def]
                 term_freqs: dict[str, array], lengths: array | None,
                 block_limit: int) -> None:
    fw.start_field(name, fobj)
    pw = fw._postwriter
    length_of = lengths.__getitem__ if lengths is not None else None
    for term in sorted(terms, key=lambda t: t.encode("utf-8")):
        all_ids = terms[term]
        all_freqs = term_freqs[term]
        tbytes = term.encode("utf-8")
        fw.start_term(tbytes)
        n = len(all_ids)
        last_start = ((n - 1) // block_limit) * block_limit
        for start in range(0, n, block_limit):
            ids = all_ids[start:start + block_limit]
            freqs = all_freqs[start:start + block_limit]
            pw._ids = ids
            pw._weights = array("f", freqs)
            pw._values = []
            pw._mini_ids = partial(_delta_encoded, ids)
            pw._maxweight = max(freqs)
            if length_of is not None:
                lens = list(map(length_of, ids))
                pw._minlength, pw._maxlength = min(lens), max(lens)
            else:
                pw._minlength, pw._maxlength = None, 0
            if start != last_start:
                pw._write_block()
        if n < INLINE_LIMIT and not pw.written():
            terminfo: W3TermInfo = pw._terminfo
            terminfo.add_block(pw)
            # empty bytes per posting: Whoosh's ListMatcher returns '' (a str) when there are
            # no values, which its own merge then rejects
            terminfo.set_inlined(pw._ids, pw._weights, (b"",) * len(pw._ids))
            pw._terminfo = None
            fw._tindex.add(pack_ushort(fw._fieldid) + tbytes, terminfo.to_bytes())
        else:
            fw.finish_term()
    pw.__dict__.pop("_mini_ids", None)
    fw.finish_field()


def read_postings(reader, field: str, term: str) -> tuple[array, array]:  # type: ignore[no-untyped-def]
    """All (docnums, frequencies) of a term over every segment, a block at a time.

    Deleted documents are included; the caller filters them.
    """
    ids = array("I")
    weights = array("f")
    tbytes = term.encode("utf-8")
    for leaf, offset in reader.leaf_readers():
        if (field, tbytes) not in leaf:
            continue
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
    return ids, weights
