"""An archive is data: nothing in its index is unpickled or executed.

An older sipviewer kept the index's records as pickles (meta.pkl, texts.pkl, segments.pkl,
store.log) and Whoosh keeps its table of contents as one (_MAIN_N.toc); a crafted file there
ran a shell command on a plain `sipviewer search`. These tests plant such payloads and run
the real command line in a subprocess.
"""

from __future__ import annotations

import json
import os
import pickle

import pytest

from sipviewer.core.archive import Archive
from tests.safety_helpers import cli


class _Payload:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def archive(tmp_path, sample_path):
    path = tmp_path / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        expected = arc.search("园区", limit=0).total
    return path, expected


def _plant(index, marker) -> None:
    evil = pickle.dumps(_Payload(str(marker)))
    for name in ("meta.pkl", "texts.pkl", "segments.pkl", "store.log", "_MAIN_7.toc"):
        (index / name).write_bytes(evil)
    # the older manifest named these files with their sizes
    files = {n: (index / n).stat().st_size for n in os.listdir(index) if n != "manifest.json"}
    (index / "manifest.json").write_text(json.dumps({"generation": 1, "files": files}))


def test_planted_pickles_are_never_loaded(archive, tmp_path):
    path, expected = archive
    marker = tmp_path / "pwned"
    _plant(path / "index", marker)
    result = cli("search", "园区", "--json", "--limit", "0", "--archive", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == expected
    assert not marker.exists()
    # read-only: the archive's index was not touched (a private index answered)
    assert (path / "index" / "meta.pkl").exists()
    result = cli("check", "--archive", str(path))
    assert result.returncode == 1 and "outdated" in result.stdout
    assert not marker.exists()
    result = cli("check", "--repair", "--archive", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists()
    names = set(os.listdir(path / "index"))
    assert not names & {"meta.pkl", "texts.pkl", "segments.pkl", "store.log"}
    assert not [n for n in names if n.endswith((".toc", ".pkl"))]
    assert cli("check", "--archive", str(path)).returncode == 0


def test_a_writer_rebuilds_an_older_index_without_reading_it(archive, tmp_path):
    path, expected = archive
    marker = tmp_path / "pwned"
    _plant(path / "index", marker)
    with Archive.open(path) as arc:
        assert arc.open_report.index.state == "outdated"
        assert arc.open_report.index_action == "rebuilt"
        assert arc.search("园区", limit=0).total == expected
    assert not marker.exists()


def test_whoosh_data_inside_index_files_cannot_name_code(tmp_path):
    """Whoosh unpickles small pieces of data inside its files: only plain values pass."""
    import whoosh.codec.whoosh3 as w3
    import whoosh.filedb.structfile as structfile

    from sipviewer.search import safewhoosh

    assert w3.loads is safewhoosh.data_loads
    assert structfile.load_pickle is safewhoosh.data_load
    marker = tmp_path / "pwned"
    with pytest.raises(pickle.UnpicklingError):
        safewhoosh.data_loads(pickle.dumps(_Payload(str(marker)), 2))
    assert not marker.exists()
    plain = ((1, 2, 3), [0.5, 1.0], {"a": b"\x00\xff"}, {1, 2}, b"", frozenset({3}))
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        assert safewhoosh.data_loads(pickle.dumps(plain, protocol)) == plain


def test_the_index_holds_no_pickle(archive):
    path, _ = archive
    names = os.listdir(path / "index")
    assert "manifest.json" in names and any(n.startswith("records") for n in names)
    assert not [n for n in names if n.endswith((".pkl", ".toc", ".log"))]
    for name in names:
        if name.endswith((".json", ".jsonl")):
            for line in (path / "index" / name).read_text(encoding="utf-8").splitlines():
                json.loads(line)


def test_index_data_cannot_ask_for_a_huge_buffer():
    """A crafted value inside an index file may not allocate memory by size (bytes(N))."""
    import pickle

    from sipviewer.search.safewhoosh import data_loads

    payload = pickle.dumps(bytes(16), protocol=2)  # protocol 2 spells bytes as a call
    assert data_loads(payload) == bytes(16)
    crafted = b"\x80\x02c__builtin__\nbytes\nJ\x00\x00\x00@\x85R."  # bytes(2**30)
    with pytest.raises(pickle.UnpicklingError):
        data_loads(crafted)
