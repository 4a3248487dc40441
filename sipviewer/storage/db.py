"""Engine, sessions and schema migrations of an archive database.

`open_engine` makes an SQLite engine with WAL and foreign keys on; `upgrade` brings the
schema to the newest Alembic revision, first backing up an existing file that needs it.
No engine is built at import time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from sipviewer.model.errors import ArchiveError, EnvironmentFailure, SipviewerError
from sipviewer.storage.reader import HEAD, ArchiveReader, read_only_flags

# Opening an up-to-date archive compares with HEAD (the newest migration) and never imports
# Alembic (a fifth of a second); a test keeps it equal to Alembic's head.


log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 1.0  # seconds at least between two folds of the write-ahead log


def dbapi(session: Session) -> sqlite3.Connection:
    """The session's own SQLite connection, its pending rows flushed: statements through it
    see (and take part in) the session's transaction."""
    session.flush()
    return session.connection().connection.dbapi_connection  # type: ignore[return-value]


def _script_location() -> str:
    return str(resources.files("sipviewer.db"))


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _script_location())
    return cfg


def head_revision() -> str:
    return HEAD


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


SQLITE_HEADER = b"SQLite format 3\x00"


def check_database_file(path: Path) -> None:
    """An existing database file must be an SQLite database: an empty or foreign file is
    damage to report, never a new archive to create over it.

    The file is never opened with ``open()`` here: closing any descriptor of a file drops
    every POSIX lock this process holds on it, so a check made while another connection of
    this process (the viewer's fast reader) is open let another process take the database
    for its last user, fold the write-ahead log back and delete it under our open
    connections (reads failed with "disk I/O error", commits went to a deleted log and were
    lost). SQLite itself keeps its descriptors of a file open while a lock is held, so the
    header is checked through it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc.strerror})") from None
    if not size:
        raise ArchiveError(f"{path}: the database file is empty (0 bytes); restore it from a "
                           "backup (archive.sqlite.backup-*) — it is not treated as a new "
                           "archive")
    try:
        # immutable: only the file's own first page is read (no -wal / -shm opened or made,
        # so read-only media work too)
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True,
                               timeout=30)
    except sqlite3.Error as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc})") from None
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise ArchiveError(f"{path}: not an SQLite database (damaged or another kind of "
                               "file); restore it from a backup") from None
        raise ArchiveError(f"{path}: cannot be read ({exc})") from None
    finally:
        conn.close()


def describe_failure(exc: BaseException, path: Path) -> SipviewerError:
    """One line for a database failure (never SQLAlchemy's multi-line report)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    low = text.lower()
    if isinstance(orig, OSError) or "disk is full" in low or "disk i/o" in low:
        return EnvironmentFailure(f"{path}: {text}; nothing was changed")
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return EnvironmentFailure(f"{path}: the database cannot be written or opened here "
                                  f"({text})")
    if "locked" in low or "busy" in low:
        return EnvironmentFailure(f"{path}: the database is busy ({text}); try again")
    if "malformed" in low or "not a database" in low or "no such table" in low \
            or "no such column" in low or "corrupt" in low:
        return ArchiveError(f"{path}: the database is damaged ({text}); restore it from a "
                            "backup (sipviewer check names what is wrong)")
    return ArchiveError(f"{path}: the database cannot be used ({text})")


def open_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine whose sessions each see one consistent snapshot (an explicit BEGIN: the
    driver would otherwise run every SELECT in a transaction of its own, and a writer
    committing between two of them gave readers impossible totals).

    Read-only opens with ``mode=ro`` and changes nothing (no WAL switch), creating no file
    beside the database (`read_only_flags`: ``immutable=1`` where that misses nothing)."""
    if read_only:
        flags, _ = read_only_flags(path, no_files=True)
        url = f"sqlite:///file:{quote(str(path))}?{flags}&uri=true"
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # transactions begin below, reads included
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            mode = cur.execute("PRAGMA journal_mode").fetchone()
            if not mode or mode[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # the log is folded into the file (and the file synced) by a `Checkpointer`'s
            # thread, not by the thread that commits: done there, each 16 MB of log cost
            # the commit 130-200 ms, one import in four (the last connection to close folds
            # the rest: a closed archive is still one file)
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(text(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")).first()
        if not has_table:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def backup(path: Path, label: str) -> Path:
    """A consistent copy of the database file (SQLite's online backup), next to it."""
    target = path.with_name(f"{path.name}.backup-{label}-{time.strftime('%Y%m%d-%H%M%S')}")
    return copy_database(path, target)


def copy_database(path: Path, target: Path, read_only: bool = False) -> Path:
    """A consistent copy of a database in use (SQLite's online backup API): written beside
    ``target`` and renamed into place, so a failure leaves no half copy."""
    part = target.with_name(target.name + ".part")
    uri = f"file:{quote(str(path))}?mode=ro" if read_only else f"file:{quote(str(path))}"
    src = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        dst = sqlite3.connect(part)
        try:
            with dst:
                src.backup(dst, pages=1024)
        finally:
            dst.close()
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return target


def upgrade(engine: Engine, path: Path) -> Path | None:
    """Bring the schema to head; return the backup made first, if one was needed."""
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return None
    made = None
    if current is not None or _has_tables(engine):
        if current is not None and current not in _known_revisions():
            raise ArchiveError(f"{path}: made by a newer sipviewer (schema {current}); "
                               "update sipviewer to open it")
        label = current or "unversioned"
        # one backup per upgrade: a failed upgrade tried again keeps the first copy
        earlier = sorted(path.parent.glob(f"{path.name}.backup-{label}-*"))
        made = earlier[0] if earlier else backup(path, label)
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return made


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type='table'").scalar()
    return bool(rows)


def integrity_problems(reader: ArchiveReader, path: Path) -> list[str]:
    """What is wrong with the database itself (see `ArchiveReader.integrity_problems`),
    a failure to read it at all as one line."""
    from sipviewer.storage.models import Base

    try:
        return reader.integrity_problems(Base.metadata.tables)
    except Exception as exc:
        return [str(describe_failure(exc, path))]


def session_factory(engine: Engine, checkpointer: Checkpointer | None = None
                    ) -> sessionmaker[Session]:
    """Sessions of the engine; with a ``checkpointer``, each commit tells it."""
    factory = sessionmaker(engine, expire_on_commit=False)
    if checkpointer is not None:
        event.listen(factory, "after_commit", lambda _session: checkpointer.poke())
    return factory


class Checkpointer:
    """A writer's write-ahead log folded into the database file by a thread of its own: a
    passive checkpoint (it never waits for, nor blocks, readers and the writer) a moment
    after a commit, at most every `CHECKPOINT_EVERY` seconds, through its own connection.
    The writer's connections never fold it themselves (``wal_autocheckpoint=0``). A fold
    that fails (a full disk) is tried again after the next commit; the log is kept, and
    whatever it holds stays committed. `close` before the engine's connections close (the
    last of those folds the rest)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.passes = 0  # folds done (or tried)
        self._due = False
        self._busy = False
        self._closing = False
        self._last = 0.0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        """A write was committed: fold the log soon."""
        with self._cond:
            if self._closing:
                return
            self._due = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="log checkpoint")
                self._thread.start()
            self._cond.notify_all()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until no fold is due (one began after the last commit and ended)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._due and not self._busy,
                                       timeout=timeout)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(lambda: self._due or self._closing)
                    if self._closing:
                        return
                    # spaced out: many small commits (a librarian's edits) fold once
                    self._cond.wait_for(lambda: self._closing, timeout=max(
                        0.0, self._last + CHECKPOINT_EVERY - time.monotonic()))
                    if self._closing:
                        return
                    self._due, self._busy = False, True
                try:
                    if conn is None:
                        conn = sqlite3.connect(self.path, timeout=0, isolation_level=None,
                                               check_same_thread=False)
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # tried again after the next commit
                    log.info("folding the write-ahead log into %s failed (%s)", self.path, exc)
                finally:
                    with self._cond:
                        self._busy = False
                        self._last = time.monotonic()
                        self.passes += 1
                        self._cond.notify_all()
        finally:
            if conn is not None:
                conn.close()

    def close(self) -> None:
        """Stop the thread (a fold under way ends first)."""
        with self._cond:
            self._closing = True
            thread = self._thread
            self._cond.notify_all()
        if thread is not None:
            thread.join()

