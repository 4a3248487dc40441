"""One writer, many readers, across processes (real `sipviewer` processes, real files)."""

from __future__ import annotations

import subprocess
import sys
import time

from sipviewer.core.archive import Archive
from sipviewer.core.writelock import WriterLock
from tests.safety_helpers import ROOT, cli, one_line

sys.path.insert(0, str(ROOT / "bench"))
import drill


def test_drill_one_importer_four_searchers(tmp_path):
    """The short drill: every search answers, every total is one a sequential import had,
    every import reports success and is in."""
    volumes = drill.make_volumes(tmp_path / "volumes", 2, 6000)  # light: suites run in parallel
    result = drill.run_drill(tmp_path, volumes, seconds=0)
    assert result["errors"] == [], result["errors"][:3]
    assert result["impossible"] == [], result["impossible"][:3]
    assert result["failed_imports"] == [], result["failed_imports"]
    assert result["imports"] == 2 and result["searches"] >= 4
    assert result["final_matches"] and result["check_ok"], result["check"]


def test_a_second_writer_waits_says_so_and_proceeds(tmp_path, sample_path):
    path = tmp_path / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    vol = tmp_path / "v.txt"
    from sipviewer.ingest.synthetic import generate_volume

    vol.write_text(generate_volume(3, target_chars=6000, edition_year=2001).text,
                   encoding="utf-8")
    import threading

    lock = WriterLock(path)
    lines: list[str] = []
    told = threading.Event()
    with lock.held():
        proc = subprocess.Popen([sys.executable, "-m", "sipviewer", "import", str(vol),
                                 "--archive", str(path), "--quiet"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def read_stderr() -> None:
            for line in proc.stderr:  # type: ignore[union-attr]
                lines.append(line)
                if "another sipviewer is writing to this archive" in line:
                    told.set()

        reader = threading.Thread(target=read_stderr)
        reader.start()
        assert told.wait(300), "".join(lines)  # it says so, and waits (does not fail)
        time.sleep(1)
        assert proc.poll() is None
    out = proc.stdout.read()  # type: ignore[union-attr]
    proc.wait(timeout=300)
    reader.join()
    assert proc.returncode == 0, "".join(lines)
    assert "imported" in out


def test_a_second_writer_gives_up_after_the_timeout_with_one_line(tmp_path, sample_path):
    path = tmp_path / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        volumes = len(arc.volumes())
    from sipviewer.ingest.synthetic import generate_volume

    vol = tmp_path / "v.txt"
    vol.write_text(generate_volume(4, target_chars=6000, edition_year=2002).text,
                   encoding="utf-8")
    with WriterLock(path).held():
        r = cli("import", str(vol), "--archive", str(path), "--quiet",
                env={"SIPVIEWER_LOCK_TIMEOUT": "1"})
        # readers never wait for the writer
        s = cli("search", "园区", "--archive", str(path))
    assert r.returncode == 1
    notice, failure = r.stderr.strip().splitlines()
    assert "another sipviewer is writing to this archive" in notice
    assert "still writing to this archive" in one_line(failure)
    assert s.returncode == 0, s.stderr
    with Archive.open(path, read_only=True) as arc:
        assert len(arc.volumes()) == volumes


def test_a_commit_never_closes_the_reader_of_a_running_search(tmp_path, sample_path):
    from sipviewer.search.query import parse_query

    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        index = arc.index
        snap = index._acquire()  # a search is running on this snapshot
        pid = arc.photo_ids()[0]
        arc.update_photo(pid, caption="新的说明文字")  # commits: a new snapshot
        assert index._snap is not snap
        # the running search still reads its postings
        outcome = index._search(snap, parse_query("园区"), index.search.__defaults__[0], 0,
                                None)
        assert outcome.total > 0
        with index._snap_lock:
            snap.release()
        assert arc.search("新的说明文字").total == 1


def _search_while(arc, work) -> tuple[list[str], int]:
    """Search from another thread, again and again, while ``work()`` runs here; (the
    errors those searches raised, how many answered)."""
    import threading

    errors: list[str] = []
    answered = [0]
    expected = arc.search("园区", limit=5).total
    stop = threading.Event()

    def searcher() -> None:
        while not stop.is_set():
            try:
                total = arc.search("园区", limit=5).total
            except Exception as exc:  # every failure is the finding
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if total != expected:
                errors.append(f"total {total} != {expected}")
            answered[0] += 1

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        work()
    finally:
        stop.set()
        thread.join()
    return errors, answered[0]


def test_searches_keep_answering_while_the_index_is_rebuilt(tmp_path, sample_path):
    """A rebuild writes a new generation beside the old and switches by the manifest: a
    search running meanwhile (another thread of the same archive) never finds the index
    closed, and sees the old generation or the new one."""
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)

        def rebuilds() -> None:
            for _ in range(6):
                arc.rebuild_index()

        errors, answered = _search_while(arc, rebuilds)
        assert errors == [], errors[:3]
        assert answered > 0
        assert arc.check().problems == ()
        names = sorted(p.name for p in (tmp_path / "arc" / "index").iterdir())
        assert len([n for n in names if n.startswith("records")]) == 1, names  # old ones gone


def test_a_search_in_another_process_answers_through_a_rebuild(tmp_path, sample_path):
    """Another process (the `search` command) during rebuilds: every run answers."""
    path = tmp_path / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        expected = arc.search("园区", limit=0).total
    code = ("import sys\nfrom sipviewer.core.archive import Archive\n"
            "with Archive.open(sys.argv[1], read_only=True) as arc:\n"
            "    for _ in range(40):\n"
            "        print(arc.search('园区', limit=0).total, flush=True)\n"
            "        arc.index.open() if arc.index.changed_on_disk() else None\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    with Archive.open(path) as arc:
        while proc.poll() is None:
            arc.rebuild_index()
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert set(out.split()) == {str(expected)}


def test_held_now_takes_the_writer_lock_only_when_free(tmp_path):
    """An archive closing switches its index's new store only if no writer holds the
    archive: `held_now` never waits, in this process or for another one."""
    other, mine = WriterLock(tmp_path), WriterLock(tmp_path)
    with other.held():
        started = time.monotonic()
        with mine.held_now() as held:
            assert not held and not mine.is_held
        assert time.monotonic() - started < 1
    with mine.held_now() as held:
        assert held and mine.is_held
        with mine.held_now() as again:  # (nested, as `held`)
            assert again
        assert mine.is_held
    assert not mine.is_held
    with other.held():  # released: another writer takes it at once
        pass
