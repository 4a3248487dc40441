"""Damage gets one line and is never mistaken for a new archive; inputs are checked before
they are read; images are decoded in full at attach time; logs are per user and private;
`sipviewer backup` makes a consistent copy. The command line runs in subprocesses."""

from __future__ import annotations

import os
import sqlite3
import struct
import zlib

import pytest
from PIL import Image

from sipviewer.core.archive import Archive
from sipviewer.model.errors import InputError
from tests.safety_helpers import cli, one_line


@pytest.fixture
def archive(tmp_path, sample_path):
    path = tmp_path / "arc"
    with Archive.open(path) as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    return path


@pytest.mark.parametrize("content", [b"", b"this is not a database at all" * 40])
def test_an_empty_or_foreign_database_is_damage_not_a_new_archive(tmp_path, sample_path,
                                                                  content):
    path = tmp_path / "arc"
    path.mkdir()
    (path / "archive.sqlite").write_bytes(content)
    for args in (["search", "园区"], ["import", str(sample_path)], ["check"]):
        r = cli(*args, "--archive", str(path))
        assert r.returncode == 2, r.stderr
        assert "archive.sqlite" in one_line(r.stderr)
    assert (path / "archive.sqlite").read_bytes() == content  # left as it was


def test_a_dropped_table_gives_one_line_and_check_names_it(archive):
    con = sqlite3.connect(archive / "archive.sqlite")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DROP TABLE photo_tags")
    con.commit()
    con.close()
    r = cli("export", "photos", "-o", str(archive / "x.csv"), "--archive", str(archive))
    assert r.returncode == 2
    assert "damaged" in one_line(r.stderr)
    c = cli("check", "--repair", "--archive", str(archive))
    assert c.returncode == 1
    assert "photo_tags" in c.stdout and "cannot fix" in c.stdout


def test_one_backup_per_upgrade_not_per_command(archive):
    con = sqlite3.connect(archive / "archive.sqlite")
    con.execute("DROP TABLE alembic_version")  # an unversioned database
    con.commit()
    con.close()
    for _ in range(3):
        cli("check", "--repair", "--archive", str(archive))
    backups = list(archive.glob("archive.sqlite.backup-*"))
    assert len(backups) == 1, backups


def test_check_repair_heals_a_dangling_index_link(archive, tmp_path):
    import shutil

    shutil.rmtree(archive / "index")
    (archive / "index").symlink_to(tmp_path / "gone")
    r = cli("check", "--repair", "--archive", str(archive))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "dangling" in r.stdout
    assert (archive / "index").is_dir() and not (archive / "index").is_symlink()
    assert cli("check", "--archive", str(archive)).stdout.strip().endswith("ok")


def test_a_failed_first_import_leaves_no_empty_archive(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary" * 100)
    target = tmp_path / "new-archive"
    r = cli("import", str(bad), "--archive", str(target))
    assert r.returncode == 2
    one_line(r.stderr)
    assert not target.exists()


def test_fifo_and_device_inputs_are_refused_before_reading(tmp_path, archive):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    for f in (fifo, zero):
        for args in (["parse", str(f), "--json"], ["import", str(f), "--archive", str(archive)]):
            r = cli(*args, timeout=60)  # a FIFO used to block for ever
            assert r.returncode == 2
            assert "regular" in one_line(r.stderr)
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk used
    r = cli("parse", str(big), "--json", timeout=60)
    assert r.returncode == 2 and "too large" in one_line(r.stderr)


def _png_header_only(path, width, height) -> None:
    """A tiny PNG file that claims ``width`` × ``height`` pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_images_are_checked_in_full_at_attach_time(tmp_path, archive):
    from sipviewer.media.images import check_image, thumbnail

    bomb = tmp_path / "bomb.png"
    _png_header_only(bomb, 19_000, 19_000)  # 361 megapixels in a few bytes
    truncated = tmp_path / "cut.jpg"
    Image.new("RGB", (800, 600), (200, 30, 40)).save(truncated, quality=95)
    truncated.write_bytes(truncated.read_bytes()[:4000])
    cut_png = tmp_path / "cut.png"
    Image.effect_noise((300, 300), 50).save(cut_png)
    cut_png.write_bytes(cut_png.read_bytes()[:-2000])
    zero = tmp_path / "zero.jpg"
    zero.symlink_to("/dev/zero")
    with Archive.open(archive) as arc:
        pid = arc.photo_ids()[0]
        for bad, why in ((bomb, "too large"), (truncated, "not a readable image"),
                         (cut_png, "not a readable image"), (zero, "regular")):
            with pytest.raises(InputError, match=why):
                arc.attach_image(pid, bad)
            with pytest.raises(InputError):
                thumbnail(bad, tmp_path / "thumbs")
        assert arc.photo(pid).image_path is None
        assert not [p for p in (archive / "images").iterdir()]
        good = tmp_path / "good.jpg"
        Image.new("RGB", (3000, 2000), (10, 120, 40)).save(good)
        assert check_image(good) == ".jpg"
        view = arc.attach_image(pid, good)
        thumb = thumbnail(view.image_path and __import__("pathlib").Path(view.image_path),
                          tmp_path / "thumbs")
        with Image.open(thumb) as im:
            assert max(im.size) == 256


def test_backup_is_a_consistent_copy(archive, tmp_path):
    dest = tmp_path / "copies"
    dest.mkdir()
    r = cli("backup", str(dest), "--archive", str(archive))
    assert r.returncode == 0, r.stderr
    (copy,) = list(dest.iterdir())
    con = sqlite3.connect(copy)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    con.close()
    assert cli("backup", str(copy), "--archive", str(archive)).returncode == 2  # no overwrite


def test_logs_go_to_a_private_file_per_user(tmp_path, monkeypatch):
    from sipviewer.core import logs

    monkeypatch.setenv("SIPVIEWER_LOG_DIR", str(tmp_path / "logs"))
    path = logs.write_error("Traceback: something")
    assert path == tmp_path / "logs" / "sipviewer.log"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert oct(path.parent.stat().st_mode & 0o777) == oct(0o700)
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere")  # a planted link is not followed
    assert logs.write_error("again") is None
    assert not (tmp_path / "elsewhere").exists()
    import sipviewer.cli as cli_mod

    assert "gettempdir" not in open(cli_mod.__file__, encoding="utf-8").read()
