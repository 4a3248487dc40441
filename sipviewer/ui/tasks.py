"""Background work for the viewer: one writer for every change, a pool of readers, images apart.

`Tasks` has three lanes; each ``fn`` runs off the GUI thread and ``done(result)`` or
``failed(exc)`` is called back on the GUI thread:

* `write`: every change to the archive (imports, edits, index rebuilds) on one thread, in
  the order asked, so the database, the index and the writer lock see one writer (Anki's
  ``CollectionOp``). A write that returns an `OpResult` has its `OpChanges` emitted as
  `changed` before ``done`` gets the value: views refresh from it.
* `read` / `latest`: browsing and searching on a small pool, never behind a write (Anki's
  ``QueryOp``). `latest(key, fn)` is for reads a newer one supersedes: starting one cancels
  the previous read with the same key through its `CancelToken` (the search checks it at its
  long steps and stops with `Cancelled`), and a superseded read's result is never delivered.
* `image`: thumbnails, on their own threads, never behind a search.
* `start`: the reads the first frame waits for (the contents, the first article), on a thread
  of the GUI thread's own priority: the GUI thread has nothing else to do meanwhile, and a
  niced worker on a busy machine kept the window empty for 100 ms more.

`SyncTasks` runs everything at once on the calling thread (tests of layout and browsing; the
ordering and cancellation tests use `Tasks` with real threads).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from sipviewer.model.errors import Cancelled
from sipviewer.model.ops import CancelToken, OpChanges, OpResult

Done = Callable[[Any], None]
Failed = Callable[[BaseException], object]


GUI_SWITCH_INTERVAL = 0.001  # seconds


PROCESS_NICENESS = 10  # the import's worker processes run this much "nicer" than the viewer


def favour_the_gui_thread(processes: bool = True) -> None:
    """Let the GUI thread take the interpreter lock back within a millisecond.

    Archive work (imports, index loading) runs on worker threads. With CPython's default
    5 ms switch interval a worker that often releases and retakes the lock around short C
    calls keeps winning it back, and a waiting GUI thread was measured stalling for 60–130 ms;
    at 1 ms the longest stall measured was 29 ms, at a throughput cost too small to measure.
    ``processes=False``: not the import's worker processes yet (call again before the full
    archive opens: the module that starts them costs the first frame 20 ms).
    """
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    if not processes:
        return
    # and a core: with two cores, two parser processes left the GUI thread waiting for one
    # (a stall during an import was measured as mostly time spent runnable but not running)
    from sipviewer.core import pipeline

    pipeline.BACKGROUND_NICENESS = PROCESS_NICENESS


class ProgressSignal(QObject):
    """Carries progress (done, total, message) from a worker to the GUI thread."""

    changed = Signal(int, int, str)


class _Bridge(QObject):
    finished = Signal(object, object, object)  # callback, result, error


# How much "nicer" than the GUI thread the worker threads run (Linux: a thread has its own
# priority). With two cores shared, a stall after an import was measured as mostly time the
# GUI thread spent runnable but waiting for a core the writer and readers had.
WORKER_NICENESS = 5
_thread = threading.local()


def _nice_this_thread(niceness: int) -> None:
    """Lower the calling worker thread's priority, once (where the system allows it)."""
    if getattr(_thread, "niced", False):
        return
    _thread.niced = True
    if niceness and sys.platform.startswith("linux"):
        tid = threading.get_native_id()
        try:
            os.setpriority(os.PRIO_PROCESS, tid,
                           min(19, os.getpriority(os.PRIO_PROCESS, tid) + niceness))
        except OSError:  # not allowed here: the thread keeps the GUI's priority
            pass


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: _Bridge, done: Done | None,
                 failed: Failed | None, niceness: int = WORKER_NICENESS) -> None:
        super().__init__()
        self.fn, self.bridge, self.done, self.failed = fn, bridge, done, failed
        self.niceness = niceness
        self.setAutoDelete(True)

    def run(self) -> None:
        _nice_this_thread(self.niceness)
        try:
            result = self.fn()
        except BaseException as exc:
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.bridge.finished.emit(self.failed, None, exc)
            return
        self.bridge.finished.emit(self.done, result, None)


class TaskRunner(QObject):
    """A pool of ``threads`` worker threads whose results come back on the GUI thread."""

    def __init__(self, parent: QObject | None = None, threads: int = 1,
                 niceness: int = WORKER_NICENESS) -> None:
        super().__init__(parent)
        self.niceness = niceness
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self.bridge = _Bridge()
        self.bridge.finished.connect(self._deliver)
        self.on_error: Failed | None = None

    def run(self, fn: Callable[[], Any], done: Done | None = None,
            failed: Failed | None = None) -> None:
        self.pool.start(_Job(fn, self.bridge, done, failed, self.niceness))

    @Slot(object, object, object)
    def _deliver(self, callback: Callable[[Any], None] | None, result: object,
                 error: BaseException | None) -> None:
        if callback is None:
            if error is not None and self.on_error is not None:
                self.on_error(error)
            return
        callback(error if error is not None else result)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


class _Lanes(QObject):
    """What `Tasks` and `SyncTasks` share: the error handler, change reports, superseding."""

    changed = Signal(object)  # OpChanges of a finished write
    cancelled = Signal(str)  # a superseded read (by key) stopped before its end

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_error: Failed | None = None
        self._latest: dict[str, CancelToken] = {}

    def _start(self, lane: str, fn: Callable[[], Any], done: Done | None,
               failed: Failed | None) -> None:
        raise NotImplementedError

    def _failed(self, failed: Failed | None) -> Failed:
        def handle(exc: BaseException) -> None:
            handler = failed or self.on_error
            if handler is not None:
                handler(exc)
        return handle

    def read(self, fn: Callable[[], Any], done: Done | None = None,
             failed: Failed | None = None) -> None:
        self._start("read", fn, done, self._failed(failed))

    def image(self, fn: Callable[[], Any], done: Done | None = None,
              failed: Failed | None = None) -> None:
        self._start("image", fn, done, failed or (lambda exc: None))

    def write(self, fn: Callable[[], Any], done: Done | None = None,
              failed: Failed | None = None) -> None:
        """Run a change on the writer; an `OpResult`'s changes are announced first."""
        def finished(result: object) -> None:
            if isinstance(result, OpResult):
                if not result.changes.empty:
                    self.changed.emit(result.changes)
                result = result.value
            if done is not None:
                done(result)

        self._start("write", fn, finished, self._failed(failed))

    def latest(self, key: str, fn: Callable[[CancelToken], Any], done: Done | None = None,
               failed: Failed | None = None, lane: str = "read") -> CancelToken:
        """A read that supersedes the previous one with this key (see the module docstring)."""
        previous = self._latest.get(key)
        if previous is not None:
            previous.cancel()
        token = CancelToken()
        self._latest[key] = token
        handle_failure = self._failed(failed)

        def finished(result: object) -> None:
            if not token.cancelled and done is not None:
                done(result)

        def stopped(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.cancelled.emit(key)
            elif not token.cancelled:
                handle_failure(exc)

        self._start(lane, lambda: fn(token), finished, stopped)
        return token

    def cancel_reads(self) -> None:
        for token in self._latest.values():
            token.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return True


class Tasks(_Lanes):
    """The lanes on real threads: one writer, ``readers`` readers, two image threads."""

    def __init__(self, parent: QObject | None = None, readers: int = 2) -> None:
        super().__init__(parent)
        self.writer = TaskRunner(self, 1)
        self.readers = TaskRunner(self, readers)
        self.images = TaskRunner(self, 2)
        self.starter = TaskRunner(self, 1, niceness=0)
        self._lanes = {"write": self.writer, "read": self.readers, "image": self.images,
                       "start": self.starter}

    def _start(self, lane: str, fn: Callable[[], Any], done: Done | None,
               failed: Failed | None) -> None:
        self._lanes[lane].run(fn, done, failed)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every lane (``msecs`` each); False if work is still running."""
        ok = True
        for runner in (self.starter, self.readers, self.images, self.writer):
            ok = runner.wait(msecs) and ok
        return ok


class SyncTasks(_Lanes):
    """Runs every task at once on the calling thread."""

    def _start(self, lane: str, fn: Callable[[], Any], done: Done | None,
               failed: Failed | None) -> None:
        try:
            result = fn()
        except BaseException as exc:
            if failed is None:
                raise
            failed(exc)
            return
        if done is not None:
            done(result)


DISPOSE_CHUNK = 2000  # objects freed per turn of the event loop (about a millisecond)


def dispose_later(items: list[Any]) -> None:
    """Let go of a long list of rows a few thousand per turn of the event loop, on the GUI
    thread: freeing them all at once (tens of thousands of dataclasses) stalls the GUI for
    tens of milliseconds, and so would freeing them on a worker, which holds the interpreter
    lock throughout."""
    if len(items) <= DISPOSE_CHUNK:
        return
    items = list(items)  # the caller's list stays as it is

    def step() -> None:
        del items[-DISPOSE_CHUNK:]
        if items:
            QTimer.singleShot(0, step)

    QTimer.singleShot(0, step)


SyncRunner = SyncTasks  # the name earlier tests and scripts use

__all__ = ["OpChanges", "ProgressSignal", "SyncRunner", "SyncTasks", "TaskRunner", "Tasks", "dispose_later"]
