"""The parser on text it has never seen: generated volumes and a hand-written one."""

from __future__ import annotations

from datetime import date

import pytest

from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic import generate_volume


def _photo_facts(p):
    return (p.caption, p.date_start, p.date_end, p.date_precision, p.credit, p.credit_kind)


def assert_matches(volume, doc):
    assert [s.title for s in doc.sections] == [s.title for s in volume.sections]
    assert (doc.volume_title, doc.edition_year) == (volume.title, volume.edition_year)
    assert len(doc.articles) == len(volume.articles)
    for want, got in zip(volume.articles, doc.articles):
        assert got.title == want.title
        assert got.attribution == want.attribution, want.title
        assert got.source_note == want.source_note, want.title
        assert list(got.paragraphs) == want.paragraphs, want.title
        assert [_photo_facts(p) for p in got.photos] == [_photo_facts(p) for p in want.photos]
        assert [(t.number, t.title, list(t.columns), [list(r) for r in t.rows], t.attribution)
                for t in got.tables] == [
            (t.number, t.title, t.columns, t.rows, t.attribution) for t in want.tables]


@pytest.mark.parametrize("seed", range(40))
def test_generated_volume_parses_exactly(seed):
    volume = generate_volume(seed, target_chars=15000, title_page_articles=seed % 3)
    doc = parse_text(volume.text, f"generated-{seed}.txt")
    assert_matches(volume, doc)
    assert accounting_problems(doc, volume.text) == []


def test_large_generated_volume_with_several_sections():
    volume = generate_volume(7, target_chars=320000)
    assert len(volume.sections) >= 3
    doc = parse_text(volume.text)
    assert_matches(volume, doc)
    assert accounting_problems(doc, volume.text) == []


# (The section head is 特载: a 大事记 section is read as dated events, see test_chronicle_hook.)
KUNSHAN = """ 昆山市年鉴（2016）

 特\u2003 载

昆山开发区推进产城融合

 昆山开发区围绕“产城融合”目标，持续推进

城市功能完善和产业转型升级，全年完成固定资产投资

312.5亿元，增长8.2%。

区内新增市级以上研发机构21家。

2015年3月2—6日，昆山开发区招商团赴德国开展BMW配套项目洽谈�
� （张三丰\u2003 摄）

2014年12月30日—2015年1月3日，第十届昆山花灯节在亭林园举办� （昆山日报社\u2003 供稿）

全年实现地区生产总值1680亿元。� （昆山开发区管委会）
 特\u2003 载

昆山高新区科技创新

 昆山高新区全年新认定高新技术企业46家，

累计达到310家，研发投入占比3.1%。

\u2003\u2003 表3\u2003 昆山高新区主要经济指标

指标 2014年 2015年

地区生产总值（亿元） 520 561

工业总产值（亿元） 1800 1911

\ufffd （昆山高新区经发局）
"""


def test_hand_written_volume_of_another_yearbook():
    doc = parse_text(KUNSHAN, "kunshan.txt")
    assert (doc.volume_title, doc.edition_year, doc.covered_year) == ("昆山市年鉴", 2016, 2015)
    assert [s.title for s in doc.sections] == ["特载"]
    a, b = doc.articles
    assert a.title == "昆山开发区推进产城融合" and a.attribution == "昆山开发区管委会"
    assert a.paragraphs == (
        "昆山开发区围绕“产城融合”目标，持续推进城市功能完善和产业转型升级，全年完成固定资产投资312.5亿元，增长8.2%。",
        "区内新增市级以上研发机构21家。",
        "全年实现地区生产总值1680亿元。",
    )
    p1, p2 = a.photos
    assert (p1.date_start, p1.date_end, p1.date_precision) == (date(2015, 3, 2), date(2015, 3, 6), "range")
    assert p1.caption == "2015年3月2—6日，昆山开发区招商团赴德国开展BMW配套项目洽谈"
    assert (p1.credit, p1.credit_kind) == ("张三丰", "photographer")
    assert (p2.date_start, p2.date_end) == (date(2014, 12, 30), date(2015, 1, 3))
    assert (p2.credit, p2.credit_kind) == ("昆山日报社", "supplied")
    assert b.title == "昆山高新区科技创新" and b.attribution == "昆山高新区经发局"
    (t,) = b.tables
    assert (t.number, t.title) == (3, "昆山高新区主要经济指标")
    assert t.columns == ("指标", "2014年", "2015年")
    assert t.rows == (("地区生产总值（亿元）", "520", "561"), ("工业总产值（亿元）", "1800", "1911"))
    assert accounting_problems(doc, KUNSHAN) == []


# An article with no title line at the top of a page takes its title from the running head at
# the page's foot. That head may be as wide as a full body line (a long title with two quotes
# measured narrow: 48 units in a column of 50); the next page's foot repeats it, as a running
# head does on every page of its article, where a body line running on over the page would not.
WIDE_HEAD = "苏州工业园区“十四五”期间高层次人才工作高质量发展"
WIDE_FOOT_HEAD = f""" 专\u2003 记

苏州工业园区纳米技术试点工作

园区围绕纳米技术产业持续推进技术转化，加快成果

落地，全年新增纳米技术企业一百二十家，产业规模突破

一千亿元，同比增长百分之二十一点五。

园区新增市级以上研发机构二十一家。\ufffd （园区科技局）

苏州工业园区纳米技术试点工作
 这支服务团队则称自己为“小二”，园区贯彻落实中央

省市关于人才工作的决策部署，深入实施人才强区战略，

{WIDE_HEAD}
 全年引进高层次人才一千二百人，其中领军人才一百二十

人，人才总量达到三十五万人，同比增长百分之八点二，

人才结构不断优化。

全年举办人才招聘活动五十场。\ufffd （园区组织部）

{WIDE_HEAD}
"""


def test_headless_article_titled_by_a_foot_head_as_wide_as_a_full_line():
    doc = parse_text(WIDE_FOOT_HEAD, "wide-foot-head.txt")
    a, b = doc.articles
    assert a.title == "苏州工业园区纳米技术试点工作" and a.attribution == "园区科技局"
    assert b.title == WIDE_HEAD and b.attribution == "园区组织部"
    assert b.pages == (2, 3)
    assert b.paragraphs == ("这支服务团队则称自己为“小二”，园区贯彻落实中央省市关于人才工作的决策部署，"
                            "深入实施人才强区战略，全年引进高层次人才一千二百人，其中领军人才一百二十人，"
                            "人才总量达到三十五万人，同比增长百分之八点二，人才结构不断优化。",
                            "全年举办人才招聘活动五十场。")
    assert accounting_problems(doc, WIDE_FOOT_HEAD) == []


# An article ends with a table (its source line signs it); the next page begins an article with
# no title line, its first line an indented paragraph start, and its title at the page's foot
# as wide as a paragraph's indented first line (46 units in a column of 50). Such a foot line
# after a table may be the first line of the article's next paragraph, but not here: the line
# above it is a full line that ends no sentence, so its paragraph goes on and no new paragraph
# can start below it. The foot line is the new article's head.
NARROW_HEAD = "苏州工业园区“十三五”期间公共服务建设再上新台阶"
HEAD_AFTER_TABLE = f""" 专\u2003 记

苏州工业园区科技载体建设

园区全年新增科技载体面积一百二十万平方米，累计

达到一千万平方米，新增孵化器八家，孵化企业超过四百

家。

\u2003\u2003 表1\u2003 园区科技载体情况

指标 2019年 2020年

载体面积（万平方米） 880 1000

孵化器（家） 30 38

\ufffd （园区科技局）

苏州工业园区科技载体建设
 唯亭积极开展差异化探索，胜浦社区法律顾问配备率

达到百分之九十。硅谷创新中心取得显著成效，苏相合作

区成立全国首家地方法院国际商事法庭和自贸区公平贸

{NARROW_HEAD}
 易工作站。全区入选国家级科技型中小企业信息库企业六

千九百零五家。\ufffd （园区党政办）
"""


def test_a_head_as_wide_as_a_first_line_below_a_line_running_on_starts_an_article():
    doc = parse_text(HEAD_AFTER_TABLE, "head-after-table.txt")
    a, b = doc.articles
    assert a.title == "苏州工业园区科技载体建设" and a.attribution == "园区科技局"
    assert a.pages == (1, 1) and len(a.tables) == 1
    assert b.title == NARROW_HEAD and b.attribution == "园区党政办"
    assert b.pages == (2, 3)
    assert b.paragraphs == ("唯亭积极开展差异化探索，胜浦社区法律顾问配备率达到百分之九十。"
                            "硅谷创新中心取得显著成效，苏相合作区成立全国首家地方法院国际商事法庭"
                            "和自贸区公平贸易工作站。全区入选国家级科技型中小企业信息库企业六千九百零五家。",)
    assert accounting_problems(doc, HEAD_AFTER_TABLE) == []
    # the same foot line below a paragraph's end is that article's next paragraph, not a head
    ended = HEAD_AFTER_TABLE.replace("区成立全国首家地方法院国际商事法庭和自贸区公平贸",
                                     "区成立全国首家地方法院国际商事法庭。")
    doc = parse_text(ended, "paragraph-after-table.txt")
    assert [a.title for a in doc.articles] == ["苏州工业园区科技载体建设"]


def test_a_head_as_wide_as_a_first_line_above_a_new_paragraph_starts_an_article():
    """The same page, its text ending a paragraph above the foot line: that line may be the next
    paragraph's first line only if the next page's first line can go on from it. It cannot when
    that line is itself an indented first line ending no sentence (a new paragraph), so the
    foot line is the new article's head."""
    text = HEAD_AFTER_TABLE.replace("区成立全国首家地方法院国际商事法庭和自贸区公平贸",
                                    "区成立全国首家地方法院国际商事法庭。")
    text = text.replace(" 易工作站。全区入选国家级科技型中小企业信息库企业六\n\n千九百零五家。",
                        " 全区入选国家级科技型中小企业信息库企业六千九百\n\n"
                        "零五家，新增省级以上研发机构二十一家，园区科技创新\n\n能力持续提升。")
    doc = parse_text(text, "head-above-paragraph.txt")
    a, b = doc.articles
    assert (a.title, a.attribution, a.pages) == ("苏州工业园区科技载体建设", "园区科技局", (1, 1))
    assert (b.title, b.attribution, b.pages) == (NARROW_HEAD, "园区党政办", (2, 3))
    assert b.paragraphs == ("唯亭积极开展差异化探索，胜浦社区法律顾问配备率达到百分之九十。"
                            "硅谷创新中心取得显著成效，苏相合作区成立全国首家地方法院国际商事法庭。",
                            "全区入选国家级科技型中小企业信息库企业六千九百零五家，新增省级以上研发机构"
                            "二十一家，园区科技创新能力持续提升。")
    assert accounting_problems(doc, text) == []


# An article with no title line at the top of a page has its title at the foot of that page (a
# running head stands on an article's first page). When that head is as wide as a full body
# line and the next page does not repeat it, it could be a line running on over the page; but
# the article needs its head there, and a title page listing another article's title must
# not lend it that one.
WIDE_HEAD_ONCE = f""" 苏州工业园区年鉴（2021）

苏州工业园区纳米技术试点工作

园区人才公寓建设
 专\u2003 记

苏州工业园区纳米技术试点工作

园区围绕纳米技术产业持续推进技术转化，加快成果

落地，全年新增纳米技术企业一百二十家，产业规模突破

一千亿元，同比增长百分之二十一点五。\ufffd （园区科技局）
 这支服务团队则称自己为“小二”，园区贯彻落实中央

省市关于人才工作的决策部署，深入实施人才强区战略，

全年引进高层次人才一千二百人，其中领军人才一百二十

{WIDE_HEAD}

2020年6月8日，园区人才工作会议召开\ufffd （园区新闻中心\u2003 供稿）
 人，人才总量达到三十五万人，同比增长百分之八点二，

人才结构不断优化。\ufffd （园区组织部）

园区人才公寓建设

园区全年新建人才公寓三千套，累计达到两万套，入住

率保持在百分之九十五以上。\ufffd （园区住建委）
"""


def test_headless_article_titled_by_a_wide_foot_head_printed_once():
    doc = parse_text(WIDE_HEAD_ONCE, "wide-head-once.txt")
    assert [(a.title, a.attribution, a.pages) for a in doc.articles] == [
        ("苏州工业园区纳米技术试点工作", "园区科技局", (2, 2)),
        (WIDE_HEAD, "园区组织部", (3, 4)),
        ("园区人才公寓建设", "园区住建委", (4, 4))]
    b = doc.articles[1]
    assert b.paragraphs == ("这支服务团队则称自己为“小二”，园区贯彻落实中央省市关于人才工作的决策部署，"
                            "深入实施人才强区战略，全年引进高层次人才一千二百人，其中领军人才一百二十人，"
                            "人才总量达到三十五万人，同比增长百分之八点二，人才结构不断优化。",)
    assert [p.caption for p in b.photos] == ["2020年6月8日，园区人才工作会议召开"]
    assert any(u.kind == "title" and u.text == WIDE_HEAD for u in doc.uncertain)
    assert accounting_problems(doc, WIDE_HEAD_ONCE) == []


def test_a_head_as_wide_as_a_full_line_below_a_paragraphs_end_after_a_table():
    """The page of `HEAD_AFTER_TABLE` with a head as wide as a full body line, below a paragraph's
    last line: a full line cannot go on from a paragraph that has ended, nor start one (a first
    line is indented), so it is no body line running on over the page but the head of an
    article with no title line, though the next page's foot does not repeat it."""
    text = HEAD_AFTER_TABLE.replace(NARROW_HEAD, WIDE_HEAD).replace(
        "区成立全国首家地方法院国际商事法庭和自贸区公平贸", "区成立全国首家地方法院国际商事法庭。")
    doc = parse_text(text, "wide-head-after-table.txt")
    assert [(a.title, a.attribution, a.pages) for a in doc.articles] == [
        ("苏州工业园区科技载体建设", "园区科技局", (1, 1)), (WIDE_HEAD, "园区党政办", (2, 3))]
    assert doc.articles[1].paragraphs == (
        "唯亭积极开展差异化探索，胜浦社区法律顾问配备率达到百分之九十。"
        "硅谷创新中心取得显著成效，苏相合作区成立全国首家地方法院国际商事法庭。",
        "易工作站。全区入选国家级科技型中小企业信息库企业六千九百零五家。")
    assert accounting_problems(doc, text) == []
