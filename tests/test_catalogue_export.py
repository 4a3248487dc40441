"""Catalogue exports as another program reads them: the files get the usual mode (the
umask, like every other export), the CSV names the exported image files, Dublin Core has a
dc:subject per tag. Real archive, an image made with Pillow, real subprocesses."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from sipviewer.core.archive import Archive


@pytest.fixture
def arc_dir(sample_path, tmp_path_factory, tmp_path) -> Path:
    root = tmp_path_factory.mktemp("export")
    with Archive.open(root / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        scan = tmp_path / "scan.jpg"
        Image.new("RGB", (320, 240), (10, 120, 60)).save(scan, "JPEG")
        arc.attach_image(2, scan)
        arc.update_photo(2, tags=["防疫", "体检"])
    return root / "arc"


def export(arc_dir: Path, out: Path, fmt: str, images: Path | None, umask: int
           ) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "sipviewer", "export", "photos", "--archive", str(arc_dir),
            "--format", fmt, "-o", str(out)] + (["--images", str(images)] if images else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=240,
                          preexec_fn=lambda: os.umask(umask))


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_exports_honour_the_umask_and_name_the_exported_images(arc_dir, tmp_path, umask):
    images = tmp_path / "images"
    for fmt in ("csv", "json", "dc"):
        out = tmp_path / f"photos.{fmt}"
        done = export(arc_dir, out, fmt, images, umask)
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask, fmt
    rows = list(csv.DictReader((tmp_path / "photos.csv").read_text(encoding="utf-8-sig")
                               .splitlines()))
    row = next(r for r in rows if r["dcterms:identifier"] == "2")
    assert row["image"] == "photo-2.jpg" and (images / "photo-2.jpg").is_file()
    records = json.loads((tmp_path / "photos.json").read_text(encoding="utf-8"))
    assert next(r for r in records if r["id"] == 2)["image"] == "photo-2.jpg"
    shutil.rmtree(images)


def test_without_images_the_archive_file_name_stays_and_dc_has_subjects(arc_dir, tmp_path):
    out = tmp_path / "photos.csv"
    assert export(arc_dir, out, "csv", None, 0o022).returncode == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    images = [r["image"] for r in rows if r["image"]]
    assert len(images) == 1 and images[0].endswith(".jpg") and len(images[0]) == 64 + 4
    xml = tmp_path / "photos.xml"
    assert export(arc_dir, xml, "dc", None, 0o022).returncode == 0
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    subjects = {e.text for e in ET.parse(xml).getroot().iterfind(".//dc:subject", ns)}
    assert subjects == {"防疫", "体检"}


def test_iptc_source_is_cut_at_a_sensible_place_and_xmp_keeps_it_whole(tmp_path):
    import pyexiv2

    from sipviewer.media.xmp import ImageRecord, embed

    src = tmp_path / "scan.jpg"
    Image.new("RGB", (64, 48), (200, 100, 0)).save(src, "JPEG")
    out = tmp_path / "photo-1.jpg"
    long_source = "sip-yearbook-2021-zhuanji（2021） 第2页 《苏州工业园区新冠肺炎疫情防控》"
    embed(src, out, ImageRecord(caption="测温", source=long_source,
                                credit="苏州工业园区（园区）新闻中心宣传处摄影组"))
    with pyexiv2.Image(str(out)) as img:
        xmp, iptc = img.read_xmp(), img.read_iptc()
    assert iptc["Iptc.Application2.Source"] == "sip-yearbook-2021-zhuanji"
    assert iptc["Iptc.Application2.Credit"] == "苏州工业园区（园区）"  # closed: kept
    assert xmp["Xmp.photoshop.Source"] == long_source
    assert "（" not in iptc["Iptc.Application2.Source"]
