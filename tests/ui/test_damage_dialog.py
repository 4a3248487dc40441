"""Database damage in the viewer: one line in a dialog; the file is left as it was."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from sipviewer.ui.app import open_with_progress
from sipviewer.ui.common import show_error


def _close_the_dialog(seen: list[str]) -> None:
    def look() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w.text())
                w.done(0)
                return
        QTimer.singleShot(50, look)
    QTimer.singleShot(50, look)


def test_an_empty_database_file_is_one_line_in_a_dialog(qtbot, tmp_path):
    path = tmp_path / "arc"
    path.mkdir()
    (path / "archive.sqlite").write_bytes(b"")
    seen: list[str] = []
    _close_the_dialog(seen)
    archive = open_with_progress(QApplication.instance(), path, read_only=False, default=False)
    assert archive is None
    assert len(seen) == 1 and "\n" not in seen[0] and "archive.sqlite" in seen[0]
    assert (path / "archive.sqlite").read_bytes() == b""  # not made a new archive


def test_a_driver_error_is_shown_in_one_line(qtbot, tmp_path):
    con = sqlite3.connect(tmp_path / "x.sqlite")
    try:
        con.execute("SELECT * FROM photo_tags")
    except sqlite3.Error as exc:
        error = exc
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_error(parent, error)
    text, details = box.text(), box.detailedText()
    box.done(0)
    assert "\n" not in text and "damaged" in text, text
    assert not details
