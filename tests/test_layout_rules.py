"""Layout rules one by one: page starts, blocks, title-like lines (from the sample's lines)."""

from __future__ import annotations

from sipviewer.ingest.layout import Ledger, blocks, is_page_start, split_pages, title_like


def test_page_starts_with_one_space_whatever_the_line():
    assert is_page_start(" 新型冠状病毒感染的肺炎（简称新冠肺炎）疫情是百")  # sample l. 8
    assert is_page_start(" 专  记")  # a section head (l. 473)
    assert is_page_start(" 12 居民人均可支配收入增幅")  # a table row
    assert is_page_start(" \ufffd （园区经发委）")  # a source line
    # a table heading is itself indented; the page's space stands in front of its indent
    assert is_page_start("     表1  园区“十三五”时期经济社会发展指标执行情况")
    assert is_page_start(" \u2003\u2003 表3\u2003 园区主要指标")
    assert not is_page_start("    表1  园区“十三五”时期经济社会发展指标执行情况")  # l. 917
    assert not is_page_start("\u2003\u2003 表3\u2003 园区主要指标")
    assert not is_page_start("园区新增市级以上研发机构21家。")
    assert not is_page_start("  两个空格")


def test_every_page_counts():
    text = " 第一页\n\n正文\n     表1  指标\n\n序号 指标\n 第三页\n"
    pages = split_pages(text)
    assert len(pages) == 3
    assert [ln.page for ln in pages[1]] == [2, 2, 2]
    assert pages[1][0].text == "表1  指标"


def test_blocks_are_separated_by_blank_lines():
    pages = split_pages(" 甲\n\n乙\n丙\n\n\n丁\n")
    assert [[ln.text for ln in b] for b in blocks(pages[0])] == [["甲"], ["乙", "丙"], ["丁"]]


def test_title_like():
    assert title_like("苏州工业园区新冠肺炎疫情防控")
    assert title_like("中国（江苏）自由贸易试验区苏州片区： ")  # first line of a long title
    assert title_like("苏州工业园区“十三五”期间经济社会发展情况")
    assert not title_like("年来全球发生的最严重的传染病大流行，是中华人民共和")  # a comma
    assert not title_like("制度创新  以需求出发解“痛点”“堵点”")  # a sub-heading's gap
    assert not title_like("\ufffd （园区经发委）")  # a signature
    assert not title_like("窦延文、余海蓉、周斌）")  # the end of a source note
    assert not title_like("22 新建建筑中绿色建筑（住宅和公建）所占比重 100% 100% 约束性")
    assert not title_like("Department of Commerce")


def test_ledger_books_markers_and_uncertain_items():
    ledger = Ledger()
    assert ledger.drop_markers("体检\ufffd\ufffd", 5) == "体检"
    assert ledger.dropped[0].kind == "marker" and ledger.dropped[0].text == "\ufffd\ufffd"
    ledger.doubt(3, "title", "  一个  标题 ", "why")
    assert (ledger.uncertain[0].page, ledger.uncertain[0].text) == (3, "一个 标题")
