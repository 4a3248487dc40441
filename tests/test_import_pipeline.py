"""The streaming import: volumes parsed in worker processes, written one at a time in one
transaction, indexed a few at a time after it. Real files, real processes, a real archive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sipviewer.core import archive as archive_mod
from sipviewer.core.archive import Archive
from sipviewer.core.pipeline import Workers, parse_volume, parsed_volumes
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.model.errors import InputError
from tests.test_split_parse import count_joins

ROOT = Path(__file__).resolve().parent.parent


def _volumes(folder: Path, n: int, chars: int = 30_000, first_seed: int = 200) -> list[Path]:
    out = []
    for k in range(n):
        p = folder / f"vol-{2001 + k}.txt"
        p.write_text(generate_volume(first_seed + k, target_chars=chars,
                                     edition_year=2001 + k).text,
                     encoding="utf-8")
        out.append(p)
    return out


def test_worker_parse_equals_parsing_here(tmp_path):
    files = _volumes(tmp_path, 3)
    workers = Workers(2)
    try:
        got = list(parsed_volumes(files, None, None, workers))
    finally:
        workers.close()
    assert got == [parse_volume(f) for f in files]


def test_a_bad_file_among_workers_is_named(tmp_path):
    files = _volumes(tmp_path, 3)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    workers = Workers(2)
    try:
        seen = []
        with pytest.raises(InputError, match="bad.txt"):
            for fields in parsed_volumes([files[0], bad, *files[1:]], None, None, workers):
                seen.append(fields[0])
        assert seen == [str(files[0])]  # the file before it came through, in order
    finally:
        workers.close()


def _content(arc: Archive) -> tuple:
    """What an import leaves: the records the index holds and what queries find."""
    records = sorted((r.rid, r.kind, r.norm_title, r.norm_text) for r in arc.index.store.values())
    totals = [arc.search(q, limit=0).total for q in ("园区", "发展", "苏州工业园区", "摄", "2003")]
    return records, totals, arc.stats()


@pytest.mark.parametrize("in_workers", [False, True])
def test_one_command_equals_one_by_one(tmp_path, monkeypatch, in_workers):
    files = _volumes(tmp_path, 4)
    # one segment per volume: the import indexes in several batches
    monkeypatch.setattr(archive_mod, "INDEX_BATCH_CHARS", 1)
    if in_workers:  # each batch's segment written by a worker while the next one is made
        from sipviewer.search import grams

        monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)
    with Archive.open(tmp_path / "together") as arc:
        outcomes = arc.import_files(files)
        assert [o.status for o in outcomes] == ["imported"] * 4
        assert arc.index.generation == arc.db_generation()
        together = _content(arc)
        assert arc.check().problems == ()
        assert len(arc.index._ix._read_toc().segments) == 4
    with Archive.open(tmp_path / "apart") as arc:
        for f in files:
            arc.import_files([f])
        apart = _content(arc)
    assert together == apart
    records, totals, _ = together
    # and what they find is what a plain scan of the texts finds
    for q, total in zip(("园区", "发展", "苏州工业园区", "摄", "2003"), totals):
        assert total == sum(1 for r in records if q in r[3])


def test_the_same_file_twice_in_one_command(tmp_path):
    (f,) = _volumes(tmp_path, 1)
    with Archive.open(tmp_path / "arc") as arc:
        first, again = arc.import_files([f, f])
        assert (first.status, again.status) == ("imported", "unchanged")
        assert len(arc.volumes()) == 1


KILLED_IMPORT = r"""
import sys
from sipviewer.core import archive
archive.INDEX_BATCH_CHARS = 1  # a segment per volume, each prepared before the commit
from sipviewer.core.archive import Archive
with Archive.open(sys.argv[1]) as arc:
    arc.import_files(sys.argv[2:])
"""


def test_an_import_killed_between_index_batches_changes_nothing(tmp_path):
    files = _volumes(tmp_path, 4, chars=250_000)
    target = tmp_path / "arc"
    with Archive.open(target):  # an archive with its index, before the import
        pass
    pending = target / "index" / "manifest.json.tmp"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(target), *map(str, files)],
                            cwd=ROOT, start_new_session=True)
    try:
        # the first batch is prepared once the next manifest waits beside the current one
        while proc.poll() is None and not pending.exists():
            time.sleep(0.002)
        assert proc.poll() is None, "the import ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    with Archive.open(target) as arc:
        assert arc.volumes() == []  # the database never committed: nothing changed
        assert arc.check().problems == ()
        assert arc.search("园区").total == 0
        arc.import_files(files)  # and the same import goes through afterwards
        assert len(arc.volumes()) == 4
        assert arc.check().problems == ()
        texts = [r.norm_text for r in arc.index.store.values()]
        assert arc.search("园区", limit=0).total == sum("园区" in t for t in texts)


def test_a_background_import_of_one_file_parses_in_a_worker_process(tmp_path):
    """The viewer imports on a writer thread: even one file is parsed in a worker process
    there (the parser's long C calls would hold the lock the GUI thread needs); the command
    line's one-file import parses in its own process (no worker to start)."""
    import threading

    files = _volumes(tmp_path, 2, chars=20_000)
    with Archive.open(tmp_path / "cli") as arc:
        arc.import_files([files[0]])
        assert arc._workers is None or arc._workers._pool is None
    with Archive.open(tmp_path / "viewer") as arc:
        done: list[object] = []
        thread = threading.Thread(target=lambda: done.append(arc.import_files([files[0]])))
        thread.start()
        thread.join()
        assert done and done[0][0].status == "imported"
        assert arc.workers._pool is not None
        assert arc.search("园区", limit=0).total > 0


def _worker_rss_kb() -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))


_PINNED: list[bytearray] = []  # in a worker: a block made last, kept between jobs


def _hold_and_free(megabytes: int) -> int:
    """In a worker: many mid-sized blocks made and freed, the last one kept (freed memory
    below a live block stays mapped unless it is given back); the worker's resident size
    with the blocks freed."""
    blocks = [bytearray(100_000) for _ in range(megabytes * 10)]
    for b in blocks:
        b[::4096] = b"x" * len(b[::4096])  # touched: really resident
    _PINNED.append(blocks.pop())
    del blocks
    return _worker_rss_kb()


@pytest.mark.skipif(sys.platform != "linux", reason="resident sizes read from /proc")
def test_a_worker_gives_its_jobs_memory_back(tmp_path):
    """Jobs run through the pool's workers return their results (and raise their errors)
    here; the memory a job freed is no longer resident in the idle worker afterwards."""
    workers = Workers(1)
    try:
        pool = workers.executor()
        base = pool.submit(_worker_rss_kb).result()
        during = pool.submit(_hold_and_free, 300).result()
        after = pool.submit(_worker_rss_kb).result()
        with pytest.raises(ValueError):
            pool.submit(int, "not a number").result()
    finally:
        workers.close()
    assert during - base > 100_000  # the job's 150 MB were still mapped when it returned
    assert after - base < 30_000


def _tell_then_wait(flag: str, value: object, tell) -> str:  # type: ignore[no-untyped-def]
    """In a worker: ``value`` told, then the job goes on until ``flag`` exists."""
    tell(value)
    deadline = time.monotonic() + 60
    while not os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.01)
    return "ended"


def _fail_before_telling(tell) -> None:  # type: ignore[no-untyped-def]
    raise ValueError("bad input")


def _tell_then_fail(tell) -> None:  # type: ignore[no-untyped-def]
    tell("told")
    raise OSError("disk full")


def _die_before_telling(tell) -> None:  # type: ignore[no-untyped-def]
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_job_tells_part_of_its_result_while_it_goes_on(tmp_path):
    """`submit_early`: the value a job tells reaches its own future while the job still
    runs (many jobs at once: each its own); a job that fails, or whose process is
    killed, before telling fails that future too; one that fails after telling keeps
    what it told. After a killed worker the next pool's channel works."""
    from concurrent.futures.process import BrokenProcessPool

    flag = tmp_path / "go"
    workers = Workers(2)
    try:
        pool = workers.executor()
        told, job = pool.submit_early(_tell_then_wait, str(flag), ["园区", 1])
        assert told.result(timeout=60) == ["园区", 1]
        assert not job.done()
        flag.touch()
        assert job.result(timeout=60) == "ended"
        many = [pool.submit_early(_tell_then_wait, str(flag), k) for k in range(20)]
        assert [told.result(timeout=60) for told, _ in many] == list(range(20))
        told, job = pool.submit_early(_fail_before_telling)
        with pytest.raises(ValueError):
            told.result(timeout=60)
        told, job = pool.submit_early(_tell_then_fail)
        assert told.result(timeout=60) == "told"
        with pytest.raises(OSError):
            job.result(timeout=60)
        told, job = pool.submit_early(_die_before_telling)
        with pytest.raises(BrokenProcessPool):
            told.result(timeout=60)
        with pytest.raises(BrokenProcessPool):  # (handed to the dead pool: failed too)
            workers.executor().submit_early(_tell_then_wait, str(flag), 0)[0].result(60)
        told, job = workers.executor().submit_early(_tell_then_wait, str(flag), "again")
        assert told.result(timeout=60) == "again" and job.result(timeout=60) == "ended"
    finally:
        workers.close()


def test_volumes_added_one_by_one_merge_only_the_small_segments(tmp_path, monkeypatch):
    """Past the segment limit the smallest segments are merged and the large ones stay as
    they were (an archive growing a volume at a time does not rewrite everything); what
    the index finds is what a one-command import finds."""
    from sipviewer.search import grams
    from sipviewer.search import index as index_mod

    monkeypatch.setattr(index_mod, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)  # volumes indexed by the workers
    files = _volumes(tmp_path, 6)
    with Archive.open(tmp_path / "apart") as arc:
        arc.import_files(files[:2])  # one segment of two volumes
        big = {s.segment_id() for s in arc.index._ix._read_toc().segments}
        for f in files[2:]:
            arc.import_files([f])
        ids = [s.segment_id() for s in arc.index._ix._read_toc().segments]
        assert len(ids) <= 3  # 5 segments were merged down
        assert big <= set(ids)  # the largest was kept, not rewritten
        assert arc.check().problems == ()
        apart = _content(arc)
        tag = arc.index.store.tag
    _same_in_one_command(tmp_path / "together", files, apart)
    with Archive.open(tmp_path / "apart") as arc:  # and so it opens again
        assert _content(arc) == apart
        # the store written afresh (at the latest as the archive closed): little to replay
        assert arc.index.store.tag != tag or arc.index._log_size == 0
        assert not arc.index._log_outgrown()


def _same_in_one_command(folder, files, content) -> None:
    """The same files imported in one command give the same index content."""
    with Archive.open(folder) as arc:
        arc.import_files(files)
        assert _content(arc) == content


def test_a_merge_with_a_short_change_log_switches_segments_only(tmp_path, monkeypatch):
    """Once the store's base set holds most texts, merging small segments leaves the store
    as it is (its change log kept, nothing reread) and switches the segment list in one
    manifest rename: what the index finds stays what a one-command import finds, in this
    process and after opening again, and no file of the merged-away segments is left."""
    from sipviewer.search import grams
    from sipviewer.search import index as index_mod

    monkeypatch.setattr(index_mod, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)  # volumes indexed by the workers
    files = _volumes(tmp_path, 10)
    with Archive.open(tmp_path / "apart") as arc:
        arc.import_files(files[:6])
        arc.rebuild_index()  # the store's base set holds these six volumes' texts
        tag = arc.index.store.tag
        for f in files[6:]:
            arc.import_files([f])
        index = arc.index
        assert index.store.tag == tag and index._log_size > 0  # the store was not rewritten
        segments = index._ix._read_toc().segments
        assert len(segments) <= 3  # but small segments were merged
        live = {s.segment_id() for s in segments}
        on_disk = {n.split(".")[0] for n in os.listdir(index.path) if n.startswith("MAIN_")}
        assert on_disk == live
        assert arc.check().problems == ()
        apart = _content(arc)
    _same_in_one_command(tmp_path / "together", files, apart)
    with Archive.open(tmp_path / "apart") as arc:  # and so it opens again
        assert arc.open_report.index_action == "none"
        assert _content(arc) == apart


KILLED_MERGE = r"""
import os, sys
from sipviewer.search import grams, index
index.MAX_SEGMENTS = 4
grams.PROCESS_MIN_CHARS = 1
fold = index.SearchIndex._fold_merge
def fold_merge(self, generation):
    fold(self, generation)
    if self._pending and self._pending.get("merged"):
        if sys.argv[2] == "before-commit":
            os._exit(9)
        self._drop_unnamed = lambda: os._exit(9)  # committed; the merged-away files remain
index.SearchIndex._fold_merge = fold_merge
from sipviewer.core.archive import Archive
with Archive.open(sys.argv[1]) as arc:
    for f in sys.argv[3:]:
        arc.import_files([f])
"""

def _killed_at(script: str, target, when: str, files) -> None:
    """Run ``script`` (it imports ``files`` into ``target`` and kills itself ``when``), and
    make sure none of its worker processes outlive it."""
    proc = subprocess.Popen([sys.executable, "-c", script, str(target), when,
                             *map(str, files)], cwd=ROOT, start_new_session=True)
    try:
        assert proc.wait(timeout=300) == 9
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its worker processes too
        except ProcessLookupError:
            pass
        proc.wait()


def _segments_and_search_whole(arc, target) -> None:
    """The index's files on disk are its segments, and searches find what a scan finds."""
    segments = {s.segment_id() for s in arc.index._ix._read_toc().segments}
    on_disk = {n.split(".")[0] for n in os.listdir(target / "index") if n.startswith("MAIN_")}
    assert on_disk == segments
    texts = [r.norm_text for r in arc.index.store.values()]
    for q in ("园区", "发展", "2003"):
        assert arc.search(q, limit=0).total == sum(q in t for t in texts)



@pytest.mark.parametrize("when,volumes", [("before-commit", 9), ("after-switch", 10)])
def test_an_import_killed_while_merging_segments_leaves_a_whole_archive(tmp_path, when,
                                                                       volumes):
    """The fourth import past the limit takes in the merge of the small segments that
    started with it; killed with that prepared but not committed, or committed with the
    old segments' files still there: the archive opens as it was committed (nothing to
    repair), the leftovers are removed, and searches find what a plain scan finds."""
    files = _volumes(tmp_path, 10)
    target = tmp_path / "arc"
    with Archive.open(target) as arc:
        arc.import_files(files[:6])
        arc.rebuild_index()
    _killed_at(KILLED_MERGE, target, when, files[6:])
    with Archive.open(target) as arc:
        assert arc.open_report.index_action == "none"
        assert len(arc.volumes()) == volumes
        assert arc.check().problems == ()
        _segments_and_search_whole(arc, target)


def test_a_store_rewritten_by_an_import_leaves_the_search_view_for_later(tmp_path, monkeypatch):
    """Volumes imported one by one until a merge writes the store afresh, no search in
    between: the reopened index makes its search view (and reads the texts) only when a
    search needs them, and that search finds what a scan finds; a view that was made (a
    search ran) is made again at once after a rebuild."""
    from sipviewer.search import grams
    from sipviewer.search import index as index_mod

    monkeypatch.setattr(index_mod, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)  # volumes indexed by the workers
    files = _volumes(tmp_path, 6)
    with Archive.open(tmp_path / "arc") as arc:
        tag = arc.index.store.tag
        for f in files:
            arc.import_files([f])
        index = arc.index
        index.take_store(wait=True)  # (the next import or the close would)
        assert index.store.tag != tag  # written afresh
        assert isinstance(index._current, index_mod._LaterSnapshot)
        assert index.store.loaded_texts() is None
        texts = [r.norm_text for r in index.store.values()]
        assert arc.search("园区", limit=0).total == sum("园区" in t for t in texts) > 0
        arc.rebuild_index()
        assert isinstance(index._current, index_mod._Snapshot)


def _together(tmp_path, monkeypatch, count: int, first_seed: int):  # type: ignore[no-untyped-def]
    """``count`` generated volumes and what the one-command import of them holds (their
    segments written by worker processes, whatever their size)."""
    from sipviewer.search import grams

    files = _volumes(tmp_path, count, chars=40_000, first_seed=first_seed)
    monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)
    with Archive.open(tmp_path / "together") as arc:
        arc.import_files(files)
        return files, _content(arc)


def _alone_in_halves(tmp_path, monkeypatch, first_seed: int, spied: str):  # type: ignore[no-untyped-def]
    """Three generated volumes imported one file at a time, each (after the first: no
    worker up yet) parsed in halves and indexed in two parts whatever its size, with what
    ``archive_mod.<spied>`` returns recorded: (files, the one-command import's content,
    the values recorded, the archive, open)."""
    from sipviewer.ingest import splitparse

    files, together = _together(tmp_path, monkeypatch, 3, first_seed=first_seed)
    monkeypatch.setattr(archive_mod, "HALVES_FROM", 1)
    monkeypatch.setattr(splitparse, "SPLIT_MIN_CHARS", 0)
    recorded: list[object] = []
    real = getattr(archive_mod, spied)
    monkeypatch.setattr(archive_mod, spied,
                        lambda *args: recorded.append(real(*args)) or recorded[-1])
    arc = Archive.open(tmp_path / "apart")
    for f in files:
        arc.import_files([f])
        arc.workers.executor().submit(os.getpid).result()  # (up for the next one)
    return files, together, recorded, arc


def test_volumes_added_alone_split_in_halves_equal_one_command(tmp_path, monkeypatch):
    """One file at a time: its second half parsed by a worker already up (`splitparse`)
    and its records indexed as two segments written side by side; what the archive holds
    is what the one-command import gives."""
    joined = count_joins(monkeypatch)
    files, together, taken, arc = _alone_in_halves(tmp_path, monkeypatch, 20, "_made")
    with arc:
        assert len(arc.index._ix._read_toc().segments) == 2 * len(files)
        assert arc.check().problems == ()
        apart = _content(arc)
        segment_files = {n for n in os.listdir(arc.index.path) if n.startswith("MAIN_")}
        assert segment_files <= arc.index._state_files()  # none left by a job ahead
    assert joined and all(joined)  # the files after the first were parsed in halves
    # and indexed ahead (the first file: no worker up yet): both halves' segments written
    # while the rows were
    assert len(taken) == 2 * len(files) and taken[:2] == [None, None] and all(taken[2:])
    assert together == apart


def test_texts_indexed_ahead_are_the_stored_records_texts(tmp_path, sample_path):
    """`record_texts` of a parsed volume are exactly the (title, body) the database gives
    back for its records, kind by kind in the order written, so each record takes the
    worker's normalisation and segment; the records made with it equal those made
    without (a worker that failed costs only the shortcut: see below)."""
    from sipviewer.core.pipeline import record_texts
    from sipviewer.search.records import make_records, normalized

    (gen,) = _volumes(tmp_path, 1, chars=40_000, first_seed=60)
    with Archive.open(tmp_path / "arc") as arc:
        for f in (sample_path, gen):
            arc.import_files([f])
        raws = arc.reader.raw_records()
    docs = [parse_volume(f)[2] for f in (sample_path, gen)]
    foreseen = [t for doc in docs for t in record_texts(doc)]
    by_kind = sorted(foreseen, key=lambda t: "apte".index(t[0]))  # (stable: volume order)
    assert [(raw[0][0], (raw[3], tuple(raw[4]))) for raw in raws] == by_kind
    texts = [t for _, t in foreseen]
    known = dict(zip(texts, normalized(texts)))
    assert make_records(raws, known) == make_records(raws)


def test_records_indexed_ahead_under_other_ids_are_not_taken(tmp_path, monkeypatch):
    """Ids foreseen wrongly (as if another writer had added rows): the segments written
    ahead are not taken but written again, and their files are removed."""

    files, together = _together(tmp_path, monkeypatch, 2, first_seed=30)
    monkeypatch.setattr(archive_mod, "HALVES_FROM", 1)
    real_ahead = archive_mod._index_ahead

    def wrong_ids(*args):  # type: ignore[no-untyped-def]
        parts = real_ahead(*args)
        for part in parts:
            part.rids = [f"{rid}0" for rid in part.rids]
        return parts

    monkeypatch.setattr(archive_mod, "_index_ahead", wrong_ids)
    with Archive.open(tmp_path / "apart") as arc:
        for f in files:
            arc.import_files([f])
            arc.workers.executor().submit(os.getpid).result()  # (up for the next one)
        assert arc.check().problems == ()
        segment_files = {n for n in os.listdir(arc.index.path) if n.startswith("MAIN_")}
        assert segment_files <= arc.index._state_files()
        apart = _content(arc)
    assert together == apart


def test_texts_normalised_ahead_come_before_their_segment(tmp_path):
    """A part's job tells the texts it normalised before it writes the segment: the
    records are made with them (the texts given to the job in their places) while the
    segment is still being written; a segment that failed is not taken (the index writes
    it again), and a job that failed before telling gives no texts."""
    import threading
    from concurrent.futures import Future

    from sipviewer.search.records import normalized

    texts = [("园区 年鉴", ("第一段", "第二段")), ("标题", ()), ("科技 园", ("正文",))]
    norms = normalized(texts)
    told: Future = Future()
    writing: Future = Future()
    part = archive_mod._Ahead(texts, ["a:1", "a:2", "e:3"], told, writing,
                              [None, norms[1], None])  # (the second normalised elsewhere)
    told.set_result([norms[0], norms[2]])
    known: list = []
    reader = threading.Thread(target=lambda: known.append(archive_mod._known([part])),
                              daemon=True)
    reader.start()
    reader.join(5)
    assert known == [dict(zip(texts, norms))] and not part.segment.done()
    writing.set_exception(OSError("disk full"))
    assert part.segment.done() and archive_mod._failed(part.segment)
    assert archive_mod._made([part], 0, 1, [], []) is None
    assert archive_mod._wait_ahead([part])  # (not taken: its files are the index's to remove)

    silent: Future = Future()
    failed = archive_mod._Ahead(texts, ["a:1", "a:2", "e:3"], silent, Future())
    silent.set_exception(OSError("the worker died"))
    assert archive_mod._known([failed]) == {}


def test_a_volumes_parts_are_written_from_texts_worked_out_once(tmp_path):
    """`records.segment_ahead` as a worker runs it: the texts given normalised are taken
    as they are, the others normalised and told (in order) before the segment is
    written; the segment holds every record and finds each by its text."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    from sipviewer.search.grams import make_schema
    from sipviewer.search.records import normalized, segment_ahead

    texts = [("园区 年鉴", ("第一段",)), ("标题", ("科技 园",)), ("工业园区", ())]
    norms = normalized(texts)
    told: list = []
    folder = tmp_path / "ix"
    folder.mkdir()
    segment = segment_ahead(str(folder), ["a:1", "p:2", "t:3"],
                            [texts[0], None, texts[2]], [None, norms[1], None], told.append)
    assert told == [[norms[0], norms[2]]]
    assert segment.doc_count() == 3
    storage = FileStorage(str(folder))
    reader = SegmentReader(storage, make_schema(), segment)
    try:
        assert sorted(reader.field_terms("rid")) == ["a:1", "p:2", "t:3"]
    finally:
        reader.close()
    with pytest.raises(ValueError):  # a record with neither
        segment_ahead(str(folder), ["a:1"], [None], [None], told.append)


def test_a_store_written_afresh_in_the_background_keeps_the_changes_made_meanwhile(tmp_path):
    """The store written afresh by a worker while the archive goes on changing: the
    switch carries the changes logged since it began (a caption edited meanwhile is found,
    in this process and after opening again) and leaves only the new set's files."""
    from sipviewer.search import store as store_mod

    files = _volumes(tmp_path, 2)
    with Archive.open(tmp_path / "arc") as arc:
        for f in files:
            arc.import_files([f])
        index = arc.index
        tag = index.store.tag
        with arc._writing():
            index._start_store()
        assert index._store_ahead is not None
        index._store_ahead[0].result()  # its files written before the edit's writer cleans
        photo = arc.photo_ids()[0]
        arc.update_photo(photo, caption="独一无二的说明文字")
        with arc._writing():
            index.take_store(wait=True)
        assert index.store.tag != tag and index._log_size > 0  # (the edit, logged anew)
        assert arc.search("独一无二", limit=0).total == 1
        content = _content(arc)
    with Archive.open(tmp_path / "arc") as arc:
        assert arc.open_report.index_action == "none"
        assert arc.check().problems == ()
        assert _content(arc) == content
        names = {n for n in os.listdir(arc.index.path) if store_mod.is_store_file(n)}
        assert names == set(store_mod.file_names(arc.index.store.tag))


KILLED_STORE = r"""
import os, sys
from sipviewer.search import grams, index
index.MAX_SEGMENTS = 4
grams.PROCESS_MIN_CHARS = 1
when = sys.argv[2]
take, real_write = index.SearchIndex.take_store, index.SearchIndex._write_file
def take_store(self, wait=False, switch=True):
    if when == "written" and self._store_ahead is not None:
        self._store_ahead[0].result()
        os._exit(9)  # the new set written, not switched to
    take(self, wait, switch)
def write_file(self, name, data):
    out = real_write(self, name, data)
    if name.startswith("store-") and when == "logged":
        os._exit(9)  # its own log written, the manifest not switched
    if name.startswith("store-") and when == "switched":
        self._drop_unnamed = lambda: os._exit(9)  # switched, the old set's files remain
    return out
index.SearchIndex.take_store = take_store
index.SearchIndex._write_file = write_file
from sipviewer.core.archive import Archive
with Archive.open(sys.argv[1]) as arc:
    for f in sys.argv[3:]:
        arc.import_files([f])
"""


@pytest.mark.parametrize("when", ["written", "logged", "switched"])
def test_an_import_killed_around_the_store_written_afresh_leaves_a_whole_archive(tmp_path,
                                                                                 when):
    """Killed with the store's new set written but not switched to, with its log written
    but the manifest not switched, or switched with the old set's files still there: the
    archive opens as committed (nothing to repair), the leftovers are removed, and
    searches find what a plain scan finds."""
    from sipviewer.search import store as store_mod

    files = _volumes(tmp_path, 9)
    target = tmp_path / "arc"
    _killed_at(KILLED_STORE, target, when, files)
    with Archive.open(target) as arc:
        assert arc.open_report.index_action == "none"
        assert arc.check().problems == ()
        names = {n for n in os.listdir(target / "index") if store_mod.is_store_file(n)}
        assert names <= set(store_mod.file_names(arc.index.store.tag))
        _segments_and_search_whole(arc, target)


def test_a_store_written_afresh_is_dropped_after_another_writers_commit(tmp_path):
    """The archive closes with its store's new set written while another writer committed
    since: the set no longer fits and is dropped, and nothing of the other writer's state
    is removed (the archive opens as that writer left it)."""
    files = _volumes(tmp_path, 3)
    target = tmp_path / "arc"
    first = Archive.open(target)
    try:
        for f in files[:2]:
            first.import_files([f])
        index = first.index
        with first._writing():
            index._start_store()
        assert index._store_ahead is not None
        index._store_ahead[0].result()
        with Archive.open(target) as other:
            other.import_files([files[2]])
            content = _content(other)
    finally:
        first.close()  # (switches or drops the new set)
    with Archive.open(target) as arc:
        assert arc.open_report.index_action == "none"
        assert arc.check().problems == ()
        assert _content(arc) == content


def test_the_second_half_is_indexed_from_its_own_workers_texts(tmp_path, monkeypatch):
    """A volume imported alone and parsed in two halves: the worker that read the second
    half normalised its records' texts too, and those are the texts given to the jobs
    that index the volume's two parts (the records as the whole parse makes them, in two
    runs), not normalised again; both parts' segments written ahead are taken, and the
    archive holds what the one-command import gives."""
    from sipviewer.core.pipeline import record_texts, section_texts
    from sipviewer.ingest.parser import parse_text
    from sipviewer.search.records import normalized

    files, together, made, arc = _alone_in_halves(tmp_path, monkeypatch, 90, "_index_ahead")
    with arc:
        apart = _content(arc)
    assert together == apart
    assert len(made) == len(files) - 1  # (the first file: no worker up yet)
    for f, parts in zip(files[1:], made):
        assert len(parts) == 2 and all(part.used for part in parts)
        doc = parse_text(f.read_text(encoding="utf-8"), f.name, "utf-8", None)
        whole = [t for _, t in record_texts(doc)]
        assert parts[0].texts + parts[1].texts == whole  # (both parts: runs in that order)
        given = [t for part in parts for t, norm in zip(part.texts, part._given)
                 if norm is not None]
        cuts = [n for n in range(1, len(doc.sections))
                if [t for _, t in section_texts(doc.sections[n:])] == given]
        assert len(cuts) == 1, f.name  # the texts given: those of the worker's sections
        for part in parts:
            assert part.job.result() == normalized(part.texts)


@pytest.mark.parametrize("count", [1, 3])
def test_an_import_after_a_worker_was_killed_goes_on(tmp_path, monkeypatch, count):
    """A worker process killed between imports (the system ran short of memory, say): the
    next import, of one file or several, finds its pool broken as it hands work over and
    does that work itself; the archive holds what an archive that lost no worker holds."""
    from sipviewer.search import grams

    monkeypatch.setattr(grams, "PROCESS_MIN_CHARS", 1)  # segments written by the workers
    files = _volumes(tmp_path, count + 1, chars=40_000, first_seed=80)
    contents = []
    for name, kill in (("lost", True), ("kept", False)):
        with Archive.open(tmp_path / name) as arc:
            arc.import_files(files[:1])
            pool = arc.workers.executor()
            pids = {pool.submit(os.getpid).result() for _ in range(8)}
            if kill:
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
                time.sleep(0.5)  # (the pool notices)
            arc.import_files(files[1:])
            contents.append(_content(arc))
            assert arc.check().problems == ()
    assert contents[0] == contents[1]
