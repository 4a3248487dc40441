"""The plain-SQL reader: views equal to what was imported, no heavy imports, clear errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sipviewer.core.archive import Archive
from sipviewer.core.browse import open_browse as open_reader
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.model.errors import ArchiveError, NotFoundError
from sipviewer.storage.reader import ArchiveReader

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """An archive of two generated volumes, with the volumes' expected parse."""
    folder = tmp_path_factory.mktemp("reader")
    vols = [generate_volume(seed, target_chars=30000, edition_year=2015 + seed) for seed in (1, 2)]
    files = []
    for k, vol in enumerate(vols):
        f = folder / f"v{k}.txt"
        f.write_text(vol.text, encoding="utf-8")
        files.append(f)
    with Archive.open(folder / "arc") as arc:
        arc.import_files(files)
    return folder / "arc", vols


def test_an_outline_reads_only_the_sections_asked_for(generated):
    """The viewer's start: volumes and sections with their counts, articles of a few sections;
    the rest read section by section, exactly as the whole tree has them."""
    path, vols = generated
    reader = ArchiveReader.open(path)
    try:
        whole = reader.tree()
        sections = [s for v in whole for s in v.sections]
        chosen = {sections[1].id, sections[-1].id}
        outline = reader.tree(sections=chosen)
        assert [v.volume for v in outline] == [v.volume for v in whole]
        for got, full in zip((s for v in outline for s in v.sections), sections, strict=True):
            assert (got.id, got.title, got.events) == (full.id, full.title, full.events)
            assert got.article_count == len(full.articles) == full.article_count
            if got.id in chosen:
                assert got.articles == full.articles and got.unread == 0
            else:
                assert got.articles == () and got.unread == len(full.articles)
        assert reader.section_articles([s.id for s in sections]) == {
            s.id: s.articles for s in sections}
        assert reader.tree(sections=[s.id for s in sections]) == whole
        (only,) = reader.tree([whole[-1].volume.id], sections=())  # one volume's outline
        assert [(s.id, s.articles, s.unread) for s in only.sections] == [
            (s.id, (), len(s.articles)) for s in whole[-1].sections]
        art = sections[-1].articles[-1]
        assert reader.section_of(art.id) == sections[-1].id and reader.section_of(10 ** 9) is None
        media = [(a.photos, a.tables) for s in sections for a in s.articles]
        assert reader.most_media() == (max(p for p, _ in media), max(t for _, t in media))
    finally:
        reader.close()


def test_reader_returns_exactly_what_was_imported(generated):
    path, vols = generated
    reader = ArchiveReader.open(path)
    try:
        tree = reader.tree()
        assert [v.volume.edition_year for v in tree] == [2016, 2017]
        for node, vol in zip(tree, vols, strict=True):
            assert [s.title for s in node.sections] == [s.title for s in vol.sections]
            nodes = [a for s in node.sections for a in s.articles]
            assert [a.title for a in nodes] == [a.title for a in vol.articles]
            assert [(a.photos, a.tables) for a in nodes] == [
                (len(a.photos), len(a.tables)) for a in vol.articles]
            assert (node.volume.articles, node.volume.photos, node.volume.tables) == (
                len(vol.articles), sum(len(a.photos) for a in vol.articles),
                sum(len(a.tables) for a in vol.articles))
            for a_node, expected in zip(nodes, vol.articles, strict=True):
                art = reader.article(a_node.id)
                assert art.volume_label == f"{vol.title}（{vol.edition_year}）"
                assert (art.title, art.attribution, art.source_note) == (
                    expected.title, expected.attribution, expected.source_note)
                assert list(art.paragraphs) == expected.paragraphs
                assert [(p.caption, p.date_start, p.date_end, p.date_precision, p.credit,
                         p.credit_kind) for p in art.photos] == [
                    (p.caption, p.date_start, p.date_end, p.date_precision, p.credit,
                     p.credit_kind) for p in expected.photos]
                assert all(p.article_title == art.title for p in art.photos)
                assert [(t.number, t.title, list(t.columns), [list(r) for r in t.rows],
                         t.attribution) for t in art.tables] == [
                    (t.number, t.title, t.columns, t.rows, t.attribution)
                    for t in expected.tables]
        stats = reader.stats()
        assert stats["volumes"] == 2
        assert stats["articles"] == sum(len(v.articles) for v in vols)
    finally:
        reader.close()


def test_photos_in_the_order_asked_and_missing_ids_left_out(generated):
    path, _ = generated
    with Archive.open(path) as arc:
        ids = arc.photo_ids()
        wanted = list(reversed(ids)) * 40 + [10**9]  # more than one IN (...) chunk
        views = arc.photo_views(wanted)
        assert [v.id for v in views] == wanted[:-1]
        assert views[0] == arc.photo(ids[-1])
        with pytest.raises(NotFoundError):
            arc.photo(10**9)
        with pytest.raises(NotFoundError):
            arc.article(10**9)
        with pytest.raises(NotFoundError):
            arc.table(10**9)


def test_reader_sees_edits_committed_by_the_archive(tmp_path, sample_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        reader = ArchiveReader.open(tmp_path / "arc")  # a second, independent reader
        pid = arc.photo_ids()[0]
        before = reader.photo(pid)
        arc.update_photo(pid, caption="新的说明", tags=["校对"])
        after = reader.photo(pid)
        reader.close()
    assert before.revision == 1 and after.revision == 2
    assert (after.caption, after.tags) == ("新的说明", ("校对",))


def test_reader_refuses_what_it_cannot_read(tmp_path, sample_path):
    with pytest.raises(ArchiveError, match="no archive here"):
        ArchiveReader.open(tmp_path / "nothing")
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "archive.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="garbage.*cannot read"):
        ArchiveReader.open(garbage)
    with Archive.open(tmp_path / "empty"):
        pass
    assert open_reader(tmp_path / "empty") is None  # no volumes yet: the first start builds them
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="t", year=2021)
    assert open_reader(tmp_path / "arc") is not None
    con = sqlite3.connect(tmp_path / "arc" / "archive.sqlite")
    con.execute("UPDATE alembic_version SET version_num = '0000'")
    con.commit()
    con.close()
    with pytest.raises(ArchiveError, match="needs an upgrade"):
        ArchiveReader.open(tmp_path / "arc")
    assert open_reader(tmp_path / "arc") is None


def test_reading_needs_neither_sqlalchemy_nor_whoosh(tmp_path, sample_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="t", year=2021)
    code = (
        "import sys\n"
        "from sipviewer.core.browse import open_browse as open_reader\n"
        f"r = open_reader({str(tmp_path / 'arc')!r})\n"
        "tree = r.tree()\n"
        "art = r.article(tree[0].sections[0].articles[3].id)\n"
        "assert len(art.tables[0].rows) == 22, art\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'whoosh', 'alembic', 'PySide6'))\n"
        "print(heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_hit_sources_give_what_a_hit_shows(tmp_path, sample_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        arts = arc.tree()[0].sections[0].articles
        art = arc.article(arts[3].id)
        (table,) = art.tables
        photo = arc.article(arts[0].id).photos[0]
        got = arc.reader.hit_sources({"a": [art.id, 10**9], "p": [photo.id], "t": [table.id]})
    assert set(got) == {f"a:{art.id}", f"p:{photo.id}", f"t:{table.id}"}
    a = got[f"a:{art.id}"]
    assert a.parts[:len(art.paragraphs)] == art.paragraphs and a.parts[-1] == art.title
    assert (a.kind, a.department, a.volume_label) == ("article", "园区经发委", "苏州工业园区年鉴（2021）")
    p = got[f"p:{photo.id}"]
    assert p.parts[:2] == (photo.caption, photo.credit) and p.article_id == arts[0].id
    assert (p.date_start, p.department) == (photo.date_start, "园区新闻中心")
    t = got[f"t:{table.id}"]
    assert t.parts[0] == "序号" and "72.40%" in t.parts and t.parts[-1] == table.title


def test_connections_of_ended_threads_are_closed(tmp_path, sample_path):
    import threading

    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([sample_path], title="t", year=2021)
    reader = ArchiveReader.open(tmp_path / "arc")
    reader.stats()
    for _ in range(5):  # like a thread pool's workers, each reading once and ending
        worker = threading.Thread(target=reader.stats)
        worker.start()
        worker.join()
    # each new thread's connection closes those the ended ones left: at most the last one
    # lingers beside this thread's own
    assert len(reader._connections) <= 2
    reader.close()
    assert reader._connections == []
