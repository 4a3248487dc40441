"""The batch index writer and block reader work at Whoosh's extension points; these tests
hold them to Whoosh's own behaviour (whoosh-reloaded is pinned exactly)."""

from __future__ import annotations

import random

import pytest
from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.search import grams
from sipviewer.search.records import make_record


@pytest.fixture(autouse=True)
def _stock_whoosh_reads(monkeypatch):
    """These tests compare with stock Whoosh, which reads its own pickled files back."""
    from tests.safety_helpers import stock_whoosh_pickles

    stock_whoosh_pickles(monkeypatch)


@pytest.fixture(scope="module")
def records():
    vol = generate_volume(21, target_chars=60000)
    doc = parse_text(vol.text)
    out = []
    for a in doc.articles:
        out.append(make_record(f"a:{len(out)}", "article", 1, a.title, list(a.paragraphs),
                               [a.attribution], None, None))
        for p in a.photos:
            out.append(make_record(f"p:{len(out)}", "photo", 1, p.caption, [p.credit or ""],
                                   [p.credit], None, None))
    return out


SMALL_BLOCKS = 8  # so that long posting lists span many blocks in a small test


def _stock(path, records):
    path.mkdir()
    ix = windex.create_in(str(path), grams.make_schema(), indexname=grams.INDEX_NAME)
    w = ix.writer()
    for r in records:
        w.add_document(rid=r.rid, grams=r.norm_text, tgrams=r.norm_title)
    w.commit()
    return ix


def _batch(path, records):
    grams.write_index(path, ((r.rid, r.norm_text, r.norm_title) for r in records),
                      block_limit=SMALL_BLOCKS)
    return FileStorage(str(path)).open_index(grams.INDEX_NAME)


def _dump(reader, fieldname):
    out = {}
    for term in reader.lexicon(fieldname):
        m = reader.postings(fieldname, term)
        items = []
        while m.is_active():
            items.append((m.id(), m.weight()))
            m.next()
        out[term] = (items, reader.doc_frequency(fieldname, term), reader.frequency(fieldname, term))
    return out


def test_batch_index_reads_back_like_the_stock_one(tmp_path, records):
    a = _batch(tmp_path / "batch", records)
    b = _stock(tmp_path / "stock", records)
    ra, rb = a.reader(), b.reader()
    assert ra.doc_count() == rb.doc_count() == len(records)
    long_lists = [t for t in ra.lexicon("grams") if ra.doc_frequency("grams", t) > 3 * SMALL_BLOCKS]
    inlined = [t for t in ra.lexicon("grams") if ra.doc_frequency("grams", t) < grams.INLINE_LIMIT]
    assert long_lists and inlined
    for fieldname in ("grams", "tgrams", "rid"):
        assert _dump(ra, fieldname) == _dump(rb, fieldname), fieldname
        for d in range(len(records)):
            assert ra.doc_field_length(d, fieldname) == rb.doc_field_length(d, fieldname)
        assert ra.field_length(fieldname) == rb.field_length(fieldname)
    assert list(ra.all_stored_fields()) == list(rb.all_stored_fields())
    # Whoosh's own searcher scores the same way on both
    from whoosh.query import Term

    with a.searcher() as sa, b.searcher() as sb:
        for t in ["园", "园区", "苏州"]:
            ha = [(h.docnum, round(h.score, 4)) for h in sa.search(Term("grams", t), limit=None)]
            hb = [(h.docnum, round(h.score, 4)) for h in sb.search(Term("grams", t), limit=None)]
            assert ha == hb


def test_block_reader_matches_the_matcher(tmp_path, records):
    ix = _batch(tmp_path / "batch", records)
    reader = ix.reader()
    for term in ["园", "区", "园区", "。", "会", "苏州"]:
        ids, weights = grams.read_postings(reader, "grams", term)
        m = reader.postings("grams", term)
        assert list(zip(ids, weights)) == list(zip(m.all_ids(), [w for w in _weights(reader, term)]))


def _weights(reader, term):
    m = reader.postings("grams", term)
    while m.is_active():
        yield m.weight()
        m.next()


def test_stock_edits_on_a_batch_index_stay_correct(tmp_path, records):
    ix = _batch(tmp_path / "batch", records)
    current = {r.rid: r for r in records}
    rng = random.Random(3)
    spare = [make_record(f"x:{k}", "photo", 1, f"新增照片{k}号", ["园区新闻中心"], [], None, None)
             for k in range(30)]
    for round_ in range(4):
        w = ix.writer()
        for rid in rng.sample(sorted(current), 5):  # delete
            w.delete_by_term("rid", rid)
            del current[rid]
        for rid in rng.sample(sorted(current), 5):  # update
            old = current[rid]
            new = make_record(rid, old.kind, 1, old.norm_title + "改", ["修订说明"], [], None, None)
            w.update_document(rid=rid, grams=new.norm_text, tgrams=new.norm_title)
            current[rid] = new
        for rec in spare[round_ * 5:(round_ + 1) * 5]:  # add
            w.add_document(rid=rec.rid, grams=rec.norm_text, tgrams=rec.norm_title)
            current[rec.rid] = rec
        w.commit(merge=False)
        # large segments are written in a worker process: both ways give the same index
        grams.append_segment(ix, [(r.rid, r.norm_text, r.norm_title)
                                  for r in spare[20 + round_:21 + round_]],
                             separate_process=round_ % 2 == 1)
        for r in spare[20 + round_:21 + round_]:
            current[r.rid] = r
        _check_against_truth(ix, current)
    ix.optimize()
    _check_against_truth(ix, current)


def _check_against_truth(ix, current):
    with ix.reader() as reader:
        rid_of = {d: f["rid"] for d, f in reader.iter_docs()}
        assert sorted(rid_of.values()) == sorted(current)
        for term in ["园", "园区", "改", "修订", "新增", "号"]:
            ids, weights = grams.read_postings(reader, "grams", term)
            got = {rid_of[d]: w for d, w in zip(ids, weights) if d in rid_of}
            want = {rid: grams.gram_counts(r.norm_text)[term] for rid, r in current.items()
                    if term in r.norm_text}
            assert got == want, term


def test_parallel_build_shares_the_text_evenly():
    # long articles first, then short captions: as the database gives them
    raws = [(f"a:{k}", "article", 1, "标题", ["长" * (5000 - k)], [], None, None)
            for k in range(40)]
    raws += [(f"p:{k}", "photo", 1, "图片说明", ["短"], [], None, None) for k in range(400)]
    parts = grams._balanced_parts(raws, 2)
    assert sorted(r[0] for part in parts for r in part) == sorted(r[0] for r in raws)
    loads = [sum(len(r[3]) + sum(map(len, r[4])) for r in part) for part in parts]
    assert max(loads) - min(loads) <= 5000  # within one record of each other
    for part in parts:  # each share keeps the database order
        assert part == sorted(part, key=raws.index)
    assert grams._balanced_parts([], 2) == [[]]
