"""The records behind the index, on disk next to it, loaded in two halves.

``meta.pkl``   every record's kind, volume, departments, dates, normalised title and length:
               small, read when the index opens (filters, facets, ranking need it);
``texts.pkl``  every record's normalised text: large, read the first time a search needs
               to check a long term (or in the background right after opening);
``store.log``  an append-only log of later changes (full records), replayed over both.

`RecordStore` behaves like a read-only mapping rid → `SearchRecord`.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import NamedTuple

from sipviewer.model.errors import ArchiveError
from sipviewer.model.gcpause import collector_paused
from sipviewer.search.records import SearchRecord

META = "meta.pkl"
TEXTS = "texts.pkl"
LOG = "store.log"
CHUNK = 400  # records per pickle in texts.pkl
META_CHUNK = 2000  # records per pickle in meta.pkl


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


def _full(rec: SearchRecord) -> tuple:
    return (rec.rid, rec.kind, rec.volume_id, rec.depts, rec.start, rec.end, rec.norm_title,
            rec.norm_text)


class RecordStore(Mapping[str, SearchRecord]):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.meta: dict[str, RecordMeta] = {}
        self.generation = 0
        self._texts: dict[str, str] | None = None
        self._log_texts: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- writing ------------------------------------------------------------------------------
    @staticmethod
    def write(path: Path, records: list[SearchRecord], generation: int) -> None:
        """A fresh base snapshot in ``path`` (no log)."""
        # both in chunks: one pickle call on 30,000 records (or 80 MB of text) holds the
        # interpreter lock for 50 ms or more, which the GUI thread feels; a chunk takes a few
        with open(path / META, "wb") as fh:
            pickle.dump({"generation": generation, "chunks": -(-len(records) // META_CHUNK)}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
            for i in range(0, len(records), META_CHUNK):
                pickle.dump([tuple(meta_of(r)) for r in records[i:i + META_CHUNK]], fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
        with open(path / TEXTS, "wb") as fh:
            pickle.dump({"generation": generation, "chunks": -(-len(records) // CHUNK)}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
            for i in range(0, len(records), CHUNK):
                part = records[i:i + CHUNK]
                pickle.dump(([r.rid for r in part], [r.norm_text for r in part]), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)

    def append(self, added: list[SearchRecord], removed: set[str], generation: int) -> None:
        entry = {"generation": generation, "removed": sorted(removed),
                 "added": [_full(r) for r in added]}
        with open(self.path / LOG, "ab") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
            fh.flush()
            os.fsync(fh.fileno())
        self._apply(entry)

    # -- reading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the metadata and replay the log (texts wait until needed)."""
        meta: dict[str, RecordMeta] = {}
        with collector_paused(), open(self.path / META, "rb") as fh:
            base = pickle.load(fh)
            for _ in range(base["chunks"]):
                meta.update((t[0], RecordMeta(*t)) for t in pickle.load(fh))
        self.meta = meta
        self.generation = base["generation"]
        self._texts = None
        self._log_texts = {}
        log = self.path / LOG
        if log.exists():
            with open(log, "rb") as fh:
                while True:
                    try:
                        entry = pickle.load(fh)
                    except EOFError:
                        break
                    except (pickle.UnpicklingError, ValueError, IndexError):
                        break  # a torn last entry: its change never completed
                    self._apply(entry)

    def _apply(self, entry: dict) -> None:
        for rid in entry["removed"]:
            self.meta.pop(rid, None)
            self._log_texts.pop(rid, None)
            if self._texts is not None:
                self._texts.pop(rid, None)
        for t in entry["added"]:
            rec = SearchRecord(*t)
            self.meta[rec.rid] = meta_of(rec)
            self._log_texts[rec.rid] = rec.norm_text
            if self._texts is not None:
                self._texts[rec.rid] = rec.norm_text
        self.generation = entry["generation"]

    def texts(self) -> dict[str, str]:
        """rid → normalised text (read from disk the first time; thread-safe)."""
        with self._lock:
            if self._texts is None:
                try:
                    texts: dict[str, str] = {}
                    with collector_paused(freeze=True), open(self.path / TEXTS, "rb") as fh:
                        head = pickle.load(fh)
                        for _ in range(head["chunks"]):
                            rids, values = pickle.load(fh)
                            texts.update(zip(rids, values))
                except Exception as exc:  # any damage: the index must be rebuilt
                    raise IndexDamaged(f"{self.path / TEXTS}: cannot be read "
                                       f"({type(exc).__name__})") from None
                texts.update(self._log_texts)
                if any(rid not in texts for rid in self.meta):
                    raise IndexDamaged(f"{self.path / TEXTS}: texts are missing")
                self._texts = texts
            return self._texts

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
