"""Table rules one by one, on lines of the sample's table 1 (l. 917–992) and its variants."""

from __future__ import annotations

from sipviewer.ingest.layout import Ledger, Line
from sipviewer.ingest.tables import (
    TABLE_TITLE,
    ends_table,
    finish_table,
    header_cells,
    join_cell,
    source_line,
    split_cells,
    start_table,
)

HEADER = "序  号 类  别 指标名称 2020年目标值 2020年完成值 指标属性"


def table(*rows: str):
    ledger = Ledger()
    heading = Line(1, "    表1  园区“十三五”时期经济社会发展指标执行情况", 9)
    m = TABLE_TITLE.match(heading.text)
    assert m is not None
    t = start_table(m, heading, ledger)
    header_cells(t, Line(2, HEADER, 9), ledger)
    t.lines = [Line(3 + k, r, 9 + k // 4) for k, r in enumerate(rows)]
    finish_table(t, ledger)
    cells = [[copy if copy is not None else join_cell(c) for c, copy in zip(row, filled)]
             for row, filled in zip(t.rows, t.filled)]
    return t, cells, ledger


def test_heading_and_letter_spaced_header():
    t, _, _ = table()
    assert (t.number, t.title.text) == (1, "园区“十三五”时期经济社会发展指标执行情况")
    assert [c[0].text for c in t.columns] == ["序号", "类别", "指标名称", "2020年目标值", "2020年完成值", "指标属性"]
    assert t.numbered


def test_category_on_its_own_line_spans_the_rows_after_it():
    _, rows, _ = table("1", "经济结构", "地区生产总值年均增长速度 7%左右 6.50% 预期性",
                       "2 服务业增加值占地区生产总值比重 50%左右 52.30% 预期性")
    assert rows == [["1", "经济结构", "地区生产总值年均增长速度", "7%左右", "6.50%", "预期性"],
                    ["2", "经济结构", "服务业增加值占地区生产总值比重", "50%左右", "52.30%", "预期性"]]


def test_cells_wrapped_over_lines_ending_in_a_marker():
    _, rows, _ = table("1", "人民生活", "区域常住人口（万人） 96 113.39 预期性",
                       "2 居民人均可支配收入增幅", "高于地区生产\ufffd", "总值增幅", "与地区生产总值\ufffd",
                       "增长同步", "预期性")
    assert rows[1] == ["2", "人民生活", "居民人均可支配收入增幅", "高于地区生产总值增幅",
                       "与地区生产总值增长同步", "预期性"]


def test_a_unit_wrapped_inside_its_bracket_stays_in_its_cell():
    _, rows, _ = table("1", "资源环境", "PM2.5平均浓度（微克", "/立方米） 35 33 约束性")
    assert rows == [["1", "资源环境", "PM2.5平均浓度（微克/立方米）", "35", "33", "约束性"]]
    assert split_cells("20 万元地区生产总值COD排放强度（千克 /万元） 完成市下达目标 完成 约束性") == [
        "20", "万元地区生产总值COD排放强度（千克 /万元）", "完成市下达目标", "完成", "约束性"]


def test_rows_over_a_page_break_keep_their_numbers():
    _, rows, ledger = table(*[f"{n} 指标{n} {n}% {n}% 预期性" for n in range(1, 9)])
    assert [r[0] for r in rows] == [str(n) for n in range(1, 9)]
    assert [u.kind for u in ledger.uncertain] == ["table"]  # no source line given here


def test_a_skipped_row_number_is_reported():
    _, rows, ledger = table("1 甲 1 2 预期性", "3 丙 5 6 预期性")
    assert len(rows) == 1
    assert any("row number 3 where 2 was due" in u.decision for u in ledger.uncertain)


def test_source_line_and_what_ends_a_table():
    assert source_line("\ufffd （园区经发委）") is not None
    assert source_line("（园区经发委）") is not None
    assert source_line("22 新建建筑中绿色建筑（住宅和公建）所占比重") is None
    assert ends_table("园区坚持开放与创新融合，高质量“引进来”与高水平“走出去”齐头并进。")
    assert ends_table("表2  园区主要指标")
    assert ends_table("月亮湾新貌\ufffd （陈雨禾  摄）")
    assert not ends_table("13 城镇登记失业率             2% 1.80% 约束性")
