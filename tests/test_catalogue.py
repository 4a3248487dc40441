"""The photo catalogue through the archive facade: batch edits as change sets, history,
revert, attaching images one by one and from a folder, and search seeing it all at once.
Real SQLite files, a real index, images made with Pillow; no display."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from sipviewer.core.archive import Archive
from sipviewer.core.catalogue_values import Edit, date_zh, parse_date
from sipviewer.model.errors import InputError, NotFoundError, QueryError


@pytest.fixture(scope="session")
def template(tmp_path_factory, sample_path) -> Path:
    """The sample volume plus a generated one: more than 200 photos, built once."""
    from sipviewer.ingest.synthetic import generate_volume

    root = tmp_path_factory.mktemp("catalogue-template")
    vol = root / "generated.txt"
    vol.write_text(generate_volume(7, target_chars=360000, edition_year=2012).text,
                   encoding="utf-8")
    with Archive.open(root / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        arc.import_files([vol])
        assert len(arc.photo_ids()) >= 200
    return root / "arc"


@pytest.fixture
def archive(template, tmp_path):
    shutil.copytree(template, tmp_path / "arc")
    arc = Archive.open(tmp_path / "arc")
    yield arc
    arc.close()


def jpeg(path: Path, color=(180, 40, 40), size=(64, 48), exif_date: str | None = None) -> Path:
    im = Image.new("RGB", size, color)
    exif = Image.Exif()
    if exif_date:
        exif[0x0132] = exif_date
        exif[0x0112] = 6
    im.save(path, "JPEG", quality=90, exif=exif)
    return path


# -- values -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start, end, precision", [
    ("2020-01-29", date(2020, 1, 29), date(2020, 1, 29), "day"),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),
    ("2020", date(2020, 1, 1), date(2020, 12, 31), "year"),
    ("2020-01-08/2020-01-19", date(2020, 1, 8), date(2020, 1, 19), "range"),
    ("2020年1月29日", date(2020, 1, 29), date(2020, 1, 29), "day"),
    ("2020年1月8—19日", date(2020, 1, 8), date(2020, 1, 19), "range"),
    ("2020年2月", date(2020, 2, 1), date(2020, 2, 29), "month"),
    ("", None, None, "none"),
])
def test_dates_as_librarians_type_them(text, start, end, precision):
    d = parse_date(text)
    assert (d.start, d.end, d.precision) == (start, end, precision)
    assert parse_date(d.iso()) == d  # the history's text form keeps the precision


@pytest.mark.parametrize("bad", ["2020-13", "2020-02-30", "2020年13月", "昨天", "2020-05/2020-01",
                                 "2020年1月8日下午"])
def test_bad_dates_are_refused(bad):
    with pytest.raises(InputError):
        parse_date(bad)


def test_dates_in_chinese():
    assert date_zh(date(2020, 1, 8), date(2020, 1, 19), "range") == "2020年1月8—19日"
    assert date_zh(date(2020, 2, 1), date(2020, 2, 29), "month") == "2020年2月"


# -- editing ----------------------------------------------------------------------------------
def test_batch_edit_is_one_change_set_and_searchable_at_once(archive):
    cat = archive.catalogue
    ids = archive.photo_ids()[:3]
    result = cat.edit(ids, Edit({"location": "金鸡湖畔", "date": "2020年1月8—19日"},
                                add_tags=("防疫志愿者",)))
    assert result.change_set is not None
    assert set(result.photo_ids) == set(ids)
    info = cat.change_set(result.change_set)
    assert info.user and info.action == "edit"
    assert {(c.field, c.new) for c in info.changes} >= {
        ("location", "金鸡湖畔"), ("date", "2020-01-08/2020-01-19"),
        ("tags", '["防疫志愿者"]')}
    for pid in ids:
        p = archive.photo(pid)
        assert p.location == "金鸡湖畔" and "防疫志愿者" in p.tags
        assert (p.date_start, p.date_end, p.date_precision) == (
            date(2020, 1, 8), date(2020, 1, 19), "range")
        assert {h.change_set for h in cat.history(pid)} == {result.change_set}
    photos = archive.make_filters(kinds=["photo"])
    assert {h.id for h in archive.search("金鸡湖畔", photos, limit=0).hits} == set(ids)
    assert {h.id for h in archive.search("tag:志愿者", limit=0).hits} == set(ids)
    assert {h.id for h in archive.search("", archive.make_filters(tags=["防疫志愿者"]),
                                         limit=0).hits} == set(ids)
    assert archive.search("-tag:志愿者", photos, limit=0).total == len(archive.photo_ids()) - 3
    with pytest.raises(QueryError):
        archive.search("tag:志愿者 OR 金鸡湖")


def test_bad_input_changes_nothing(archive):
    cat = archive.catalogue
    ids = archive.photo_ids()[:2]
    before = [archive.photo(i) for i in ids]
    with pytest.raises(NotFoundError):
        cat.edit([*ids, 999999], Edit({"notes": "x"}))
    with pytest.raises(InputError):
        cat.edit(ids, Edit({"date": "2020-13"}))
    with pytest.raises(InputError):
        cat.edit(ids, Edit({"caption": "  "}))
    with pytest.raises(InputError):
        cat.edit(ids, Edit({"credit_kind": "painter"}))
    assert [archive.photo(i) for i in ids] == before
    assert cat.change_sets() == []


def test_an_edit_that_changes_nothing_makes_no_change_set(archive):
    pid = archive.photo_ids()[0]
    caption = archive.photo(pid).caption
    assert archive.catalogue.edit([pid], Edit({"caption": caption})).change_set is None
    assert archive.catalogue.change_sets() == []


def test_credit_moves_department_and_mixed_fields_are_left_alone(archive):
    cat = archive.catalogue
    a, b = archive.photo_ids()[:2]
    cat.edit([a], Edit({"notes": "甲"}))
    cat.edit([a, b], Edit({"credit": "苏州工业园区新闻中心", "credit_kind": "供稿"}))
    pa, pb = archive.photo(a), archive.photo(b)
    assert pa.department == pb.department == "园区新闻中心"  # canonical name from the alias
    assert pa.notes == "甲" and pb.notes is None  # not named in the edit: untouched
    assert archive.search("", archive.make_filters(departments=["园区新闻中心"],
                                                   kinds=["photo"]), limit=0).total >= 2


# -- reverting --------------------------------------------------------------------------------
def test_revert_keeps_later_edits_unless_forced(archive):
    cat = archive.catalogue
    pid = archive.photo_ids()[0]
    original = archive.photo(pid).caption
    first = cat.edit([pid], Edit({"caption": "第一次改", "location": "独墅湖"},
                                 add_tags=("甲",))).change_set
    cat.edit([pid], Edit({"caption": "第二次改"}, add_tags=("乙",)))
    undone = cat.revert(first)
    p = archive.photo(pid)
    assert p.caption == "第二次改"  # edited again later: kept
    assert p.location is None  # only this set changed it: reverted
    assert p.tags == ("乙",)  # the tag this set added is gone, the later one stays
    assert [(c.field, c.old, c.new) for c in undone.conflicts] == [
        ("caption", "第二次改", original)]
    assert cat.change_set(undone.change_set).reverts == first
    forced = cat.revert(first, force=True)
    assert archive.photo(pid).caption == original and not forced.conflicts
    assert archive.search("第二次改").total == 0  # reindexed


def test_revert_of_a_revert_redoes(archive):
    cat = archive.catalogue
    ids = archive.photo_ids()[:3]
    done = cat.edit(ids, Edit(add_tags=("夜景",)))
    undo = cat.revert(done.change_set)
    assert all("夜景" not in archive.photo(i).tags for i in ids)
    cat.revert(undo.change_set)
    assert all("夜景" in archive.photo(i).tags for i in ids)
    history = cat.history(ids[0])
    assert [h.action for h in history] == ["edit", "revert", "revert"]


# -- attaching --------------------------------------------------------------------------------
def test_attach_checks_copies_and_offers_the_exif_date(archive, tmp_path):
    cat = archive.catalogue
    pid = next(i for i in archive.photo_ids() if archive.photo(i).date_start is None)
    img = jpeg(tmp_path / "扫描 001.jpg", exif_date="2020:03:05 10:20:00")
    out = cat.attach([(pid, img)])
    p = archive.photo(pid)
    assert p.image_path and Path(p.image_path).read_bytes() == img.read_bytes()
    assert Path(p.image_path).name.startswith(out.result.changes[0].new[:16])
    assert p.image_name == "扫描 001.jpg"
    assert out.offers == ((pid, date(2020, 3, 5)),)
    assert p.date_start is None  # offered, not forced
    assert archive.search("", archive.make_filters(has_image=True), limit=0).total == 1
    # a truncated JPEG is found by a full decode, and nothing changes
    broken = tmp_path / "broken.jpg"
    whole = jpeg(tmp_path / "whole.jpg", size=(640, 480)).read_bytes()
    broken.write_bytes(whole[: len(whole) * 3 // 4])
    other = next(i for i in archive.photo_ids() if i != pid)
    with pytest.raises(InputError):
        cat.attach([(other, broken)])
    assert archive.photo(other).image_path is None
    # revert takes the image off again
    cat.revert(out.result.change_set)
    assert archive.photo(pid).image_path is None


def test_folder_matching_by_id_caption_and_csv(archive, tmp_path):
    cat = archive.catalogue
    photos = archive.photo_views(archive.photo_ids()[:4])
    folder = tmp_path / "scans"
    folder.mkdir()
    jpeg(folder / f"{photos[0].id}.jpg", (10, 10, 10))
    jpeg(folder / f"{photos[1].caption[:30]}.jpg", (20, 20, 20))
    jpeg(folder / "unrelated-name.jpg", (30, 30, 30))
    (folder / "readme.txt").write_text("not an image", encoding="utf-8")
    plan = cat.plan_folder(folder)
    assert {(m.photo_id, m.how) for m in plan.matches} == {(photos[0].id, "id"),
                                                           (photos[1].id, "caption")}
    assert [f.name for f, _ in plan.unmatched_files] == ["unrelated-name.jpg"]
    assert archive.photo(photos[0].id).image_path is None  # a preview changes nothing
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"file,photo_id\nunrelated-name.jpg,{photos[2].id}\n"
                       f"missing.jpg,{photos[3].id}\n", encoding="utf-8")
    plan2 = cat.plan_folder(folder, mapping)
    assert [(m.file.name, m.photo_id) for m in plan2.matches] == [
        ("unrelated-name.jpg", photos[2].id)]
    assert {f.name for f, _ in plan2.unmatched_files} == {
        "missing.jpg", f"{photos[0].id}.jpg", f"{photos[1].caption[:30]}.jpg"}
    out = cat.attach_plan(plan)
    assert len(out.result.photo_ids) == 2
    assert len({c.change_set for c in [*cat.history(photos[0].id),
                                       *cat.history(photos[1].id)]}) == 1


# -- a crash mid-batch ------------------------------------------------------------------------
KILL_SCRIPT = r"""
import sys, time
from sqlalchemy import event
from sipviewer.core.archive import Archive
from sipviewer.core.catalogue import Edit

arc = Archive.open(sys.argv[1])
ids = arc.photo_ids()[:200]
pause = sys.argv[2] == "pause"

def hook(conn, cursor, statement, params, context, executemany):
    # the batch's field changes are being written: every photo row is already changed
    # inside the open transaction; say so and wait to be killed
    if pause and statement.startswith("INSERT INTO photo_changes"):
        print("MID", flush=True)
        time.sleep(60)

event.listen(arc.engine, "before_cursor_execute", hook)
print("START", flush=True)
arc.catalogue.edit(ids, Edit({"location": "批量地点"}, add_tags=("批量标签",)))
print("DONE", flush=True)
"""


def _tagged(path: Path) -> int:
    with Archive.open(path) as arc:
        n = arc.catalogue.photo_ids_where(tags=["批量标签"])
        located = sum(1 for p in arc.photo_views(arc.photo_ids()) if p.location == "批量地点")
        hits = arc.search("tag:批量标签", limit=0).total
        assert len(n) == located == hits  # database and index agree
        return len(n)


def _run(path: Path, mode: str):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(path), mode],
                            stdout=subprocess.PIPE, text=True)


def test_kill_during_a_200_photo_batch_leaves_none_of_it(template, tmp_path):
    import signal

    arc = tmp_path / "arc"
    shutil.copytree(template, arc)
    proc = _run(arc, "pause")
    assert proc.stdout.readline().strip() == "START"
    assert proc.stdout.readline().strip() == "MID"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _tagged(arc) == 0
    proc = _run(arc, "go")  # the same batch run to its end: all of it
    out, _ = proc.communicate(timeout=120)
    assert "DONE" in out and _tagged(arc) == 200


def test_kill_at_any_moment_leaves_all_or_none(template, tmp_path):
    import random
    import signal
    import time

    rng = random.Random(11)
    for k in range(4):
        arc = tmp_path / f"arc{k}"
        shutil.copytree(template, arc)
        proc = _run(arc, "go")
        assert proc.stdout.readline().strip() == "START"
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert _tagged(arc) in (0, 200)
