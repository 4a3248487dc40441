"""Display width and joining of wrapped lines."""

from __future__ import annotations

import unicodedata

from sipviewer.model.textutil import char_width, join_wrapped, line_measures, line_widths, width


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


def test_width_of_text_is_the_sum_of_its_characters():
    """Counted a whole string at a time (narrow ones found in a pass, characters beyond the
    BMP looked at apart): the same as adding up each character's width."""
    texts = ["", "abc 12", "园区“十三五”期间", "𠀀𪚥a𝐀😀。", "—…·éñ\u3000 ", "\ufffd表1",
             "".join(chr(cp) for cp in range(0x20, 0x3000, 7)),
             "".join(chr(cp) for cp in range(0x1F000, 0x2A000, 97))]
    for text in texts:
        assert width(text) == sum(char_width(ch) for ch in text), text


def test_line_widths_measure_each_stripped_line_like_width():
    """All lines at once (array operations) give what `width` gives line by line."""
    text = ("\n \u3000园区“十三五”期间 \n\nabc 12\n\t𠀀𪚥a𝐀😀。\u2003\n—…·éñ\u3000 \n"
            + "".join(chr(cp) for cp in range(0x20, 0x3100, 3)) + "\n\ufffd表1\n\n")
    assert line_widths(text) == [width(line.strip()) for line in text.split("\n")]
    assert line_widths("") == [0] and line_widths(" \n\u3000") == [0, 0]


def test_line_measures_flag_spaces_inside_and_marked_characters():
    lines = ["  园区 新闻 ", "园区（简称）", "\u3000园区。\u3000", "", "abc", "a\u3000b。）"]
    widths, marked, also = line_measures("\n".join(lines), "）", "。")
    assert widths == [width(line.strip()) for line in lines]
    assert marked == [True, True, False, False, False, True]  # a space inside, or ）
    assert also == [False, False, True, False, False, True]  # 。
