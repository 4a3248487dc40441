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
