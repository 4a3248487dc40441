"""The writer's write-ahead log: folded into the file by a thread of its own after commits
(`db.Checkpointer`), never by the committing thread, and wholly as the archive closes."""

from __future__ import annotations

import sqlite3
import struct

from sipviewer.core.archive import Archive
from sipviewer.storage import db
from tests.test_import_pipeline import _volumes


def _pages_in_file(path) -> int:  # type: ignore[no-untyped-def]
    """The database file's own page count (its header, bytes 28-31): what the folds put
    into the file, not what the log holds."""
    with open(path, "rb") as fh:
        return struct.unpack(">I", fh.read(100)[28:32])[0]


def test_the_log_is_folded_in_beside_the_writer_and_wholly_at_close(tmp_path):
    files = _volumes(tmp_path, 3, chars=300_000)
    path = tmp_path / "arc"
    db_file = path / "archive.sqlite"
    with Archive.open(path) as arc:
        with arc.Session.begin() as session:  # the committing connection never folds it
            conn = db.dbapi(session)
            assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        checkpointer = arc._checkpointer
        assert checkpointer is not None and checkpointer.settle()
        before, passes = _pages_in_file(db_file), checkpointer.passes
        for f in files:
            arc.import_files([f])
        assert checkpointer.settle()
        assert checkpointer.passes > passes
        # the volumes are in the file itself now (SQLite's own report: every frame of the
        # log copied into the file)
        assert _pages_in_file(db_file) > before + 256
        other = sqlite3.connect(db_file)
        try:
            busy, frames, copied = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            other.close()
        assert busy == 0 and frames == copied
    assert not (path / "archive.sqlite-wal").exists()  # one file once closed
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM volumes").fetchone()[0] == 3
    finally:
        conn.close()


def test_a_fold_held_back_by_a_reader_is_finished_after_the_next_commit(tmp_path):
    """A reader in the middle of a read keeps the frames committed since from the file
    (a passive fold never waits for it): they stay in the log, readable, and the fold
    after the next commit puts them into the file."""
    files = _volumes(tmp_path, 2, chars=200_000)
    path = tmp_path / "arc"
    db_file = path / "archive.sqlite"
    with Archive.open(path) as arc:
        checkpointer = arc._checkpointer
        assert checkpointer is not None
        arc.import_files([files[0]])
        assert checkpointer.settle()
        first = _pages_in_file(db_file)
        reader = sqlite3.connect(db_file, isolation_level=None)
        try:
            reader.execute("BEGIN")
            assert reader.execute("SELECT count(*) FROM volumes").fetchone()[0] == 1
            arc.import_files([files[1]])
            assert checkpointer.settle()
            assert _pages_in_file(db_file) == first  # held back, not lost:
            assert len(arc.reader.volumes()) == 2
        finally:
            reader.close()
        with arc.Session.begin() as session:  # any later commit
            db.dbapi(session).execute("SELECT 1")
        assert checkpointer.settle()
        assert _pages_in_file(db_file) > first
