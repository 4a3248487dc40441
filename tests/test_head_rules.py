"""Head rules one by one: section heads, the volume title, the title page, running heads at
the foot of a page, and where an article starts."""

from __future__ import annotations

from sipviewer.ingest.heads import (
    PageView,
    Start,
    article_start,
    column_ref,
    foot_index,
    is_title_page,
    section_head,
    title_candidate,
    title_page_titles,
    volume_title,
)
from sipviewer.ingest.layout import blocks, split_pages

BODY = ["年来全球发生的最严重的传染病大流行，是中华人民共和",  # 50 units: the column
        "国成立以来遭遇的传播速度最快、感染范围最广、防控难",
        "度最大的重大突发公共卫生事件，在这场大战大考中。"]
FIRST = "新型冠状病毒感染的肺炎（简称新冠肺炎）疫情是百"  # 46 units: an indented first line


def page(*lines: str) -> list:
    return blocks(split_pages(" " + "\n\n".join(lines) + "\n")[0])


def view(*lines: str, after_head: bool = False) -> PageView:
    blks = page(*lines)
    return PageView(blks, column_ref(blks), foot_index(blks), after_head)


def test_section_heads_and_volume_title():
    assert section_head("专  记") == "专记"
    assert section_head("大\u2003 事\u2003 记") == "大事记"
    assert section_head("专记") is None and section_head("经济结构") is None
    m = volume_title("苏州工业园区年鉴（2021）")
    assert m is not None and (m.group("title"), m.group("year")) == ("苏州工业园区年鉴", "2021")
    assert volume_title("苏州工业园区年鉴2021卷") is not None
    assert volume_title("园区年度报告（2021）") is None


def test_title_page_lists_titles_a_long_one_over_two_lines(sample_path):
    first = split_pages(sample_path.read_text(encoding="utf-8"))[0]
    assert is_title_page(first, 10)
    m, _line, titles = title_page_titles(first)
    assert m is None
    assert [t for t, _ in titles] == ["苏州工业园区新冠肺炎疫情防控", "苏州工业园区现代化建设试点",
                                      "中国（江苏）自由贸易试验区苏州片区：建设新时代改革开放新高地"]
    assert not is_title_page(split_pages(sample_path.read_text(encoding="utf-8"))[1], 10)


def test_foot_head_is_the_last_line_above_the_captions():
    v = view(*BODY, "苏州工业园区新冠肺炎疫情防控", "月亮湾新貌\ufffd （陈雨禾  摄）")
    assert v.foot == 3 and v.foot_text(0) == "苏州工业园区新冠肺炎疫情防控"
    # a body line running on over the page is no head, even with no punctuation in it
    assert view(*BODY, "园区在美国葡萄牙以色列等国家设立一批海外离岸创新中").foot is None
    assert view(*BODY).foot is None


def test_foot_head_as_wide_as_a_full_line_is_a_head_when_the_next_page_repeats_it():
    head = "苏州工业园区“十四五”期间高层次人才工作高质量发展"  # 48 units: as wide as a full line
    blks = page(FIRST, BODY[0], head)
    assert foot_index(blks, fallback=50) is None  # alone: a body line running on over the page
    assert foot_index(blks, fallback=50, next_page=page(*BODY, head)) == 2
    assert foot_index(blks, fallback=50, next_page=page(*BODY)) is None


def test_foot_head_as_wide_as_a_full_line_is_a_head_where_no_body_line_could_stand():
    head = "苏州工业园区“十四五”期间高层次人才工作高质量发展"  # 48 units: as wide as a full line
    # below a paragraph's last line (short, ending its sentence): a full line neither goes on
    # from it nor starts a paragraph (a first line is indented)
    assert foot_index(page(FIRST, BODY[0], "全年新增企业一百家。", head), fallback=50) == 3
    # below a full line, with the next page beginning a paragraph of its own: nothing it could
    # run on to
    blks = page(FIRST, BODY[0], head)
    assert foot_index(blks, fallback=50, next_page=page("专  记", FIRST, *BODY)) == 2
    assert foot_index(blks, fallback=50, next_page=page(BODY[1], BODY[2])) is None


def test_title_candidate_joins_a_title_broken_after_its_colon():
    blks = page("中国（江苏）自由贸易试验区苏州片区： ", "建设新时代改革开放新高地", BODY[0])
    assert title_candidate(blks, 0) == ("中国（江苏）自由贸易试验区苏州片区：建设新时代改革开放新高地", 2)
    assert title_candidate(blks, 2) is None


def test_article_start_mid_page_title():
    v = view(*BODY[:2], "园区开放合作再上新台阶", FIRST, *BODY)
    assert article_start(v, 2, closed=True, current_title="前文", queued=[])[:2] == (Start.TITLE, 1)


def test_article_start_without_a_title_line_takes_the_foot_head():
    v = view(FIRST, *BODY, "苏州工业园区现代化建设试点")
    assert article_start(v, 0, closed=True, current_title="前文", queued=[])[0] is Start.HEADLESS
    # after a table that ended the article before: the new title at the foot says a new one
    assert article_start(v, 0, closed=False, current_title="前文", queued=[])[0] is Start.HEADLESS
    # the same page when the article before goes on (its title at the foot): no new article
    assert article_start(v, 0, closed=False, current_title="苏州工业园区现代化建设试点",
                         queued=[])[0] is Start.CONTINUE


def test_article_start_under_a_section_head_is_a_title():
    v = view("苏州工业园区“十三五”期间经济社会发展情况", *BODY, after_head=True)
    assert article_start(v, 0, closed=True, current_title="前文", queued=[])[0] is Start.TITLE


def test_after_a_table_a_paragraph_goes_on():
    # a first line with no punctuation after a table's source line: its shape says paragraph
    v = view("园区新增市级以上研发机构与国家级孵化器累计达到", *BODY)
    decision, _, why = article_start(v, 0, closed=False, current_title="前文", queued=[])
    assert decision is Start.CONTINUE and "paragraph" in why
    # …and a real title there is taken, reported as uncertain
    v = view("园区开放合作再上新台阶", FIRST, *BODY)
    decision, _, why = article_start(v, 0, closed=False, current_title="前文", queued=[])
    assert decision is Start.TITLE and why


def test_after_a_table_a_foot_line_below_a_line_running_on_is_a_head():
    head = "苏州工业园区“十三五”期间公共服务建设再上新台阶"  # 46 units: a first line's width
    # below a paragraph's end, the foot line may be the next paragraph's first line
    v = view(FIRST, BODY[0], BODY[2], head)
    assert article_start(v, 0, closed=False, current_title="前文", queued=[])[0] is Start.CONTINUE
    # below a full line that ends no sentence (its paragraph goes on) it can only be a head
    v = view(FIRST, BODY[0], BODY[1], head)
    assert article_start(v, 0, closed=False, current_title="前文", queued=[])[0] is Start.HEADLESS


def test_after_a_table_a_foot_line_above_a_new_paragraph_is_a_head():
    head = "苏州工业园区“十三五”期间公共服务建设再上新台阶"  # 46 units: a first line's width
    blks = page(FIRST, BODY[0], BODY[2], head)
    ref = 50  # the column of BODY (this page alone has too few full lines to measure it)
    foot = foot_index(blks, ref=ref)
    # the next page goes on from the foot line (a full line): it may be a paragraph's first line
    v = PageView(blks, ref, foot, next_page=page(BODY[1], BODY[2]))
    assert article_start(v, 0, closed=False, current_title="前文", queued=[])[0] is Start.CONTINUE
    # the next page begins a paragraph of its own (under its section head): the foot is a head
    v = PageView(blks, ref, foot, next_page=page("专  记", FIRST, *BODY))
    assert article_start(v, 0, closed=False, current_title="前文", queued=[])[0] is Start.HEADLESS
