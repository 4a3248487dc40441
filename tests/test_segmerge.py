"""Segments merged from their posting arrays (search/segmerge.py) against the same live
records inverted from their texts: byte for byte the same files. Records made from the
real sample and real generated volumes; real Whoosh segments, real archives."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from sipviewer.core.archive import Archive
from sipviewer.ingest.parser import parse_file, parse_text
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.search import grams, postarrays, segmerge
from tests.test_grams_numpy import _records as _triples
from tests.test_import_pipeline import _volumes

Triple = tuple[str, str, str]


@pytest.fixture(scope="module")
def parts(sample_path) -> list[list[Triple]]:
    """The sample's records, two generated volumes' and a few edge cases, apart."""
    edge = [("x:1", "", ""), ("x:2", "\n\n", ""), ("x:3", "a", "a"),
            ("x:4", "𠀀𠀁\n𠀀", "𠀀"), ("x:5", "园" * 40, "园园")]
    return [_triples(parse_file(sample_path), "s"),
            _triples(parse_text(generate_volume(71, target_chars=60_000).text), "g"),
            edge,
            _triples(parse_text(generate_volume(72, target_chars=40_000).text), "h")]


def _files(folder: Path, segment) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """A segment's files by name without its (random) id."""
    sid = segment.segment_id()
    return {f.name.replace(sid, "ID"): f.read_bytes() for f in folder.iterdir()
            if f.name.startswith(sid)}


def _write(folder: Path, triples: list[Triple]):  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    segment, _ = grams.write_segment(FileStorage(str(folder)), grams.make_schema(), triples,
                                     postings=False)
    return segment


def _source(folder: Path, segment, live=None) -> segmerge.ArraySource:  # type: ignore[no-untyped-def]
    n = segment.doc_count_all()
    return segmerge.ArraySource(folder / postarrays.file_name(segment.segment_id()), n,
                                list(range(n)) if live is None else live)


def test_merged_arrays_equal_the_records_inverted_again(tmp_path, parts):
    sources = []
    for k, triples in enumerate(parts):
        sources.append(_source(tmp_path / f"s{k}", _write(tmp_path / f"s{k}", triples)))
    everything = [t for triples in parts for t in triples]
    (tmp_path / "merged").mkdir()
    merged = segmerge.merge(tmp_path / "merged", sources, [rid for rid, _, _ in everything])
    scratch = _write(tmp_path / "scratch", everything)
    ours, theirs = _files(tmp_path / "merged", merged), _files(tmp_path / "scratch", scratch)
    assert set(ours) == set(theirs) and any(name.endswith(".arr") for name in ours)
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert merged.doc_count_all() == scratch.doc_count_all() == len(everything)
    assert merged._fieldlengths == scratch._fieldlengths


def test_deleted_documents_are_dropped_and_a_segment_without_arrays_inverted(tmp_path, parts):
    """Sources with deleted documents (every third, or all but one) and one given as texts
    (a segment of Whoosh's writer): the merge equals inverting the records left."""
    first, second, edge, last = parts
    live_first = [d for d in range(len(first)) if d % 3]
    live_last = [len(last) // 2]
    sources = [_source(tmp_path / "a", _write(tmp_path / "a", first), live_first),
               segmerge.TextSource([rid for rid, _, _ in edge],
                                   [(text, title) for _, text, title in edge]),
               _source(tmp_path / "b", _write(tmp_path / "b", second)),
               _source(tmp_path / "c", _write(tmp_path / "c", last), live_last)]
    kept = [first[d] for d in live_first] + edge + second + [last[d] for d in live_last]
    (tmp_path / "merged").mkdir()
    merged = segmerge.merge(tmp_path / "merged", sources, [rid for rid, _, _ in kept])
    scratch = _write(tmp_path / "scratch", kept)
    assert _files(tmp_path / "merged", merged) == _files(tmp_path / "scratch", scratch)


def test_damaged_arrays_are_refused(tmp_path, parts):
    """A posting list out of order in a source: `ValueError`, nothing written (the index
    then inverts the texts instead)."""
    segment = _write(tmp_path / "a", parts[1])
    path = tmp_path / "a" / postarrays.file_name(segment.segment_id())
    pa = postarrays.PostingArrays(path, segment.doc_count_all())
    f = pa.fields["grams"]
    at, width, n = f.docs_at, f.doc_type.itemsize, f.postings
    pa.close()
    data = bytearray(path.read_bytes())
    data[at:at + n * width] = bytes(data[at:at + n * width])[::-1]
    path.write_bytes(bytes(data))
    (tmp_path / "merged").mkdir()
    with pytest.raises(ValueError):
        segmerge.merge(tmp_path / "merged", [_source(tmp_path / "a", segment)],
                       [rid for rid, _, _ in parts[1]])
    assert list((tmp_path / "merged").iterdir()) == []


def test_an_archive_grown_one_by_one_holds_what_inverting_its_records_gives(tmp_path,
                                                                            monkeypatch):
    """Volumes imported one by one past the segment limit, one volume replaced and a
    caption edited on the way (merge sources with deleted documents, and a segment of
    Whoosh's writer): every segment's files are those of its records inverted from their
    texts, and searches find what a scan finds."""
    from sipviewer.search import index as index_mod

    monkeypatch.setattr(index_mod, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)  # volumes indexed by the workers
    merges: list[list[object]] = []
    sources_of = index_mod.SearchIndex._merge_sources

    def recorded(self, small):  # type: ignore[no-untyped-def]
        merges.append(sources_of(self, small))
        return merges[-1]

    monkeypatch.setattr(index_mod.SearchIndex, "_merge_sources", recorded)
    files = _volumes(tmp_path, 10, first_seed=300)
    with Archive.open(tmp_path / "arc") as arc:
        for f in files[:4]:
            arc.import_files([f])
        changed = files[1].read_text(encoding="utf-8").replace("园区", "园区 ", 1)
        files[1].write_text(changed, encoding="utf-8")
        arc.import_files([files[1]], replace=True)
        arc.update_photo(arc.photo_ids()[0], caption="一张改过说明的照片")  # Whoosh's writer
        for f in files[4:]:
            arc.import_files([f])
        index = arc.index
        sources = [s for merge in merges for s in merge]
        assert any(isinstance(s, segmerge.TextSource) for s in sources)
        assert any(isinstance(s, segmerge.ArraySource) and len(s.live) < s.doc_count
                   for s in sources)
        store = index.store
        checked = 0
        for seg in index._ix._read_toc().segments:
            sid = seg.segment_id()
            if seg.has_deletions() or not (index.path / postarrays.file_name(sid)).exists():
                continue  # (not written by the batch writer or the merge)
            records = [(r, store[r].norm_text, store[r].norm_title) for r in index.segmap[sid]]
            again = _write(tmp_path / "again" / sid, records)
            assert _files(index.path, seg) == _files(tmp_path / "again" / sid, again)
            checked += 1
        assert checked >= 2
        # every segment merged here, in this process (no way round the arrays: inverting
        # the texts instead fails), equals all the live records inverted
        monkeypatch.setattr(index_mod, "_compact_job", None)
        monkeypatch.setattr(index_mod, "MAX_SEGMENTS", 100)  # (this edit merges nothing)
        arc.update_photo(arc.photo_ids()[-1], caption="又一张改过说明的照片")
        store = index.store
        every = {seg.segment_id() for seg in index._ix._read_toc().segments}
        live = index._live_rids(every)
        assert len(live) == len(store) and any(seg.has_deletions()
                                               for seg in index._ix._read_toc().segments)
        (tmp_path / "all").mkdir()
        whole = index_mod._merge_job(str(tmp_path / "all"), store.tag, index._log_size,
                                     index._merge_sources(every), live, index.generation)
        again = _write(tmp_path / "again-all", [(r, store[r].norm_text, store[r].norm_title)
                                                for r in live])
        assert _files(tmp_path / "all", whole) == _files(tmp_path / "again-all", again)
        texts = [r.norm_text for r in store.values()]
        for q in ("园区", "发展", "苏州工业园区", "改过说明", "2003"):
            assert arc.search(q, limit=0).total == sum(q in t for t in texts), q
        assert arc.check().problems == ()


def test_a_merge_of_damaged_arrays_inverts_the_texts_instead(tmp_path):
    """In the worker's job: a source whose arrays are damaged (a posting list out of order)
    makes the merge invert the records' texts, read from the store: the same segment."""
    import shutil

    from sipviewer.search import index as index_mod

    files = _volumes(tmp_path, 2, first_seed=300)
    with Archive.open(tmp_path / "arc") as arc:
        for f in files:
            arc.import_files([f])
        index = arc.index
        every = {seg.segment_id() for seg in index._ix._read_toc().segments}
        live = index._live_rids(every)
        sources = index._merge_sources(every)
        store, log_size, generation = index.store, index._log_size, index.generation
        records = [(r, store[r].norm_text, store[r].norm_title) for r in live]
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "arc" / "index", copy)
    first = next(s for s in sources if isinstance(s, segmerge.ArraySource))
    damaged = copy / first.path.name
    pa = postarrays.PostingArrays(damaged, first.doc_count)
    f = pa.fields["grams"]
    at, size = f.docs_at, f.postings * f.doc_type.itemsize
    pa.close()
    data = bytearray(damaged.read_bytes())
    data[at:at + size] = bytes(data[at:at + size])[::-1]
    damaged.write_bytes(bytes(data))
    moved = [segmerge.ArraySource(copy / s.path.name, s.doc_count, s.live)
             if isinstance(s, segmerge.ArraySource) else s for s in sources]
    with pytest.raises(ValueError):
        segmerge.merge(copy, moved, live)
    merged = index_mod._merge_job(str(copy), store.tag, log_size, moved, live, generation)
    again = _write(tmp_path / "again", records)
    assert _files(copy, merged) == _files(tmp_path / "again", again)


def test_ranges_are_the_plain_expansion():
    """`_ranges` gives what listing each run gives, with indices past 32 bits too (the
    runs in any order, empty ones among them)."""
    import numpy as np

    from sipviewer.search import segmerge

    for begins, lengths in [([5, 0, 9, 3], [2, 0, 3, 1]), ([2**31 + 5, 3, 2**31 - 2], [2, 2, 3]),
                            ([7], [0])]:
        expected = [b + k for b, n in zip(begins, lengths) for k in range(n)]
        got = segmerge._ranges(np.array(begins, dtype=np.int64),
                               np.array(lengths, dtype=np.int64))
        assert got.tolist() == expected
