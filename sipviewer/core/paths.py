"""Where things live: the default archive folder and the bundled resources.

``SIPVIEWER_ARCHIVE`` overrides the default archive folder (tests, kiosks, development);
otherwise it is ``archive`` in the user data folder that platformdirs gives.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

SAMPLE_NAME = "sip-yearbook-2021-zhuanji.txt"
SAMPLE_TITLE = "苏州工业园区年鉴"
SAMPLE_EDITION = 2021


def default_archive_dir() -> Path:
    env = os.environ.get("SIPVIEWER_ARCHIVE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # (not needed when the archive is given)

    return Path(user_data_dir("sipviewer", appauthor=False)) / "archive"


def sample_path() -> Path:
    return resource_path("sample", SAMPLE_NAME)


def resource_path(*parts: str) -> Path:
    return _resources().joinpath(*parts)


@cache
def _resources() -> Path:
    """The folder of the bundled resources: the package's own folder on disk (importing
    importlib.resources to ask would cost the viewer's start 10 ms)."""
    import sipviewer.resources as package

    for folder in getattr(package, "__path__", ()):
        if Path(folder).is_dir():
            return Path(folder)
    from importlib import resources  # (not a folder on disk: a zipped install)

    return Path(str(resources.files("sipviewer.resources")))
