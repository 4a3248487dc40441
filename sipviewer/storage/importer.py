"""Write parsed volumes into the database: one transaction for a whole import.

Called by `Archive.import_files` on the writer thread. A volume is identified by its text's
SHA-256: the same file again changes nothing; a changed file for a volume already in the
archive (same title and edition) needs ``replace=True``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sipviewer.model.departments import KNOWN, canonical, clean_name
from sipviewer.model.errors import InputError
from sipviewer.model.numbers import parse_cell_number
from sipviewer.model.searchtext import SearchText, event_text, parsed_texts
from sipviewer.model.types import ParsedDocument, ParsedSection, Uncertain
from sipviewer.storage.db import dbapi
from sipviewer.storage.models import (
    Article,
    DataTable,
    Department,
    DepartmentAlias,
    Event,
    EventDepartment,
    Meta,
    Paragraph,
    Photo,
    Section,
    TableCell,
    Volume,
)


@dataclass(frozen=True)
class PreparedVolume:
    path: str
    checksum: str
    doc: ParsedDocument
    title: str
    edition_year: int | None
    covered_year: int | None
    char_count: int
    # its records' searchable texts (`searchtext.parsed_texts`), when worked out already
    texts: tuple[SearchText, ...] | None = None


@dataclass(frozen=True)
class ImportOutcome:
    path: str
    status: str  # imported | unchanged | replaced
    volume_id: int
    title: str
    edition_year: int | None
    articles: int
    photos: int
    tables: int
    uncertain: tuple[Uncertain, ...] = ()  # the parser's decisions to check (parse --report)
    events: int = 0


class DepartmentCache:
    """Canonical departments by name within one session; creates unknown ones."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_name: dict[str, Department] = {}
        for dept in session.scalars(select(Department)):
            self.by_name[dept.name] = dept
        # each name as written, by kind: a volume names the same few hundred departments
        # thousands of times, and `canonical` compares a name with every known alias
        self._seen: dict[tuple[str, str], Department] = {}

    def get(self, name: str | None, kind: str) -> Department | None:
        if not name:
            return None
        seen = self._seen.get((name, kind))
        if seen is not None:
            return seen
        if not clean_name(name):
            return None
        dept = self._find(name, kind)
        self._seen[(name, kind)] = dept
        return dept

    def _find(self, name: str, kind: str) -> Department:
        canon = canonical(name)
        dept = self.by_name.get(canon)
        if dept is None:
            known_kind, aliases = KNOWN.get(canon, (kind, ()))
            dept = Department(name=canon, kind=known_kind)
            dept.aliases = [DepartmentAlias(alias=clean_name(a)) for a in aliases
                            if clean_name(a) != canon]
            self.session.add(dept)
            self.session.flush()
            self.by_name[canon] = dept
        return dept


def bump_generation(session: Session) -> int:
    meta = session.get(Meta, "generation")
    if meta is None:
        meta = Meta(key="generation", value="0")
        session.add(meta)
    meta.value = str(int(meta.value) + 1)
    return int(meta.value)


def find_existing(session: Session, prepared: PreparedVolume) -> tuple[Volume | None, Volume | None]:
    """(the volume with this exact text, another version of the same volume)."""
    same = session.scalar(select(Volume).where(Volume.checksum == prepared.checksum))
    other = session.scalar(select(Volume).where(
        Volume.title == prepared.title, Volume.edition_year == prepared.edition_year,
        Volume.checksum != prepared.checksum))
    return same, other


def write_volumes(session: Session, volumes: Iterable[PreparedVolume], *, replace: bool,
                  raws: list[tuple] | None = None  # type: ignore[type-arg]
                  ) -> tuple[list[ImportOutcome], list[int], list[int]]:
    """Write all volumes in the caller's transaction, one at a time as ``volumes`` yields
    them (a generator can parse the next ones meanwhile; none is kept once written).
    ``raws``: the index's source rows of the records added are put there as they are
    written (see `add_volume`).

    Returns the outcomes, the ids of volumes added and of volumes removed (for the index).
    Raises `InputError` (and the caller rolls back) when a changed volume needs ``replace``.
    """
    depts = DepartmentCache(session)
    outcomes: list[ImportOutcome] = []
    added: list[int] = []
    removed: list[int] = []
    for prepared in volumes:
        same, other = find_existing(session, prepared)
        doc = prepared.doc
        counts = (len(doc.articles), len(doc.photos), len(doc.tables))
        n_events = sum(len(sec.events) for sec in doc.sections)
        if same is not None:
            outcomes.append(ImportOutcome(prepared.path, "unchanged", same.id, same.title,
                                          same.edition_year, *counts, doc.uncertain,
                                          n_events))
            continue
        status = "imported"
        if other is not None:
            if not replace:
                raise InputError(prepared.path, (
                    f"the archive already holds a different text of 《{other.title}》 "
                    f"{other.edition_year or ''} (from {other.source_name}); "
                    "use --replace to replace it"))
            removed.append(other.id)
            session.delete(other)
            session.flush()
            status = "replaced"
        vol = add_volume(session, prepared, depts, raws)
        added.append(vol.id)
        outcomes.append(ImportOutcome(prepared.path, status, vol.id, vol.title, vol.edition_year,
                                      *counts, doc.uncertain, n_events))
    if added or removed:
        bump_generation(session)
    return outcomes, added, removed


def _year_span(year: int | None) -> tuple[date | None, date | None]:
    if year is None:
        return None, None
    return date(year, 1, 1), date(year, 12, 31)


def add_volume(session: Session, prepared: PreparedVolume, depts: DepartmentCache,
               raws: list[tuple] | None = None) -> Volume:  # type: ignore[type-arg]
    """Write one volume: its row through the ORM, everything in it as bulk inserts (one
    statement per table and section, new ids read back in the order given): tens of
    thousands of ORM objects a volume cost most of an import's time.

    ``raws``: its records' index source rows are added there, made from the values just
    written: what `reader.Reader.raw_records` reads back for the volume, without reading
    it back (a test compares the two)."""
    doc = prepared.doc
    vol = Volume(title=prepared.title, edition_year=prepared.edition_year,
                 covered_year=prepared.covered_year, source_name=prepared.path,
                 checksum=prepared.checksum, encoding=doc.encoding,
                 char_count=prepared.char_count, imported_at=datetime.now())
    session.add(vol)
    session.flush()
    start, end = _year_span(prepared.covered_year)
    section_ids = _insert_returning(session, Section, [
        {"volume_id": vol.id, "title": sec.title, "ord": s_ord}
        for s_ord, sec in enumerate(doc.sections)])
    articles = [(section_id, a_ord, art) for section_id, sec in zip(section_ids, doc.sections)
                for a_ord, art in enumerate(sec.articles)]
    article_rows = []
    found: dict[str, list[Department | None]] = {"a": [], "p": [], "t": []}  # by record
    for section_id, a_ord, art in articles:
        dept = depts.get(art.attribution, "department")
        found["a"].append(dept)
        article_rows.append({
            "section_id": section_id, "volume_id": vol.id, "ord": a_ord, "title": art.title,
            "attribution": art.attribution, "department_id": dept.id if dept else None,
            "source_note": art.source_note, "page_start": art.pages[0],
            "page_end": art.pages[1], "date_start": start, "date_end": end})
    article_ids = _insert_returning(session, Article, article_rows)
    paragraphs: list[tuple[int, int, str]] = []
    photos, tables, table_cells = [], [], []
    for article_id, (_, _, art) in zip(article_ids, articles):
        paragraphs += [(article_id, k, t) for k, t in enumerate(art.paragraphs)]
        for p_ord, ph in enumerate(art.photos):
            kind = "photographer" if ph.credit_kind == "photographer" else "supplier"
            credit = depts.get(ph.credit, kind)
            found["p"].append(credit)
            photos.append({
                "article_id": article_id, "volume_id": vol.id, "ord": p_ord,
                "caption": ph.caption, "date_start": ph.date_start, "date_end": ph.date_end,
                "date_precision": ph.date_precision, "credit": ph.credit,
                "credit_kind": ph.credit_kind, "department_id": credit.id if credit else None,
                "page": ph.page})
        for t_ord, tb in enumerate(art.tables):
            tdept = depts.get(tb.attribution, "department")
            found["t"].append(tdept)
            tables.append({
                "article_id": article_id, "volume_id": vol.id, "ord": t_ord,
                "number": tb.number, "title": tb.title,
                "columns_json": json.dumps(list(tb.columns), ensure_ascii=False),
                "n_rows": len(tb.rows), "attribution": tb.attribution,
                "department_id": tdept.id if tdept else None, "page": tb.page,
                "date_start": start, "date_end": end})
            table_cells.append(tb.rows)
    _insert_plain(session, Paragraph, ("article_id", "ord", "text"), paragraphs)
    ids = {"a": article_ids, "p": _insert_returning(session, Photo, photos),
           "t": _insert_returning(session, DataTable, tables)}
    texts: dict[str, list[SearchText]] = {"article": [], "photo": [], "table": [], "event": []}
    if raws is not None:
        for record in prepared.texts if prepared.texts is not None \
                else parsed_texts(doc.sections):
            texts[record.kind].append(record)
        raws += _kept_rows(vol.id, [art for _, _, art in articles], texts, ids, found, start,
                           end)
    cells = []
    for table_id, rows in zip(ids["t"], table_cells):
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                num = parse_cell_number(text)
                cells.append((table_id, r, c, text, num.value, num.upper, num.unit) if num
                             else (table_id, r, c, text, None, None, None))
    _insert_plain(session, TableCell,
                  ("table_id", "row", "col", "text", "number", "number_max", "unit"), cells)
    add_events(session, vol.id, list(zip(section_ids, doc.sections)), depts, raws,
               iter(texts["event"]))
    return vol


def _kept_rows(volume_id: int, articles: list[Any], texts: dict[str, list[SearchText]],
               ids: dict[str, list[int]], found: dict[str, list[Department | None]],
               start: date | None, end: date | None) -> list[tuple]:  # type: ignore[type-arg]
    """The index source rows (`reader.Reader.raw_records`) of the articles, photos and
    tables of a volume just written: their texts, ids and departments by kind, as
    inserted."""
    dates = {"a": [(start, end)] * len(ids["a"]), "t": [(start, end)] * len(ids["t"]),
             "p": [(ph.date_start, ph.date_end) for art in articles for ph in art.photos]}
    out = []
    for prefix, kind in (("a", "article"), ("p", "photo"), ("t", "table")):
        out += [(f"{prefix}:{rid}", kind, volume_id, text.title, list(text.body),
                 [dept.name if dept else None], d0, d1)
                for rid, text, (d0, d1), dept in zip(ids[prefix], texts[kind], dates[prefix],
                                                     found[prefix])]
    return out


def add_events(session: Session, volume_id: int, sections: list[tuple[int, ParsedSection]],
               depts: DepartmentCache, raws: list[tuple] | None = None,  # type: ignore[type-arg]
               texts: Iterator[SearchText] | None = None) -> None:
    """The 大事记 sections' events, each with the departments its text names (``raws``:
    see `add_volume`; ``texts``: the events' searchable texts, in order)."""
    names: dict[str, tuple[str, str]] | None = None
    for section_id, sec in sections:
        if not sec.events:
            continue
        names = names if names is not None else department_names(session)
        ids = _insert_returning(session, Event, [
            {"section_id": section_id, "volume_id": volume_id, "ord": k, "text": ev.text,
             "date_start": ev.date_start, "date_end": ev.date_end, "page": ev.page}
            for k, ev in enumerate(sec.events)])
        links = []
        for event_id, ev in zip(ids, sec.events):
            found = {d.id: d.name for d in (depts.get(c, kind)
                                            for c, kind in named_in(ev.text, names))
                     if d is not None}
            links += [{"event_id": event_id, "department_id": d} for d in sorted(found)]
            if raws is not None:
                text = next(texts) if texts is not None else event_text(ev.text)
                raws.append((f"e:{event_id}", "event", volume_id, text.title, list(text.body),
                             sorted(found.values()) or [None], ev.date_start, ev.date_end))
        _insert(session, EventDepartment, links)


def _insert(session: Session, model: type, rows: list[dict]) -> None:  # type: ignore[type-arg]
    """One executemany on the session's own SQLite connection, each value converted as
    SQLAlchemy converts it and the columns' own defaults filled in (SQLAlchemy's handling
    of each row's parameters cost a volume about 60 ms of the writing thread)."""
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    given = list(rows[0])
    assert all(list(row) == given for row in rows) and all(c in table.c for c in given)
    defaults = [c for c in table.c if c.name not in given and c.default is not None]
    assert all(c.default.is_scalar for c in defaults)  # (none computed per row)
    names = given + [c.name for c in defaults]
    extra = tuple(c.default.arg for c in defaults)
    dialect = session.get_bind().dialect
    convert = [(k, f) for k, f in enumerate(table.c[n].type.bind_processor(dialect)
                                            for n in names) if f is not None]
    values = []
    for row in rows:
        value = [*row.values(), *extra]
        for k, f in convert:
            value[k] = f(value[k])
        values.append(value)
    dbapi(session).executemany(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        values)


def _insert_plain(session: Session, model: type, columns: tuple[str, ...],
                  rows: list[tuple]) -> None:  # type: ignore[type-arg]
    """Rows of a plain table (no defaults, no converted types: ids, numbers, text) as
    tuples straight to SQLite's executemany in the session's transaction: a volume's tens
    of thousands of paragraphs and cells spent most of their time in SQLAlchemy's
    parameter handling."""
    if rows:
        table = model.__table__  # type: ignore[attr-defined]
        assert all(c in table.c for c in columns)
        dbapi(session).executemany(
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})", rows)


def _insert_returning(session: Session, model: type, rows: list[dict]) -> list[int]:  # type: ignore[type-arg]
    """Insert the rows (`_insert`) and return their new ids in the order of ``rows``: SQLite
    gives each new row an id above every id of the table, so in this transaction (the
    archive's only writer) the ids above the greatest one before are the new rows', in
    the order they were inserted."""
    if not rows:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    conn = dbapi(session)
    (last,) = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}").fetchone()
    _insert(session, model, rows)
    ids = [i for (i,) in conn.execute(f"SELECT id FROM {table.name} WHERE id > ? ORDER BY id",
                                      (last,))]
    if len(ids) != len(rows):  # (cannot happen: a bug, not bad input)
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} new ids")
    return ids


def department_names(session: Session) -> dict[str, tuple[str, str]]:
    """Every name and alias of the department table and the known list → (canonical, kind).

    Photographers are people, not departments: an event naming one is not filed under them.
    """
    out: dict[str, tuple[str, str]] = {}
    for canon, (kind, aliases) in KNOWN.items():
        for name in (canon, *aliases):
            out[clean_name(name)] = (canon, kind)
    for name, kind, alias in session.execute(
            select(Department.name, Department.kind, DepartmentAlias.alias)
            .join(DepartmentAlias, isouter=True)):
        out.setdefault(name, (name, kind))
        if alias:
            out.setdefault(alias, (name, kind))
    return {n: v for n, v in out.items() if len(n) >= 3 and v[1] != "photographer"}


def named_in(text: str, names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """The departments a text names: longest names first, a shorter one inside a longer
    match does not count again (园区经发委 holds 经发委)."""
    taken = [False] * len(text)
    found: dict[str, str] = {}
    for name in sorted(names, key=len, reverse=True):
        start = text.find(name)
        while start >= 0:
            if not any(taken[start:start + len(name)]):
                taken[start:start + len(name)] = [True] * len(name)
                canon, kind = names[name]
                found.setdefault(canon, kind)
            start = text.find(name, start + 1)
    return list(found.items())
