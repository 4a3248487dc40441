"""Failures leave the archive as it was; read-only archives work. Real processes, real file
systems: a small tmpfs for a full disk, a read-only remount for read-only media, SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from sipviewer.core.archive import Archive
from sipviewer.ingest.synthetic import generate_volume
from tests.safety_helpers import (
    ROOT,
    can_mount,
    cli,
    mount_tmpfs,
    one_line,
    remount_read_only,
    unmount,
)

needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root to mount a tmpfs")


def _total(path, query="园区") -> int:
    r = cli("search", query, "--json", "--limit", "0", "--archive", str(path))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["total"]


def _leftovers(path) -> list[str]:
    out = [p.name for p in path.iterdir() if p.name.startswith("index.")]
    idx = path / "index"
    if idx.is_dir():
        manifest = json.loads((idx / "manifest.json").read_text())
        out += [p.name for p in idx.iterdir()
                if p.name.endswith((".tmp", ".part")) or p.is_dir()
                or (p.name.startswith("MAIN_") and p.name not in manifest["files"])]
    out += [p.name for sub in ("images", "thumbnails") if (path / sub).is_dir()
            for p in (path / sub).iterdir() if p.name.endswith(".part")]
    return out


@pytest.fixture
def mounted(tmp_path):
    where = tmp_path / "mnt"
    yield where
    unmount(where)


@needs_mount
def test_disk_full_during_an_import_changes_nothing(mounted, tmp_path, sample_path):
    mount_tmpfs(mounted, "24m")  # room for the volume once the filler is gone
    path = mounted / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    before = _total(path)
    vol = tmp_path / "big.txt"
    vol.write_text(generate_volume(7, target_chars=400_000, edition_year=2003).text,
                   encoding="utf-8")
    free = shutil.disk_usage(mounted).free
    filler = mounted / "filler"
    filler.write_bytes(b"\0" * max(0, free - 300_000))  # about 300 kB left
    r = cli("import", str(vol), "--archive", str(path), "--quiet")
    assert r.returncode == 1, r.stdout + r.stderr
    line = one_line(r.stderr)
    assert "full" in line, line
    # the archive is as it was: searchable, consistent, no partial files
    assert _total(path) == before
    c = cli("check", "--archive", str(path))
    assert c.returncode == 0, c.stdout
    assert _leftovers(path) == []
    with Archive.open(path, read_only=True) as arc:
        assert len(arc.volumes()) == 1
    filler.unlink()
    r = cli("import", str(vol), "--archive", str(path), "--quiet")
    assert r.returncode == 0, r.stderr
    assert _total(path) > before


@needs_mount
def test_disk_full_during_a_repair_keeps_the_old_index(mounted, sample_path):
    mount_tmpfs(mounted, "4m")
    path = mounted / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    before = _total(path)
    free = shutil.disk_usage(mounted).free
    # room for a writer's SQLite shared-memory file (32 kB; a read-only search leaves none)
    (mounted / "filler").write_bytes(b"\0" * max(0, free - 20_000 - 40_000))
    r = cli("check", "--repair", "--archive", str(path))  # nothing to repair: no writes
    assert r.returncode == 0, r.stdout + r.stderr
    (path / "index" / "manifest.json").unlink()  # now the index must be rebuilt: no room
    r = cli("check", "--repair", "--archive", str(path))
    assert r.returncode == 1
    assert "full" in one_line(r.stderr)
    assert not (path / "index.building").exists()
    (mounted / "filler").unlink()
    assert _total(path) == before
    assert cli("check", "--repair", "--archive", str(path)).returncode == 0
    assert cli("check", "--archive", str(path)).returncode == 0


def test_an_import_killed_at_any_moment_leaves_a_consistent_archive(tmp_path, sample_path):
    path = tmp_path / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    before = _total(path)
    vol = tmp_path / "v.txt"
    vol.write_text(generate_volume(9, target_chars=150_000, edition_year=2004).text,
                   encoding="utf-8")
    with Archive.open(tmp_path / "reference") as ref:
        ref.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        ref.import_files([vol])
        after = ref.search("园区", limit=0).total
    for delay in (1.0, 2.5, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "sipviewer", "import", str(vol),
                                 "--archive", str(path), "--quiet"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert _total(path) in (before, after)  # a reader: one whole state
        c = cli("check", "--repair", "--archive", str(path))
        assert c.returncode == 0, c.stdout + c.stderr
        assert _total(path) in (before, after)
        assert cli("check", "--archive", str(path)).returncode == 0
        assert _leftovers(path) == []
        if _total(path) == after:  # the import completed before the kill: done
            break


@needs_mount
def test_read_only_media_search_check_export_and_a_stale_index(mounted, tmp_path,
                                                               sample_path):
    mount_tmpfs(mounted, "20m")
    path = mounted / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        before = arc.search("园区", limit=0).total
        saved = tmp_path / "old-index"
        shutil.copytree(path / "index", saved)
        pid = arc.photo_ids()[0]
        arc.update_photo(pid, caption="只读介质上的新说明")
    # the index goes back to before the edit: behind the database
    shutil.rmtree(path / "index")
    shutil.copytree(saved, path / "index")
    remount_read_only(mounted)
    assert not os.access(path, os.W_OK)
    r = cli("search", "只读介质上的新说明", "--json", "--archive", str(path))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["total"] == 1  # the gap is made up from the database
    assert _total(path) == before
    c = cli("check", "--archive", str(path))
    assert "behind" in c.stdout or "out of date" in c.stdout, c.stdout
    e = cli("export", "photos", "-o", str(tmp_path / "photos.csv"), "--archive", str(path))
    assert e.returncode == 0, e.stderr
    assert "只读介质上的新说明" in (tmp_path / "photos.csv").read_text(encoding="utf-8-sig")
    i = cli("import", str(sample_path), "--archive", str(path))
    assert i.returncode == 1 and "cannot be written" in one_line(i.stderr)
    with Archive.open(path, read_only=True) as arc:  # what the kiosk opens
        assert arc.tree() and arc.search("园区", limit=0).total == before


def test_read_only_flag_refuses_writes(tmp_path, sample_path):
    path = tmp_path / "arc"
    r = cli("--read-only", "import", str(sample_path), "--archive", str(path))
    assert r.returncode == 2 and "--read-only" in one_line(r.stderr)
    assert not path.exists()
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    assert cli("--read-only", "search", "园区", "--archive", str(path)).returncode == 0
    r = cli("--read-only", "check", "--repair", "--archive", str(path))
    assert r.returncode == 2
