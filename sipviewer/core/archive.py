"""The archive facade: the one object the command line and the viewer talk to.

An archive is a folder: ``archive.sqlite`` (the source of truth), ``index/`` (derived search
index), ``images/`` and ``thumbnails/``. `Archive.open` upgrades the database (after a
backup) and checks the index, rebuilding or reconciling it when it is missing, damaged or
behind the database. Every method returns frozen dataclasses, never ORM rows.

Thread use: reads may come from any thread; writes (import, edits, rebuild) are serialised
by a lock, so the UI runs them on one writer thread.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import wait as futures_wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sipviewer.core.browse import Browse
from sipviewer.core.catalogue import Catalogue, Edit, HistoryEntry
from sipviewer.core.childimport import ChildImport
from sipviewer.core.paths import SAMPLE_EDITION, SAMPLE_TITLE, sample_path
from sipviewer.core.pipeline import (
    Workers,
    parse_volume,
    parsed_volumes,
    record_texts,
    text_pairs,
)
from sipviewer.core.writelock import WriterLock
from sipviewer.ingest.dates import parse_filter_date
from sipviewer.model.departments import canonical
from sipviewer.model.errors import (
    ArchiveError,
    EnvironmentFailure,
    InputError,
    SipviewerError,
    describe_os_error,
)
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.memory import release_memory
from sipviewer.model.ops import CancelToken
from sipviewer.model.searchtext import parsed_texts
from sipviewer.model.types import (
    ArticleView,
    CheckReport,
    DepartmentInfo,
    EventView,
    PhotoView,
    SearchHit,
    SearchResults,
    TableView,
    VolumeInfo,
    VolumeNode,
)
from sipviewer.search import grams
from sipviewer.search.index import (
    PARALLEL_FROM,
    SORTS,
    Filters,
    IndexHealth,
    MadeBatch,
    SearchIndex,
)
from sipviewer.search.query import Query, check_text, parse_query
from sipviewer.search.records import SearchRecord, make_records, segment_ahead
from sipviewer.search.snippets import snippet, stored_norms
from sipviewer.search.store import IndexDamaged, is_log_file
from sipviewer.storage import db
from sipviewer.storage.importer import (
    ImportOutcome,
    PreparedVolume,
    find_existing,
    write_volumes,
)
from sipviewer.storage.models import (
    Article,
    DataTable,
    Event,
    Meta,
    Photo,
    Volume,
)
from sipviewer.storage.reader import DB_NAME

Progress = Callable[[int, int, str], None]
INDEX_BATCH_CHARS = 3_000_000  # an import indexes about this much text per segment (its worker
# takes 100–130 MB for it; 30 volumes make 12 segments, below the compaction threshold)
HALVES_FROM = 800_000  # a volume alone with this much text is indexed as two segments at once
log = logging.getLogger(__name__)


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
        # the write-ahead log folded into the file beside the writing, not by it
        self._checkpointer = None if read_only else db.Checkpointer(path / DB_NAME)
        self.Session = db.session_factory(engine, self._checkpointer)
        # every read: the plain-SQL view (read-only: no SQLite files made beside the database)
        self.reader = Browse(path, no_files=read_only)
        self._index: SearchIndex | None = None
        self._catalogue: Catalogue | None = None
        self._index_opening: int | None = None  # the thread opening a deferred index
        self.index_progress: Progress | None = None  # told while a deferred index opens
        self._write_lock = threading.RLock()
        self.writer_lock = None if read_only else WriterLock(path, _say_waiting)
        self._tmp_index: Path | None = None
        self._workers: Workers | None = None
        self._aliases: tuple[int | None, dict[str, tuple[str, ...]]] | None = None
        self._children: set[ChildImport] = set()  # imports running in child processes
        self.open_report: OpenReport | None = None
        self._preload = True  # the index's texts and search view made when it opens

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, read_only: bool = False,
             progress: Progress | None = None, defer_index: bool = False,
             on_wait: Callable[[str], None] | None = None, preload: bool = True) -> Archive:
        """Open (or create) an archive.

        Read-only (search, check, export, the kiosk, read-only media, another user's archive)
        writes nothing at all: the database opens with SQLite's ``mode=ro`` (and ``immutable=1``
        where that cannot miss a change, see `storage.reader.read_only_flags`), and an index
        that is missing, damaged or behind is made up in a temporary folder outside the archive.
        A writer holds the archive's writer lock (`writelock`) while it upgrades the database
        or repairs the index. With ``defer_index`` the search index is opened (and checked,
        rebuilt if need be) the first time it is used, so a window can show the contents
        sooner. Without ``preload`` (a command that only imports) the index's texts and its
        search view are not made ahead of a search that may never come.
        """
        started = time.perf_counter()
        path = Path(path).expanduser()
        db_path = path / DB_NAME
        if path.exists() and not path.is_dir():
            raise ArchiveError(f"{path}: is a file, not an archive folder")
        created = not db_path.exists()
        if created and (read_only or not create):
            raise ArchiveError(f"{path}: no archive here (no {DB_NAME})")
        if not created:
            db.check_database_file(db_path)
        if not read_only:
            try:
                for sub in ("", "images", "thumbnails"):
                    (path / sub).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise describe_os_error(exc, path) from None
            if not os.access(path, os.W_OK) or not (created or os.access(db_path, os.W_OK)):
                raise EnvironmentFailure(f"{path}: the archive cannot be written here "
                                         "(read-only media or another user's archive); "
                                         "searching and browsing work with --read-only")
        engine = db.open_engine(db_path, read_only=read_only)
        archive = cls(path, engine, read_only)
        archive._preload = preload
        if on_wait is not None and archive.writer_lock is not None:
            archive.writer_lock.on_wait = on_wait
        backup = None
        try:
            if read_only:
                if db.current_revision(engine) != db.head_revision():
                    raise ArchiveError(f"{db_path}: the database needs an upgrade; open it once "
                                       "with a sipviewer that may write to it")
            else:
                with archive._writing(sync=False):
                    backup = db.upgrade(engine, db_path)
            if defer_index:
                archive.index_progress = progress
                health, action = IndexHealth("deferred", "opened when first used"), "none"
            else:
                health, action = archive._open_index(progress)
        except BaseException as exc:
            archive.close()
            if isinstance(exc, SipviewerError | KeyboardInterrupt | SystemExit):
                raise
            raise db.describe_failure(exc, db_path) from None
        archive.open_report = OpenReport(created, backup, health, action,
                                         time.perf_counter() - started)
        return archive

    @contextmanager
    def _writing(self, sync: bool = True) -> Iterator[None]:
        """This process's writer thread, holding the archive's writer lock; the index is
        first brought up to what other processes committed, and leftovers of a killed
        writer are removed."""
        self._check_writable()
        assert self.writer_lock is not None
        # no cyclic collections during a write: each full pass over a viewer's heap holds
        # the interpreter lock for tens of milliseconds (a catalogue edit makes thousands of
        # objects, enough to set passes off), which the GUI thread feels
        with self._write_lock, self.writer_lock.held(), collector_paused():
            if sync and self._index is not None and self._index.is_open:
                if self._index.changed_on_disk():
                    self._index.open(preload=False)
                self._index.clean()
            yield

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (checked, repaired) on first use when deferred."""
        # another thread may be opening it (``_index`` is set before it is open): wait for it
        if self._index is None or self._index_opening is not None:
            with self._write_lock:
                if self._index is None and self._index_opening is None:
                    self._index_opening = threading.get_ident()
                    try:
                        health, action = self._open_index(self.index_progress)
                    finally:
                        self._index_opening = None
                    if self.open_report is not None:
                        self.open_report = OpenReport(
                            self.open_report.created, self.open_report.backup, health, action,
                            self.open_report.seconds)
        assert self._index is not None
        return self._index

    def stop_imports(self) -> None:
        """Stop the imports children run for this archive (`import_in_child`): they are
        dropped, never committed; each waiting call raises `ArchiveError`."""
        for child in list(self._children):
            child.stop()

    def close(self) -> None:
        self.stop_imports()
        self._take_store()
        if self._workers is not None:
            self._workers.close()
        if self._index is not None:
            self._index.shutdown()
        # the read-only browsing connections first: the last connection to close folds the
        # write-ahead log back into the file (a read-only one cannot), so a closed archive
        # is one file that read-only media and copies can use as it is
        if self._checkpointer is not None:
            self._checkpointer.close()
        self.reader.close()
        self.engine.dispose()
        if self._tmp_index is not None:
            shutil.rmtree(self._tmp_index, ignore_errors=True)
            self._tmp_index = None

    def _take_store(self) -> None:
        """The index's store being written afresh by a worker (`SearchIndex.take_store`)
        switched to as the archive closes, when no writer (here or elsewhere) holds the
        archive: never waits for one (its files are then a later writer's to remove)."""
        index = self._index
        if index is None or not index.store_pending or self.writer_lock is None:
            return
        with self.writer_lock.held_now() as held:
            try:
                index.take_store(wait=True, switch=held)
            except (OSError, ArchiveError) as exc:  # the committed index stands
                log.warning("switching to the index's new store failed (%s)", exc)

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
        if self.read_only:
            return self._open_index_read_only(index_dir, progress)
        with self._writing(sync=False):
            self._index = SearchIndex(index_dir)
            self._index.executor = self.workers  # compactions: in worker processes
            health = self._index.open(preload=self._preload)
            if health.state != "ok":
                self.rebuild_index(progress)
                return health, "rebuilt"
            self._index.clean()
            if self._index.generation != self.db_generation():
                self.reconcile(progress)
                return IndexHealth("stale", "index behind database"), "reconciled"
            return health, "none"

    def _open_index_read_only(self, index_dir: Path, progress: Progress | None
                              ) -> tuple[IndexHealth, str]:
        """Never writes into the archive: a missing, damaged or outdated index is rebuilt in
        a temporary folder; one behind the database is copied there and brought up to date
        (`reconcile` over the gap). Both last as long as this archive object."""
        self._index = SearchIndex(index_dir)
        health = self._index.open()
        if health.state == "ok" and self._index.generation == self.db_generation():
            return health, "none"
        self._tmp_index = Path(tempfile.mkdtemp(prefix="sipviewer-index-"))
        private = self._tmp_index / "index"
        if health.state == "ok":
            self._index.close()
            _copy_index(index_dir, private)
            self._index = SearchIndex(private)
            if self._index.open().state == "ok":
                self.reconcile(progress)
                return IndexHealth("stale", "index behind database; brought up to date in a "
                                   "temporary folder"), "reconciled"
            shutil.rmtree(private, ignore_errors=True)
        self._index = SearchIndex(private)
        self.rebuild_index(progress)
        return health, "rebuilt"

    def _own_index(self) -> bool:
        """Whether this object may change its index (a writer's, or a private copy)."""
        return not self.read_only or self._tmp_index is not None

    def rebuild_index(self, progress: Progress | None = None) -> None:
        with self._maybe_writing():
            generation = self.reader.generation()
            if progress:
                progress(0, self.reader.record_count(), "reading the archive")
            if self._index is not None and self._index.executor is not None \
                    and self.reader.record_count() >= PARALLEL_FROM:
                self.workers.warm()  # the worker process starts while the records are read
            raws = self.reader.raw_records()
            try:
                self.index.rebuild(None, generation, progress, len(raws), raws=raws)
            except OSError as exc:
                raise describe_os_error(exc, self.index.path) from None

    def reconcile(self, progress: Progress | None = None) -> tuple[int, int]:
        """Bring the index in line with the database by set difference; (added, removed)."""
        with self._maybe_writing():
            generation = self.reader.generation()
            if progress:
                progress(0, 1, "comparing index and database")
            fresh = {r.rid: r for r in make_records(self.reader.raw_records())}
            have = self.index.digests()
            added = [r for rid, r in fresh.items() if have.get(rid) != r.digest()]
            removed = [rid for rid in have if rid not in fresh]
            try:
                self.index.apply(added, removed, generation)
            except OSError as exc:
                raise describe_os_error(exc, self.index.path) from None
            if progress:
                progress(1, 1, "comparing index and database")
            return len(added), len(removed)

    @contextmanager
    def _maybe_writing(self) -> Iterator[None]:
        if self._tmp_index is not None:  # a private index outside the archive
            with self._write_lock:
                yield
        else:
            with self._writing(sync=False):
                yield

    # -- import -----------------------------------------------------------------------------
    def import_files(self, paths: Iterable[str | Path], *, replace: bool = False,
                     title: str | None = None, year: int | None = None,
                     progress: Progress | None = None) -> list[ImportOutcome]:
        """Parse and write the files in one transaction (all or nothing), then index them.

        Streaming: each volume is written as soon as it is parsed and then dropped, while
        worker processes parse the next ones (`pipeline`); the index takes the new volumes
        a few at a time after the commit. Memory does not grow with the number of files.
        The cyclic garbage collector is paused meanwhile (`collector_paused`): importing
        makes hundreds of thousands of objects without cycles, and each full collection
        over a viewer's heap held the interpreter lock for 40–55 ms, felt by the GUI thread.
        """
        self._check_writable()
        with collector_paused():
            return self._import_files([Path(p) for p in paths], replace, title, year, progress)

    def _import_files(self, files: list[Path], replace: bool, title: str | None,
                      year: int | None, progress: Progress | None) -> list[ImportOutcome]:
        steps = len(files) + 1

        ahead: list[_Ahead] = []  # one volume alone: its records indexed meanwhile

        def prepared(session: Session) -> Iterator[PreparedVolume]:
            # a background writer (the viewer's) parses even one file in a worker process:
            # the parser's long C calls (regular expressions over a whole volume) would
            # hold the interpreter lock the GUI thread needs
            background = threading.current_thread() is not threading.main_thread()
            workers = self.workers if len(files) > 1 or background else None
            # one file here: a worker already up parses its second half meanwhile, then
            # the workers index its records while their rows are written
            helper = self.workers if workers is None and self.workers.ready() else None
            notes: dict[str, Any] = {}  # (the second half's texts normalised by its worker)
            for k, fields in enumerate(parsed_volumes(files, title, year, workers, helper,
                                                      notes if helper else None)):
                if progress:
                    progress(k, steps, f"parsing {Path(fields[0]).name}")
                volume = PreparedVolume(*fields)
                if helper is not None:  # (its texts worked out once: ahead, then as written)
                    volume = dataclasses.replace(
                        volume, texts=tuple(parsed_texts(volume.doc.sections)))
                    ahead.extend(_index_ahead(session, volume, helper, self.index.path,
                                              notes.pop("tail", None)))
                yield volume

        if progress and files:
            progress(0, steps, f"parsing {files[0].name}")
        if self._index is not None and _text_chars(files) >= grams.PROCESS_MIN_CHARS:
            # its segment will be written by a worker process: it starts while we parse
            self.workers.warm(1)
        with self._writing():
            self.index.executor = self.workers  # large segments: written in a worker process
            self.index.take_store()  # written afresh after an earlier import, if done
            self.index.start_merge()  # past the segment limit: merged meanwhile
            try:
                outcomes = self._commit_together(
                    lambda session: _volume_change(session, prepared(session), replace,
                                                   self.index, self.reader, ahead,
                                                   keep_raws=len(files) == 1),
                    merge_later=True)
            except BaseException:
                if _wait_ahead(ahead):  # its files, written after the change was dropped
                    self.index.clean()
                raise
            unused = _wait_ahead(ahead)
            self.index.finish_merge()
            if unused:
                self.index.clean()
        if progress:
            progress(steps, steps, "done")
        return outcomes

    def import_in_child(self, paths: Iterable[str | Path], *, replace: bool = False,
                        title: str | None = None, year: int | None = None,
                        progress: Progress | None = None) -> list[ImportOutcome]:
        """`import_files` run by a child process (the viewer's way, see `childimport`), then
        read in here (`refresh`). Raises what `import_files` would; a child that died or
        was stopped (`close`) changed nothing and raises `ArchiveError`."""
        self._check_writable()
        child = ChildImport(self.path, [Path(p) for p in paths], replace=replace, title=title,
                            year=year)
        self._children.add(child)
        # no collections on this thread meanwhile, as in `import_files` (nor of a window's
        # objects, which must go on the thread they belong to)
        with collector_paused():
            try:
                return child.run(progress)
            finally:
                self._children.discard(child)
                self.refresh()

    def refresh(self) -> None:
        """Read in what another process committed: the search index is loaded again when
        it changed on disk (the browse view sees each commit by itself)."""
        index = self._index
        if self.read_only or index is None or not index.is_open:
            return
        if index.changed_on_disk():
            with self._write_lock:
                if index.changed_on_disk() and index.refresh().state != "ok":
                    self.rebuild_index()

    def _commit_together(self, change, merge_later: bool = False):  # type: ignore[no-untyped-def]
        """Run ``change(session)`` → (result, added records, removed rids) in one database
        transaction and commit the index with it: the index change is prepared before the
        database commits and made visible right after, so either both are in or neither
        (a crash between the two leaves the index behind, which the next writer
        reconciles and readers make up from the database). Disk full or any other failure
        before the commit changes nothing."""
        index = self.index
        try:
            with self.Session.begin() as session:
                result, records, removed = change(session)
                if records or removed:
                    index.prepare(records, removed, self.db_generation(session))
        except OSError as exc:
            index.abort()
            raise describe_os_error(exc, self.path) from None
        except BaseException:
            index.abort()
            raise
        index.commit(merge_later)
        return result

    @property
    def workers(self) -> Workers:
        """Worker processes for parsing and index segments, started on first use."""
        if self._workers is None:
            self._workers = Workers()
        return self._workers

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
        catalogue, an export); `photo_ids_matching` gives only their ids (the gallery)."""
        return self.photo_views(self.photo_ids_matching(query, filters, sort, cancel))

    def photo_ids_matching(self, query: str, filters: Filters | None = None,
                           sort: str = "relevance", cancel: CancelToken | None = None
                           ) -> list[int]:
        """The ids of every photo the query and filters match, best first or in ``sort``
        order; with nothing to rank by (no words), in reading order."""
        base = filters or Filters()
        only_photos = replace(base, kinds=("photo",))
        parsed = parse_query(query)
        if parsed.is_empty and replace(base, kinds=()) == Filters() \
                and sort in ("relevance", "volume"):
            # every photo, in reading order: the index adds nothing here (and ranking all
            # 25,000 photos cost a worker 100 ms of the interpreter lock after each import)
            ids = self.photo_ids()
            if cancel is not None:
                cancel.check()
            return ids
        outcome = self._index_search(parsed, only_photos, 0, cancel, sort)
        if cancel is not None:
            cancel.check()
        ids = [int(h.rid.split(":")[1]) for h in outcome.hits]
        if sort in ("relevance", "volume") and not [
                t for c in parsed.clauses for t in c if t.field not in ("dept", "tag")]:
            # nothing to rank by: reading order (the index's own order moves an edited photo)
            wanted = set(ids)
            ids = [i for i in self.photo_ids() if i in wanted]
        return ids

    def photo_ids(self, images_first: bool = False) -> list[int]:
        """Every photo in reading order; with ``images_first``, those with an image first."""
        return self.reader.photo_ids(images_first)

    def events(self, section_id: int) -> list[EventView]:
        """A 大事记 section's events in order (the timeline)."""
        return self.reader.events(section_id)

    def event(self, event_id: int) -> EventView:
        return self.reader.event(event_id)

    def events_on_day(self, month: int, day: int) -> list[EventView]:
        """The events of every volume on this day of the year (a kiosk's "this day")."""
        return self.reader.events_on_day(month, day)

    def departments(self) -> list[DepartmentInfo]:
        return self.reader.departments()

    def dept_aliases(self) -> dict[str, tuple[str, ...]]:
        """Department aliases, read again only when the index's generation has changed
        (every search needs them; reading the departments took 15 ms of each)."""
        generation = self._index.generation if self._index is not None else None
        cached = self._aliases
        if cached is None or generation is None or cached[0] != generation:
            cached = (generation, {d.name: d.aliases for d in self.reader.departments()
                                   if d.aliases})
            self._aliases = cached
        return cached[1]

    def resolve_department(self, name: str) -> str | None:
        """The canonical department a name or alias means (None if the archive has none)."""
        clean = canonical(name)
        departments = self.reader.departments()
        if any(d.name == clean for d in departments):
            return clean
        return next((d.name for d in departments if clean.strip() in d.aliases), None)

    def departments_named(self, name: str) -> tuple[str, ...]:
        """The departments a filter's name means: the one it names or aliases exactly, else
        every one whose name or alias contains it (as the ``dept:`` field matches: 经济发展
        委员会 finds 园区经发委 through its alias 苏州工业园区经济发展委员会); none if
        nothing in the archive matches."""
        clean = canonical(name).strip()
        departments = self.reader.departments()  # read once for all three tests
        for exact in ((d.name for d in departments if d.name == clean),
                      (d.name for d in departments if clean in d.aliases)):
            for found in exact:
                return (found,)
        return tuple(d.name for d in departments
                     if clean in d.name or any(clean in a for a in d.aliases))

    def stats(self) -> dict[str, int]:
        return self.reader.stats()

    # -- search -----------------------------------------------------------------------------
    def make_filters(self, *, date_from: str | None = None, date_to: str | None = None,
                     departments: Iterable[str] = (), kinds: Iterable[str] = (),
                     volumes: Iterable[str | int] = (), tags: Iterable[str] = (),
                     has_image: bool | None = None) -> Filters:
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
            if k not in ("article", "photo", "table", "event"):
                raise QueryError(f"unknown kind {k!r}: use article, photo, table or event")
        depts: list[str] = []
        for name in departments:
            check_text(name, "the department name")
            if not name.strip():
                raise QueryError("the department name is empty: give a name, e.g. 园区新闻中心")
            depts.extend(self.departments_named(name) or (canonical(name),))
        vol_ids = [self._resolve_volume(v) for v in volumes]
        return Filters(lo, hi, tuple(dict.fromkeys(depts)), kinds, tuple(vol_ids),
                       tags=tuple(t.strip() for t in tags if t.strip()), has_image=has_image)

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

    def _index_search(self, parsed, filters: Filters, limit: int,
                      cancel: CancelToken | None = None, sort: str = "relevance"):
        self.refresh()
        parsed, filters = self._catalogue_terms(parsed, filters)
        try:
            return self.index.search(parsed, filters, limit, self.dept_aliases(), cancel, sort)
        except IndexDamaged:
            # found damaged in use: rebuild from the database (a reader: privately), retry
            if self.read_only and self._tmp_index is None:
                self._index = None
                self._open_index_read_only(self.path / "index-damaged", None)
            else:
                self.rebuild_index()
            return self.index.search(parsed, filters, limit, self.dept_aliases(), cancel, sort)

    def _catalogue_terms(self, parsed: Query, filters: Filters) -> tuple[Query, Filters]:
        """``tag:`` terms and the tag / image filters, resolved against the database now (so
        an edit shows at once) into the set of photos the index may return."""
        from sipviewer.model.errors import QueryError

        tag_clauses = [c for c in parsed.clauses if any(t.field == "tag" for t in c)]
        tag_negations = [t for t in parsed.negations if t.field == "tag"]
        if not (tag_clauses or tag_negations or filters.tags or filters.has_image is not None):
            return parsed, filters
        if any(t.field != "tag" for c in tag_clauses for t in c):
            raise QueryError("tag: cannot be joined by OR to other terms")
        cat = self.catalogue
        allowed: set[int] | None = None
        if filters.tags or filters.has_image is not None:
            allowed = cat.photo_ids_where(tags=filters.tags, has_image=filters.has_image)
        for clause in tag_clauses:
            ids = set().union(*(cat.photo_ids_tagged_like(t.text) for t in clause))
            allowed = ids if allowed is None else allowed & ids
        if allowed is None:  # only -tag: terms: photos without those tags
            allowed = set(self.photo_ids())
        for t in tag_negations:
            allowed -= cat.photo_ids_tagged_like(t.text)
        rest = Query(tuple(c for c in parsed.clauses if c not in tag_clauses),
                     tuple(t for t in parsed.negations if t.field != "tag"))
        rids = frozenset(f"p:{i}" for i in allowed)
        rids = rids if filters.rids is None else rids & filters.rids
        return rest, replace(filters, rids=rids)

    def describe_hits(self, ranked, terms: list[str], width: int = 36) -> list[SearchHit]:
        """Titles, snippets, dates and departments of ranked hits (a query or two per kind)."""
        ids: dict[str, list[int]] = {"a": [], "p": [], "t": [], "e": []}
        for h in ranked:
            kind, num = h.rid.split(":")
            ids[kind].append(int(num))
        sources = self.reader.hit_sources(ids)
        # the index's normalised texts (when read): the snippet's part is chosen on them
        texts = self.index.store.loaded_texts() if ranked else None
        out = []
        for h in ranked:
            src = sources.get(h.rid)
            if src is not None:
                norm = texts.get(h.rid) if texts is not None else None
                norms = stored_norms(src.kind, src.parts, norm) if norm is not None else None
                out.append(SearchHit(src.kind, src.id, h.rid, src.title,
                                     snippet(list(src.parts), terms, width, norms=norms),
                                     src.volume_label,
                                     src.volume_id, src.date_start, src.date_end, src.department,
                                     src.article_id, h.score, h.title_match))
        return out

    # -- cataloguing (see sipviewer.core.catalogue) ---------------------------------------
    @property
    def catalogue(self) -> Catalogue:
        """Edits, change sets, history, revert and attaching images."""
        if self._catalogue is None:
            self._catalogue = Catalogue(self)
        return self._catalogue

    def reindex_photos(self, photo_ids: Iterable[int], generation: int) -> None:
        """Bring the index up to the database for photos just changed (writer only)."""
        records = make_records(self.reader.raw_records(rids=[f"p:{pid}" for pid in photo_ids]))
        self.index.apply(records, [], generation)

    def update_photo(self, photo_id: int, *, caption: str | None = None,
                     credit: str | None = None, credit_kind: str | None = None,
                     date_start: date | None = None, date_end: date | None = None,
                     date_precision: str | None = None, notes: str | None = None,
                     tags: Iterable[str] | None = None, expected_revision: int | None = None
                     ) -> PhotoView:
        """Change one photo's catalogue fields (one change set); see `Catalogue.edit`.

        ``expected_revision`` guards against overwriting someone else's newer edit.
        """
        from sipviewer.core.catalogue_values import format_date

        if expected_revision is not None and self.photo(photo_id).revision != expected_revision:
            raise ArchiveError(f"photo {photo_id} was changed elsewhere; reload it")
        when = (format_date(date_start, date_end or date_start, date_precision or "day")
                if date_start is not None else None)
        values = {k: v for k, v in (("caption", caption), ("credit", credit),
                                    ("credit_kind", credit_kind), ("date", when),
                                    ("notes", notes)) if v is not None}
        self.catalogue.edit([photo_id], Edit(values, set_tags=None if tags is None
                                             else tuple(tags)))
        return self.reader.photo(photo_id)

    def photo_history(self, photo_id: int) -> list[HistoryEntry]:
        return self.catalogue.history(photo_id)

    def attach_image(self, photo_id: int, image: str | Path) -> PhotoView:
        """Copy an image file into the archive (content-addressed) and attach it to a photo."""
        self.catalogue.attach([(photo_id, image)])
        return self.reader.photo(photo_id)

    # -- checking ---------------------------------------------------------------------------
    def check(self, repair: bool = False, progress: Progress | None = None) -> CheckReport:
        """Compare database, index and image files and name what is wrong; with ``repair``
        fix what is derived (the index, thumbnails, partial files) and say plainly what
        cannot be fixed here (the database itself, a missing image file)."""
        problems: list[str] = []
        repaired: list[str] = []
        cannot: list[str] = []
        db_problems = db.integrity_problems(self.reader, self.path / DB_NAME)
        if db_problems:
            problems.extend(db_problems)
            cannot.append("the database itself is damaged: restore archive.sqlite from a backup "
                          "(sipviewer backup makes one; upgrades leave archive.sqlite.backup-*)")
            return CheckReport(tuple(problems), (), 0, 0, tuple(cannot))
        # the archive's own index, as it is on disk (a reader may be using a private copy)
        own = self._index if self._tmp_index is None and self._index is not None \
            else SearchIndex(self.path / "index")
        health = own.open(preload=False) if not own.is_open else IndexHealth("ok")
        if health.state != "ok":
            problems.append(f"search index {health.state}: {health.detail}")
        fresh = {r.rid: r.digest() for r in make_records(self.reader.raw_records())}
        generation = self.reader.generation()
        images = self.reader.image_files()
        have: dict[str, str] = {}
        if health.state == "ok":
            try:
                have = own.digests()
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
            if own.generation != generation and not (missing or extra or changed):
                problems.append(f"index generation {own.generation} != database "
                                f"generation {generation}")
        lost = []
        for pid, digest, ext in images:
            f = self.path / "images" / f"{digest}{ext or ''}"
            if not f.exists():
                problems.append(f"photo {pid}: image file {f.name} is missing")
                lost.append(pid)
        if lost:
            cannot.append(f"{len(lost)} image files are missing (photos "
                          f"{', '.join(map(str, lost[:5]))}): copy them back from a backup or "
                          "attach the images again")
        partial = [p for sub in ("images", "thumbnails") if (self.path / sub).is_dir()
                   for p in (self.path / sub).iterdir() if p.name.endswith(".part")]
        if partial:
            problems.append(f"{len(partial)} partial files left by an interrupted write "
                            f"(e.g. {partial[0].name})")
        if own is not self._index:
            own.close()
        if repair and not self.read_only:
            if health.state != "ok":
                self.rebuild_index(progress)
                repaired.append("rebuilt the search index")
            elif missing or extra or changed or self.index.generation != generation:
                added, removed = self.reconcile(progress)
                repaired.append(f"updated the search index ({added} added or changed, "
                                f"{removed} removed)")
            if partial:
                with self._writing():
                    for p in partial:
                        p.unlink(missing_ok=True)
                repaired.append(f"removed {len(partial)} partial files")
        return CheckReport(tuple(problems), tuple(repaired), len(fresh), len(have),
                           tuple(cannot))


def backup_archive(path: Path, dest: Path) -> Path:
    """A consistent copy of an archive's database while it may be in use (SQLite's online
    backup API); ``dest`` is a file or an existing folder. Reads the archive only."""
    db_path = path / DB_NAME
    if not db_path.is_file():
        raise ArchiveError(f"{path}: no archive here (no {DB_NAME})")
    db.check_database_file(db_path)
    if dest.is_dir():
        dest = dest / f"{DB_NAME}.{time.strftime('%Y%m%d-%H%M%S')}"
    if dest.exists():
        raise InputError(dest, "already exists; give a new file name or a folder")
    try:
        return db.copy_database(db_path, dest, read_only=True)
    except OSError as exc:
        raise describe_os_error(exc, dest) from None
    except Exception as exc:  # sqlite3 errors: one line
        raise db.describe_failure(exc, db_path) from None


def _volume_change(session: Session, prepared: Iterable[PreparedVolume], replace: bool,
                   index: SearchIndex, reader: Browse,
                   ahead: list[_Ahead] | None = None,
                   keep_raws: bool = False):  # type: ignore[no-untyped-def]
    """Write the volumes as they come; (outcomes, their index records, the index records
    they replace). The records come as batches of about `INDEX_BATCH_CHARS` of text (a
    generator: each batch is read when the index takes it, then dropped). ``ahead``: a
    volume's halves normalised and indexed by workers while it was written
    (`_index_ahead`), taken where the records are exactly the ones foreseen.
    ``keep_raws`` (one file): its records' source rows are kept as they are written
    instead of read back (many volumes' would not all be kept)."""
    written: list[tuple] | None = [] if keep_raws else None  # type: ignore[type-arg]
    outcomes, added, removed = write_volumes(session, prepared, replace=replace, raws=written)
    if not (added or removed):
        return outcomes, [], []
    gone = set(removed)
    removed_rids = [rid for rid, meta in index.store.meta.items() if meta.volume_id in gone]
    sizes = dict(session.execute(select(Volume.id, Volume.char_count)
                                 .where(Volume.id.in_(added))).all())
    batches: list[list[int]] = [[]]
    size = 0
    for vid in added:
        if batches[-1] and size + sizes.get(vid, 0) > INDEX_BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(vid)
        size += sizes.get(vid, 0)

    def records() -> Iterator[list[SearchRecord]]:
        known = _known(ahead)  # (waits for the workers: when the index first asks)
        for batch in batches:
            release_memory()  # what the volumes and the batch before took, given back
            if written is not None and batches == [added]:
                raws = written
            else:
                raws = reader.raw_records(volume_ids=batch, conn=db.dbapi(session))
            # one volume alone: its two halves indexed side by side (two segments, each
            # written by a worker while the next half's records are made), as indexed
            # ahead if it was
            parts = _split_like(raws, ahead) if len(batch) == 1 and ahead and \
                len(ahead) == 2 else _halves(raws) if len(batch) == 1 else [raws]
            for k, part in enumerate(parts):
                records = make_records(part, known)
                made = _made(ahead, k, len(parts), part, records) if len(batches) == 1 else None
                yield records if made is None else MadeBatch(records, made)

    return outcomes, records(), removed_rids


class _Ahead:
    """Part of a volume indexed ahead by a worker: the records' (title, body) texts, the
    ids they were foreseen to get, and one job (`records.segment_ahead`) that normalises
    what is not known yet, tells it (``told``: those texts, in order), then writes the
    part's segment (``segment``). ``job`` gives all the records' normalised texts (as
    soon as they are told: the records are made with them while the segment is
    written); ``known``: the normalised texts given to the job (None where it works them
    out)."""

    def __init__(self, texts: list[tuple[str, tuple[str, ...]]], rids: list[str],
                 told: Future, segment: Future,  # type: ignore[type-arg]
                 known: list[tuple[str, str] | None] | None = None) -> None:
        self.texts, self.rids, self.segment = texts, rids, segment
        self._given = known if known is not None else [None] * len(texts)
        self.used = False  # set by the index when it takes the segment
        self.job: Future = Future()  # type: ignore[type-arg]
        told.add_done_callback(self._told)

    def _told(self, told: Future) -> None:  # type: ignore[type-arg]
        if told.cancelled():
            self.job.cancel()
        elif told.exception() is not None:
            self.job.set_exception(told.exception())  # type: ignore[arg-type]
        else:
            made = iter(told.result())
            try:
                self.job.set_result([norm if norm is not None else next(made)
                                     for norm in self._given])
            except StopIteration:  # (fewer than asked for: a bug, not bad input)
                self.job.set_exception(RuntimeError("normalised texts missing"))


def _failed(job: Future) -> bool:  # type: ignore[type-arg]
    return job.done() and (job.cancelled() or job.exception() is not None)


def _index_ahead(session: Session, volume: PreparedVolume, workers: Workers,
                 folder: Path, tail: tuple[int, list[tuple[str, str]]] | None = None
                 ) -> list[_Ahead]:
    """A new volume's records (the texts `pipeline.record_texts` foresees, the ids the rows
    will get: the next ones of each table, this being the only writer) normalised and
    indexed in two parts by the workers while its rows are written, each part by one job
    (`records.segment_ahead`); none for a volume the archive holds in some version already
    (nothing added, or rows removed first).

    ``tail``: (the number of sections before the second half the split parse read, the
    normalised texts of that half's records, `pipeline.parse_volume`): those records are
    not normalised again, and the parts are cut so that both jobs take about as long
    (see the measured costs below)."""
    if any(v is not None for v in find_existing(session, volume)):
        return []
    texts = text_pairs(volume.texts) if volume.texts is not None else record_texts(volume.doc)
    following = {prefix: (session.scalar(select(func.max(model.id))) or 0) + 1
                 for prefix, model in (("a", Article), ("p", Photo), ("t", DataTable),
                                       ("e", Event))}
    rids = []
    for prefix, _ in texts:
        rids.append(f"{prefix}:{following[prefix]}")
        following[prefix] += 1
    given: list[tuple[str, str] | None] = [None] * len(texts)
    if tail is not None:
        split = _tail_split(texts, volume.doc.sections[:tail[0]])
        if split is not None and len(split[1]) == len(tail[1]):
            for k, norm in zip(split[1], tail[1]):
                given[k] = norm
    sizes = [len(t) + sum(map(len, b)) for _, (t, b) in texts]
    # a part's job: normalising what is not given, then writing all of it (measured: a
    # character takes 0.15 µs to normalise and 0.2 µs to write, a record 100 µs more)
    work = [(4 if norm is not None else 7) * size + 2000 for size, norm in zip(sizes, given)]
    cut = (_half_point(work) if sum(sizes) >= HALVES_FROM else None) or len(texts)
    out: list[_Ahead] = []
    try:
        pool = workers.executor()
        for at in (range(cut), range(cut, len(texts))):
            if at:
                pairs = [texts[k][1] for k in at]
                known = [given[k] for k in at]
                told, segment = pool.submit_early(
                    segment_ahead, str(folder), [rids[k] for k in at],
                    [None if norm is not None else pair for pair, norm in zip(pairs, known)],
                    known)  # (this pool only)
                out.append(_Ahead(pairs, [rids[k] for k in at], told, segment, known))
    except RuntimeError:  # the pool was closed (a dead one fails the jobs instead)
        workers.broken()
    return out


def _tail_split(texts: list[tuple[str, tuple[str, tuple[str, ...]]]],
                head: Sequence[Any]) -> tuple[list[int], list[int]] | None:
    """Where the records of the ``head`` sections are among a volume's ``texts`` (kind by
    kind, `pipeline.record_texts`): the first ones of each kind; (their places, the
    others'), each in order, or None when the head holds nothing (or everything)."""
    counts = Counter({"a": sum(len(sec.articles) for sec in head),
                      "p": sum(len(art.photos) for sec in head for art in sec.articles),
                      "t": sum(len(art.tables) for sec in head for art in sec.articles),
                      "e": sum(len(sec.events) for sec in head)})
    first: list[int] = []
    rest: list[int] = []
    seen: Counter[str] = Counter()
    for k, (prefix, _) in enumerate(texts):
        (first if seen[prefix] < counts[prefix] else rest).append(k)
        seen[prefix] += 1
    return (first, rest) if first and rest else None


def _known(ahead: list[_Ahead] | None) -> dict[tuple[str, tuple[str, ...]], tuple[str, str]]:
    """The texts normalised ahead, by their (title, body) as sent; none from a job that
    failed (those records are normalised here)."""
    known: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
    for part in ahead or ():
        try:
            known.update(zip(part.texts, part.job.result()))
        except Exception as exc:  # only a shortcut is lost
            log.warning("indexing ahead failed (%s)", exc)
    return known


def _made(ahead: list[_Ahead] | None, k: int, parts: int, raws: list,  # type: ignore[type-arg]
          records: list[SearchRecord]) -> _Ahead | None:
    """The part indexed ahead for part ``k`` of ``parts`` of a volume's records, if it was
    made for exactly these ids and texts (its jobs done well so far)."""
    if not ahead or len(ahead) != parts:
        return None
    part = ahead[k]
    if _failed(part.job) or _failed(part.segment):
        return None
    if part.rids != [r.rid for r in records] or \
            part.texts != [(raw[3], tuple(raw[4])) for raw in raws]:
        return None
    return part


def _split_like(raws: list, ahead: list[_Ahead]) -> list[list]:  # type: ignore[type-arg]
    """A volume's raw records in the two parts indexed ahead, each in order."""
    first = set(ahead[0].rids)
    parts = [[raw for raw in raws if raw[0] in first],
             [raw for raw in raws if raw[0] not in first]]
    return parts if all(parts) else [raws]


def _wait_ahead(ahead: list[_Ahead]) -> bool:
    """Wait for the jobs indexing ahead (none is left writing); whether one's segment was
    not taken (its files are then the index's to remove)."""
    if ahead:
        futures_wait([part.segment for part in ahead])
    unused = any(not part.used for part in ahead)
    ahead.clear()
    return unused


def _half_point(sizes: list[int]) -> int | None:
    """Where a run of records splits into two of about equal ``sizes`` (None: keep it
    whole, a half would be too small for a worker process to write)."""
    total = sum(sizes)
    if total < HALVES_FROM:
        return None
    run = 0
    for k, size in enumerate(sizes[:-1]):
        run += size
        if 2 * run >= total:
            return k + 1
    return None


def _halves(raws: list) -> list[list]:  # type: ignore[type-arg]
    """A volume's raw records in two runs of about equal text, in order (one run when a
    half would be too small for a worker process to write)."""
    cut = _half_point([len(raw[3]) + sum(map(len, raw[4])) for raw in raws])
    return [raws] if cut is None else [raws[:cut], raws[cut:]]


def _text_chars(files: list[Path]) -> int:
    """About how many characters the files hold (a CJK character is 3 bytes of UTF-8)."""
    total = 0
    for f in files:
        try:
            total += f.stat().st_size // 3
        except OSError:
            pass  # named by the parse
    return total


def _say_waiting(message: str) -> None:
    log.warning("%s", message)


def _copy_index(src: Path, dst: Path) -> None:
    """A private copy of an index to bring up to date outside the archive: immutable files
    are linked where the file system allows it, the change log (appended to) is copied.

    The manifest first: what it names is never changed in place, so a writer committing
    meanwhile cannot make the copy inconsistent (files it adds or removes are skipped or
    ignored, and a copy that does not open is rebuilt instead)."""
    dst.mkdir(parents=True)
    names = ["manifest.json"] + sorted(n for n in os.listdir(src) if n != "manifest.json")
    for name in names:
        s, d = src / name, dst / name
        try:
            if not s.is_file():
                continue
            if name != "manifest.json" and not is_log_file(name):
                try:
                    os.link(s, d)
                    continue
                except OSError:
                    pass
            shutil.copyfile(s, d)
        except FileNotFoundError:
            continue  # removed by a writer meanwhile: not part of the copied state


def prepare_volume(path: Path, *, title: str | None = None, year: int | None = None
                   ) -> PreparedVolume:
    """Read, checksum and parse one file (no database access)."""
    return PreparedVolume(*parse_volume(path, title, year))


def open_default(path: Path, progress: Progress | None = None) -> tuple[Archive, list[ImportOutcome]]:
    """Open the default archive, building it from the bundled sample on first start."""
    archive = Archive.open(path, progress=progress)
    outcomes: list[ImportOutcome] = []
    if not archive.volumes() and not archive.read_only:
        outcomes = archive.import_files([sample_path()], title=SAMPLE_TITLE, year=SAMPLE_EDITION,
                                        progress=progress)
    return archive, outcomes
