"""Engine, sessions and schema migrations of an archive database.

`open_engine` makes an SQLite engine with WAL and foreign keys on; `upgrade` brings the
schema to the newest Alembic revision, first backing up an existing file that needs it.
No engine is built at import time.
"""

from __future__ import annotations

import sqlite3
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


WAL_PAGES = 4096  # pages of write-ahead log before it is folded into the file


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
            # the log folded into the file (and the file synced) every 16 MB rather than
            # SQLite's 4 MB: a volume's import writes about 4 MB, and the fold after each
            # commit cost one-by-one imports 50 ms a volume (the last connection to close
            # folds the rest: a closed archive is still one file)
            cur.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
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


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)

