"""Caption and signature rules one by one, on the sample's own lines."""

from __future__ import annotations

from sipviewer.ingest.captions import caption_end, read_caption
from sipviewer.ingest.layout import Ledger, Line
from sipviewer.ingest.signatures import ATTRIBUTION, SOURCE_NOTE, is_signature, read_source_note_line


def lines(*texts: str) -> list[Line]:
    return [Line(k + 1, t, 4) for k, t in enumerate(texts)]


def test_caption_with_the_credit_on_its_last_line():
    block = lines("2020年1月29日，园区疾病防治中心工作人员在沪宁高速园区出口",
                  "测量体温\ufffd （园区新闻中心  供稿）")
    assert caption_end(block, None) == 1
    photo = read_caption(block, Ledger())
    assert photo.text == "2020年1月29日，园区疾病防治中心工作人员在沪宁高速园区出口测量体温"
    assert (photo.credit.text, photo.credit_kind, photo.page) == ("园区新闻中心", "supplied", 4)


def test_caption_with_the_credit_on_a_line_of_its_own():
    block = lines("2020年2月18日，企业职工在园区疾防中心排队做复工岗前体检\ufffd",
                  "\ufffd （园区新闻中心  供稿）")
    photo = read_caption(block, Ledger())
    assert photo.text == "2020年2月18日，企业职工在园区疾防中心排队做复工岗前体检"
    # …also when the extractor put a blank line before it: two blocks
    assert caption_end(block[:1], block[1:]) == 2
    assert caption_end(lines("园区新增市级以上研发机构21家。"), block[1:]) == 0


def test_photographer_credit_and_a_credit_without_caption():
    photo = read_caption(lines("月亮湾新貌\ufffd （陈雨禾  摄）"), Ledger())
    assert (photo.text, photo.credit.text, photo.credit_kind) == ("月亮湾新貌", "陈雨禾", "photographer")
    ledger = Ledger()
    photo = read_caption(lines("\ufffd （园区新闻中心\u2003 供稿）"), ledger)
    assert photo.text == "" and [u.kind for u in ledger.uncertain] == ["caption"]


def test_signature_after_the_last_sentence_or_alone():
    m = ATTRIBUTION.match("新局。\ufffd （园区合作发展局）")
    assert m is not None and is_signature(m) and m.group("name") == "园区合作发展局"
    m = ATTRIBUTION.match("\ufffd （园区新冠肺炎疫情防控指挥部办公室）")
    assert m is not None and is_signature(m)
    # brackets that explain a name inside a sentence are no signature
    m = ATTRIBUTION.match("助推贵州省铜仁市松桃苗族自治县（简称松桃县）")
    assert m is None or not is_signature(m)
    m = ATTRIBUTION.match("苏州工业园区（园区经发委）")
    assert m is not None and not is_signature(m)  # not after a finished sentence


def test_source_note_over_two_lines():
    assert SOURCE_NOTE.match("（原载2020年10月11日《深圳特区报》，有删改，记者：")
    note: list = []
    ledger = Ledger()
    first, second = lines("（原载2020年10月11日《深圳特区报》，有删改，记者：", "窦延文、余海蓉、周斌）")
    assert not read_source_note_line(note, first, ledger)
    assert read_source_note_line(note, second, ledger)
    assert "".join(p.text for p in note) == "原载2020年10月11日《深圳特区报》，有删改，记者：窦延文、余海蓉、周斌"
