"""Storage and import through the archive facade, on a real SQLite file and Whoosh index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sipviewer.core.archive import Archive, open_default
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.model.errors import ArchiveError, InputError
from sipviewer.storage import db


@pytest.fixture
def archive(tmp_path, sample_path):
    arc = Archive.open(tmp_path / "arc")
    arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    yield arc
    arc.close()


def _rows(path: Path, sql: str):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_archive_layout_and_sqlite_settings(archive):
    for name in ("archive.sqlite", "index", "images", "thumbnails"):
        assert (archive.path / name).exists()
    with archive.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert db.current_revision(archive.engine) == db.head_revision()


def test_import_stores_everything(archive):
    (vol,) = archive.volumes()
    assert (vol.title, vol.edition_year, vol.covered_year) == ("苏州工业园区年鉴", 2021, 2020)
    assert (vol.articles, vol.photos, vol.tables) == (5, 10, 1)
    tree = archive.tree()
    assert [s.title for s in tree[0].sections] == ["专记"]
    arts = tree[0].sections[0].articles
    assert [a.photos for a in arts] == [4, 2, 1, 0, 3] and [a.tables for a in arts] == [0, 0, 0, 1, 0]
    art = archive.article(arts[3].id)
    assert art.attribution == "园区经发委" and art.department == "园区经发委"
    (table,) = art.tables
    assert len(table.rows) == 22 and table.columns[0] == "序号"
    assert table.numbers[4][4] == pytest.approx(72.40)  # 72.40%
    assert table.numbers[9][3] == 30.0  # 30—32
    assert table.numbers[18][3] is None  # 完成市下达目标
    photo = archive.article(arts[0].id).photos[0]
    assert photo.caption.startswith("2020年1月29日") and photo.department == "园区新闻中心"


def test_departments_with_aliases(archive):
    depts = {d.name: d for d in archive.departments()}
    assert "苏州工业园区经济发展委员会" in depts["园区经发委"].aliases
    assert depts["园区经发委"].records == 3  # two articles and the table
    assert depts["陈雨禾"].kind == "photographer"
    assert archive.resolve_department("苏州工业园区经济发展委员会") == "园区经发委"


def test_import_again_changes_nothing(archive, sample_path):
    db_path = archive.path / "archive.sqlite"
    before = _rows(db_path, "SELECT count(*) FROM paragraphs")
    (outcome,) = archive.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
    assert outcome.status == "unchanged"
    assert _rows(db_path, "SELECT count(*) FROM paragraphs") == before
    assert len(archive.volumes()) == 1


def test_changed_volume_needs_replace(archive, sample_path, tmp_path):
    changed = tmp_path / "changed.txt"
    changed.write_text(sample_path.read_text(encoding="utf-8").replace("月亮湾新貌", "月亮湾夜景"),
                       encoding="utf-8")
    with pytest.raises(InputError, match="--replace"):
        archive.import_files([changed], title="苏州工业园区年鉴", year=2021)
    assert archive.search("月亮湾夜景").total == 0
    (outcome,) = archive.import_files([changed], title="苏州工业园区年鉴", year=2021, replace=True)
    assert outcome.status == "replaced"
    assert len(archive.volumes()) == 1
    assert archive.search("月亮湾夜景").total == 1
    assert archive.search("月亮湾新貌").total == 0


def test_failing_file_leaves_archive_unchanged(archive, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(generate_volume(3, target_chars=8000).text, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    db_path = archive.path / "archive.sqlite"
    before = _rows(db_path, "SELECT count(*), max(id) FROM articles")
    with pytest.raises(InputError, match="bad.txt"):
        archive.import_files([good, bad])
    assert _rows(db_path, "SELECT count(*), max(id) FROM articles") == before
    assert len(archive.volumes()) == 1


def test_volume_metadata_from_text_wins(tmp_path):
    vol = generate_volume(5, target_chars=8000, edition_year=2016)
    f = tmp_path / "v.txt"
    f.write_text(vol.text, encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        (o,) = arc.import_files([f], title="别的名字", year=1999)
        assert (o.title, o.edition_year) == ("苏州工业园区年鉴", 2016)
        (info,) = arc.volumes()
        assert info.covered_year == 2015


def test_default_archive_built_from_sample(tmp_path):
    arc, outcomes = open_default(tmp_path / "default")
    with arc:
        assert [o.status for o in outcomes] == ["imported"]
        assert arc.stats() == {"volumes": 1, "articles": 5, "photos": 10, "tables": 1}
    arc, outcomes = open_default(tmp_path / "default")
    with arc:
        assert outcomes == []


def test_upgrade_backs_up_an_old_database(tmp_path, sample_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="t", year=2021)
    db_path = tmp_path / "arc" / "archive.sqlite"
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = 'ffff'")
    con.commit()
    con.close()
    with pytest.raises(ArchiveError, match="newer sipviewer"):
        Archive.open(tmp_path / "arc")
    con = sqlite3.connect(db_path)
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()
    with pytest.raises(ArchiveError):
        Archive.open(tmp_path / "arc")  # tables exist but no version: cannot create them again
    backups = list((tmp_path / "arc").glob("archive.sqlite.backup-*"))
    assert backups, "a backup was made before touching the file"


def test_read_only_archive_refuses_writes(tmp_path, sample_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="t", year=2021)
    with Archive.open(tmp_path / "arc", read_only=True) as ro:
        assert ro.search("园区").total > 0
        with pytest.raises(ArchiveError, match="read-only"):
            ro.import_files([sample_path])
    with pytest.raises(ArchiveError, match="no archive"):
        Archive.open(tmp_path / "missing", read_only=True)


def test_photo_edit_is_searchable_and_kept_in_history(archive):
    hit = archive.search("月亮湾新貌").hits[0]
    view = archive.update_photo(hit.id, caption="月亮湾新貌（夜景）", tags=["风光", "夜景"])
    assert view.revision == 2 and view.tags == ("夜景", "风光")
    photos_only = archive.make_filters(kinds=["photo"])
    assert archive.search("夜景", photos_only).total == 1
    assert archive.search("风光").total == 1  # tags are searchable
    history = archive.photo_history(hit.id)
    assert [h.field for h in history] == ["caption", "tags"]
    assert history[0].old == "月亮湾新貌"
    with pytest.raises(ArchiveError, match="changed elsewhere"):
        archive.update_photo(hit.id, caption="x", expected_revision=1)
    with pytest.raises(InputError):
        archive.update_photo(hit.id, caption="  ")
    assert archive.photo(hit.id).caption == "月亮湾新貌（夜景）"


def test_attach_image(archive, tmp_path):
    from PIL import Image

    img = tmp_path / "scan.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(img)
    pid = archive.photo_ids()[0]
    view = archive.attach_image(pid, img)
    assert view.image_path and Path(view.image_path).exists()
    assert Path(view.image_path).suffix == ".png"
    not_image = tmp_path / "notes.txt"
    not_image.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable image"):
        archive.attach_image(pid, not_image)
