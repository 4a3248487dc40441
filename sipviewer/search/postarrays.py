"""Posting arrays: a segment's postings in a form numpy reads directly, beside Whoosh's files.

Whoosh keeps postings in pickled, compressed blocks: decoding them through the data-only
unpickler costs 2–5 µs a posting, so a character found in 35,000 records took 45–80 ms to
read. The batch writer (`grams.write_segment`) also writes ``SEGMENT_ID.arr``: per field, the
sorted term keys, where each term's postings start, and two columns holding every posting's
document number (segment-local) and frequency, fixed width. Reading a term is a binary
search and two slices of a file: about 10 ns a posting.

Layout (little-endian)::

    b"SVPOSTS2"  u32 header length  header (JSON)  arrays, each at an offset the header names

The header gives the segment's document count and, per field, the number of terms and
postings, the width of the document and frequency columns, and the offsets of the four
arrays: ``keys`` (u64, strictly increasing: see `term_key`), ``starts`` (u64, one more than
terms: the postings of term i are ``starts[i]:starts[i + 1]``), ``docs`` and ``freqs``.
A field may also have the positions of its pairs (``positions``, their count, and
``pos`` their width): ``pos_starts`` (u64, one more than terms) and ``pos``, where term i's
positions are ``pos[pos_starts[i]:pos_starts[i + 1]]``, as many per posting as its
frequency, increasing within each posting (a single character's: none). With them a longer
term is found exactly from the pairs that cover it (see `index`), without reading texts.
Version 1 files (no positions) are refused as damaged, so the index is rebuilt.

The file is data: it is checked when opened (magic, header, sizes and offsets within the
file, the keys sorted, the starts in order) and each posting list when read (document
numbers increasing and below the segment's count; positions as many as the frequencies
say, and increasing within each posting); anything else is `ValueError`, which the
index reports as damage (rebuilt from the database, never searched). Segments written by
Whoosh's own writer (a handful of records each) have no such file: they are read through
Whoosh.

Reads go through a file handle (seek and read under a lock), not a memory map: mapped pages
a search touched would count in the viewer's resident memory. Any thread may read.
"""

from __future__ import annotations

import json
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np

MAGIC = b"SVPOSTS2"
SUFFIX = ".arr"
_WIDTHS: dict[str, np.dtype[Any]] = {"u1": np.dtype("<u1"), "u2": np.dtype("<u2"),
                                     "u4": np.dtype("<u4")}
_HEADER_LIMIT = 1 << 20
_KEY_SHIFT = 21  # every code point is below 2**21


def file_name(segment_id: str) -> str:
    return segment_id + SUFFIX


def term_key(term: str) -> int:
    """A 1- or 2-character term as one integer, ordered as the terms' code points are."""
    if len(term) == 1:
        return ord(term) << _KEY_SHIFT
    return (ord(term[0]) << _KEY_SHIFT) | (ord(term[1]) + 1)


_LOW = np.uint64((1 << _KEY_SHIFT) - 1)  # a key's second character (+1); 0: none


def is_pair(keys: np.ndarray) -> np.ndarray:
    """Which of the `term_key` keys are of 2-character terms (the ones with positions)."""
    return (keys & _LOW) != 0


def key_terms(keys: np.ndarray) -> list[str]:
    """The terms of `term_key` keys (its inverse)."""
    return [chr(k >> _KEY_SHIFT) + (chr(low - 1) if low else "")
            for k, low in zip(keys.tolist(), (keys & _LOW).tolist())]


def _width(maximum: int) -> str:
    return "u1" if maximum < 1 << 8 else "u2" if maximum < 1 << 16 else "u4"


class Inverted(Protocol):
    """A field's postings as `grams._invert` gives them."""

    terms: list[bytes]  # UTF-8
    starts: np.ndarray  # one more than terms
    docs: np.ndarray  # segment-local
    freqs: np.ndarray
    positions: np.ndarray | None
    pos_starts: np.ndarray | None


def write(path: Path, doc_count: int, fields: dict[str, Inverted]) -> None:
    """Write the file for one segment, per field its postings (and positions, when
    recorded)."""
    header: dict[str, object] = {"docs": doc_count}
    arrays: list[bytes] = []
    layout: dict[str, dict[str, object]] = {}
    offset = 0

    def place(data: bytes) -> int:
        nonlocal offset
        at = offset
        pad = -len(data) % 8
        arrays.append(data + b"\0" * pad)
        offset += len(data) + pad
        return at

    for name, inv in fields.items():
        terms, starts, docs, freqs = inv.terms, inv.starts, inv.docs, inv.freqs
        keys = np.fromiter((term_key(t.decode("utf-8")) for t in terms), dtype="<u8",
                           count=len(terms))
        doc_width = _width(max(doc_count - 1, 0))
        freq_width = _width(int(freqs.max()) if freqs.size else 0)
        layout[name] = {
            "terms": len(terms), "postings": int(docs.size), "doc": doc_width,
            "freq": freq_width,
            "keys": place(keys.tobytes()),
            "starts": place(np.asarray(starts, dtype="<u8").tobytes()),
            "docs": place(docs.astype(_WIDTHS[doc_width]).tobytes()),
            "freqs": place(freqs.astype(_WIDTHS[freq_width]).tobytes())}
        if inv.positions is not None and inv.pos_starts is not None:
            pos_width = _width(int(inv.positions.max()) if inv.positions.size else 0)
            layout[name].update({
                "positions": int(inv.positions.size), "pos": pos_width,
                "pos_starts": place(np.asarray(inv.pos_starts, dtype="<u8").tobytes()),
                "pos_at": place(inv.positions.astype(_WIDTHS[pos_width], copy=False).tobytes())})
    header["fields"] = layout
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-(len(MAGIC) + 4 + len(head)) % 8)
    with open(path, "wb") as fh:
        fh.write(MAGIC + struct.pack("<I", len(head)) + head)
        for data in arrays:
            fh.write(data)


class _Field:
    __slots__ = ("doc_type", "docs_at", "freq_type", "freqs_at", "keys", "pos_at", "pos_starts",
                 "pos_type", "postings", "starts")

    def __init__(self, keys: np.ndarray, starts: np.ndarray, docs_at: int, freqs_at: int,
                 doc_type: np.dtype[Any], freq_type: np.dtype[Any], postings: int) -> None:
        self.keys, self.starts = keys, starts
        self.docs_at, self.freqs_at = docs_at, freqs_at
        self.doc_type, self.freq_type = doc_type, freq_type
        self.postings = postings
        self.pos_starts: np.ndarray | None = None  # with positions: see the module
        self.pos_at = 0
        self.pos_type: np.dtype[Any] | None = None


class PostingArrays:
    """One segment's posting arrays, opened and checked (`ValueError` when damaged)."""

    def __init__(self, path: Path, doc_count: int) -> None:
        self.path = path
        self.doc_count = doc_count
        self._lock = threading.Lock()
        self._fh: IO[bytes] = open(path, "rb")
        try:
            self.fields = self._check(doc_count)
        except BaseException:
            self._fh.close()
            raise

    def close(self) -> None:
        self._fh.close()

    def _read(self, offset: int, size: int) -> bytes:
        with self._lock:
            self._fh.seek(offset)
            data = self._fh.read(size)
        if len(data) != size:
            raise ValueError(f"{self.path.name}: cut short")
        return data

    def _check(self, doc_count: int) -> dict[str, _Field]:
        size = os.fstat(self._fh.fileno()).st_size
        start = self._fh.read(len(MAGIC) + 4)
        if len(start) != len(MAGIC) + 4 or start[:len(MAGIC)] != MAGIC:
            raise ValueError(f"{self.path.name}: not a posting array file")
        (head_size,) = struct.unpack("<I", start[len(MAGIC):])
        if head_size > min(_HEADER_LIMIT, size):
            raise ValueError(f"{self.path.name}: header too long")
        header = json.loads(self._fh.read(head_size).decode("utf-8"))
        base = len(MAGIC) + 4 + head_size
        if not isinstance(header, dict) or header.get("docs") != doc_count \
                or not isinstance(header.get("fields"), dict):
            raise ValueError(f"{self.path.name}: header does not match the segment")
        fields: dict[str, _Field] = {}
        for name, info in header["fields"].items():
            fields[str(name)] = self._field(info, base, size)
        return fields

    def _field(self, info: object, base: int, size: int) -> _Field:
        if not isinstance(info, dict):
            raise ValueError(f"{self.path.name}: bad field entry")
        terms, postings = info.get("terms"), info.get("postings")
        doc_type, freq_type = _WIDTHS.get(str(info.get("doc"))), _WIDTHS.get(str(info.get("freq")))
        offsets = [info.get(k) for k in ("keys", "starts", "docs", "freqs")]
        if not (isinstance(terms, int) and isinstance(postings, int) and terms >= 0
                and postings >= 0 and doc_type is not None and freq_type is not None
                and all(isinstance(o, int) and o >= 0 for o in offsets)):
            raise ValueError(f"{self.path.name}: bad field entry")
        lengths = (terms * 8, (terms + 1) * 8, postings * doc_type.itemsize,
                   postings * freq_type.itemsize)
        for at, length in zip(offsets, lengths):
            if base + at + length > size:  # type: ignore[operator]
                raise ValueError(f"{self.path.name}: an array runs past the end of the file")
        keys = np.frombuffer(self._read(base + offsets[0], lengths[0]),  # type: ignore[operator]
                             dtype="<u8")
        starts = np.frombuffer(self._read(base + offsets[1], lengths[1]),  # type: ignore[operator]
                               dtype="<u8").astype(np.int64)
        if keys.size > 1 and not bool(np.all(keys[1:] > keys[:-1])):
            raise ValueError(f"{self.path.name}: the terms are out of order")
        if starts[0] != 0 or starts[-1] != postings or (
                starts.size > 1 and not bool(np.all(starts[1:] >= starts[:-1]))):
            raise ValueError(f"{self.path.name}: the posting starts are out of order")
        field = _Field(keys, starts, base + offsets[2], base + offsets[3],  # type: ignore[operator]
                       doc_type, freq_type, postings)
        if "positions" in info:
            self._positions(field, info, base, size, terms)
        return field

    def _positions(self, field: _Field, info: dict[str, Any], base: int, size: int,
                   terms: int) -> None:
        count, pos_type = info.get("positions"), _WIDTHS.get(str(info.get("pos")))
        at, starts_at = info.get("pos_at"), info.get("pos_starts")
        if not (isinstance(count, int) and count >= 0 and pos_type is not None
                and isinstance(at, int) and at >= 0 and isinstance(starts_at, int)
                and starts_at >= 0):
            raise ValueError(f"{self.path.name}: bad field entry")
        if base + at + count * pos_type.itemsize > size \
                or base + starts_at + (terms + 1) * 8 > size:
            raise ValueError(f"{self.path.name}: an array runs past the end of the file")
        starts = np.frombuffer(self._read(base + starts_at, (terms + 1) * 8),
                               dtype="<u8").astype(np.int64)
        if starts[0] != 0 or starts[-1] != count or (
                starts.size > 1 and not bool(np.all(starts[1:] >= starts[:-1]))):
            raise ValueError(f"{self.path.name}: the position starts are out of order")
        field.pos_starts, field.pos_at, field.pos_type = starts, base + at, pos_type

    def _slot(self, field: str, term: str) -> tuple[_Field, int] | None:
        f = self.fields.get(field)
        if f is None or not f.keys.size:
            return None
        key = term_key(term)
        # as the keys' own type: a Python int would have numpy convert the whole array first
        # (a millisecond on a million terms)
        i = int(f.keys.searchsorted(np.uint64(key)))
        if i >= f.keys.size or int(f.keys[i]) != key:
            return None
        return f, i

    def doc_frequency(self, field: str, term: str) -> int:
        slot = self._slot(field, term)
        if slot is None:
            return 0
        f, i = slot
        return int(f.starts[i + 1] - f.starts[i])

    def has_positions(self, field: str) -> bool:
        f = self.fields.get(field)
        return f is not None and f.pos_starts is not None

    def occurrences(self, field: str, term: str) -> int:
        """How many times a pair occurs in the segment (0 without positions)."""
        slot = self._slot(field, term)
        if slot is None or slot[0].pos_starts is None:
            return 0
        f, i = slot
        return int(f.pos_starts[i + 1] - f.pos_starts[i])  # type: ignore[index]

    def read_positions(self, field: str, term: str, wanted: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(documents, frequencies, positions) of a pair's postings (see the module), only
        those of the documents ``wanted`` marks (a mask by segment-local number) when given;
        None when the pair is absent. `ValueError` when the field has no positions or what
        is read is damaged."""
        got = self.read(field, term)
        if got is None:
            return None
        docs, freqs = got
        f, i = self._slot(field, term)  # type: ignore[misc]
        if f.pos_starts is None or f.pos_type is None:
            raise ValueError(f"{self.path.name}: no positions recorded")
        lo, hi = int(f.pos_starts[i]), int(f.pos_starts[i + 1])
        counts = freqs.astype(np.int64)
        if (counts.size and int(counts.min()) < 1) or hi - lo != int(counts.sum()):
            raise ValueError(f"{self.path.name}: the positions do not match the frequencies")
        ends = np.cumsum(counts)
        if wanted is not None:
            keep = wanted[docs]
            docs, counts, ends = docs[keep], counts[keep], ends[keep]
        if not docs.size:
            return docs, freqs[:0], np.zeros(0, dtype=f.pos_type)
        begins = ends - counts
        first, last = int(begins[0]), int(ends[-1])  # read from the first wanted to the last
        width = f.pos_type.itemsize
        span = np.frombuffer(self._read(f.pos_at + (lo + first) * width, (last - first) * width),
                             dtype=f.pos_type)
        runs = np.cumsum(counts) - counts  # where each posting's positions go
        total = int(counts.sum())
        pos = span if total == span.size else \
            span[np.arange(total) + np.repeat(begins - first - runs, counts)]
        if pos.size > 1:  # increasing within each posting (a posting's first may drop)
            firsts = np.zeros(pos.size, dtype=bool)
            firsts[runs] = True
            if not bool(np.all((pos[1:] > pos[:-1]) | firsts[1:])):
                raise ValueError(f"{self.path.name}: positions out of order")
        return docs, counts, pos

    def read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(segment-local document numbers, frequencies) of a term, or None when absent."""
        slot = self._slot(field, term)
        if slot is None:
            return None
        f, i = slot
        lo, hi = int(f.starts[i]), int(f.starts[i + 1])
        n = hi - lo
        dsize, fsize = f.doc_type.itemsize, f.freq_type.itemsize
        docs = np.frombuffer(self._read(f.docs_at + lo * dsize, n * dsize), dtype=f.doc_type)
        freqs = np.frombuffer(self._read(f.freqs_at + lo * fsize, n * fsize), dtype=f.freq_type)
        if n and (int(docs[-1]) >= self.doc_count
                  or (n > 1 and not bool(np.all(docs[1:] > docs[:-1])))):
            raise ValueError(f"{self.path.name}: a posting list is out of order")
        return docs, freqs

    def load(self, field: str) -> Loaded | None:
        """A field's arrays whole (a merge of segments, see `segmerge`), checked as `read`
        and `read_positions` check one term's; None when the field or its positions are
        not recorded."""
        f = self.fields.get(field)
        if f is None or f.pos_starts is None or f.pos_type is None:
            return None
        n = f.postings
        docs = np.frombuffer(self._read(f.docs_at, n * f.doc_type.itemsize), dtype=f.doc_type)
        freqs = np.frombuffer(self._read(f.freqs_at, n * f.freq_type.itemsize),
                              dtype=f.freq_type)
        count = int(f.pos_starts[-1])
        pos = np.frombuffer(self._read(f.pos_at, count * f.pos_type.itemsize), dtype=f.pos_type)
        heads = np.zeros(n, dtype=bool)  # each term's first posting
        heads[f.starts[:-1][f.starts[:-1] < n]] = True
        if n and (int(docs.max()) >= self.doc_count
                  or not bool(np.all((docs[1:] > docs[:-1]) | heads[1:]))):
            raise ValueError(f"{self.path.name}: a posting list is out of order")
        per_posting = np.where(np.repeat(is_pair(f.keys), np.diff(f.starts)), freqs,
                               0).astype(np.int64)
        sums = np.concatenate(([0], np.cumsum(per_posting)))
        if (n and int(freqs.min()) < 1) or not bool(
                np.all(sums[f.starts[1:]] - sums[f.starts[:-1]] == np.diff(f.pos_starts))):
            raise ValueError(f"{self.path.name}: the positions do not match the frequencies")
        return Loaded(f.keys, f.starts, docs, freqs, f.pos_starts, pos)


@dataclass(frozen=True)
class Loaded:
    """A field's arrays as the file holds them (see the module): term ``i`` (``keys[i]``,
    see `term_key`) has the postings ``starts[i]:starts[i + 1]`` and the positions
    ``pos_starts[i]:pos_starts[i + 1]``."""

    keys: np.ndarray
    starts: np.ndarray
    docs: np.ndarray
    freqs: np.ndarray
    pos_starts: np.ndarray
    pos: np.ndarray
