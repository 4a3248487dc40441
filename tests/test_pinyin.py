"""Pinyin search: Latin letters find Chinese titles, captions, departments and tags by their
pinyin (full spelling or initials), polyphones by every reading, place names by the
project's phrase list, always ranked after the literal hits."""

from __future__ import annotations

import pytest

from sipviewer.core.archive import Archive
from sipviewer.search.pinyin import PHRASES, PinyinTable, char_readings, pinyin_query, readings
from sipviewer.search.query import parse_query

CAPTION = "黔货出山"


@pytest.fixture(scope="module")
def arc(tmp_path_factory):
    from tests.conftest import SAMPLE

    archive = Archive.open(tmp_path_factory.mktemp("pinyin") / "arc")
    archive.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
    yield archive
    archive.close()


def titles(arc, query: str, **filters) -> list[str]:
    res = arc.search(query, arc.make_filters(**filters) if filters else None, limit=0)
    assert res.total == len(res.hits)
    return [h.title for h in res.hits]


@pytest.mark.parametrize("query", ["qianhuochushan", "qhcs", "QHCS", "qian huo chu shan",
                                   "qianhcs", "qianhuoch"])
def test_full_spelling_initials_and_typing_find_the_caption(arc, query):
    found = titles(arc, query)
    assert [t for t in found if CAPTION in t], found
    assert all("qhcs" not in t.lower() for t in found)  # none of them contains the letters


def test_initials_of_the_park_find_every_title_naming_it(arc):
    want = {m.rid for m in arc.index.store.meta.values() if "苏州工业园区" in m.norm_title}
    assert len(want) >= 4
    res = arc.search("szgyyq", limit=0)
    assert want <= {h.rid for h in res.hits}


def test_departments_and_tags_are_matched(arc, tmp_path):
    # a department: 园区档案管理中心 credits three photos of the sample
    credited = {m.rid for m in arc.index.store.meta.values() if "园区档案管理中心" in m.depts}
    assert credited and credited <= {h.rid for h in arc.search("yqdaglzx", limit=0).hits}
    # a tag given by a cataloguer (on a copy, so the shared archive stays as imported)
    from tests.conftest import SAMPLE

    with Archive.open(tmp_path / "tags") as own:
        own.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        pid = own.photo_ids()[0]
        assert not own.search("longzhou", limit=0).hits
        own.update_photo(pid, tags=["龙舟"])
        assert [h.id for h in own.search("longzhou", limit=0).hits] == [pid]
        # a record found both literally and by pinyin is one hit, counted once
        own.update_photo(pid, tags=["龙舟", "longzhou"])
        res = own.search("longzhou", limit=0)
        assert [h.id for h in res.hits] == [pid] and res.total == 1
        assert res.facets["kind"] == {"photo": 1}
        # initials: 管理中心 (guan li zhong xin) is read lz too, so the tag is one of several
        assert pid in [h.id for h in own.search("lz", own.make_filters(kinds=["photo"]), 0).hits]


def test_pinyin_hits_rank_after_literal_hits(arc):
    # "ye" is printed in one caption (初夏 ye 集市) and is the pinyin of 业 in 工业园区
    res = arc.search("ye", limit=0)
    literal = [h for h in res.hits if "ye" in h.title.lower()]
    assert len(literal) == 1 and res.hits[0] == literal[0]
    ranked = arc.index.search(parse_query("ye"), limit=0)
    assert [h.pinyin for h in ranked.hits] == [False] + [True] * (len(ranked.hits) - 1)
    assert len(res.hits) > 3 and any("工业" in h.title for h in res.hits[1:])
    assert res.total == len(res.hits)
    assert sum(res.facets["kind"].values()) == res.total
    # a limit keeps the literal hit first and still counts every hit
    top = arc.search("ye", limit=2)
    assert top.hits[0].rid == literal[0].rid and top.total == res.total


def test_filters_and_negations_apply_to_pinyin_hits(arc):
    photos = arc.search("szgyyq", arc.make_filters(kinds=["photo"]), limit=0)
    assert photos.hits and {h.kind for h in photos.hits} == {"photo"}
    everything = arc.search("szgyyq", limit=0)
    assert photos.total < everything.total
    assert not titles(arc, "qhcs -黔货")


def test_chinese_fielded_and_short_queries_stay_literal():
    assert pinyin_query("园区") is None
    assert pinyin_query("q") is None
    assert pinyin_query("2020") is None
    assert pinyin_query("qian huo") == "qianhuo"


def test_polyphones_match_by_every_reading():
    assert {"xing", "hang"} <= set(char_readings("行"))
    table = PinyinTable([("a:1", ["银行"]), ("a:2", ["长江"]), ("a:3", ["行人"])])
    assert set(table.search("yinhang")) == {"a:1"}
    assert set(table.search("yinxing")) == {"a:1"}  # every reading counts
    assert set(table.search("changjiang")) == set(table.search("zhangjiang")) == {"a:2"}
    assert set(table.search("xr")) == set(table.search("hr")) == {"a:3"}
    assert set(table.search("zhj")) == set(table.search("zj")) == {"a:2"}  # zh, z: initials


def test_the_phrase_list_reads_place_names_right():
    # pypinyin's own first readings are wrong for these place names
    assert char_readings("单")[0] == "dan" and char_readings("涌")[0] == "yong"
    assert readings("山东单县") == (("shan",), ("dong",), ("shan",), ("xian",))
    assert PHRASES["涌边"] == ("chong", "bian")
    table = PinyinTable([("a:1", ["山东省单县"]), ("a:2", ["涌边村"]), ("a:3", ["单位"])])
    assert set(table.search("shanxian")) == set(table.search("sx")) == {"a:1"}
    assert "a:1" not in table.search("danxian")  # only the right reading counts there
    assert set(table.search("chongbian")) == {"a:2"} and not table.search("yongbian")
    assert set(table.search("danwei")) == {"a:3"}  # elsewhere 单 keeps its readings


def test_title_matches_come_before_other_texts():
    table = PinyinTable([("p:1", ["会议", "黔货出山"]), ("p:2", ["黔货出山展销会"])])
    assert table.search("qhcs") == {"p:1": 1, "p:2": 0}


def test_texts_are_matched_one_at_a_time():
    table = PinyinTable([("p:1", ["黔货", "出山"])])
    assert table.search("qhcs") == {}
    assert table.search("qianhuo") == {"p:1": 0}
