"""The records behind the index, on disk next to it, in formats that cannot run code.

``records.jsonl``  a header line, then every record's kind, volume, departments, dates,
                   normalised title and text length as JSON lines of `META_CHUNK` rows:
                   small, read when the index opens (filters, facets, ranking need it);
``texts.txt``      every record's normalised text, one UTF-8 run in the same order (the
                   header gives the byte offset of every `CHUNK` records; each text's length
                   is in its row): large, read the first time a search needs to check a long
                   term (or in the background right after opening);
``store.jsonl``    an append-only log of later changes (full records), one JSON line each,
                   replayed over both — only up to the size the manifest names, so a reader
                   sees exactly the change the manifest describes, never a half-written one.

A rebuild or a compaction writes a new set of the three beside the current one, named with a
tag (``records-TAG.jsonl``, ``texts-TAG.txt``, ``store-TAG.jsonl``); the manifest names the tag
of the set in use (none: the plain names above), so readers keep the old set until the
manifest is swapped.

An archive is data that people copy and share: nothing here is unpickled or executed. JSON
and plain text are read; anything malformed is damage (`IndexDamaged`), and the index is
rebuilt from the database.

`RecordStore` behaves like a read-only mapping rid → `SearchRecord`.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import IO, NamedTuple

from sipviewer.model.errors import ArchiveError
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.memory import release_memory
from sipviewer.search.records import SearchRecord

META = "records.jsonl"
TEXTS = "texts.txt"
LOG = "store.jsonl"
FORMAT = 2  # 1 was the pickled store (meta.pkl, texts.pkl, store.log): never read again
OLD_FILES = ("meta.pkl", "texts.pkl", "store.log", "segments.pkl")
TAGGED = re.compile(r"^(records|texts|store)(-[A-Za-z0-9]+)?\.(jsonl|txt)$")
CHUNK = 400  # records per decoded piece of texts.txt
META_CHUNK = 2000  # records per JSON line of records.jsonl


class IndexDamaged(ArchiveError):
    """Part of the index turned out unreadable while in use: rebuild it."""


class RecordMeta(NamedTuple):
    rid: str
    kind: str
    volume_id: int
    depts: tuple[str, ...]
    start: date | None
    end: date | None
    norm_title: str
    length: int

    @property
    def years(self) -> tuple[int, ...]:
        if self.start is None or self.end is None:
            return ()
        return tuple(range(self.start.year, min(self.end.year, self.start.year + 50) + 1))


def meta_of(rec: SearchRecord) -> RecordMeta:
    return RecordMeta(rec.rid, rec.kind, rec.volume_id, rec.depts, rec.start, rec.end,
                      rec.norm_title, len(rec.norm_text))


def _ord(d: date | None) -> int | None:
    return d.toordinal() if d is not None else None


def _date(n: object) -> date | None:
    if n is None:
        return None
    if not isinstance(n, int):
        raise ValueError("a date is not a day number")
    return date.fromordinal(n)


def _row(rec: SearchRecord | RecordMeta, length: int) -> list:  # type: ignore[type-arg]
    return [rec.rid, rec.kind, rec.volume_id, list(rec.depts), _ord(rec.start), _ord(rec.end),
            rec.norm_title, length]


def _meta(row: list) -> RecordMeta:  # type: ignore[type-arg]
    rid, kind, volume_id, depts, start, end, title, length = row
    if not (isinstance(rid, str) and isinstance(kind, str) and isinstance(volume_id, int)
            and isinstance(title, str) and isinstance(length, int)):
        raise ValueError("a record row has the wrong types")
    return RecordMeta(rid, kind, volume_id, tuple(str(d) for d in depts), _date(start),
                      _date(end), title, length)


def file_names(tag: str = "") -> tuple[str, str, str]:
    """The (metadata, texts, log) file names of the store set with this tag."""
    if tag and not tag.isalnum():
        raise ValueError("a store tag is not a plain name")
    if not tag:
        return META, TEXTS, LOG
    return f"records-{tag}.jsonl", f"texts-{tag}.txt", f"store-{tag}.jsonl"


def is_store_file(name: str) -> bool:
    """A file of some store set (of any tag)."""
    return TAGGED.match(name) is not None


def is_log_file(name: str) -> bool:
    """The change log of some store set (appended to: never shared by a hard link)."""
    found = TAGGED.match(name)
    return found is not None and found.group(1) == "store"


LOG_ROWS = 64  # records encoded per call in a log entry


def _dumps(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _write_set(path: Path, tag: str, generation: int, metas: list[RecordMeta],
               texts: list[str], copied: tuple[IO[bytes], list[int]] | None = None) -> None:
    """A store's set ``tag``: the records' rows and texts. ``copied``: (a texts file, the
    offsets of its first chunks and their end): those chunks are copied as they are, and
    ``texts`` are the texts of the records after them."""
    meta_name, texts_name, _ = file_names(tag)
    offsets = [0]
    with open(path / texts_name, "wb") as fh:
        if copied is not None:
            source, offsets = copied[0], list(copied[1])
            source.seek(0)
            left = offsets[-1]
            while left:
                data = source.read(min(left, 1 << 20))
                if not data:
                    raise ValueError("the texts are cut short")
                fh.write(data)
                left -= len(data)
        for i in range(0, len(texts), CHUNK):
            data = "".join(texts[i:i + CHUNK]).encode("utf-8")
            fh.write(data)
            offsets.append(offsets[-1] + len(data))
        fh.flush()
        os.fsync(fh.fileno())
    with open(path / meta_name, "wb") as fh:
        fh.write(_dumps({"format": FORMAT, "generation": generation, "count": len(metas),
                         "chunk": CHUNK, "offsets": offsets}))
        for i in range(0, len(metas), META_CHUNK):
            fh.write(_dumps([_row(m, m.length) for m in metas[i:i + META_CHUNK]]))
        fh.flush()
        os.fsync(fh.fileno())


class RecordStore(Mapping[str, SearchRecord]):
    def __init__(self, path: Path, tag: str = "") -> None:
        self.path = path
        self.tag = tag
        self.meta_name, self.texts_name, self.log_name = file_names(tag)
        self.meta: dict[str, RecordMeta] = {}
        self.generation = 0
        self._texts: dict[str, str] | None = None
        self._log_texts: dict[str, str] = {}
        self._base: list[list[tuple[str, int]]] = []  # per chunk: (rid, length) in file order
        self._offsets: list[int] = []  # byte offset of each chunk in texts.txt, and the end
        self._chunk = CHUNK  # records per chunk of texts.txt as written
        self._texts_fh: IO[bytes] | None = None
        self._lock = threading.Lock()

    # -- writing ------------------------------------------------------------------------------
    @staticmethod
    def write(path: Path, records: list[SearchRecord], generation: int, tag: str = "") -> None:
        """A fresh base snapshot in ``path`` (no log), the set named by ``tag``.

        In chunks: one encoding call on 30,000 records (or 80 MB of text) holds the
        interpreter lock for 50 ms or more, which the GUI thread feels; a chunk takes a few.
        """
        _write_set(path, tag, generation, [meta_of(r) for r in records],
                   [r.norm_text for r in records])

    def rewrite(self, path: Path, generation: int, tag: str) -> None:
        """This store (loaded, its log replayed) written as a fresh set ``tag``, exactly as
        `write` writes its records: the base's leading whole chunks of texts copied as
        they are, not decoded and encoded again (an archive that grows a volume at a time
        rewrites its store now and then), when their records are all still there in the
        same order; otherwise through `write`."""
        order = list(self.meta)
        base = [rid for rows in self._base for rid, _ in rows]
        whole = len(base) // CHUNK
        kept = whole * CHUNK
        fh = self._texts_fh
        if fh is None or self._chunk != CHUNK or order[:kept] != base[:kept]:
            RecordStore.write(path, list(self.values()), generation, tag)
            return
        with self._lock:  # (the handle `texts` reads through)
            texts: dict[str, str] = {}  # the rest of the base: its last, partial chunk
            if whole < len(self._base):
                fh.seek(self._offsets[whole])
                run = fh.read(self._offsets[whole + 1] - self._offsets[whole]).decode("utf-8")
                at = 0
                for rid, length in self._base[whole]:
                    texts[rid] = run[at:at + length]
                    at += length
            rest = [self._log_texts[rid] if rid in self._log_texts else texts[rid]
                    for rid in order[kept:]]
            _write_set(path, tag, generation, [self.meta[rid] for rid in order], rest,
                       (fh, self._offsets[:whole + 1]))

    def append(self, added: list[SearchRecord], removed: set[str], generation: int) -> int:
        """Append one change to the log (not yet visible: the manifest names the log's size);
        apply it in memory; return the log's new size."""
        rows = [_row(r, len(r.norm_text)) + [r.norm_text] for r in added]
        entry = {"generation": generation, "removed": sorted(removed), "added": rows}
        with open(self.path / self.log_name, "ab") as fh:
            # one JSON line, encoded a few records at a time: a volume's 1M characters in
            # one call held the interpreter lock for tens of milliseconds (a viewer's GUI
            # stall); one call per record cost a volume 20 ms more
            head = _dumps({"generation": generation, "removed": entry["removed"]})
            fh.write(head[:-2] + b',"added":[')
            for k in range(0, len(rows), LOG_ROWS):
                fh.write((b"," if k else b"") + _dumps(rows[k:k + LOG_ROWS])[1:-2])
            fh.write(b"]}\n")
            fh.flush()
            os.fsync(fh.fileno())
            size = fh.tell()
        self._apply(entry)
        return size

    # -- reading ------------------------------------------------------------------------------
    def load(self, log_size: int = 0) -> None:
        """Read the metadata and replay the first ``log_size`` bytes of the log (the texts
        wait until needed, read through a file handle opened now: a later swap of the index
        folder cannot give this store another generation's texts)."""
        meta: dict[str, RecordMeta] = {}
        base: list[list[tuple[str, int]]] = []
        with collector_paused(), open(self.path / self.meta_name, "rb") as fh:
            head = json.loads(fh.readline())
            if not isinstance(head, dict) or head.get("format") != FORMAT:
                raise ValueError("not a record store of this version")
            chunk = int(head["chunk"])
            rows: list[tuple[str, int]] = []
            fromord, make = date.fromordinal, RecordMeta._make
            for line in fh:
                # rows are checked by shape here and by type where used (a wrong type is
                # damage like any other: the index is rebuilt)
                part = [make((r[0], r[1], r[2], tuple(r[3]),
                              None if r[4] is None else fromord(r[4]),
                              None if r[5] is None else fromord(r[5]), r[6], r[7]))
                        for r in json.loads(line)]
                meta.update(zip([m.rid for m in part], part))
                rows.extend((m.rid, m.length) for m in part)
            if len(rows) != head["count"]:
                raise ValueError("the record list is cut short")
            base = [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
            offsets = [int(x) for x in head["offsets"]]
            if len(offsets) != len(base) + 1:
                raise ValueError("the text offsets do not match the records")
        self.close()
        self._texts_fh = open(self.path / self.texts_name, "rb")
        self.meta = meta
        self._base = base
        self._chunk = chunk
        self._offsets = offsets
        self.generation = int(head["generation"])
        self._texts = None
        self._log_texts = {}
        if log_size:
            with open(self.path / self.log_name, "rb") as fh:
                data = fh.read(log_size)
            if len(data) != log_size or not data.endswith(b"\n"):
                raise ValueError("the change log is shorter than the manifest says")
            for line in data.splitlines():
                self._apply(json.loads(line))

    def close(self) -> None:
        if self._texts_fh is not None:
            self._texts_fh.close()
            self._texts_fh = None

    def _apply(self, entry: dict) -> None:
        for rid in entry["removed"]:
            self.meta.pop(rid, None)
            self._log_texts.pop(rid, None)
            if self._texts is not None:
                self._texts.pop(rid, None)
        for row in entry["added"]:
            m = _meta(row[:8])
            text = row[8]
            if not isinstance(text, str) or len(text) != m.length:
                raise ValueError("a logged record's text has the wrong length")
            self.meta[m.rid] = m
            self._log_texts[m.rid] = text
            if self._texts is not None:
                self._texts[m.rid] = text
        self.generation = int(entry["generation"])

    def texts(self) -> dict[str, str]:
        """rid → normalised text (read from disk the first time; thread-safe)."""
        with self._lock:
            if self._texts is None:
                try:
                    texts = self._read_texts()
                except Exception as exc:  # any damage: the index must be rebuilt
                    raise IndexDamaged(f"{self.path / self.texts_name}: cannot be read "
                                       f"({type(exc).__name__})") from None
                texts.update(self._log_texts)
                if any(rid not in texts for rid in self.meta):
                    raise IndexDamaged(f"{self.path / self.texts_name}: texts are missing")
                self._texts = texts
                release_memory()  # the decoded chunks' room, between the texts
            return self._texts

    def known_text(self, rid: str) -> str | None:
        """A record's text when already in memory (read, or added by the change log since
        the store was written), else None (never reads, never waits)."""
        texts = self._texts
        if texts is not None and rid in texts:
            return texts[rid]
        return self._log_texts.get(rid)

    def loaded_texts(self) -> dict[str, str] | None:
        """rid → normalised text when already read (never reads, never waits), else None."""
        return self._texts

    def _read_texts(self) -> dict[str, str]:
        fh = self._texts_fh
        if fh is None:
            raise ValueError("the store is not open")
        texts: dict[str, str] = {}
        live = self.meta
        with collector_paused(freeze=True):
            for k, rows in enumerate(self._base):
                fh.seek(self._offsets[k])
                size = self._offsets[k + 1] - self._offsets[k]
                data = fh.read(size)
                if len(data) != size:
                    raise ValueError("the texts are cut short")
                run = data.decode("utf-8")
                at = 0
                for rid, length in rows:
                    if rid in live:
                        texts[rid] = run[at:at + length]
                    at += length
                if at != len(run):
                    raise ValueError("the texts do not match their lengths")
        return texts

    def preload(self) -> threading.Thread:
        def load() -> None:
            try:
                self.texts()
            except IndexDamaged:
                pass  # reported to whoever needs the texts first

        thread = threading.Thread(target=load, name="sipviewer-texts", daemon=True)
        thread.start()
        return thread

    # -- Mapping ------------------------------------------------------------------------------
    def __getitem__(self, rid: str) -> SearchRecord:
        m = self.meta[rid]
        return SearchRecord(m.rid, m.kind, m.volume_id, m.depts, m.start, m.end, m.norm_title,
                            self.texts()[rid])

    def __iter__(self) -> Iterator[str]:
        return iter(self.meta)

    def __len__(self) -> int:
        return len(self.meta)

    def __contains__(self, rid: object) -> bool:
        return rid in self.meta
