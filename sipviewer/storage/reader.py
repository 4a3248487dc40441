"""Read-only views of an archive database in plain SQL, through the standard library's sqlite3.

Browsing — the contents, an article with its photos and tables, counts, departments, what a
search hit shows — needs neither the ORM nor the search index. Keeping these reads on
`sqlite3` lets the viewer show an archive before SQLAlchemy and Whoosh are imported (about
half a second of every start).
Writes, migrations and the index records stay with the ORM models in
`sipviewer.storage.models`; the SQL here names the same tables and columns, and the archive
tests read back through it everything the ORM wrote.

Each view is read inside one read transaction, so a writer committing meanwhile never
yields a half-old, half-new article. Connections are per thread (a thread that has ended
gets its connection closed when another thread opens one).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from sipviewer.model.errors import ArchiveError, NotFoundError
from sipviewer.model.types import (
    ArticleNode,
    ArticleView,
    DepartmentInfo,
    PhotoView,
    SectionNode,
    TableView,
    VolumeInfo,
    VolumeNode,
    volume_label,
)

DB_NAME = "archive.sqlite"
# The newest migration in db/versions; a test keeps it equal to Alembic's head.
HEAD = "0001"
CHUNK = 500  # ids per IN (...) query

_PHOTO_SELECT = """
SELECT p.id, p.article_id, a.title, p.volume_id, v.title, v.edition_year, p.caption,
       p.date_start, p.date_end, p.date_precision, p.credit, p.credit_kind, d.name, p.page,
       p.image_sha256, p.image_ext, p.notes, p.revision
FROM photos p JOIN articles a ON a.id = p.article_id JOIN volumes v ON v.id = p.volume_id
LEFT JOIN departments d ON d.id = p.department_id
"""

_TABLE_SELECT = """
SELECT t.id, t.article_id, a.title, v.title, v.edition_year, t.number, t.title, t.columns_json,
       t.n_rows, t.attribution, t.page
FROM data_tables t JOIN articles a ON a.id = t.article_id JOIN volumes v ON v.id = t.volume_id
"""


class HitSource(NamedTuple):
    """A record as a search hit shows it: ``parts`` are the texts its snippet may come from,
    in order of preference."""

    kind: str  # article | photo | table
    id: int
    title: str
    parts: tuple[str, ...]
    volume_label: str
    volume_id: int
    date_start: date | None
    date_end: date | None
    department: str | None
    article_id: int


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


class ArchiveReader:
    """Views of the archive database at ``folder / archive.sqlite`` (never writes to it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.db_path = self.folder / DB_NAME
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []

    @classmethod
    def open(cls, folder: str | Path) -> ArchiveReader:
        """A reader for an up-to-date archive; `ArchiveError` naming the problem otherwise."""
        reader = cls(Path(folder).expanduser())
        if not reader.db_path.is_file():
            raise ArchiveError(f"{reader.folder}: no archive here (no {DB_NAME})")
        try:
            revision = reader.revision()
        except sqlite3.Error as exc:
            reader.close()
            raise ArchiveError(f"{reader.db_path}: cannot read the database ({exc})") from None
        if revision != HEAD:
            reader.close()
            raise ArchiveError(f"{reader.db_path}: the database is at schema {revision}, "
                               f"not {HEAD}; it needs an upgrade")
        return reader

    def close(self) -> None:
        with self._lock:
            for _, conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            uri = f"file:{quote(str(self.db_path))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            with self._lock:
                alive = []
                for thread, other in self._connections:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:  # worker threads come and go (a thread pool): no handle left behind
                        other.close()
                self._connections = alive + [(threading.current_thread(), conn)]
            self._local.conn = conn
        return conn

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same committed state."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    # -- schema -----------------------------------------------------------------------------
    def revision(self) -> str | None:
        with self._snapshot() as c:
            if not c.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                             "AND name='alembic_version'").fetchone():
                return None
            row = c.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None

    # -- contents ---------------------------------------------------------------------------
    def volumes(self) -> list[VolumeInfo]:
        with self._snapshot() as c:
            return self._volumes(c)

    @staticmethod
    def _volumes(c: sqlite3.Connection) -> list[VolumeInfo]:
        counts = {table: dict(c.execute(f"SELECT volume_id, count(*) FROM {table} "
                                        "GROUP BY volume_id"))
                  for table in ("articles", "photos", "data_tables")}
        return [VolumeInfo(vid, title, edition, covered, source,
                           counts["articles"].get(vid, 0), counts["photos"].get(vid, 0),
                           counts["data_tables"].get(vid, 0))
                for vid, title, edition, covered, source in c.execute(
                    "SELECT id, title, edition_year, covered_year, source_name FROM volumes "
                    "ORDER BY edition_year, id")]

    def tree(self) -> list[VolumeNode]:
        """Volumes → sections → articles with their photo and table counts."""
        with self._snapshot() as c:
            vols = self._volumes(c)
            photos = dict(c.execute("SELECT article_id, count(*) FROM photos GROUP BY article_id"))
            tables = dict(c.execute(
                "SELECT article_id, count(*) FROM data_tables GROUP BY article_id"))
            sections: dict[int, list[tuple[int, str]]] = {}
            for sid, vid, title in c.execute(
                    "SELECT id, volume_id, title FROM sections ORDER BY volume_id, ord"):
                sections.setdefault(vid, []).append((sid, title))
            articles: dict[int, list[ArticleNode]] = {}
            for aid, sid, title in c.execute(
                    "SELECT id, section_id, title FROM articles ORDER BY section_id, ord"):
                articles.setdefault(sid, []).append(
                    ArticleNode(aid, title, photos.get(aid, 0), tables.get(aid, 0)))
        return [VolumeNode(v, tuple(SectionNode(sid, title, tuple(articles.get(sid, ())))
                                    for sid, title in sections.get(v.id, ())))
                for v in vols]

    def stats(self) -> dict[str, int]:
        with self._snapshot() as c:
            return {name: c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for name, table in (("volumes", "volumes"), ("articles", "articles"),
                                        ("photos", "photos"), ("tables", "data_tables"))}

    def departments(self) -> list[DepartmentInfo]:
        """Every department with its aliases and the number of records it signs."""
        with self._snapshot() as c:
            counts: dict[int, int] = {}
            for table in ("articles", "photos", "data_tables"):
                for dept_id, n in c.execute(
                        f"SELECT department_id, count(*) FROM {table} "
                        "WHERE department_id IS NOT NULL GROUP BY department_id"):
                    counts[dept_id] = counts.get(dept_id, 0) + n
            aliases: dict[int, list[str]] = {}
            for dept_id, alias in c.execute(
                    "SELECT department_id, alias FROM department_aliases ORDER BY id"):
                aliases.setdefault(dept_id, []).append(alias)
            return [DepartmentInfo(name, kind, tuple(aliases.get(did, ())), counts.get(did, 0))
                    for did, name, kind in c.execute(
                        "SELECT id, name, kind FROM departments ORDER BY name")]

    # -- records ----------------------------------------------------------------------------
    def article(self, article_id: int) -> ArticleView:
        with self._snapshot() as c:
            row = c.execute(
                "SELECT a.id, a.volume_id, v.title, v.edition_year, s.title, a.title, "
                "a.attribution, d.name, a.source_note, a.page_start, a.page_end "
                "FROM articles a JOIN sections s ON s.id = a.section_id "
                "JOIN volumes v ON v.id = a.volume_id "
                "LEFT JOIN departments d ON d.id = a.department_id WHERE a.id = ?",
                (article_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no article {article_id}")
            aid, vid, vtitle, edition, section, title, attribution, dept, note, p0, p1 = row
            paragraphs = tuple(text for (text,) in c.execute(
                "SELECT text FROM paragraphs WHERE article_id = ? ORDER BY ord", (aid,)))
            photos = self._photos(c, "p.article_id = ? ORDER BY p.ord", (aid,))
            tables = self._tables(c, "t.article_id = ? ORDER BY t.ord", (aid,))
        return ArticleView(aid, vid, volume_label(vtitle, edition), section, title, attribution,
                           dept, note, (p0, p1), paragraphs, tuple(photos), tuple(tables))

    def photo(self, photo_id: int) -> PhotoView:
        found = self.photos([photo_id])
        if not found:
            raise NotFoundError(f"no photo {photo_id}")
        return found[0]

    def photos(self, ids: Sequence[int]) -> list[PhotoView]:
        """Several photos at once, in the order asked (ids that do not exist are left out)."""
        out: dict[int, PhotoView] = {}
        with self._snapshot() as c:
            for i in range(0, len(ids), CHUNK):
                chunk = list(ids[i:i + CHUNK])
                marks = ",".join("?" * len(chunk))
                for view in self._photos(c, f"p.id IN ({marks})", chunk):
                    out[view.id] = view
        return [out[i] for i in ids if i in out]

    def photo_ids(self) -> list[int]:
        """Every photo in reading order (volume, article, position)."""
        with self._snapshot() as c:
            return [pid for (pid,) in c.execute(
                "SELECT id FROM photos ORDER BY volume_id, article_id, ord")]

    def table(self, table_id: int) -> TableView:
        with self._snapshot() as c:
            found = self._tables(c, "t.id = ?", (table_id,))
        if not found:
            raise NotFoundError(f"no table {table_id}")
        return found[0]

    def hit_sources(self, ids: dict[str, list[int]]) -> dict[str, HitSource]:
        """What a search hit shows, by rid (``a:ID``, ``p:ID``, ``t:ID``), for the articles,
        photos and tables asked (``ids`` by kind letter); one query per kind and table."""
        out: dict[str, HitSource] = {}
        with self._snapshot() as c:
            for kind, wanted in ids.items():
                for i in range(0, len(wanted), CHUNK):
                    chunk = list(wanted[i:i + CHUNK])
                    marks = ",".join("?" * len(chunk))
                    if kind == "a":
                        self._article_sources(c, chunk, marks, out)
                    elif kind == "p":
                        self._photo_sources(c, chunk, marks, out)
                    elif kind == "t":
                        self._table_sources(c, chunk, marks, out)
        return out

    @staticmethod
    def _grouped(c: sqlite3.Connection, sql: str, chunk: list[int]) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = {}
        for key, text in c.execute(sql, chunk):
            grouped.setdefault(key, []).append(text)
        return grouped

    def _article_sources(self, c: sqlite3.Connection, chunk: list[int], marks: str,
                         out: dict[str, HitSource]) -> None:
        paras = self._grouped(c, "SELECT article_id, text FROM paragraphs WHERE article_id IN "
                              f"({marks}) ORDER BY article_id, ord", chunk)
        for (aid, title, vid, vtitle, edition, attribution, note, d0, d1, dept) in c.execute(
                "SELECT a.id, a.title, a.volume_id, v.title, v.edition_year, a.attribution, "
                "a.source_note, a.date_start, a.date_end, d.name FROM articles a "
                "JOIN volumes v ON v.id = a.volume_id "
                f"LEFT JOIN departments d ON d.id = a.department_id WHERE a.id IN ({marks})",
                chunk):
            # the body first: a match in the title shows in the title already
            parts = (*paras.get(aid, ()), attribution or "", note or "", title)
            out[f"a:{aid}"] = HitSource("article", aid, title, parts, volume_label(vtitle, edition),
                                        vid, _date(d0), _date(d1), dept, aid)

    def _photo_sources(self, c: sqlite3.Connection, chunk: list[int], marks: str,
                       out: dict[str, HitSource]) -> None:
        tags = self._grouped(c, f"SELECT photo_id, tag FROM photo_tags WHERE photo_id IN ({marks})",
                             chunk)
        for (pid, caption, credit, notes, vid, vtitle, edition, d0, d1, dept, aid) in c.execute(
                "SELECT p.id, p.caption, p.credit, p.notes, p.volume_id, v.title, v.edition_year, "
                "p.date_start, p.date_end, d.name, p.article_id FROM photos p "
                "JOIN volumes v ON v.id = p.volume_id "
                f"LEFT JOIN departments d ON d.id = p.department_id WHERE p.id IN ({marks})",
                chunk):
            parts = (caption, credit or "", *tags.get(pid, ()), notes or "")
            out[f"p:{pid}"] = HitSource("photo", pid, caption, parts,
                                        volume_label(vtitle, edition), vid, _date(d0), _date(d1),
                                        dept, aid)

    def _table_sources(self, c: sqlite3.Connection, chunk: list[int], marks: str,
                       out: dict[str, HitSource]) -> None:
        cells = self._grouped(c, "SELECT table_id, text FROM table_cells WHERE table_id IN "
                              f"({marks}) ORDER BY table_id, row, col", chunk)
        for (tid, title, columns_json, attribution, vid, vtitle, edition, d0, d1, dept,
             aid) in c.execute(
                "SELECT t.id, t.title, t.columns_json, t.attribution, t.volume_id, v.title, "
                "v.edition_year, t.date_start, t.date_end, d.name, t.article_id "
                "FROM data_tables t JOIN volumes v ON v.id = t.volume_id "
                f"LEFT JOIN departments d ON d.id = t.department_id WHERE t.id IN ({marks})",
                chunk):
            parts = (*json.loads(columns_json), *cells.get(tid, ()), attribution or "", title)
            out[f"t:{tid}"] = HitSource("table", tid, title, parts, volume_label(vtitle, edition),
                                        vid, _date(d0), _date(d1), dept, aid)

    def _photos(self, c: sqlite3.Connection, where: str, params: Sequence[object]
                ) -> list[PhotoView]:
        rows = c.execute(f"{_PHOTO_SELECT} WHERE {where}", params).fetchall()
        ids = [r[0] for r in rows]
        tags: dict[int, list[str]] = {}
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            tags.update(self._grouped(c, "SELECT photo_id, tag FROM photo_tags WHERE photo_id IN "
                                      f"({','.join('?' * len(chunk))})", chunk))
        images = self.folder / "images"
        out = []
        for (pid, aid, atitle, vid, vtitle, edition, caption, d0, d1, precision, credit,
             credit_kind, dept, page, sha, ext, notes, revision) in rows:
            image = str(images / f"{sha}{ext or ''}") if sha else None
            out.append(PhotoView(pid, aid, atitle, vid, volume_label(vtitle, edition), caption,
                                 _date(d0), _date(d1), precision, credit, credit_kind, dept,
                                 page, image, tuple(sorted(tags.get(pid, ()))), notes, revision))
        return out

    @staticmethod
    def _tables(c: sqlite3.Connection, where: str, params: Sequence[object]) -> list[TableView]:
        out = []
        for (tid, aid, atitle, vtitle, edition, number, title, columns_json, n_rows,
             attribution, page) in c.execute(f"{_TABLE_SELECT} WHERE {where}",
                                             params).fetchall():
            columns = tuple(json.loads(columns_json))
            rows = [[""] * len(columns) for _ in range(n_rows)]
            numbers: list[list[float | None]] = [[None] * len(columns) for _ in range(n_rows)]
            for r, col, text, value in c.execute(
                    "SELECT row, col, text, number FROM table_cells WHERE table_id = ?", (tid,)):
                if r < n_rows and col < len(columns):
                    rows[r][col] = text
                    numbers[r][col] = value
            out.append(TableView(tid, aid, atitle, volume_label(vtitle, edition), number, title,
                                 columns, tuple(tuple(r) for r in rows),
                                 tuple(tuple(n) for n in numbers), attribution, page))
        return out

