"""Search records: what the index holds for each article, photo, table and 大事记 event.

A record's id (``rid``) is ``a:ID``, ``p:ID``, ``t:ID`` or ``e:ID``. Its normalised text is the title
followed by the body pieces, each piece apart (see `normalize.SEP`). The title and pieces are
a record's searchable text as `sipviewer.model.searchtext` defines it; the storage layer
reads them (plain rows, ``RawRecord``) and the core facade hands them here, so this package
never touches the database. The index is derived from them and can always be rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sipviewer.model.gcpause import collector_paused
from sipviewer.search.normalize import SEP, normalize, normalize_parts

KINDS = ("article", "photo", "table", "event")
KIND_PREFIX = {"article": "a", "photo": "p", "table": "t", "event": "e"}
PREFIX_KIND = {v: k for k, v in KIND_PREFIX.items()}


@dataclass(frozen=True, slots=True)
class SearchRecord:
    rid: str
    kind: str
    volume_id: int
    depts: tuple[str, ...]  # canonical names of the department / credit
    start: date | None
    end: date | None
    norm_title: str
    norm_text: str  # title, SEP, body pieces

    @property
    def length(self) -> int:
        return len(self.norm_text)

    @property
    def years(self) -> tuple[int, ...]:
        if self.start is None or self.end is None:
            return ()
        return tuple(range(self.start.year, min(self.end.year, self.start.year + 50) + 1))

    def digest(self) -> str:
        """A short hash of everything the index holds about this record."""
        payload = json.dumps([self.kind, self.volume_id, self.depts, str(self.start),
                              str(self.end), self.norm_title, self.norm_text],
                             ensure_ascii=False)
        return hashlib.blake2b(payload.encode("utf-8"), digest_size=10).hexdigest()


def make_record(rid: str, kind: str, volume_id: int, title: str, body: Iterable[str],
                depts: Iterable[str | None], start: date | None, end: date | None) -> SearchRecord:
    return _record(rid, kind, volume_id, normalize(title), normalize_parts(list(body)), depts,
                   start, end)


def _record(rid: str, kind: str, volume_id: int, norm_title: str, body_norm: str,
            depts: Iterable[str | None], start: date | None, end: date | None) -> SearchRecord:
    """The record of a title and body already normalised."""
    return SearchRecord(rid, kind, volume_id, tuple(sorted({d for d in depts if d})), start, end,
                        norm_title, _joined(norm_title, body_norm))


def _joined(norm_title: str, body_norm: str) -> str:
    """A record's searchable text: its normalised title, then its body's."""
    return norm_title + SEP + body_norm if body_norm else norm_title


RawRecord = tuple  # (rid, kind, volume_id, title, body parts, departments, start, end)


def make_records(raws: Iterable[RawRecord],
                 known: Mapping[tuple[str, tuple[str, ...]], tuple[str, str]] | None = None
                 ) -> list[SearchRecord]:
    """Normalise raw records (a module-level function: index build workers call it).

    ``known``: `normalized` worked out ahead (in another process) for some (title, body)
    pairs; a record whose title and body are exactly such a pair takes its result."""
    with collector_paused():  # many new long-lived objects, no cycles
        if not known:
            return [make_record(*raw) for raw in raws]
        out = []
        for rid, kind, volume_id, title, body, depts, start, end in raws:
            body = list(body)
            norms = known.get((title, tuple(body)))
            if norms is None:
                out.append(make_record(rid, kind, volume_id, title, body, depts, start, end))
                continue
            out.append(_record(rid, kind, volume_id, *norms, depts, start, end))
        return out


def normalized(pairs: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, str]]:
    """(normalised title, normalised body) of each (title, body pieces), as `make_record`
    makes them: run ahead in a worker process while the records' rows are written."""
    with collector_paused():
        return [(normalize(title), normalize_parts(list(body))) for title, body in pairs]


def segment_ahead(folder: str, rids: list[str],
                  pairs: list[tuple[str, tuple[str, ...]] | None],
                  norms: list[tuple[str, str] | None], tell: Callable[[Any], None]) -> Any:
    """In a worker, ahead of the records: the index segment of records ``rids`` written
    into ``folder`` as an import's batch is written (`grams.write_segment`), from their
    `normalized` (title, body): ``norms[k]`` where given (worked out by another worker),
    else worked out here from the (title, body pieces) ``pairs[k]``. Those worked out
    here are handed to ``tell`` (in order) before the segment is written: the caller
    makes the records with them meanwhile. One job, so the texts do not go back and
    forth between the processes."""
    from whoosh.filedb.filestore import FileStorage

    from sipviewer.search import grams

    fresh = normalized([pair for pair, norm in zip(pairs, norms) if norm is None
                        and pair is not None])
    if len(fresh) != sum(norm is None for norm in norms):
        raise ValueError("a record has neither its texts nor their normalised form")
    tell(fresh)
    made = iter(fresh)
    full = [norm if norm is not None else next(made) for norm in norms]
    triples = [(rid, _joined(title, body), title) for rid, (title, body) in zip(rids, full)]
    segment, _ = grams.write_segment(FileStorage(folder), grams.make_schema(), triples,
                                     postings=False)
    return segment
