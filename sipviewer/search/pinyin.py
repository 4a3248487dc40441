"""Pinyin search: a query of Latin letters also finds Chinese text by its pinyin.

``qianhuochushan`` (full spelling), ``qhcs`` (initials) and mixtures (``qianhcs``) all find
黔货出山; the last syllable may be unfinished (``qianhuoch``), so results come as a visitor
types. Every reading of a polyphone counts (行 is xing, hang and heng); where pypinyin reads
a place name wrongly, `PHRASES` says how it is read, and there only that reading counts.

What is matched: titles (article titles, photo captions, table titles), departments, and a
photo's credit, tags and notes. Texts are matched one at a time, never across two.

`PinyinTable` is built from the index's records in memory (about a second for 30,000
records; the readings of each character are looked up once per process) and is read-only
afterwards, so any thread may search it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import cache

from pypinyin import Style, pinyin

from sipviewer.search.normalize import SEP
from sipviewer.search.query import Query
from sipviewer.search.store import RecordStore

# Place names pypinyin reads wrongly (its readings of 单 and 涌 start with dan and yong).
# Keys are normalised (simplified, no spaces); values one syllable per character.
PHRASES: dict[str, tuple[str, ...]] = {
    "单县": ("shan", "xian"),
    "涌边": ("chong", "bian"),
    "涌口": ("chong", "kou"),
    "六安": ("lu", "an"),
    "蚌埠": ("beng", "bu"),
    "亳州": ("bo", "zhou"),
    "东莞": ("dong", "guan"),
    "丽水": ("li", "shui"),
    "铅山": ("yan", "shan"),
    "番禺": ("pan", "yu"),
    "台州": ("tai", "zhou"),
    "长汀": ("chang", "ting"),
    "乐清": ("yue", "qing"),
    "洪洞": ("hong", "tong"),
    "甪直": ("lu", "zhi"),
}
_DOUBLE_INITIALS = ("zh", "ch", "sh")
_LATIN = re.compile(r"[a-z]+")
MIN_QUERY = 2  # one letter would match almost everything

Readings = tuple[tuple[str, ...], ...]  # per character: its syllables (empty: not Chinese)


@cache
def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character (``ü`` spelt ``v``); () when it has none."""
    if not ("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"):
        return ()
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore", v_to_u=False)
    out = tuple(dict.fromkeys(r for group in found for r in group if r.isascii() and r.isalpha()))
    return out


def readings(text: str) -> Readings:
    """The readings of each character of a normalised text, with `PHRASES` applied."""
    per_char = [char_readings(ch) for ch in text]
    for phrase, syllables in PHRASES.items():
        start = text.find(phrase)
        while start >= 0:
            for k, syllable in enumerate(syllables):
                per_char[start + k] = (syllable,)
            start = text.find(phrase, start + 1)
    return tuple(per_char)


def pinyin_query(text: str) -> str | None:
    """The letters to match when a (normalised) query is pinyin, else None.

    A query is pinyin when it is Latin letters only (terms are joined: ``qian huo`` is
    ``qianhuo``) and at least `MIN_QUERY` long."""
    letters = "".join(text.split()).lower()
    if len(letters) < MIN_QUERY or not _LATIN.fullmatch(letters):
        return None
    return letters


def _steps(reading: str) -> tuple[str, ...]:
    """What a character may be typed as: the whole syllable or its initial (zh: z or zh)."""
    if reading[:2] in _DOUBLE_INITIALS:
        return (reading, reading[:2], reading[0])
    return (reading, reading[0])


def matches_at(chars: Readings, start: int, query: str) -> bool:
    """Whether the query, typed syllable by syllable or by initials, spells the characters
    from ``start`` on; the last syllable may be unfinished."""
    states = {0}  # how many letters of the query are spelt so far
    n = len(query)
    for pos in range(start, len(chars)):
        options = chars[pos]
        if not options:
            return False
        nxt: set[int] = set()
        for done in states:
            rest = query[done:]
            for reading in options:
                if reading.startswith(rest):  # the query ends inside this syllable
                    return True
                for step in _steps(reading):
                    if rest.startswith(step):
                        if done + len(step) == n:
                            return True
                        nxt.add(done + len(step))
        if not nxt:
            return False
        states = nxt
    return False


def matches(chars: Readings, query: str) -> bool:
    first = query[0]
    return any(options and any(r[0] == first for r in options) and matches_at(chars, i, query)
               for i, options in enumerate(chars))


class PinyinTable:
    """Record id → the readings of its texts, with an index of consecutive initials.

    The index (first letters of two neighbouring characters → records) narrows a query to
    the records that can match before each is checked character by character.
    """

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        """``entries``: (rid, texts), the title first."""
        self.rids: list[str] = []
        self.texts: list[tuple[Readings, ...]] = []
        self.pairs: dict[str, set[int]] = {}
        self.letters: dict[str, set[int]] = {}
        self.syllables: set[str] = set()
        for rid, texts in entries:
            parsed = tuple(r for r in (readings(t) for t in texts if t) if any(r))
            if not parsed:
                continue
            k = len(self.rids)
            self.rids.append(rid)
            self.texts.append(parsed)
            for chars in parsed:
                prev: set[str] = set()
                for options in chars:
                    firsts = {r[0] for r in options}
                    self.syllables.update(options)
                    for a in prev:
                        for b in firsts:
                            self.pairs.setdefault(a + b, set()).add(k)
                    for a in firsts:
                        self.letters.setdefault(a, set()).add(k)
                    prev = firsts

    def __len__(self) -> int:
        return len(self.rids)

    def _candidates(self, query: str) -> set[int]:
        """Records holding the query's first two characters' initials next to each other (or,
        for a query one syllable long, a character read that way)."""
        first_steps = {1}
        if query[:2] in _DOUBLE_INITIALS:
            first_steps.add(2)
        first_steps.update(len(s) for s in self.syllables if query.startswith(s))
        out: set[int] = set()
        for step in first_steps:
            if step < len(query):
                out |= self.pairs.get(query[0] + query[step], set())
        if any(s.startswith(query) for s in self.syllables):
            out |= self.letters.get(query[0], set())
        return out

    def search(self, query: str) -> dict[str, int]:
        """rid → 0 when the title matches, 1 when another text does (pinyin letters only)."""
        out: dict[str, int] = {}
        for k in self._candidates(query):
            for n, chars in enumerate(self.texts[k]):
                if matches(chars, query):
                    out[self.rids[k]] = 0 if n == 0 else 1
                    break
        return out


class LazyTable:
    """A `PinyinTable` made on first use (or ahead, in the background) and kept while the
    records it was made from stay the same (``key``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: object = None
        self._table: PinyinTable | None = None

    def get(self, key: object, make: Callable[[], Iterable[tuple[str, Iterable[str]]]]
            ) -> PinyinTable:
        with self._lock:
            if self._table is None or self._key != key:
                self._table = PinyinTable(make())
                self._key = key
            return self._table


def query_letters(query: Query) -> str | None:
    """The pinyin to look for when a parsed query is plain Latin letters (terms joined),
    else None (fields, OR and Chinese text are literal only)."""
    if not query.clauses or any(len(c) != 1 or c[0].field for c in query.clauses):
        return None
    return pinyin_query("".join(c[0].text for c in query.clauses))


def store_entries(store: RecordStore) -> Iterable[tuple[str, Iterable[str]]]:
    """What each record of the index offers to pinyin: its title and departments, and for a
    photo its credit, tags and notes (the pieces of its text after the caption)."""
    texts = store.texts() if any(m.kind == "photo" for m in store.meta.values()) else {}
    for rid, meta in store.meta.items():
        extra = texts.get(rid, "").split(SEP)[1:] if meta.kind == "photo" else []
        yield rid, (meta.norm_title, *meta.depts, *extra)
