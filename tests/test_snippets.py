"""Snippets and highlight positions: right in plain Chinese and where normalisation changes
lengths (spaces, full-width forms, expansions)."""

from __future__ import annotations

from sipviewer.search.normalize import normalize
from sipviewer.search.snippets import match_spans, snippet


def _marked(text, terms):
    return [text[s:e] for s, e in match_spans(text, [normalize(t) for t in terms])]


def test_positions_in_plain_chinese():
    assert _marked("苏州工业园区经济发展，园区", ["园区"]) == ["园区", "园区"]


def test_positions_when_normalisation_changes_lengths():
    text = "面积 33.3 ㎡，蘇州 工業園區 Ｎ９５ 口罩"
    assert _marked(text, ["苏州工业园区"]) == ["蘇州 工業園區"]
    assert _marked(text, ["n95"]) == ["Ｎ９５"]
    assert _marked(text, ["m2"]) == ["㎡"]
    assert _marked(text, ["33.3m2"]) == ["33.3 ㎡"]


def test_snippet_window_and_marks():
    body = "甲" * 100 + "经济发展" + "乙" * 100
    out = snippet(["无关", body], ["经济发展"], width=10)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>经济发展</mark>" in out and len(out) < 60
    assert snippet(["<b>不</b>"], ["不"]) == "&lt;b&gt;<mark>不</mark>&lt;/b&gt;"


def test_snippet_shows_the_place_with_the_most_terms():
    # 园区 alone early on, 园区 and 经济 together later: the snippet shows them together
    body = "园区" + "甲" * 100 + "园区的经济" + "乙" * 100
    out = snippet([body], ["园区", "经济"], width=10)
    assert "<mark>园区</mark>的<mark>经济</mark>" in out
    # a later part with both terms wins over an earlier part with one
    out = snippet(["只有园区", "园区经济都在"], ["园区", "经济"], width=10)
    assert out == "<mark>园区经济</mark>都在"  # adjacent matches are one mark
    # one term: the first match of the first part that has it, as before
    assert snippet(["无", "甲园区乙", "园区"], ["园区"], width=10) == "甲<mark>园区</mark>乙"
