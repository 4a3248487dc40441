"""After an import the window shows how many parser decisions want checking; a click opens
the report (the same as ``sipviewer parse FILE --report``)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from sipviewer.core.archive import Archive
from tests.test_parse_report_identity import PLANTED


def test_import_shows_the_uncertain_count_and_the_report(app, qtbot, sample_archive_dir, settings,
                                                         tmp_path):
    from sipviewer.ui.mainwindow import MainWindow

    path = tmp_path / "arc"
    shutil.copytree(sample_archive_dir, path)
    archive = Archive.open(path)
    win = MainWindow(archive, settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    try:
        planted = tmp_path / "planted.txt"
        planted.write_text(PLANTED, encoding="utf-8")
        win.files.import_files([str(planted)])
        qtbot.waitUntil(lambda: win.files.importing == 0, timeout=30000)
        button = win.uncertain_button()
        assert button.isVisible() and button.text() == "待核对 6 处"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = button.dialog
        assert isinstance(dialog, QDialog) and dialog.isVisible()
        report = dialog.findChild(QPlainTextEdit).toPlainText()
        assert report.startswith("planted.txt: 6 uncertain decisions")
        assert "page 3" in report and "row number 4 where 3 was due" in report
        out = tmp_path / "shots"
        out.mkdir()
        win.grab().save(str(out / "window.png"))
        dialog.grab().save(str(out / "report.png"))
        dialog.reject()
        # an import with nothing uncertain hides it again (the sample is read with no doubt)
        from tests.conftest import SAMPLE

        win.files.import_files([str(SAMPLE)])
        qtbot.waitUntil(lambda: win.files.importing == 0, timeout=30000)
        assert not button.isVisible()
    finally:
        win.close()
        win.session.wait()
        archive.close()
