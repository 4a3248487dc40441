"""The catalogue's values, without a database: fields, dates as librarians type them, and
what the catalogue facade (`sipviewer.core.catalogue`) takes and returns. No Qt, no
SQLAlchemy: the window imports this at start-up.
"""

from __future__ import annotations

import calendar
import getpass
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sipviewer.ingest.dates import NO_DATE, caption_interval
from sipviewer.model.errors import InputError

# the fields a librarian edits, in the order the window and the CSV show them
EDITABLE = ("caption", "title", "date", "credit", "credit_kind", "department", "location",
            "tags", "notes", "rights")
TEXT_FIELDS = ("caption", "title", "credit", "location", "notes", "rights")
CREDIT_KINDS = {"supplied": "supplied", "photographer": "photographer", "供稿": "supplied",
                "摄": "photographer"}
MAX_TEXT = 4000  # a caption or note longer than this is a paste gone wrong
MAX_TAG = 100  # the column's width
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif")
Progress = Callable[[int, int, str], None]


def cataloguer() -> str:
    """Who is editing: ``SIPVIEWER_CATALOGUER`` when set (a configured name), else the OS user."""
    name = os.environ.get("SIPVIEWER_CATALOGUER", "").strip()
    if name:
        return name[:100]
    try:
        return getpass.getuser()[:100]
    except Exception:  # no user name in this environment (a container without passwd entry)
        return "unknown"


# -- values -----------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_CHINESE_DATE = re.compile(r"^[\d年月日—–\-~～至到\s]+$")


@dataclass(frozen=True)
class DateValue:
    start: date | None
    end: date | None
    precision: str  # day | month | year | range | none

    def iso(self) -> str | None:
        """The history's text form: the precision shows in the form."""
        return format_date(self.start, self.end, self.precision)


def _iso_part(text: str, whole: str, end: bool) -> tuple[date, str]:
    m = _ISO.match(text)
    if not m:
        raise InputError("date", f"bad date {whole!r}: use 2020-01-29, 2020-01, 2020, "
                         "2020-01-08/2020-01-19 or 2020年1月29日")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is not None and not 1 <= int(mo) <= 12:
        raise InputError("date", f"bad date {whole!r}: no month {int(mo)}")
    try:
        if mo is None:
            return (date(y, 12, 31) if end else date(y, 1, 1)), "year"
        if d is None:
            last = calendar.monthrange(y, int(mo))[1]
            return (date(y, int(mo), last) if end else date(y, int(mo), 1)), "month"
        return date(y, int(mo), int(d)), "day"
    except ValueError:
        raise InputError("date", f"bad date {whole!r}: no such day") from None


def parse_date(text: str | None) -> DateValue:
    """A date as a librarian types it: ISO (``2020-01-29``, ``2020-01``, ``2020``, an interval
    ``A/B``) or the Chinese forms of captions (``2020年1月29日``, ``2020年1月8—19日``,
    ``2020年2月``); empty means no date. `InputError` for anything else (``2020-13``)."""
    raw = (text or "").strip()
    if not raw:
        return DateValue(None, None, "none")
    if "年" in raw:
        found = caption_interval(raw)
        if found == NO_DATE or not _CHINESE_DATE.match(raw):
            raise InputError("date", f"bad date {raw!r}: not a date such as 2020年1月29日")
        return DateValue(found.start, found.end, found.precision)
    if "/" in raw:
        a, _, b = raw.partition("/")
        start, _p = _iso_part(a.strip(), raw, end=False)
        stop, _q = _iso_part(b.strip(), raw, end=True)
        if stop < start:
            raise InputError("date", f"bad date {raw!r}: the range ends before it starts")
        if start == stop:
            return DateValue(start, stop, "day")
        return DateValue(start, stop, "range")
    start, precision = _iso_part(raw, raw, end=False)
    stop, _ = _iso_part(raw, raw, end=True)
    return DateValue(start, stop, precision)


def format_date(start: date | None, end: date | None, precision: str | None) -> str | None:
    if start is None:
        return None
    end = end or start
    if precision == "day" and start == end:
        return start.isoformat()
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "year":
        return f"{start.year:04d}"
    return f"{start.isoformat()}/{end.isoformat()}"


def date_zh(start: date | None, end: date | None, precision: str | None) -> str:
    """A date interval the way captions write it (2020年1月8—19日)."""
    if start is None:
        return ""
    end = end or start
    if precision == "year":
        return f"{start.year}年"
    if precision == "month":
        return f"{start.year}年{start.month}月"
    one = f"{start.year}年{start.month}月{start.day}日"
    if start == end:
        return one
    if start.year != end.year:
        return f"{one}—{end.year}年{end.month}月{end.day}日"
    if start.month != end.month:
        return f"{one}—{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}—{end.day}日"


def _tags_text(tags: Iterable[str]) -> str:
    return json.dumps(sorted(tags), ensure_ascii=False)


def _tags_of(text: str | None) -> set[str]:
    if not text:
        return set()
    if text.startswith("["):
        return set(json.loads(text))
    return {t for t in text.split(",") if t}  # history written before change sets


def clean_tag(tag: str) -> str:
    t = " ".join(tag.split())
    if len(t) > MAX_TAG:
        raise InputError("tag", f"tag too long ({len(t)} characters; at most {MAX_TAG})")
    return t


# -- what the facade returns ------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """What to change on every photo of a selection. ``values`` maps a field of `EDITABLE`
    (other than tags) to its new text; ``""`` clears it. Fields not named stay as they are
    (a field showing "mixed" in the window is simply not named)."""

    values: dict[str, str] = field(default_factory=dict)
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    set_tags: tuple[str, ...] | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.values or self.add_tags or self.remove_tags or self.set_tags is not None)


@dataclass(frozen=True)
class FieldChange:
    photo_id: int
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ChangeResult:
    """What one write changed: its change set (None when nothing changed), the field changes,
    the photos touched, and (for a revert) the later edits it kept."""

    change_set: int | None
    changes: tuple[FieldChange, ...] = ()
    conflicts: tuple[FieldChange, ...] = ()  # (photo, field, value now, value the revert wants)

    @property
    def photo_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(c.photo_id for c in self.changes))


@dataclass(frozen=True)
class HistoryEntry:
    change_set: int | None
    at: datetime
    user: str
    action: str
    photo_id: int
    field: str
    old: str | None
    new: str | None

    def to_json(self) -> dict[str, object]:
        return {"change": self.change_set, "at": self.at.isoformat(timespec="seconds"),
                "user": self.user, "field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ChangeSetInfo:
    id: int
    at: datetime
    user: str
    action: str  # edit | attach | revert
    summary: str
    reverts: int | None
    changes: tuple[FieldChange, ...]

    @property
    def photo_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(c.photo_id for c in self.changes))


@dataclass(frozen=True)
class ImageCheck:
    """A file checked for attaching: its digest and extension, and what its EXIF offers."""

    path: Path
    sha256: str
    ext: str
    exif_date: date | None
    orientation: int | None


@dataclass(frozen=True)
class Match:
    file: Path
    photo_id: int
    caption: str
    how: str  # csv | id | caption


@dataclass(frozen=True)
class MatchPlan:
    """A preview of a folder attach: nothing has changed yet."""

    folder: Path
    matches: tuple[Match, ...]
    unmatched_files: tuple[tuple[Path, str], ...]  # (file, why)
    photos_without: int  # photos still without an image after this plan
    unreadable: tuple[tuple[Path, str], ...] = ()  # (file, why): no usable image (also unmatched)

    def to_json(self) -> dict[str, object]:
        return {"folder": str(self.folder),
                "matches": [{"file": m.file.name, "photo": m.photo_id, "how": m.how,
                             "caption": m.caption} for m in self.matches],
                "unmatched": [{"file": f.name, "why": why} for f, why in self.unmatched_files],
                "unreadable": [{"file": f.name, "why": why} for f, why in self.unreadable],
                "photos_without_image": self.photos_without}


@dataclass(frozen=True)
class AttachOutcome:
    result: ChangeResult
    offers: tuple[tuple[int, date], ...]  # (photo, EXIF date) where the photo has no date
    failed: tuple[tuple[Path, str], ...] = ()
