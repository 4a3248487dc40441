"""Read-only views of an archive database in plain SQL, through the standard library's sqlite3.

Browsing — the contents, an article with its photos and tables, counts, departments, what a
search hit shows — needs neither the ORM nor the search index. Keeping these reads on
`sqlite3` lets the viewer show an archive before SQLAlchemy and Whoosh are imported (about
half a second of every start).
Every read of an archive goes through here, the rows the search index is built from included
(`raw_records`: plain tuples the core hands to the search layer). Writes and migrations stay
with the ORM models in `sipviewer.storage.models`; the SQL here names the same tables and
columns, and the archive tests read back through it everything the ORM wrote.

Each view is read inside one read transaction, so a writer committing meanwhile never
yields a half-old, half-new article. Connections are per thread (a thread that has ended
gets its connection closed when another thread opens one).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from sipviewer.model.errors import ArchiveError, NotFoundError
from sipviewer.model.searchtext import (
    SearchText,
    article_text,
    event_text,
    photo_text,
    table_text,
)
from sipviewer.model.types import (
    ArticleNode,
    ArticleView,
    DepartmentInfo,
    EventView,
    PhotoView,
    SectionNode,
    TableView,
    VolumeInfo,
    VolumeNode,
    volume_label,
)

DB_NAME = "archive.sqlite"
# The newest migration in db/versions; a test keeps it equal to Alembic's head.
HEAD = "0003"
CHUNK = 500  # ids per IN (...) query

_PHOTO_SELECT = """
SELECT p.id, p.article_id, a.title, p.volume_id, v.title, v.edition_year, p.caption,
       p.date_start, p.date_end, p.date_precision, p.credit, p.credit_kind, d.name, p.page,
       p.image_sha256, p.image_ext, p.notes, p.revision, p.title, p.location, p.rights,
       p.image_name
FROM photos p JOIN articles a ON a.id = p.article_id JOIN volumes v ON v.id = p.volume_id
LEFT JOIN departments d ON d.id = p.department_id
"""

_TABLE_SELECT = """
SELECT t.id, t.article_id, a.title, v.title, v.edition_year, t.number, t.title, t.columns_json,
       t.n_rows, t.attribution, t.page
FROM data_tables t JOIN articles a ON a.id = t.article_id JOIN volumes v ON v.id = t.volume_id
"""


def _json_loads(text: str) -> Any:
    """`json.loads`, the module imported when first needed (by a worker, not as the viewer
    starts: its decoder costs the GUI thread a few milliseconds)."""
    import json

    return json.loads(text)


class HitSource(NamedTuple):
    """A record as a search hit shows it: ``parts`` are the texts its snippet may come from,
    in order of preference."""

    kind: str  # article | photo | table | event
    id: int
    title: str
    parts: tuple[str, ...]
    volume_label: str
    volume_id: int
    date_start: date | None
    date_end: date | None
    department: str | None
    article_id: int


class _RecordRow(NamedTuple):
    id: int
    text: SearchText
    volume_id: int
    volume_label: str
    date_start: date | None
    date_end: date | None
    department: str | None
    article_id: int
    departments: tuple[str, ...] = ()  # an event's: every department its text names


RawRecord = tuple  # (rid, kind, volume_id, title, body parts, [department], start, end)
_KIND_TABLE = {"article": "articles", "photo": "photos", "table": "data_tables",
               "event": "events"}
_KIND_PREFIX = {"article": "a", "photo": "p", "table": "t", "event": "e"}
_PREFIX_KIND = {v: k for k, v in _KIND_PREFIX.items()}
# per kind: the record with its hit details (id, title, two text columns, volume, dates,
# department, article), and its further text pieces by record id, in reading order
_RECORD_SQL = {
    "article": (
        "SELECT a.id, a.title, a.attribution, a.source_note, a.volume_id, v.title, "
        "v.edition_year, a.date_start, a.date_end, d.name, a.id FROM articles a "
        "JOIN volumes v ON v.id = a.volume_id LEFT JOIN departments d ON d.id = a.department_id "
        "WHERE a.id IN ({marks}) ORDER BY a.id",
        "SELECT article_id, text FROM paragraphs WHERE article_id IN ({marks}) "
        "ORDER BY article_id, ord"),
    "photo": (
        "SELECT p.id, p.caption, p.credit, p.notes, p.volume_id, v.title, v.edition_year, "
        "p.date_start, p.date_end, d.name, p.article_id FROM photos p "
        "JOIN volumes v ON v.id = p.volume_id LEFT JOIN departments d ON d.id = p.department_id "
        "WHERE p.id IN ({marks}) ORDER BY p.id",
        "SELECT photo_id, tag FROM photo_tags WHERE photo_id IN ({marks})"),
    "table": (
        "SELECT t.id, t.title, t.columns_json, t.attribution, t.volume_id, v.title, "
        "v.edition_year, t.date_start, t.date_end, d.name, t.article_id FROM data_tables t "
        "JOIN volumes v ON v.id = t.volume_id LEFT JOIN departments d ON d.id = t.department_id "
        "WHERE t.id IN ({marks}) ORDER BY t.id",
        "SELECT table_id, text FROM table_cells WHERE table_id IN ({marks}) "
        "ORDER BY table_id, row, col"),
    "event": (  # a 大事记 entry: its text is its title; no article (0)
        "SELECT e.id, e.text, NULL, NULL, e.volume_id, v.title, v.edition_year, e.date_start, "
        "e.date_end, NULL, 0 FROM events e JOIN volumes v ON v.id = e.volume_id "
        "WHERE e.id IN ({marks}) ORDER BY e.id",
        "SELECT ed.event_id, d.name FROM event_departments ed JOIN departments d "
        "ON d.id = ed.department_id WHERE ed.event_id IN ({marks}) ORDER BY ed.event_id, d.name"),
}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


def _marks(chunk: Sequence[object]) -> str:
    return ",".join("?" * len(chunk))


def journal_is_wal(db_path: Path) -> bool:
    """Whether the database file says it is in WAL mode (bytes 18 and 19 of its header are 2;
    1 for a rollback journal). A writer keeps an archive in WAL mode."""
    try:
        head = _read_header(db_path)
    except OSError:
        return False
    return len(head) == 20 and head[18] == 2 and head[19] == 2


# A database file's descriptors stay open for the life of the process (POSIX): closing any
# descriptor of a file drops every lock the process holds on it, SQLite's included, and
# another process closing the archive would then think itself the last user and delete the
# write-ahead log under this one's connections.
_HEADER_FDS: dict[tuple[int, int], int] = {}
_HEADER_LOCK = threading.Lock()


def _read_header(db_path: Path) -> bytes:
    if os.name == "nt":  # no POSIX locks to lose
        with open(db_path, "rb") as fh:
            return fh.read(20)
    st = os.stat(db_path)
    key = (st.st_dev, st.st_ino)
    with _HEADER_LOCK:
        fd = _HEADER_FDS.get(key)
        if fd is None:
            fd = _HEADER_FDS[key] = os.open(db_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    return os.pread(fd, 20, 0)


def _wal_size(db_path: Path) -> int:
    try:
        return db_path.with_name(db_path.name + "-wal").stat().st_size
    except OSError:
        return 0


def read_only_flags(db_path: Path, *, no_files: bool = False) -> tuple[str, bool]:
    """URI parameters of a read-only connection, and whether they say ``immutable``.

    ``mode=ro`` on a database in rollback mode (a copy made by another tool) reads with
    SQLite's usual locks and creates nothing. A database in WAL mode needs its ``-wal`` and
    ``-shm`` files: SQLite creates them even for a read-only connection, and cannot open it
    at all where the folder cannot be written. ``immutable=1`` (no locks, no files) is used
    only where it cannot miss anything: no write-ahead log with content lies beside the file
    (a writer's unmerged changes are read through SQLite's own files, which then exist), and
    either the folder cannot be written (read-only media) or the caller wants no files (a
    read-only archive, the kiosk). A writer that starts later is noticed by `ArchiveReader`,
    which then reconnects without ``immutable``."""
    if not (no_files or not os.access(db_path.parent, os.W_OK)):
        return "mode=ro", False
    if not journal_is_wal(db_path) or _wal_size(db_path) > 0:
        return "mode=ro", False
    return "mode=ro&immutable=1", True


class ArchiveReader:
    """Views of the archive database at ``folder / archive.sqlite`` (never writes to it).

    ``no_files``: never create SQLite's ``-wal``/``-shm`` files beside the database (a
    read-only archive, the kiosk); see `read_only_flags`."""

    def __init__(self, folder: Path, no_files: bool = False) -> None:
        self.folder = Path(folder)
        self.db_path = self.folder / DB_NAME
        self.no_files = no_files
        self.immutable = False  # what the connections were opened with (see `_conn`)
        self._seen: tuple[int, int, int] | None = None  # the file as immutable connections saw it
        self._epoch = 0  # connections of an earlier epoch are replaced when next used
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []

    @classmethod
    def open(cls, folder: str | Path) -> ArchiveReader:
        """A reader for an up-to-date archive; `ArchiveError` naming the problem otherwise."""
        folder = Path(folder).expanduser()
        reader = cls(folder)
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

    def _file_state(self) -> tuple[int, int, int]:
        try:
            st = self.db_path.stat()
        except OSError:
            return (0, 0, 0)
        return (st.st_mtime_ns, st.st_size, _wal_size(self.db_path))

    def _check_immutable(self) -> None:
        """An immutable connection sees the file as it was: once a writer changed it (its
        write-ahead log grew, or the file itself), every thread reconnects with fresh flags."""
        if self.immutable and self._file_state() != self._seen:
            with self._lock:
                if self.immutable:
                    self.immutable = False
                    self._epoch += 1

    def _conn(self) -> sqlite3.Connection:
        self._check_immutable()
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "epoch", 0) != self._epoch:
            with self._lock:
                self._connections = [(t, c) for t, c in self._connections if c is not conn]
            conn.close()
            conn = None
        if conn is None:
            with self._lock:
                flags, immutable = read_only_flags(self.db_path, no_files=self.no_files)
                if immutable and not self.immutable:
                    self.immutable, self._seen = True, self._file_state()
                epoch = self._epoch
            uri = f"file:{quote(str(self.db_path))}?{flags}"
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
            self._local.epoch = epoch
        return conn

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same committed state."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # an I/O error may have ended it: its report stands
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- schema -----------------------------------------------------------------------------
    def revision(self) -> str | None:
        with self._snapshot() as c:
            if not c.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                             "AND name='alembic_version'").fetchone():
                return None
            row = c.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None

    def integrity_problems(self, tables: Iterable[str]) -> list[str]:
        """What is wrong with the database itself: SQLite's own check, and which of
        ``tables`` are missing (read like every other check, not through the ORM)."""
        with self._snapshot() as c:
            rows = [r[0] for r in c.execute("PRAGMA quick_check(5)")]
            have = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        problems = [] if rows == ["ok"] else [f"database damaged: {r}" for r in rows]
        gone = sorted(set(tables) - have)
        if gone:
            problems.append(f"database tables missing: {', '.join(gone)}")
        return problems

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

    def tree(self, volume_ids: Iterable[int] | None = None,
             sections: Iterable[int] | None = None) -> list[VolumeNode]:
        """Volumes → sections → articles with their photo and table counts (of the volumes
        ``volume_ids`` only, when given: a view adding an imported volume reads just that).

        ``sections``: the articles of these sections only; every other section comes as an
        outline, its article count in `SectionNode.unread` (the viewer reads a section's
        articles when it is opened: `section_articles`)."""
        only = None if volume_ids is None else sorted(set(volume_ids))
        where = "" if only is None else \
            f" WHERE volume_id IN ({','.join(str(int(v)) for v in only)})"
        with self._snapshot() as c:
            vols = self._volumes(c)
            if only is not None:
                vols = [v for v in vols if v.id in only]
            by_volume: dict[int, list[tuple[int, str]]] = {}
            for sid, vid, title in c.execute(
                    f"SELECT id, volume_id, title FROM sections{where} ORDER BY volume_id, ord"):
                by_volume.setdefault(vid, []).append((sid, title))
            events = dict(c.execute(f"SELECT section_id, count(*) FROM events{where} "
                                    "GROUP BY section_id"))
            unread: dict[int, int] = {}
            if sections is None:
                articles = self._article_nodes(c, where, where)
            else:
                read = sorted({int(s) for s in sections})
                articles = self._sections_articles(c, read)
                unread = {sid: n for sid, n in c.execute(
                    f"SELECT section_id, count(*) FROM articles{where} GROUP BY section_id")
                    if sid not in articles}
        return [VolumeNode(v, tuple(SectionNode(sid, title, tuple(articles.get(sid, ())),
                                                events.get(sid, 0), unread.get(sid, 0))
                                    for sid, title in by_volume.get(v.id, ())))
                for v in vols]

    def section_articles(self, section_ids: Iterable[int]) -> dict[int, tuple[ArticleNode, ...]]:
        """The articles of these sections (each in order, with photo and table counts)."""
        with self._snapshot() as c:
            found = self._sections_articles(c, sorted({int(s) for s in section_ids}))
        return {sid: tuple(nodes) for sid, nodes in found.items()}

    def section_of(self, article_id: int) -> int | None:
        """The section an article is in (None: no such article)."""
        with self._snapshot() as c:
            row = c.execute("SELECT section_id FROM articles WHERE id = ?",
                            (int(article_id),)).fetchone()
        return row[0] if row else None

    def most_media(self) -> tuple[int, int]:
        """The most photos and the most tables any one article has (what the widest counts
        of a contents not yet read in full can be)."""
        with self._snapshot() as c:
            return tuple(c.execute(f"SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM "
                                   f"{table} GROUP BY article_id)").fetchone()[0]
                         for table in ("photos", "data_tables"))  # type: ignore[return-value]

    def _sections_articles(self, c: sqlite3.Connection, section_ids: list[int]
                           ) -> dict[int, list[ArticleNode]]:
        found: dict[int, list[ArticleNode]] = {sid: [] for sid in section_ids}
        for chunk in _chunks(section_ids):
            chosen = f" WHERE section_id IN ({_marks(chunk)})"
            media = f" WHERE article_id IN (SELECT id FROM articles{chosen})"
            found.update(self._article_nodes(c, chosen, media, tuple(chunk)))
        return found

    @staticmethod
    def _article_nodes(c: sqlite3.Connection, where: str, media_where: str,
                       params: Sequence[object] = ()) -> dict[int, list[ArticleNode]]:
        """The articles ``where`` picks, by section and in order, with their photo and table
        counts (``media_where``: the photos and tables to count, a superset will do)."""
        photos = dict(c.execute(f"SELECT article_id, count(*) FROM photos{media_where} "
                                "GROUP BY article_id", params))
        tables = dict(c.execute(f"SELECT article_id, count(*) FROM data_tables{media_where} "
                                "GROUP BY article_id", params))
        articles: dict[int, list[ArticleNode]] = {}
        for aid, sid, title in c.execute(
                f"SELECT id, section_id, title FROM articles{where} ORDER BY section_id, ord",
                params):
            articles.setdefault(sid, []).append(
                ArticleNode(aid, title, photos.get(aid, 0), tables.get(aid, 0)))
        return articles

    def stats(self) -> dict[str, int]:
        with self._snapshot() as c:
            return {name: c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for name, table in (("volumes", "volumes"), ("articles", "articles"),
                                        ("photos", "photos"), ("tables", "data_tables"))}

    def departments(self) -> list[DepartmentInfo]:
        """Every department with its aliases and the number of records it signs."""
        with self._snapshot() as c:
            counts: dict[int, int] = {}
            for table in ("articles", "photos", "data_tables", "event_departments"):
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

    def photo_ids(self, images_first: bool = False) -> list[int]:
        """Every photo in reading order (volume, article, position); with ``images_first``,
        those with an attached image before those without (each group in reading order)."""
        first = "image_sha256 IS NULL, " if images_first else ""
        # one row of all the ids, not a row each: each row is a short C call that lets go of
        # the interpreter lock and takes it straight back, and a waiting GUI thread does not
        # get it in between (25,000 rows held it off for 50 ms after each import)
        with self._snapshot() as c:
            (joined,) = c.execute(
                "SELECT group_concat(id) FROM (SELECT id FROM photos "
                f"ORDER BY {first}volume_id, article_id, ord)").fetchone()
        parts = joined.split(",") if joined else []
        ids: list[int] = []
        for i in range(0, len(parts), 2000):  # in steps, each well under a millisecond
            ids.extend(map(int, parts[i:i + 2000]))
        return ids

    def table(self, table_id: int) -> TableView:
        with self._snapshot() as c:
            found = self._tables(c, "t.id = ?", (table_id,))
        if not found:
            raise NotFoundError(f"no table {table_id}")
        return found[0]

    def hit_sources(self, ids: dict[str, list[int]]) -> dict[str, HitSource]:
        """What a search hit shows, by rid (``a:ID``, ``p:ID``, ``t:ID``), for the articles,
        photos and tables asked (``ids`` by kind letter); its ``parts`` are the record's
        searchable text (`sipviewer.model.searchtext`), as the index holds it."""
        out: dict[str, HitSource] = {}
        with self._snapshot() as c:
            for prefix, wanted in ids.items():
                kind = _PREFIX_KIND[prefix]
                for r in self._record_rows(c, kind, list(wanted)):
                    title = r.text.body[0] if kind == "event" else r.text.title  # its text
                    out[f"{prefix}:{r.id}"] = HitSource(
                        kind, r.id, title, r.text.snippet_parts, r.volume_label,
                        r.volume_id, r.date_start, r.date_end, r.department, r.article_id)
        return out

    def raw_records(self, volume_ids: Iterable[int] | None = None,
                    rids: Iterable[str] | None = None,
                    conn: sqlite3.Connection | None = None) -> list[RawRecord]:
        """The index's source rows: every record (or those of some volumes, or some rids) as
        ``(rid, kind, volume_id, title, body parts, [department], date_start, date_end)``,
        in kind then id order, not yet normalised (the search layer does that).

        ``conn``: read inside a writer's open transaction (its rows not yet committed), so
        the index change can be prepared before the database commits."""
        wanted: dict[str, set[int]] | None = None
        if rids is not None:
            wanted = {}
            for rid in rids:
                prefix, _, num = rid.partition(":")
                wanted.setdefault(_PREFIX_KIND[prefix], set()).add(int(num))
        vols = sorted(set(volume_ids)) if volume_ids is not None else None
        out: list[RawRecord] = []
        with (nullcontext(conn) if conn is not None else self._snapshot()) as c:
            for kind, table in _KIND_TABLE.items():
                if wanted is not None:
                    ids = sorted(wanted.get(kind, ()))
                elif vols is not None:
                    ids = [i for chunk in _chunks(vols) for (i,) in c.execute(
                        f"SELECT id FROM {table} WHERE volume_id IN ({_marks(chunk)})", chunk)]
                    ids.sort()
                else:
                    ids = [i for (i,) in c.execute(f"SELECT id FROM {table} ORDER BY id")]
                prefix = _KIND_PREFIX[kind]
                out.extend((f"{prefix}:{r.id}", kind, r.volume_id, r.text.title, list(r.text.body),
                            list(r.departments) or [r.department], r.date_start, r.date_end)
                           for r in self._record_rows(c, kind, ids))
        return out

    def _record_rows(self, c: sqlite3.Connection, kind: str, ids: list[int]) -> list[_RecordRow]:
        """The searchable text and the hit's details of records of one kind, in id order."""
        main_sql, extra_sql = _RECORD_SQL[kind]
        out: list[_RecordRow] = []
        for chunk in _chunks(ids):
            marks = _marks(chunk)
            extra = self._grouped(c, extra_sql.format(marks=marks), chunk)
            if kind == "photo":  # catalogue fields searched like tags: location, title
                for pid, *values in c.execute(
                        f"SELECT id, location, title FROM photos WHERE id IN ({marks}) "
                        "AND (location IS NOT NULL OR title IS NOT NULL)", chunk):
                    extra.setdefault(pid, []).extend(v for v in values if v)
            for (rid, title, a, b, vid, vtitle, edition, d0, d1, dept, aid) in c.execute(
                    main_sql.format(marks=marks), chunk):
                more = extra.get(rid, ())
                if kind == "article":
                    text = article_text(title, more, a, b)
                elif kind == "photo":
                    text = photo_text(title, a, more, b)
                elif kind == "table":
                    text = table_text(title, _json_loads(a), more, b)
                else:
                    text, dept = event_text(title), more[0] if more else None
                out.append(_RecordRow(rid, text, vid, volume_label(vtitle, edition), _date(d0),
                                      _date(d1), dept, aid,
                                      tuple(more) if kind == "event" else ()))
        return out

    @staticmethod
    def _grouped(c: sqlite3.Connection, sql: str, chunk: list[int]) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = {}
        for key, text in c.execute(sql, chunk):
            grouped.setdefault(key, []).append(text)
        return grouped

    # -- archive housekeeping (read side) ---------------------------------------------------
    def generation(self) -> int:
        """The database's change counter (the index records which one it reflects)."""
        with self._snapshot() as c:
            row = c.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def record_count(self) -> int:
        with self._snapshot() as c:
            return sum(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                       for table in _KIND_TABLE.values())

    def image_files(self) -> list[tuple[int, str, str | None]]:
        """(photo id, sha256, extension) of every photo with an attached image."""
        with self._snapshot() as c:
            return list(c.execute("SELECT id, image_sha256, image_ext FROM photos "
                                  "WHERE image_sha256 IS NOT NULL ORDER BY id"))

    def photo_history(self, photo_id: int) -> list[tuple[datetime, str, str | None, str | None]]:
        """(when, field, old value, new value) of every change to a photo, oldest first."""
        with self._snapshot() as c:
            return [(datetime.fromisoformat(when), field, old, new)
                    for when, field, old, new in c.execute(
                        "SELECT changed_at, field, old_value, new_value FROM photo_changes "
                        "WHERE photo_id = ? ORDER BY id", (photo_id,))]

    def photo_changes(self, photo_id: int) -> list[tuple[int | None, datetime, str, str, str,
                                                         str | None, str | None]]:
        """(change set, when, who, action, field, old value, new value) of every change to a
        photo, oldest first; `NotFoundError` for a photo that does not exist."""
        with self._snapshot() as c:
            if c.execute("SELECT 1 FROM photos WHERE id = ?", (photo_id,)).fetchone() is None:
                raise NotFoundError(f"no photo {photo_id}")
            rows = c.execute(
                "SELECT pc.change_set_id, pc.changed_at, cs.user, cs.action, pc.field, "
                "pc.old_value, pc.new_value FROM photo_changes pc "
                "LEFT JOIN change_sets cs ON cs.id = pc.change_set_id "
                "WHERE pc.photo_id = ? ORDER BY pc.id", (photo_id,)).fetchall()
        return [(cs, datetime.fromisoformat(when), user or "", action or "edit", field, old, new)
                for cs, when, user, action, field, old, new in rows]

    # -- 大事记 events -------------------------------------------------------------------------
    def events(self, section_id: int) -> list[EventView]:
        """A section's events in printed order."""
        with self._snapshot() as c:
            return self._events(c, "e.section_id = ? ORDER BY e.ord", (section_id,))

    def event(self, event_id: int) -> EventView:
        with self._snapshot() as c:
            found = self._events(c, "e.id = ?", (event_id,))
        if not found:
            raise NotFoundError(f"no event {event_id}")
        return found[0]

    def events_on_day(self, month: int, day: int) -> list[EventView]:
        """Every event of every volume that happened on this day of its year ("this day in
        the archive's years"), oldest first."""
        md = f"{month:02d}-{day:02d}"
        with self._snapshot() as c:
            return self._events(
                c, "e.date_start IS NOT NULL AND strftime('%m-%d', e.date_start) <= ? "
                "AND ? <= strftime('%m-%d', e.date_end) AND strftime('%Y', e.date_start) = "
                "strftime('%Y', e.date_end) ORDER BY e.date_start, e.volume_id, e.ord", (md, md))

    def _events(self, c: sqlite3.Connection, where: str, params: Sequence[object]
                ) -> list[EventView]:
        rows = c.execute(
            "SELECT e.id, e.volume_id, v.title, v.edition_year, e.section_id, e.date_start, "
            "e.date_end, e.text, e.page FROM events e JOIN volumes v ON v.id = e.volume_id "
            f"WHERE {where}", params).fetchall()
        ids = [r[0] for r in rows]
        named: dict[int, list[str]] = {}
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            named.update(self._grouped(
                c, "SELECT ed.event_id, d.name FROM event_departments ed JOIN departments d "
                f"ON d.id = ed.department_id WHERE ed.event_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY ed.event_id, d.name", chunk))
        return [EventView(eid, vid, volume_label(vtitle, edition), sid, _date(d0), _date(d1),
                          text, page, tuple(named.get(eid, ())))
                for eid, vid, vtitle, edition, sid, d0, d1, text, page in rows]

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
             credit_kind, dept, page, sha, ext, notes, revision, title, location, rights,
             image_name) in rows:
            image = str(images / f"{sha}{ext or ''}") if sha else None
            out.append(PhotoView(pid, aid, atitle, vid, volume_label(vtitle, edition), caption,
                                 _date(d0), _date(d1), precision, credit, credit_kind, dept,
                                 page, image, tuple(sorted(tags.get(pid, ()))), notes, revision,
                                 title, location, rights, image_name))
        return out

    @staticmethod
    def _tables(c: sqlite3.Connection, where: str, params: Sequence[object]) -> list[TableView]:
        out = []
        for (tid, aid, atitle, vtitle, edition, number, title, columns_json, n_rows,
             attribution, page) in c.execute(f"{_TABLE_SELECT} WHERE {where}",
                                             params).fetchall():
            columns = tuple(_json_loads(columns_json))
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

