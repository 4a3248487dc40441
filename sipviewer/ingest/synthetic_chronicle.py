"""Generate 大事记 (chronology) sections in the yearbook's layout, with the expected events.

Written from the layout of the yearbook's published chronology as the PDF extractor gives
it, not from what the reader assumes:

* a page starts with a line that begins with one space; the section's running head
  ``大\u2003 事\u2003 记`` stands on top of the first page and of some others;
* lines are hard-wrapped to the column and separated by blank lines;
* a month heading (``3月``) on a line of its own, then the month's entries: a day (``5日``),
  a day range (``12—14日``, ``29—30日``, across months ``30日—12月2日``) or ``△`` (another
  event of the same day as the entry before), an ideographic space, the text;
* an entry wraps over lines and pages; a wrapped line may begin with digits and 日 inside a
  sentence ("定于4月" / "20日举行…"), or after a sentence that ends inside the entry
  ("…仪式。" / "20日，…": no space after 日, so it is not an entry).

`generate_chronicle` returns the section's pages (each a list of lines, blank lines
included) and the manifest of its events (the oracle of the property tests). Whole-volume
generators include a 大事记 section by adding its pages; `ChronicleSection.text` is the
section alone as a file.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass, field
from datetime import date

from sipviewer.model.textutil import char_width

RUNNING_HEAD = "大\u2003 事\u2003 记"
SEPARATORS = ("\u2003", "\u3000")  # the space after the date: em or ideographic
SAME_DAY = "△"

SUBJECTS = ["园区", "苏州工业园区", "园区党工委", "园区管委会", "园区经发委", "园区科技局",
            "园区商务局", "园区教育局", "园区社会事业局", "园区规建委", "园区文体旅局",
            "苏州工业园区经济发展委员会", "苏州工业园区合作发展局", "园区国土环保局",
            "独墅湖科教创新区", "金鸡湖商务区", "苏州自贸片区", "中新生态科技城", "BioBAY"]
EVENTS = ["召开优化营商环境工作会议", "举办全民阅读季启动仪式", "召开新冠肺炎疫情防控工作会议",
          "举行重点项目集中签约仪式", "召开科技创新大会", "发布人才政策", "举办招商推介会",
          "开展安全生产专项检查", "举行集中开工仪式", "召开党工委（扩大）会议",
          "举办国际人才交流大会", "召开生态环境保护工作会议", "举行新校开学典礼",
          "发布5G网络建设行动计划", "举行中新合作联合协调理事会会议", "开展对口帮扶签约活动"]
DETAILS = ["部署全年重点任务", "40余个国家和地区的嘉宾参会", "签约项目62个，总投资约380亿元",
           "会议听取上半年工作情况汇报", "发布《园区数字经济发展三年行动计划》",
           "现场签约人才项目27个", "参会企业代表300余人", "新增学位4800个",
           "市领导出席并讲话", "活动持续至年底", "覆盖区内12个社区", "首批入驻企业18家"]
_DAY = re.compile(r"^\d{1,2}日")
_NO_LINE_START = "。，、；：！？）》”’"
PLACES = ["金鸡湖", "独墅湖", "阳澄湖", "斜塘", "唯亭", "胜浦", "娄葑", "湖东", "湖西", "月亮湾"]


@dataclass(frozen=True)
class ExpectedEvent:
    date_start: date
    date_end: date
    text: str
    page: int


@dataclass(frozen=True)
class Entry:
    """One entry before layout: its date syntax as printed and its text."""

    prefix: str  # 5日, 12—14日, 30日—12月2日 or △
    start: date
    end: date
    text: str
    breaks: tuple[int, ...] = ()  # text offsets where a wrap is wanted (a planted trap)


@dataclass
class ChronicleSection:
    year: int
    pages: list[list[str]]  # each page's lines, blank lines included
    events: list[ExpectedEvent]
    traps: dict[str, int] = field(default_factory=dict)  # how many of each planted case

    @property
    def lines(self) -> list[str]:
        return [line for page in self.pages for line in page]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class ChronicleGenerator:
    """A seeded generator of 大事记 entries and their layout; the same seed, the same text."""

    def __init__(self, seed: int = 0, *, width_units: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.width = width_units or self.rng.choice([44, 46, 48])
        self.traps: dict[str, int] = {}

    def _count(self, trap: str) -> None:
        self.traps[trap] = self.traps.get(trap, 0) + 1

    # -- text -------------------------------------------------------------------------------
    def entry_text(self, year: int, month: int) -> tuple[str, tuple[int, ...]]:
        """An entry's text, sometimes with a later date inside it (a wrap may fall before 日)."""
        rng = self.rng
        text = rng.choice(SUBJECTS) + rng.choice(["在" + rng.choice(PLACES), ""]) + \
            rng.choice(EVENTS)
        breaks: list[int] = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            text += "，" + rng.choice(DETAILS)
        later = rng.random()
        if later < 0.3:  # "…定于4月" / "20日举行…": digits and 日 inside a sentence
            m = rng.randint(month, 12)
            d = rng.randint(1, 28)
            text += f"，定于{m}月"
            breaks.append(len(text))
            text += f"{d}日举行{rng.choice(['专题会议', '集中签约', '开幕式'])}"
        text += "。"
        if later > 0.8:  # a sentence ends inside the entry, the next begins with a day
            d = rng.randint(1, 28)
            breaks.append(len(text))
            text += f"{d}日，{rng.choice(DETAILS)}。"
        if rng.random() < 0.05:
            text = text[:-1] + "！"
        return text, tuple(breaks)

    def entries(self, year: int, months: list[int], per_month: tuple[int, int] = (2, 7)
                ) -> list[tuple[int, list[Entry]]]:
        """Entries month by month: days in order, ranges, ranges across months, △."""
        rng = self.rng
        out: list[tuple[int, list[Entry]]] = []
        for month in months:
            last_day = calendar.monthrange(year, month)[1]
            days = sorted(rng.sample(range(1, last_day + 1), rng.randint(*per_month)))
            items: list[Entry] = []
            for day in days:
                text, breaks = self.entry_text(year, month)
                form = rng.random()
                start = date(year, month, day)
                if form < 0.12 and day < last_day:
                    end_day = rng.randint(day + 1, min(last_day, day + 4))
                    items.append(Entry(f"{day}—{end_day}日", start, date(year, month, end_day),
                                       text, breaks))
                    self._count("range")
                elif form < 0.2 and day >= last_day - 2 and month < 12:
                    end_day = rng.randint(1, 3)
                    items.append(Entry(f"{day}日—{month + 1}月{end_day}日", start,
                                       date(year, month + 1, end_day), text, breaks))
                    self._count("range_across_months")
                else:
                    items.append(Entry(f"{day}日", start, start, text, breaks))
                while rng.random() < 0.3:
                    text, breaks = self.entry_text(year, month)
                    items.append(Entry(SAME_DAY, items[-1].start, items[-1].end, text, breaks))
                    self._count("same_day")
            out.append((month, items))
        return out

    # -- layout -----------------------------------------------------------------------------
    def wrap(self, first: str, text: str, breaks: tuple[int, ...]) -> list[str]:
        """Hard-wrap ``first + text`` to the column; a planted break wraps a little early."""
        lines: list[str] = []
        current, used = first, sum(char_width(c) for c in first)
        wanted = set(breaks)
        for i, ch in enumerate(text):
            w = char_width(ch)
            in_word = ch.isascii() and ch.isalnum() and current[-1:].isascii() \
                and current[-1:].isalnum()
            in_word = in_word or ch in _NO_LINE_START  # set tighter rather than start a line
            early = i in wanted and used >= self.width - 12 and current.strip()
            if (used + w > self.width and not in_word) or early:
                if early:
                    self._count("wrapped_day" if text[i - 1] != "。" else "day_after_sentence")
                lines.append(current)
                current, used = "", 0
            current += ch
            used += w
        lines.append(current)
        return lines

    def entry_lines(self, entry: Entry) -> list[str]:
        """An entry's printed lines: date, a space, the text, hard-wrapped."""
        lines = self.wrap(entry.prefix + self.rng.choice(SEPARATORS), entry.text, entry.breaks)
        for k in range(1, len(lines)):
            # a justified line starting with digits is set wide: the extractor may give a
            # space after them ("20日 举行…"), inside the sentence all the same
            if _DAY.match(lines[k]) and lines[k - 1][-1] not in "。！？" \
                    and self.rng.random() < 0.5:
                lines[k] = _DAY.sub(r"\g<0> ", lines[k], count=1)
                self._count("wrapped_day_spaced")
        return lines

    def lay_out(self, year: int, months: list[tuple[int, list[Entry]]], *,
                first_page: int = 1) -> ChronicleSection:
        """Pages of the section: page-start spaces, running heads, blank lines between lines."""
        pages = _Pages(self.rng)
        events: list[ExpectedEvent] = []
        for month, items in months:
            pages.put(f"{month}月")
            for entry in items:
                if entry.prefix == SAME_DAY and pages.room > 0 and self.rng.random() < 0.15:
                    pages.room = 0  # a page ends right before a △ entry
                    self._count("same_day_after_page_break")
                lines = self.entry_lines(entry)
                if len(lines) > 1 and 0 < pages.room < len(lines):
                    self._count("entry_over_page_end")
                events.append(ExpectedEvent(entry.start, entry.end, entry.text,
                                            first_page - 1 + pages.next_page()))
                for line in lines:
                    pages.put(line)
        return ChronicleSection(year, pages.pages, events, dict(self.traps))


class _Pages:
    """Pages being filled: a page takes 14–28 lines; the running head tops the first page and
    about half of the others."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pages: list[list[str]] = []
        self.room = 0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.room = self.rng.randint(14, 28)
        if len(self.pages) == 1 or self.rng.random() < 0.5:
            self.pages[-1].append(" " + RUNNING_HEAD)

    def next_page(self) -> int:
        """The page (1-based) the next line goes on."""
        return len(self.pages) + (0 if self.room > 0 else 1)

    def put(self, line: str) -> None:
        if self.room <= 0:
            self.new_page()
        page = self.pages[-1]
        if not page:
            line = " " + line  # the page-start marker
        else:
            page.append("")
        page.append(line)
        self.room -= 1


def generate_chronicle(seed: int = 0, *, year: int | None = None, first_page: int = 1,
                       months: int | None = None) -> ChronicleSection:
    """A 大事记 section of ``year`` (random when None) and its expected events."""
    g = ChronicleGenerator(seed)
    rng = g.rng
    covered = year or rng.randint(2005, 2024)
    n = months or rng.randint(2, 12)
    chosen = sorted(rng.sample(range(1, 13), n))
    return g.lay_out(covered, g.entries(covered, chosen), first_page=first_page)
