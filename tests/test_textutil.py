"""Display width and joining of wrapped lines."""

from __future__ import annotations

import unicodedata

from sipviewer.model.textutil import char_width, join_wrapped, width


def test_fast_width_agrees_with_unicodedata():
    for cp in range(0x20, 0x40000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        assert width(ch) == char_width(ch), hex(cp)


def test_width_of_mixed_text():
    assert width("截至2020年底") == 2 * 4 + 4
    assert width("“园区”") == 1 + 4 + 1  # curly quotes measure half width


def test_join_wrapped():
    assert join_wrapped("园区", "经济") == "园区经济"
    assert join_wrapped("2019年9月1", "日") == "2019年9月1日"
    assert join_wrapped("初夏 ye", "集市") == "初夏 ye集市"
    assert join_wrapped("the", "park") == "the park"
