"""The index is derived data: damage is detected on opening and repaired; `check` reports."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from sipviewer.cli import main
from sipviewer.core.archive import Archive


@pytest.fixture
def built(tmp_path, sample_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        expected = arc.search("园区", limit=0).total
    return tmp_path / "arc", expected


def _store_file(path, which: int):
    """The store set the manifest names: 0 metadata, 1 texts, 2 change log."""
    import json

    from sipviewer.search.store import file_names

    tag = json.loads((path / "index" / "manifest.json").read_text(encoding="utf-8"))["store"]
    return path / "index" / file_names(tag)[which]


def _reopen(path, expected):
    events = []
    with Archive.open(path, progress=lambda d, t, m: events.append((d, t, m))) as arc:
        report = arc.open_report
        assert arc.search("园区", limit=0).total == expected
        assert arc.check().problems == ()
    return report, events


def test_missing_index_is_rebuilt_with_progress(built):
    import shutil

    path, expected = built
    shutil.rmtree(path / "index")
    report, events = _reopen(path, expected)
    assert report.index.state == "missing" and report.index_action == "rebuilt"
    assert events and events[-1][0] == events[-1][1]  # progress reached the end


def test_deleted_index_file_is_detected(built):
    path, expected = built
    victim = max((path / "index").glob("*.trm"), key=lambda p: p.stat().st_size)
    victim.unlink()
    report, _ = _reopen(path, expected)
    assert report.index.state == "corrupt" and "missing" in report.index.detail


def test_truncated_segment_is_detected(built):
    path, expected = built
    victim = max((path / "index").glob("MAIN_*"), key=lambda p: p.stat().st_size)
    with open(victim, "r+b") as fh:
        fh.truncate(victim.stat().st_size // 2)
    report, _ = _reopen(path, expected)
    assert report.index.state == "corrupt" and report.index_action == "rebuilt"


def test_garbage_metadata_is_detected(built):
    path, expected = built
    meta = _store_file(path, 0)
    meta.write_bytes(b"not json...." + bytes(meta.stat().st_size - 12))
    report, _ = _reopen(path, expected)
    assert report.index.state == "corrupt"


def test_garbage_texts_found_in_use_are_rebuilt(built):
    path, _ = built
    with Archive.open(path) as arc:
        arc.rebuild_index()  # every text in texts.txt (not in the change log)
    texts = _store_file(path, 1)
    size = texts.stat().st_size
    with Archive.open(path) as arc:  # opens fine: the texts are read when first needed
        texts.write_bytes(b"\xff\xfegarbage" + bytes(size - 9))
        arc.index.store._texts = None
        arc.index._snap._texts = None
        # long terms joined by OR are checked against the texts (one alone is found from
        # the pairs' positions)
        assert arc.search("苏州工业园区 OR 园区甲乙丙").total > 0
        assert arc.check().problems == ()


def _run_and_die(path, when: str) -> None:
    """Edit a photo in another process that dies at ``when`` of the write."""
    code = textwrap.dedent(f"""
        import os, sys
        from sipviewer.core.archive import Archive
        from sipviewer.search import index as ix, safewhoosh, store
        when = {when!r}
        if when == "mid-index-write":  # the new segment written, nothing committed
            safewhoosh.SafeIndex.commit_segments = lambda *a, **k: os._exit(9)
        elif when == "before-database-commit":  # segment and log entry written
            orig = store.RecordStore.append
            def append(*a, **k):
                orig(*a, **k)
                os._exit(9)
            store.RecordStore.append = append
        elif when == "after-database-commit":  # the index's manifest not yet swapped in
            ix.SearchIndex.commit = lambda *a, **k: os._exit(9)
        arc = Archive.open(sys.argv[1])
        pid = arc.search("月亮湾新貌").hits[0].id
        arc.update_photo(pid, caption="月亮湾新貌 改过的说明")
        print("not killed")
    """)
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert result.returncode == 9, result.stderr


@pytest.mark.parametrize("when,committed", [("mid-index-write", False),
                                            ("before-database-commit", False),
                                            ("after-database-commit", True)])
def test_killed_during_an_edit_the_archive_stays_consistent(built, when, committed):
    path, _ = built
    _run_and_die(path, when)
    # a reader first: it must see one consistent state without writing anything
    with Archive.open(path, read_only=True) as arc:
        assert arc.search("改过的说明").total == (1 if committed else 0)
        assert arc.search("月亮湾新貌").total == 1
    with Archive.open(path) as arc:
        expected_action = "reconciled" if committed else "none"
        assert arc.open_report.index_action == expected_action
        assert arc.search("改过的说明").total == (1 if committed else 0)
        assert arc.search("月亮湾新貌").total == 1
        assert arc.check().problems == ()
    leftovers = [p.name for p in (path / "index").iterdir()
                 if p.name.endswith((".tmp", ".part")) or p.is_dir()]
    assert leftovers == []


def test_check_reports_and_repair_fixes(built, capsys):
    path, expected = built
    with Archive.open(path) as arc:
        # make the index disagree with the database behind the archive's back
        rid = next(iter(arc.index.store))
        arc.index.apply([], [rid], arc.index.generation)
        report = arc.check()
        assert report.problems and "missing from the index" in report.problems[0]
    assert main(["check", "--archive", str(path)]) == 1
    assert "problem:" in capsys.readouterr().out
    assert main(["check", "--archive", str(path), "--repair"]) == 0
    assert "repaired:" in capsys.readouterr().out
    assert main(["check", "--archive", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("ok")


def test_image_files_are_checked(built, tmp_path):
    from PIL import Image

    path, _ = built
    img = tmp_path / "a.jpg"
    Image.new("RGB", (20, 20)).save(img)
    with Archive.open(path) as arc:
        view = arc.attach_image(arc.photo_ids()[0], img)
        os.unlink(view.image_path)
        assert any("image file" in p for p in arc.check().problems)


def test_deferred_index_opens_and_repairs_on_first_use(built):
    import shutil

    path, expected = built
    shutil.rmtree(path / "index")
    with Archive.open(path, defer_index=True) as arc:
        assert arc.open_report.index.state == "deferred"
        assert arc.stats()["articles"] == 5  # browsing needs no index
        assert arc.search("园区", limit=0).total == expected  # first use: rebuilt
        assert arc.open_report.index.state == "missing"
        assert arc.open_report.index_action == "rebuilt"


def test_a_rebuild_in_two_processes_finds_what_one_process_finds(tmp_path, sample_path,
                                                                  monkeypatch):
    import sipviewer.search.index as index_mod
    from sipviewer.ingest.synthetic import generate_volume

    vol = tmp_path / "vol.txt"
    vol.write_text(generate_volume(31, target_chars=60000, edition_year=2012).text,
                   encoding="utf-8")
    queries = ["园区", "苏州工业园区", "月", "2020", "经济 发展", "摄"]
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        arc.import_files([vol])
        monkeypatch.setattr(index_mod, "PARALLEL_FROM", 10**9)
        arc.rebuild_index()  # one process
        single = {q: [h.rid for h in arc.search(q, limit=0).hits] for q in queries}
        monkeypatch.setattr(index_mod, "PARALLEL_FROM", 10)
        arc.rebuild_index()  # two processes, one segment each
        assert len(arc.index._ix._read_toc().segments) == 2
        for q in queries:
            assert sorted(h.rid for h in arc.search(q, limit=0).hits) == sorted(single[q]), q
        assert arc.check().problems == ()


def test_many_small_changes_are_compacted_in_a_worker_process(built):
    """Past MAX_SEGMENTS the smallest segments are merged into a new generation by the
    archive's worker processes (the writing thread waits; nothing heavy runs in it):
    afterwards at most half as many segments, one store set, the same answers."""
    from sipviewer.search import index as index_mod

    path, expected = built
    with Archive.open(path) as arc:
        pid = arc.photo_ids()[0]
        for k in range(index_mod.MAX_SEGMENTS):
            arc.update_photo(pid, caption=f"第{k}次改过的说明")
        assert arc.workers._pool is not None  # a worker process did the compaction
        assert len(arc.index._ix._read_toc().segments) <= index_mod.MAX_SEGMENTS // 2 + 1
        assert arc.index._log_size == 0  # the store rewritten: no change log to replay
        assert arc.search("园区", limit=0).total == expected
        assert arc.search(f"第{index_mod.MAX_SEGMENTS - 1}次改过").total == 1
        assert arc.search("第3次改过").total == 0
        assert arc.check().problems == ()
    names = [p.name for p in (path / "index").iterdir()]
    assert len([n for n in names if n.startswith("records")]) == 1, names
    assert len([n for n in names if n.startswith("store")]) <= 1, names
    _reopen(path, expected)
