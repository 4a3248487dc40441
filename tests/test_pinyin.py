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


# -- the table against a plain scan of the definition ------------------------------------------
def _reference_readings(text: str) -> list[tuple[str, ...]]:
    """Readings per character from pypinyin's own API, with the phrase list applied."""
    from pypinyin import Style, pinyin

    out = []
    for ch in text:
        if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f":
            found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore", v_to_u=False)
            out.append(tuple(dict.fromkeys(r for g in found for r in g
                                           if r.isascii() and r.isalpha())))
        else:
            out.append(())
    for phrase, syllables in PHRASES.items():
        at = text.find(phrase)
        while at >= 0:
            out[at:at + len(phrase)] = [(s,) for s in syllables]
            at = text.find(phrase, at + 1)
    return out


def _spells(chars: list[tuple[str, ...]], i: int, letters: str) -> bool:
    """Whether ``letters`` spell the characters from ``i`` on: each a syllable or its initial
    (zh/ch/sh also as two letters), the last any beginning of a syllable."""
    if i >= len(chars):
        return False
    for r in chars[i]:
        if r.startswith(letters):
            return True
        typed = {r, r[0]} | ({r[:2]} if r[:2] in ("zh", "ch", "sh") else set())
        for t in typed:
            if len(t) < len(letters) and letters.startswith(t) \
                    and _spells(chars, i + 1, letters[len(t):]):
                return True
    return False


def _scan(entries: list[tuple[str, list[list[tuple[str, ...]]]]], letters: str) -> dict[str, int]:
    out = {}
    for rid, texts in entries:
        for n, chars in enumerate(texts):
            if any(_spells(chars, i, letters) for i in range(len(chars))):
                out[rid] = 0 if n == 0 else 1
                break
    return out


def _typed_queries(titles: list[str], rng) -> list[str]:
    """How a visitor would type pieces of real titles: full syllables, initials, mixtures,
    the last syllable unfinished; and a few letter pairs and strings that spell nothing."""
    queries = {"ye", "zx", "qh", "sz", "zhongguo", "xyz", "qwerty", "zzqx", "iou", "vvv"}
    while len(queries) < 120:
        title = rng.choice(titles)
        chars = _reference_readings(title)
        at = rng.randrange(len(title))
        run = []
        for options in chars[at:at + rng.randint(1, 5)]:
            if not options:
                break
            run.append(rng.choice(options))
        if not run:
            continue
        typed = [rng.choice([r, r, r[0], r[:2]]) for r in run]
        typed[-1] = run[-1][:rng.randint(1, len(run[-1]))]
        q = "".join(typed)
        if len(q) >= 2:
            queries.add(q)
    return sorted(queries)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The sample and a generated volume: the table's entries, and the same texts read with
    pypinyin per character for the plain scan."""
    import random

    from sipviewer.ingest.synthetic import generate_volume
    from sipviewer.search.pinyin import store_entries
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("pinyin-scan")
    vol = root / "vol.txt"
    vol.write_text(generate_volume(5, target_chars=40000, edition_year=2005).text,
                   encoding="utf-8")
    with Archive.open(root / "arc") as archive:
        archive.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        archive.import_files([vol])
        entries = [(rid, [t for t in texts]) for rid, texts in store_entries(archive.index.store)]
    read = [(rid, [_reference_readings(t) for t in texts if t]) for rid, texts in entries]
    titles = [texts[0] for _, texts in entries if texts and len(texts[0]) > 1]
    return PinyinTable(entries), read, _typed_queries(titles, random.Random(3)), entries


def test_table_finds_what_a_plain_scan_finds(scanned):
    table, read, queries, _ = scanned
    found_any = 0
    for q in queries:
        expected = _scan(read, q)
        assert table.search(q) == expected, q
        found_any += bool(expected)
    assert found_any > 80  # the typed queries do find titles


def test_char_readings_are_pypinyins():
    from pypinyin import Style, pinyin

    from tests.conftest import SAMPLE

    chars = set(SAMPLE.read_text(encoding="utf-8")) | set("行长单涌乐铅番蚌亳莞甪绿女略")
    assert len(chars) > 1000
    for ch in chars:
        if not ("\u3400" <= ch <= "\u9fff"):
            continue
        found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore", v_to_u=False)
        assert char_readings(ch) == tuple(dict.fromkeys(
            r for g in found for r in g if r.isascii() and r.isalpha())), ch
