"""One definition of a record's searchable text: what the index holds for every record is
exactly what its search hit's snippet is cut from (the sample and a generated volume)."""

from __future__ import annotations

import pytest

from sipviewer.core.archive import Archive
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.search.normalize import normalize
from sipviewer.search.records import make_record


@pytest.fixture(scope="module")
def archive(tmp_path_factory, sample_path):
    root = tmp_path_factory.mktemp("searchtext")
    text = root / "generated.txt"
    text.write_text(generate_volume(31, target_chars=150000, edition_year=2015).text,
                    encoding="utf-8")
    with Archive.open(root / "arc") as arc:
        arc.import_files([sample_path], title="苏州工业园区年鉴", year=2021)
        arc.import_files([text])
        photo = arc.photo_ids()[0]
        arc.update_photo(photo, tags=["航拍", "夜景"], notes="底片编号 17")  # every text field
        yield arc


def test_index_and_snippets_agree_on_every_record(archive):
    held = archive.index.digests()  # what the index was built with, at import and edit
    ids: dict[str, list[int]] = {"a": [], "p": [], "t": []}
    for rid in held:
        kind, num = rid.split(":")
        ids[kind].append(int(num))
    sources = archive.reader.hit_sources(ids)
    assert set(sources) == set(held) and len(held) > 100
    kinds = {rid[0] for rid in held}
    assert kinds == {"a", "p", "t"}
    for rid, src in sources.items():
        # the snippet's parts are the title and the body pieces, nothing else and nothing less
        body = src.parts[1:] if src.kind == "photo" else src.parts[:-1]
        title = src.parts[0] if src.kind == "photo" else src.parts[-1]
        assert title == src.title
        again = make_record(rid, src.kind, src.volume_id, title, body, [src.department],
                            src.date_start, src.date_end)
        assert again.digest() == held[rid], rid


def test_the_index_rows_and_the_hit_rows_are_one_reading(archive):
    raws = {raw[0]: raw for raw in archive.reader.raw_records()}
    ids: dict[str, list[int]] = {"a": [], "p": [], "t": []}
    for rid in raws:
        ids[rid[0]].append(int(rid[2:]))
    for rid, src in archive.reader.hit_sources(ids).items():
        _, kind, _, title, body, _, _, _ = raws[rid]
        assert sorted(src.parts) == sorted([title, *body]), rid
        record = make_record(*raws[rid])
        assert all(normalize(p) in record.norm_text for p in src.parts if normalize(p))


def test_reads_never_go_through_the_orm(archive):
    """Searching, filtering, browsing, history and checking read through the plain-SQL
    reader: the ORM engine sees no statement (it is for writes and migrations)."""
    from sqlalchemy import event

    seen: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(archive.engine, "before_cursor_execute", record)
    try:
        filters = archive.make_filters(departments=["苏州工业园区经济发展委员会"], date_from="2020")
        assert archive.search("园区", filters).total > 0
        assert archive.photos_matching("月亮湾新貌")
        photo = archive.photo_ids()[0]
        assert archive.photo_history(photo)  # the edit made by the fixture
        archive.article(archive.tree()[0].sections[0].articles[0].id)
        assert archive.check().ok
    finally:
        event.remove(archive.engine, "before_cursor_execute", record)
    assert seen == [], "\n".join(seen)
