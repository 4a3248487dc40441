"""Attaching a folder of scans with bad files among them: the preview names every bad file
and why, a good caption match wins over a bad file named after the photo, the command line
exits non-zero when a file is not attached, and a failed attach leaves no image behind.
Real archive, images made with Pillow, real subprocesses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from sipviewer.core.archive import Archive
from sipviewer.model.errors import NotFoundError


@pytest.fixture(scope="module")
def template(tmp_path_factory, sample_path) -> Path:
    root = tmp_path_factory.mktemp("attach")
    with Archive.open(root / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    return root / "arc"


@pytest.fixture
def arc_dir(template, tmp_path) -> Path:
    shutil.copytree(template, tmp_path / "arc")
    return tmp_path / "arc"


def jpeg(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (320, 240), colour).save(path, "JPEG", quality=90)
    return path


def scans(arc_dir: Path, folder: Path) -> dict[str, int]:
    """10.jpg is text, 3.jpg a truncated JPEG, photo 10's caption names a good scan."""
    with Archive.open(arc_dir, read_only=True) as arc:
        ten = arc.photo(10)
    folder.mkdir()
    (folder / "10.jpg").write_text("扫描件清单，不是图片", encoding="utf-8")
    whole = jpeg(folder / "whole.tmp", (200, 30, 30)).read_bytes()
    (folder / "whole.tmp").unlink()
    (folder / "3.jpg").write_bytes(whole[: len(whole) // 2])
    jpeg(folder / f"{ten.caption[:24]}.jpg", (30, 200, 30))
    jpeg(folder / "5.jpg", (30, 30, 200))
    return {"caption": 10, "five": 5}


def test_the_preview_names_bad_files_and_a_good_caption_match_wins(arc_dir, tmp_path):
    folder = tmp_path / "scans"
    scans(arc_dir, folder)
    with Archive.open(arc_dir) as arc:
        plan = arc.catalogue.plan_folder(folder)
        assert sorted((m.photo_id, m.how) for m in plan.matches) == [(5, "id"), (10, "caption")]
        why = dict((f.name, w) for f, w in plan.unmatched_files)
        assert set(why) == {"10.jpg", "3.jpg"}
        assert "not an image file" in why["10.jpg"]
        assert "damaged or incomplete" in why["3.jpg"]
        assert {f.name for f, _ in plan.unreadable} == {"10.jpg", "3.jpg"}
        for text in why.values():  # no exception class leaks into the reason
            assert not re.search(r"Error|OSError|\(\w+Error\)", text)
        out = arc.catalogue.attach_plan(plan)
        assert sorted(out.result.photo_ids) == [5, 10] and out.failed == ()
        assert arc.photo(10).image_name and arc.photo(10).image_name != "10.jpg"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, timeout=240)


def test_the_command_line_flags_bad_files_and_exits_non_zero(arc_dir, tmp_path):
    folder = tmp_path / "scans"
    scans(arc_dir, folder)
    dry = run_cli("photos", "attach", "--folder", str(folder), "--dry-run",
                  "--archive", str(arc_dir))
    assert dry.returncode == 0, dry.stderr
    assert "10.jpg: not matched (not a readable image (not an image file" in dry.stdout
    assert "3.jpg: not matched (not a readable image (damaged" in dry.stdout
    assert "2 matched" in dry.stdout and "dry run: nothing changed" in dry.stdout
    listed = json.loads(run_cli("photos", "attach", "--folder", str(folder), "--dry-run",
                                "--json", "--archive", str(arc_dir)).stdout)
    assert {u["file"] for u in listed["unreadable"]} == {"10.jpg", "3.jpg"}

    done = run_cli("photos", "attach", "--folder", str(folder), "--archive", str(arc_dir))
    assert done.returncode == 2
    assert "10.jpg: not attached" in done.stderr and "3.jpg: not attached" in done.stderr
    assert "2 photos got an image" in done.stdout
    one = run_cli("photos", "attach", "1", str(folder / "5.jpg"), "--archive", str(arc_dir))
    assert one.returncode == 0 and "1 photo got an image" in one.stdout


def test_a_failed_attach_leaves_no_image_file_behind(arc_dir, tmp_path):
    good = jpeg(tmp_path / "good.jpg", (90, 90, 90))
    with Archive.open(arc_dir) as arc:
        before = sorted(p.name for p in (arc_dir / "images").iterdir())
        with pytest.raises(NotFoundError):
            arc.catalogue.attach([(1, good), (99999, good)])  # no photo 99999: nothing written
        assert sorted(p.name for p in (arc_dir / "images").iterdir()) == before
        assert arc.photo(1).image_path is None
        assert not arc.check().problems
