"""The index writer as it was before the numpy inversion: a pure-Python inversion whose
postings go through Whoosh's own W3 postings writer. Kept only as the reference the
numpy writer must match byte for byte (tests/test_grams_numpy.py)."""

# ruff: noqa
from __future__ import annotations

import operator
from array import array
from collections import defaultdict, deque
from functools import partial
from itertools import chain, repeat

from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.system import pack_ushort

from sipviewer.search.grams import INDEX_NAME, INLINE_LIMIT, char_counts, pair_counts


def write_segment_reference(storage, schema, records, block_limit, compression=3):
    return _write_segment(storage, schema, records, None, block_limit, compression)


def _write_segment(storage, schema, records, progress, block_limit, compression):
    codec = W3Codec(blocklimit=block_limit, compression=compression)
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


