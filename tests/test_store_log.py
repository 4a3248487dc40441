"""The store's change log: one JSON line per change, whatever its size.

Records are the sample's own (read from a real archive); the oracle is the json module
reading the line back, not the store's reader."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from sipviewer.core.archive import Archive
from sipviewer.search import store as store_mod
from sipviewer.search.store import RecordStore


@pytest.fixture(scope="module")
def records(tmp_path_factory, sample_path):
    path = tmp_path_factory.mktemp("log") / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        return sorted(arc.index.store.values(), key=lambda r: r.rid)


@pytest.mark.parametrize("count", [0, 1, store_mod.LOG_ROWS - 1, store_mod.LOG_ROWS,
                                   store_mod.LOG_ROWS + 1, 2 * store_mod.LOG_ROWS + 3])
def test_a_change_is_one_json_line_with_every_record(tmp_path, records, count):
    added = [replace(records[k % len(records)], rid=f"a:{k + 1}") for k in range(count)]
    RecordStore.write(tmp_path, [], 1, "t")
    store = RecordStore(tmp_path, "t")
    size = store.append(added, {"p:9", "a:3"}, 7)
    data = (tmp_path / store.log_name).read_bytes()
    assert len(data) == size and data.endswith(b"\n") and data.count(b"\n") == 1
    entry = json.loads(data)
    assert entry["generation"] == 7 and entry["removed"] == ["a:3", "p:9"]
    assert [row[0] for row in entry["added"]] == [r.rid for r in added]
    assert [row[-1] for row in entry["added"]] == [r.norm_text for r in added]
    assert [row[6] for row in entry["added"]] == [r.norm_title for r in added]
    # read back by a store of its own: the same records
    again = RecordStore(tmp_path, "t")
    again.load(size)
    assert {rid: again[rid] for rid in again} == {r.rid: r for r in added}


def _records(records, first: int, count: int):  # type: ignore[no-untyped-def]
    """``count`` of the sample's records (texts cut to many lengths), ids from ``first``."""
    return [replace(records[k % len(records)], rid=f"a:{first + k}",
                    norm_text=records[k % len(records)].norm_text[:1 + (k * 37) % 900])
            for k in range(count)]


@pytest.mark.parametrize("base, removed, again, copied", [
    (2 * store_mod.CHUNK + 57, set(), "a:857", True),  # additions only
    (2 * store_mod.CHUNK, set(), "a:5003", True),  # a base of whole chunks
    (2 * store_mod.CHUNK + 57, {"a:810", "a:805"}, "a:857", True),  # from its partial chunk
    (2 * store_mod.CHUNK + 57, {"a:30"}, "a:857", False),  # from a whole one: afresh
    (2 * store_mod.CHUNK, set(), "a:800", False),  # one of a whole chunk replaced: afresh
    (57, {"a:2"}, "a:57", True),  # no whole chunk
])
def test_a_store_rewritten_is_the_store_written_afresh(tmp_path, monkeypatch, records, base,
                                                       removed, again, copied):
    """`rewrite` (the base's whole chunks copied, the rest encoded) gives byte for byte the
    files `write` gives for the same records, with records added, replaced (given a new
    text) and removed by the log; chunks are copied only where their records stand."""
    RecordStore.write(tmp_path, _records(records, 1, base), 1, "a")
    store = RecordStore(tmp_path, "a")
    store.load()
    size = store.append(_records(records, 5000, store_mod.CHUNK + 31), removed, 2)
    replaced = replace(records[3], rid=again, norm_text="园区 新的 文字")
    size = store.append([replaced], {replaced.rid}, 3)
    store.close()
    loaded = RecordStore(tmp_path, "a")
    loaded.load(size)
    sets: list[bool] = []
    real = store_mod._write_set
    monkeypatch.setattr(store_mod, "_write_set", lambda *args: sets.append(len(args) > 5)
                        or real(*args))
    loaded.rewrite(tmp_path, 4, "b")
    assert sets == [copied]
    monkeypatch.setattr(store_mod, "_write_set", real)
    RecordStore.write(tmp_path, list(loaded.values()), 4, "c")
    loaded.close()
    for new, plain in zip(store_mod.file_names("b")[:2], store_mod.file_names("c")[:2]):
        assert (tmp_path / new).read_bytes() == (tmp_path / plain).read_bytes(), new
    again = RecordStore(tmp_path, "b")
    again.load()
    assert again[replaced.rid].norm_text == "园区 新的 文字"
    assert len(again) == base + store_mod.CHUNK + 31 - len(removed)
    again.close()
