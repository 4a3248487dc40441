"""Search records: what the index holds for each article, photo and table.

A record's id (``rid``) is ``a:ID``, ``p:ID`` or ``t:ID``. Its normalised text is the title
followed by the body pieces, each piece apart (see `normalize.SEP`). Records are read from
the database in bulk; the index is derived from them and can always be rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sipviewer.model.gcpause import collector_paused
from sipviewer.search.normalize import SEP, normalize, normalize_parts
from sipviewer.storage.models import (
    Article,
    DataTable,
    Department,
    Paragraph,
    Photo,
    PhotoTag,
    TableCell,
)

KINDS = ("article", "photo", "table")
KIND_PREFIX = {"article": "a", "photo": "p", "table": "t"}
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
    norm_title = normalize(title)
    body_norm = normalize_parts(list(body))
    norm_text = norm_title + SEP + body_norm if body_norm else norm_title
    return SearchRecord(rid, kind, volume_id, tuple(sorted({d for d in depts if d})), start, end,
                        norm_title, norm_text)


RawRecord = tuple  # (rid, kind, volume_id, title, body parts, departments, start, end)


def make_records(raws: Iterable[RawRecord]) -> list[SearchRecord]:
    """Normalise raw records (a module-level function: index build workers call it)."""
    with collector_paused():  # many new long-lived objects, no cycles
        return [make_record(*raw) for raw in raws]


def iter_records(session: Session, volume_ids: Iterable[int] | None = None,
                 rids: Iterable[str] | None = None) -> Iterator[SearchRecord]:
    """All records (or those of some volumes, or some rids) straight from the database."""
    for raw in iter_raw_records(session, volume_ids, rids):
        yield make_record(*raw)


def iter_raw_records(session: Session, volume_ids: Iterable[int] | None = None,
                     rids: Iterable[str] | None = None) -> Iterator[RawRecord]:
    """The database rows of records, not yet normalised."""
    vol_filter = list(volume_ids) if volume_ids is not None else None
    wanted: dict[str, set[int]] | None = None
    if rids is not None:
        wanted = defaultdict(set)
        for rid in rids:
            prefix, _, num = rid.partition(":")
            wanted[PREFIX_KIND[prefix]].add(int(num))
    dept_names = dict(session.execute(select(Department.id, Department.name)).all())

    def restrict(stmt, volume_col, id_col, kind):  # type: ignore[no-untyped-def]
        if vol_filter is not None:
            stmt = stmt.where(volume_col.in_(vol_filter))
        if wanted is not None:
            stmt = stmt.where(id_col.in_(sorted(wanted.get(kind, ()))))
        return stmt

    if wanted is None or wanted.get("article"):
        stmt = restrict(select(Article.id, Article.volume_id, Article.title, Article.attribution,
                               Article.source_note, Article.department_id, Article.date_start,
                               Article.date_end).order_by(Article.id),
                        Article.volume_id, Article.id, "article")
        arts = session.execute(stmt).all()
        ids = [a.id for a in arts]
        paras: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(ids, 900):
            for aid, text in session.execute(
                    select(Paragraph.article_id, Paragraph.text)
                    .where(Paragraph.article_id.in_(chunk))
                    .order_by(Paragraph.article_id, Paragraph.ord)):
                paras[aid].append(text)
        for a in arts:
            body = [*paras.get(a.id, []), a.attribution or "", a.source_note or ""]
            yield (f"a:{a.id}", "article", a.volume_id, a.title, body,
                   [dept_names.get(a.department_id)], a.date_start, a.date_end)
    if wanted is None or wanted.get("photo"):
        stmt = restrict(select(Photo.id, Photo.volume_id, Photo.caption, Photo.credit,
                               Photo.notes, Photo.department_id, Photo.date_start,
                               Photo.date_end, Photo.location, Photo.title)
                        .order_by(Photo.id), Photo.volume_id, Photo.id, "photo")
        photos = session.execute(stmt).all()
        extra: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks([p.id for p in photos], 900):
            for pid, tag in session.execute(select(PhotoTag.photo_id, PhotoTag.tag)
                                            .where(PhotoTag.photo_id.in_(chunk))
                                            .order_by(PhotoTag.photo_id, PhotoTag.tag)):
                extra[pid].append(tag)
        for p in photos:
            body = [p.credit or "", *extra.get(p.id, []), p.location or "", p.title or "",
                    p.notes or ""]
            yield (f"p:{p.id}", "photo", p.volume_id, p.caption, body,
                   [dept_names.get(p.department_id)], p.date_start, p.date_end)
    if wanted is None or wanted.get("table"):
        stmt = restrict(select(DataTable.id, DataTable.volume_id, DataTable.title,
                               DataTable.columns_json, DataTable.attribution,
                               DataTable.department_id, DataTable.date_start, DataTable.date_end)
                        .order_by(DataTable.id), DataTable.volume_id, DataTable.id, "table")
        tables = session.execute(stmt).all()
        cells: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks([t.id for t in tables], 900):
            for tid, text in session.execute(
                    select(TableCell.table_id, TableCell.text)
                    .where(TableCell.table_id.in_(chunk))
                    .order_by(TableCell.table_id, TableCell.row, TableCell.col)):
                cells[tid].append(text)
        for t in tables:
            body = [*json.loads(t.columns_json), *cells.get(t.id, []), t.attribution or ""]
            yield (f"t:{t.id}", "table", t.volume_id, t.title, body,
                   [dept_names.get(t.department_id)], t.date_start, t.date_end)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
