"""Date intervals from caption text: ``2020年1月29日``, ``2020年2月``, ``2020年1月8—19日``.

A caption's date is the interval the photo may have been taken in, with a precision:
``day``, ``month``, ``year``, ``range`` (an explicit span) or ``none``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_DASH = "[—–\\-~～至到]"
_Y = r"(?P<y>\d{4})年"
_PATTERNS = [
    # 2019年12月30日—2020年1月3日
    re.compile(rf"^{_Y}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日?{_DASH}+(?P<y2>\d{{4}})年(?P<m2>\d{{1,2}})月(?P<d2>\d{{1,2}})日"),
    # 2020年1月30日—2月3日
    re.compile(rf"^{_Y}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日?{_DASH}+(?P<m2>\d{{1,2}})月(?P<d2>\d{{1,2}})日"),
    # 2020年1月8—19日
    re.compile(rf"^{_Y}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日?{_DASH}+(?P<d2>\d{{1,2}})日"),
    # 2020年1月29日
    re.compile(rf"^{_Y}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"),
    # 2020年1—3月
    re.compile(rf"^{_Y}(?P<m>\d{{1,2}})月?{_DASH}+(?P<m2>\d{{1,2}})月"),
    # 2020年2月
    re.compile(rf"^{_Y}(?P<m>\d{{1,2}})月"),
    # 2018—2021年
    re.compile(rf"^(?P<y>\d{{4}})年?{_DASH}+(?P<y2>\d{{4}})年"),
    # 2020年
    re.compile(rf"^{_Y}"),
]


@dataclass(frozen=True)
class DateInterval:
    start: date | None
    end: date | None
    precision: str  # day | month | year | range | none


NO_DATE = DateInterval(None, None, "none")


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def caption_interval(caption: str) -> DateInterval:
    """The date interval a caption starts with, or `NO_DATE`."""
    text = caption.strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        g = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        try:
            return _interval(g)
        except ValueError:  # 2月30日 and the like: not a date
            return NO_DATE
    return NO_DATE


def _interval(g: dict[str, int]) -> DateInterval:
    y = g["y"]
    if "d" in g:
        start = date(y, g["m"], g["d"])
        if "d2" not in g:
            return DateInterval(start, start, "day")
        end = date(g.get("y2", y), g.get("m2", g["m"]), g["d2"])
        return _range(start, end)
    if "m" in g:
        start = date(y, g["m"], 1)
        if "m2" in g:
            return _range(start, _month_end(y, g["m2"]))
        return DateInterval(start, _month_end(y, g["m"]), "month")
    if "y2" in g:
        return _range(date(y, 1, 1), date(g["y2"], 12, 31))
    return DateInterval(date(y, 1, 1), date(y, 12, 31), "year")


def _range(start: date, end: date) -> DateInterval:
    if end < start:
        raise ValueError("range ends before it starts")
    return DateInterval(start, end, "range")


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_filter_date(text: str, *, end: bool = False) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first (or with ``end``, last) day it names."""
    match = _PARTIAL.match(text.strip())
    if not match:
        raise ValueError(f"bad date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    y = int(match.group(1))
    m = int(match.group(2)) if match.group(2) else None
    d = int(match.group(3)) if match.group(3) else None
    if m is not None and not 1 <= m <= 12:
        raise ValueError(f"bad date {text!r}: the month must be 1–12")
    try:
        if m is None:
            return date(y, 12, 31) if end else date(y, 1, 1)
        if d is None:
            return _month_end(y, m) if end else date(y, m, 1)
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"bad date {text!r}: no such day") from None
