"""The 编目 mode as the viewer really runs it (the fast reader first, the archive opened behind
it, real threads) while commands in a terminal use the same archive: nothing typed is lost,
a failed undo leaves undo / redo telling the truth, outside changes show up. Real archive,
real subprocesses, real widgets."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

ARC_TIMEOUT = 60_000


@pytest.fixture
def arc_dir(sample_archive_dir, tmp_path):
    shutil.copytree(sample_archive_dir, tmp_path / "arc")
    return tmp_path / "arc"


@pytest.fixture
def threaded_window(app, qtbot, arc_dir, settings):
    from sipviewer.core.archive import Archive
    from sipviewer.core.browse import open_browse
    from sipviewer.ui.mainwindow import MainWindow

    reader = open_browse(arc_dir)
    assert reader is not None

    def opener() -> Archive:
        return Archive.open(arc_dir, create=False, defer_index=True)

    win = MainWindow(reader=reader, opener=opener, settings=settings)  # real threaded tasks
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.session.wait(30_000)
    win.close()
    win.session.wait(30_000)
    win.close_archive()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sipviewer", *args], capture_output=True,
                          text=True, timeout=240)


def on_disk(arc_dir: Path, sql: str, *params: object):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(f"file:{arc_dir / 'archive.sqlite'}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def save_notes(qtbot, cat, text: str) -> None:
    edit = cat.panel.edits["notes"]
    edit.setFocus()
    edit.selectAll()
    edit.insert(text)
    cat.panel._edited("notes")
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_edits_around_terminal_commands_are_kept_and_outside_changes_show(
        qtbot, threaded_window, arc_dir, caplog):
    win = threaded_window
    cat = win.catalogue
    win.center_tabs.setCurrentWidget(cat.tab_page)
    qtbot.waitUntil(lambda: cat.model.rowCount() >= 5, timeout=ARC_TIMEOUT)
    qtbot.waitUntil(lambda: len(cat.selected_ids()) == 1, timeout=ARC_TIMEOUT)
    first = cat.selected_ids()[0]
    errors: list[str] = []
    win.session.set_error_handler(lambda exc: errors.append(repr(exc)))

    save_notes(qtbot, cat, "第一次")
    qtbot.waitUntil(lambda: "已保存" in cat.status.text(), timeout=ARC_TIMEOUT)
    other = cat.model.photos[1].id
    assert cli("photos", "list", "--archive", str(arc_dir)).returncode == 0
    tagged = cli("photos", "edit", str(other), "--add-tag", "外来标签", "--archive", str(arc_dir))
    assert tagged.returncode == 0, tagged.stderr

    before = cat.status.text()
    save_notes(qtbot, cat, "第二次")
    qtbot.waitUntil(lambda: cat.status.text() not in (before, "正在保存…"), timeout=ARC_TIMEOUT)
    assert "#" in cat.status.text() and "未保存" not in cat.status.text(), cat.status.text()
    assert on_disk(arc_dir, "SELECT notes FROM photos WHERE id = ?", first) == [("第二次",)]
    assert errors == []

    # the tag added in the terminal reaches the gallery without touching the filter
    cat.check_outside()
    qtbot.waitUntil(lambda: "外来标签" in cat.model.photos[cat.model.row_of(other)].tags,
                    timeout=ARC_TIMEOUT)
    assert cat.selected_ids() == [first]

    # an undo that cannot be written (another writer holds the archive): nothing changes,
    # it is logged, and undo stays offered (redo is not)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from filelock import FileLock; "
         f"lock = FileLock({str(arc_dir / 'archive.lock')!r}); lock.acquire(); "
         "print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        qtbot.waitUntil(lambda: cat.undo_stack.canUndo(), timeout=ARC_TIMEOUT)
        index = cat.undo_stack.index()
        with caplog.at_level(logging.WARNING, logger="sipviewer"):
            os.environ["SIPVIEWER_LOCK_TIMEOUT"] = "1"
            try:
                cat.undo_action.trigger()
                qtbot.waitUntil(lambda: "未保存" in cat.status.text(), timeout=ARC_TIMEOUT)
            finally:
                del os.environ["SIPVIEWER_LOCK_TIMEOUT"]
        assert cat.undo_stack.index() == index
        assert cat.undo_stack.canUndo() and not cat.undo_stack.canRedo()
        assert any("still writing" in r.getMessage() for r in caplog.records)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    assert on_disk(arc_dir, "SELECT notes FROM photos WHERE id = ?", first) == [("第二次",)]
    # and once the other writer is gone the undo works
    cat.undo_action.trigger()
    qtbot.waitUntil(lambda: cat.undo_stack.canRedo(), timeout=ARC_TIMEOUT)
    qtbot.waitUntil(lambda: on_disk(arc_dir, "SELECT notes FROM photos WHERE id = ?", first)
                    == [("第一次",)], timeout=ARC_TIMEOUT)
    win.session.wait(30_000)
    checked = cli("check", "--archive", str(arc_dir))
    assert checked.returncode == 0, checked.stdout + checked.stderr
