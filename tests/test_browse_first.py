"""`Browse.first_article`: the article the viewer opens beside the contents at start is the
contents' first (volumes by edition year, not by the order they were imported in)."""

from __future__ import annotations

from pathlib import Path

from sipviewer.core.archive import Archive
from sipviewer.core.browse import open_browse
from sipviewer.ingest.synthetic import generate_volume

DATA = Path(__file__).resolve().parent / "data"


def _tree_first(browse) -> int | None:  # type: ignore[no-untyped-def]
    return next((a.id for v in browse.tree() for s in v.sections for a in s.articles), None)


def test_the_first_article_is_the_contents_first(tmp_path):
    texts = []
    for seed, year in ((3, 2019), (4, 2016)):  # the later edition imported first
        path = tmp_path / f"v{year}.txt"
        path.write_text(generate_volume(seed, target_chars=20000, edition_year=year).text,
                        encoding="utf-8")
        texts.append(path)
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([DATA / "dashiji-2020.txt"], title="大事记", year=2015)  # no articles
        for path in texts:
            arc.import_files([path])
    browse = open_browse(tmp_path / "arc")
    assert browse is not None
    try:
        first = browse.first_article()
        assert first is not None and first == _tree_first(browse)
        with_articles = [v.volume for v in browse.tree() if any(s.articles for s in v.sections)]
        assert with_articles[0].edition_year == 2016  # by edition year, not import order
        assert browse.article(first).volume_id == with_articles[0].id
    finally:
        browse.close()


def test_no_articles_no_first(tmp_path):
    with Archive.open(tmp_path / "arc") as arc:
        arc.import_files([DATA / "dashiji-2020.txt"], title="大事记", year=2021)
    browse = open_browse(tmp_path / "arc")
    assert browse is not None
    try:
        assert browse.first_article() is None and _tree_first(browse) is None
    finally:
        browse.close()
