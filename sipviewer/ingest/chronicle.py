"""Read a 大事记 (chronology) section into dated events.

The yearbook's chronology is laid out as month headings and dated entries::

    3月
    5日\u2003园区召开优化营商环境工作会议，部署全年重点任
    务。
    △\u2003独墅湖图书馆举办“书香园区”全民阅读季启动仪式。
    12—14日\u2003第五届金鸡湖国际人才交流大会在园区举
    行，40余个国家和地区的嘉宾参会。

Rules, one function each:

* `month_heading`: a line that is only a month (``12月``) and follows a finished entry;
* `entry_start`: a line that starts with a day (``5日``), a range (``12—14日``, or across
  months ``30日—12月2日``) or ``△`` (same date as the entry before, also after a page
  break), then a space (ideographic, em or plain) and the text. A wrapped line can begin with
  digits and 日 inside a sentence ("定于4月" / "20日举行的…"), so a line starts an entry only
  when the line before it ended a sentence (or there is no line before it);
* every other line continues the current entry (across pages too), joined without losing a
  character (`join_wrapped`).

The caller gives each page's lines with the page-start space, running heads and blank lines
already removed. The year is the volume's covered year; without it (or with a date that does
not exist) an event keeps its text with no dates and the decision is reported as `Uncertain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sipviewer.model.textutil import ends_sentence, join_wrapped
from sipviewer.model.types import ParsedEvent, Uncertain

CHRONICLE_TITLE = "大事记"
SAME_DAY = "△"

_DASH = "[—–\\-~～至]"
_ENTRY = re.compile(
    rf"^(?:(?P<same>{SAME_DAY})(?P<sep0>\s*)|(?P<d1>\d{{1,2}})(?:日?{_DASH}+"
    rf"(?:(?P<m2>\d{{1,2}})月)?(?P<d2>\d{{1,2}}))?日(?P<sep>\s+))(?P<text>\S.*)$")
_MONTH = re.compile(r"^(?P<m>\d{1,2})\s*月$")  # 12月; the extractor may space a wide digit
_LAYOUT_SPACE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")


def _compact(text: str) -> str:
    """A line's text without layout spaces: a space stays only between Latin words or numbers.

    A justified line that begins with digits is set with stretched spacing, which the
    extractor gives as a space ("20日 举行…"); Chinese text has no spaces of its own.
    """
    return _LAYOUT_SPACE.sub("", text.strip())


@dataclass(frozen=True)
class Piece:
    """Where one piece of an input line went: an event's text (its index) or a date (None)."""

    page_index: int  # index into the pages given
    line_index: int  # index into that page's lines
    text: str
    event: int | None


@dataclass(frozen=True)
class Chronicle:
    events: tuple[ParsedEvent, ...]
    uncertain: tuple[Uncertain, ...]
    pieces: tuple[Piece, ...]  # every character of the input, for the parser's ledger


@dataclass(frozen=True)
class EntryStart:
    """The date part of an entry's first line."""

    same_day: bool
    day: int | None
    end_month: int | None
    end_day: int | None
    prefix: str  # the date syntax as printed (``12—14日``, ``△``)
    text: str  # the rest of the line: the start of the entry's text


def month_heading(line: str, at_boundary: bool) -> int | None:
    """The month a heading line names, or None.

    ``at_boundary``: the line before ended a sentence, was a heading, or there was none. A
    heading follows a finished entry; "…定于" / "12月" / "…" is a wrap inside a sentence.
    """
    m = _MONTH.match(line)
    if m is None or not at_boundary or not 1 <= int(m.group("m")) <= 12:
        return None
    return int(m.group("m"))


def entry_start(line: str, at_boundary: bool) -> EntryStart | None:
    """The entry a line starts, or None when it continues the entry before."""
    if not at_boundary:
        return None
    m = _ENTRY.match(line)
    if m is None:
        return None
    prefix = line[:m.start("text")].rstrip()  # a △ needs no space: it is never prose
    text = _compact(m.group("text"))
    if m.group("same"):
        return EntryStart(True, None, None, None, prefix, text)
    d2 = m.group("d2")
    return EntryStart(False, int(m.group("d1")), int(m.group("m2")) if m.group("m2") else None,
                      int(d2) if d2 else None, prefix, text)


# A chronology's entries are short (the sample's and the generator's are under 100 characters
# each); a 大事记 section set as articles, read with these rules, gives one undated event of the
# whole section, or a few of thousands of characters each.
MAX_MEAN_ENTRY = 1000
MIN_DATED_SHARE = 0.5


def reads_as_chronicle(lines: list[str]) -> bool:
    """Whether a 大事记 section's lines are laid out as a chronology: there are month headings
    and dated entries (`entry_start`), at least half of the text stands in them, and its
    entries are of chronology length (`MAX_MEAN_ENTRY` characters on average at most).

    A section that is not is written as articles: the parser reads it as such.
    """
    boundary = True  # as `read_chronicle_pieces` walks the lines
    headings = entries = dated = total = 0
    in_entry = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        total += len(line)
        if month_heading(line, boundary) is not None:
            headings += 1
            dated += len(line)
            continue
        if entry_start(line, boundary) is not None:
            entries += 1
            in_entry = True
        if in_entry:
            dated += len(line)
        boundary = ends_sentence(line)
    return headings > 0 and entries > 0 and dated >= MIN_DATED_SHARE * total \
        and dated <= MAX_MEAN_ENTRY * entries


def entry_dates(start: EntryStart, year: int, month: int) -> tuple[date, date]:
    """The interval of a dated entry under ``month`` of ``year``; ValueError if no such day."""
    assert start.day is not None
    first = date(year, month, start.day)
    if start.end_day is None:
        return first, first
    end_month = start.end_month or month
    end_year = year + 1 if end_month < month else year  # 30日—1月2日 under 12月
    last = date(end_year, end_month, start.end_day)
    if last < first:
        raise ValueError("the range ends before it starts")
    return first, last


@dataclass
class _Open:
    """An event being read."""

    start: date | None
    end: date | None
    page: int
    text: str
    index: int


def read_chronicle(pages: list[tuple[int, list[str]]], year: int | None
                   ) -> tuple[tuple[ParsedEvent, ...], tuple[Uncertain, ...]]:
    """The events of a 大事记 section and the decisions a librarian should check."""
    chron = read_chronicle_pieces(pages, year)
    return chron.events, chron.uncertain


def read_chronicle_pieces(pages: list[tuple[int, list[str]]], year: int | None) -> Chronicle:
    """`read_chronicle`, also saying where every piece of every line went."""
    events: list[_Open] = []
    uncertain: list[Uncertain] = []
    pieces: list[Piece] = []
    month: int | None = None
    boundary = True  # the line before (across page breaks) ended a sentence or a heading
    for pi, (page, lines) in enumerate(pages):
        for li, raw in enumerate(lines):
            line = raw.strip()
            if not line:
                continue
            heading = month_heading(line, boundary)
            if heading is not None:
                month = heading
                pieces.append(Piece(pi, li, line, None))
                continue
            start = entry_start(line, boundary)
            if start is None and events:
                current = events[-1]
                current.text = join_wrapped(current.text, _compact(line))
                pieces.append(Piece(pi, li, line, current.index))
            elif start is None:
                uncertain.append(Uncertain(page, "event", line[:40],
                                           "text before the first dated entry: kept as an "
                                           "undated event"))
                events.append(_Open(None, None, page, _compact(line), len(events)))
                pieces.append(Piece(pi, li, line, len(events) - 1))
            else:
                when = _dates(start, events, year, month, page, uncertain)
                events.append(_Open(when[0], when[1], page, start.text, len(events)))
                pieces.append(Piece(pi, li, start.prefix, None))
                pieces.append(Piece(pi, li, start.text, len(events) - 1))
            boundary = ends_sentence(line)
    if year is None and events:
        uncertain.append(Uncertain(events[0].page, "event", CHRONICLE_TITLE,
                                   f"the volume's year is not known (give --year): "
                                   f"{len(events)} events kept without dates"))
    return Chronicle(tuple(ParsedEvent(e.start, e.end, e.text, e.page) for e in events),
                     tuple(uncertain), tuple(pieces))


def _dates(start: EntryStart, events: list[_Open], year: int | None, month: int | None,
           page: int, uncertain: list[Uncertain]) -> tuple[date | None, date | None]:
    if start.same_day:
        if not events:
            uncertain.append(Uncertain(page, "event", start.prefix + start.text[:30],
                                       "△ with no entry before it: kept without a date"))
            return None, None
        return events[-1].start, events[-1].end
    if year is None:
        return None, None
    if month is None:
        uncertain.append(Uncertain(page, "event", start.prefix + start.text[:30],
                                   "a dated entry before any month heading: kept without a "
                                   "date"))
        return None, None
    try:
        return entry_dates(start, year, month)
    except ValueError:
        uncertain.append(Uncertain(page, "event", start.prefix + start.text[:30],
                                   f"no such day in {year}年{month}月: kept without a date"))
        return None, None
