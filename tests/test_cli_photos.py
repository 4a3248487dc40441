"""The cataloguing command line (``photos …``, ``export photos …``) on a real archive built
from the sample, and exported images read back with pyexiv2."""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from sipviewer.cli import main
from sipviewer.core.archive import Archive


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory, sample_path) -> Path:
    root = tmp_path_factory.mktemp("cli-photos") / "arc"
    with Archive.open(root) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    return root


@pytest.fixture
def arc(sample_archive, tmp_path) -> Path:
    shutil.copytree(sample_archive, tmp_path / "arc")
    return tmp_path / "arc"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def photo_list(capsys, arc: Path, *args: str) -> dict:
    code, out, _ = run(capsys, "photos", "list", *args, "--json", "--archive", str(arc))
    assert code == 0
    return json.loads(out)


def noisy_jpeg(path: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    im = Image.new("RGB", (120, 90))
    im.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                for _ in range(120 * 90)])
    im.save(path, "JPEG", quality=85)
    return path


def test_list_edit_history_revert(capsys, arc):
    everything = photo_list(capsys, arc)
    assert everything["total"] >= 3
    keys = {"id", "caption", "date_start", "date_end", "date_precision", "credit",
            "credit_kind", "department", "tags", "location", "notes", "image", "volume",
            "article_id", "page"}
    assert keys <= set(everything["photos"][0])
    ids = [p["id"] for p in everything["photos"][:3]]
    code, out, _ = run(capsys, "photos", "edit", ",".join(map(str, ids)), "--add-tag", "夜景",
                       "--location", "金鸡湖", "--credit", "张三", "--credit-kind",
                       "photographer", "--archive", str(arc))
    assert code == 0 and out.startswith("change ")
    change = int(out.split()[1].rstrip(":"))
    tagged = photo_list(capsys, arc, "--tag", "夜景")
    assert sorted(p["id"] for p in tagged["photos"]) == sorted(ids)
    assert all(p["credit"] == "张三" and p["credit_kind"] == "photographer"
               for p in tagged["photos"])
    assert photo_list(capsys, arc, "tag:夜景 金鸡湖")["total"] == 3
    code, out, _ = run(capsys, "photos", "history", str(ids[0]), "--json", "--archive", str(arc))
    history = json.loads(out)
    assert history["photo"] == ids[0]
    assert {c["field"] for c in history["changes"]} >= {"tags", "location", "credit"}
    assert set(history["changes"][0]) == {"change", "at", "user", "field", "old", "new"}
    assert {c["change"] for c in history["changes"]} == {change}
    code, out, _ = run(capsys, "photos", "revert", str(change), "--archive", str(arc))
    assert code == 0
    assert photo_list(capsys, arc, "--tag", "夜景")["total"] == 0


@pytest.mark.parametrize("argv, message", [
    (["photos", "edit", "999999", "--notes", "x"], "no photo 999999"),
    (["photos", "edit", "1", "--date", "2020-13"], "2020-13"),
    (["photos", "edit", "1,x", "--notes", "x"], "not a photo id"),
    (["photos", "revert", "424242"], "no change set"),
    (["photos", "list", "--from", "2020-13"], "2020-13"),
])
def test_bad_input_exits_2_with_one_line_and_changes_nothing(capsys, arc, argv, message):
    before = photo_list(capsys, arc)
    code, out, err = run(capsys, *argv, "--archive", str(arc))
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert photo_list(capsys, arc) == before


def test_attach_refuses_a_non_image_in_a_real_process(arc, tmp_path):
    fake = tmp_path / "scan.jpg"
    fake.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    done = subprocess.run([sys.executable, "-m", "sipviewer", "photos", "attach", "1",
                           str(fake), "--archive", str(arc)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "scan.jpg" in done.stderr
    assert not list((arc / "images").iterdir())


def test_read_only_refuses_writes(capsys, arc):
    code, _, err = run(capsys, "--read-only", "photos", "edit", "1", "--notes", "x",
                       "--archive", str(arc))
    assert code == 2 and "read-only" in err


def test_folder_attach_with_a_csv_dry_run_first(capsys, arc, tmp_path):
    photos = photo_list(capsys, arc)["photos"]
    folder = tmp_path / "scans"
    folder.mkdir()
    noisy_jpeg(folder / "a.jpg", 1)
    noisy_jpeg(folder / "b.jpg", 2)
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"file,caption\na.jpg,{photos[0]['caption']}\nb.jpg,{photos[1]['id']}\n",
                       encoding="utf-8")
    code, out, _ = run(capsys, "photos", "attach", "--folder", str(folder), "--map", str(mapping),
                       "--dry-run", "--json", "--archive", str(arc))
    plan = json.loads(out)
    assert [(m["file"], m["photo"]) for m in plan["matches"]] == [
        ("a.jpg", photos[0]["id"]), ("b.jpg", photos[1]["id"])]
    assert photo_list(capsys, arc, "--has-image")["total"] == 0  # the preview changed nothing
    code, out, _ = run(capsys, "photos", "attach", "--folder", str(folder), "--map", str(mapping),
                       "--archive", str(arc))
    assert code == 0
    assert {p["id"] for p in photo_list(capsys, arc, "--has-image")["photos"]} == {
        photos[0]["id"], photos[1]["id"]}


def test_export_formats_and_images_with_embedded_records(capsys, arc, tmp_path):
    import pyexiv2

    photos = photo_list(capsys, arc)["photos"]
    a, b = photos[0]["id"], photos[1]["id"]
    original = noisy_jpeg(tmp_path / "scan.jpg")
    assert run(capsys, "photos", "attach", str(a), str(original), "--archive", str(arc))[0] == 0
    caption = "2020年1月29日，园区志愿者在金鸡湖畔测量体温"
    assert run(capsys, "photos", "edit", f"{a},{b}", "--add-tag", "防疫", "--add-tag", "志愿者",
               "--archive", str(arc))[0] == 0
    assert run(capsys, "photos", "edit", str(a), "--caption", caption, "--date", "2020-01-29",
               "--credit", "园区新闻中心", "--location", "金鸡湖", "--archive", str(arc))[0] == 0
    out_csv, out_json, out_dc = tmp_path / "p.csv", tmp_path / "p.json", tmp_path / "p.xml"
    images = tmp_path / "images"
    code, _, err = run(capsys, "export", "photos", "--tag", "防疫", "--format", "csv", "-o",
                       str(out_csv), "--images", str(images), "--archive", str(arc))
    assert code == 0, err
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert sorted(int(r["dcterms:identifier"]) for r in rows) == sorted([a, b])
    row = next(r for r in rows if int(r["dcterms:identifier"]) == a)
    assert row["dcterms:description"] == caption and row["dcterms:date"] == "2020-01-29"
    assert row["dcterms:contributor"] == "园区新闻中心" and row["dcterms:spatial"] == "金鸡湖"
    assert set(row["dcterms:subject"].split(";")) == {"防疫", "志愿者"}
    assert run(capsys, "export", "photos", "金鸡湖", "--format", "json", "-o", str(out_json),
               "--archive", str(arc))[0] == 0
    assert [p["id"] for p in json.loads(out_json.read_text("utf-8"))] == [a]
    assert run(capsys, "export", "photos", "--tag", "防疫", "--format", "dc", "-o", str(out_dc),
               "--archive", str(arc))[0] == 0
    ns = {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
          "dc": "http://purl.org/dc/elements/1.1/"}
    records = ET.parse(out_dc).getroot().findall("oai_dc:dc", ns)
    assert len(records) == 2
    assert caption in [e.text for r in records for e in r.findall("dc:description", ns)]
    # the exported image: the record inside, the pixels untouched
    exported = images / f"photo-{a}.jpg"
    assert sorted(p.name for p in images.iterdir()) == [exported.name]
    with pyexiv2.Image(str(exported)) as img:
        xmp, iptc = img.read_xmp(), img.read_iptc()
    assert xmp["Xmp.dc.description"] == {'lang="x-default"': caption}
    assert sorted(xmp["Xmp.dc.subject"]) == sorted(["防疫", "志愿者"])
    assert xmp["Xmp.photoshop.Credit"] == "园区新闻中心"
    assert xmp["Xmp.photoshop.DateCreated"] == "2020-01-29"
    assert xmp["Xmp.Iptc4xmpCore.Location" if "Xmp.Iptc4xmpCore.Location" in xmp
               else "Xmp.iptc.Location"] == "金鸡湖"
    assert iptc["Iptc.Application2.Caption"] == caption
    assert sorted(iptc["Iptc.Application2.Keywords"]) == sorted(["防疫", "志愿者"])
    assert iptc["Iptc.Application2.Credit"] == "园区新闻中心"
    with Image.open(original) as before, Image.open(exported) as after:
        assert before.size == after.size
        assert before.tobytes() == after.tobytes()
    stored = next((arc / "images").iterdir())
    assert stored.read_bytes() == original.read_bytes()  # the archive's copy is untouched
