"""The window's one handle on an archive: browsing at once, the full archive behind it, tasks.

A window starts either from an open `Archive`, or (the fast start) from a browse view plus an
``opener`` that opens the full archive (SQLAlchemy, the search index) on a worker the first
time a task needs it. Every part of the window reaches the archive through this object and
never on the GUI thread: `read`, `latest` (a read a newer one supersedes) and `write` (every
change, on the one writer) hand work to the background lanes (`sipviewer.ui.tasks`) and call
back on the GUI thread. `changed(OpChanges)` says what a write changed: parts refresh from it.

Thread use: `browse` may be called from any worker; `archive` only from workers (it may open
the archive, which takes a while); everything else from the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from sipviewer.core.browse import Browse
from sipviewer.model.gcpause import collector_paused
from sipviewer.model.ops import CancelToken
from sipviewer.ui.tasks import SyncTasks, Tasks

if TYPE_CHECKING:  # the archive module brings SQLAlchemy and Whoosh: not at start-up
    from sipviewer.core.archive import Archive


class ArchiveSession(QObject):
    """An archive as the viewer uses it (see the module docstring)."""

    index_progress = Signal(int, int, str)  # a deferred index being checked or rebuilt
    changed = Signal(object)  # OpChanges: what a write changed

    def __init__(self, archive: Archive | None = None, *, reader: Browse | None = None,
                 opener: Callable[[], Archive] | None = None,
                 runner: Tasks | SyncTasks | None = None, kiosk: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        if archive is None and (reader is None or opener is None):
            raise ValueError("a window needs an archive, or a reader and an opener")
        self._archive = archive
        self._opener = opener
        self._open_lock = threading.Lock()
        if reader is None:
            assert archive is not None
            reader = archive.reader
        self.browse: Browse = reader  # contents, articles, tables, photos
        self.path: Path = reader.folder
        self.read_only = archive.read_only if archive is not None else kiosk
        self.closed = False  # no work is started once the archive is closed
        self.tasks = runner or Tasks(self)
        self.tasks.changed.connect(self.changed)
        if archive is not None:
            archive.index_progress = self.index_progress.emit

    @property
    def started_from_browse(self) -> bool:
        return self._opener is not None

    @property
    def is_open(self) -> bool:
        """Whether the full archive is open yet."""
        return self._archive is not None

    @property
    def archive(self) -> Archive:
        """The full archive. A window started from a reader opens it here on first use, which
        is on a worker: every caller is a task queued behind the first page."""
        if self._archive is None:
            with self._open_lock:
                if self._archive is None:
                    assert self._opener is not None
                    # SQLAlchemy and the index make many long-lived objects: no collections
                    # over them meanwhile (they stalled the GUI), frozen afterwards
                    with collector_paused(freeze=True):
                        archive = self._opener()
                    archive.index_progress = self.index_progress.emit
                    self._archive = archive
        return self._archive

    def read(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Read on a worker; ``done(result)`` or ``failed(exc)`` on the GUI thread."""
        if not self.closed:
            self.tasks.read(fn, done, failed)

    def latest(self, key: str, fn: Callable[[CancelToken], Any],
               done: Callable[[Any], None] | None = None,
               failed: Callable[[BaseException], None] | None = None,
               first: bool = False) -> CancelToken:
        """A read that cancels the previous one with this key (searches, the open article);
        ``first``: one the first frame waits for (at the GUI thread's priority)."""
        if self.closed:
            token = CancelToken()
            token.cancel()
            return token
        return self.tasks.latest(key, fn, done, failed, "start" if first else "read")

    def write(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None) -> None:
        """A change, on the one writer; return an `OpResult` to have its changes announced."""
        if not self.closed:
            self.tasks.write(fn, done, failed)

    def run_thumbnail(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Image work on its own small pool (never behind a search or an import)."""
        if not self.closed:
            self.tasks.image(fn, done)

    def set_error_handler(self, handler: Callable[[BaseException], object]) -> None:
        self.tasks.on_error = handler

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the background work to end; False if some is still running."""
        return self.tasks.wait(msecs)

    def cancel_reads(self) -> None:
        """Closing: reads under way stop at their next check."""
        self.tasks.cancel_reads()

    def stop_imports(self) -> None:
        """Quitting during an import: its child process is stopped (nothing committed)."""
        if self._archive is not None:
            self._archive.stop_imports()

    def close(self) -> None:
        """Close the archive and the browse view (after the tasks ended). Work asked for
        afterwards (a callback of a task that ended just before) is not started."""
        self.closed = True
        if self._archive is not None:
            self._archive.close()
        self.browse.close()
