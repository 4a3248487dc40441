"""The parser on the real sample (专记 of the 2021 volume): the facts the archive relies on."""

from __future__ import annotations

import json
from datetime import date

from sipviewer.ingest.accounting import accounting_problems

TITLES = [
    "苏州工业园区新冠肺炎疫情防控",
    "苏州工业园区现代化建设试点",
    "中国（江苏）自由贸易试验区苏州片区：建设新时代改革开放新高地",
    "苏州工业园区“十三五”期间经济社会发展情况",
    "苏州工业园区帮扶贵州省铜仁市松桃苗族自治县实现脱贫",
]


def test_one_section_five_articles(sample_doc):
    assert [s.title for s in sample_doc.sections] == ["专记"]
    assert [a.title for a in sample_doc.articles] == TITLES


def test_attributions_and_source_note(sample_doc):
    arts = sample_doc.articles
    assert [a.attribution for a in arts] == [
        "园区新冠肺炎疫情防控指挥部办公室", "园区经发委", None, "园区经发委", "园区合作发展局"]
    assert arts[2].source_note == "原载2020年10月11日《深圳特区报》，有删改，记者：窦延文、余海蓉、周斌"
    assert all(a.source_note is None for k, a in enumerate(arts) if k != 2)


def test_ten_photos_with_dates_credits_and_articles(sample_doc):
    photos = [(k, p) for k, a in enumerate(sample_doc.articles) for p in a.photos]
    assert len(photos) == 10
    by_caption = {p.caption: (k, p) for k, p in photos}
    k, p = by_caption["2020年1月29日，园区疾病防治中心工作人员在沪宁高速园区出口测量体温"]
    assert (k, p.date_start, p.date_end, p.date_precision) == (0, date(2020, 1, 29), date(2020, 1, 29), "day")
    assert (p.credit, p.credit_kind, p.page) == ("园区新闻中心", "supplied", 2)
    k, p = by_caption["2020年2月，苏州金唯智生物科技有限公司工作人员在进行新冠病毒关键基因的合成研发工作"]
    assert (p.date_start, p.date_end, p.date_precision) == (date(2020, 2, 1), date(2020, 2, 29), "month")
    k, p = by_caption["2020年1月8—19日，2020贵州松桃“黔货出山”农特产品展销会在苏州国际博览中心举行"]
    assert (k, p.date_start, p.date_end, p.date_precision) == (4, date(2020, 1, 8), date(2020, 1, 19), "range")
    assert p.credit == "园区档案管理中心"
    k, p = by_caption["月亮湾新貌"]
    assert (k, p.date_start, p.date_precision, p.credit, p.credit_kind) == (
        1, None, "none", "陈雨禾", "photographer")
    assert by_caption["2020年6月4日，位于园区时代广场的“初夏 ye 集市”"][0] == 0
    assert by_caption["中国（江苏）自由贸易试验区苏州片区"][0] == 2
    assert by_caption["园区援建项目——松桃第八幼儿园"][0] == 4
    credits = [p.credit for _, p in photos]
    assert credits.count("园区新闻中心") == 6 and credits.count("园区档案管理中心") == 3
    for _, p in photos:
        assert "\ufffd" not in p.caption and "\n" not in p.caption and "供稿" not in p.caption


def test_table_1(sample_doc):
    tables = sample_doc.tables
    assert len(tables) == 1
    t = tables[0]
    assert (t.number, t.title, t.attribution) == (1, "园区“十三五”时期经济社会发展指标执行情况", "园区经发委")
    assert t.columns == ("序号", "类别", "指标名称", "2020年目标值", "2020年完成值", "指标属性")
    assert len(t.rows) == 22
    assert [r[0] for r in t.rows] == [str(n) for n in range(1, 23)]
    assert all(len(r) == 6 for r in t.rows)
    assert [r[1] for r in t.rows[:7]] == ["经济结构"] * 6 + ["创新发展"]
    assert t.rows[11] == ("12", "人民生活", "居民人均可支配收入增幅", "高于地区生产总值增幅",
                          "与地区生产总值增长同步", "预期性")
    assert t.rows[4] == ("5", "经济结构", "高新技术产业产值占规模以上工业总产值比重", "70%", "72.40%", "预期性")
    assert t.rows[19][2] == "万元地区生产总值COD排放强度（千克 /万元）"
    assert t.rows[21][1] == "资源环境"
    assert sample_doc.articles[3].tables == (t,)


def test_paragraphs_reflowed_across_pages_heads_and_captions(sample_doc):
    paras = [p for a in sample_doc.articles for p in a.paragraphs]
    joined = [p for p in paras if p.endswith("体现“园区效率”、展现“园区担当”的优异答卷。")]
    assert len(joined) == 1 and joined[0].startswith("园区立足全局、着眼大局")
    for p in paras:
        assert "\n" not in p and "\ufffd" not in p
        assert "专 记" not in p and "专\u2003 记" not in p
        assert p not in ("苏州工业园区新冠肺炎疫情防控", "苏州工业园区现代化建设试点")
    art1 = sample_doc.articles[0]
    assert "苏州工业园区新冠肺炎疫情防控指挥部" not in "".join(art1.paragraphs[:1])
    # body text that merely contains a title's words stays
    assert any("“苏州工业园区新冠肺炎疫情防控工作先进个人”称号" in p for p in art1.paragraphs)
    # no spaces inside numbers or between Han characters
    assert any("截至2020年底，全区累计确诊新冠肺炎本土病例24例" in p for p in paras)
    assert any("2019年9月1日，中国（江苏）自由贸易试验区苏州片区挂牌成立" in p for p in paras)
    assert art1.paragraphs[0].startswith("新型冠状病毒感染的肺炎（简称新冠肺炎）疫情是百年来")


def test_swapped_columns_are_read_in_order(sample_doc):
    # page 8 was extracted right column first: the article must still begin at its start,
    # and the left column's last word (街) must meet the right column's first (道)
    art = sample_doc.articles[3]
    leads = [p[:5] for p in art.paragraphs]
    assert leads == ["“十三五”", "经济实力实", "改革开放迈", "科技创新实", "产城融合展", "民生福祉得",
                     "“十三五”"]
    assert art.paragraphs[0].startswith("“十三五”时期，是园区综合实力")
    assert "完成街道“三整合”改革。中新苏州工业园区开发集团" in art.paragraphs[2]
    assert "城镇居民人均可支配收入年均增长6.5%" in art.paragraphs[5]
    # articles extracted in order are left alone
    assert sample_doc.articles[0].paragraphs[0].startswith("新型冠状病毒感染的肺炎")


def test_running_heads_and_page_heads_are_dropped(sample_doc):
    kinds = {(d.kind, d.text.replace("\u2003", "").replace(" ", "")) for d in sample_doc.dropped}
    assert ("running_head", "苏州工业园区新冠肺炎疫情防控") in kinds
    assert ("running_head", "苏州工业园区现代化建设试点") in kinds
    assert ("page_head", "专记") in kinds


def test_nothing_lost(sample_doc, sample_text):
    assert accounting_problems(sample_doc, sample_text) == []


def test_accounting_catches_a_lost_piece(sample_doc, sample_text):
    from dataclasses import replace

    tampered = replace(sample_doc, ledger=sample_doc.ledger[:-1])
    assert accounting_problems(tampered, sample_text)
    paras = list(sample_doc.articles[0].paragraphs)
    paras[0] = paras[0] + "多"
    art = replace(sample_doc.articles[0], paragraphs=tuple(paras))
    section = replace(sample_doc.sections[0], articles=(art, *sample_doc.sections[0].articles[1:]))
    assert accounting_problems(replace(sample_doc, sections=(section,)), sample_text)


def test_json_contract(sample_doc):
    data = json.loads(json.dumps(sample_doc.to_json(), ensure_ascii=False))
    assert data["encoding"] == "utf-8"
    art = data["sections"][0]["articles"][0]
    assert set(art) >= {"title", "attribution", "source_note", "pages", "paragraphs", "photos", "tables"}
    assert art["pages"] == [2, 3]
    photo = art["photos"][0]
    assert photo == {"caption": "2020年1月29日，园区疾病防治中心工作人员在沪宁高速园区出口测量体温",
                     "date_start": "2020-01-29", "date_end": "2020-01-29", "date_precision": "day",
                     "credit": "园区新闻中心", "credit_kind": "supplied", "page": 2}
    table = data["sections"][0]["articles"][3]["tables"][0]
    assert table["number"] == 1 and len(table["rows"]) == 22 and table["page"] == 9


def test_volume_years_inferred(sample_doc):
    assert (sample_doc.edition_year, sample_doc.covered_year) == (2021, 2020)


def test_a_parse_leaves_what_is_frozen_for_good_frozen(sample_text):
    """The parse hands its records to the collector's oldest generation; objects frozen for
    good (a loaded index) must stay out of the collector's sight."""
    import gc

    from sipviewer.ingest.parser import parse_text

    kept = [[] for _ in range(10000)]  # long-lived objects, as a loaded index's
    gc.freeze()
    try:
        parse_text(sample_text)
        assert gc.get_freeze_count() >= len(kept)  # (a thaw leaves none)
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_parse_after_a_freeze_for_good_does_not_count_the_frozen(sample_text, monkeypatch):
    """Counting frozen objects walks them all (40 ms a volume beside a loaded index): once
    a pause froze for good, a parse knows it without counting, and still thaws nothing."""
    import gc

    from sipviewer.ingest.parser import parse_text
    from sipviewer.model.gcpause import collector_paused

    kept = [[] for _ in range(10000)]
    with collector_paused(freeze=True):
        pass
    try:
        def counted() -> int:
            raise AssertionError("frozen objects counted")

        monkeypatch.setattr(gc, "get_freeze_count", counted)
        assert parse_text(sample_text).articles
        monkeypatch.undo()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
