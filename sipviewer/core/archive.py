"""The archive facade: the one object the command line and the viewer talk to.

An archive is a folder: ``archive.sqlite`` (the source of truth), ``index/`` (derived search
index), ``images/`` and ``thumbnails/``. `Archive.open` upgrades the database (after a
backup) and checks the index, rebuilding or reconciling it when it is missing, damaged or
behind the database. Every method returns frozen dataclasses, never ORM rows.

Thread use: reads may come from any thread; writes (import, edits, rebuild) are serialised
by a lock, so the UI runs them on one writer thread.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from sipviewer.core.browse import Browse
from sipviewer.core.paths import SAMPLE_EDITION, SAMPLE_TITLE, sample_path
from sipviewer.ingest.dates import parse_filter_date
from sipviewer.model.departments import canonical
from sipviewer.model.errors import ArchiveError, InputError, NotFoundError
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.ops import CancelToken
from sipviewer.model.types import (
    ArticleView,
    CheckReport,
    DepartmentInfo,
    PhotoView,
    SearchHit,
    SearchResults,
    TableView,
    VolumeInfo,
    VolumeNode,
)
from sipviewer.search.index import SORTS, Filters, IndexHealth, SearchIndex
from sipviewer.search.query import check_text, parse_query
from sipviewer.search.records import make_records
from sipviewer.search.snippets import snippet
from sipviewer.search.store import IndexDamaged
from sipviewer.storage import db
from sipviewer.storage.importer import ImportOutcome, PreparedVolume, bump_generation, write_volumes
from sipviewer.storage.models import (
    Meta,
    Photo,
    PhotoChange,
    PhotoTag,
)
from sipviewer.storage.reader import DB_NAME

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class OpenReport:
    created: bool
    backup: Path | None
    index: IndexHealth
    index_action: str  # none | rebuilt | reconciled
    seconds: float


class Archive:
    def __init__(self, path: Path, engine, read_only: bool) -> None:  # type: ignore[no-untyped-def]
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.Session = db.session_factory(engine)
        self.reader = Browse(path)  # every read goes through the plain-SQL browse view
        self._index: SearchIndex | None = None
        self.index_progress: Progress | None = None  # told while a deferred index opens
        self._write_lock = threading.RLock()
        self._tmp_index: Path | None = None
        self.open_report: OpenReport | None = None

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, read_only: bool = False,
             progress: Progress | None = None, defer_index: bool = False) -> Archive:
        """Open (or create) an archive.

        With ``defer_index`` the search index is opened (and checked, rebuilt if need be)
        the first time it is used, so a window can show the contents sooner.
        """
        started = time.perf_counter()
        path = Path(path).expanduser()
        db_path = path / DB_NAME
        created = not db_path.exists()
        if created and (read_only or not create):
            raise ArchiveError(f"{path}: no archive here (no {DB_NAME})")
        if path.exists() and not path.is_dir():
            raise ArchiveError(f"{path}: is a file, not an archive folder")
        if not read_only:
            try:
                for sub in ("", "images", "thumbnails"):
                    (path / sub).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveError(f"{path}: cannot create the archive folder ({exc.strerror})") \
                    from None
        engine = db.open_engine(db_path, read_only=read_only)
        backup = None
        try:
            if read_only:
                if db.current_revision(engine) != db.head_revision():
                    raise ArchiveError(f"{db_path}: the database needs an upgrade; open it once "
                                       "without --kiosk")
            else:
                backup = db.upgrade(engine, db_path)
        except ArchiveError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            raise ArchiveError(f"{db_path}: cannot open the database ({exc})") from None
        archive = cls(path, engine, read_only)
        if defer_index:
            archive.index_progress = progress
            health, action = IndexHealth("deferred", "opened when first used"), "none"
        else:
            health, action = archive._open_index(progress)
        archive.open_report = OpenReport(created, backup, health, action,
                                         time.perf_counter() - started)
        return archive

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (checked, repaired) on first use when deferred."""
        if self._index is None:
            with self._write_lock:
                if self._index is None:
                    health, action = self._open_index(self.index_progress)
                    if self.open_report is not None:
                        self.open_report = OpenReport(
                            self.open_report.created, self.open_report.backup, health, action,
                            self.open_report.seconds)
        assert self._index is not None
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self.engine.dispose()
        self.reader.close()
        if self._tmp_index is not None:
            shutil.rmtree(self._tmp_index, ignore_errors=True)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def db_generation(self, session: Session | None = None) -> int:
        """The database's change counter: inside a write transaction through its session,
        otherwise through the read path."""
        if session is None:
            return self.reader.generation()
        meta = session.get(Meta, "generation")
        return int(meta.value) if meta else 0

    def _open_index(self, progress: Progress | None) -> tuple[IndexHealth, str]:
        index_dir = self.path / "index"
        self._index = SearchIndex(index_dir)
        health = self._index.open()
        if self.read_only and health.state != "ok":
            # a kiosk never writes: build a private index in a temporary folder
            self._tmp_index = Path(tempfile.mkdtemp(prefix="sipviewer-index-"))
            self._index = SearchIndex(self._tmp_index / "index")
            self.rebuild_index(progress)
            return health, "rebuilt"
        if health.state in ("missing", "corrupt"):
            self.rebuild_index(progress)
            return health, "rebuilt"
        if self.index.generation != self.db_generation():
            if self.read_only:
                return IndexHealth("stale", "index behind database"), "none"
            self.reconcile(progress)
            return IndexHealth("stale", "index behind database"), "reconciled"
        return health, "none"

    def rebuild_index(self, progress: Progress | None = None) -> None:
        with self._write_lock:
            generation = self.reader.generation()
            if progress:
                progress(0, self.reader.record_count(), "reading the archive")
            raws = self.reader.raw_records()
        self.index.rebuild(None, generation, progress, len(raws), raws=raws)

    def reconcile(self, progress: Progress | None = None) -> tuple[int, int]:
        """Bring the index in line with the database by set difference; (added, removed)."""
        with self._write_lock:
            generation = self.reader.generation()
            if progress:
                progress(0, 1, "comparing index and database")
            fresh = {r.rid: r for r in make_records(self.reader.raw_records())}
        have = self.index.digests()
        added = [r for rid, r in fresh.items() if have.get(rid) != r.digest()]
        removed = [rid for rid in have if rid not in fresh]
        self.index.apply(added, removed, generation)
        if progress:
            progress(1, 1, "comparing index and database")
        return len(added), len(removed)

    # -- import -----------------------------------------------------------------------------
    def import_files(self, paths: Iterable[str | Path], *, replace: bool = False,
                     title: str | None = None, year: int | None = None,
                     progress: Progress | None = None) -> list[ImportOutcome]:
        """Parse every file first, then write them all in one transaction (all or nothing).

        The cyclic garbage collector is paused meanwhile (`collector_paused`): parsing and
        writing make hundreds of thousands of objects without cycles, and each full collection
        over a viewer's heap held the interpreter lock for 40–55 ms, felt by the GUI thread.
        """
        self._check_writable()
        with collector_paused():
            return self._import_files([Path(p) for p in paths], replace, title, year, progress)

    def _import_files(self, files: list[Path], replace: bool, title: str | None,
                      year: int | None, progress: Progress | None) -> list[ImportOutcome]:
        prepared: list[PreparedVolume] = []
        for k, p in enumerate(files):
            if progress:
                progress(k, len(files) + 1, f"parsing {p.name}")
            prepared.append(prepare_volume(p, title=title, year=year))
        if progress:
            progress(len(files), len(files) + 1, "writing the archive")
        with self._write_lock:
            with self.Session.begin() as session:
                outcomes, added, removed = write_volumes(session, prepared, replace=replace)
                generation = self.db_generation(session)
            if added or removed:
                records = make_records(self.reader.raw_records(volume_ids=added))
                gone = set(removed)
                removed_rids = [rid for rid, meta in self.index.store.meta.items()
                                if meta.volume_id in gone]
                self.index.apply(records, removed_rids, generation)
        if progress:
            progress(len(files) + 1, len(files) + 1, "done")
        return outcomes

    def _check_writable(self) -> None:
        if self.read_only:
            raise ArchiveError(f"{self.path}: opened read-only")

    # -- browsing (plain SQL through `Browse`, see sipviewer.core.browse) ------------------
    def volumes(self) -> list[VolumeInfo]:
        return self.reader.volumes()

    def tree(self) -> list[VolumeNode]:
        """Volumes → sections → articles with their photo and table counts."""
        return self.reader.tree()

    def article(self, article_id: int) -> ArticleView:
        return self.reader.article(article_id)

    def photo(self, photo_id: int) -> PhotoView:
        return self.reader.photo(photo_id)

    def table(self, table_id: int) -> TableView:
        return self.reader.table(table_id)

    def photo_views(self, ids: list[int]) -> list[PhotoView]:
        """Several photos at once, in the order asked."""
        return self.reader.photos(ids)

    def photos_matching(self, query: str, filters: Filters | None = None,
                        sort: str = "relevance", cancel: CancelToken | None = None
                        ) -> list[PhotoView]:
        """Every photo the query and filters match, best first or in ``sort`` order (the
        gallery)."""
        base = filters or Filters()
        only_photos = Filters(base.date_from, base.date_to, base.departments, ("photo",),
                              base.volumes)
        outcome = self._index_search(parse_query(query), only_photos, 0, cancel, sort)
        if cancel is not None:
            cancel.check()
        return self.photo_views([int(h.rid.split(":")[1]) for h in outcome.hits])

    def photo_ids(self) -> list[int]:
        return self.reader.photo_ids()

    def departments(self) -> list[DepartmentInfo]:
        return self.reader.departments()

    def dept_aliases(self) -> dict[str, tuple[str, ...]]:
        return {d.name: d.aliases for d in self.reader.departments() if d.aliases}

    def resolve_department(self, name: str) -> str | None:
        """The canonical department a name or alias means (None if the archive has none)."""
        clean = canonical(name)
        departments = self.reader.departments()
        if any(d.name == clean for d in departments):
            return clean
        return next((d.name for d in departments if clean.strip() in d.aliases), None)

    def stats(self) -> dict[str, int]:
        return self.reader.stats()

    # -- search -----------------------------------------------------------------------------
    def make_filters(self, *, date_from: str | None = None, date_to: str | None = None,
                     departments: Iterable[str] = (), kinds: Iterable[str] = (),
                     volumes: Iterable[str | int] = ()) -> Filters:
        """Filters from user text; raises `InputError`-like `QueryError` for bad values."""
        from sipviewer.model.errors import QueryError

        try:
            lo = parse_filter_date(date_from) if date_from else None
            hi = parse_filter_date(date_to, end=True) if date_to else None
        except ValueError as exc:
            raise QueryError(str(exc)) from None
        if lo and hi and lo > hi:
            raise QueryError(f"--from {date_from} is after --to {date_to}")
        kinds = tuple(kinds)
        for k in kinds:
            if k not in ("article", "photo", "table"):
                raise QueryError(f"unknown kind {k!r}: use article, photo or table")
        depts = []
        for name in departments:
            check_text(name, "the department name")
            if not name.strip():
                raise QueryError("the department name is empty: give a name, e.g. 园区新闻中心")
            resolved = self.resolve_department(name)
            depts.append(resolved or canonical(name))
        vol_ids = [self._resolve_volume(v) for v in volumes]
        return Filters(lo, hi, tuple(depts), kinds, tuple(vol_ids))

    def _resolve_volume(self, value: str | int) -> int:
        from sipviewer.model.errors import QueryError

        text = str(value).strip()
        vols = self.volumes()
        for v in vols:
            if text in (str(v.id), str(v.edition_year), v.label, v.title):
                return v.id
        raise QueryError(f"no volume {text!r} (volumes: "
                         + ", ".join(f"{v.id}={v.label}" for v in vols) + ")")

    def search(self, query: str, filters: Filters | None = None, limit: int = 20,
               snippet_width: int = 36, cancel: CancelToken | None = None,
               sort: str = "relevance") -> SearchResults:
        """Ranked hits with snippets and facets; best first, or by ``sort``: ``date``
        (old → new), ``-date`` (new → old), ``volume`` (the archive's order). With ``cancel``,
        a search a newer one superseded stops at its next long step with `Cancelled`."""
        from sipviewer.model.errors import QueryError

        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use " + ", ".join(SORTS))
        parsed = parse_query(query)
        outcome = self._index_search(parsed, filters or Filters(), limit, cancel, sort)
        if cancel is not None:
            cancel.check()
        hits = self.describe_hits(outcome.hits, list(outcome.terms), snippet_width)
        return SearchResults(outcome.total, tuple(hits), outcome.facets, outcome.terms,
                             outcome.elapsed_ms)

    def _index_search(self, parsed, filters: Filters, limit: int,  # type: ignore[no-untyped-def]
                      cancel: CancelToken | None = None, sort: str = "relevance"):
        try:
            return self.index.search(parsed, filters, limit, self.dept_aliases(), cancel, sort)
        except IndexDamaged:
            if self.read_only:
                raise
            self.rebuild_index()  # found damaged in use: rebuild from the database, retry
            return self.index.search(parsed, filters, limit, self.dept_aliases(), cancel, sort)

    def describe_hits(self, ranked, terms: list[str], width: int = 36) -> list[SearchHit]:  # type: ignore[no-untyped-def]
        """Titles, snippets, dates and departments of ranked hits (a query or two per kind)."""
        ids: dict[str, list[int]] = {"a": [], "p": [], "t": []}
        for h in ranked:
            kind, num = h.rid.split(":")
            ids[kind].append(int(num))
        sources = self.reader.hit_sources(ids)
        out = []
        for h in ranked:
            src = sources.get(h.rid)
            if src is not None:
                out.append(SearchHit(src.kind, src.id, h.rid, src.title,
                                     snippet(list(src.parts), terms, width), src.volume_label,
                                     src.volume_id, src.date_start, src.date_end, src.department,
                                     src.article_id, h.score, h.title_match))
        return out

    # -- cataloguing ------------------------------------------------------------------------
    def update_photo(self, photo_id: int, *, caption: str | None = None,
                     credit: str | None = None, credit_kind: str | None = None,
                     date_start: date | None = None, date_end: date | None = None,
                     date_precision: str | None = None, notes: str | None = None,
                     tags: Iterable[str] | None = None, expected_revision: int | None = None
                     ) -> PhotoView:
        """Change a photo's catalogue fields; every change is kept in its history.

        ``expected_revision`` guards against overwriting someone else's newer edit.
        """
        self._check_writable()
        from sipviewer.storage.importer import DepartmentCache

        with self._write_lock:
            with self.Session.begin() as s:
                p = s.get(Photo, photo_id)
                if p is None:
                    raise NotFoundError(f"no photo {photo_id}")
                if expected_revision is not None and p.revision != expected_revision:
                    raise ArchiveError(f"photo {photo_id} was changed elsewhere (revision "
                                       f"{p.revision}, expected {expected_revision}); reload it")
                now = datetime.now()
                changes: list[tuple[str, object, object]] = []

                def setf(field: str, value: object) -> None:
                    old = getattr(p, field)
                    if value is not None and value != old:
                        changes.append((field, old, value))
                        setattr(p, field, value)

                if caption is not None and not caption.strip():
                    raise InputError(f"photo {photo_id}", "the caption cannot be empty")
                setf("caption", caption.strip() if caption is not None else None)
                setf("credit", credit.strip() if credit is not None else None)
                setf("credit_kind", credit_kind)
                setf("date_start", date_start)
                setf("date_end", date_end)
                setf("date_precision", date_precision)
                setf("notes", notes)
                if p.date_start and p.date_end and p.date_start > p.date_end:
                    raise InputError(f"photo {photo_id}", "the date range ends before it starts")
                if credit is not None:
                    kind = "photographer" if p.credit_kind == "photographer" else "supplier"
                    dept = DepartmentCache(s).get(p.credit, kind)
                    p.department_id = dept.id if dept else None
                if tags is not None:
                    new_tags = sorted({t.strip() for t in tags if t.strip()})
                    old_tags = sorted(t.tag for t in p.tags)
                    if new_tags != old_tags:
                        changes.append(("tags", ",".join(old_tags), ",".join(new_tags)))
                        p.tags = [PhotoTag(tag=t) for t in new_tags]
                if not changes:
                    return self.reader.photo(photo_id)
                for field_name, old, new in changes:
                    s.add(PhotoChange(photo_id=p.id, changed_at=now, field=field_name,
                                      old_value=None if old is None else str(old),
                                      new_value=None if new is None else str(new)))
                p.revision += 1
                p.updated_at = now
                generation = bump_generation(s)
            records = make_records(self.reader.raw_records(rids=[f"p:{photo_id}"]))
            self.index.apply(records, [], generation)
            return self.reader.photo(photo_id)

    def photo_history(self, photo_id: int) -> list[tuple[datetime, str, str | None, str | None]]:
        return self.reader.photo_history(photo_id)

    def attach_image(self, photo_id: int, image: str | Path) -> PhotoView:
        """Copy an image file into the archive (content-addressed) and attach it to a photo."""
        self._check_writable()
        from sipviewer.media.images import check_image

        src = Path(image)
        ext = check_image(src)
        digest = hashlib.sha256(src.read_bytes()).hexdigest()
        target = self.path / "images" / f"{digest}{ext}"
        if not target.exists():
            tmp = target.with_suffix(target.suffix + ".part")
            shutil.copyfile(src, tmp)
            tmp.replace(target)
        with self._write_lock, self.Session.begin() as s:
            p = s.get(Photo, photo_id)
            if p is None:
                raise NotFoundError(f"no photo {photo_id}")
            old = p.image_sha256
            p.image_sha256, p.image_ext = digest, ext
            p.revision += 1
            p.updated_at = datetime.now()
            s.add(PhotoChange(photo_id=p.id, changed_at=p.updated_at, field="image",
                              old_value=old, new_value=digest))
        return self.reader.photo(photo_id)

    # -- checking ---------------------------------------------------------------------------
    def check(self, repair: bool = False, progress: Progress | None = None) -> CheckReport:
        """Compare database, index and image files; with ``repair``, fix the index."""
        problems: list[str] = []
        repaired: list[str] = []
        health = self.index.open() if not self.index.is_open else IndexHealth("ok")
        if health.state != "ok":
            problems.append(f"search index {health.state}: {health.detail}")
        fresh = {r.rid: r.digest() for r in make_records(self.reader.raw_records())}
        generation = self.reader.generation()
        images = self.reader.image_files()
        have: dict[str, str] = {}
        if health.state == "ok":
            try:
                have = self.index.digests()
            except IndexDamaged as exc:
                health = IndexHealth("corrupt", str(exc))
                problems.append(f"search index corrupt: {exc}")
        missing = sorted(set(fresh) - set(have))
        extra = sorted(set(have) - set(fresh))
        changed = sorted(rid for rid in set(fresh) & set(have) if fresh[rid] != have[rid])
        if health.state == "ok":
            if missing:
                problems.append(f"{len(missing)} records missing from the index "
                                f"(e.g. {', '.join(missing[:3])})")
            if extra:
                problems.append(f"{len(extra)} index records no longer in the database "
                                f"(e.g. {', '.join(extra[:3])})")
            if changed:
                problems.append(f"{len(changed)} index records out of date "
                                f"(e.g. {', '.join(changed[:3])})")
            if self.index.generation != generation and not (missing or extra or changed):
                problems.append(f"index generation {self.index.generation} != database "
                                f"generation {generation}")
        for pid, digest, ext in images:
            f = self.path / "images" / f"{digest}{ext or ''}"
            if not f.exists():
                problems.append(f"photo {pid}: image file {f.name} is missing")
        if repair and not self.read_only:
            if health.state != "ok":
                self.rebuild_index(progress)
                repaired.append("rebuilt the search index")
            elif missing or extra or changed or self.index.generation != generation:
                added, removed = self.reconcile(progress)
                repaired.append(f"updated the search index ({added} added or changed, "
                                f"{removed} removed)")
        return CheckReport(tuple(problems), tuple(repaired), len(fresh), len(have))


def prepare_volume(path: Path, *, title: str | None = None, year: int | None = None
                   ) -> PreparedVolume:
    """Read, checksum and parse one file (no database access)."""
    from sipviewer.ingest.decode import read_text  # the parser loads only when importing
    from sipviewer.ingest.parser import parse_text

    text, encoding = read_text(path)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        doc = parse_text(text, path.name, encoding)
    except InputError as exc:
        raise InputError(path, exc.problem) from None
    if doc.volume_title:  # the text names its volume: that wins
        vol_title, edition, covered = doc.volume_title, doc.edition_year, doc.covered_year
    else:
        vol_title = title or path.stem
        edition = year if year is not None else doc.edition_year
        covered = edition - 1 if year is not None and edition is not None else doc.covered_year
    return PreparedVolume(str(path), checksum, doc, vol_title, edition, covered, len(text))


def open_default(path: Path, progress: Progress | None = None) -> tuple[Archive, list[ImportOutcome]]:
    """Open the default archive, building it from the bundled sample on first start."""
    archive = Archive.open(path, progress=progress)
    outcomes: list[ImportOutcome] = []
    if not archive.volumes() and not archive.read_only:
        outcomes = archive.import_files([sample_path()], title=SAMPLE_TITLE, year=SAMPLE_EDITION,
                                        progress=progress)
    return archive, outcomes
