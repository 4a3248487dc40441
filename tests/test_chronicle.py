"""The 大事记 reader: planted traps one by one, the sample chronology, generated sections.

The expected events come from the layout (the generator's manifest, or the text as printed),
never from the reader.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.chronicle import read_chronicle
from sipviewer.ingest.parser import parse_text
from sipviewer.ingest.synthetic_chronicle import generate_chronicle

DATA = Path(__file__).parent / "data"
CHRONICLE = DATA / "dashiji-2020.txt"
E = "\u2003"
D = date


def events(pages, year=2020):
    found, uncertain = read_chronicle(pages, year)
    return [(e.date_start, e.date_end, e.text, e.page) for e in found], uncertain


# -- planted traps ------------------------------------------------------------------------

def test_wrapped_line_beginning_with_a_day_inside_a_sentence_continues_the_entry():
    got, _ = events([(1, ["4月", f"2日{E}园区召开专题会议，定于4月", "20日举行的签约仪式如期筹备。"])])
    assert got == [(D(2020, 4, 2), D(2020, 4, 2), "园区召开专题会议，定于4月20日举行的签约仪式如期筹备。", 1)]


def test_wrapped_day_set_wide_inside_a_sentence_continues_the_entry():
    # a justified line beginning with digits: the extractor gives a space after 日
    got, _ = events([(1, ["4月", f"2日{E}园区召开专题会议，定于4月", "20日 举行签约仪式。"])])
    assert got == [(D(2020, 4, 2), D(2020, 4, 2), "园区召开专题会议，定于4月20日举行签约仪式。", 1)]


def test_day_after_a_finished_sentence_but_without_the_space_continues_the_entry():
    got, _ = events([(1, ["4月", f"2日{E}园区召开专题会议。", "20日，签约仪式举行。"])])
    assert [g[2] for g in got] == ["园区召开专题会议。20日，签约仪式举行。"]


def test_day_with_its_space_after_a_finished_sentence_starts_an_entry():
    got, _ = events([(1, ["4月", f"2日{E}园区召开专题会议。", "20日\u3000签约仪式举行。"])])
    assert [(g[0], g[2]) for g in got] == [(D(2020, 4, 2), "园区召开专题会议。"),
                                           (D(2020, 4, 20), "签约仪式举行。")]


def test_same_day_mark_after_a_page_break_takes_the_date_before():
    got, _ = events([(7, ["6月", f"12—14日{E}论坛在园区举行。"]),
                     (8, [f"△{E}另一活动启动。"])])
    assert got[1] == (D(2020, 6, 12), D(2020, 6, 14), "另一活动启动。", 8)


def test_same_day_mark_without_its_space_and_a_spaced_month_heading():
    got, _ = events([(1, ["12 月", f"3日{E}会议召开。", "△同日另一活动。"])])
    assert [(g[0], g[2]) for g in got] == [(D(2020, 12, 3), "会议召开。"),
                                           (D(2020, 12, 3), "同日另一活动。")]


def test_range_across_months_and_across_the_year_end():
    got, _ = events([(1, ["11月", f"30日—12月2日{E}展会举行。", "12月", f"31日—1月2日{E}跨年活动。"])])
    assert [(g[0], g[1]) for g in got] == [(D(2020, 11, 30), D(2020, 12, 2)),
                                           (D(2020, 12, 31), D(2021, 1, 2))]


def test_entry_split_over_a_page_end_is_joined_and_keeps_its_first_page():
    got, _ = events([(3, ["8月", f"30日{E}自贸片区挂牌"]), (4, ["一周年，发布创新成果。", f"31日{E}下一条。"])])
    assert got == [(D(2020, 8, 30), D(2020, 8, 30), "自贸片区挂牌一周年，发布创新成果。", 3),
                   (D(2020, 8, 31), D(2020, 8, 31), "下一条。", 4)]


def test_a_month_alone_on_a_wrapped_line_inside_a_sentence_is_not_a_heading():
    got, _ = events([(1, ["3月", f"1日{E}会议决定于", "12月", "举行年会。", f"2日{E}次日。"])])
    assert [(g[0], g[2]) for g in got] == [(D(2020, 3, 1), "会议决定于12月举行年会。"),
                                           (D(2020, 3, 2), "次日。")]


def test_latin_words_wrapped_keep_their_space():
    got, _ = events([(1, ["5月", f"1日{E}园区发布Open", "Data平台。"])])
    assert got[0][2] == "园区发布Open Data平台。"


def test_unknown_year_keeps_the_text_undated_and_says_so():
    got, uncertain = events([(1, ["3月", f"5日{E}会议召开。", f"△{E}同日活动。"])], year=None)
    assert [(g[0], g[1], g[2]) for g in got] == [(None, None, "会议召开。"), (None, None, "同日活动。")]
    assert len(uncertain) == 1 and "year" in uncertain[0].decision


def test_no_such_day_and_no_month_are_uncertain_not_guessed():
    got, uncertain = events([(2, [f"3日{E}无月份。", "2月", f"30日{E}不存在的日子。"])])
    assert [(g[0], g[2]) for g in got] == [(None, "无月份。"), (None, "不存在的日子。")]
    assert [u.page for u in uncertain] == [2, 2]


# -- the sample chronology (laid out as the yearbook prints it) ---------------------------

def test_sample_chronology_every_event_dated_with_its_full_text():
    text = CHRONICLE.read_text(encoding="utf-8")
    doc = parse_text(text, CHRONICLE.name, year=2021)  # the 2021 volume covers 2020
    assert [s.title for s in doc.sections] == ["大事记"]
    got = [(e.date_start, e.date_end, e.text, e.page) for e in doc.sections[0].events]
    assert len(got) == 17
    assert got[2] == (D(2020, 1, 25), D(2020, 1, 25), "园区社会事业局组织区内医疗机构设立发热门诊，加强值守。", 2)
    assert got[4][0] == D(2020, 2, 10) and got[4][3] == 3  # △ after a page break
    assert got[9][2] == "园区科技局发布5G网络建设措施，定于6月15日起受理企业申报。"
    assert got[11][:2] == (D(2020, 8, 28), D(2020, 9, 1))
    assert got[12] == (D(2020, 8, 30), D(2020, 8, 30),
                       "中国（江苏）自由贸易试验区苏州片区挂牌一周年，片区发布制度创新成果。", 3)
    assert accounting_problems(doc, text) == []
    assert doc.uncertain == ()


def test_parse_command_prints_the_events(tmp_path):
    out = subprocess.run([sys.executable, "-m", "sipviewer", "parse", str(CHRONICLE), "--json",
                          "--year", "2021"], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    ev = data["sections"][0]["events"]
    assert ev[0] == {"date_start": "2020-01-08", "date_end": "2020-01-08", "page": 1,
                     "text": "园区召开2020年度工作会议，总结2019年工作，部署全年重点任务。"}
    assert data["uncertain"] == []


def test_other_sections_are_unaffected(sample_text, sample_doc):
    section = generate_chronicle(5, year=2020)
    text = sample_text.rstrip("\n") + "\n" + section.text
    doc = parse_text(text, "whole.txt", year=2021)
    assert doc.sections[: len(sample_doc.sections)] == sample_doc.sections
    got = [(e.date_start, e.date_end, e.text) for e in doc.sections[-1].events]
    assert got == [(e.date_start, e.date_end, e.text) for e in section.events]
    assert accounting_problems(doc, text) == []


# -- generated sections -------------------------------------------------------------------

def _check_generated(seed: int) -> None:
    section = generate_chronicle(seed)
    doc = parse_text(section.text, f"seed{seed}.txt", year=section.year + 1)
    got = [(e.date_start, e.date_end, e.text, e.page) for s in doc.sections for e in s.events]
    want = [(e.date_start, e.date_end, e.text, e.page) for e in section.events]
    assert got == want, seed
    assert accounting_problems(doc, section.text) == []
    assert doc.uncertain == ()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_generated_sections_come_back_exactly(seed):
    _check_generated(seed)


def test_the_generator_plants_every_trap():
    seen: dict[str, int] = {}
    for seed in range(40):
        for k, v in generate_chronicle(seed).traps.items():
            seen[k] = seen.get(k, 0) + v
    assert set(seen) >= {"same_day", "range", "range_across_months", "wrapped_day",
                         "day_after_sentence", "same_day_after_page_break", "wrapped_day_spaced",
                         "entry_over_page_end"}, seen
