"""Reflow rules one by one: where a paragraph ends, the column width, swapped columns."""

from __future__ import annotations

from sipviewer.ingest.reflow import BodyLine, column_order, column_width, paragraph_ends, reflow
from sipviewer.model.textutil import width


def body(*texts: str, heading: int | None = None) -> list[BodyLine]:
    return [BodyLine(t, k + 1, 1, k == heading) for k, t in enumerate(texts)]


SAMPLE_LINES = [  # sample l. 143–159: a paragraph ending on a short line, then another
    "面对突如其来的新冠肺炎疫情，园区各级党组织和广",
    "大党员干部冲锋在前、顽强拼搏，充分发挥战斗堡垒和先",
    "锋模范作用。广大医务工作者义无反顾、日夜奋战，展现",
    "救死扶伤、医者仁心的崇高精神。",
    "在这场波澜壮阔的抗疫斗争中，园区涌现了许多先进",
    "典型，一批先进集体和个人受到表彰。园区社会事业局、",
]


def test_a_short_line_ending_a_sentence_ends_the_paragraph():
    lines = body(*SAMPLE_LINES)
    widths = [width(b.text) for b in lines]
    assert [paragraph_ends(lines, widths, i) for i in range(5)] == [False, False, False, True, False]
    paras = [p for p, _ in reflow(lines, "")]
    assert paras[0].endswith("医者仁心的崇高精神。") and paras[1].startswith("在这场波澜壮阔")


def test_a_sub_heading_stands_alone():
    lines = body("制度创新 以需求出发解“痛点”“堵点”", *SAMPLE_LINES[:2], heading=0)
    assert [p for p, _ in reflow(lines, "")][0] == "制度创新 以需求出发解“痛点”“堵点”"


def test_column_width_is_the_median_of_neighbours():
    assert column_width([50, 50, 20, 50, 48, 50, 50], 2) == 50
    assert column_width([40], 0) == 40


def test_columns_in_order_are_left_alone():
    lines = body(*(SAMPLE_LINES * 3))
    assert column_order(lines, "") == lines
