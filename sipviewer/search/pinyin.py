"""Pinyin search: a query of Latin letters also finds Chinese text by its pinyin.

``qianhuochushan`` (full spelling), ``qhcs`` (initials) and mixtures (``qianhcs``) all find
黔货出山; the last syllable may be unfinished (``qianhuoch``), so results come as a visitor
types. Every reading of a polyphone counts (行 is xing, hang and heng); where pypinyin reads
a place name wrongly, `PHRASES` says how it is read, and there only that reading counts.

What is matched: titles (article titles, photo captions, table titles), departments, and a
photo's credit, tags and notes. Texts are matched one at a time, never across two.

`PinyinTable` is built from the index's records in memory (half a second for 8,000
records) and is read-only afterwards, so any thread may search it; a query costs a few
array operations over the positions its letters can stand for, not a look at every record.
"""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import numpy as np

from sipviewer.model.memory import release_memory
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
_MARKS = re.compile(r"[\u0300-\u036f]")


@cache
def _pinyin_dict() -> dict[int, str]:
    """pypinyin's readings of each character (code point → "xíng,háng,…"), read on first
    use from its data file: importing the package would also load its phrase dictionary,
    55 MB of memory the viewer never uses."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "pinyin_dict.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            return {int(k): str(v) for k, v in data.items()}
    from pypinyin.pinyin_dict import pinyin_dict  # (a layout without the data file)

    return pinyin_dict


@cache
def _toneless(reading: str) -> str:
    """A reading as pypinyin's dictionary spells it (xíng, lǜ) without its tone (xing, lv);
    ê keeps its mark (it is no Latin letter, so it is left out like pypinyin leaves it)."""
    if reading.isascii():
        return reading
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return decomposed if "\u0302" in decomposed else _MARKS.sub("", decomposed)


@cache
def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character (``ü`` spelt ``v``); () when it has none.

    The readings of pypinyin's ``pinyin(ch, Style.NORMAL, heteronym=True)``, read from its
    dictionary directly (that call costs a quarter of a millisecond per character)."""
    if not ("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"):
        return ()
    found = _pinyin_dict().get(ord(ch))
    if not found:
        return ()
    plain = (_toneless(r) for r in found.split(","))
    return tuple(dict.fromkeys(r for r in plain if r.isascii() and r.isalpha()))


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


class PinyinTable:
    """Which records a Latin-letter query spells, found without looking at them one by one.

    A query matches a text when it spells characters next to each other there: each
    character typed as a whole syllable or its initial (zh, ch, sh: also the two letters),
    the last one as any beginning of a syllable (typing is not finished). All texts are one
    array of character classes (a class: one set of readings), and a query is followed
    through it a few letters at a time: the positions where its first piece can be typed
    (from an index of positions by class), then, from those, the next character, and so on.
    A position that is no Chinese character (and the gap between two texts) has the class 0,
    which nothing spells, so a match never spans two texts.
    """

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        """``entries``: (rid, texts), the title first."""
        self.rids: list[str] = []
        pieces: list[str] = []
        owner: list[int] = []
        is_title: list[bool] = []
        for rid, texts in entries:
            k = len(self.rids)
            self.rids.append(rid)
            for n, text in enumerate(texts):
                if text:
                    pieces.append(text)
                    owner.append(k)
                    is_title.append(n == 0)
        self.classes: list[tuple[str, ...]] = [()]  # class → its readings
        self._number: dict[tuple[str, ...], int] = {(): 0}
        self.codes = codes = self._encode(SEP.join(pieces) + SEP)  # each text, then a gap
        # where each text's gap ends, its record and whether it is a title (looked up for a
        # match's position by a binary search: an array per position took 8 MB more)
        self.piece_end = np.cumsum(np.fromiter((len(p) + 1 for p in pieces), dtype=np.int64,
                                               count=len(pieces)))
        self.piece_owner = np.asarray(owner, dtype=np.int32)
        self.piece_title = np.asarray(is_title, dtype=bool)
        # positions by class: the positions of class c are order[first[c]:first[c + 1]]
        self.order = np.argsort(codes, kind="stable").astype(np.int32)
        self.first = np.concatenate(([0], np.cumsum(np.bincount(codes,
                                                                minlength=len(self.classes)))))
        self.typed: dict[str, set[int]] = {}  # a non-final piece → classes it types
        self.begun: dict[str, set[int]] = {}  # a final piece → classes it begins
        for c, options in enumerate(self.classes):
            for reading in options:
                for step in _steps(reading):
                    self.typed.setdefault(step, set()).add(c)
                for end in range(1, len(reading) + 1):
                    self.begun.setdefault(reading[:end], set()).add(c)
        self.longest = max((len(r) for options in self.classes for r in options), default=0)
        self._masks: dict[tuple[bool, str], tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def _class_of(self, options: tuple[str, ...]) -> int:
        found = self._number.get(options)
        if found is None:
            found = self._number[options] = len(self.classes)
            self.classes.append(options)
        return found

    def _encode(self, joined: str) -> np.ndarray:
        """The class of every character of ``joined``, with `PHRASES` read their way."""
        to_class = {ord(ch): chr(self._class_of(char_readings(ch))) for ch in set(joined)}
        coded = joined.translate(to_class).encode("utf-32-le")
        codes = np.frombuffer(coded, dtype="<u4").astype(np.int32)
        for phrase, syllables in PHRASES.items():
            start = joined.find(phrase)
            while start >= 0:
                for k, syllable in enumerate(syllables):
                    codes[start + k] = self._class_of((syllable,))
                start = joined.find(phrase, start + 1)
        return codes.astype(np.uint16) if len(self.classes) <= 1 << 16 else codes

    def __len__(self) -> int:
        return len(self.rids)

    def _piece(self, piece: str, final: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """The classes a piece of the query may stand for: as an array and as a mask."""
        key = (final, piece)
        found = self._masks.get(key)
        if found is None:
            classes = (self.begun if final else self.typed).get(piece)
            if not classes:
                return None
            wanted = np.fromiter(sorted(classes), dtype=np.int32, count=len(classes))
            mask = np.zeros(len(self.classes), dtype=bool)
            mask[wanted] = True
            with self._lock:
                found = self._masks.setdefault(key, (wanted, mask))
        return found

    def _positions(self, wanted: np.ndarray) -> np.ndarray:
        order, first = self.order, self.first
        return np.concatenate([order[first[c]:first[c + 1]] for c in wanted.tolist()])

    def match_ends(self, query: str) -> np.ndarray:
        """Positions of the last character of every match of ``query`` (letters only)."""
        n = len(query)
        waiting: dict[int, list[np.ndarray]] = {}  # letters typed → positions to read next
        ends: list[np.ndarray] = []
        for done in range(n):
            starts: np.ndarray | None = None  # None: anywhere (the first character)
            if done:
                arrays = waiting.pop(done, None)
                if not arrays:
                    continue
                starts = np.unique(np.concatenate(arrays)) if len(arrays) > 1 else arrays[0]
            rest = query[done:]
            for length in range(1, min(len(rest), self.longest) + 1):
                final = length == len(rest)
                piece = self._piece(rest[:length], final)
                if piece is None:
                    continue
                wanted, mask = piece
                found = self._positions(wanted) if starts is None \
                    else starts[mask[self.codes[starts]]]
                if not len(found):
                    continue
                if final:
                    ends.append(found)
                else:
                    waiting.setdefault(done + length, []).append(found + 1)
        return np.concatenate(ends) if ends else np.zeros(0, dtype=np.int32)

    def search_records(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(records whose title matches, records where only another text does), as sorted
        arrays of indices into `rids`."""
        ends = self.match_ends(query)
        pieces = np.searchsorted(self.piece_end, ends, side="right")
        owners = self.piece_owner[pieces]
        in_title = np.zeros(len(self.rids), dtype=bool)
        in_title[owners[self.piece_title[pieces]]] = True
        anywhere = np.zeros(len(self.rids), dtype=bool)
        anywhere[owners] = True
        return np.flatnonzero(in_title), np.flatnonzero(anywhere & ~in_title)

    def search(self, query: str) -> dict[str, int]:
        """rid → 0 when the title matches, 1 when another text does (pinyin letters only)."""
        first, other = self.search_records(query)
        rids = self.rids
        out = {rids[k]: 0 for k in first.tolist()}
        out.update((rids[k], 1) for k in other.tolist())
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
                self._table = None  # (the old one is not kept while the new one is made)
                self._table = PinyinTable(make())
                self._key = key
                _pinyin_dict.cache_clear()  # read again for the next table, if ever
                release_memory()  # what building it took and gave back
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
