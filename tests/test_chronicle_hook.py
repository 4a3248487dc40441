"""The parser hands a 大事记 section's pages to the chronicle reader and books its events.

Skipped until the chronicle reader (`sipviewer.ingest.chronicle.read_chronicle`) is installed;
without it the section is read as articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.assemble import chronicle_reader
from sipviewer.ingest.parser import parse_text

# skipped at run time (not at collection: the suite counts every collected test's verdict)
pytestmark = pytest.mark.skipif(chronicle_reader() is None,
                                reason="the chronicle reader is not installed yet")

VOLUME = """ 苏州工业园区年鉴（2021）

 专\u2003 记

园区科技创新发展情况

全年新认定高新技术企业46家，累计达到310家，研发投入占地区生产总值比重3.1%。

园区新增市级以上研发机构21家。\ufffd （园区科技局）
 大\u2003 事\u2003 记

3月

5日\u2003园区召开优化营商环境工作会议，部署全年重点任

务。

△\u2003独墅湖图书馆举办“书香园区”全民阅读季启动仪式。

12—14日\u2003第五届金鸡湖国际人才交流大会在园区举
 行，40余个国家和地区的嘉宾参会。
 特\u2003 载

园区开放合作再上新台阶

全年实际使用外资12.3亿美元，增长8.1%。\ufffd （园区商务局）
"""


def test_chronicle_section_is_read_as_events():
    doc = parse_text(VOLUME, "with-chronicle.txt")
    assert [s.title for s in doc.sections] == ["专记", "大事记", "特载"]
    chron = doc.sections[1]
    assert chron.articles == ()
    assert [(e.date_start, e.date_end, e.page) for e in chron.events] == [
        (date(2020, 3, 5), date(2020, 3, 5), 3), (date(2020, 3, 5), date(2020, 3, 5), 3),
        (date(2020, 3, 12), date(2020, 3, 14), 3)]
    assert chron.events[0].text == "园区召开优化营商环境工作会议，部署全年重点任务。"
    assert chron.events[2].text.endswith("40余个国家和地区的嘉宾参会。")
    # the articles on either side are untouched
    assert [a.title for a in doc.articles] == ["园区科技创新发展情况", "园区开放合作再上新台阶"]
    assert [a.attribution for a in doc.articles] == ["园区科技局", "园区商务局"]
    # every character is booked: event texts under s1.eK.text, dates and heads dropped
    assert accounting_problems(doc, VOLUME) == []
    assert doc.resolve("s1.e0.text") == chron.events[0].text
    assert any(e.dest == "s1.e2.text" for e in doc.ledger)
