"""A read-only archive (the kiosk's) writes nothing into the archive folder: not SQLite's
``-wal``/``-shm`` pair, not a lock file, not the index, whatever journal mode the database is
in, on a writable folder, a folder without write permission and a read-only mount. And it
never misses data: a writer's unmerged changes are read, and a writer that starts later is
seen. Real SQLite files, a real Whoosh index, the real kiosk window."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sipviewer.core.archive import Archive
from sipviewer.storage.reader import DB_NAME, journal_is_wal
from tests.safety_helpers import can_mount, mount_tmpfs, remount_read_only, unmount


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def private_copy(sample_archive_dir: Path, where: Path) -> Path:
    """A copy of the sample archive closed by a writer (other tests hold the shared one)."""
    shutil.copytree(sample_archive_dir, where)
    Archive.open(where).close()
    return where


def leave_in_wal_mode(folder: Path) -> None:
    """As a writer leaves it (a copy can be in rollback mode: the test runs both)."""
    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    conn.close()
    assert journal_is_wal(folder / DB_NAME)
    assert not (folder / (DB_NAME + "-wal")).exists()


def leave_in_rollback_mode(folder: Path) -> None:
    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    conn.close()
    assert not journal_is_wal(folder / DB_NAME)


def kiosk_session(folder: Path) -> None:
    """What a visitor's session reads: contents, searches (pinyin too), an article, photos,
    a table, the events of a day."""
    with Archive.open(folder, read_only=True, create=False) as archive:
        assert archive.search("qhcs").total >= 1
        assert archive.search("园区").total > 5
        tree = archive.tree()
        archive.article(tree[0].sections[0].articles[0].id)
        archive.photo_views(archive.photo_ids()[:5])
        archive.table(1)
        archive.events_on_day(3, 5)


@pytest.mark.parametrize("journal", ["rollback", "wal"])
@pytest.mark.parametrize("folder_kind", ["writable", "no write permission"])
def test_read_only_open_creates_no_files(sample_archive_dir, tmp_path, journal, folder_kind):
    folder = private_copy(sample_archive_dir, tmp_path / "arc")
    leave_in_wal_mode(folder) if journal == "wal" else leave_in_rollback_mode(folder)
    before = listing(folder)
    if folder_kind == "no write permission":
        for path in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
            path.chmod(0o555)
    try:
        kiosk_session(folder)
    finally:
        for path in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
            path.chmod(0o755)
    assert listing(folder) == before


@pytest.mark.skipif(not can_mount(), reason="needs root to mount a file system")
@pytest.mark.parametrize("journal", ["rollback", "wal"])
def test_read_only_media(sample_archive_dir, tmp_path, journal):
    """The archive on a read-only mount (a disc, a write-protected stick)."""
    mount = tmp_path / "media"
    mount_tmpfs(mount, "64m")
    try:
        folder = private_copy(sample_archive_dir, mount / "arc")
        leave_in_wal_mode(folder) if journal == "wal" else leave_in_rollback_mode(folder)
        remount_read_only(mount)
        before = listing(folder)
        kiosk_session(folder)
        assert listing(folder) == before
    finally:
        unmount(mount)


def _volume_title(folder: Path) -> str:
    with Archive.open(folder, read_only=True, create=False) as archive:
        return archive.volumes()[0].title


def test_unmerged_changes_are_read_not_missed(sample_archive_dir, tmp_path):
    """A write-ahead log with committed changes beside the file (a writer killed before it
    folded them in): ``immutable`` would read the file alone and miss them."""
    folder = private_copy(sample_archive_dir, tmp_path / "arc")
    leave_in_wal_mode(folder)
    writer = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE volumes SET title = '园区年鉴（改）'")
    crashed = tmp_path / "crashed"  # the files as the killed writer left them
    shutil.copytree(folder, crashed, ignore=shutil.ignore_patterns("*-shm"))
    writer.close()
    assert (crashed / (DB_NAME + "-wal")).stat().st_size > 0
    assert _volume_title(crashed) == "园区年鉴（改）"


def test_a_writer_that_starts_later_is_seen(sample_archive_dir, tmp_path):
    """The kiosk opened a database nobody had open (``immutable``, no files); a writer then
    commits: the next read sees it (the reader reconnects without ``immutable``)."""
    folder = private_copy(sample_archive_dir, tmp_path / "arc")
    leave_in_wal_mode(folder)
    with Archive.open(folder, read_only=True, create=False) as archive:
        assert archive.volumes()[0].title == "苏州工业园区年鉴"
        assert archive.reader.immutable
        writer = sqlite3.connect(folder / DB_NAME, isolation_level=None)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE volumes SET title = '园区年鉴（新）'")
        try:
            assert archive.volumes()[0].title == "园区年鉴（新）"
            assert not archive.reader.immutable
        finally:
            writer.close()


def test_the_kiosk_window_writes_nothing(app, qtbot, sample_archive_dir, tmp_path):
    """The whole kiosk (window, searches, pages, idle reset) on a private copy: the archive
    folder is unchanged to the byte and the modification time, and no settings are kept."""
    from PySide6.QtCore import QSettings

    from sipviewer.core.kioskconfig import KioskConfig
    from sipviewer.ui.kiosk import KioskWindow
    from sipviewer.ui.tasks import SyncRunner

    folder = private_copy(sample_archive_dir, tmp_path / "arc")
    leave_in_wal_mode(folder)
    settings = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(settings))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    before = listing(folder)
    archive = Archive.open(folder, read_only=True, create=False)
    win = KioskWindow(archive, runner=SyncRunner(), config=KioskConfig(idle_reset=30))
    qtbot.addWidget(win)
    win.show()
    win.search.setText("qhcs")
    win._search_timer.timeout.emit()
    assert win.results.count() >= 1
    win.open_article(1)
    win.open_table(1)
    win.reset_home()
    win.shutdown()
    win.close_archive()
    assert listing(folder) == before
    assert not list(settings.rglob("*")), "settings were written"
