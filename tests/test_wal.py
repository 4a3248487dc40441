"""The writer's write-ahead log: folded into the file every `WAL_PAGES` pages (not after
each volume's commit), and wholly as the archive closes."""

from __future__ import annotations

import sqlite3

from sipviewer.core.archive import Archive
from sipviewer.storage import db
from tests.test_import_pipeline import _volumes


def test_the_log_is_folded_in_rarely_and_wholly_at_close(tmp_path):
    files = _volumes(tmp_path, 4, chars=300_000)
    path = tmp_path / "arc"
    wal = path / "archive.sqlite-wal"
    with Archive.open(path) as arc:
        with arc.Session.begin() as session:
            conn = db.dbapi(session)
            assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == db.WAL_PAGES
        for f in files[:2]:
            arc.import_files([f])
        # the log's header: its salts (bytes 16-23) change each time the log is folded in
        # and begun again
        salts = wal.read_bytes()[16:24]
        for f in files[2:]:
            arc.import_files([f])
        assert wal.read_bytes()[16:24] == salts  # not folded in since
        assert wal.stat().st_size > 1000 * 4096  # past SQLite's default of 1000 pages
    assert not (path / "archive.sqlite-wal").exists()  # one file once closed
    with sqlite3.connect(path / "archive.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM volumes").fetchone()[0] == 4
