"""Edits made while another sipviewer process uses the same archive are never lost.

The viewer opens through the plain-SQL reader first and the full archive behind it; a
``photos`` command in a terminal meanwhile opens, reads and closes the archive. Real SQLite
files, real subprocesses; no display."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sipviewer.core.archive import Archive
from sipviewer.core.browse import open_browse
from sipviewer.core.catalogue_values import Edit
from sipviewer.model.errors import ArchiveError
from sipviewer.storage import db


@pytest.fixture(scope="module")
def template(tmp_path_factory, sample_path) -> Path:
    root = tmp_path_factory.mktemp("outside")
    with Archive.open(root / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    return root / "arc"


@pytest.fixture
def arc_dir(template, tmp_path) -> Path:
    shutil.copytree(template, tmp_path / "arc")
    return tmp_path / "arc"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, timeout=240)


def notes_on_disk(arc_dir: Path, photo_id: int) -> str | None:
    """What a new process reads, after every connection of this one has closed."""
    conn = sqlite3.connect(arc_dir / "archive.sqlite")
    try:
        return conn.execute("SELECT notes FROM photos WHERE id = ?", (photo_id,)).fetchone()[0]
    finally:
        conn.close()


def test_an_edit_after_a_photos_command_in_a_terminal_is_kept(arc_dir):
    browse = open_browse(arc_dir)  # the viewer's fast start: this reader first ...
    assert browse is not None
    first = browse.photo_ids()[0]
    archive = Archive.open(arc_dir, create=False, defer_index=True)  # ... the archive behind
    try:
        archive.catalogue.edit([first], Edit({"notes": "第一次"}))
        listed = cli("photos", "list", "--archive", str(arc_dir))
        assert listed.returncode == 0, listed.stderr
        # the other process ended: our log and its index must still be there, and in use
        assert (arc_dir / "archive.sqlite-wal").exists()
        assert browse.photo(first).notes == "第一次"
        archive.catalogue.edit([first], Edit({"notes": "第二次"}))
        assert archive.photo(first).notes == "第二次"
        assert browse.photo(first).notes == "第二次"
        listed = cli("photos", "list", "--archive", str(arc_dir), "--json")
        assert listed.returncode == 0, listed.stderr
        assert "第二次" in listed.stdout
    finally:
        archive.close()
        browse.close()
    assert notes_on_disk(arc_dir, first) == "第二次"
    checked = cli("check", "--archive", str(arc_dir))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_database_file_is_still_checked_before_opening(tmp_path):
    empty = tmp_path / "empty" / "archive.sqlite"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    with pytest.raises(ArchiveError, match="empty"):
        db.check_database_file(empty)
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(ArchiveError, match="not an SQLite database"):
        db.check_database_file(foreign)
    with pytest.raises(ArchiveError, match="cannot be read"):
        db.check_database_file(tmp_path / "missing.sqlite")


def test_the_gallery_read_while_the_deferred_index_opens_waits_for_it(arc_dir):
    """A read (the 编目 gallery) asking for the index while another thread is opening it
    gets the opened index, never the half-made one (an empty gallery for the session)."""
    import threading

    shutil.rmtree(arc_dir / "index")  # opening it is a rebuild: long enough to meet it
    archive = Archive.open(arc_dir, create=False, defer_index=True)
    opening = threading.Event()
    release = threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        opening.set()
        release.wait(5)

    archive.index_progress = progress
    opener = threading.Thread(target=lambda: archive.index)
    got: list[object] = []
    try:
        opener.start()
        assert opening.wait(60)
        reader = threading.Thread(target=lambda: got.append(
            len(archive.photos_matching("", archive.make_filters(kinds=["photo"])))))
        reader.start()
        reader.join(1)
        release.set()
        reader.join(60)
        opener.join(60)
        assert got == [len(archive.photo_ids())] and got[0] > 0
    finally:
        release.set()
        archive.close()
