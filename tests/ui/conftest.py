"""Viewer fixtures: a real archive, real widgets, tasks run synchronously (no threads)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from sipviewer.core.archive import Archive


@pytest.fixture(scope="session")
def sample_archive_dir(tmp_path_factory):
    from tests.conftest import SAMPLE

    path = tmp_path_factory.mktemp("ui") / "arc"
    with Archive.open(path) as arc:
        arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
    return path


@pytest.fixture
def app(qapp):
    from sipviewer.ui.common import load_fonts

    load_fonts(qapp)
    return qapp


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(app, qtbot, sample_archive_dir, settings):
    from sipviewer.ui.mainwindow import MainWindow
    from sipviewer.ui.tasks import SyncRunner

    archive = Archive.open(sample_archive_dir)
    win = MainWindow(archive, runner=SyncRunner(), settings=settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    archive.close()


def type_text(widget, text: str) -> None:
    """Type like a user, Chinese included (keyClicks with non-ASCII aborts Qt)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


@pytest.fixture(scope="session")
def gallery_archive_dir(tmp_path_factory):
    """The sample plus a generated volume with a few hundred photos, one with a real image."""
    from PIL import Image

    from sipviewer.ingest.synthetic import generate_volume
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("gallery")
    text = root / "generated.txt"
    text.write_text(generate_volume(77, target_chars=400000, edition_year=2011).text,
                    encoding="utf-8")
    image = root / "scan.jpg"
    Image.new("RGB", (640, 480), (30, 120, 200)).save(image)
    path = root / "arc"
    with Archive.open(path) as arc:
        arc.import_files([SAMPLE], title="苏州工业园区年鉴", year=2021)
        arc.import_files([text])
        first = arc.photo_ids()[0]
        arc.attach_image(first, image)
    return path
