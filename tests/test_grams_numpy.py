"""The numpy inversion and postings writer against the pure-Python writer they replaced
(kept in tests/reference_grams.py): the same records give byte-identical segment files."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from sipviewer.core.paths import sample_path
from sipviewer.ingest.parser import parse_file, parse_text
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.search import grams
from sipviewer.search.records import make_record
from tests.reference_grams import write_segment_reference


@pytest.fixture(autouse=True)
def _stock_whoosh_reads(monkeypatch):
    """These tests compare with stock Whoosh, which reads its own pickled files back."""
    from tests.safety_helpers import stock_whoosh_pickles

    stock_whoosh_pickles(monkeypatch)


def _records(doc, prefix=""):
    out = []
    for a in doc.articles:
        out.append(make_record(f"a:{prefix}{len(out)}", "article", 1, a.title, list(a.paragraphs),
                               [a.attribution], None, None))
        for p in a.photos:
            out.append(make_record(f"p:{prefix}{len(out)}", "photo", 1, p.caption,
                                   [p.credit or ""], [p.credit], None, None))
        for t in a.tables:
            cells = [*t.columns, *(c for row in t.rows for c in row)]
            out.append(make_record(f"t:{prefix}{len(out)}", "table", 1, t.title, cells,
                                   [t.attribution], None, None))
    return [(r.rid, r.norm_text, r.norm_title) for r in out]


EDGE = [
    ("x:1", "", ""),  # nothing at all
    ("x:2", "\n\n", ""),  # separators only
    ("x:3", "a", "a"),  # one character, no pair
    ("x:4", "𠀀𠀁\n𠀀", "𠀀"),  # outside the basic plane: 4 bytes in UTF-8
    ("x:5", "ab\nba\nab", "ab"),  # a pair again after a separator
    ("x:6", "园" * 40, "园园"),  # one document, a frequency of 40
    ("x:7", "Ωω\u00e9e\u0301\uffff", ""),  # 2-byte and 3-byte forms side by side
    ("x:10", "园区" * 3, ""),  # ids sort as bytes: x:10 before x:2
]


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The segment's Whoosh files by name without the segment's (random) id (our posting
    arrays apart: the reference writer makes none)."""
    out = {}
    for f in folder.iterdir():
        if f.name.startswith(grams.INDEX_NAME + "_") and f.suffix not in (".toc", ".arr"):
            seg_id = f.name[len(grams.INDEX_NAME) + 1:].split(".")[0].split("_")[0]
            out[f.name.replace(seg_id, "ID")] = f.read_bytes()
    return out


def _write_both(tmp_path, triples, block_limit, compression=3):
    files, segments = [], []
    for name, write in (("numpy", grams.write_segment), ("reference", write_segment_reference)):
        folder = tmp_path / name
        folder.mkdir()
        storage = FileStorage(str(folder))
        segment, count = write(storage, grams.make_schema(), list(triples),
                               block_limit=block_limit, compression=compression)
        assert count == len(triples)
        files.append(_segment_files(folder))
        segments.append(segment)
    return files, segments


@pytest.fixture(scope="module")
def sample_triples():
    return _records(parse_file(sample_path()))


@pytest.fixture(scope="module")
def generated_triples():
    return _records(parse_text(generate_volume(33, target_chars=80_000).text))


@pytest.mark.parametrize("block_limit", [grams.BLOCK_LIMIT, 8])
@pytest.mark.parametrize("which", ["sample", "generated", "edge"])
def test_numpy_writer_matches_the_reference_byte_for_byte(tmp_path, which, block_limit,
                                                          sample_triples, generated_triples):
    triples = {"sample": sample_triples, "generated": generated_triples, "edge": EDGE}[which]
    (ours, ref), (seg_ours, seg_ref) = _write_both(tmp_path, triples, block_limit)
    assert set(ours) == set(ref)
    assert {Path(name).suffix for name in ref} == {".trm", ".pst", ".col"}
    for ext in ref:
        assert ours[ext] == ref[ext], ext
    assert seg_ours._fieldlengths == seg_ref._fieldlengths
    assert seg_ours.doc_count_all() == seg_ref.doc_count_all()


def test_uncompressed_blocks_match_too(tmp_path, generated_triples):
    (ours, ref), _ = _write_both(tmp_path, generated_triples[:200], 8, compression=0)
    assert ours == ref


def test_empty_segment(tmp_path):
    (ours, ref), _ = _write_both(tmp_path, [], grams.BLOCK_LIMIT)
    assert ours == ref


def test_postings_equal_a_plain_count(tmp_path, sample_triples):
    """Read back through Whoosh: every term of every record, against counting the text."""
    grams.write_index(tmp_path / "ix", sample_triples)
    reader = FileStorage(str(tmp_path / "ix")).open_index(grams.INDEX_NAME).reader()
    want: dict[str, dict[int, int]] = {}
    for d, (_, text, _) in enumerate(sample_triples):
        for term, n in grams.gram_counts(text).items():
            want.setdefault(term, {})[d] = n
    got_terms = {t.decode("utf-8") for t in reader.lexicon("grams")}
    assert got_terms == set(want)
    for term, by_doc in want.items():
        ids, weights = grams.read_postings(reader, "grams", term)
        assert dict(zip(ids, weights)) == by_doc, term


@pytest.mark.parametrize("which", ["generated", "edge"])
def test_keys_sorted_in_many_passes_match_the_reference(tmp_path, monkeypatch, which,
                                                         generated_triples):
    """A batch inverted a range of first characters at a time (here: hundreds of ranges)
    gives the same files as the reference writer."""
    monkeypatch.setattr(grams, "KEYS_PER_PASS", 500)
    monkeypatch.setattr(grams, "MAX_PASSES", 10_000)
    triples = {"generated": generated_triples, "edge": EDGE}[which]
    (ours, ref), _ = _write_both(tmp_path, triples, grams.BLOCK_LIMIT)
    assert ours == ref


def test_records_for_a_worker_leave_the_texts_as_they_were(tmp_path, generated_triples):
    """Sent to a worker (pickled), the texts stay their own size (a pickled str keeps a
    UTF-8 copy of itself for life), and the worker's segment is the one written here."""
    import pickle
    import sys

    triples = [(rid, text.encode().decode(), title.encode().decode())  # fresh strs
               for rid, text, title in generated_triples]
    sizes = [sys.getsizeof(text) for _, text, _ in triples]
    sent = pickle.dumps(grams.for_worker(triples))
    assert [sys.getsizeof(text) for _, text, _ in triples] == sizes
    for name in ("worker", "here"):
        (tmp_path / name).mkdir()
    grams._segment_job(str(tmp_path / "worker"), pickle.loads(sent))
    grams.write_segment(FileStorage(str(tmp_path / "here")), grams.make_schema(), triples,
                        postings=False)
    assert _segment_files(tmp_path / "worker") == _segment_files(tmp_path / "here")
