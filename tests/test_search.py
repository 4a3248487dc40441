"""Search semantics: exact substring recall and precision, the query language, filters,
facets, ranking and snippets, on the sample and on generated volumes."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipviewer.core.archive import Archive
from sipviewer.ingest.synthetic import generate_volume
from sipviewer.model.errors import QueryError
from sipviewer.search.index import Filters
from sipviewer.search.normalize import normalize
from sipviewer.search.query import parse_query


@pytest.fixture(scope="module")
def arc(tmp_path_factory):
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("search")
    files = []
    for seed in (11, 12):
        f = root / f"vol{seed}.txt"
        f.write_text(generate_volume(seed, target_chars=30000, edition_year=2000 + seed).text,
                     encoding="utf-8")
        files.append(f)
    archive = Archive.open(root / "arc")
    archive.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
    archive.import_files(files)
    yield archive
    archive.close()


def scan(arc, term_norm: str, kinds=None) -> set[str]:
    """The reference: a plain substring scan over the same normalised records."""
    return {rid for rid, rec in arc.index.store.items()
            if term_norm in rec.norm_text and (kinds is None or rec.kind in kinds)}


def found(arc, query: str, filters: Filters | None = None) -> set[str]:
    res = arc.index.search(parse_query(query), filters or Filters(), limit=0,
                           dept_aliases=arc.dept_aliases())
    assert res.total == len(res.hits)
    return {h.rid for h in res.hits if not h.pinyin}  # the literal matches (pinyin: test_pinyin)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_substrings_match_the_scan(arc, data):
    recs = sorted(arc.index.store.values(), key=lambda r: r.rid)
    rec = data.draw(st.sampled_from(recs))
    text = rec.norm_text.replace("\n", "")
    length = data.draw(st.integers(1, 20))
    start = data.draw(st.integers(0, max(0, len(text) - length)))
    term = text[start:start + length]
    if not term:
        return
    assert found(arc, term) == scan(arc, normalize(term))


@pytest.mark.parametrize("query", [
    "园", "区", "园区", "苏州工业园区", "24", "6.5", "2020", "BioBAY", "biobay", "N95", "5万",
    "49项", "KN95口罩", "“园区担当”", "表", "%", "72.40%", "不存在的字符串", "Ｎ９５", "ye",
    "园区经发委", "2020年1月8—19日",
])
def test_fixed_queries_match_the_scan(arc, query):
    assert found(arc, query) == scan(arc, normalize(query))


def test_traditional_characters_find_simplified(arc):
    assert found(arc, "蘇州工業園區") == scan(arc, "苏州工业园区") != set()


def test_and_or_not_phrase_and_fields(arc):
    a, b = scan(arc, "园区"), scan(arc, "疫情")
    assert found(arc, "园区 疫情") == a & b
    assert found(arc, "园区 OR 疫情") == a | b
    assert found(arc, "园区 -疫情") == a - b
    assert found(arc, '"园区 经发委"') == scan(arc, "园区经发委")
    titles = {rid for rid, r in arc.index.store.items() if "疫情" in r.norm_title}
    assert found(arc, "title:疫情") == titles
    captions = {rid for rid, r in arc.index.store.items()
                if r.kind == "photo" and "园区" in r.norm_title}
    assert found(arc, "caption:园区") == captions and captions
    depts = {rid for rid, r in arc.index.store.items() if "园区经发委" in r.depts}
    assert found(arc, "dept:经发委") == depts
    assert found(arc, "dept:经济发展委员会") == depts  # an alias


@pytest.mark.parametrize("query", ['"园区', "(((", "园区 OR", "OR", "-", '""', "🙂🙂", "a:b:c",
                                   "园区)", "--疫情", "title:园区 OR caption:体温"])
def test_malformed_queries_give_a_result(arc, query):
    res = arc.search(query)
    assert res.total >= 0


@pytest.mark.parametrize(("query", "message"), [
    ("title:", "needs a word"), ("x" * 5000, "too long")])
def test_malformed_queries_give_a_message(arc, query, message):
    with pytest.raises(QueryError, match=message):
        arc.search(query)


def test_filters_on_the_sample(arc):
    def total(**kw):  # within the sample volume (2021)
        kw.setdefault("volumes", ["2021"])
        return arc.search("", arc.make_filters(**kw), limit=0).total

    assert total(departments=["园区新闻中心"], kinds=["photo"]) == 6
    assert total(departments=["园区档案管理中心"]) == 3
    assert total(departments=["苏州工业园区档案管理中心"]) == 3  # an alias
    assert total(date_from="2020-02", date_to="2020-02", kinds=["photo"]) == 2
    assert total(date_from="2020-01-10", date_to="2020-01-12", kinds=["photo"]) == 1
    assert total(departments=["陈雨禾"]) == 1  # photographers too
    vol = [v for v in arc.volumes() if v.edition_year == 2021][0]
    assert total(volumes=[vol.id]) == 16
    assert total(volumes=["2021"]) == 16
    assert total(volumes=[vol.id, "2011"]) > 16


def test_empty_filter_result_is_really_empty(arc):
    # Whoosh reports the unfiltered count when a filter matches nothing; we must not
    res = arc.search("园区", arc.make_filters(departments=["没有这个部门"]))
    assert res.total == 0 and res.hits == () and res.facets["kind"] == {}
    res = arc.search("园区", arc.make_filters(date_from="1990", date_to="1990"))
    assert res.total == 0 and res.hits == ()


def test_bad_filter_values(arc):
    with pytest.raises(QueryError, match="YYYY"):
        arc.make_filters(date_from="2020/01")
    with pytest.raises(QueryError, match="after"):
        arc.make_filters(date_from="2021", date_to="2020")
    with pytest.raises(QueryError, match="no volume"):
        arc.make_filters(volumes=["1888"])


def test_facets_count_the_verified_hits(arc):
    res = arc.search("园区", limit=5)
    assert sum(res.facets["kind"].values()) == res.total
    assert len(res.hits) == 5
    photos = arc.search("园区", arc.make_filters(kinds=["photo"]), limit=0)
    assert photos.total == res.facets["kind"]["photo"]


def test_title_hits_rank_first(arc):
    res = arc.search("自由贸易试验区", limit=0)
    flags = [h.title_match for h in res.hits]
    assert flags[0] and flags == sorted(flags, reverse=True)


def test_ranking_the_title_hits_alone_gives_the_same_order(arc):
    # a frequent character: more than 20 title hits; the best 20 are the first 20 of all hits
    # ranked, with the scores the score map gives
    snap = arc.index._snap
    for term in ("园", "区", "年"):
        top = arc.index.search(parse_query(term), Filters(), limit=20)
        assert all(h.title_match for h in top.hits)
        every = arc.index.search(parse_query(term), Filters(), limit=0)
        assert [(h.rid, h.score) for h in top.hits] == [(h.rid, h.score) for h in every.hits[:20]]
        full = snap.scores("grams", term)
        docnums = snap.docnums
        assert all(h.score == round(full[docnums[h.rid]], 4) for h in top.hits)


def test_snippets_mark_the_match(arc):
    res = arc.search("蘇州工業園區 疫情防控", limit=3)
    for hit in res.hits:
        assert "<mark>" in hit.snippet
    photo = arc.search("初夏 ye", limit=1).hits[0]
    assert photo.kind == "photo" and "<mark>" in photo.snippet


def test_search_json_contract(arc):
    data = arc.search("月亮湾新貌").to_json()
    assert data["total"] == 1
    (hit,) = data["hits"]
    assert hit["kind"] == "photo" and hit["title"] == "月亮湾新貌" and hit["department"] == "陈雨禾"
    assert set(hit) >= {"kind", "id", "title", "snippet", "volume", "date_start", "date_end",
                        "department"}


def test_random_multi_term_queries_match_the_scan(arc):
    rng = random.Random(4)
    recs = list(arc.index.store.values())
    for _ in range(60):
        words = []
        for _ in range(rng.randint(2, 3)):
            text = rng.choice(recs).norm_text.replace("\n", "")
            n = rng.randint(1, 6)
            i = rng.randint(0, max(0, len(text) - n))
            words.append(text[i:i + n])
        expected = set(arc.index.store)
        for w in words:
            expected &= scan(arc, w)
        assert found(arc, " ".join(words)) == expected


@pytest.mark.parametrize("query", ["园区", "区", "的", "2020", "经济发展", "照片", "不存在的字符串"])
def test_facets_equal_a_plain_count(arc, query):
    from collections import Counter

    recs = [r for r in arc.index.store.values() if normalize(query) in r.norm_text]
    res = arc.index.search(parse_query(query), Filters(), limit=0,
                           dept_aliases=arc.dept_aliases())
    assert res.total == len(recs)
    assert res.facets["kind"] == dict(Counter(r.kind for r in recs))
    assert res.facets["department"] == dict(Counter(d for r in recs for d in r.depts))
    assert res.facets["year"] == {str(y): c for y, c in
                                  Counter(y for r in recs for y in r.years).items()}
    for kind in ("article", "photo", "table", "event"):
        assert res.facets[f"year:{kind}"] == {
            str(y): c for y, c in Counter(y for r in recs if r.kind == kind
                                          for y in r.years).items()}


@pytest.mark.parametrize("query", ["园", "区", "的", ",", "苏州工业园区"])
def test_ranking_is_title_hits_then_score_then_archive_order(arc, query):
    snap = arc.index._snap
    term = normalize(query)
    exact = snap.dense_scores("grams", snap.rarest_gram("grams", term))  # unrounded
    res = arc.index.search(parse_query(query), Filters(), limit=0,
                           dept_aliases=arc.dept_aliases())
    docs = [snap.docnums[h.rid] for h in res.hits if not h.pinyin]
    title = {snap.docnums[h.rid] for h in res.hits if h.title_match}
    assert docs == sorted(docs, key=lambda d: (d not in title, -exact[d], d))
    top = arc.index.search(parse_query(query), Filters(), limit=7,
                           dept_aliases=arc.dept_aliases())
    assert top.hits == res.hits[:7]
