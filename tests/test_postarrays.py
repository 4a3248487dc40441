"""Posting arrays (search/postarrays.py): the postings numpy reads beside Whoosh's files.

Checked against what we did not write: Whoosh's own reading of the same segments, and a
plain substring scan of the normalised texts (the sample and a generated volume). Damaged
files (cut short, garbage of the same size, a posting list out of order) are found and the
index rebuilt, never searched; a kiosk reads them from read-only media.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from sipviewer.core.archive import Archive
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.search import postarrays
from sipviewer.search.index import Filters, _Snapshot
from sipviewer.search.query import parse_query
from tests.safety_helpers import can_mount, mount_tmpfs, remount_read_only, unmount


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_path):
    """The sample and a generated volume, written by the batch writer (posting arrays)."""
    folder = tmp_path_factory.mktemp("pa") / "arc"
    vol = tmp_path_factory.mktemp("vol") / "generated-2005.txt"
    vol.write_text(generate_volume(5, target_chars=150_000, edition_year=2005).text,
                   encoding="utf-8")
    with Archive.open(folder) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        arc.import_files([vol])  # a segment per volume: document numbers offset
    return folder


def _whoosh_view(index, folder: Path) -> _Snapshot:
    """The index's records, in its document order, written by the pure-Python writer
    through Whoosh's own postings writer (tests/reference_grams.py) and read back through
    Whoosh: the archive's own segments keep these fields' postings only in the arrays."""
    from whoosh.filedb.filestore import FileStorage

    from sipviewer.search import grams
    from sipviewer.search.safewhoosh import SafeIndex
    from tests.reference_grams import write_segment_reference

    docmap = index._docmap()
    store = index.store
    folder.mkdir()
    segment, _ = write_segment_reference(
        FileStorage(str(folder)), grams.make_schema(),
        [(rid, store[rid].norm_text, store[rid].norm_title) for rid in docmap], grams.BLOCK_LIMIT)
    segment.set_doc_count(len(docmap))
    return _Snapshot(SafeIndex(str(folder), [segment], 1).reader(), store, docmap)


def _copy(built: Path, where: Path) -> Path:
    shutil.copytree(built, where)
    return where


def _texts(arc: Archive) -> dict[str, str]:
    return dict(arc.index.store.texts())


def _queries(texts: dict[str, str], n: int = 120) -> list[str]:
    rng = random.Random(13)
    flat = [t.replace("\n", "") for t in texts.values() if len(t) > 12]
    out = []
    for k in range(n):
        t = rng.choice(flat)
        size = (1, 2, 3, 4, 7)[k % 5]
        i = rng.randrange(len(t) - size)
        out.append(t[i:i + size])
    out += [f"{a} {b}" for a, b in zip(out[:10], out[20:30])]
    return out + ["园区", "苏州工业园区", "不存在的字符串甲乙"]


def _scan(texts: dict[str, str], query: str) -> int:
    terms = query.split()
    return sum(1 for t in texts.values() if all(x in t for x in terms))


def _arrays_files(folder: Path) -> list[Path]:
    return sorted((folder / "index").glob("*" + postarrays.SUFFIX))


def test_every_segment_has_posting_arrays(built):
    with Archive.open(built, read_only=True, create=False) as arc:
        snap = arc.index._snap
        assert len(snap.sources) >= 2
        assert all(arrays is not None for _, arrays, _ in snap.sources)
    assert len(_arrays_files(built)) == len(snap.sources)


def test_postings_equal_whooshs_for_every_term(built, tmp_path):
    """Each term of both fields, read from the arrays and through Whoosh's own reader (of
    the same records written by Whoosh's postings writer)."""
    with Archive.open(built, read_only=True, create=False) as arc:
        index = arc.index
        ours = index._snap
        whoosh = _whoosh_view(index, tmp_path / "whoosh")  # no arrays: Whoosh
        assert all(arrays is None for _, arrays, _ in whoosh.sources)
        checked = 0
        for field in ("grams", "tgrams"):
            for term in {t.decode("utf-8") for t in whoosh.reader.lexicon(field)}:
                d1, f1 = ours.arrays(field, term)
                d2, f2 = whoosh.arrays(field, term)
                assert d1.tolist() == d2.tolist() and f1.tolist() == f2.tolist(), term
                assert ours.doc_frequency(field, term) == whoosh.doc_frequency(field, term)
                checked += 1
        assert checked > 5000
        assert ours.arrays("grams", "甲乙")[0].size == 0  # a pair nowhere
        assert ours.doc_frequency("grams", "甲乙") == 0
        whoosh.retire()


def test_search_equals_the_scan_and_the_whoosh_path(built, tmp_path):
    """Totals equal a plain scan; hits, scores and facets equal those found through Whoosh;
    snippets mark the terms."""
    with Archive.open(built, read_only=True, create=False) as arc:
        texts = _texts(arc)
        index = arc.index
        ours = index._snap
        whoosh = _whoosh_view(index, tmp_path / "whoosh")
        for q in _queries(texts):
            parsed = parse_query(q)
            for f in (Filters(), Filters(kinds=("article",))):
                a = index._search(ours, parsed, f, 20, None)
                b = index._search(whoosh, parsed, f, 20, None)
                assert (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets), q
            assert a.total == sum(1 for rid, t in texts.items()
                                  if all(x in t for x in q.split())
                                  and rid.startswith("a:")), q
            res = arc.search(q, limit=5)
            assert res.total == _scan(texts, q), q
            assert all("<mark>" in h.snippet for h in res.hits if h.kind != "photo"), q
        whoosh.retire()


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "cut short":
        path.write_bytes(bytes(data[:len(data) // 2]))
    elif how == "garbage":
        path.write_bytes(b"\x80garbage" + bytes(len(data) - 8))
    elif how == "terms out of order":  # the first field's keys reversed (same size)
        start, count = _first_keys(data)
        keys = np.frombuffer(bytes(data[start:start + count * 8]), dtype="<u8")
        data[start:start + count * 8] = keys[::-1].tobytes()
        path.write_bytes(bytes(data))
    elif how == "postings out of order":
        pa = postarrays.PostingArrays(path, _doc_count(path))
        f = pa.fields["grams"]
        width = f.doc_type.itemsize
        pa.close()
        # every document number of the field reversed: each list now decreases
        n = f.postings
        docs = np.frombuffer(bytes(data[f.docs_at:f.docs_at + n * width]), dtype=f.doc_type)
        data[f.docs_at:f.docs_at + n * width] = docs[::-1].tobytes()
        path.write_bytes(bytes(data))


def _doc_count(path: Path) -> int:
    import json
    import struct

    data = path.read_bytes()
    (size,) = struct.unpack("<I", data[8:12])
    return int(json.loads(data[12:12 + size])["docs"])


def _first_keys(data: bytearray) -> tuple[int, int]:
    """Where the first field's term keys start in the file, and how many there are."""
    import json
    import struct

    (size,) = struct.unpack("<I", data[8:12])
    header = json.loads(bytes(data[12:12 + size]))
    first = next(iter(header["fields"].values()))
    return 12 + size + first["keys"], first["terms"]


@pytest.mark.parametrize("how", ["cut short", "garbage", "terms out of order"])
def test_a_damaged_file_is_found_on_open_and_rebuilt(built, tmp_path, how):
    folder = _copy(built, tmp_path / "arc")
    victim = max(_arrays_files(folder), key=lambda p: p.stat().st_size)
    _damage(victim, how)
    with Archive.open(folder) as arc:
        assert arc.open_report.index.state == "corrupt"
        assert arc.open_report.index_action == "rebuilt"
        texts = _texts(arc)
        for q in ("园区", "区", "苏州工业园区"):
            assert arc.search(q, limit=0).total == _scan(texts, q)
        assert arc.check().problems == ()


def _found_in_use_and_rebuilt(folder: Path, queries: tuple[str, ...]) -> None:
    """Damage the open does not see: the searches still equal a scan (the damage is found
    when read, the index rebuilt), and the rebuilt index is sound."""
    with Archive.open(folder) as arc:
        assert arc.open_report.index.state == "ok"
        texts = _texts(arc)
        for q in queries:
            assert arc.search(q, limit=0).total == _scan(texts, q)
    with Archive.open(folder) as arc:
        assert arc.check().problems == ()


def test_postings_out_of_order_are_found_in_use_and_rebuilt(built, tmp_path):
    folder = _copy(built, tmp_path / "arc")
    for victim in _arrays_files(folder):
        _damage(victim, "postings out of order")
    _found_in_use_and_rebuilt(folder, ("园区", "区", "苏州工业园区"))  # lists checked when read


def test_a_damaged_file_on_a_read_only_archive_is_not_searched(built, tmp_path):
    """A kiosk cannot rebuild in the archive: it builds a private index, the folder unchanged."""
    folder = _copy(built, tmp_path / "arc")
    Archive.open(folder).close()
    victim = max(_arrays_files(folder), key=lambda p: p.stat().st_size)
    _damage(victim, "garbage")
    before = {p.name: p.read_bytes() for p in (folder / "index").iterdir()}
    with Archive.open(folder, read_only=True, create=False) as arc:
        texts = _texts(arc)
        for q in ("园区", "区", "苏州工业园区"):
            assert arc.search(q, limit=0).total == _scan(texts, q)
    assert {p.name: p.read_bytes() for p in (folder / "index").iterdir()} == before


@pytest.mark.skipif(not can_mount(), reason="needs root to mount a file system")
def test_read_only_media(built, tmp_path):
    """The archive on a read-only mount: the arrays are read, nothing is written."""
    mount = tmp_path / "media"
    mount_tmpfs(mount, "128m")
    try:
        folder = _copy(built, mount / "arc")
        Archive.open(folder).close()
        remount_read_only(mount)
        with Archive.open(folder, read_only=True, create=False) as arc:
            assert arc.open_report.index.state in ("ok", "deferred")
            texts = _texts(arc)
            snap = arc.index._snap
            assert all(arrays is not None for _, arrays, _ in snap.sources)
            for q in _queries(texts, 30):
                assert arc.search(q, limit=3).total == _scan(texts, q), q
    finally:
        unmount(mount)


def test_a_segment_from_whooshs_own_writer_is_read_through_whoosh(built, tmp_path):
    """A photo edit (a handful of records) is written by Whoosh's writer: no arrays for that
    segment, its postings read through Whoosh, the totals still the scan's."""
    folder = _copy(built, tmp_path / "arc")
    with Archive.open(folder) as arc:
        pid = arc.photo_ids()[0]
        arc.update_photo(pid, caption="独一无二的说明文字园区")
        snap = arc.index._snap
        assert any(arrays is None for _, arrays, _ in snap.sources)
        texts = _texts(arc)
        for q in ("独一无二", "园区", "区", "说明"):
            assert arc.search(q, limit=0).total == _scan(texts, q)


def test_facets_of_a_filtered_long_term_equal_a_scan(built):
    """A facet counts as if its own filter were not set (each such count checks texts):
    equal to counting the texts and records directly."""
    from collections import Counter

    with Archive.open(built, read_only=True, create=False) as arc:
        texts = _texts(arc)
        meta = arc.index.store.meta
        dept = Counter(d for m in meta.values() for d in m.depts).most_common(1)[0][0]
        f = Filters(kinds=("article",), departments=(dept,))
        for q in [q for q in _queries(texts, 60) if len(q) >= 3][:20] + ["苏州工业园区"]:
            res = arc.search(q, f, limit=3)
            has = {rid for rid, t in texts.items() if q in t}
            assert res.total == sum(1 for r in has if meta[r].kind == "article"
                                    and dept in meta[r].depts), q
            kinds = Counter(meta[r].kind for r in has if dept in meta[r].depts)
            assert res.facets["kind"] == dict(kinds), q
            depts = Counter(d for r in has if meta[r].kind == "article" for d in meta[r].depts)
            assert res.facets["department"] == dict(depts), q


def _occurrences(text: str, pair: str) -> list[int]:
    out, i = [], text.find(pair)
    while i >= 0:
        out.append(i)
        i = text.find(pair, i + 1)
    return out


def test_positions_equal_a_scan_of_the_texts(built):
    """Every pair's positions (per document, as many as its frequency) read from the arrays
    equal the places a plain search of each text finds it; single characters have none."""
    with Archive.open(built, read_only=True, create=False) as arc:
        snap = arc.index._snap
        texts = snap.texts
        pairs = sorted({t[i:i + 2] for t in texts for i in range(len(t) - 1)} - {""})
        pairs = [p for p in pairs if "\n" not in p]
        checked = 0
        for offset, arrays, leaf in snap.sources:
            assert arrays is not None and arrays.has_positions("grams")
            for pair in random.Random(5).sample(pairs, 1500) + ["园区", "20", "，"]:
                got = arrays.read_positions("grams", pair) if len(pair) == 2 else None
                expected = {d: _occurrences(texts[d], pair)
                            for d in range(offset, offset + leaf.doc_count_all())}
                expected = {d: p for d, p in expected.items() if p}
                if got is None:
                    assert not expected, pair
                    continue
                docs, freqs, pos = got
                found, at = {}, 0
                for d, f in zip(docs.tolist(), freqs.tolist()):
                    found[d + offset] = pos[at:at + f].tolist()
                    at += f
                assert found == expected, pair
                checked += 1
        assert checked > 1000


@pytest.mark.parametrize("check_ns", [0, 10 ** 9, None])
def test_terms_found_by_positions_equal_a_scan(built, monkeypatch, check_ns):
    """`_Snapshot.holding` against a plain scan: sampled terms, terms whose pairs repeat or
    overlap (2020, 哈哈哈), at a text's start and end (a query's term never holds a line
    break: whitespace parts terms). The places checked in the texts after the rarest pair
    (0), every pair read and no text (10⁹), and the cost model's own choice."""
    from sipviewer.search import index

    if check_ns is not None:
        monkeypatch.setattr(index, "START_CHECK_NS", check_ns)
    with Archive.open(built, read_only=True, create=False) as arc:
        snap = arc.index._snap
        texts = snap.texts
        live = sorted(snap.live)
        rng = random.Random(21)
        terms = []
        for k in range(150):
            t = texts[rng.choice(live)]
            size = (3, 4, 5, 8, 13)[k % 5]
            if len(t) > size:
                i = rng.choice([0, len(t) - size, rng.randrange(len(t) - size)])
                terms.append(t[i:i + size])
        terms += ["2020", "2019年", "0000", "哈哈哈", "园区园区", "苏州工业园区", "年12月",
                  "甲乙丙"]
        for term in terms:
            if len(term) < 3 or "\n" in term:
                continue
            found, unchecked = snap.holding(term, live)
            assert unchecked == []
            assert found == [d for d in live if term in texts[d]], term


def test_positions_out_of_order_are_found_in_use_and_rebuilt(built, tmp_path):
    """Each segment's positions reversed (same size): a long term's search finds them damaged
    and the index is rebuilt, the totals still the scan's."""
    folder = _copy(built, tmp_path / "arc")
    for victim in _arrays_files(folder):
        data = bytearray(victim.read_bytes())
        pa = postarrays.PostingArrays(victim, _doc_count(victim))
        f = pa.fields["grams"]
        assert f.pos_starts is not None and f.pos_type is not None
        pa.close()
        size = int(f.pos_starts[-1]) * f.pos_type.itemsize
        pos = np.frombuffer(bytes(data[f.pos_at:f.pos_at + size]), dtype=f.pos_type)
        data[f.pos_at:f.pos_at + size] = pos[::-1].tobytes()
        victim.write_bytes(bytes(data))
    _found_in_use_and_rebuilt(folder, ("苏州工业园区", "园区", "工业园"))  # positions checked
    with Archive.open(folder) as arc:
        assert all(a is not None and a.has_positions("grams") for _, a, _ in
                   arc.index._snap.sources)


def test_a_version_1_file_is_outdated_and_rebuilt(built, tmp_path):
    """A posting array file of the format before positions is not read: the index is
    rebuilt with positions."""
    folder = _copy(built, tmp_path / "arc")
    victim = _arrays_files(folder)[0]
    data = bytearray(victim.read_bytes())
    data[:8] = b"SVPOSTS1"
    victim.write_bytes(bytes(data))
    with Archive.open(folder) as arc:
        assert arc.open_report.index_action == "rebuilt"
        assert all(a is not None and a.has_positions("grams") for _, a, _ in
                   arc.index._snap.sources)
        texts = _texts(arc)
        assert arc.search("苏州工业园区", limit=0).total == _scan(texts, "苏州工业园区")


def test_archive_segments_keep_the_gram_postings_only_in_the_arrays(built):
    """The archive's segments hold the character and pair postings once, in the arrays:
    Whoosh's files of them have only the id field's (writing the grams again as Whoosh's
    pickled blocks took most of a segment's time)."""
    with Archive.open(built, read_only=True, create=False) as arc:
        reader = arc.index._ix.reader()
        assert reader.doc_count() > 200
        assert not list(reader.lexicon("grams")) and not list(reader.lexicon("tgrams"))
        assert len(list(reader.lexicon("rid"))) == reader.doc_count()
        reader.close()
