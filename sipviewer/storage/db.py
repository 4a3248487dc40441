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

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from sipviewer.model.errors import ArchiveError
from sipviewer.storage.reader import HEAD

# Opening an up-to-date archive compares with HEAD (the newest migration) and never imports
# Alembic (a fifth of a second); a test keeps it equal to Alembic's head.


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


def open_engine(path: Path, *, read_only: bool = False) -> Engine:
    if read_only:
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

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
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
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
        made = backup(path, current or "unversioned")
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


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)

