"""Where errors are logged: one file per user in the user's log folder.

``SIPVIEWER_LOG_DIR`` overrides the folder (tests, kiosks); otherwise platformdirs'
``user_log_dir``. The folder is made private (0700) and the file is opened without
following a symbolic link and readable by its owner only — never a fixed path in a shared
temporary folder, which another user could own or point elsewhere.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from platformdirs import user_log_dir

LOG_NAME = "sipviewer.log"
MAX_BYTES = 2_000_000  # then the file starts again (one previous file kept)


def log_dir() -> Path:
    env = os.environ.get("SIPVIEWER_LOG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(user_log_dir("sipviewer", appauthor=False))


def open_log() -> tuple[Path, int] | None:
    """The log file and a descriptor open for appending, or None when it cannot be made
    safely (another owner, a link, no permission)."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return None
        path = folder / LOG_NAME
        try:
            if path.lstat().st_size > MAX_BYTES:
                os.replace(path, folder / (LOG_NAME + ".1"))
        except FileNotFoundError:
            pass
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        if os.fstat(fd).st_uid != os.getuid():
            os.close(fd)
            return None
        return path, fd
    except OSError:
        return None


def write_error(text: str) -> Path | None:
    """Append ``text`` (a traceback) to the user's log; the path, or None if not written."""
    opened = open_log()
    if opened is None:
        return None
    path, fd = opened
    try:
        os.write(fd, (text.rstrip("\n") + "\n").encode("utf-8", "replace"))
    except OSError:
        return None
    finally:
        os.close(fd)
    return path


def setup_logging(level: int = logging.WARNING) -> Path | None:
    """Send warnings and errors of every module to the user's log file."""
    opened = open_log()
    if opened is None:
        return None
    path, fd = opened
    handler = logging.StreamHandler(os.fdopen(fd, "a", encoding="utf-8", buffering=1))
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s "
                                           "%(message)s"))
    handler.setLevel(level)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return path
